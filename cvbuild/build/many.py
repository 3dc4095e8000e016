"""Many CVs at once: ``cvbuild build a/cv.yaml b/cv.yaml …`` (a department).

:func:`build_many` runs :func:`cvbuild.build.run.build` over the configs through the
executor; a failing CV — invalid input, a LaTeX error, even a bug — is captured as its
:class:`BatchResult` and the others go on. Results come back in input order;
:func:`summarise` turns them into the lines the CLI prints at the end.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cvbuild.build.executor import INTERNAL_EXIT, Failure, Outcome, default_jobs, run_all
from cvbuild.build.options import BuildOptions, BuildReport
from cvbuild.config.choices import HEAVY_FORMATS
from cvbuild.errors import Problem

__all__ = ["INTERNAL_EXIT", "BatchResult", "Failure", "build_many", "output_folders", "summarise"]

# CVs needed before build_many uses a pool when only Markdown / .tex are built.
CHEAP_BATCH = 8
# Imported once by the fork server, so that each worker starts warm (~10 ms, not ~0.5 s).
_PRELOAD = ("cvbuild.build.run", "cvbuild.build.job", "cvbuild.config.reader", "cvbuild.bib")


@dataclass(frozen=True)
class BatchResult:
    """How one CV of a batch went."""

    config: Path
    report: BuildReport | None = None  # None when it failed
    failure: Failure | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def exit_code(self) -> int:
        return self.failure.exit_code if self.failure else 0

    @property
    def message(self) -> str:
        return self.failure.message if self.failure else ""

    @property
    def problems(self) -> list[Problem]:
        return self.failure.problems if self.failure else []

    @property
    def traceback(self) -> str:
        return self.failure.traceback if self.failure else ""


def _build_one(item: tuple[Path, BuildOptions]) -> BuildReport:
    """Worker: build one CV (module level, so a pool can find it)."""
    from cvbuild.build import run

    config, opts = item
    return run.build(config, opts)


def output_folders(configs: Sequence[Path], base: Path) -> dict[Path, Path]:
    """One output folder under ``base`` per config, named after it and distinct:
    ``a/cv.yaml`` → ``base/a``, ``b/jane.yaml`` → ``base/jane``; clashes take more of the
    path (``x/a/cv.yaml`` → ``base/x-a``)."""
    resolved = [Path(os.path.abspath(c)) for c in dict.fromkeys(configs)]

    def name(path: Path, depth: int) -> str:
        parts = [*path.parent.parts[1:], path.stem if path.name != "cv.yaml" else ""]
        parts = [p for p in parts if p]
        return "-".join(parts[-depth:]) if parts else "cv"

    depth = {path: 1 for path in resolved}
    while True:
        names = {path: name(path, depth[path]) for path in resolved}
        seen: dict[str, list[Path]] = {}
        for path, text in names.items():
            seen.setdefault(text, []).append(path)
        clashes = [paths for paths in seen.values() if len(paths) > 1]
        if not clashes:
            break
        grew = False
        for paths in clashes:
            for path in paths:
                if name(path, depth[path] + 1) != names[path]:
                    depth[path] += 1
                    grew = True
        if not grew:  # identical all the way up: number them
            for paths in clashes:
                for index, path in enumerate(paths[1:], start=2):
                    names[path] = f"{names[path]}-{index}"
            break
    return {path: base / names[path] for path in resolved}


def batch_worth_pool(count: int, opts: BuildOptions) -> bool:
    """Whether a pool pays for its start (measured here: ~0.5 s for two warm workers,
    while a Markdown-only CV builds in ~0.1 s and a PDF in seconds): always when a CV may
    run an engine or pandoc, and from CHEAP_BATCH CVs when only md/tex are asked for."""
    if count < 2:
        return False
    if not opts.formats or any(f in HEAVY_FORMATS for f in opts.formats):
        return True
    return count >= CHEAP_BATCH


def build_many(
    configs: Sequence[Path],
    opts: BuildOptions,
    *,
    jobs: int | None = None,
    on_done: Callable[[BatchResult], None] | None = None,
) -> list[BatchResult]:
    """Build every config; one result per config, in input order.

    ``jobs`` worker processes (1 = in this process, no pool). By default the number of
    CPUs, or no pool when it would not pay (see :func:`batch_worth_pool`).
    ``on_done`` is called in this process as each CV finishes (for progress). When
    ``opts.output_dir`` is set and there is more than one config, each CV goes to its own
    folder under it (see :func:`output_folders`), so their files and caches never mix.
    A config named twice is built once.
    """
    paths = [Path(os.path.abspath(c)) for c in configs]
    unique = list(dict.fromkeys(paths))
    per_config: dict[Path, BuildOptions] = {path: opts for path in unique}
    if opts.output_dir is not None and len(unique) > 1:
        folders = output_folders(unique, opts.output_dir)
        per_config = {path: replace(opts, output_dir=folders[path]) for path in unique}
    if opts.keep_build is not None and len(unique) > 1:
        keep = output_folders(unique, opts.keep_build)
        per_config = {path: replace(per_config[path], keep_build=keep[path]) for path in unique}

    workers = min(jobs or default_jobs(), len(unique))
    if jobs is None and not batch_worth_pool(len(unique), opts):
        workers = 1

    def result(index: int, outcome: Outcome[BuildReport]) -> BatchResult:
        return BatchResult(unique[index], outcome.value, outcome.failure, outcome.seconds)

    def finished(index: int, outcome: Outcome[BuildReport]) -> None:
        if on_done is not None:
            on_done(result(index, outcome))

    outcomes = run_all(
        _build_one,
        [(path, per_config[path]) for path in unique],
        workers=workers,
        preload=_PRELOAD,
        on_done=finished,
        what="building this CV",
    )
    results = {}
    for index, outcome in enumerate(outcomes):
        assert outcome is not None  # every CV runs: no stop on failure
        results[unique[index]] = result(index, outcome)
    return [results[path] for path in paths]


def batch_exit_code(results: Sequence[BatchResult]) -> int:
    """0 when every CV built; else the highest exit code among the failures
    (1 input, 2 usage, 3 outside step, 4 a bug)."""
    return max((r.exit_code for r in results), default=0)


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def summarise(results: Sequence[BatchResult], *, tracebacks: bool = False) -> list[str]:
    """Lines for a person: one per CV (with each failing CV's problems indented under
    it), then a total. ``tracebacks``: include the traceback of a bug."""
    lines: list[str] = []
    for result in results:
        name = _relative(result.config)
        if result.report is not None:
            report = result.report
            parts = [f"built {len(report.variants)} variant(s)"]
            if report.skipped:
                parts.append(f"{len(report.skipped)} up to date")
            parts.append(f"wrote {len(report.written)} file(s)")
            if report.unchanged:
                parts.append(f"{len(report.unchanged)} unchanged")
            if report.warnings:
                parts.append(f"{len(report.warnings)} warning(s)")
            lines.append(f"{name}: ok, {', '.join(parts)} ({result.seconds:.1f}s)")
            continue
        failure = result.failure
        assert failure is not None
        if failure.kind == "internal":
            lines.append(
                f"{name}: internal error (a bug in cvbuild; please report it): {failure.message}"
            )
            if tracebacks and failure.traceback:
                lines.extend("    " + line for line in failure.traceback.rstrip().splitlines())
        else:
            lines.append(f"{name}: failed (exit {failure.exit_code}): {failure.message}")
        lines.extend(f"    {problem}" for problem in failure.problems)
    built = sum(1 for r in results if r.ok)
    failed = len(results) - built
    total = f"{len(results)} CV(s): {built} built, {failed} failed"
    if failed:
        total += f" (exit {batch_exit_code(results)})"
    lines.append(total)
    return lines
