"""``build()``: quick check → load → plan → skip fresh → bib → run jobs → merge → write → remember.

Nothing is written before every input has been read and checked and every output has
been produced; then all files move into place together. ``check`` is the same path,
stopping before the jobs (it selects and formats each variant, for the warnings).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cvbuild.build.meter import Meter, add_timings, max_peaks
from cvbuild.build.options import BuildOptions, BuildReport, unique
from cvbuild.config.choices import ENGINES, FORMATS, PAPERS, THEMES
from cvbuild.errors import CvbuildError, InputError, Problem, UsageError, error

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication
    from cvbuild.build.job import JobResult
    from cvbuild.build.plan import Job
    from cvbuild.config.model import CV, Variant


def build(
    config: Path,
    opts: BuildOptions | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the CV at ``config``. Raises InputError (1), UsageError (2), ExternalError (3).

    Variants whose inputs are unchanged since the last build (same content hash, outputs
    intact) are skipped without parsing BibTeX or running an engine.

    The TeX engine of a PDF to come starts right after the config is read and loads its
    preamble while the BibTeX is read and the body rendered (``cvbuild.compile.warm``);
    whatever the build's end, an engine no compile took is killed.
    """
    try:
        return _build(config, opts, on_progress)
    finally:
        warm = sys.modules.get("cvbuild.compile.warm")  # imported only when one started
        if warm is not None:
            warm.release()


def _build(
    config: Path,
    opts: BuildOptions | None,
    on_progress: Callable[[str], None] | None,
) -> BuildReport:
    from cvbuild.build import freshness
    from cvbuild.config.files import config_file

    opts = opts or BuildOptions()
    check_formats(opts.formats)
    config = config_file(config)
    if opts.write:
        check_folders(opts)
    key = freshness.options_key(config, freshness_options(opts))
    # 1. quick check: not one input or output changed since the last build
    if opts.write and not opts.force and not opts.keep_build:
        record = freshness.quick_check(config, key)
        if record is not None:
            return BuildReport(
                unchanged=[Path(p) for p in record["outputs"]], skipped=list(record["variants"])
            )
    if opts.write:
        _spawn_early(config, key, opts)
    # 2. load (stamps taken before each file is read)
    meter = Meter()
    stamps = freshness.capture([config])
    with meter.stage("load"):
        cv = load(config)
    if opts.write:
        _spawn_engine(cv, opts)
    inputs = input_files(cv)
    stamps.update(freshness.capture(inputs))
    from cvbuild.metrics.shown import metrics_inputs, metrics_key

    stamps.update(freshness.capture(metrics_inputs(cv)))  # only when a variant prints metrics
    warnings = list(cv.warnings)
    # 3. plan
    from cvbuild.build.plan import choose_variants

    variants = choose_variants(cv, opts.variants)
    if not opts.write:
        return check_loaded(cv, [v.name for v in variants], opts, warnings, meter)
    out_dir = opts.output_dir or cv.output.dir
    from cvbuild.outputs import check_output_dir

    check_output_dir(out_dir)
    # 4. skip fresh variants
    digest = freshness.content_hash([cv.path, *inputs], key)
    record = freshness.read_record(config, key)
    remembered: dict[str, object] = {}
    unchanged: list[Path] = []
    skipped: list[str] = []
    stale = []
    for variant in variants:
        own = digest + metrics_key(cv, variant)  # citation counts only where they are printed
        outputs = None if opts.force else freshness.fresh_outputs(record, variant.name, own)
        if outputs is None:
            stale.append(variant)
        else:
            unchanged.extend(outputs)
            skipped.append(variant.name)
            remembered[variant.name] = record["variants"][variant.name]
    if not stale:
        remember(config, key, stamps, unchanged, remembered, {})
        return BuildReport(unchanged=unchanged, skipped=skipped, warnings=unique(warnings))
    # 5. bib (the TeX engine gets its preamble first, and loads it meanwhile)
    _start_engines(cv, stale, opts)
    with meter.stage("bib"):
        pubs, count, problems = load_bibliographies(cv)
    warnings = unique([*warnings, *problems])
    check_strict(warnings, opts.strict)
    # 6. run jobs
    results = run_jobs(cv, [v.name for v in stale], pubs, opts, on_progress)
    # 7. merge results
    files: dict[Path, bytes] = {}
    per_variant: dict[str, dict[Path, bytes]] = {v.name: {} for v in stale}
    for result in results:
        for name, data in result.files.items():
            per_variant[result.variant][out_dir / result.variant / name] = data
    for variant in stale:
        files.update(per_variant[variant.name])
        own = digest + metrics_key(cv, variant)
        remembered[variant.name] = freshness.variant_entry(own, per_variant[variant.name])
    # 8. write
    from cvbuild.outputs import write_atomically

    with meter.stage("write"):
        written = write_atomically(files)
    unchanged += [p for p in files if p not in written]
    report = BuildReport(
        written=written,
        unchanged=unchanged,
        warnings=unique([*warnings, *(w for r in results for w in r.warnings)]),
        timings=add_timings([meter.timings, *(r.timings for r in results)]),
        engine_passes=sum(r.engine_passes for r in results),
        variants=[v.name for v in stale],
        publications=count,
        skipped=skipped,
        compiles=sum(r.compiles for r in results),
        fits={r.variant: r.fit for r in results if r.fit is not None},
        peak_mb=max_peaks([meter.peaks, *(r.peak_mb for r in results)]),
    )
    # 9. remember
    seeds = {name: aux for r in results for name, aux in r.seeds.items()}
    remember(config, key, stamps, [*written, *unchanged], remembered, seeds)
    return report


def check(config: Path, strict: bool = False) -> BuildReport:
    """``cvbuild check``: load, plan and format every variant; write nothing."""
    return build(config, BuildOptions(strict=strict, write=False))


def check_loaded(
    cv: CV, variants: Sequence[str], opts: BuildOptions, warnings: list[Problem], meter: Meter
) -> BuildReport:
    """The check path after loading: the bib, then what selection and formatting warn about."""
    from cvbuild.build.job import prepare

    with meter.stage("bib"):
        pubs, count, problems = load_bibliographies(cv)
    warnings = unique([*warnings, *problems])
    by_name = {v.name: v for v in cv.variants}
    for name in variants:
        prepared = prepare(cv, by_name[name], pubs, opts.date, meter)
        warnings = unique([*warnings, *prepared.doc.warnings])
    check_strict(warnings, opts.strict)
    return BuildReport(warnings=warnings, publications=count, timings=dict(meter.timings))


def _spawn_early(config: Path, key: str, opts: BuildOptions) -> None:
    """Start the default engine before the config is even read when a PDF is as good as
    sure: asked for on the command line, or made by the last build with these options.
    It loads the last used format while Python reads the config; a CV that turns out to
    want another engine or no PDF just discards it (:func:`_start_engines`)."""
    if opts.formats and "pdf" not in opts.formats:
        return  # asked for other formats only: nothing of the engine is even imported
    from cvbuild.build import freshness
    from cvbuild.compile import warm

    if not warm.enabled():
        return
    if opts.formats:
        wanted = True
    else:
        outputs = freshness.read_record(config, key).get("outputs")
        wanted = isinstance(outputs, dict) and any(str(p).endswith(".pdf") for p in outputs)
    if wanted:
        from cvbuild.compile.spawn import spawn_warm

        spawn_warm(ENGINES[0])


def _spawn_engine(cv: CV, opts: BuildOptions) -> None:
    """Start the TeX engine now, if a PDF may be built: it loads its format while the
    build plans and reads the BibTeX; :func:`_start_engines` gives it its preamble."""
    variants = [v for v in cv.variants if not opts.variants or v.name in opts.variants]
    formats = set(opts.formats) or {f for v in variants for f in v.formats or ()}
    formats |= set() if opts.formats else set(cv.output.formats)
    if {"pdf", "publications"} & formats or any(v.max_pages for v in variants):
        from cvbuild.compile import warm
        from cvbuild.compile.spawn import spawn_warm

        if not warm.enabled():
            return

        spawn_warm(cv.output.engine or ENGINES[0])


def _start_engines(cv: CV, stale: Sequence[Variant], opts: BuildOptions) -> None:
    if (
        "cvbuild.compile.warm" not in sys.modules  # no engine was started early
        and opts.formats
        and not {"pdf", "publications"} & set(opts.formats)
        and not any(v.max_pages for v in stale)
    ):
        return  # no PDF to come: nothing of the engine is even imported
    from cvbuild.build import executor, freshness
    from cvbuild.build.plan import plan_jobs, worth_parallel
    from cvbuild.compile import warm

    if not warm.enabled():
        return
    plan = plan_jobs(cv, stale, opts.formats)
    workers = min(opts.jobs or executor.default_jobs(), len(plan))
    if not plan or worth_parallel(plan, workers):  # a pool worker could not take it
        warm.discard_blank()
        return
    for job in plan:
        if not job.max_pages and not {"pdf", "publications"} & set(job.formats):
            continue
        # Imported here: a build of Markdown or DOCX alone never loads the LaTeX modules.
        from cvbuild.compile.latex import warm_start
        from cvbuild.render.latex import latex_support_files
        from cvbuild.select import resolve_variant

        variant = next(v for v in stale if v.name == job.variant)
        resolved = resolve_variant(cv, variant)
        theme = resolved.theme or THEMES[0]
        try:
            files = latex_support_files(theme, cv.output.templates)
        except (FileNotFoundError, AssertionError):
            break
        kept = freshness.read_seeds(cv.path, f"{variant.name}-")  # the last preamble
        warm_start(resolved.engine or ENGINES[0], theme, resolved.paper or PAPERS[0], files, kept)
        return  # one engine: a second would compete with Python for the cores
    warm.discard_blank()


def check_formats(formats: Sequence[str]) -> None:
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise UsageError(f"unknown format {', '.join(bad)}; choose from {', '.join(FORMATS)}")


def check_folders(opts: BuildOptions) -> None:
    """Refuse unusable --output / --keep-build folders at once; sweep dead build folders."""
    from cvbuild.outputs import check_output_dir
    from cvbuild.tempdirs import sweep_stale

    sweep_stale()
    if opts.output_dir is not None:
        check_output_dir(opts.output_dir)
    if opts.keep_build is not None:
        check_output_dir(opts.keep_build, "--keep-build folder", "--keep-build DIR")


def freshness_options(opts: BuildOptions) -> list[str]:
    """What, besides the input files, decides what a build writes: the ONE options list of
    both the stamp fast path and the content hash."""
    from cvbuild.clock import freshness_token

    return [
        ",".join(opts.formats),
        ",".join(sorted(opts.variants)),
        str(opts.output_dir or ""),
        str(opts.strict),
        opts.date,
        freshness_token(),
    ]


def load(config: Path) -> CV:
    from cvbuild.config.reader import load_config

    return load_config(config)


def preset_problems(cv: CV, pubs: dict[int, list[Publication]]) -> None:
    """A preset variant's chosen outputs checked against the bibliography."""
    from cvbuild.select.outputs import bib_problems

    problems = bib_problems(cv, pubs)
    if problems:
        raise InputError(problems)


def load_bibliographies(cv: CV) -> tuple[dict[int, list[Publication]], int, list[Problem]]:
    """Publications per publications section (by index in ``cv.sections``), how many were
    read, and the problems (warnings; errors raise InputError). Each distinct list of files
    is read once; the refresh-managed file reads as empty until it exists."""
    from cvbuild.bib import load_publications
    from cvbuild.bib.dedupe import dedupe

    managed = cv.refresh.into if cv.refresh else None
    cache: dict[tuple[Path, ...], list[Publication]] = {}
    result: dict[int, list[Publication]] = {}
    found: list[Problem] = []
    count = 0
    for index, section in enumerate(cv.sections):
        if section.kind != "publications" or section.publications is None:
            continue
        paths = tuple(p for p in section.publications.bib if not (p == managed and not p.exists()))
        if paths not in cache:
            pubs, problems = load_publications(paths)
            if len(paths) > 1:
                pubs, more = dedupe(pubs)
                problems = [*problems, *more]
            found = unique([*found, *problems])
            errors = [p for p in problems if not p.is_warning]
            if errors:
                raise InputError(errors)
            cache[paths] = pubs
            count += len(pubs)
        result[index] = cache[paths]
    preset_problems(cv, result)  # chosen outputs and citations: every command, export too
    return result, count, found


def input_files(cv: CV) -> list[Path]:
    """Every file and folder a build of ``cv`` reads, besides the config itself."""
    from cvbuild.resources import styles_dir, templates_dir

    files: list[Path] = [templates_dir(), styles_dir()]
    files += [p for s in cv.sections if s.publications is not None for p in s.publications.bib]
    if cv.output.templates:
        files.append(cv.output.templates)
    return files


def check_strict(warnings: Sequence[Problem], strict: bool) -> None:
    if strict and warnings:
        raise InputError([error(p.location, p.message, p.hint) for p in warnings])


def run_jobs(
    cv: CV,
    variants: Sequence[str],
    pubs: dict[int, list[Publication]],
    opts: BuildOptions,
    on_progress: Callable[[str], None] | None = None,
) -> list[JobResult]:
    """The planned jobs of ``variants``, across cores when it pays; results in plan order.
    The first failure (in plan order) is raised here as the error it was."""
    from cvbuild.build import executor, freshness
    from cvbuild.build.plan import plan_jobs, worth_parallel

    chosen = [v for v in cv.variants if v.name in variants]
    plan = plan_jobs(cv, chosen, opts.formats)
    workers = min(opts.jobs or executor.default_jobs(), len(plan))
    if not worth_parallel(plan, workers):
        plan, workers = plan_jobs(cv, chosen, opts.formats, split=False), 1
    return run_plan(
        cv,
        plan,
        pubs,
        opts,
        workers,
        lambda job: freshness.read_seeds(cv.path, f"{job.variant}-"),
        on_progress,
    )


def run_plan(
    cv: CV,
    plan: Sequence[Job],
    pubs: dict[int, list[Publication]],
    opts: BuildOptions,
    workers: int,
    seeds: Callable[[Job], dict[str, dict[str, bytes]]] = lambda job: {},
    on_progress: Callable[[str], None] | None = None,
) -> list[JobResult]:
    from cvbuild.build import executor
    from cvbuild.build.job import WORKER_PRELOAD, JobInput, run_job

    tasks = [JobInput(cv, job, pubs, opts.date, opts.keep_build, seeds(job)) for job in plan]

    def done(index: int, outcome: object) -> None:
        if on_progress is not None:
            on_progress(plan[index].label)

    outcomes = executor.run_all(
        run_job,
        tasks,
        workers=workers,
        first=[i for i, job in enumerate(plan) if job.heavy] if workers > 1 else [],
        stop_on_failure=True,
        preload=WORKER_PRELOAD,
        on_done=done,
        what="building this CV",
    )
    for outcome in outcomes:
        if outcome is not None and outcome.failure is not None:
            raise outcome.failure.to_exception()
    return [o.value for o in outcomes if o is not None and o.value is not None]


def remember(
    config: Path,
    key: str,
    stamps: dict[str, list[int] | None],
    outputs: Sequence[Path],
    variants: Mapping[str, object],
    seeds: Mapping[str, Mapping[str, bytes]],
) -> None:
    """Keep this build's stamps, hashes and TeX seeds in the state folder. A read-only
    config folder: no fast path next time, no harm."""
    from cvbuild.build import freshness
    from cvbuild.outputs import write_atomically

    files = freshness.remember(config, key, stamps, outputs, variants, seeds)
    with contextlib.suppress(OSError, CvbuildError):
        write_atomically(files)
