"""The one interface every source implements, plus helpers they share."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

from cvbuild.bib.dedupe import SOURCE_FIELD, work_arxiv_ids
from cvbuild.bib.ids import arxiv_key, doi_key, pmcid_key, pmid_key
from cvbuild.bib.model import Publication
from cvbuild.config.model import RefreshSource
from cvbuild.errors import Location
from cvbuild.refresh.http import HttpClient


class SourceError(Exception):
    """The source answered, but not with something we can use (bad JSON, no entries, ...)."""


# The field a source puts its citation count in (volatile: never written to the managed
# .bib, never hashed; ``cvbuild.metrics`` collects it before the records are merged).
CITES_FIELD = "citation_count"


@dataclass
class FetchResult:
    pubs: list[Publication]
    messages: list[str] = field(default_factory=list)  # things a person should know
    failed: int = 0  # records that could not be used
    # The source's own figures for the author: {"h_index": 14, "i10_index": 14, "citations": 597}
    author_metrics: dict[str, int] = field(default_factory=dict)


class Source(Protocol):
    kind: str

    @property
    def ident(self) -> str:  # "dblp:95/7448-1", unique per configured source
        ...

    def fetch(self, client: HttpClient) -> FetchResult: ...


@dataclass
class SourceSpec:
    """A configured source: what to ask for, where, and how often."""

    kind: str
    value: str
    options: dict[str, str]
    pace_seconds: float = 0.0

    @classmethod
    def of(cls, source: RefreshSource) -> SourceSpec:
        options = dict(source.options)
        value = source.value or next(
            (options[k] for k in ("id", "pid", "query", "author", "orcid") if options.get(k)), ""
        )
        return cls(source.kind, value, options)

    @property
    def ident(self) -> str:
        value = self.value or ",".join(
            f"{k}={v}" for k, v in sorted(self.options.items()) if k in ("orcid", "doi", "query")
        )
        return f"{self.kind}:{value}"

    def base_url(self, default: str, option: str = "base_url") -> str:
        return (self.options.get(option) or default).rstrip("/")


@dataclass
class SpecSource:
    """What every source shares: the configured spec, a kind, and the ident it derives."""

    spec: SourceSpec
    kind: str = ""

    @property
    def ident(self) -> str:
        return self.spec.ident


def finish(pub: Publication, kind: str) -> Publication:
    """Normalise ids in place (lower-case DOI, versionless arXiv id, PMID digits, ``PMC``
    PMCID) and tag the source."""
    fields = pub.fields
    for name, key in (("pmid", pmid_key), ("pmcid", pmcid_key)):
        if name in fields:
            value = key(fields[name])
            if value:
                fields[name] = value
            else:
                del fields[name]
    doi = doi_key(fields.get("doi", ""))
    if doi:
        fields["doi"] = doi
    elif "doi" in fields:
        del fields["doi"]
    arxiv = sorted(work_arxiv_ids(pub))
    if arxiv and not fields.get("eprint"):
        fields["eprint"] = arxiv[0]
    if arxiv:
        fields["eprint"] = arxiv_key(fields["eprint"]) or fields["eprint"]
        fields.setdefault("archiveprefix", "arXiv")
        if fields.get("eprinttype", "").lower() == "arxiv":
            del fields["eprinttype"]
    fields[SOURCE_FIELD] = kind
    return pub


def source_name(ident: str) -> str:
    """How a source is named in messages about its records: ``dblp 95/7448-1``."""
    return ident.replace(":", " ", 1)


def fetch_bibtex(client: HttpClient, url: str, kind: str, ident: str = "") -> FetchResult:
    """A source that answers BibTeX (DBLP, INSPIRE): one GET, parsed by the bib stage.
    Problems name ``ident`` (the source) and the record, not the URL."""
    from cvbuild.refresh.bibread import looks_like_bibtex, parse_bibtex

    response = client.get(url, accept="application/x-bibtex, text/plain", expect="bibtex")
    if not looks_like_bibtex(response.text):
        raise SourceError("the response holds no BibTeX entry")
    pubs, problems = parse_bibtex(response.text, source_name(ident) if ident else url)
    if not pubs:
        raise SourceError("the response holds no usable BibTeX entry")
    return FetchResult(
        [finish(p, kind) for p in pubs],
        [str(p) for p in problems],
        len([p for p in problems if not p.is_warning]),
    )


def make_key(family: str, year: int | None, title: str) -> str:
    word = next((w for w in re.findall(r"[A-Za-z0-9]+", title) if len(w) > 3), "work")
    base = re.sub(r"[^A-Za-z0-9]", "", family) or "anon"
    return f"{base.lower()}{year or ''}{word.lower()}"


def from_metadata(
    *,
    kind: str,
    title: str,
    authors: Sequence[str],
    year: int | None,
    month: int | None = None,
    entry_type: str = "article",
    venue: str = "",
    doi: str = "",
    arxiv: str = "",
    url: str = "",
    extra: dict[str, str] | None = None,
    origin: str = "",
    key: str = "",
) -> Publication:
    """A publication built from JSON/Atom metadata (names as "Given Family"). ``key``
    defaults to one made from the first author's family name, the year and the title; a
    month outside 1–12 is dropped."""
    if not key:
        first = authors[0].split() if authors else []
        key = make_key(first[-1] if first else "", year, title)
    if month is not None and not 1 <= month <= 12:
        month = None
    from cvbuild.bib.encode import encode_text
    from cvbuild.bib.names import parse_names

    fields: dict[str, str] = {"title": " ".join(title.split())}
    raw_authors = " and ".join(encode_text(a) for a in authors if a.strip())
    if raw_authors:
        fields["author"] = raw_authors
    if venue:
        fields["booktitle" if entry_type == "inproceedings" else "journal"] = venue
        if entry_type == "misc":
            fields.pop("journal")
            fields["howpublished"] = venue
    if year is not None:
        fields["year"] = str(year)
    if month:
        fields["month"] = str(month)
    if doi:
        fields["doi"] = doi
    if arxiv:
        fields["eprint"] = arxiv
        fields["archiveprefix"] = "arXiv"
    if url:
        fields["url"] = url
    fields.update(extra or {})
    names, et_al = parse_names(raw_authors)
    pub = Publication(
        key=key,
        entry_type=entry_type,
        fields=fields,
        authors=names,
        et_al=et_al,
        year=year,
        month=month,
        location=Location(origin),
    )
    return finish(pub, kind)


def api_key(variable: str) -> str:
    """An API key from the environment (never from cv.yaml); "" when it is not set."""
    import os

    return os.environ.get(variable, "").strip()


def fetch_json(
    client: HttpClient,
    url: str,
    what: str,
    *,
    headers: dict[str, str] | None = None,
) -> Any:
    """GET ``url`` as JSON; an answer that does not parse is a SourceError naming ``what``."""
    import json

    response = client.get(url, accept="application/json", expect="json", headers=headers)
    try:
        return json.loads(response.text)
    except ValueError:
        raise SourceError(f"unreadable {what} JSON (cut off or not JSON)") from None
    except RecursionError:
        raise SourceError(f"{what} JSON nested too deeply") from None


def as_count(value: object) -> int | None:
    """A citation count from JSON (an int, or a string of digits); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def path_quote(value: str, safe: str = "/") -> str:
    return quote(value, safe=safe)


SourceFactory = Callable[[SourceSpec], Source]


def convert_records(
    records: list[Any],
    convert: Callable[[dict[str, Any]], Publication | None],
    into: list[Publication],
) -> int:
    """Each JSON record through ``convert`` into ``into``; returns how many could not be read
    (not an object, or ``convert`` gave None)."""
    failed = 0
    for record in records:
        pub = convert(record) if isinstance(record, dict) else None
        if pub is None:
            failed += 1
        else:
            into.append(pub)
    return failed


_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)


def read_xml(text: str, what: str) -> ET.Element:
    """A server's XML, parsed; one that declares entities (anywhere: a long comment cannot
    push the declaration out of sight) or does not parse is a SourceError naming ``what``."""
    if _ENTITY.search(text):
        raise SourceError(f"the {what} XML declares entities; refused")
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise SourceError(f"unreadable {what} XML ({exc}); truncated?") from None
