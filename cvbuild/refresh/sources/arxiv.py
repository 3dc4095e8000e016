"""arXiv: the Atom API, by author id (``{base}/a/{id}.atom2``) or a query (``au:Xu_Y``).

Requests are paced (3 s by default, through the client, so tests pass a fake sleep). The year
is the year of the first version (``<published>``), not arXiv BibTeX's latest-version year.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode

from cvbuild.bib.ids import arxiv_key, arxiv_url
from cvbuild.bib.model import Publication
from cvbuild.refresh.http import HttpClient
from cvbuild.refresh.sources.base import (
    FetchResult,
    SourceError,
    SpecSource,
    from_metadata,
    read_xml,
)

API_BASE = "https://export.arxiv.org"
AUTHOR_BASE = "https://arxiv.org"
PACE = 3.0
PAGE = 100
MAX_PAGES = 30
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
}


@dataclass
class ArxivSource(SpecSource):
    kind: str = "arxiv"

    def _pace(self) -> float:
        return float(self.spec.options.get("pace", PACE))

    def fetch(self, client: HttpClient) -> FetchResult:
        value = self.spec.value.strip()
        if not value:
            raise SourceError("arxiv needs an author id (Xu_Y_1) or a query (au:Xu_Yuhui)")
        if ":" in value:
            return self._query(client, value)
        if not re.match(r"^[A-Za-z0-9_.\-]+$", value):
            raise SourceError(f"'{value}' is neither an arXiv author id nor a query")
        base = self.spec.base_url(AUTHOR_BASE)
        entries, _ = self._page(client, f"{base}/a/{value}.atom2")
        return FetchResult([self._entry(e) for e in entries])

    def _query(self, client: HttpClient, query: str) -> FetchResult:
        base = self.spec.base_url(API_BASE)
        size = int(self.spec.options.get("max_results", PAGE))
        pubs: list[Publication] = []
        start = 0
        for _ in range(MAX_PAGES):
            params = {"search_query": query, "start": str(start), "max_results": str(size)}
            entries, total = self._page(client, f"{base}/api/query?{urlencode(params)}")
            pubs.extend(self._entry(e) for e in entries)
            start += len(entries)
            if not entries or total is None or start >= total:
                break
        return FetchResult(pubs)

    def _page(self, client: HttpClient, url: str) -> tuple[list[ET.Element], int | None]:
        client.pace("arxiv", self._pace())
        response = client.get(url, accept="application/atom+xml", expect="xml")
        root = read_xml(response.text, "arXiv Atom")
        if root.tag != f"{{{NS['atom']}}}feed":
            raise SourceError("the arXiv answer is not an Atom feed")
        total_text = root.findtext("os:totalResults", default="", namespaces=NS).strip()
        total = int(total_text) if total_text.isdigit() else None
        return root.findall("atom:entry", NS), total

    def _entry(self, entry: ET.Element) -> Publication:
        def text(path: str) -> str:
            return " ".join((entry.findtext(path, default="", namespaces=NS) or "").split())

        arxiv = arxiv_key(text("atom:id"))
        if not arxiv:
            raise SourceError(f"an arXiv entry has no usable id ({text('atom:id')!r})")
        published = text("atom:published")
        year = int(published[:4]) if published[:4].isdigit() else None
        month = int(published[5:7]) if published[5:7].isdigit() else None
        authors = [
            " ".join((a.findtext("atom:name", default="", namespaces=NS) or "").split())
            for a in entry.findall("atom:author", NS)
        ]
        primary = entry.find("arxiv:primary_category", NS)
        extra = {"primaryclass": primary.get("term", "")} if primary is not None else {}
        if text("arxiv:journal_ref"):
            extra["journal_ref"] = text("arxiv:journal_ref")
        key = "arxiv-" + re.sub(r"[^A-Za-z0-9.]", "-", arxiv)
        return from_metadata(
            key=key,
            kind=self.kind,
            title=text("atom:title"),
            authors=authors,
            year=year,
            month=month,
            entry_type="misc",
            venue=f"arXiv preprint arXiv:{arxiv}",
            doi=text("arxiv:doi"),
            arxiv=arxiv,
            url=arxiv_url(arxiv),
            extra=extra,
        )
