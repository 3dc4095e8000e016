"""The ``select`` stage: a variant's view of the CV. Pure functions over the model.

Which sections, in which order; which entries and items (by tags); which
publications (filters), in which order, in which groups, with which numbers.

A filter that leaves a section with nothing to show is said, as data: the section's
``SelectedSection.warnings`` names the filter, how many entries it saw, and why none
passed ("selected_only matched 0 of 69 entries; none has `selected = {true}`"), located
at the section in cv.yaml. The format stage leaves such a section out of every format.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from cvbuild.bib.model import CATEGORIES, CORRESPONDING, EQUAL, Name, Publication
from cvbuild.config.model import CV, Output, PublicationQuery, Section, Variant
from cvbuild.errors import Problem, warning
from cvbuild.filename import expand_pattern
from cvbuild.i18n.phrases import CATEGORY_KEYS, YEAR_LABELS


class OwnerMatcher(Protocol):
    """What select needs of the owner matching that lives in the format stage."""

    def matches(self, name: Name) -> bool: ...


@dataclass(frozen=True)
class ResolvedVariant:
    """A variant with everything it does not set taken from the top level."""

    name: str
    theme: str
    formats: tuple[str, ...]
    paper: str
    engine: str
    font: str
    filename: str  # a safe file stem, without extension
    max_pages: int | None
    variant: Variant
    locale: str = "en"  # the variant's language: its own locale, else output.locale


@dataclass(frozen=True)
class PubEntry:
    number: int | str | None  # 3, or "J3" with a prefix
    publication: Publication


@dataclass(frozen=True)
class SelectedGroup:
    # The group's id, worded by the format stage: a year ("2024"), a phrase key of
    # cvbuild.i18n.phrases ("cat_journal", "undated", "in_press"), or text to show as it is
    # (a preset's category heading, a year label the .bib invents).
    label: str
    entries: tuple[PubEntry, ...]


@dataclass(frozen=True)
class SelectedSection:
    section: Section  # entries / items already filtered for the variant
    query: PublicationQuery | None = None  # effective query (variant overrides applied)
    groups: tuple[SelectedGroup, ...] = ()
    warnings: tuple[Problem, ...] = ()  # why a filter left this section empty
    # a text section's cited works with the query of the publications section that holds
    # each (its style, author limit, owner highlighting), whatever that section selects
    cited: tuple[tuple[Publication, PublicationQuery], ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing to show: no publication, entry, item or paragraph."""
        section = self.section
        if section.kind == "publications":
            return not any(group.entries for group in self.groups)
        if section.kind == "entries":
            return not section.entries
        if section.kind == "items":
            return not section.items
        return not section.text.strip()


def resolve_variant(cv: CV, variant: Variant) -> ResolvedVariant:
    out: Output = cv.output
    pattern = variant.filename or out.filename or "{family}_{given}_CV"
    if variant.filename is None and variant.name != "cv" and not out.filename:
        pattern += "_{variant}"
    locale = variant.locale or out.locale
    if len({v.locale or out.locale for v in cv.variants}) > 1:  # one source, several languages
        pattern += f"_{locale}"
    return ResolvedVariant(
        name=variant.name,
        theme=variant.theme or out.theme,
        formats=variant.formats or out.formats,
        paper=variant.paper or out.paper,
        engine=out.engine,
        font=out.font,
        filename=file_stem(pattern, cv.person.name, variant.name),
        max_pages=variant.max_pages,
        variant=variant,
        locale=locale,
    )


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def file_stem(pattern: str, person_name: str, variant: str) -> str:
    """A file name that is safe on every OS: ASCII letters, digits, ``._-``, no reserved names."""
    parts = person_name.split()
    given = parts[0] if parts else "CV"
    family = parts[-1] if len(parts) > 1 else ""
    values = {"given": given, "family": family, "name": person_name, "variant": variant}
    stem = expand_pattern(pattern, values)
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    safe = _UNSAFE.sub("_", ascii_stem).strip("._-") or "CV"
    safe = re.sub(r"_+", "_", safe)[:120]
    if safe.split(".")[0].upper() in _WINDOWS_RESERVED:
        safe = f"{safe}_CV"
    return safe


def select_sections(
    cv: CV,
    variant: Variant,
    publications: dict[int, list[Publication]],
    owner: OwnerMatcher | None = None,
) -> list[SelectedSection]:
    """The sections a variant shows. ``publications`` maps a section's index in
    ``cv.sections`` to the publications loaded for it. ``owner`` tells the owner's names
    (the format stage's matcher, handed in) for ``first_author_only`` and
    ``corresponding_only``; without it those filters keep nothing."""
    by_title = {s.title: i for i, s in enumerate(cv.sections)}
    order = (
        [by_title[t] for t in variant.sections if t in by_title]
        if variant.sections is not None
        else range(len(cv.sections))
    )
    chosen: list[SelectedSection] = []
    labels = dict(variant.section_labels)
    citable: dict[str, tuple[Publication, PublicationQuery]] | None = None
    for index in order:
        section = cv.sections[index]
        if section.title in labels:  # a preset's heading for this section
            section = replace(section, title=labels[section.title])
        if section.kind == "publications" and section.publications is not None:
            pubs = publications.get(index, [])
            chooser = variant
            if variant.output_tags:  # outputs by tag: the tagged keys after the given ones
                chooser = replace(variant, outputs=outputs_by_tag(variant, pubs))
            query = effective_query(section.publications, chooser)
            groups = select_publications(pubs, query, owner)
            if variant.rules is not None:
                from cvbuild.select.outputs import preset_groups

                groups = preset_groups(groups, query, chooser)
            notes: tuple[Problem, ...] = ()
            if not any(group.entries for group in groups):
                notes = (
                    empty_publications(section, pubs, query, variant, len(cv.variants), owner),
                )
            chosen.append(SelectedSection(section, query, tuple(groups), notes))
        else:
            kept = filter_tags(section, variant.tags)
            tag_notes: tuple[Problem, ...] = ()
            if kept is not section and _count(kept) == 0 and _count(section) > 0:
                tag_notes = (empty_by_tags(section, variant, len(cv.variants)),)
            cited: tuple[tuple[Publication, PublicationQuery], ...] = ()
            if section.cites:
                if citable is None:
                    citable = citable_works(cv, variant, publications)
                keys = dict.fromkeys(k for c in section.cites for k in c.keys)
                cited = tuple(citable[k] for k in keys if k in citable)
            chosen.append(SelectedSection(kept, warnings=tag_notes, cited=cited))
    return chosen


def outputs_by_tag(variant: Variant, pubs: Sequence[Publication]) -> tuple[str, ...]:
    """The variant's chosen outputs: its keys in order, then every entry of ``pubs`` whose
    ``keywords`` field names one of its ``outputs: {tags: [...]}``, newest first."""
    tagged = [p for p in pubs if has_keyword(p, variant.output_tags)]
    keys = dict.fromkeys(variant.outputs)
    keys.update((p.key, None) for p in sort_publications(tagged))
    return tuple(keys)


def citable_works(
    cv: CV, variant: Variant, publications: dict[int, list[Publication]]
) -> dict[str, tuple[Publication, PublicationQuery]]:
    """Every entry of the config's bibliographies (those its publications sections name),
    by key, with the variant's query of the first section that reads it."""
    found: dict[str, tuple[Publication, PublicationQuery]] = {}
    for index, section in enumerate(cv.sections):
        if section.kind != "publications" or section.publications is None:
            continue
        query = effective_query(section.publications, variant)
        for pub in publications.get(index, []):
            found.setdefault(pub.key, (pub, query))
    return found


# --------------------------------------------------------------------------- empty sections


def _count(section: Section) -> int:
    return len(section.entries) + len(section.items)


def _plural(n: int, word: str = "entry") -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def _where(variant: Variant, names: Sequence[str]) -> str:
    """ " (set by variant 'resume')" when the variant set one of ``names``."""
    if any(getattr(variant, n) not in (None, ()) for n in names):
        return f" (set by variant '{variant.name}')"
    return ""


def _left_out(section: Section, variant: Variant, count: int) -> str:
    scope = f" in variant '{variant.name}'" if count > 1 else ""
    return f"section '{section.title}' is empty{scope} and left out"


def empty_by_tags(section: Section, variant: Variant, count: int) -> Problem:
    tags = ", ".join(variant.tags or ())
    total = _count(section)
    return warning(
        section.where,
        f"{_left_out(section, variant, count)}: tags [{tags}] matched 0 of "
        f"{_plural(total)}; none of them carries one of these tags",
        f"tag the {'entry' if total == 1 else 'entries'} to show, or change the tags of "
        f"variant '{variant.name}'",
    )


def empty_publications(
    section: Section,
    pubs: Sequence[Publication],
    q: PublicationQuery,
    variant: Variant,
    count: int,
    owner: OwnerMatcher | None = None,
) -> Problem:
    """Why no publication of ``pubs`` passed ``q``: the first filter that left none, with
    how many entries it saw and what they hold instead."""
    files = ", ".join(p.name for p in q.bib) or "the bibliography"
    head = _left_out(section, variant, count)
    if not pubs:
        return warning(
            section.where,
            f"{head}: {files} has no entries",
            "add entries to the .bib file, or run `cvbuild refresh` if it is fetched",
        )
    steps: list[tuple[str, Callable[[Publication], bool]]] = []
    if q.include_keys:
        wanted = set(q.include_keys)
        steps.append(("include_keys", lambda p: p.key in wanted))
    else:
        if q.exclude_keys:
            unwanted = set(q.exclude_keys)
            steps.append(("exclude_keys", lambda p: p.key not in unwanted))
        if q.selected_only:
            steps.append(("selected_only", lambda p: p.selected))
        if q.types:
            types = set(q.types)
            steps.append(("types", lambda p: p.category in types))
        if q.since is not None:
            since = q.since
            steps.append(("since", lambda p: p.year is None or p.year >= since))
        if q.until is not None:
            until = q.until
            steps.append(("until", lambda p: p.year is None or p.year <= until))
        if q.keywords:
            steps.append(("keywords", lambda p: has_keyword(p, q.keywords)))
        if q.first_author_only:
            steps.append(("first_author_only", lambda p: is_first_author(p, owner)))
        if q.corresponding_only:
            steps.append(("corresponding_only", lambda p: is_corresponding(p, owner)))
    left = list(pubs)
    used: list[str] = []
    for name, keep in steps:
        passed = [p for p in left if keep(p)]
        if not passed:
            seen = f"{_plural(len(left))}" + (
                f" left by {', '.join(used)}" if used else f" in {files}"
            )
            reason, hint = _why_none(name, left, q)
            return warning(
                section.where,
                f"{head}: {name}{_shown_value(name, q)}{_where(variant, [name])} "
                f"matched 0 of {seen}; {reason}",
                hint,
            )
        left, used = passed, [*used, name]
    return warning(section.where, f"{head}: no publication to show", "check its filters")


def _shown_value(name: str, q: PublicationQuery) -> str:
    if name == "types":
        return f" [{', '.join(q.types)}]"
    if name in ("since", "until"):
        return f" {getattr(q, name)}"
    if name == "keywords":
        return f" [{', '.join(q.keywords)}]"
    return ""


def _why_none(name: str, left: Sequence[Publication], q: PublicationQuery) -> tuple[str, str]:
    """(what the entries hold instead, how to fix it) for the filter ``name``."""
    if name == "include_keys":
        import difflib

        keys = [p.key for p in left]
        shown = ", ".join(f"'{k}'" for k in q.include_keys[:5])
        close = [m for k in q.include_keys for m in difflib.get_close_matches(k, keys, n=1)]
        hint = f"did you mean '{close[0]}'?" if close else "use the keys as the .bib file has them"
        return f"none of its keys ({shown}) is in the bibliography", hint
    if name == "exclude_keys":
        return "it excludes every one of them", "exclude fewer keys"
    if name == "selected_only":
        return (
            "none has `selected = {true}`",
            "mark the papers to show with `selected = {true}` in the .bib file, "
            "or drop selected_only",
        )
    if name == "types":
        counts: dict[str, int] = {}
        for p in left:
            counts[p.category] = counts.get(p.category, 0) + 1
        held = ", ".join(f"{c} ({n})" for c, n in sorted(counts.items(), key=lambda x: -x[1]))
        return f"they are {held}", "widen types to one of those"
    if name == "keywords":
        found = sorted({k for p in left for k in entry_keywords(p)})
        held = ", ".join(found[:8]) + (" …" if len(found) > 8 else "")
        reason = f"their keywords are {held}" if found else "none has a `keywords` field"
        return reason, "use keywords the .bib file has (commas or semicolons between them)"
    if name == "first_author_only":
        return (
            "you are not the first author of any of them",
            "mark a shared first authorship with * or author+an = {2=equal}",
        )
    if name == "corresponding_only":
        return (
            "none marks you as corresponding author",
            "mark it with † or author+an = {3=corresponding} in the .bib file",
        )
    years = [p.year for p in left if p.year is not None]
    if name == "since":
        return f"the newest is from {max(years)}", f"set since to {max(years)} or earlier"
    return f"the oldest is from {min(years)}", f"set until to {min(years)} or later"


def filter_tags(section: Section, tags: Sequence[str] | None) -> Section:
    """Keep entries and items carrying one of ``tags`` (untagged ones always stay)."""
    if not tags:
        return section
    wanted = set(tags)

    def keep(item_tags: Sequence[str]) -> bool:
        return not item_tags or bool(wanted.intersection(item_tags))

    return replace(
        section,
        entries=tuple(e for e in section.entries if keep(e.tags)),
        items=tuple(i for i in section.items if keep(i.tags)),
    )


def effective_query(query: PublicationQuery, variant: Variant) -> PublicationQuery:
    """The section's query with the variant's publication settings laid over it."""
    changes: dict[str, Any] = {}
    names = ("selected_only", "since", "until", "types", "limit", "author_limit", "style")
    for name in (*names, "first_author_only", "corresponding_only", "keywords"):
        value = getattr(variant, name)
        if value is not None:
            changes[name] = value
    if variant.include_keys:
        changes["include_keys"] = variant.include_keys
    if variant.outputs:  # a preset's chosen outputs
        changes["include_keys"] = variant.outputs
    if variant.exclude_keys:
        changes["exclude_keys"] = tuple(query.exclude_keys) + tuple(variant.exclude_keys)
    return replace(query, **changes) if changes else query


_KEYWORD_SPLIT = re.compile(r"[,;]")


def entry_keywords(pub: Publication) -> list[str]:
    """The BibTeX ``keywords`` field, split at commas and semicolons, case folded."""
    words = (w.strip().casefold() for w in _KEYWORD_SPLIT.split(pub.get("keywords")))
    return [w for w in words if w]


def has_keyword(pub: Publication, wanted: Sequence[str]) -> bool:
    mine = set(entry_keywords(pub))
    return any(w.strip().casefold() in mine for w in wanted)


def is_first_author(pub: Publication, owner: OwnerMatcher | None) -> bool:
    """The owner is the first author, or shares the first place: they carry the equal
    contribution mark and so does every author before them."""
    if owner is None:
        return False
    for name in pub.authors:
        if owner.matches(name):
            return True
        if EQUAL not in name.marks:
            return False
    return False


def is_corresponding(pub: Publication, owner: OwnerMatcher | None) -> bool:
    """The owner carries the corresponding-author mark (``†`` or ``author+an``)."""
    if owner is None:
        return False
    return any(CORRESPONDING in n.marks and owner.matches(n) for n in pub.authors)


def keep_publication(
    pub: Publication, q: PublicationQuery, owner: OwnerMatcher | None = None
) -> bool:
    if q.include_keys:
        return pub.key in q.include_keys
    if pub.key in q.exclude_keys:
        return False
    if q.selected_only and not pub.selected:
        return False
    if q.types and pub.category not in q.types:
        return False
    if pub.year is not None:
        if q.since is not None and pub.year < q.since:
            return False
        if q.until is not None and pub.year > q.until:
            return False
    if q.keywords and not has_keyword(pub, q.keywords):
        return False
    if q.first_author_only and not is_first_author(pub, owner):
        return False
    return not (q.corresponding_only and not is_corresponding(pub, owner))


def sort_publications(pubs: Sequence[Publication], order: str = "newest") -> list[Publication]:
    """Newest first by year, then month, then the order in the file; entries without a
    numeric year first. ``oldest`` reverses the dated ones (undated stay first)."""
    undated = [p for p in pubs if p.year is None]
    dated = [p for p in pubs if p.year is not None]
    undated.sort(key=lambda p: p.order)
    if order == "oldest":
        dated.sort(key=lambda p: (p.year, p.month or 0, p.order))
    else:
        dated.sort(key=lambda p: (-(p.year or 0), -(p.month or 0), p.order))
    return undated + dated


def year_label(pub: Publication) -> str:
    """The id of a paper's year group: its year; the phrase key of a label cvbuild words in
    the CV's language ("in_press", "submitted", "undated" for none); else the label as the
    .bib writes it, capitalized."""
    if pub.year is not None:
        return str(pub.year)
    label = (pub.year_label or "").strip()
    key = YEAR_LABELS.get(label.casefold()) if label else "undated"
    return key or label[:1].upper() + label[1:]


def select_publications(
    pubs: Sequence[Publication], q: PublicationQuery, owner: OwnerMatcher | None = None
) -> list[SelectedGroup]:
    """The publications ``q`` keeps, sorted, grouped and numbered. ``owner`` is needed by
    ``first_author_only`` and ``corresponding_only`` (without it they keep nothing)."""
    kept = sort_publications([p for p in pubs if keep_publication(p, q, owner)], q.order)
    if q.limit:
        kept = kept[: q.limit]
    grouped: list[tuple[str, list[Publication]]]
    if q.group_by == "none":
        grouped = [("", kept)]
    elif q.group_by == "type":
        grouped = [(CATEGORY_KEYS[c], [p for p in kept if p.category == c]) for c in CATEGORIES]
    else:
        by_year: dict[str, list[Publication]] = {}
        for pub in kept:
            by_year.setdefault(year_label(pub), []).append(pub)
        grouped = list(by_year.items())
    return number_groups([(label, items) for label, items in grouped if items], q)


def number_groups(
    grouped: Sequence[tuple[str, Sequence[Publication]]], q: PublicationQuery
) -> list[SelectedGroup]:
    """Groups with their numbers; none unless the query is ``numbered``.

    - ``number_order: reverse`` (``numbered: true``): the newest paper gets the highest
      number (counting down the page when the newest come first);
      ``ascending``: numbers go up the page in reading order (1 for the first shown).
    - ``numbering: continuous`` counts across the section's groups; ``per_group`` starts
      again in each group.
    - ``prefix`` ({category: label}): each prefixed category counts on its own and its
      numbers read "J1", "J2" …; the categories without a prefix share one plain count.
    """
    prefixes = dict(q.prefix)

    def scope(index: int, pub: Publication) -> tuple[int, str]:
        return (index if q.numbering == "per_group" else -1, prefixes.get(pub.category, ""))

    totals: dict[tuple[int, str], int] = {}
    for index, (_, items) in enumerate(grouped):
        for pub in items:
            key = scope(index, pub)
            totals[key] = totals.get(key, 0) + 1
    seen: dict[tuple[int, str], int] = {}
    countdown = q.number_order != "ascending" and q.order == "newest"
    result: list[SelectedGroup] = []
    for index, (label, items) in enumerate(grouped):
        entries = []
        for pub in items:
            number: int | str | None = None
            if q.numbered:
                key = scope(index, pub)
                seen[key] = seen.get(key, 0) + 1
                n = totals[key] - seen[key] + 1 if countdown else seen[key]
                number = f"{key[1]}{n}" if key[1] else n
            entries.append(PubEntry(number, pub))
        result.append(SelectedGroup(label, tuple(entries)))
    return result
