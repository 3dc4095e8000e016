"""The BibTeX backend: a document's products as a ``.bib`` file to import elsewhere.

Written from the same records as RIS and MEDLINE (:mod:`cvbuild.render.products`), with
the bibliographic fields only (no al-folio display fields, no notes that explain marks),
every value braced and encoded by :mod:`cvbuild.bib.encode`, so it reads back the same
through any BibTeX reader and cvbuild's own: specials escaped, no markup, no unbalanced
brace, one line per field. Names are written "von Last, Jr, First", a part braced when it
holds a comma or the word "and"; a collective author is braced whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from cvbuild.bib.encode import encode_text, encode_verbatim
from cvbuild.document import Document
from cvbuild.render.products import Person, Product, products

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication

__all__ = ["render_bibtex", "bibtex_entry"]

_KEY_BAD = re.compile(r"[^A-Za-z0-9_:.\-+/]")
_TYPE_BAD = re.compile(r"[^a-z]")
_NEEDS_BRACES = re.compile(r",|(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def _part(text: str) -> str:
    encoded = encode_text(text)
    return "{" + encoded + "}" if _NEEDS_BRACES.search(text) else encoded


def _name(person: Person) -> str:
    if person.corporate:
        return "{" + encode_text(person.family) + "}"
    parts = [_part(person.family)]
    if person.suffix:
        parts.append(_part(person.suffix))
    if person.given:
        parts.append(_part(person.given))
    return ", ".join(parts) if len(parts) > 1 else "{" + encode_text(person.family) + "}"


def _fields(product: Product) -> list[tuple[str, str]]:
    """(field, encoded value) in the usual order; empty ones are left out later."""
    t = product.entry_type
    names = [_name(p) for p in product.authors]
    if product.et_al and names:
        names.append("others")
    publisher_field = {
        "phdthesis": "school",
        "mastersthesis": "school",
        "thesis": "school",
        "techreport": "institution",
    }.get(t, "publisher")
    pages = (
        f"{product.first_page}--{product.last_page}" if product.last_page else product.first_page
    )
    return [
        ("author", " and ".join(names)),
        ("editor", " and ".join(_name(p) for p in product.editors)),
        ("title", encode_text(product.title)),
        ("journal", encode_text(product.journal)),
        ("booktitle", encode_text(product.container)),
        (publisher_field, encode_text(product.publisher)),
        ("address", encode_text(product.place)),
        ("volume", encode_text(product.volume)),
        ("number", encode_text(product.issue)),
        ("pages", encode_text(pages).replace("-{}-", "--")),
        ("year", encode_text(product.year_text)),
        ("month", str(product.month) if product.month and 1 <= product.month <= 12 else ""),
        ("doi", encode_verbatim(product.doi)),
        ("eprint", encode_verbatim(product.arxiv)),
        ("archiveprefix", "arXiv" if product.arxiv else ""),
        ("pmid", encode_verbatim(product.pmid)),
        ("pmcid", encode_verbatim(product.pmcid)),
        ("issn", encode_verbatim(product.issn)),
        ("isbn", encode_verbatim(product.isbn)),
        ("url", encode_verbatim(product.url)),
    ]


def bibtex_entry(product: Product) -> str:
    entry_type = _TYPE_BAD.sub("", product.entry_type.lower()) or "misc"
    key = _KEY_BAD.sub("_", product.key) or "entry"
    lines = [f"@{entry_type}{{{key},"]
    lines.extend(f"  {name} = {{{value}}}," for name, value in _fields(product) if value)
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_bibtex(doc: Document, publications: Iterable[Publication] = ()) -> str:
    """The document's products as one ``.bib`` file ("" when it has none)."""
    return "\n".join(bibtex_entry(p) for p in products(doc, publications))
