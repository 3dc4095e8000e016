"""cv.yaml → the validated ``CV`` model (``cvbuild.config.model``).

The key tables below are the one place that says which keys cv.yaml may hold and
what each must be (closed sets of words come from ``cvbuild.config.choices``);
``cvbuild.config.schema`` turns the same tables into a JSON Schema.
Every problem is collected and raised at once as ``InputError``, each located at
``cv.yaml:LINE:COL`` with a hint.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import stat
from pathlib import Path
from typing import Any

from cvbuild.bib.model import CATEGORIES
from cvbuild.config.choices import (
    ENGINES,
    FORMATS,
    GROUP_BY,
    METRICS_SOURCES,
    NAME_DISPLAYS,
    NUMBER_ORDERS,
    NUMBERINGS,
    ORDERS,
    PAPERS,
    SECTION_KINDS,
    SOURCE_KINDS,
    STYLES,
    THEMES,
)
from cvbuild.config.files import config_file
from cvbuild.config.model import (
    CV,
    Citation,
    Entry,
    Item,
    MetricsDisplay,
    Output,
    PartialDate,
    Person,
    Profile,
    PublicationQuery,
    RefreshConfig,
    RefreshSource,
    Section,
    Variant,
)
from cvbuild.config.types import (
    INVALID,
    Choice,
    Ctx,
    Date,
    Either,
    Email,
    FilenamePattern,
    Flag,
    FlagOrChoice,
    Integer,
    Key,
    Labels,
    ListOf,
    ListOrMapping,
    LocaleTag,
    Mapping,
    NamedMap,
    OneOrList,
    PathValue,
    Record,
    SingleKey,
    Table,
    Text,
    TextMap,
    Url,
    check_table,
    suggest,
)
from cvbuild.config.yamlpos import YMap, YScalar, parse_yaml, read_text
from cvbuild.errors import InputError, Location, error, warning
from cvbuild.filename import PLACEHOLDERS

_STRINGS = ListOf(Text(nonempty=True), "strings")
_YEAR = Integer(1000, 9999, expected="a year such as 2015")
_COUNT = Integer(0)
_CATEGORY_LIST = ListOf(Choice(CATEGORIES), "publication types")

# ---------------------------------------------------------------- key tables

_FILENAME_DOC = (
    "File name pattern; default {family}_{given}_CV. Placeholders: "
    + ", ".join(f"{{{k}}} ({v})" for k, v in PLACEHOLDERS.items())
    + "; '{{' and '}}' for braces; no format specs."
)

PROFILE = Table(
    "a profile",
    (
        Key("network", Text(nonempty=True), True, "GitHub, ORCID, Google Scholar, LinkedIn, ..."),
        Key("username", Text(), doc="The user name or id on that network."),
        Key("url", Url(), doc="The profile's address."),
    ),
    "One online profile.",
    hints={"name": "network", "user": "username", "id": "username", "link": "url"},
)

PERSON = Table(
    "person",
    (
        Key("name", Text(nonempty=True), True, "Your name as it should appear on the CV."),
        Key(
            "aliases",
            _STRINGS,
            doc="Other spellings of your name in BibTeX author lists (found and set in bold).",
        ),
        Key(
            "display",
            Choice(NAME_DISPLAYS),
            doc="How your name is printed in author lists: as_written (default; each entry's "
            "own spelling, e.g. 'L. Marchetti') or canonical (person.name in every entry).",
        ),
        Key("headline", Text(), doc="One line under your name (inline Markdown allowed)."),
        Key("email", Email(), doc="Your email address, shown in the header as a link."),
        Key("phone", Text(), doc="Your phone number as it should be printed."),
        Key(
            "location",
            Text(),
            doc="Where you are ('Kraków, Poland'); printed as one unbroken item.",
        ),
        Key("website", Url(), doc="Your home page (https://...)."),
        Key(
            "profiles",
            ListOf(Mapping(PROFILE), "profiles"),
            doc="Online profiles, each {network, username, url}; printed labelled ('ORCID 0000-...').",
        ),
        Key("students", _STRINGS, doc="Students and mentees: marked in author lists."),
        Key("student_mark", Text(nonempty=True), doc="The students' mark (default §)."),
    ),
    "Who the CV is about.",
    hints={
        "social_networks": "profiles",
        "social": "profiles",
        "links": "profiles",
        "alias": "aliases",
        "label": "headline",
        "title": "headline",
        "url": "website",
        "homepage": "website",
        "mail": "email",
        "photo": "cvbuild has no photo; remove this key",
        "custom_connections": "list them under 'profiles' as {network, username, url}",
    },
)

ENTRY = Table(
    "an entry",
    (
        Key("title", Text(nonempty=True), True, "Position, degree, grant, talk (inline Markdown)."),
        Key("organization", Text(), doc="Institution, company, funder, venue."),
        Key("location", Text(), doc="City and country of the entry ('Kraków, Poland')."),
        Key("start", Date(allow_present=False), doc="YYYY, YYYY-MM or YYYY-MM-DD."),
        Key("end", Date(), doc="YYYY, YYYY-MM, YYYY-MM-DD or present."),
        Key("date", Date(allow_present=False), doc="A single date instead of start/end."),
        Key("date_text", Text(), doc="Free text shown as the date ('Spring 2020')."),
        Key("url", Url(), doc="A link for the title (the project, the grant, the talk)."),
        Key("summary", Text(), doc="A paragraph (inline Markdown)."),
        Key("highlights", _STRINGS, doc="Bullet points (inline Markdown)."),
        Key(
            "tags",
            _STRINGS,
            doc="Labels for variants: a variant with 'tags' keeps untagged entries and those "
            "sharing one of its tags.",
        ),
        Key(
            "optional",
            Flag(),
            doc="true: among the first dropped when a variant's max_pages must be met.",
        ),
    ),
    "A dated item: a position, a degree, a grant, a talk.",
    hints={
        "institution": "did you mean 'organization'? cvbuild calls the institution or company 'organization'",
        "company": "did you mean 'organization'? cvbuild calls the institution or company 'organization'",
        "employer": "organization",
        "school": "organization",
        "university": "organization",
        "position": "did you mean 'title'? the position or degree is the entry's 'title'",
        "degree": "did you mean 'title'? the position or degree is the entry's 'title'",
        "role": "title",
        "name": "title",
        "area": "put the field of study in 'title' or 'summary'",
        "start_date": "start",
        "end_date": "end",
        "from": "start",
        "to": "end",
        "description": "summary",
        "details": "summary",
        "bullets": "highlights",
    },
)

ITEM = Table(
    "an item",
    (
        Key("text", Text(nonempty=True), True, "The line (inline Markdown)."),
        Key("label", Text(), doc="A bold label before the text ('Languages')."),
        Key(
            "tags",
            _STRINGS,
            doc="Labels for variants: a variant with 'tags' keeps untagged items and those "
            "sharing one of its tags.",
        ),
        Key(
            "optional",
            Flag(),
            doc="true: among the first dropped when a variant's max_pages must be met.",
        ),
    ),
    "One line of an items section.",
    hints={"details": "text", "value": "text", "name": "label", "bullet": "text"},
)

_PREFIX = Table(
    "prefix",
    tuple(
        Key(
            c,
            Text(nonempty=True),
            doc=f"Label before the number of each {c} paper (J gives J1, J2 ...).",
        )
        for c in CATEGORIES
    ),
    "A label prefix per publication category.",
)

METRICS = Table(
    "metrics",
    (
        Key("per_paper", Flag(), doc="true: 'cited 123 times' after each paper."),
        Key(
            "summary",
            Flag(),
            doc="true: one line with total citations, h-index, i10-index, source and date.",
        ),
        Key(
            "source",
            Choice(METRICS_SOURCES),
            doc="Whose counts: " + ", ".join(METRICS_SOURCES) + " (default openalex); "
            "'cvbuild refresh' with that source writes them.",
        ),
    ),
    "Citation counts (off by default; many funders discourage them).",
    hints={"per_entry": "per_paper", "citations": "per_paper", "total": "summary"},
)
_METRICS_KEY = Key(
    "metrics",
    Mapping(METRICS),
    doc="Citation counts: {per_paper: true, summary: true, source: openalex}; off by default.",
)

PUBLICATIONS = Table(
    "publications",
    (
        Key(
            "bib",
            OneOrList(PathValue(), "paths"),
            True,
            "A .bib file or a list of them, relative to cv.yaml.",
        ),
        Key("group_by", Choice(GROUP_BY), doc="year | type | none (default year)."),
        Key("order", Choice(ORDERS), doc="newest | oldest (default newest)."),
        Key(
            "author_limit",
            _COUNT,
            doc="Show the first N authors of each paper (your name is never hidden); 0 = all.",
        ),
        Key(
            "selected_only",
            Flag(),
            doc="true: only BibTeX entries with selected = {true} (the al-folio field).",
        ),
        Key(
            "types",
            _CATEGORY_LIST,
            doc="Publication categories to keep, from: " + ", ".join(CATEGORIES) + ".",
        ),
        Key("since", _YEAR, doc="Keep papers from this year on (a year such as 2015)."),
        Key("until", _YEAR, doc="Keep papers up to and including this year."),
        Key(
            "limit",
            _COUNT,
            doc="Show at most N papers, the first N in the section's order; 0 = all.",
        ),
        Key(
            "include_keys",
            _STRINGS,
            doc="Hand-pick papers: a list of BibTeX keys; when given, only these are shown.",
        ),
        Key(
            "exclude_keys",
            _STRINGS,
            doc="BibTeX keys never shown, whatever the other filters say.",
        ),
        Key(
            "numbered",
            FlagOrChoice(NUMBER_ORDERS),
            doc="Number the papers: true or reverse (newest gets the highest number), ascending.",
        ),
        Key("numbering", Choice(NUMBERINGS), doc="continuous | per_group (default continuous)."),
        Key(
            "prefix",
            Mapping(_PREFIX),
            doc="Number labels per category: {journal: J, conference: C} gives J1, C1 ...",
        ),
        Key("highlight_owner", Flag(), doc="Set your name in bold (default true)."),
        Key("style", Choice(STYLES), doc="Citation style: " + ", ".join(STYLES) + "."),
        Key("notes", TextMap(), doc="A note printed under an entry: {bibkey: text}."),
        Key("first_author_only", Flag(), doc="Only papers where you are (co-)first author."),
        Key("corresponding_only", Flag(), doc="Only papers where you are corresponding."),
        Key("keywords", _STRINGS, doc="Only entries whose BibTeX keywords name one of these."),
        _METRICS_KEY,
    ),
    "Which papers a publications section shows, and how.",
    hints={
        "keys": "include_keys",
        "file": "bib",
        "files": "bib",
        "bibfile": "bib",
        "bibliography": "bib",
        "sort": "order",
        "sort_by": "order",
        "group": "group_by",
        "max_authors": "author_limit",
        "selected": "selected_only",
        "from": "since",
        "to": "until",
        "exclude": "exclude_keys",
        "include": "include_keys",
    },
)

SECTION = Table(
    "a section",
    (
        Key("title", Text(nonempty=True), True, "The heading; variants name sections by it."),
        Key(
            "entries",
            ListOf(Mapping(ENTRY), "entries"),
            nullable=False,
            doc="Dated items: positions, degrees, grants, talks; each has a title.",
        ),
        Key(
            "publications",
            Mapping(PUBLICATIONS),
            nullable=False,
            doc="Papers from BibTeX: bib, plus filters (selected_only, since, until, types, "
            "limit, include_keys, exclude_keys) and the look (group_by, order, author_limit).",
        ),
        Key(
            "items",
            ListOf(Either(Text(nonempty=True), Mapping(ITEM)), "items"),
            nullable=False,
            doc="Lines: a string, or {text, label, tags, optional}.",
        ),
        Key("text", Text(), nullable=False, doc="A paragraph (inline Markdown)."),
        Key("tags", _STRINGS, doc="Labels for your own use; variants choose sections by title."),
    ),
    "One section of the CV: a title and one of entries, publications, items or text.",
    hints={
        "name": "title",
        "heading": "title",
        "label": "title",
        "entry": "entries",
        "publication": "publications",
        "papers": "publications",
        "item": "items",
        "content": "text",
        "body": "text",
    },
    one_of=SECTION_KINDS,
)

VARIANT = Table(
    "a variant",
    (
        Key(
            "sections",
            _STRINGS,
            doc="Section titles to show, in this order; default all sections in file order.",
        ),
        Key(
            "tags",
            _STRINGS,
            doc="Keep only entries and items with one of these tags (untagged ones stay).",
        ),
        Key(
            "selected_only",
            Flag(),
            doc="Publications: true keeps only BibTeX entries with selected = {true}.",
        ),
        Key("since", _YEAR, doc="Publications: keep papers from this year on."),
        Key("until", _YEAR, doc="Publications: keep papers up to and including this year."),
        Key(
            "types",
            _CATEGORY_LIST,
            doc="Publications: categories to keep, from: " + ", ".join(CATEGORIES) + ".",
        ),
        Key(
            "include_keys",
            _STRINGS,
            doc="Publications: hand-pick papers by BibTeX key; only these are shown "
            "(replaces the section's include_keys).",
        ),
        Key(
            "exclude_keys",
            _STRINGS,
            doc="Publications: BibTeX keys to leave out (added to the section's exclude_keys).",
        ),
        Key("limit", _COUNT, doc="Publications: at most N papers per section; 0 = all."),
        Key(
            "author_limit",
            _COUNT,
            doc="Publications: show the first N authors (your name is never hidden); 0 = all.",
        ),
        Key("style", Choice(STYLES), doc="Citation style: " + " | ".join(STYLES) + "."),
        Key(
            "first_author_only", Flag(), doc="Publications: only papers where you are first author."
        ),
        Key(
            "corresponding_only",
            Flag(),
            doc="Publications: only papers where you are the corresponding author.",
        ),
        Key(
            "keywords",
            _STRINGS,
            doc="Publications: keep papers whose BibTeX keywords include one of these.",
        ),
        Key("theme", Choice(THEMES), doc="academic | compact; default output.theme."),
        Key(
            "formats",
            ListOf(Choice(FORMATS), "formats", min_items=1),
            doc="Formats to build for this variant (pdf, docx, md, tex); default output.formats.",
        ),
        Key("paper", Choice(PAPERS), doc="Paper size: a4 | letter; default output.paper."),
        Key(
            "locale",
            LocaleTag(),
            doc="The CV's language (de, fr, pt-BR, zh-CN, ...); default output.locale.",
        ),
        Key("filename", FilenamePattern(), doc=_FILENAME_DOC),
        Key(
            "max_pages",
            Integer(1),
            doc="Fit the PDF into N pages, dropping optional entries and unselected papers first.",
        ),
        _METRICS_KEY,
        Key(
            "preset",
            Text(),
            doc="A funder format (erc, dfg, sciencv, r4ri) or a preset file; "
            "the variant's own keys win ('cvbuild presets').",
        ),
        Key(
            "outputs",
            ListOrMapping(
                _STRINGS,
                Mapping(
                    Table(
                        "outputs",
                        (
                            Key("keys", _STRINGS, doc="Chosen outputs by BibTeX key, in order."),
                            Key(
                                "tags",
                                ListOf(Text(nonempty=True), "strings", min_items=1),
                                doc="Also every entry whose BibTeX keywords field names one "
                                "of these tags, newest first, after the keys.",
                            ),
                        ),
                        "Outputs by key and by tag.",
                    )
                ),
            ),
            doc="Chosen outputs: BibTeX keys in the order shown ([a, b]), or "
            "{keys: [a, b], tags: [erc]} to add every entry whose keywords name a tag.",
        ),
    ),
    "One CV built from the same source; unset options come from the top level.",
    hints={
        "keys": "include_keys",
        "include": "sections",
        "only": "sections",
        "pages": "max_pages",
        "page_limit": "max_pages",
        "format": "formats",
        "max_authors": "author_limit",
    },
)

OUTPUT = Table(
    "output",
    (
        Key("dir", PathValue(), doc="Output folder, relative to cv.yaml (default 'output')."),
        Key("formats", ListOf(Choice(FORMATS), "formats", min_items=1), doc="pdf, docx, md, tex."),
        Key("theme", Choice(THEMES), doc="The look: academic | compact (default academic)."),
        Key("engine", Choice(ENGINES), doc="The LaTeX engine (default xelatex)."),
        Key("paper", Choice(PAPERS), doc="Paper size: a4 | letter (default a4)."),
        Key("font", Text(), doc="Main font for xelatex/lualatex."),
        Key("date", Text(), doc="'Last updated' text; default today."),
        Key(
            "locale",
            LocaleTag(),
            doc="The CV's language, a BCP 47 tag: en (default), de, fr, zh-CN, ...",
        ),
        Key(
            "labels", Labels(), doc="Your own wording for cvbuild's phrases: {present: today, ...}."
        ),
        Key("templates", PathValue(), doc="Your template folder, searched first."),
        Key("filename", FilenamePattern(), doc=_FILENAME_DOC),
    ),
    "Where and how the CVs are written.",
    hints={
        "folder": "dir",
        "directory": "dir",
        "path": "dir",
        "output_dir": "dir",
        "format": "formats",
        "template": "templates",
        "template_dir": "templates",
        "latex_engine": "engine",
        "page_size": "paper",
        "papersize": "paper",
    },
)

SOURCE_OPTIONS = Table(
    "source options",
    (
        Key(
            "id", Text(nonempty=True), doc="The source's id for you (a DBLP pid, an ORCID iD, ...)."
        ),
        Key("pid", Text(nonempty=True), doc="DBLP: your person id ('95/7448-1')."),
        Key("orcid", Text(nonempty=True), doc="Your ORCID iD ('0000-0002-1825-0097')."),
        Key("query", Text(nonempty=True), doc="A search query, for sources that search."),
        Key("author", Text(nonempty=True), doc="An author name to search for."),
        Key("base_url", Url(), doc="A mirror or test server; the same paths as the service."),
        Key("doi_base_url", Url(), doc="Crossref only: where DOIs are resolved to BibTeX."),
        Key("pace", Text(nonempty=True), doc="Seconds between two requests to the service."),
        Key("max_results", Integer(minimum=1), doc="arXiv only: results per page."),
        Key("idconv_base_url", Url(), doc="PubMed only: where the PMC ID converter is."),
    ),
    "Options of one publication source.",
    hints={
        name: (
            "API keys are never read from cv.yaml (it is often public): remove this line and "
            "set OPENALEX_API_KEY, S2_API_KEY or NCBI_API_KEY in the environment instead"
        )
        for name in ("api_key", "apikey", "key", "token", "x-api-key", "x_api_key", "secret")
    },
)

REFRESH = Table(
    "refresh",
    (
        Key("into", PathValue(), True, "The managed .bib file refresh writes."),
        Key(
            "sources",
            ListOf(
                SingleKey(
                    SOURCE_KINDS,
                    SOURCE_OPTIONS,
                    "source",
                    'dblp: "95/7448-1"',
                    kind_docs={
                        "dblp": "DBLP: your person id ('95/7448-1') or options.",
                        "orcid": "ORCID: your iD ('0000-0002-1825-0097'); public works only.",
                        "arxiv": "arXiv: your author id ('zielinski_b_1') or a query with a colon.",
                        "crossref": "Crossref: works listing your ORCID iD.",
                        "inspire": "INSPIRE-HEP: your author id ('J.M.Maldacena.1') or {query: ...}.",
                        "openalex": "OpenAlex: your ORCID iD or OpenAlex author id; the key "
                        "comes from OPENALEX_API_KEY.",
                        "semanticscholar": "Semantic Scholar: your author id ('1723755'); an "
                        "optional key from S2_API_KEY.",
                        "pubmed": "PubMed: your ORCID iD or a query ('Xu Y[au]'); an optional "
                        "key from NCBI_API_KEY.",
                    },
                ),
                "sources",
            ),
            doc="Where new papers come from: '- dblp: <pid>', '- orcid: <iD>', ...",
        ),
        Key("mailto", Email(), doc="Your email, sent to APIs that ask for one."),
        Key(
            "max_response_mb",
            Integer(1, 1024),
            doc="The largest answer a source may send, in MB (default 20); larger fails.",
        ),
        Key(
            "timeout",
            Integer(1, 3600),
            doc="Seconds one source may take in all, retries included (default 180).",
        ),
    ),
    "Pull new papers from public sources into a managed .bib file.",
    hints={
        "bib": "into",
        "file": "into",
        "output": "into",
        "email": "mailto",
        **{
            name: (
                "API keys are never read from cv.yaml (it is often public): remove this line "
                "and set OPENALEX_API_KEY, S2_API_KEY or NCBI_API_KEY in the environment instead"
            )
            for name in (
                "api_key",
                "api_keys",
                "keys",
                "openalex_api_key",
                "s2_api_key",
                "ncbi_api_key",
                "token",
            )
        },
    },
)

_RENDERCV = (
    "this looks like a RenderCV file: cvbuild reads 'person:' with name, email, ... and "
    "'sections:' as a list, each with a 'title', at the top level"
)
TOP = Table(
    "cv.yaml",
    (
        Key(
            "person",
            Mapping(PERSON),
            True,
            "Who the CV is about: name, aliases, contacts, profiles.",
            nullable=False,
        ),
        Key(
            "sections",
            ListOf(Mapping(SECTION), "sections"),
            True,
            "The CV's sections in order; each has a title and one of entries, publications, "
            "items or text.",
            nullable=False,
        ),
        Key(
            "variants",
            NamedMap(
                Mapping(VARIANT),
                name_hint="a variant name becomes a folder name: "
                "use letters, digits, '.', '_' and '-' only",
            ),
            doc="Named CVs built from this file; default one variant 'cv'.",
        ),
        Key(
            "output",
            Mapping(OUTPUT),
            doc="Where and how CVs are written: dir, formats, theme, paper, engine, font, ...",
        ),
        Key(
            "refresh",
            Mapping(REFRESH),
            doc="'cvbuild refresh': pull new papers from DBLP, ORCID, arXiv, ... into a .bib.",
        ),
    ),
    "cvbuild configuration.",
    hints={
        "cv": _RENDERCV,
        "design": "cvbuild sets the look under 'output:' with theme, paper and font",
        "locale": "cvbuild has no locale settings; remove this key",
        "settings": "put output settings under 'output:'",
        "rendercv_settings": "put output settings under 'output:'",
        "basics": "did you mean 'person'? JSON Resume's 'basics' is cvbuild's 'person'",
        "name": "put 'name' under 'person:'",
        "email": "put 'email' under 'person:'",
        "section": "sections",
        "variant": "variants",
    },
)

# ---------------------------------------------------------------- building the model


def _person(rec: Record) -> Person:
    return Person(
        name=rec.get("name", ""),
        aliases=rec.get("aliases", ()),
        display=rec.get("display", NAME_DISPLAYS[0]),
        headline=rec.get("headline", ""),
        email=rec.get("email", ""),
        phone=rec.get("phone", ""),
        location=rec.get("location", ""),
        website=rec.get("website", ""),
        profiles=tuple(
            Profile(p.get("network", ""), p.get("username", ""), p.get("url", ""))
            for p in rec.get("profiles", ())
        ),
        students=rec.get("students", ()),
        student_mark=rec.get("student_mark", ""),
    )


def _entry(rec: Record, ctx: Ctx) -> Entry:
    start: PartialDate | None = rec.get("start")
    end: PartialDate | None = rec.get("end")
    date: PartialDate | None = rec.get("date")
    if date is not None and (start is not None or end is not None):
        ctx.error(
            rec.key_loc("date"),
            "an entry has 'date' and also 'start'/'end'",
            "use 'date' for one date, or 'start' and 'end' for a range",
        )
    if end is not None and start is None and "start" not in rec.node:
        ctx.error(
            rec.key_loc("end"),
            "'end' without 'start'",
            "add 'start', or use 'date' for a single date",
        )
    if start is not None and end is not None and _ends_before(start, end):
        ctx.error(rec.loc("end"), "the entry ends before it starts", "check 'start' and 'end'")
    return Entry(
        title=rec.get("title", ""),
        organization=rec.get("organization", ""),
        location=rec.get("location", ""),
        start=start,
        end=end,
        date=date,
        date_text=rec.get("date_text", ""),
        url=rec.get("url", ""),
        summary=rec.get("summary", ""),
        highlights=rec.get("highlights", ()),
        tags=rec.get("tags", ()),
        optional=rec.get("optional", False),
        where=rec.node.loc,
    )


def _ends_before(start: PartialDate, end: PartialDate) -> bool:
    if end.present or start.present:
        return False
    # Compare only at the precision both dates share: 2015-09 is not before 2015.
    a = [start.year, start.month, start.day]
    b = [end.year, end.month, end.day]
    for x, y in zip(a, b, strict=True):
        if x is None or y is None:
            return False
        if x != y:
            return y < x
    return False


def _item(value: str | Record) -> Item:
    if isinstance(value, str):
        return Item(text=value)
    return Item(
        text=value.get("text", ""),
        label=value.get("label", ""),
        tags=value.get("tags", ()),
        optional=value.get("optional", False),
    )


def _check_years(rec: Record, ctx: Ctx) -> None:
    since, until = rec.get("since"), rec.get("until")
    if since is not None and until is not None and since > until:
        ctx.error(rec.loc("until"), f"'until' ({until}) is before 'since' ({since})", "swap them")


def _publications(rec: Record, ctx: Ctx) -> PublicationQuery:
    _check_years(rec, ctx)
    numbered = rec.get("numbered", False)
    return PublicationQuery(
        bib=rec.get("bib", ()),
        group_by=rec.get("group_by", "year"),
        order=rec.get("order", "newest"),
        author_limit=rec.get("author_limit", 0),
        selected_only=rec.get("selected_only", False),
        types=rec.get("types", ()),
        since=rec.get("since"),
        until=rec.get("until"),
        limit=rec.get("limit", 0),
        include_keys=rec.get("include_keys", ()),
        exclude_keys=rec.get("exclude_keys", ()),
        numbered=numbered is not False,
        highlight_owner=rec.get("highlight_owner", True),
        style=rec.get("style", "default"),
        number_order="ascending" if numbered == "ascending" else "reverse",
        numbering=rec.get("numbering", "continuous"),
        prefix=tuple(rec.get("prefix").values.items()) if rec.get("prefix") else (),
        notes=rec.get("notes", ()),
        first_author_only=rec.get("first_author_only", False),
        corresponding_only=rec.get("corresponding_only", False),
        keywords=rec.get("keywords", ()),
        metrics=_metrics(rec),
    )


def _metrics(rec: Record) -> MetricsDisplay | None:
    sub: Record | None = rec.get("metrics")
    if sub is None:
        return None
    return MetricsDisplay(
        per_paper=sub.get("per_paper", False),
        summary=sub.get("summary", False),
        source=sub.get("source", "openalex"),
        where=rec.loc("metrics"),
    )


def _section(rec: Record, ctx: Ctx) -> Section:
    kind = next((k for k in SECTION_KINDS if k in rec.node), "text")
    entries = tuple(_entry(e, ctx) for e in rec.get("entries", ()))
    pubs = rec.get("publications")
    section = Section(
        title=rec.get("title", ""),
        kind=kind,
        entries=entries,
        publications=_publications(pubs, ctx) if pubs is not None else None,
        items=tuple(_item(i) for i in rec.get("items", ())),
        text=rec.get("text", ""),
        tags=rec.get("tags", ()),
        where=rec.node.loc,
        cites=_citations(rec.get("text", ""), rec.loc("text")) if kind == "text" else (),
    )
    if section.cites and ctx.source:
        from cvbuild.config.citations import locate

        section = locate(section, ctx.source)
    return section


def _citations(text: str, where: Location) -> tuple[Citation, ...]:
    """The citations of a text value (every language's), each at the text's line; the
    reader moves them to their own line (:func:`cvbuild.config.citations.locate`)."""
    from cvbuild.config.inline import find_citations

    texts = [t for _, t in getattr(text, "texts", ())] or [text]
    return tuple(
        Citation(keys, written, where) for t in texts for _, written, keys in find_citations(t)
    )


def _key_where(rec: Record) -> dict[str, Location]:
    """Where each key the record sets has its value."""
    return {key: rec.loc(key) for key in rec.values}


def _variant(
    name: str, where: Location, rec: Record | None, titles: dict[str, Section], ctx: Ctx
) -> Variant:
    if rec is None:
        return Variant(name=name, where=where)
    _check_years(rec, ctx)
    names = rec.get("sections")
    if names is not None:
        node = rec.node.get("sections")
        items = getattr(node, "items", [])
        seen: set[str] = set()
        for i, title in enumerate(names):
            loc = items[i].loc if i < len(items) else rec.loc("sections")
            if title in seen:
                ctx.error(loc, f"variant '{name}' lists section '{title}' twice", "list it once")
            seen.add(title)
            if title not in titles:
                guess = suggest(title, list(titles))
                hint = (
                    f"did you mean '{guess}'?"
                    if guess
                    else "sections: " + ", ".join(f"'{t}'" for t in titles)
                )
                ctx.error(loc, f"variant '{name}' names no section titled '{title}'", hint)
    formats = rec.get("formats")
    return Variant(
        name=name,
        sections=names,
        tags=rec.get("tags"),
        selected_only=rec.get("selected_only"),
        since=rec.get("since"),
        until=rec.get("until"),
        types=rec.get("types"),
        include_keys=rec.get("include_keys", ()),
        exclude_keys=rec.get("exclude_keys", ()),
        limit=rec.get("limit"),
        author_limit=rec.get("author_limit"),
        style=rec.get("style"),
        first_author_only=rec.get("first_author_only"),
        corresponding_only=rec.get("corresponding_only"),
        keywords=rec.get("keywords"),
        theme=rec.get("theme"),
        formats=tuple(dict.fromkeys(formats)) if formats is not None else None,
        paper=rec.get("paper"),
        filename=rec.get("filename"),
        max_pages=rec.get("max_pages"),
        metrics=_metrics(rec),
        locale=rec.get("locale"),
        preset=rec.get("preset"),
        outputs=_output_keys(rec.get("outputs")),
        output_tags=tuple(getattr(rec.get("outputs"), "get", lambda *_: ())("tags", ())),
        where=where,
        key_where=_key_where(rec),
    )


def _output_keys(value: Any) -> tuple[str, ...]:
    """The keys of ``outputs: [a, b]`` or of ``outputs: {keys: [a, b], tags: [...]}``."""
    if isinstance(value, Record):
        return tuple(value.get("keys", ()))
    return tuple(value or ())


def _output(rec: Record | None, where: Location, ctx: Ctx) -> Output:
    if rec is None:
        return Output(dir=Path(os.path.abspath(ctx.base / "output")), where=where)
    templates: Path | None = rec.get("templates")
    if templates is not None and not templates.is_dir():
        ctx.error(
            rec.loc("templates"),
            f"template folder not found: {templates}",
            "paths are relative to cv.yaml's folder",
        )
    formats = rec.get("formats")
    return Output(
        dir=rec.get("dir") or Path(os.path.abspath(ctx.base / "output")),
        formats=tuple(dict.fromkeys(formats)) if formats else Output.formats,
        theme=rec.get("theme", "academic"),
        engine=rec.get("engine", "xelatex"),
        paper=rec.get("paper", "a4"),
        font=rec.get("font", ""),
        date=rec.get("date", ""),
        templates=templates,
        filename=rec.get("filename", ""),
        locale=rec.get("locale", "en"),
        labels=rec.get("labels", ()),
        where=rec.node.loc,
        key_where=_key_where(rec),
    )


def _refresh(rec: Record | None) -> RefreshConfig | None:
    if rec is None or "into" not in rec.values:
        return None
    defaults = RefreshConfig(into=Path())
    return RefreshConfig(
        into=rec.get("into"),
        sources=tuple(
            RefreshSource(kind, value, options)
            for kind, value, options, _ in rec.get("sources", ())
        ),
        mailto=rec.get("mailto", ""),
        max_response_mb=rec.get("max_response_mb", defaults.max_response_mb),
        timeout=rec.get("timeout", defaults.timeout),
    )


def _check_into(
    sections: list[tuple[Section, Record]], rec: Record | None, path: Path, ctx: Ctx
) -> None:
    """``refresh.into`` must be a file only refresh writes (see ``cvbuild.config.managed``)."""
    if rec is None or "into" not in rec.values:
        return
    from cvbuild.config.managed import into_problems

    node = rec.node.get("into")
    raw = str(node.value).strip() if isinstance(node, YScalar) else None
    curated = [
        (bib, section.title)
        for section, _ in sections
        if section.publications is not None
        for bib in section.publications.bib
    ]
    for message, hint in into_problems(rec.get("into"), path, curated, raw):
        ctx.error(rec.loc("into"), message, hint)


def _check_bib_files(
    sections: list[tuple[Section, Record]], refresh: RefreshConfig | None, ctx: Ctx
) -> None:
    managed = refresh.into if refresh else None
    for section, rec in sections:
        if section.publications is None:
            continue
        pub_rec: Record = rec.get("publications")
        node = pub_rec.node.get("bib")
        nodes = getattr(node, "items", None) or [node]
        for i, path in enumerate(section.publications.bib):
            loc = nodes[i].loc if i < len(nodes) and nodes[i] is not None else pub_rec.node.loc
            if path == managed:
                continue  # written by 'cvbuild refresh'; may not exist yet
            _check_bib_place(path, loc, ctx)
            refused = input_problem(path, MAX_BIB_BYTES, "bib file")
            if refused is not None and not path.is_dir():
                ctx.error(loc, *refused)
            elif path.is_dir():
                ctx.error(loc, f"'bib' names a folder, not a file: {path}", "name the .bib file")
            elif not path.is_file():
                ctx.error(loc, f"bib file not found: {path}", _missing_bib_hint(path, ctx.base))


def _missing_bib_hint(path: Path, base: Path) -> str:
    """What to say of a .bib that is not there: the file beside it that was probably meant
    (``publication.bib`` when ``publications.bib`` exists), else where paths start from."""
    import difflib

    where = "paths are relative to the folder of cv.yaml"
    try:
        with os.scandir(path.parent) as listing:
            names = [e.name for e in itertools.islice(listing, 2000) if e.is_file()]
    except OSError:
        return where
    bibs = [n for n in names if n.lower().endswith(".bib")]
    close = difflib.get_close_matches(path.name, bibs, n=1, cutoff=0.6)
    if not close and len(bibs) == 1 and path.suffix.lower() == ".bib":
        close = bibs  # the only .bib there
    if not close:
        return where
    meant = path.parent / close[0]
    try:
        shown = Path(os.path.relpath(meant, base)).as_posix()
    except ValueError:  # another drive
        shown = str(meant)
    if shown.startswith("../"):
        shown = str(meant)
    return f"did you mean '{shown}'?"


def _check_bib_place(path: Path, loc: Location, ctx: Ctx) -> None:
    """A .bib outside the config's folder (``/etc/passwd``, ``../../x.bib``, or a link leading
    out) is read, with a warning: ``--strict`` turns it into an error."""
    base = os.path.realpath(ctx.base)
    real = os.path.realpath(path)
    if os.path.commonpath([base, real]) != base:
        ctx.problems.append(
            warning(
                loc,
                f"the bib file {path} is outside the folder of the config ({ctx.base})",
                "move it beside cv.yaml (or into a folder below it); --strict refuses it",
            )
        )


def cv_from_tree(root: Any, path: Path, ctx: Ctx) -> CV | None:
    """Check the whole tree and build the model; problems go to ``ctx``."""
    if not isinstance(root, YMap):
        loc = getattr(root, "loc", Location(str(path), 1, 1))
        ctx.error(
            loc,
            "cv.yaml must be a mapping with the keys person and sections",
            "start the file with 'person:' and 'sections:' (see 'cvbuild init')",
        )
        return None
    top = check_table(root, TOP, ctx)
    person_rec: Record | None = top.get("person")
    person = _person(person_rec) if person_rec is not None else Person(name="")

    sections: list[tuple[Section, Record]] = []
    titles: dict[str, Section] = {}
    for rec in top.get("sections", ()):
        section = _section(rec, ctx)
        sections.append((section, rec))
        if section.title in titles and section.title:
            first = titles[section.title].where
            ctx.error(
                rec.loc("title"),
                f"two sections are titled '{section.title}' (first at line {first.line})",
                "give each section its own title: variants name sections by title",
            )
        elif section.title:
            titles[section.title] = section

    variants = tuple(_variant(n, w, r, titles, ctx) for n, w, r in top.get("variants", ()))
    in_file = Location(root.loc.file)  # for what the file leaves to defaults
    if not variants:
        variants = (Variant(name="cv", where=in_file),)
    output = _output(top.get("output"), in_file, ctx)
    refresh = _refresh(top.get("refresh"))
    _check_into(sections, top.get("refresh"), path, ctx)
    _check_bib_files(sections, refresh, ctx)
    _check_languages(output, variants, ctx)
    if any(v.preset for v in variants):
        from cvbuild.config.presets.apply import apply_preset

        plain = tuple(s for s, _ in sections)
        variants = tuple(apply_preset(v, person, plain, output, path, ctx) for v in variants)
    return CV(
        person=person,
        sections=tuple(s for s, _ in sections),
        variants=variants,
        output=output,
        refresh=refresh,
        path=path,
    )


_CJK = ("zh-CN", "zh-TW", "ja", "ko")


def _check_languages(output: Output, variants: tuple[Variant, ...], ctx: Ctx) -> None:
    """pdflatex cannot set Chinese, Japanese or Korean: say so where the locale is set."""
    if output.engine != "pdflatex":
        return
    places = [(output.locale, output.where_of("locale"))]
    places += [(v.locale, v.where_of("locale")) for v in variants if v.locale]
    for locale, where in places:
        if locale in _CJK:
            ctx.error(
                where,
                f"locale {locale} needs xelatex or lualatex: pdflatex cannot set its script",
                f"write 'engine: xelatex' under output: (at line {output.where_of('engine').line})",
            )


def load_config_text(text: str, path: Path, display: str | None = None) -> CV:
    """Validate cv.yaml text as if read from ``path`` (relative paths resolve beside it)."""
    abs_path = Path(os.path.abspath(path))
    name = display if display is not None else str(path)
    root, problems = parse_yaml(text, name)
    ctx = Ctx(base=abs_path.parent, problems=list(problems))
    if root is None:
        raise InputError(
            [
                error(
                    Location(name, 1, 1),
                    "the file is empty",
                    "write 'person:' and 'sections:' (see 'cvbuild init')",
                )
            ]
        )
    ctx.source = text
    try:
        cv = cv_from_tree(root, abs_path, ctx)
    except RecursionError:
        ctx.error(Location(name), "the YAML is nested too deeply", "flatten the structure")
        cv = None
    errors = [p for p in ctx.problems if not p.is_warning]
    if errors or cv is None:
        raise InputError(_sorted(ctx.problems))
    warnings = tuple(_sorted([p for p in ctx.problems if p.is_warning]))
    return dataclasses.replace(cv, warnings=warnings) if warnings else cv


def _sorted(problems: list[Any]) -> list[Any]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.location.line, p.location.col))


# Inputs larger than these are refused before they are read (see README, "Limits").
MAX_CONFIG_BYTES = 10 * 1024 * 1024
MAX_BIB_BYTES = 50 * 1024 * 1024


def input_problem(path: Path, limit: int, what: str) -> tuple[str, str] | None:
    """Why ``path`` cannot be read as an input (message, hint), judged without reading it:
    not a regular file (a device, a pipe, a socket), or larger than ``limit`` bytes.
    ``None`` when it may be read (or does not exist: the reader says so)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if stat.S_ISDIR(info.st_mode):
        return f"the {what} is a folder, not a file: {path}", f"name the {what} itself"
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "a pipe"
            if stat.S_ISFIFO(info.st_mode)
            else "a socket"
            if stat.S_ISSOCK(info.st_mode)
            else "a device"
        )
        return (
            f"the {what} is {kind}, not a regular file: {path}",
            f"give the path of an ordinary {what}",
        )
    if info.st_size > limit:
        return (
            f"the {what} is {info.st_size / 1e6:.1f} MB, over the limit of "
            f"{limit // (1024 * 1024)} MB: {path}",
            "split it, or check that this is the right file",
        )
    return None


def load_config(path: Path) -> CV:
    """Read, check and build cv.yaml. Raises InputError listing every problem, located."""
    path = config_file(path)
    refused = input_problem(path, MAX_CONFIG_BYTES, "config file")
    if refused is not None:
        raise InputError([error(Location(str(path)), *refused)])
    return load_config_text(read_text(path, str(path)), path, str(path))


__all__ = ["INVALID", "TOP", "load_config", "load_config_text"]
