"""The MEDLINE backend: a document's products in the MEDLINE/PubMed tagged format (the
``.nbib`` files PubMed hands out and NCBI MyBibliography imports).

The format, as NLM describes its MEDLINE display: one element per line, a tag of up to
four letters padded to four, a hyphen and a space, then the value; a long value goes on
in lines that start with six spaces; a blank line ends a record. The elements written,
each when the product has it:

- ``PMID`` the PubMed id; ``PMC`` the PubMed Central id;
- ``TI`` the title; ``FAU`` each author's full name ("Marchetti, Léa") with ``AU`` its
  short form ("Marchetti L", family name and initials), ``CN`` a collective author;
- ``DP`` the date of publication ("2024 Apr"); ``VI`` volume; ``IP`` issue; ``PG``
  pagination ("210-224"); ``LID`` and ``AID`` the DOI, as "10.1111/ele.14402 [doi]";
- ``TA`` the journal's abbreviation (its full title when the entry gives none), ``JT``
  its full title, ``BTI`` a book's or proceedings' title, ``PB`` its publisher;
- ``PT`` the publication type (Journal Article, Preprint, Congress, Academic
  Dissertation, Technical Report, Dataset); ``SO`` the source line.

Names and titles keep their accents and scripts (the file is UTF-8). Every value is one
line of text before it is wrapped (:func:`cvbuild.render.products.one_line`): nothing from
an input can start a tag line or a blank line that ends the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cvbuild.document import Document
from cvbuild.render.products import Person, Product, one_line, products

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication

__all__ = ["render_medline", "medline_record", "PUBLICATION_TYPES", "WIDTH"]

WIDTH = 88  # PubMed's own line length
_WRAPPED = frozenset({"TI", "JT", "BTI", "SO", "TA", "PB"})  # joined back with one space
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PUBLICATION_TYPES = {
    "journal": "Journal Article",
    "preprint": "Preprint",
    "conference": "Congress",
    "thesis": "Academic Dissertation",
    "report": "Technical Report",
    "data": "Dataset",
}


def _lines(tag: str, value: str) -> list[str]:
    """``TAG - value``, wrapped at spaces to WIDTH with six-space continuation lines when
    the tag is one that readers join back with a space."""
    head = f"{tag:<4}- "
    if tag not in _WRAPPED or len(head) + len(value) <= WIDTH:
        return [head + value]
    out: list[str] = []
    line = head
    for word in value.split(" "):
        if len(line) + len(word) > WIDTH and line.strip() and not line.endswith("- "):
            out.append(line.rstrip(" "))
            line = " " * 6
        line += word + " "
    out.append(line.rstrip(" "))
    return out


def short_name(person: Person) -> str:
    """``AU``: "Marchetti L", "García MJ", "King ML Jr"."""
    parts = [person.family, person.initials, person.suffix]
    return " ".join(p for p in parts if p)


def full_name(person: Person) -> str:
    """``FAU``: "Marchetti, Léa", "King, Martin Luther, Jr"."""
    parts = [p for p in (person.family, person.given, person.suffix) if p]
    return ", ".join(parts)


def _date(product: Product) -> str:
    if product.year is None:
        return product.year_text
    if product.month and 1 <= product.month <= 12:
        return f"{product.year} {MONTHS[product.month - 1]}"
    return str(product.year)


def _source(product: Product, journal: str, date: str) -> str:
    """``SO``: "Ecol Lett. 2024 Apr;27(4):e14402. doi: 10.1111/ele.14402."."""
    where = journal or product.container
    text = f"{where}. " if where else ""
    text += date
    if product.volume:
        text += f";{product.volume}"
        if product.issue:
            text += f"({product.issue})"
    if product.pages:
        text += f":{product.pages}"
    text = text.strip() + "." if text.strip() else ""
    if product.doi:
        text += f" doi: {product.doi}."
    return text.strip()


def medline_record(product: Product) -> str:
    """One record, ending in a blank line."""
    lines: list[str] = []

    def tag(name: str, value: str) -> None:
        value = one_line(value)
        if value:
            lines.extend(_lines(name, value))

    date = _date(product)
    journal = product.journal
    tag("PMID", product.pmid)
    tag("VI", product.volume)
    tag("IP", product.issue)
    tag("DP", date)
    tag("TI", product.title)
    if product.kind in ("book", "chapter", "conference") and not journal:
        tag("BTI", product.container)
    tag("PG", product.pages)
    if product.doi:
        tag("LID", f"{product.doi} [doi]")
    for person in product.authors:
        if person.corporate:
            tag("CN", person.family)
        else:
            tag("FAU", full_name(person))
            tag("AU", short_name(person))
    tag("PT", PUBLICATION_TYPES.get(product.kind, ""))
    if journal:
        tag("TA", product.journal_abbrev or journal)
        tag("JT", journal)
    tag("PB", product.publisher if not journal else "")
    if product.doi:
        tag("AID", f"{product.doi} [doi]")
    if product.arxiv:
        tag("AID", f"arXiv:{product.arxiv} [arxiv]")
    tag("PMC", product.pmcid)
    tag("SO", _source(product, product.journal_abbrev or journal, date))
    return "\n".join(lines) + "\n\n"


def render_medline(doc: Document, publications: Iterable[Publication] = ()) -> str:
    """The document's products as one MEDLINE file ("" when it has none)."""
    return "".join(medline_record(p) for p in products(doc, publications))
