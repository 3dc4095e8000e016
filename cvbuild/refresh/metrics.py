"""Collect the citation counts a refresh saw into the managed metrics file.

Counts are read from each source's records *before* they are merged (a paper seen by four
sources is one work with up to four counts), then attached to the merged work they became.
A source that failed stands in with its snapshot's counts and the date of that snapshot, and
its author figures from the previous metrics file, so a failure never reads as "0 citations".
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from cvbuild.bib.dedupe import SOURCE_FIELD
from cvbuild.bib.model import Publication
from cvbuild.metrics.store import (
    MAX_BYTES,
    VERSION,
    MetricsFile,
    SourceFigures,
    WorkMetrics,
    read_metrics,
    work_ids,
)
from cvbuild.refresh.sources.base import CITES_FIELD


def iso_date(seconds: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(seconds))


@dataclass
class Seen:
    """One record as a source sent it, and when."""

    pub: Publication
    fetched_at: float


def collect(
    seen: list[Seen], merged: list[Publication], figures: dict[str, SourceFigures]
) -> MetricsFile:
    """The metrics file for ``merged`` (the managed file's works) from the records in ``seen``."""
    index: dict[str, int] = {}
    for position, pub in enumerate(merged):
        for ident in work_ids(pub):
            index.setdefault(ident, position)
    works: dict[int, WorkMetrics] = {}
    for record in seen:
        text = record.pub.get(CITES_FIELD).strip()
        kind = record.pub.get(SOURCE_FIELD).split("+")[0]
        if not text.isdigit() or not kind:
            continue
        found = next((index[i] for i in work_ids(record.pub) if i in index), None)
        if found is None:
            continue
        work = works.setdefault(found, WorkMetrics(work_ids(merged[found])))
        count = int(text)
        # A source that lists one work twice (OpenAlex: preprint and published) counts the
        # same citations twice over; the larger figure stands, never the sum.
        if count >= work.counts.get(kind, -1):
            work.counts[kind] = count
            work.fetched[kind] = max(work.fetched.get(kind, ""), iso_date(record.fetched_at))
    result = MetricsFile(sources=dict(figures))
    for position in sorted(works):
        work = works[position]
        work_id = work.ids[0]
        suffix = 1
        while work_id in result.works:
            suffix += 1
            work_id = f"{work.ids[0]}#{suffix}"
        result.works[work_id] = work
    return result


def figures_of(author: dict[str, int], fetched_at: float) -> SourceFigures:
    return SourceFigures(
        iso_date(fetched_at),
        author.get("h_index"),
        author.get("i10_index"),
        author.get("citations"),
    )


def previous_figures(path: Path) -> dict[str, SourceFigures]:
    return read_metrics(path).sources


def foreign(path: Path) -> bool:
    """A file at ``path`` that this refresh did not write (not our JSON): never replaced."""
    try:
        if path.stat().st_size > MAX_BYTES:  # not ours: refresh never writes one this big
            return True
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError):
        return True
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested past any file of ours
        return True
    return not (isinstance(data, dict) and data.get("version") == VERSION and "works" in data)
