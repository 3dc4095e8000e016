"""Which variants show citation metrics, and the metrics file a build reads for them.

The build stage calls :func:`load` and hands the result to the format stage (which reads no
file); :func:`metrics_inputs` and :func:`metrics_key` tell freshness about the file, only for
variants that print metrics, so a citation ticking up never rebuilds a CV that shows none.
"""

from __future__ import annotations

import os
from pathlib import Path

from cvbuild.config.model import CV, MetricsDisplay, PublicationQuery, Variant
from cvbuild.metrics.store import MetricsFile, metrics_path, read_metrics

_CACHE: dict[Path, tuple[tuple[int, int], MetricsFile]] = {}


def display_for(query: PublicationQuery | None, variant: Variant | None) -> MetricsDisplay | None:
    """The metrics a publications section shows in a variant, or None."""
    chosen = variant.metrics if variant is not None and variant.metrics is not None else None
    if chosen is None and query is not None:
        chosen = query.metrics
    return chosen if chosen is not None and chosen.shown else None


def metrics_file(cv: CV) -> Path | None:
    return metrics_path(cv.refresh.into) if cv.refresh is not None else None


def load(cv: CV) -> MetricsFile:
    """The CV's metrics file (re-read only when its size or time changes)."""
    path = metrics_file(cv)
    if path is None:
        return MetricsFile()
    try:
        info = os.stat(path)
    except OSError:
        return MetricsFile()
    stamp = (info.st_mtime_ns, info.st_size)
    cached = _CACHE.get(path)
    if cached is None or cached[0] != stamp:
        cached = (stamp, read_metrics(path))
        _CACHE[path] = cached
    return cached[1]


def shows_metrics(cv: CV, variant: Variant) -> bool:
    """Does any publications section of ``variant`` print citation metrics?"""
    chosen = set(variant.sections) if variant.sections is not None else None
    return any(
        display_for(section.publications, variant) is not None
        for section in cv.sections
        if section.publications is not None and (chosen is None or section.title in chosen)
    )


def metrics_inputs(cv: CV) -> list[Path]:
    """The metrics file, when some variant shows metrics (for the build's file stamps)."""
    path = metrics_file(cv)
    if path is None or not any(shows_metrics(cv, v) for v in cv.variants):
        return []
    return [path]


def metrics_key(cv: CV, variant: Variant) -> str:
    """What the metrics file adds to ``variant``'s build key: "" when it shows no metrics,
    so a citation ticking up never rebuilds a CV that does not print citations."""
    if not shows_metrics(cv, variant):
        return ""
    import hashlib

    # The digest of what the build will show (the file as read, bounded by read_metrics),
    # not of its bytes again: one read per file and stamp, whatever the number of variants.
    digest = hashlib.sha256(load(cv).text().encode()).hexdigest()[:16]
    return ":metrics:" + digest
