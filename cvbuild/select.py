"""The ``select`` stage: a variant's view of the CV. Pure functions over the model.

Which sections, in which order; which entries and items (by tags); which
publications (filters), in which order, in which groups, with which numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from cvbuild.bib.model import CATEGORIES, CATEGORY_TITLES, Publication
from cvbuild.filename import expand_pattern
from cvbuild.model import CV, Output, PublicationQuery, Section, Variant


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


@dataclass(frozen=True)
class PubEntry:
    number: int | None
    publication: Publication


@dataclass(frozen=True)
class SelectedGroup:
    label: str
    entries: tuple[PubEntry, ...]


@dataclass(frozen=True)
class SelectedSection:
    section: Section  # entries / items already filtered for the variant
    query: PublicationQuery | None = None  # effective query (variant overrides applied)
    groups: tuple[SelectedGroup, ...] = ()


def resolve_variant(cv: CV, variant: Variant) -> ResolvedVariant:
    out: Output = cv.output
    pattern = variant.filename or out.filename or "{family}_{given}_CV"
    if variant.filename is None and variant.name != "cv" and not out.filename:
        pattern += "_{variant}"
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
    cv: CV, variant: Variant, publications: dict[int, list[Publication]]
) -> list[SelectedSection]:
    """The sections a variant shows. ``publications`` maps a section's index in
    ``cv.sections`` to the publications loaded for it."""
    by_title = {s.title: i for i, s in enumerate(cv.sections)}
    order = (
        [by_title[t] for t in variant.sections if t in by_title]
        if variant.sections is not None
        else range(len(cv.sections))
    )
    chosen: list[SelectedSection] = []
    for index in order:
        section = cv.sections[index]
        if section.kind == "publications" and section.publications is not None:
            query = effective_query(section.publications, variant)
            groups = select_publications(publications.get(index, []), query)
            chosen.append(SelectedSection(section, query, tuple(groups)))
        else:
            chosen.append(SelectedSection(filter_tags(section, variant.tags)))
    return chosen


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
    changes: dict[str, object] = {}
    for name in ("selected_only", "since", "until", "types", "limit", "author_limit"):
        value = getattr(variant, name)
        if value is not None:
            changes[name] = value
    if variant.include_keys:
        changes["include_keys"] = variant.include_keys
    if variant.exclude_keys:
        changes["exclude_keys"] = tuple(query.exclude_keys) + tuple(variant.exclude_keys)
    return replace(query, **changes) if changes else query


def keep_publication(pub: Publication, q: PublicationQuery) -> bool:
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
    return True


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
    if pub.year is not None:
        return str(pub.year)
    label = (pub.year_label or "").strip() or "Undated"
    return label[:1].upper() + label[1:]


def select_publications(pubs: Sequence[Publication], q: PublicationQuery) -> list[SelectedGroup]:
    kept = sort_publications([p for p in pubs if keep_publication(p, q)], q.order)
    if q.limit:
        kept = kept[: q.limit]
    grouped: list[tuple[str, list[Publication]]]
    if q.group_by == "none":
        grouped = [("", kept)]
    elif q.group_by == "type":
        grouped = [(CATEGORY_TITLES[c], [p for p in kept if p.category == c]) for c in CATEGORIES]
    else:
        by_year: dict[str, list[Publication]] = {}
        for pub in kept:
            by_year.setdefault(year_label(pub), []).append(pub)
        grouped = list(by_year.items())
    return number_groups([(label, items) for label, items in grouped if items], q)


def number_groups(
    grouped: Sequence[tuple[str, Sequence[Publication]]], q: PublicationQuery
) -> list[SelectedGroup]:
    """Groups with their numbers, which follow the order a reader sees: counting down when
    newest come first, up when oldest do; none unless the query is ``numbered``."""
    total = sum(len(items) for _, items in grouped)
    position = 0
    result: list[SelectedGroup] = []
    for label, items in grouped:
        entries = []
        for pub in items:
            position += 1
            number = None
            if q.numbered:
                number = total - position + 1 if q.order == "newest" else position
            entries.append(PubEntry(number, pub))
        result.append(SelectedGroup(label, tuple(entries)))
    return result
