"""INSPIRE-HEP: a physicist's list as BibTeX in one request,
``GET {base}/api/literature?q=a {BAI}&sort=mostrecent&size=250&format=bibtex``.

The value is an INSPIRE author id (BAI, like ``J.M.Maldacena.1``) or, with the ``query``
option, any INSPIRE search. One record holds the arXiv id, DOI and journal together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from cvbuild.bib.ids import arxiv_key, doi_key
from cvbuild.refresh.http import DeadlineError, FetchError, HttpClient
from cvbuild.refresh.sources.base import (
    CITES_FIELD,
    FetchResult,
    SourceError,
    SpecSource,
    as_count,
    fetch_bibtex,
    fetch_json,
)

DEFAULT_BASE = "https://inspirehep.net"
PAGE = 250
_BAI = re.compile(r"^[A-Za-z][A-Za-z.\-']*\.\d+$")


@dataclass
class InspireSource(SpecSource):
    kind: str = "inspire"

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
        result = fetch_bibtex(client, url, self.kind, self.ident)
        if self.spec.options.get("citations", "true").lower() not in ("false", "no", "0"):
            self._counts(client, result)
        return result

    def _counts(self, client: HttpClient, result: FetchResult) -> None:
        base = self.spec.base_url(DEFAULT_BASE)
        q = quote(self.query(), safe="")
        url = (
            f"{base}/api/literature?q={q}&sort=mostrecent&size={PAGE}"
            "&fields=citation_count,texkeys,dois,arxiv_eprints"
        )
        client.pace("inspire", self.spec.pace_seconds)
        try:
            data = fetch_json(client, url, "INSPIRE")
            hits = data["hits"]["hits"]
            if not isinstance(hits, list):
                raise TypeError
        except DeadlineError:
            raise
        except (FetchError, SourceError, KeyError, TypeError) as exc:
            result.messages.append(f"no citation counts ({exc or 'unexpected JSON'})")
            return
        counts: dict[str, int] = {}
        for hit in hits:
            meta = hit.get("metadata") if isinstance(hit, dict) else None
            count = as_count(meta.get("citation_count")) if isinstance(meta, dict) else None
            if count is None or not isinstance(meta, dict):
                continue
            for key in meta.get("texkeys") or []:
                counts.setdefault(f"key:{key}", count)
            for doi in meta.get("dois") or []:
                value = doi_key(str(doi.get("value", ""))) if isinstance(doi, dict) else ""
                if value:
                    counts.setdefault(f"doi:{value}", count)
            for eprint in meta.get("arxiv_eprints") or []:
                value = arxiv_key(str(eprint.get("value", ""))) if isinstance(eprint, dict) else ""
                if value:
                    counts.setdefault(f"arxiv:{value}", count)
        for pub in result.pubs:
            names = [f"key:{pub.key}", f"doi:{pub.get('doi')}", f"arxiv:{pub.get('eprint')}"]
            found = next((counts[n] for n in names if n in counts), None)
            if found is not None:
                pub.fields[CITES_FIELD] = str(found)
