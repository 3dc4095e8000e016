"""schema.org data for the HTML page: the owner as a ``Person``, each paper a ``ScholarlyArticle``.

Returns plain dicts; :func:`cvbuild.render.html.script_json` serialises them so that
they are safe inside ``<script type="application/ld+json">``. DOI and arXiv identifiers
come from :mod:`cvbuild.bib.ids`, the one rule for reading them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cvbuild.bib.ids import arxiv_url, doi_url, normalize_doi, publication_arxiv
from cvbuild.document import Document, PubItem
from cvbuild.format.urls import safe_url
from cvbuild.richtext import plain

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication

CONTEXT = "https://schema.org"
PERSON_ID = "#person"
_NOT_PROFILES = ("email", "phone", "location")


def _clean(value: str) -> str:
    """Field text as the page shows it: braces and HTML tags dropped, spaces collapsed."""
    value = re.sub(r"<[^>]*>", " ", re.sub(r"[{}]", "", value))
    return " ".join(value.split())


def _http(url: str) -> str:
    """A web address for ``url``/``sameAs``: the one URL rule (:func:`safe_url`), and of
    the schemes it allows only ``http``/``https`` (a ``mailto:`` is no web page)."""
    checked = safe_url(url)
    return checked if checked.lower().startswith(("http://", "https://")) else ""


def person(doc: Document) -> dict[str, Any]:
    """The CV's owner, with every web profile (ORCID, GitHub, website, …) as ``sameAs``."""
    record: dict[str, Any] = {"@type": "Person", "@id": PERSON_ID, "name": doc.header.name}
    headline = plain(doc.header.headline).strip()
    if headline:
        record["description"] = headline
    same_as: list[str] = []
    for contact in doc.header.contacts:
        if contact.kind == "email" and contact.url.lower().startswith("mailto:"):
            record["email"] = contact.url
        elif contact.kind == "phone" and contact.text.strip():
            record["telephone"] = contact.text.strip()
        elif contact.kind == "location" and contact.text.strip():
            record["address"] = contact.text.strip()
        elif contact.kind not in _NOT_PROFILES:
            url = _http(contact.url)
            if not url:
                continue
            if contact.kind == "website" and "url" not in record:
                record["url"] = url
            if url not in same_as:
                same_as.append(url)
    if same_as:
        record["sameAs"] = same_as
    return record


def _date(pub: Publication) -> str:
    if pub.year is None or not 0 < pub.year < 10000:
        return ""
    if pub.month and 1 <= pub.month <= 12:
        return f"{pub.year:04d}-{pub.month:02d}"
    return f"{pub.year:04d}"


def article(item: PubItem, pub: Publication | None) -> dict[str, Any]:
    """One paper. ``pub`` (its BibTeX entry) adds authors, date, venue and identifiers."""
    reference = re.sub(r"\s+", " ", plain(item.text)).strip()
    record: dict[str, Any] = {"@type": "ScholarlyArticle"}
    same_as: list[str] = []
    identifiers: list[dict[str, str]] = []
    if pub is None:
        record["name"] = reference
    else:
        record["name"] = _clean(pub.title) or reference
        authors = [{"@type": "Person", "name": a.display} for a in pub.authors if a.display]
        if authors:
            record["author"] = authors
        date = _date(pub)
        if date:
            record["datePublished"] = date
        journal = _clean(pub.get("journal"))
        booktitle = _clean(pub.get("booktitle"))
        if journal:
            record["isPartOf"] = {"@type": "Periodical", "name": journal}
        elif booktitle:
            record["isPartOf"] = {"@type": "Book", "name": booktitle}
        publisher = _clean(pub.get("publisher") or pub.get("organization"))
        if publisher:
            record["publisher"] = {"@type": "Organization", "name": publisher}
        doi = normalize_doi(pub.get("doi"))
        if doi:
            identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": doi})
            same_as.append(doi_url(doi))
        arxiv = publication_arxiv(pub)
        if arxiv:
            identifiers.append({"@type": "PropertyValue", "propertyID": "arXiv", "value": arxiv})
            same_as.append(arxiv_url(arxiv))
        url = _http(pub.get("url"))
        if url:
            record["url"] = url
    for _label, url in item.links:
        target = _http(url)
        if target and target not in same_as and target != record.get("url"):
            same_as.append(target)
    if identifiers:
        record["identifier"] = identifiers
    if same_as:
        record["sameAs"] = same_as
    return record


def document_graph(doc: Document, publications: Iterable[Publication] = ()) -> dict[str, Any]:
    """The page's JSON-LD: the owner, then every paper in the order the page shows them."""
    by_key = {p.key: p for p in publications}
    papers: list[dict[str, Any]] = []
    for section in doc.sections:
        for group in section.groups:
            papers.extend(article(item, by_key.get(item.key)) for item in group.items)
    owner = person(doc)
    graph: list[dict[str, Any]] = [owner, *papers]
    return {"@context": CONTEXT, "@graph": graph}
