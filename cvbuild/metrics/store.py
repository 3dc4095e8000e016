"""The managed metrics file: ``NAME.metrics.json`` beside the managed ``NAME.bib``.

Citation counts are not BibTeX: they change every week, and a CV that does not print them
must not be rebuilt when they do. So ``refresh`` writes them here, never into a .bib (the
curated one least of all), and the build's content hash reads this file only for a variant
that shows metrics. Layout (keys sorted, so the same counts give the same bytes)::

    {"version": 1,
     "sources": {"openalex": {"fetched": "2026-05-01", "h_index": 14, "i10_index": 14,
                              "citations": 597}},
     "works": {"doi:10.7717/peerj.4375": {"ids": ["doi:10.7717/peerj.4375", "pmid:29456894",
                                                  "key:piwowar2018state"],
                                          "counts": {"openalex": 356, "semanticscholar": 340},
                                          "fetched": {"openalex": "2026-05-01", ...}}}}

A work id is the strongest identifier of the merged work (``doi:``, ``arxiv:``, ``pmid:``,
``pmcid:``, else ``key:``); ``ids`` lists every identifier a CV entry may match it by.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from cvbuild.bib.dedupe import ALIAS_FIELDS, work_arxiv_ids, work_dois, work_pmcids, work_pmids
from cvbuild.bib.model import Publication

VERSION = 1
MAX_BYTES = 50 * 1024 * 1024  # a metrics file larger than this is not read


def metrics_path(managed_bib: Path) -> Path:
    """``publications.fetched.bib`` → ``publications.fetched.metrics.json`` (same folder)."""
    return managed_bib.with_name(managed_bib.stem + ".metrics.json")


def work_ids(pub: Publication) -> list[str]:
    """Every identifier a publication is known by, strongest first."""
    ids = [f"doi:{d}" for d in sorted(work_dois(pub))]
    ids += [f"arxiv:{a}" for a in sorted(work_arxiv_ids(pub))]
    ids += [f"pmid:{p}" for p in sorted(work_pmids(pub))]
    ids += [f"pmcid:{p}" for p in sorted(work_pmcids(pub))]
    ids.append(f"key:{pub.key}")
    for name in ALIAS_FIELDS:
        ids.extend(f"key:{a}" for a in re.split(r"[\s,]+", pub.get(name)) if a and a != pub.key)
    return list(dict.fromkeys(ids))


@dataclass
class SourceFigures:
    """What one source says about the author as a whole, and when it was asked."""

    fetched: str = ""  # ISO date
    h_index: int | None = None
    i10_index: int | None = None
    citations: int | None = None

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"fetched": self.fetched}
        for name in ("h_index", "i10_index", "citations"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


@dataclass
class WorkMetrics:
    ids: list[str]
    counts: dict[str, int] = field(default_factory=dict)  # source -> citations
    fetched: dict[str, str] = field(default_factory=dict)  # source -> ISO date

    def to_json(self) -> dict[str, object]:
        return {"ids": self.ids, "counts": self.counts, "fetched": self.fetched}


@dataclass
class MetricsFile:
    works: dict[str, WorkMetrics] = field(default_factory=dict)
    sources: dict[str, SourceFigures] = field(default_factory=dict)
    _index: dict[str, str] | None = None

    def text(self) -> str:
        data = {
            "version": VERSION,
            "sources": {k: v.to_json() for k, v in sorted(self.sources.items())},
            "works": {k: v.to_json() for k, v in sorted(self.works.items())},
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def find(self, pub: Publication) -> WorkMetrics | None:
        """The counts of the work ``pub`` is (by DOI, arXiv id, PMID or cite key)."""
        if self._index is None:
            self._index = {}
            for work_id, work in self.works.items():
                for ident in [work_id, *work.ids]:
                    self._index.setdefault(ident, work_id)
        for ident in work_ids(pub):
            found = self._index.get(ident)
            if found is not None:
                return self.works[found]
        return None

    def counts(self, source: str) -> list[int]:
        """Per-paper counts of one source, one per work it counted."""
        return [w.counts[source] for w in self.works.values() if source in w.counts]

    def as_of(self, source: str) -> str:
        """The date of the newest count of ``source`` (its figures' date when it has none)."""
        dates = [w.fetched[source] for w in self.works.values() if source in w.fetched]
        figures = self.sources.get(source)
        if figures is not None and figures.fetched:
            dates.append(figures.fetched)
        return max(dates) if dates else ""


def _count(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9:
        return value
    return None


def _text(value: object, limit: int = 200) -> str:
    return value[:limit] if isinstance(value, str) else ""


def parse_metrics(text: str) -> MetricsFile:
    """The metrics in ``text``; anything malformed is skipped, never raised (the file is
    ours, but a hand edit or a cut-off write must not stop a build)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return MetricsFile()
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return MetricsFile()
    result = MetricsFile()
    sources = data.get("sources")
    for name, item in sources.items() if isinstance(sources, dict) else []:
        if isinstance(item, dict):
            result.sources[str(name)] = SourceFigures(
                _text(item.get("fetched"), 40),
                _count(item.get("h_index")),
                _count(item.get("i10_index")),
                _count(item.get("citations")),
            )
    works = data.get("works")
    for work_id, item in works.items() if isinstance(works, dict) else []:
        if not isinstance(item, dict):
            continue
        raw_ids = item.get("ids")
        ids = [_text(i) for i in raw_ids if _text(i)] if isinstance(raw_ids, list) else []
        counts_raw = item.get("counts")
        fetched_raw = item.get("fetched")
        counts = {
            str(k): c
            for k, v in (counts_raw.items() if isinstance(counts_raw, dict) else [])
            if (c := _count(v)) is not None
        }
        fetched = {
            str(k): _text(v, 40)
            for k, v in (fetched_raw.items() if isinstance(fetched_raw, dict) else [])
            if _text(v, 40)
        }
        result.works[str(work_id)] = WorkMetrics(ids, counts, fetched)
    return result


def read_metrics(path: Path) -> MetricsFile:
    """The metrics file at ``path``; empty when it is missing, too large or unreadable."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return MetricsFile()
        return parse_metrics(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return MetricsFile()
