"""Crossref: works by ORCID (``/works?filter=orcid:…``), BibTeX per DOI by content negotiation.

A DOI whose BibTeX cannot be had is built from the JSON item instead (and said so).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from cvbuild.bib.model import Publication
from cvbuild.refresh.bibread import looks_like_bibtex, parse_bibtex
from cvbuild.refresh.http import DeadlineError, FetchError, HttpClient
from cvbuild.refresh.sources.base import (
    FetchResult,
    SourceError,
    SpecSource,
    finish,
    from_metadata,
    make_key,
    path_quote,
)

DEFAULT_API = "https://api.crossref.org"
DEFAULT_DOI = "https://doi.org"
ROWS = 1000
MAX_PAGES = 20
TYPES = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "posted-content": "misc",
    "book-chapter": "incollection",
    "book": "book",
    "dissertation": "phdthesis",
    "report": "techreport",
}


def _first(values: Any) -> str:
    if isinstance(values, list) and values:
        return str(values[0])
    return str(values) if isinstance(values, str) else ""


def _date(item: dict[str, Any]) -> tuple[int | None, int | None]:
    for name in ("published-print", "published-online", "issued", "published"):
        parts = (item.get(name) or {}).get("date-parts") or [[]]
        if parts and parts[0] and parts[0][0]:
            first = parts[0]
            return int(first[0]), (int(first[1]) if len(first) > 1 and first[1] else None)
    return None, None


@dataclass
class CrossrefSource(SpecSource):
    kind: str = "crossref"

    def orcid(self) -> str:
        orcid = self.spec.options.get("orcid") or self.spec.value
        if not orcid:
            raise SourceError("crossref needs {orcid: 0000-…}")
        return orcid.strip()

    def fetch(self, client: HttpClient) -> FetchResult:
        items = self._list(client)
        pubs: list[Publication] = []
        messages: list[str] = []
        for item in items:
            doi = str(item.get("DOI", "")).strip()
            if not doi:
                continue
            pub = self._bibtex(client, doi, messages)
            if pub is None:
                pub = self._from_item(item)
            pubs.append(pub)
        return FetchResult(pubs, messages)

    def _list(self, client: HttpClient) -> list[dict[str, Any]]:
        base = self.spec.base_url(DEFAULT_API)
        cursor = "*"
        items: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            query = {"filter": f"orcid:{self.orcid()}", "rows": str(ROWS), "cursor": cursor}
            if client.mailto:
                query["mailto"] = client.mailto
            client.pace("crossref", self.spec.pace_seconds)
            response = client.get(
                f"{base}/works?{urlencode(query)}", accept="application/json", expect="json"
            )
            try:
                message = json.loads(response.text)["message"]
                page = list(message["items"])
            except (ValueError, KeyError, TypeError) as exc:
                raise SourceError(f"unreadable Crossref JSON ({exc.__class__.__name__})") from None
            items.extend(page)
            total = int(message.get("total-results") or 0)
            cursor = message.get("next-cursor") or ""
            if not page or not cursor or len(items) >= total:
                break
        return items

    def _bibtex(self, client: HttpClient, doi: str, messages: list[str]) -> Publication | None:
        url = f"{self.spec.base_url(DEFAULT_DOI, 'doi_base_url')}/{path_quote(doi)}"
        try:
            client.pace("crossref", self.spec.pace_seconds)
            response = client.get(url, accept="application/x-bibtex", expect="bibtex")
        except DeadlineError:
            raise  # the whole source is out of time
        except FetchError as exc:
            messages.append(f"{doi}: no BibTeX ({exc}); built from Crossref metadata")
            return None
        pubs, _ = (
            parse_bibtex(response.text, f"crossref {doi}")
            if looks_like_bibtex(response.text)
            else ([], [])
        )
        if len(pubs) != 1:
            messages.append(f"{doi}: the BibTeX answer was unusable; built from Crossref metadata")
            return None
        return finish(pubs[0], self.kind)

    def _from_item(self, item: dict[str, Any]) -> Publication:
        authors = [
            " ".join(p for p in (a.get("given", ""), a.get("family", "")) if p) or a.get("name", "")
            for a in item.get("author") or []
        ]
        year, month = _date(item)
        title = _first(item.get("title"))
        family = ((item.get("author") or [{}])[0]).get("family", "")
        extra = {
            k: str(item[src])
            for k, src in (("volume", "volume"), ("number", "issue"), ("pages", "page"))
            if item.get(src)
        }
        if item.get("publisher"):
            extra["publisher"] = str(item["publisher"])
        return from_metadata(
            key=make_key(family, year, title),
            kind=self.kind,
            title=title,
            authors=authors,
            year=year,
            month=month,
            entry_type=TYPES.get(str(item.get("type", "")), "misc"),
            venue=_first(item.get("container-title")),
            doi=str(item.get("DOI", "")),
            url=str(item.get("URL", "")),
            extra=extra,
        )
