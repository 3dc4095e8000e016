"""The validated CV model that ``cvbuild.config.reader`` produces from cv.yaml.

Plain frozen-ish dataclasses: later stages read them and never mutate them.
Free-text fields keep the user's inline Markdown (``**bold**``, ``*italic*``,
``[text](url)``); ``cvbuild.config.inline`` turns it into rich text in the format stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cvbuild.errors import Location, Problem


class LocalText(str):
    """A text written in several languages (``title: {en: Professor, de: Professorin}``).

    As a ``str`` it is the text in the first language written, so every stage that does
    not care about languages reads it as before; ``cvbuild.i18n.texts.localize`` picks the
    build's language. ``where`` is the mapping in cv.yaml, ``key`` the field it sets."""

    texts: tuple[tuple[str, str], ...]
    where: Location
    key: str

    def __new__(cls, texts: tuple[tuple[str, str], ...], where: Location, key: str) -> LocalText:
        self = super().__new__(cls, texts[0][1] if texts else "")
        self.texts = texts
        self.where = where
        self.key = key
        return self

    def get(self, locale: str) -> str | None:
        return next((text for tag, text in self.texts if tag == locale), None)

    def __reduce__(self) -> tuple[object, ...]:  # pickled into worker processes
        return (LocalText, (self.texts, self.where, self.key))


@dataclass(frozen=True)
class PartialDate:
    """``2015``, ``2015-09``, ``2015-09-01`` or ``present``."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    present: bool = False

    def sort_key(self) -> tuple[int, int, int]:
        if self.present:
            return (9999, 12, 31)
        return (self.year or 0, self.month or 0, self.day or 0)


@dataclass(frozen=True)
class Profile:
    network: str
    username: str = ""
    url: str = ""


@dataclass(frozen=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
    display: str = "as_written"  # as_written | canonical: the owner in author lists
    headline: str = ""
    email: str = ""
    phone: str = ""
    location: str = ""
    website: str = ""
    profiles: tuple[Profile, ...] = ()
    students: tuple[str, ...] = ()  # students and mentees, marked in author lists
    student_mark: str = ""  # their mark's symbol; "" = "§"


@dataclass(frozen=True)
class Entry:
    """A dated item: a position, a degree, a grant, a talk."""

    title: str
    organization: str = ""
    location: str = ""
    start: PartialDate | None = None
    end: PartialDate | None = None
    date: PartialDate | None = None  # a single date instead of a range
    date_text: str = ""  # free text shown as the date ("Spring 2020")
    url: str = ""
    summary: str = ""
    highlights: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    optional: bool = False  # first to go when a variant must fit its pages
    where: Location = field(default_factory=lambda: Location(""), compare=False)  # in cv.yaml


@dataclass(frozen=True)
class Item:
    """One line of an ``items`` section, optionally with a bold label ("Languages: …")."""

    text: str
    label: str = ""
    tags: tuple[str, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class MetricsDisplay:
    """``metrics:`` in a publications section or a variant: citation counts, off by default."""

    per_paper: bool = False  # "cited 123 times" after each entry
    summary: bool = False  # total, h-index, i10-index, source and date, once per section
    source: str = "openalex"  # whose counts: a name of choices.METRICS_SOURCES
    where: Location = field(default_factory=lambda: Location(""), compare=False)

    @property
    def shown(self) -> bool:
        return self.per_paper or self.summary


@dataclass(frozen=True)
class PublicationQuery:
    """How a ``publications`` section picks, orders and shows papers."""

    bib: tuple[Path, ...]  # absolute paths
    group_by: str = "year"  # year | type | none
    order: str = "newest"  # newest | oldest
    author_limit: int = 0  # 0 = all
    selected_only: bool = False
    types: tuple[str, ...] = ()  # categories to keep; empty = all
    since: int | None = None
    until: int | None = None
    limit: int = 0  # 0 = all
    include_keys: tuple[str, ...] = ()
    exclude_keys: tuple[str, ...] = ()
    numbered: bool = False
    highlight_owner: bool = True
    style: str = "default"  # a name of cvbuild.format.styles.STYLES
    number_order: str = "reverse"  # reverse (newest gets the highest number) | ascending
    numbering: str = "continuous"  # continuous | per_group
    prefix: tuple[tuple[str, str], ...] = ()  # (category, label prefix): ("journal", "J")
    notes: tuple[tuple[str, str], ...] = ()  # (bibkey, note printed under the entry)
    first_author_only: bool = False
    corresponding_only: bool = False
    keywords: tuple[str, ...] = ()  # keep entries whose BibTeX keywords name one of these
    metrics: MetricsDisplay | None = None  # citation counts; None = not shown


@dataclass(frozen=True)
class Citation:
    """One ``[@key]`` or ``[@a; @b]`` in a text section, where it stands in cv.yaml."""

    keys: tuple[str, ...]
    written: str  # as the text has it: "[@a; @b]"
    where: Location = field(default_factory=lambda: Location(""), compare=False)


@dataclass(frozen=True)
class Section:
    title: str
    kind: str  # entries | publications | items | text
    entries: tuple[Entry, ...] = ()
    publications: PublicationQuery | None = None
    items: tuple[Item, ...] = ()
    text: str = ""
    tags: tuple[str, ...] = ()
    where: Location = field(default_factory=lambda: Location(""), compare=False)  # in cv.yaml
    # a text section's citations by key, in reading order (every language's text)
    cites: tuple[Citation, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Variant:
    """One CV built from the source. Anything unset is inherited from the top level."""

    name: str
    sections: tuple[str, ...] | None = None  # section titles, in order; None = all
    tags: tuple[str, ...] | None = None  # keep only entries/items with one of these tags
    selected_only: bool | None = None
    since: int | None = None
    until: int | None = None
    types: tuple[str, ...] | None = None
    include_keys: tuple[str, ...] = ()
    exclude_keys: tuple[str, ...] = ()
    limit: int | None = None
    author_limit: int | None = None
    style: str | None = None
    first_author_only: bool | None = None
    corresponding_only: bool | None = None
    keywords: tuple[str, ...] | None = None
    theme: str | None = None
    formats: tuple[str, ...] | None = None
    paper: str | None = None
    filename: str | None = None
    max_pages: int | None = None
    metrics: MetricsDisplay | None = None  # overrides every publications section's metrics
    locale: str | None = None  # a shipped BCP 47 tag; None = output.locale
    preset: str | None = None  # a shipped preset's name or a preset file (cvbuild.config.presets)
    outputs: tuple[str, ...] = ()  # chosen outputs by BibTeX key, shown in this order
    output_tags: tuple[str, ...] = ()  # and every entry whose keywords name one of these
    section_labels: tuple[tuple[str, str], ...] = ()  # (section title, heading shown)
    keep_all: bool = False  # the preset forbids dropping content to fit max_pages
    rules: Any = field(default=None, compare=False)  # the cvbuild.config.presets.Preset applied
    where: Location = field(default_factory=lambda: Location(""), compare=False)  # its name
    key_where: Mapping[str, Location] = field(default_factory=dict, compare=False)

    def where_of(self, key: str) -> Location:
        """Where cv.yaml sets ``key`` for this variant, else where the variant is named."""
        return self.key_where.get(key, self.where)


@dataclass(frozen=True)
class Output:
    dir: Path  # absolute
    formats: tuple[str, ...] = ("pdf", "docx", "md")
    theme: str = "academic"
    engine: str = "xelatex"  # xelatex | pdflatex | lualatex
    paper: str = "a4"  # a4 | letter
    font: str = ""  # main font for xelatex/lualatex; "" = the theme's default
    date: str = ""  # "last updated" text; "" = today (or SOURCE_DATE_EPOCH)
    templates: Path | None = None  # a user's template folder, searched first
    filename: str = ""  # pattern; "" = Family_Given_CV
    locale: str = "en"  # the default language (BCP 47, one of choices.LOCALES)
    labels: tuple[tuple[str, str], ...] = ()  # phrase key -> the user's wording
    where: Location = field(default_factory=lambda: Location(""), compare=False)  # 'output:'
    key_where: Mapping[str, Location] = field(default_factory=dict, compare=False)

    def where_of(self, key: str) -> Location:
        """Where cv.yaml sets ``key`` under ``output:``, else where ``output:`` is."""
        return self.key_where.get(key, self.where)


@dataclass(frozen=True)
class RefreshSource:
    kind: str  # dblp | orcid | arxiv | crossref | inspire
    value: str = ""  # pid, ORCID iD, query
    options: tuple[tuple[str, str], ...] = ()  # base_url, orcid, ...


@dataclass(frozen=True)
class RefreshConfig:
    into: Path
    sources: tuple[RefreshSource, ...] = ()
    mailto: str = ""
    max_response_mb: int = 20  # a larger answer fails its source
    timeout: int = 180  # seconds for everything one source does (requests, retries, waits)


@dataclass(frozen=True)
class CV:
    person: Person
    sections: tuple[Section, ...]
    variants: tuple[Variant, ...]  # never empty: one named "cv" when the config has none
    output: Output
    refresh: RefreshConfig | None = None
    path: Path = Path("cv.yaml")  # the config file, absolute
    warnings: tuple[Problem, ...] = ()  # located warnings found while loading

    def where_set(self, variant: Variant, key: str) -> Location:
        """Where the value ``variant`` uses for ``key`` (theme, paper, formats, ...) is
        written: the variant's own line, else the line under ``output:``."""
        if key in variant.key_where:
            return variant.key_where[key]
        return self.output.where_of(key)
