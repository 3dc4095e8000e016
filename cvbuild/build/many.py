"""Many builds at once, across cores.

:func:`build_many` builds many CVs (a department: ``cvbuild build a/cv.yaml b/cv.yaml …``)
in a process pool. Each CV is built by :func:`cvbuild.build.run.build` in a worker; a
failing CV — invalid input, a LaTeX error, even a bug — is captured as its
:class:`BatchResult` and the others go on. Results come back in input order;
:func:`summarise` turns them into the lines the CLI prints at the end.

:func:`render_parallel` builds the variants × formats of ONE CV in parallel: the
heavy jobs (a TeX engine for a PDF, pandoc for a DOCX) each get a worker; Markdown and
``.tex`` are cheap and stay with their variant. Below :data:`PARALLEL_THRESHOLD` heavy
jobs it runs in this process, as the serial loop would.

Workers are started with the ``spawn`` method (no inherited threads or locks, the same on
Linux, macOS and Windows), run only module-level functions and exchange only picklable
dataclasses. Errors cross the process boundary as data, never as pickled exceptions.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cvbuild.build.run import BuildOptions, BuildReport
from cvbuild.config.choices import HEAVY_FORMATS
from cvbuild.errors import (
    BugError,
    CvbuildError,
    ExternalError,
    InputError,
    Problem,
    UsageError,
    os_failure,
)

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import Future

    from cvbuild.bib.model import Publication
    from cvbuild.config.model import CV, Variant

# Exit code of a CV whose build hit a bug in cvbuild (the CLI's exit code for a bug).
INTERNAL_EXIT = 4
# Heavy jobs (pdf or docx, over all variants) needed before render_parallel uses a pool.
PARALLEL_THRESHOLD = 2
# CVs needed before build_many uses a pool when only Markdown / .tex are built.
CHEAP_BATCH = 8


# Imported once by the fork server, so that each worker starts warm (~10 ms, not ~0.5 s).
_PRELOAD = [
    "cvbuild.build.run",
    "cvbuild.config.reader",
    "cvbuild.bib",
    "cvbuild.select",
    "cvbuild.format.document",
    "cvbuild.render.markdown",
    "cvbuild.render.latex",
]
_in_batch_worker = False  # set in build_many's workers: no nested pools


def _context() -> multiprocessing.context.BaseContext:
    """``forkserver`` where the platform has it (a clean single-threaded server forks
    warm workers: safe and fast), else ``spawn``. Never plain ``fork``, which copies a
    parent's threads and locks."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def _mark_worker() -> None:
    """Initializer of build_many's workers."""
    global _in_batch_worker
    _in_batch_worker = True


def default_jobs() -> int:
    """The CPU count; 1 inside a worker of build_many (its pool already fills the CPUs)."""
    if _in_batch_worker:
        return 1
    return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------- errors as data


@dataclass
class Failure:
    """An exception said as picklable data: kind, exit code, message, problems, traceback."""

    kind: str  # input | usage | external | internal
    exit_code: int
    message: str
    problems: list[Problem] = field(default_factory=list)
    traceback: str = ""

    @classmethod
    def of(cls, exc: BaseException) -> Failure:
        if isinstance(exc, InputError):
            count = sum(1 for p in exc.problems if not p.is_warning) or len(exc.problems)
            return cls("input", exc.exit_code, f"{count} problem(s) found", list(exc.problems))
        if isinstance(exc, UsageError):
            return cls("usage", exc.exit_code, str(exc))
        if isinstance(exc, ExternalError):
            return cls("external", exc.exit_code, str(exc))
        if isinstance(exc, OSError):  # a file-system fault, said for a person
            exc = os_failure(exc)
        if isinstance(exc, CvbuildError) and not isinstance(exc, BugError):
            return cls("error", exc.exit_code, str(exc))
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return cls("internal", INTERNAL_EXIT, f"{type(exc).__name__}: {exc}", [], text)

    def to_exception(self) -> CvbuildError:
        """The error to raise again in the parent process."""
        if self.kind == "input":
            return InputError(list(self.problems))
        if self.kind == "usage":
            return UsageError(self.message)
        if self.kind == "external":
            return ExternalError(self.message)
        if self.kind == "error":
            error = CvbuildError(self.message)
            error.exit_code = self.exit_code
            return error
        return BugError(f"{self.message} (in a worker process)", self.traceback)


# --------------------------------------------------------------------------- many CVs


@dataclass
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


def _build_one(config: Path, opts: BuildOptions) -> BatchResult:
    """Worker: build one CV, every outcome as data (module level, so spawn can find it)."""
    from cvbuild.build.run import build

    started = time.perf_counter()
    try:
        report = build(config, opts)
    except BaseException as exc:  # noqa: BLE001 — every failure becomes this CV's result
        if isinstance(exc, KeyboardInterrupt):
            raise
        return BatchResult(config, None, Failure.of(exc), time.perf_counter() - started)
    return BatchResult(config, report, None, time.perf_counter() - started)


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
    results: dict[Path, BatchResult] = {}

    def finished(result: BatchResult) -> None:
        results[result.config] = result
        if on_done is not None:
            on_done(result)

    if workers <= 1:
        for path in unique:
            finished(_build_one(path, per_config[path]))
    else:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        with ProcessPoolExecutor(
            max_workers=workers, mp_context=_context(), initializer=_mark_worker
        ) as pool:
            futures: dict[Future[BatchResult], Path] = {
                pool.submit(_build_one, path, per_config[path]): path for path in unique
            }
            from concurrent.futures import as_completed

            for future in as_completed(futures):
                path = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool as exc:  # a worker died (killed, out of memory)
                    result = BatchResult(path, None, _died(exc))
                except BaseException as exc:  # noqa: BLE001 — e.g. a result that did not pickle
                    result = BatchResult(path, None, Failure.of(exc))
                finished(result)
    return [results[path] for path in paths]


def _died(exc: BaseException) -> Failure:
    return Failure(
        "internal",
        INTERNAL_EXIT,
        "the worker process building this CV stopped abruptly (killed, or out of memory); "
        "build it alone to see why",
        [],
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    )


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


# --------------------------------------------------------------------------- one CV, many jobs


@dataclass(frozen=True)
class RenderJob:
    """Formats of one variant rendered together in one worker."""

    variant: str
    formats: tuple[str, ...]

    @property
    def heavy(self) -> bool:
        return any(f in HEAVY_FORMATS for f in self.formats)


def plan_jobs(cv: CV, variants: Sequence[Variant], opts: BuildOptions) -> list[RenderJob]:
    """Each pdf and each docx its own job; md and tex of a variant together (cheap).
    A variant fitted to ``max_pages`` stays one job: every format shows what the PDF kept."""
    from cvbuild.select import resolve_variant

    jobs: list[RenderJob] = []
    for variant in variants:
        resolved = resolve_variant(cv, variant)
        formats = tuple(opts.formats) or resolved.formats
        if resolved.max_pages and "pdf" in formats:
            jobs.append(RenderJob(variant.name, formats))
            continue
        light = tuple(f for f in formats if f not in HEAVY_FORMATS)
        for fmt in formats:
            if fmt in HEAVY_FORMATS:
                jobs.append(RenderJob(variant.name, (fmt,)))
        if light:
            jobs.append(RenderJob(variant.name, light))
    return jobs


def worth_parallel(jobs: Sequence[RenderJob], workers: int) -> bool:
    """A pool costs a worker start (~0.3 s: Python and cvbuild imports) — worth it only
    when at least PARALLEL_THRESHOLD jobs run an engine or pandoc."""
    return workers > 1 and sum(1 for j in jobs if j.heavy) >= PARALLEL_THRESHOLD


@dataclass
class _JobOutcome:
    files: dict[Path, bytes] = field(default_factory=dict)
    report: BuildReport = field(default_factory=BuildReport)
    failure: Failure | None = None


def _render_job(
    cv: CV,
    variant: Variant,
    pubs: dict[int, list[Publication]],
    opts: BuildOptions,
    out_dir: Path,
) -> _JobOutcome:
    """Worker: one variant's formats (``opts.formats``) in memory; failures as data."""
    from cvbuild.build.run import render_outputs

    outcome = _JobOutcome()
    try:
        outcome.files = render_outputs(cv, variant, pubs, opts, outcome.report, out_dir)
    except BaseException as exc:  # noqa: BLE001 — sent back as data, raised in the parent
        if isinstance(exc, KeyboardInterrupt):
            raise
        outcome.failure = Failure.of(exc)
    return outcome


def render_parallel(
    cv: CV,
    variants: Sequence[Variant],
    pubs: dict[int, list[Publication]],
    opts: BuildOptions,
    out_dir: Path,
    jobs: int | None = None,
    *,
    on_done: Callable[[str], None] | None = None,
) -> tuple[dict[str, dict[Path, bytes]], list[BuildReport]]:
    """What ``render_outputs`` gives for each variant, rendered across cores.

    Returns ``({variant name: {path: bytes}}, [partial reports])``: files per variant
    (for ``BuildCache.record``), and one partial BuildReport per job, in a fixed order
    (variants, then formats, as planned), holding that job's warnings, timings (worker
    time, so they add up to more than wall time) and engine passes — merge them with
    :func:`merge_reports`. On failure, every started job is let finish, none is started
    any more, and the first failure in plan order is raised as InputError, ExternalError
    or UsageError (a bug: BugError, a RuntimeError, with the worker's traceback).
    ``on_done(description)`` is called as each job finishes, for progress.
    """
    plan = plan_jobs(cv, variants, opts)
    by_name = {v.name: v for v in variants}
    workers = min(jobs or default_jobs(), len(plan))
    outcomes: list[_JobOutcome | None] = [None] * len(plan)

    def job_opts(job: RenderJob) -> BuildOptions:
        return replace(opts, formats=job.formats)

    def label(job: RenderJob) -> str:
        return f"{job.variant}: {', '.join(job.formats)}"

    if not worth_parallel(plan, workers):
        # As the serial loop does: each variant once, all its formats (selection and
        # formatting done once per variant, not once per format).
        plan = [
            RenderJob(v.name, tuple(f for j in plan if j.variant == v.name for f in j.formats))
            for v in variants
        ]
        plan = [job for job in plan if job.formats]
        outcomes = [None] * len(plan)
        for index, job in enumerate(plan):
            outcome = _render_job(cv, by_name[job.variant], pubs, job_opts(job), out_dir)
            outcomes[index] = outcome
            if on_done is not None:
                on_done(label(job))
            if outcome.failure is not None:
                break
    else:
        from concurrent.futures import FIRST_COMPLETED, wait

        # Heavy jobs first so the long ones start early; results are put back in plan order.
        order = sorted(range(len(plan)), key=lambda i: not plan[i].heavy)
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
            pending = {
                pool.submit(
                    _render_job, cv, by_name[plan[i].variant], pubs, job_opts(plan[i]), out_dir
                ): i
                for i in order
            }
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    index = pending.pop(future)
                    if future.cancelled():
                        continue
                    try:
                        outcome = future.result()
                    except BrokenProcessPool as exc:
                        outcome = _JobOutcome(failure=_died(exc))
                    except BaseException as exc:  # noqa: BLE001
                        outcome = _JobOutcome(failure=Failure.of(exc))
                    outcomes[index] = outcome
                    if on_done is not None:
                        on_done(label(plan[index]))
                    if outcome.failure is not None:
                        for other in pending:
                            other.cancel()  # not yet started: never starts
    for outcome in outcomes:
        if outcome is not None and outcome.failure is not None:
            raise outcome.failure.to_exception()
    files: dict[str, dict[Path, bytes]] = {v.name: {} for v in variants}
    parts: list[BuildReport] = []
    for job, outcome in zip(plan, outcomes, strict=True):
        assert outcome is not None
        files[job.variant].update(outcome.files)
        parts.append(outcome.report)
    return files, parts


def merge_reports(report: BuildReport, parts: Sequence[BuildReport]) -> None:
    """Add the partial reports of :func:`render_parallel` to ``report``: warnings (each
    once, in order), timings, engine passes."""
    for part in parts:
        report.warnings.extend(w for w in part.warnings if w not in report.warnings)
        for stage, seconds in part.timings.items():
            report.add_time(stage, seconds)
        report.engine_passes += part.engine_passes
        report.compiles += part.compiles
        report.fits.update(part.fits)
        report.seeds.update(part.seeds)
        for stage, peak in part.peak_mb.items():
            report.peak_mb[stage] = max(peak, report.peak_mb.get(stage, 0.0))
