"""OpenAlex: an author's works with citation counts, by ORCID iD or OpenAlex author id.

``GET {base}/authors/{A… | https://orcid.org/…}`` gives the author's id and ``summary_stats``
(h-index, i10-index); then ``GET {base}/works?filter=author.id:A…&per_page=100&cursor=*`` is
followed by ``meta.next_cursor`` until it is null or a page is empty. The API key OpenAlex
requires is read from ``OPENALEX_API_KEY`` (never from cv.yaml) and sent as ``api_key=``;
error messages never show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

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

DEFAULT_BASE = "https://api.openalex.org"
KEY_VARIABLE = "OPENALEX_API_KEY"
PER_PAGE = 100
MAX_PAGES = 100  # OpenAlex pages through at most 10,000 results
_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
_AUTHOR = re.compile(r"^(?:https?://openalex\.org/)?(A\d{3,12})$", re.IGNORECASE)
_PMID = re.compile(r"(\d{1,9})/?$")
_PMCID = re.compile(r"(?:PMC)?(\d{1,9})/?$", re.IGNORECASE)


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _entry_type(work: dict[str, Any]) -> str:
    kind = _text(work.get("type"))
    source = (work.get("primary_location") or {}).get("source") or {}
    source_type = _text(source.get("type")) if isinstance(source, dict) else ""
    if kind == "preprint" or source_type == "repository":
        return "misc"
    if kind in ("book-chapter",):
        return "incollection"
    if kind == "book":
        return "book"
    if kind == "dissertation":
        return "phdthesis"
    if kind == "report":
        return "techreport"
    if source_type == "conference":
        return "inproceedings"
    return "article"


def _ids(work: dict[str, Any]) -> dict[str, str]:
    ids = _obj(work.get("ids"))
    found: dict[str, str] = {}
    pmid = _PMID.search(_text(ids.get("pmid")))
    if pmid:
        found["pmid"] = pmid.group(1)
    pmcid = _PMCID.search(_text(ids.get("pmcid")))
    if pmcid:
        found["pmcid"] = "PMC" + pmcid.group(1)
    openalex = _text(work.get("id") or ids.get("openalex"))
    if openalex:
        found["openalex"] = openalex.rsplit("/", 1)[-1]
    return found


@dataclass
class OpenAlexSource(SpecSource):
    kind: str = "openalex"

    def author_ref(self) -> str:
        """The path part that names the author: ``A5023888391`` or the ORCID URL form."""
        value = (self.spec.options.get("orcid") or self.spec.value).strip()
        author = _AUTHOR.match(value)
        if author:
            return author.group(1).upper()
        orcid = _ORCID.match(value)
        if orcid:
            return f"https://orcid.org/{orcid.group(1)}"
        raise SourceError(
            f"'{value}' is neither an ORCID iD (0000-0002-1825-0097) nor an OpenAlex "
            "author id (A5023888391)"
        )

    def _query(self, params: dict[str, str], client: HttpClient) -> str:
        key = api_key(KEY_VARIABLE)
        if key:
            params["api_key"] = key
        if client.mailto:
            params["mailto"] = client.mailto
        return urlencode(params, safe=":*,")

    def _get(self, client: HttpClient, url: str) -> dict[str, Any]:
        client.pace("openalex", self.spec.pace_seconds)
        data = fetch_json(client, url, "OpenAlex")
        if not isinstance(data, dict):
            raise SourceError("the OpenAlex answer is not a JSON object")
        return data

    def fetch(self, client: HttpClient) -> FetchResult:
        base = self.spec.base_url(DEFAULT_BASE)
        messages: list[str] = []
        if not api_key(KEY_VARIABLE):
            messages.append(
                f"no {KEY_VARIABLE} in the environment: OpenAlex asks for a (free) key; "
                "set it in the environment (never in cv.yaml)"
            )
        ref = self.author_ref()
        author = self._get(client, f"{base}/authors/{ref}?{self._query({}, client)}")
        author_id = _text(author.get("id")).rsplit("/", 1)[-1]
        if not _AUTHOR.match(author_id):
            raise SourceError(f"the OpenAlex author record for {ref} has no author id")
        stats = _obj(author.get("summary_stats"))
        figures = {
            "h_index": as_count(stats.get("h_index")),
            "i10_index": as_count(stats.get("i10_index")),
            "citations": as_count(author.get("cited_by_count")),
        }
        pubs: list[Publication] = []
        failed = 0
        cursor = "*"
        for _ in range(MAX_PAGES):
            params = {
                "filter": f"author.id:{author_id}",
                "per_page": str(PER_PAGE),
                "cursor": cursor,
            }
            page = self._get(client, f"{base}/works?{self._query(params, client)}")
            results = page.get("results")
            if not isinstance(results, list):
                raise SourceError("the OpenAlex works answer has no 'results' list")
            failed += convert_records(results, self._work, pubs)
            meta = _obj(page.get("meta"))
            cursor = _text(meta.get("next_cursor"))
            if not results or not cursor:
                break
        else:
            messages.append(f"stopped after {MAX_PAGES} pages of {PER_PAGE} works")
        if failed:
            messages.append(f"{failed} works without a title were left out")
        return FetchResult(
            pubs, messages, failed, {k: v for k, v in figures.items() if v is not None}
        )

    def _work(self, work: dict[str, Any]) -> Publication | None:
        title = _text(work.get("display_name") or work.get("title"))
        if not title:
            return None
        authors: list[str] = []
        for authorship in work.get("authorships") or []:
            if not isinstance(authorship, dict):
                continue
            person = _obj(authorship.get("author"))
            name = _text(person.get("display_name")) or _text(authorship.get("raw_author_name"))
            if name:
                authors.append(name)
        year = work.get("publication_year")
        year = year if isinstance(year, int) and 1000 <= year <= 9999 else None
        date = _text(work.get("publication_date"))
        month = int(date[5:7]) if re.match(r"^\d{4}-\d{2}", date) else None
        source = (work.get("primary_location") or {}).get("source") or {}
        venue = _text(source.get("display_name")) if isinstance(source, dict) else ""
        biblio = _obj(work.get("biblio"))
        extra = _ids(work)
        first, last = _text(biblio.get("first_page")), _text(biblio.get("last_page"))
        if first:
            extra["pages"] = first if not last or last == first else f"{first}--{last}"
        for name, src in (("volume", "volume"), ("number", "issue")):
            if _text(biblio.get(src)):
                extra[name] = _text(biblio.get(src))
        count = as_count(work.get("cited_by_count"))
        if count is not None:
            extra[CITES_FIELD] = str(count)
        return from_metadata(
            kind=self.kind,
            title=title,
            authors=authors,
            year=year,
            month=month,
            entry_type=_entry_type(work),
            venue=venue,
            doi=_text(work.get("doi")),
            extra=extra,
        )
