"""Assemble the format-neutral ``Document`` for one variant.

Everything a reader will see is decided here: header contacts, entry dates,
publication references (via ``format.publication``), legends for author marks.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from cvbuild import forking
from cvbuild.bib.annotations import STUDENT
from cvbuild.bib.ids import pmcid_key
from cvbuild.bib.model import CORRESPONDING, EQUAL, Name, Publication
from cvbuild.config.inline import parse_inline
from cvbuild.config.model import CV, Entry, MetricsDisplay, Person, Profile
from cvbuild.document import (
    Contact,
    Document,
    EntryBlock,
    Header,
    ItemBlock,
    Meta,
    PubGroup,
    PubItem,
    SectionBlock,
)
from cvbuild.errors import Problem, warning
from cvbuild.format.authors import STUDENT_SYMBOL, SYMBOLS, name_text
from cvbuild.format.dates import format_long, format_range, iso_date
from cvbuild.format.owner import OwnerMatcher
from cvbuild.format.publication import format_publication, used_marks
from cvbuild.format.styles import get_style
from cvbuild.format.urls import safe_links, safe_url
from cvbuild.i18n.phrases import BY_KEY, ENGLISH, Phrases, phrases_for
from cvbuild.i18n.texts import localize
from cvbuild.metrics import MetricsFile
from cvbuild.richtext import Link, RichText, Text
from cvbuild.select import PubEntry, ResolvedVariant, SelectedSection

# Where a profile's username leads, for the networks researchers use most.
PROFILE_URLS = {
    "github": "https://github.com/{}",
    "gitlab": "https://gitlab.com/{}",
    "orcid": "https://orcid.org/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
    "twitter": "https://twitter.com/{}",
    "x": "https://x.com/{}",
    "google scholar": "https://scholar.google.com/citations?user={}",
    "scholar": "https://scholar.google.com/citations?user={}",
    "researchgate": "https://www.researchgate.net/profile/{}",
    "mastodon": "",
    "bluesky": "https://bsky.app/profile/{}",
}


# How a profile's network is named before its id ("ORCID 0000-0002-…", "GitHub jdoe").
PROFILE_LABELS = {
    "github": "GitHub",
    "gitlab": "GitLab",
    "orcid": "ORCID",
    "linkedin": "LinkedIn",
    "twitter": "Twitter",
    "x": "X",
    "google scholar": "Google Scholar",
    "scholar": "Google Scholar",
    "researchgate": "ResearchGate",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
}
NBSP = "\u00a0"
# From this many references in one section, half are formatted on the other core.
PARALLEL_ITEMS = 400


def inline_text(value: str) -> RichText:
    """A cv.yaml text's inline Markdown as rich text, its unsafe links shown as text."""
    return safe_links(parse_inline(value))


def unbroken(text: str) -> str:
    """One contact item on one line: its spaces made non-breaking ("Kraków, Poland")."""
    return NBSP.join(text.split())


def contacts(person: Person) -> tuple[Contact, ...]:
    out: list[Contact] = []
    if person.email:
        out.append(Contact("email", person.email, safe_url(f"mailto:{person.email}")))
    if person.phone:
        digits = "".join(c for c in person.phone if c.isdigit() or c == "+")
        out.append(Contact("phone", unbroken(person.phone), f"tel:{digits}" if digits else ""))
    if person.location:
        out.append(Contact("location", unbroken(person.location)))
    if person.website:
        url = person.website if "://" in person.website else f"https://{person.website}"
        shown = person.website.split("://", 1)[-1].rstrip("/")
        out.append(Contact("website", shown, safe_url(url)))
    out.extend(profile_contact(p) for p in person.profiles)
    return tuple(out)


def profile_contact(profile: Profile) -> Contact:
    kind = profile.network.strip().lower()
    url = profile.url
    if not url and profile.username and PROFILE_URLS.get(kind):
        url = PROFILE_URLS[kind].format(profile.username)
    text = profile.username or profile.url.split("://", 1)[-1].rstrip("/")
    if profile.username:  # a bare id says nothing; the network's name says what it is
        label = PROFILE_LABELS.get(kind, profile.network.strip())
        text = f"{label} {profile.username.strip()}"
    return Contact(kind, unbroken(text), safe_url(url))


def entry_block(entry: Entry, phrases: Phrases = ENGLISH) -> EntryBlock:
    title = inline_text(entry.title)
    if entry.url and safe_url(entry.url):
        title = (Link(safe_url(entry.url), title),)
    return EntryBlock(
        title=title,
        organization=inline_text(entry.organization),
        location=entry.location,
        dates=format_range(entry.start, entry.end, entry.date, entry.date_text, phrases),
        summary=inline_text(entry.summary),
        highlights=tuple(inline_text(h) for h in entry.highlights),
        url=safe_url(entry.url) if entry.url else "",
        start=iso_date(entry.start),
        end=iso_date(entry.end),
        date=iso_date(entry.date),
    )


def students_matcher(person: Person) -> OwnerMatcher | None:
    """``person.students`` matched by the owner's rules (``format.owner``); None if none."""
    names = [s for s in person.students if s.strip()]
    return OwnerMatcher(names[0], names[1:]) if names else None


def section_block(
    selected: SelectedSection,
    owner: OwnerMatcher | None,
    students: OwnerMatcher | None = None,
    student_symbol: str = STUDENT_SYMBOL,
    metrics: tuple[MetricsDisplay, MetricsFile] | None = None,
    phrases: Phrases = ENGLISH,
    *,
    citations: str = "list",
    ids: Sequence[str] = (),
) -> SectionBlock:
    """One section's block. ``citations``: how a text section's ``[@key]`` reads (``list``
    or ``inline``, ``format.citations``); ``ids``: entry fields shown after each work
    (``pmid``, ``pmcid``)."""
    section = selected.section
    if section.kind == "entries":
        blocks = tuple(entry_block(e, phrases) for e in section.entries)
        return SectionBlock(section.title, "entries", entries=blocks)
    if section.kind == "items":
        items = tuple(ItemBlock(inline_text(i.text), i.label) for i in section.items)
        return SectionBlock(section.title, "items", items=items)
    if section.kind == "text":
        if not selected.cited:
            paragraphs = tuple(
                inline_text(p.strip()) for p in section.text.split("\n\n") if p.strip()
            )
            return SectionBlock(section.title, "text", paragraphs=paragraphs)
        return cited_text_block(selected, owner, students, student_symbol, phrases, citations, ids)
    query = selected.query
    limit = query.author_limit if query else 0
    highlight = owner if (query is None or query.highlight_owner) else None
    style = get_style(query.style if query else "")
    notes = dict(query.notes) if query else {}

    def format_items(entries: Sequence[PubEntry]) -> list[PubItem]:
        out: list[PubItem] = []
        for entry in entries:
            pub = entry.publication
            item = format_publication(
                pub,
                highlight,
                limit,
                entry.number,
                style,
                students,
                student_symbol,
                notes.get(pub.key, ""),
                phrases=phrases,
            )
            item = with_ids(item, pub, ids)
            if metrics is not None and metrics[0].per_paper:
                from cvbuild.format.metrics import cited_text

                cited = cited_text(pub, metrics[1], metrics[0].source, phrases)
                if cited:
                    note = (*item.note, Text(f"; {cited}")) if item.note else (Text(cited),)
                    item = dataclasses.replace(item, note=note)
            out.append(item)
        return out

    # A long list's second half is formatted on the other core (see cvbuild.forking).
    every = [entry for group in selected.groups for entry in group.entries]
    formatted = iter(forking.map_halves(format_items, every, PARALLEL_ITEMS))
    groups: list[PubGroup] = []
    marks: list[str] = []
    for group in selected.groups:
        pub_items = tuple(next(formatted) for _ in group.entries)
        for item in pub_items:
            marks.extend(m for m in used_marks(item.text) if m not in marks)
        groups.append(PubGroup(group_label(group.label, phrases), pub_items))
    summary: tuple[tuple[Text, ...], ...] = ()
    if metrics is not None and metrics[0].summary:
        from cvbuild.format.metrics import summary_text

        line = summary_text(metrics[1], metrics[0].source, phrases)
        summary = ((Text(line),),) if line else ()
    return SectionBlock(
        section.title,
        "publications",
        groups=tuple(groups),
        marks=tuple(marks),
        paragraphs=summary,
    )


ID_FIELDS = {"pmid": "PMID", "pmcid": "PMCID"}  # entry field -> its name, the same everywhere


def entry_ids(pub: Publication, ids: Sequence[str]) -> list[tuple[str, str]]:
    """(name, value) of each identifier in ``ids`` the entry has: "PMID", "123";
    a bare PMC number reads "PMC456"."""
    out: list[tuple[str, str]] = []
    for name in ids:
        value = " ".join(pub.get(name).split())
        if name == "pmcid":
            value = pmcid_key(value) or value  # a bare PMC number reads "PMC456"
        if value:
            out.append((ID_FIELDS.get(name, name.upper()), value))
    return out


def with_ids(item: PubItem, pub: Publication, ids: Sequence[str]) -> PubItem:
    """The item with "PMID: 123; PMCID: PMC456" after the reference, when asked for and
    present."""
    if not ids:
        return item
    from cvbuild.format.citations import ids_text

    shown = ids_text(entry_ids(pub, ids))
    if not shown:
        return item
    return dataclasses.replace(item, text=(*item.text, Text(" "), *shown))


def cited_text_block(
    selected: SelectedSection,
    owner: OwnerMatcher | None,
    students: OwnerMatcher | None,
    student_symbol: str,
    phrases: Phrases,
    mode: str,
    ids: Sequence[str],
) -> SectionBlock:
    """A text section that cites by key: each cited work formatted as its publications
    section formats it (style, author limit, owner in bold, marks)."""
    from cvbuild.format.citations import cited_paragraphs

    works = {pub.key: (pub, query) for pub, query in selected.cited}

    def format_work(key: str, number: int | None) -> PubItem | None:
        if key not in works:
            return None
        pub, query = works[key]
        item = format_publication(
            pub,
            owner if query.highlight_owner else None,
            query.author_limit,
            number,
            get_style(query.style),
            students,
            student_symbol,
            phrases=phrases,
        )
        return with_ids(item, pub, ids)

    paragraphs, references = cited_paragraphs(selected.section.text, format_work, mode)
    marks: list[str] = []
    for rich in (*paragraphs, *(r.text for r in references)):
        marks.extend(m for m in used_marks(rich) if m not in marks)
    return SectionBlock(
        selected.section.title,
        "text",
        paragraphs=paragraphs,
        marks=tuple(marks),
        references=references,
    )


def shown_date(given: str, today: date, locale: str) -> str:
    """The "last updated" date in the build's language: a day given as YYYY-MM-DD (by
    ``--date`` or ``output.date``) in the locale's long form, other text as written, today
    when nothing is given."""
    text = given.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return format_long(date.fromisoformat(text), locale)
        except ValueError:
            return text
    return text or format_long(today, locale)


def group_label(label: str, phrases: Phrases) -> str:
    """A group's heading in the build's language from the id select gave it: a phrase key
    ("cat_journal", "undated", "in_press") is worded; a year or other text stays."""
    return phrases(label) if label in BY_KEY else label


def in_language(
    cv: CV, sections: Sequence[SelectedSection], locale: str
) -> tuple[CV, list[SelectedSection], list[Problem]]:
    """The person and sections with every ``{en: ..., de: ...}`` text in ``locale``;
    warnings where a text falls back to the default language (``cvbuild.i18n.texts``)."""
    default = cv.output.locale
    person, problems = localize(cv.person, locale, default)
    out: list[SelectedSection] = []
    for selected in sections:
        section, found = localize(selected.section, locale, default)
        problems += found
        out.append(selected if section is selected.section else replace(selected, section=section))
    if person is not cv.person:
        cv = replace(cv, person=person)
    return cv, out, list(dict.fromkeys(problems))


def legend_texts(phrases: Phrases) -> dict[str, str]:
    """Mark kind -> its legend ("equal" -> "Equal contribution") in the build's language."""
    return {
        EQUAL: phrases("equal"),
        CORRESPONDING: phrases("corresponding"),
        STUDENT: phrases("student"),
    }


def near_miss_warnings(
    cv: CV, sections: Sequence[SelectedSection], owner: OwnerMatcher
) -> list[Problem]:
    """One warning per spelling that looks like the owner's name but is not matched by it
    (``OwnerMatcher.near_miss``), at its first entry, counting the other entries."""
    found: dict[str, list[Publication]] = {}
    for selected in sections:
        query = selected.query
        if query is not None and not query.highlight_owner:
            continue
        for group in selected.groups:
            for entry in group.entries:
                pub = entry.publication
                names: list[Name] = [*pub.authors, *pub.editors]
                for name in names:
                    if owner.near_miss(name):
                        pubs = found.setdefault(name_text(name), [])
                        if not any(p is pub for p in pubs):
                            pubs.append(pub)
    problems: list[Problem] = []
    for spelling, pubs in found.items():
        first = min(pubs, key=lambda p: (p.location.file, p.location.line))
        more = len(pubs) - 1
        also = f"; it is also in {more} more {'entry' if more == 1 else 'entries'}" if more else ""
        problems.append(
            warning(
                first.location,
                f"'{spelling}' looks like you; add an alias or fix the entry",
                f"it is not '{cv.person.name}', so it is not set in bold: if it is you, add "
                f'"{spelling}" to person.aliases in {cv.path.name}{also}',
            )
        )
    return problems


def format_document(
    cv: CV,
    variant: ResolvedVariant,
    sections: Sequence[SelectedSection],
    *,
    today: date,
    date_text: str = "",
    metrics: MetricsFile | None = None,
    phrases: Phrases | None = None,
) -> Document:
    """The variant's ``Document``. The date it shows: ``date_text``, else ``output.date``,
    else ``today`` written out ("15 January 2026" in the locale). The caller hands in the
    day (``cvbuild.clock.today()``): the format stage never reads a clock. ``phrases``
    default to the variant's locale with the config's ``output.labels``
    (``cvbuild.i18n.phrases``)."""
    if phrases is None:
        phrases = phrases_for(variant.locale, cv.output.labels)
    cv, sections, language_warnings = in_language(cv, sections, phrases.locale)
    owner = OwnerMatcher(cv.person.name, cv.person.aliases, cv.person.display)
    students = students_matcher(cv.person)
    student_symbol = cv.person.student_mark or STUDENT_SYMBOL
    shown = [s for s in sections if not s.empty]  # an empty section is never printed
    from cvbuild.format.metrics import metrics_problems
    from cvbuild.metrics.shown import display_for

    metric_warnings: list[Problem] = []
    per_section: list[tuple[MetricsDisplay, MetricsFile] | None] = []
    for selected in shown:
        wanted = display_for(selected.query, variant.variant) if selected.query else None
        if wanted is not None:
            data = metrics or MetricsFile()
            metric_warnings.extend(metrics_problems(cv, wanted, data))
        per_section.append((wanted, data) if wanted is not None else None)
    rules = variant.variant.rules
    citations = getattr(rules, "citations", "list") if rules is not None else "list"
    ids = tuple(getattr(rules, "ids", ())) if rules is not None else ()
    blocks = tuple(
        section_block(s, owner, students, student_symbol, m, phrases, citations=citations, ids=ids)
        for s, m in zip(shown, per_section, strict=True)
    )
    warnings = [*language_warnings, *(w for s in sections for w in s.warnings)]
    warnings += metric_warnings
    warnings += near_miss_warnings(cv, shown, owner)
    used = [kind for block in blocks for kind in block.marks]
    all_legends = legend_texts(phrases)
    all_symbols = {**SYMBOLS, STUDENT: student_symbol}
    legends = {kind: all_legends[kind] for kind in all_legends if kind in used}
    symbols = {kind: all_symbols[kind] for kind in legends}
    header = Header(
        name=cv.person.name,
        headline=inline_text(cv.person.headline),
        contacts=contacts(cv.person),
    )
    meta = Meta(
        title=f"{cv.person.name} \u2014 {phrases('cv_title')}",
        author=cv.person.name,
        keywords=tuple(s.title for s in blocks),
        date=shown_date(date_text or cv.output.date, today, phrases.locale),
        theme=variant.theme,
        paper=variant.paper,
        engine=variant.engine,
        font=variant.font,
        variant=variant.name,
        locale=phrases.locale,
        updated_label=phrases("updated"),
        page_label=phrases("page_of"),
        aria_labels=(phrases("html_contact"), phrases("html_notes"), phrases("html_back")),
        contact_labels=(
            phrases("al_email"),
            phrases("contact_phone"),
            phrases("al_location"),
            phrases("link_website"),
        ),  # fmt: skip
        templates=tuple(getattr(rules, "templates", ())) if rules is not None else (),
    )
    return Document(header, blocks, meta, legends, symbols, tuple(dict.fromkeys(warnings)))
