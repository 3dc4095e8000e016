"""INSPIRE-HEP: a physicist's list as BibTeX in one request,
``GET {base}/api/literature?q=a {BAI}&sort=mostrecent&size=250&format=bibtex``.

The value is an INSPIRE author id (BAI, like ``J.M.Maldacena.1``) or, with the ``query``
option, any INSPIRE search. One record holds the arXiv id, DOI and journal together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from cvbuild.refresh.bibread import looks_like_bibtex, parse_bibtex
from cvbuild.refresh.http import HttpClient
from cvbuild.refresh.sources.base import FetchResult, SourceError, SourceSpec, finish

DEFAULT_BASE = "https://inspirehep.net"
PAGE = 250
_BAI = re.compile(r"^[A-Za-z][A-Za-z.\-']*\.\d+$")


@dataclass
class InspireSource:
    spec: SourceSpec
    kind: str = "inspire"

    @property
    def ident(self) -> str:
        return self.spec.ident

    def query(self) -> str:
        query = self.spec.options.get("query", "").strip()
        if query:
            return query
        bai = self.spec.value.strip()
        if not _BAI.match(bai):
            raise SourceError(
                f"'{bai}' is not an INSPIRE author id (like J.M.Maldacena.1); "
                "or give {query: ...} with an INSPIRE search"
            )
        return f"a {bai}"

    def url(self) -> str:
        base = self.spec.base_url(DEFAULT_BASE)
        q = quote(self.query(), safe="")
        return f"{base}/api/literature?q={q}&sort=mostrecent&size={PAGE}&format=bibtex"

    def fetch(self, client: HttpClient) -> FetchResult:
        url = self.url()
        client.pace("inspire", self.spec.pace_seconds)
        response = client.get(url, accept="application/x-bibtex, text/plain", expect="bibtex")
        if not looks_like_bibtex(response.text):
            raise SourceError("the response holds no BibTeX entry")
        pubs, problems = parse_bibtex(response.text, url)
        if not pubs:
            raise SourceError("the response holds no usable BibTeX entry")
        return FetchResult(
            [finish(p, self.kind) for p in pubs],
            [str(p) for p in problems],
            len([p for p in problems if not p.is_warning]),
        )
