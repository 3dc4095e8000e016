"""Citation metrics: the managed metrics file ``refresh`` writes beside its managed .bib, and
the h-index / i10-index computed from it. No HTTP here: the build reads this package."""

from __future__ import annotations

from cvbuild.metrics.indices import h_index, i10_index
from cvbuild.metrics.store import (
    MetricsFile,
    SourceFigures,
    WorkMetrics,
    metrics_path,
    read_metrics,
    work_ids,
)

__all__ = [
    "MetricsFile",
    "SourceFigures",
    "WorkMetrics",
    "h_index",
    "i10_index",
    "metrics_path",
    "read_metrics",
    "work_ids",
]
