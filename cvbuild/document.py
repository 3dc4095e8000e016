"""The format-neutral document that the formatting stage builds and every backend renders.

Templates place these things; they hold no publication logic. All text is
``RichText`` (see ``cvbuild.richtext``): backends escape at its leaves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cvbuild.errors import Problem
from cvbuild.richtext import RichText


@dataclass(frozen=True)
class Contact:
    kind: str  # email | phone | location | website | orcid | github | scholar | linkedin | ...
    text: str
    url: str = ""


@dataclass(frozen=True)
class Header:
    name: str
    headline: RichText = ()
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True)
class EntryBlock:
    title: RichText
    organization: RichText = ()
    location: str = ""
    dates: str = ""  # already formatted: "2015 – 2019", "Sep 2020 – present"
    summary: RichText = ()
    highlights: tuple[RichText, ...] = ()
    url: str = ""  # the entry's own link, when safe (format.urls)
    start: str = ""  # ISO 8601 ("2015", "2015-09"), for machine-readable outputs
    end: str = ""  # "" when open-ended (present) or not given
    date: str = ""  # a single date instead of start/end


@dataclass(frozen=True)
class ItemBlock:
    text: RichText
    label: str = ""


@dataclass(frozen=True)
class PubItem:
    key: str
    text: RichText  # the whole formatted reference, with owner in Strong and Marks
    number: int | str | None = None  # 3, or "J3" with a category prefix
    links: tuple[tuple[str, str], ...] = ()  # (label, url): DOI, arXiv, PDF, code, ...
    note: RichText = ()  # award, "Selected", additional info
    # The reference's parts as plain text, for outputs that keep them apart (JSON Resume,
    # JSON-LD): decided by the format stage like the reference itself.
    title: str = ""
    authors: str = ""  # as the reference shows them: "Léa Marchetti, B. Chen, and 3 more authors"
    venue: str = ""  # "Ecology Letters", "In ICCVG", "PhD thesis, ETH Zürich"
    year: int | None = None
    month: int | None = None
    doi: str = ""  # bare, case kept: "10.1111/ele.14402"
    url: str = ""  # the entry's own url field, when it is a safe link


@dataclass(frozen=True)
class PubGroup:
    label: str  # "2024", "Preprint", "Journal Articles"; "" when not grouped
    items: tuple[PubItem, ...]


@dataclass(frozen=True)
class SectionBlock:
    title: str
    kind: str  # entries | publications | items | text
    entries: tuple[EntryBlock, ...] = ()
    groups: tuple[PubGroup, ...] = ()
    items: tuple[ItemBlock, ...] = ()
    paragraphs: tuple[RichText, ...] = ()
    marks: tuple[str, ...] = ()  # mark kinds used in this section, in order of first use
    # a text section's cited works (``[@key]``), numbered as cited, shown after the text
    references: tuple[PubItem, ...] = ()


@dataclass(frozen=True)
class Meta:
    title: str
    author: str
    keywords: tuple[str, ...] = ()
    date: str = ""  # "last updated" as shown
    theme: str = "academic"
    paper: str = "a4"
    engine: str = "xelatex"
    font: str = ""
    variant: str = "cv"
    locale: str = "en"  # BCP 47: the language every backend declares (lang, /Lang, w:lang)
    # phrases the backends place themselves, in the document's language
    updated_label: str = "Last updated"  # before meta.date
    page_label: str = "Page {page} of {total}"  # the footer's page number
    # what a screen reader says for the HTML contact list, the notes and a note's back link
    aria_labels: tuple[str, str, str] = ("Contact", "Notes", "Back to the first mark")
    # what plain text writes before an e-mail address, a phone number, a place, a web site
    contact_labels: tuple[str, str, str, str] = ("Email", "Phone", "Location", "Website")
    # a preset's own templates: (latex | markdown | pandoc, template file name)
    templates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Document:
    header: Header
    sections: tuple[SectionBlock, ...]
    meta: Meta
    # mark kind -> legend text, for every kind used anywhere ("equal" -> "Equal contribution")
    legends: dict[str, str] = field(default_factory=dict)
    legend_symbols: dict[str, str] = field(default_factory=dict)  # kind -> "*" / "†"
    # what the user should hear about this variant (an emptied section, a name that looks
    # like the owner's); data for the pipeline's report, never rendered
    warnings: tuple[Problem, ...] = ()
