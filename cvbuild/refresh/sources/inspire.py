"""INSPIRE-HEP: a physicist's list as BibTeX in one request,
``GET {base}/api/literature?q=a {BAI}&sort=mostrecent&size=250&format=bibtex``.

The value is an INSPIRE author id (BAI, like ``J.M.Maldacena.1``) or, with the ``query``
option, any INSPIRE search. One record holds the arXiv id, DOI and journal together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from cvbuild.refresh.http import HttpClient
from cvbuild.refresh.sources.base import FetchResult, SourceError, SourceSpec, fetch_bibtex

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
        return fetch_bibtex(client, url, self.kind, self.ident)
