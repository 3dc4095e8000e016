"""Semantic Scholar Graph API: an author's papers with ``citationCount``, and the ``hIndex``.

``GET {base}/graph/v1/author/{id}?fields=name,hIndex,citationCount,paperCount``, then
``GET {base}/graph/v1/author/{id}/papers?fields=…&offset=N&limit=100`` while the answer has a
``next`` offset (its absence ends the list; S2 serves at most offset + limit < 10,000). The
optional key is read from ``S2_API_KEY`` and sent as the ``x-api-key`` header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cvbuild.bib.model import Publication
from cvbuild.refresh.http import HttpClient
from cvbuild.refresh.sources.base import (
    CITES_FIELD,
    FetchResult,
    SourceError,
    SpecSource,
    api_key,
    as_count,
    convert_records,
    fetch_json,
    from_metadata,
)

DEFAULT_BASE = "https://api.semanticscholar.org"
KEY_VARIABLE = "S2_API_KEY"
LIMIT = 100
MAX_OFFSET = 10_000
FIELDS = (
    "title,year,venue,publicationDate,externalIds,authors,journal,publicationTypes,citationCount"
)
_AUTHOR = re.compile(r"^\d{1,12}$")
TYPES = {"JournalArticle": "article", "Conference": "inproceedings", "Book": "book"}


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


@dataclass
class SemanticScholarSource(SpecSource):
    kind: str = "semanticscholar"

    def author_id(self) -> str:
        value = self.spec.value.strip().rsplit("/", 1)[-1]
        if not _AUTHOR.match(value):
            raise SourceError(f"'{value}' is not a Semantic Scholar author id (like 1723755)")
        return value

    def _get(self, client: HttpClient, url: str) -> dict[str, Any]:
        key = api_key(KEY_VARIABLE)
        client.pace("semanticscholar", self.spec.pace_seconds)
        data = fetch_json(
            client, url, "Semantic Scholar", headers={"x-api-key": key} if key else None
        )
        if not isinstance(data, dict):
            raise SourceError("the Semantic Scholar answer is not a JSON object")
        return data

    def fetch(self, client: HttpClient) -> FetchResult:
        base = f"{self.spec.base_url(DEFAULT_BASE)}/graph/v1/author/{self.author_id()}"
        messages: list[str] = []
        author = self._get(client, f"{base}?fields=name,hIndex,citationCount,paperCount")
        figures = {
            "h_index": as_count(author.get("hIndex")),
            "citations": as_count(author.get("citationCount")),
        }
        pubs: list[Publication] = []
        failed = 0
        offset = 0
        while offset + LIMIT <= MAX_OFFSET:
            page = self._get(client, f"{base}/papers?fields={FIELDS}&offset={offset}&limit={LIMIT}")
            data = page.get("data")
            if not isinstance(data, list):
                raise SourceError("the Semantic Scholar answer has no 'data' list")
            failed += convert_records(data, self._paper, pubs)
            following = page.get("next")
            if not data or not isinstance(following, int) or following <= offset:
                break
            offset = following
        else:
            messages.append(f"stopped at {MAX_OFFSET} papers, the most S2 pages through")
        if failed:
            messages.append(f"{failed} papers without a title were left out")
        return FetchResult(
            pubs, messages, failed, {k: v for k, v in figures.items() if v is not None}
        )

    def _paper(self, paper: dict[str, Any]) -> Publication | None:
        title = _text(paper.get("title"))
        if not title:
            return None
        authors: list[str] = []
        seen: set[str] = set()
        for person in paper.get("authors") or []:
            if not isinstance(person, dict):
                continue
            name = _text(person.get("name"))
            ident = _text(person.get("authorId")) or name
            if name and ident not in seen:  # big consortium lists repeat an authorId
                seen.add(ident)
                authors.append(name)
        ids = _obj(paper.get("externalIds"))
        year = paper.get("year")
        year = year if isinstance(year, int) and 1000 <= year <= 9999 else None
        date = _text(paper.get("publicationDate"))
        month = int(date[5:7]) if re.match(r"^\d{4}-\d{2}", date) else None
        journal = _obj(paper.get("journal"))
        venue = _text(journal.get("name")) or _text(paper.get("venue"))
        types = paper.get("publicationTypes") or []
        entry_type = next((TYPES[t] for t in types if t in TYPES), "article" if venue else "misc")
        extra: dict[str, str] = {}
        for name, src in (("pmid", "PubMed"), ("pmcid", "PubMedCentral")):
            value = str(ids.get(src) or "").strip()
            if value.isdigit() or (name == "pmcid" and value.upper().startswith("PMC")):
                extra[name] = value if name == "pmid" else "PMC" + value.upper().removeprefix("PMC")
        for name, src in (("volume", "volume"), ("pages", "pages")):
            value = _text(journal.get(src))
            if value:
                extra[name] = value.replace("-", "--") if name == "pages" else value
        if _text(paper.get("paperId")):
            extra["s2_paper"] = _text(paper.get("paperId"))
        count = as_count(paper.get("citationCount"))
        if count is not None:
            extra[CITES_FIELD] = str(count)
        return from_metadata(
            kind=self.kind,
            title=title,
            authors=authors,
            year=year,
            month=month,
            entry_type=entry_type,
            venue=venue,
            doi=str(ids.get("DOI") or ""),
            arxiv=str(ids.get("ArXiv") or ""),
            extra=extra,
        )
