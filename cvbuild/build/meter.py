"""Time and peak memory per stage, measured where the work runs (this process or a worker)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator, Mapping


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB (0 where the OS does not say)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Meter:
    """Seconds and peak MB per stage for one piece of work; read once it is done."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.peaks: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start
            self.peaks[name] = max(self.peaks.get(name, 0.0), peak_mb())


def add_timings(parts: Iterable[Mapping[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for part in parts:
        for stage, seconds in part.items():
            total[stage] = total.get(stage, 0.0) + seconds
    return total


def max_peaks(parts: Iterable[Mapping[str, float]]) -> dict[str, float]:
    top: dict[str, float] = {}
    for part in parts:
        for stage, peak in part.items():
            top[stage] = max(peak, top.get(stage, 0.0))
    return top
