"""What a build is asked to do (the command line's choices) and what it reports back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cvbuild.build.fit import FitResult
    from cvbuild.errors import Problem


@dataclass(frozen=True)
class BuildOptions:
    variants: Sequence[str] = ()  # names; empty = all
    formats: Sequence[str] = ()  # empty = each variant's own
    output_dir: Path | None = None  # overrides output.dir
    strict: bool = False
    keep_build: Path | None = None
    date: str = ""
    write: bool = True  # False: check only
    force: bool = False  # rebuild even when nothing changed
    jobs: int | None = None  # worker processes for the jobs; None = one per core


@dataclass(frozen=True)
class BuildReport:
    """What one build did, made once at its end from the merged job results."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds (summed)
    engine_passes: int = 0
    variants: list[str] = field(default_factory=list)  # built this time
    publications: int = 0
    skipped: list[str] = field(default_factory=list)  # variants unchanged since last build
    compiles: int = 0  # TeX documents compiled (each may take several engine passes)
    fits: dict[str, FitResult] = field(default_factory=dict)  # variant -> what was dropped
    peak_mb: dict[str, float] = field(default_factory=dict)  # stage -> peak memory


def unique(problems: Sequence[Problem]) -> list[Problem]:
    """Each problem once, in the order first seen."""
    seen: list[Problem] = []
    for problem in problems:
        if problem not in seen:
            seen.append(problem)
    return seen
