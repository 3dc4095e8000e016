"""DBLP: one request for a person's whole list, ``GET {base}/pid/{pid}.bib``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cvbuild.refresh.http import HttpClient
from cvbuild.refresh.sources.base import (
    FetchResult,
    SourceError,
    SpecSource,
    fetch_bibtex,
)

DEFAULT_BASE = "https://dblp.org"
_PID = re.compile(r"^[A-Za-z0-9_\-]+(?:/[A-Za-z0-9_\-]+)*$")


@dataclass
class DblpSource(SpecSource):
    kind: str = "dblp"

    def url(self) -> str:
        pid = self.spec.value.strip()
        if not _PID.match(pid):
            raise SourceError(f"'{pid}' is not a DBLP pid (like 95/7448-1)")
        url = f"{self.spec.base_url(DEFAULT_BASE)}/pid/{pid}.bib"
        param = self.spec.options.get("param")
        return f"{url}?param={param}" if param else url

    def fetch(self, client: HttpClient) -> FetchResult:
        url = self.url()
        return fetch_bibtex(client, url, self.kind, self.ident)
