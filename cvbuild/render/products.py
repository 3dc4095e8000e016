"""The chosen products of a document, one record each, for the reference-manager backends
(:mod:`cvbuild.render.ris`, :mod:`cvbuild.render.medline`, :mod:`cvbuild.render.bibtex`).

A record is read from the format stage's ``PubItem`` (title, year, DOI as the CV shows
them) and, for the parts a reference needs apart — each author's name, the journal or book
title, volume, issue, pages, PMID, PMCID — from the entry's own fields (the
``Publication`` of the same key). Every text goes through :func:`one_line`: NFC, no
invisible or control character (:mod:`cvbuild.render.invisible`), no line break, single
spaces. A tagged format writes one value per line, so nothing from an input can start a
line of its own (a title holding ``"\\nER  -"`` stays inside its title).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from cvbuild.bib.ids import normalize_doi, pmcid_key, pmid_key, publication_arxiv
from cvbuild.bib.model import Name, Publication
from cvbuild.document import Document, PubItem
from cvbuild.format.publication import drop_tags, page_span
from cvbuild.render.invisible import drop_soft_hyphens, visible_text

__all__ = ["Product", "Person", "one_line", "products"]

MAX_FIELD = 4000  # characters kept of any one value (an abstract pasted as a title, ...)


def one_line(value: str) -> str:
    """``value`` as one clean line: NFC, invisible characters and soft hyphens removed,
    every run of whitespace (line breaks included) one space, HTML tags dropped."""
    if not value:
        return ""
    value = drop_tags(drop_soft_hyphens(visible_text(unicodedata.normalize("NFC", value))))
    return " ".join(value.split())[:MAX_FIELD].strip()


@dataclass(frozen=True)
class Person:
    """One author or editor as a reference manager wants it."""

    family: str  # with its particles: "van der Berg"; a collective name when corporate
    given: str = ""
    suffix: str = ""  # "Jr"
    corporate: bool = False

    @property
    def initials(self) -> str:
        """MEDLINE style: "María José" → "MJ", "Jean-Paul" → "JP"."""
        parts = [p for p in re.split(r"[\s\-]+", self.given.replace(".", " ")) if p]
        return "".join(p[0].upper() for p in parts if p[0].isalpha() or p[0].isdigit())


@dataclass(frozen=True)
class Product:
    key: str
    entry_type: str  # the BibTeX entry type, lower case ("article")
    kind: str  # journal | conference | preprint | book | chapter | thesis | report | data | software | patent | other
    title: str
    authors: tuple[Person, ...]
    editors: tuple[Person, ...] = ()
    et_al: bool = False  # the entry's author list ends in "and others"
    journal: str = ""  # a journal's title
    journal_abbrev: str = ""
    container: str = ""  # the book or proceedings it is in
    year: int | None = None
    year_text: str = ""  # "2024", or the entry's word for it ("in press")
    month: int | None = None
    volume: str = ""
    issue: str = ""
    first_page: str = ""
    last_page: str = ""
    publisher: str = ""  # publisher, school or institution
    place: str = ""
    issn: str = ""
    isbn: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    arxiv: str = ""
    url: str = ""

    @property
    def pages(self) -> str:
        if self.first_page and self.last_page:
            return f"{self.first_page}-{self.last_page}"
        return self.first_page


def _person(name: Name) -> Person:
    if name.corporate:
        return Person(one_line(name.family), corporate=True)
    family = one_line(" ".join(p for p in (name.von, name.family) if p))
    return Person(family, one_line(name.given), one_line(name.jr))


def _kind(pub: Publication) -> str:
    t = pub.entry_type
    if pub.category == "preprint" or t in ("unpublished", "preprint"):
        return "preprint"
    if pub.category == "patent" or t == "patent":
        return "patent"
    if t in ("dataset", "data"):
        return "data"
    if t == "software":
        return "software"
    if t in ("phdthesis", "mastersthesis", "thesis"):
        return "thesis"
    if t == "techreport" or t == "report":
        return "report"
    if t in ("incollection", "inbook"):
        return "chapter"
    if t in ("book", "proceedings"):
        return "book"
    if pub.category in ("conference", "workshop") or t in ("inproceedings", "conference"):
        return "conference"
    if pub.category == "journal" or t == "article":
        return "journal"
    return "other"


def product(item: PubItem, pub: Publication | None) -> Product:
    """One record from the CV's reference and, when known, its entry's fields."""
    if pub is None:  # nothing but what the CV shows
        return Product(
            key=item.key,
            entry_type="misc",
            kind="other",
            title=one_line(item.title),
            authors=(),
            container=one_line(item.venue),
            year=item.year,
            year_text=str(item.year) if item.year is not None else "",
            month=item.month,
            doi=one_line(item.doi),
            url=one_line(item.url),
        )
    pages = one_line(pub.get("pages"))
    first, last = page_span(pages) or (pages, "")
    journal = one_line(pub.get("journal") or pub.get("journaltitle"))
    kind = _kind(pub)
    year_text = str(pub.year) if pub.year is not None else one_line(pub.year_label or "")
    return Product(
        key=one_line(pub.key),
        entry_type=pub.entry_type,
        kind=kind,
        title=one_line(item.title or pub.title),
        authors=tuple(_person(n) for n in pub.authors if not n.elision),
        editors=tuple(_person(n) for n in pub.editors if not n.elision),
        et_al=pub.et_al,
        journal=journal,
        journal_abbrev=one_line(
            pub.get("journal_abbrev") or pub.get("shortjournal") or pub.get("journalabbrev")
        ),
        container=one_line(pub.get("booktitle")),
        year=pub.year,
        year_text=year_text,
        month=pub.month,
        volume=one_line(pub.get("volume")),
        issue=one_line(pub.get("number") or pub.get("issue")) if kind != "report" else "",
        first_page=first,
        last_page=last,
        publisher=one_line(
            pub.get("publisher")
            or pub.get("school")
            or pub.get("institution")
            or pub.get("organization")
        ),  # fmt: skip
        place=one_line(pub.get("address") or pub.get("location")),
        issn=one_line(pub.get("issn")),
        isbn=one_line(pub.get("isbn")),
        doi=one_line(item.doi or normalize_doi(pub.get("doi"))),
        pmid=pmid_key(one_line(pub.get("pmid"))),
        pmcid=pmcid_key(one_line(pub.get("pmcid"))),
        arxiv=one_line(publication_arxiv(pub)),
        url=one_line(item.url),
    )


def products(doc: Document, publications: Iterable[Publication] = ()) -> list[Product]:
    """Every reference of the document's publications sections, in the order shown;
    ``publications`` (the variant's selected entries) give each its fields by key."""
    by_key = {p.key: p for p in publications}
    return [
        product(item, by_key.get(item.key))
        for section in doc.sections
        if section.kind == "publications"
        for group in section.groups
        for item in group.items
    ]
