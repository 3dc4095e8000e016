"""The RIS backend: a document's products as RIS records, for NCBI MyBibliography and any
reference manager.

One record per product, in the order the CV shows them::

    TY  - JOUR
    ID  - marchetti2022scaling
    AU  - Marchetti, Léa
    TI  - Scaling laws of plant community assembly along elevation gradients
    T2  - The American Naturalist
    JO  - The American Naturalist
    PY  - 2022
    DA  - 2022/02//
    VL  - 199
    IS  - 2
    SP  - 210
    EP  - 224
    DO  - 10.1086/717632
    ER  -

A tag line is the two-letter tag, two spaces, a hyphen and a space, then the value; lines
end in CR LF, as the format's description asks; the file is UTF-8 without a byte-order
mark. PMID goes in ``AN`` (accession number), PMCID in ``C2``, as the common reference
managers write them. Every value is one line (:func:`cvbuild.render.products.one_line`),
so no input can end a record or add a tag.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cvbuild.bib.ids import doi_url
from cvbuild.document import Document
from cvbuild.render.products import Person, Product, one_line, products

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication

__all__ = ["render_ris", "ris_record", "TYPES"]

EOL = "\r\n"
TYPES = {
    "journal": "JOUR",
    "conference": "CPAPER",
    "preprint": "UNPB",
    "book": "BOOK",
    "chapter": "CHAP",
    "thesis": "THES",
    "report": "RPRT",
    "data": "DATA",
    "software": "COMP",
    "patent": "PAT",
    "other": "GEN",
}


def _name(person: Person) -> str:
    if person.corporate or not person.given:
        return person.family
    parts = [person.family, person.given]
    if person.suffix:
        parts.append(person.suffix)
    return ", ".join(parts)


def ris_record(product: Product) -> str:
    """One record, ending in ``ER  -`` and a blank line."""
    lines: list[str] = []

    def tag(name: str, value: str) -> None:
        value = one_line(value)
        if value:
            lines.append(f"{name}  - {value}")

    tag("TY", TYPES.get(product.kind, "GEN"))
    tag("ID", product.key)
    for person in product.authors:
        tag("AU", _name(person))
    for person in product.editors:
        tag("A2", _name(person))
    tag("TI", product.title)
    container = product.journal or product.container
    tag("T2", container)
    if product.journal:
        tag("JO", product.journal)
        tag("J2", product.journal_abbrev)
    tag("PY", product.year_text)
    if product.year is not None and 0 < product.year < 10000:
        month = f"{product.month:02d}" if product.month and 1 <= product.month <= 12 else ""
        tag("DA", f"{product.year:04d}/{month}//")
    tag("VL", product.volume)
    tag("IS", product.issue)
    tag("SP", product.first_page)
    tag("EP", product.last_page)
    tag("PB", product.publisher)
    tag("CY", product.place)
    tag("SN", product.issn or product.isbn)
    tag("DO", product.doi)
    tag("AN", product.pmid)
    tag("C2", product.pmcid)
    if product.arxiv:
        tag("N1", f"arXiv:{product.arxiv}")
    tag("UR", product.url or doi_url(product.doi))
    lines.append("ER  - ")
    return EOL.join(lines) + EOL + EOL


def render_ris(doc: Document, publications: Iterable[Publication] = ()) -> str:
    """The document's products as one RIS file ("" when it has none)."""
    return "".join(ris_record(p) for p in products(doc, publications))
