"""DBLP: one request for a person's whole list, ``GET {base}/pid/{pid}.bib``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cvbuild.refresh.bibread import looks_like_bibtex, parse_bibtex
from cvbuild.refresh.http import HttpClient
from cvbuild.refresh.sources.base import FetchResult, SourceError, SourceSpec, finish

DEFAULT_BASE = "https://dblp.org"
_PID = re.compile(r"^[A-Za-z0-9_\-]+(?:/[A-Za-z0-9_\-]+)*$")


@dataclass
class DblpSource:
    spec: SourceSpec
    kind: str = "dblp"

    @property
    def ident(self) -> str:
        return self.spec.ident

    def url(self) -> str:
        pid = self.spec.value.strip()
        if not _PID.match(pid):
            raise SourceError(f"'{pid}' is not a DBLP pid (like 95/7448-1)")
        url = f"{self.spec.base_url(DEFAULT_BASE)}/pid/{pid}.bib"
        param = self.spec.options.get("param")
        return f"{url}?param={param}" if param else url

    def fetch(self, client: HttpClient) -> FetchResult:
        url = self.url()
        response = client.get(url, accept="application/x-bibtex, text/plain", expect="bibtex")
        if not looks_like_bibtex(response.text):
            raise SourceError("the response holds no BibTeX entry")
        pubs, problems = parse_bibtex(response.text, url)
        if not pubs:
            raise SourceError("the response holds no usable BibTeX entry")
        messages = [str(p) for p in problems]
        return FetchResult(
            [finish(p, self.kind) for p in pubs],
            messages,
            len([p for p in problems if not p.is_warning]),
        )
