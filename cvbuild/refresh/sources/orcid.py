"""ORCID public API v3.0: work summaries, then full works in bulk (up to 100 put-codes a call).

A full work's ``citation`` is used only when it is BibTeX that parses to exactly one entry;
junk (an HTML refresh tag labelled ``bibtex`` is a real case) falls back to the metadata.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from cvbuild.bib.model import Publication
from cvbuild.refresh.bibread import looks_like_bibtex, parse_bibtex
from cvbuild.refresh.http import HttpClient, looks_like_html
from cvbuild.refresh.sources.base import (
    FetchResult,
    SourceError,
    SpecSource,
    finish,
    from_metadata,
)

DEFAULT_BASE = "https://pub.orcid.org"
BULK = 100
_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
TYPES = {
    "journal-article": "article",
    "conference-paper": "inproceedings",
    "preprint": "misc",
    "book-chapter": "incollection",
    "book": "book",
    "dissertation-thesis": "phdthesis",
    "report": "techreport",
}


def _value(node: Any, *path: str) -> str:
    for name in path:
        if not isinstance(node, dict):
            return ""
        node = node.get(name)
    return str(node) if node is not None and not isinstance(node, dict) else ""


def _ids(work: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for ext in (work.get("external-ids") or {}).get("external-id") or []:
        if ext.get("external-id-relationship") not in (None, "self"):
            continue
        kind = str(ext.get("external-id-type", "")).lower()
        value = _value(ext, "external-id-normalized", "value") or str(
            ext.get("external-id-value", "")
        )
        if kind in ("doi", "arxiv") and value:
            found.setdefault(kind, value)
    return found


@dataclass
class OrcidSource(SpecSource):
    kind: str = "orcid"

    def _base(self) -> str:
        orcid = self.spec.value.strip().removeprefix("https://orcid.org/")
        if not _ORCID.match(orcid):
            raise SourceError(f"'{orcid}' is not an ORCID iD (like 0000-0002-1825-0097)")
        return f"{self.spec.base_url(DEFAULT_BASE)}/v3.0/{orcid}/works"

    def _json(self, client: HttpClient, url: str) -> dict[str, Any]:
        client.pace("orcid", self.spec.pace_seconds)
        response = client.get(url, accept="application/json", expect="json")
        try:
            data = json.loads(response.text)
        except ValueError:
            raise SourceError(f"unreadable ORCID JSON from {url} (truncated?)") from None
        if not isinstance(data, dict):
            raise SourceError(f"unexpected ORCID JSON from {url}")
        return data

    def fetch(self, client: HttpClient) -> FetchResult:
        base = self._base()
        summary = self._json(client, base)
        if "group" not in summary:
            raise SourceError("the ORCID answer has no 'group' list")
        codes: list[str] = []
        for group in summary.get("group") or []:
            works = group.get("work-summary") or []
            if works:
                codes.append(str(works[0].get("put-code")))
        pubs: list[Publication] = []
        messages: list[str] = []
        failed = 0
        for start in range(0, len(codes), BULK):
            chunk = codes[start : start + BULK]
            bulk = self._json(client, f"{base}/{','.join(chunk)}")
            for item in bulk.get("bulk") or []:
                work = item.get("work")
                if not isinstance(work, dict):
                    failed += 1
                    messages.append(f"put-code: {_value(item, 'error', 'developer-message')}")
                    continue
                pubs.append(self._work(work, messages))
        return FetchResult(pubs, messages, failed)

    def _work(self, work: dict[str, Any], messages: list[str]) -> Publication:
        code = str(work.get("put-code", ""))
        ids = _ids(work)
        citation = work.get("citation") or {}
        text = str(citation.get("citation-value") or "")
        if str(citation.get("citation-type", "")).lower() == "bibtex" and text:
            if looks_like_bibtex(text) and not looks_like_html(text):
                parsed, _ = parse_bibtex(text, f"orcid work {code}")
                if len(parsed) == 1 and parsed[0].title:
                    pub = parsed[0]
                    for kind, value in ids.items():
                        pub.fields.setdefault("doi" if kind == "doi" else "eprint", value)
                    return finish(pub, self.kind)
            messages.append(
                f"work {code}: its 'citation' is not usable BibTeX; built from metadata"
            )
        title = _value(work, "title", "title", "value")
        year_text = _value(work, "publication-date", "year", "value")
        month_text = _value(work, "publication-date", "month", "value")
        year = int(year_text) if year_text.isdigit() else None
        authors = [
            _value(c, "credit-name", "value")
            for c in (work.get("contributors") or {}).get("contributor") or []
            if _value(c, "contributor-attributes", "contributor-role") in ("", "author")
        ]
        return from_metadata(
            kind=self.kind,
            title=title,
            authors=authors,
            year=year,
            month=int(month_text) if month_text.isdigit() else None,
            entry_type=TYPES.get(str(work.get("type", "")), "misc"),
            venue=_value(work, "journal-title", "value"),
            doi=ids.get("doi", ""),
            arxiv=ids.get("arxiv", ""),
            url=_value(work, "url", "value"),
        )
