"""PubMed through NCBI E-utilities: ``esearch`` for the PMIDs, ``efetch`` for the records.

The value is an ORCID iD (searched as ``{orcid}[auid]``) or any PubMed query (``Xu Y[au]``).
``esearch.fcgi?db=pubmed&retmode=json`` is paged with ``retstart``; ``efetch.fcgi?db=pubmed&
retmode=xml&id=…`` takes up to :data:`BATCH` PMIDs a call. Records that carry no PMCID are
looked up in the PMC ID converter (``idconv``), batched the same way. Every request is paced
to NCBI's limit: 3 a second without a key, 10 with ``NCBI_API_KEY`` (read from the
environment, never from cv.yaml, sent as ``api_key=`` and never shown in a message).

NCBI reports many errors as HTTP 200 (``ERROR`` in JSON, ``<ERROR>`` in XML): those fail the
source; zero hits are an empty list, not an error. The XML may declare a DOCTYPE, never an
entity.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from cvbuild.bib.model import Publication
from cvbuild.refresh.http import DeadlineError, FetchError, HttpClient
from cvbuild.refresh.sources.base import (
    FetchResult,
    SourceError,
    SpecSource,
    api_key,
    fetch_json,
    from_metadata,
    make_key,
    read_xml,
)

DEFAULT_BASE = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DEFAULT_IDCONV = "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles"
KEY_VARIABLE = "NCBI_API_KEY"
PACE_WITHOUT_KEY = 0.34  # 3 requests a second
PACE_WITH_KEY = 0.1  # 10 requests a second
BATCH = 200
SEARCH_PAGE = 1000
MAX_IDS = 10_000
_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
_PMID = re.compile(r"^\d{1,9}$")
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
TYPES = {"journal article": "article", "preprint": "misc", "book chapter": "incollection"}


def _all_text(node: ET.Element | None) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def _year_month(article: ET.Element) -> tuple[int | None, int | None]:
    date = article.find("Journal/JournalIssue/PubDate")
    if date is None:
        date = article.find("ArticleDate")
    if date is None:
        return None, None
    year_text = _all_text(date.find("Year"))
    if not year_text:
        match = re.search(r"\b(\d{4})\b", _all_text(date.find("MedlineDate")))
        year_text = match.group(1) if match else ""
    month_text = _all_text(date.find("Month")).lower()[:3]
    month = MONTHS.get(month_text) or (int(month_text) if month_text.isdigit() else None)
    year = int(year_text) if year_text.isdigit() else None
    return year, month if month and 1 <= month <= 12 else None


@dataclass
class PubMedSource(SpecSource):
    kind: str = "pubmed"

    def term(self) -> str:
        value = (self.spec.options.get("query") or self.spec.value).strip()
        orcid = _ORCID.match(value)
        if orcid:
            return f"{orcid.group(1)}[auid]"
        if not value:
            raise SourceError("pubmed needs an ORCID iD or a PubMed query ('Xu Y[au]')")
        return value

    def _pace(self, client: HttpClient) -> None:
        interval = self.spec.pace_seconds
        if "pace" not in self.spec.options:
            interval = PACE_WITH_KEY if api_key(KEY_VARIABLE) else PACE_WITHOUT_KEY
        client.pace("ncbi", interval)

    def _params(self, client: HttpClient, **params: str) -> str:
        params = {**params, "tool": "cvbuild"}
        if client.mailto:
            params["email"] = client.mailto
        key = api_key(KEY_VARIABLE)
        if key:
            params["api_key"] = key
        return urlencode(params, safe=",[]")

    def fetch(self, client: HttpClient) -> FetchResult:
        base = self.spec.base_url(DEFAULT_BASE)
        pmids = self._search(client, base)
        pubs: list[Publication] = []
        messages: list[str] = []
        failed = 0
        for start in range(0, len(pmids), BATCH):
            chunk = pmids[start : start + BATCH]
            self._pace(client)
            query = self._params(client, db="pubmed", retmode="xml", id=",".join(chunk))
            response = client.get(
                f"{base}/efetch.fcgi?{query}", accept="application/xml", expect="xml"
            )
            got, bad = self._records(response.text)
            pubs.extend(got)
            failed += bad
        missing = [p for p in pubs if p.get("pmid") and not p.get("pmcid")]
        if missing:
            self._pmcids(client, missing, messages)
        if failed:
            messages.append(f"{failed} PubMed records without a title were left out")
        return FetchResult(pubs, messages, failed)

    def _search(self, client: HttpClient, base: str) -> list[str]:
        pmids: list[str] = []
        start = 0
        while start < MAX_IDS:
            self._pace(client)
            query = self._params(
                client,
                db="pubmed",
                term=self.term(),
                retmode="json",
                retmax=str(SEARCH_PAGE),
                retstart=str(start),
            )
            data = fetch_json(client, f"{base}/esearch.fcgi?{query}", "PubMed esearch")
            result = data.get("esearchresult") if isinstance(data, dict) else None
            if not isinstance(result, dict):
                raise SourceError("the PubMed esearch answer has no 'esearchresult'")
            if result.get("ERROR"):
                raise SourceError(f"PubMed refused the search: {str(result['ERROR'])[:200]}")
            ids = [str(i) for i in result.get("idlist") or [] if _PMID.match(str(i))]
            seen = set(pmids)
            pmids.extend(i for i in dict.fromkeys(ids) if i not in seen)
            count = str(result.get("count", "0"))
            total = int(count) if count.isdigit() else 0
            start += SEARCH_PAGE
            if not ids or start >= total:
                break
        return pmids[:MAX_IDS]

    def _records(self, text: str) -> tuple[list[Publication], int]:
        root = read_xml(text, "PubMed")
        if root.tag == "ERROR" or root.find("ERROR") is not None:
            message = _all_text(root if root.tag == "ERROR" else root.find("ERROR"))
            raise SourceError(f"PubMed answered with an error: {message[:200]}")
        if root.tag != "PubmedArticleSet":
            raise SourceError(f"unexpected PubMed XML (<{root.tag[:40]}>)")
        pubs: list[Publication] = []
        failed = 0
        for record in root.iter("PubmedArticle"):
            pub = self._record(record)
            if pub is None:
                failed += 1
            else:
                pubs.append(pub)
        return pubs, failed

    def _record(self, record: ET.Element) -> Publication | None:
        citation = record.find("MedlineCitation")
        article = citation.find("Article") if citation is not None else None
        if citation is None or article is None:
            return None
        title = _all_text(article.find("ArticleTitle")).rstrip(".")
        if not title:
            return None
        authors: list[str] = []
        for author in article.findall("AuthorList/Author"):
            collective = _all_text(author.find("CollectiveName"))
            if collective:
                authors.append(collective)
                continue
            family = _all_text(author.find("LastName"))
            given = _all_text(author.find("ForeName")) or _all_text(author.find("Initials"))
            if family:
                authors.append(f"{family}, {given}" if given else family)
        ids: dict[str, str] = {}
        for node in record.findall("PubmedData/ArticleIdList/ArticleId"):
            kind = (node.get("IdType") or "").lower()
            value = _all_text(node)
            if kind in ("doi", "pmc", "pubmed") and value and kind not in ids:
                ids[kind] = value
        doi = ids.get("doi", "")
        if not doi:
            for node in article.findall("ELocationID"):
                if (node.get("EIdType") or "").lower() == "doi":
                    doi = _all_text(node)
        pmid = ids.get("pubmed") or _all_text(citation.find("PMID"))
        extra: dict[str, str] = {}
        if _PMID.match(pmid):
            extra["pmid"] = pmid
        pmc = ids.get("pmc", "").upper()
        if re.match(r"^PMC\d+$", pmc):
            extra["pmcid"] = pmc
        volume = _all_text(article.find("Journal/JournalIssue/Volume"))
        number = _all_text(article.find("Journal/JournalIssue/Issue"))
        pages = _all_text(article.find("Pagination/MedlinePgn"))
        for name, value in (("volume", volume), ("number", number), ("pages", pages)):
            if value:
                extra[name] = value.replace("-", "--") if name == "pages" else value
        year, month = _year_month(article)
        kinds = [
            _all_text(t).lower() for t in article.findall("PublicationTypeList/PublicationType")
        ]
        entry_type = next((TYPES[k] for k in kinds if k in TYPES), "article")
        family = authors[0].split(",")[0] if authors else ""
        return from_metadata(
            key=make_key(family, year, title),
            kind=self.kind,
            title=title,
            authors=authors,
            year=year,
            month=month,
            entry_type=entry_type,
            venue=_all_text(article.find("Journal/Title")),
            doi=doi,
            extra=extra,
        )

    def _pmcids(self, client: HttpClient, pubs: list[Publication], messages: list[str]) -> None:
        """Fill ``pmcid`` from the PMC ID converter; a failure here costs only the PMCIDs."""
        base = self.spec.base_url(DEFAULT_IDCONV, "idconv_base_url")
        by_pmid = {p.get("pmid"): p for p in pubs}
        pmids = list(by_pmid)
        for start in range(0, len(pmids), BATCH):
            chunk = pmids[start : start + BATCH]
            self._pace(client)
            query = self._params(client, ids=",".join(chunk), idtype="pmid", format="json")
            try:
                data: Any = fetch_json(client, f"{base}/?{query}", "PMC ID converter")
            except DeadlineError:
                raise
            except (FetchError, SourceError) as exc:
                messages.append(f"PMCIDs not looked up ({exc})")
                return
            records = data.get("records") if isinstance(data, dict) else None
            for item in records if isinstance(records, list) else []:
                if not isinstance(item, dict):
                    continue
                pub = by_pmid.get(str(item.get("pmid", "")))
                pmcid = str(item.get("pmcid") or "").upper()
                if pub is not None and re.match(r"^PMC\d+$", pmcid):
                    pub.fields["pmcid"] = pmcid
