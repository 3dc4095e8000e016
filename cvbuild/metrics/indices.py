"""The h-index and the i10-index of a list of per-paper citation counts."""

from __future__ import annotations

from collections.abc import Iterable


def h_index(counts: Iterable[int]) -> int:
    """The largest h such that h papers have at least h citations each (0 for no papers)."""
    ranked = sorted((c for c in counts if c > 0), reverse=True)
    h = 0
    for rank, count in enumerate(ranked, 1):
        if count < rank:
            break
        h = rank
    return h


def i10_index(counts: Iterable[int]) -> int:
    """How many papers have at least 10 citations."""
    return sum(1 for c in counts if c >= 10)
