"""Publication sources behind one interface (``Source.fetch(client) -> FetchResult``)."""

from __future__ import annotations

from collections.abc import Callable

from cvbuild.config.model import RefreshSource
from cvbuild.refresh.sources.arxiv import ArxivSource
from cvbuild.refresh.sources.base import FetchResult, Source, SourceError, SourceSpec
from cvbuild.refresh.sources.crossref import CrossrefSource
from cvbuild.refresh.sources.dblp import DblpSource
from cvbuild.refresh.sources.inspire import InspireSource
from cvbuild.refresh.sources.openalex import OpenAlexSource
from cvbuild.refresh.sources.orcid import OrcidSource
from cvbuild.refresh.sources.pubmed import PubMedSource
from cvbuild.refresh.sources.semanticscholar import SemanticScholarSource

REGISTRY: dict[str, Callable[[SourceSpec], Source]] = {
    "dblp": DblpSource,
    "orcid": OrcidSource,
    "crossref": CrossrefSource,
    "arxiv": ArxivSource,
    "inspire": InspireSource,
    "openalex": OpenAlexSource,
    "semanticscholar": SemanticScholarSource,
    "pubmed": PubMedSource,
}
# Seconds between two requests to the same service (overridable with the ``pace`` option).
# INSPIRE allows 15 requests in 5 seconds; OpenAlex 100 a second; S2 keys start at 1 a second;
# PubMed paces itself (3 a second, 10 with NCBI_API_KEY) unless ``pace`` is given.
DEFAULT_PACE = {
    "arxiv": 3.0,
    "crossref": 0.2,
    "orcid": 0.05,
    "dblp": 1.0,
    "inspire": 0.35,
    "openalex": 0.05,
    "semanticscholar": 1.0,
    "pubmed": 0.34,
}


def make_source(source: RefreshSource) -> Source:
    """The source object for one configured entry; raises SourceError for an unknown kind."""
    spec = SourceSpec.of(source)
    factory = REGISTRY.get(spec.kind)
    if factory is None:
        known = ", ".join(sorted(REGISTRY))
        raise SourceError(f"unknown source '{spec.kind}' (known: {known})")
    spec.pace_seconds = float(spec.options.get("pace", DEFAULT_PACE.get(spec.kind, 0.0)))
    return factory(spec)


def describe(source: RefreshSource) -> str:
    return SourceSpec.of(source).ident


__all__ = ["FetchResult", "Source", "SourceError", "SourceSpec", "make_source", "describe"]
