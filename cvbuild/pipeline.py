"""Run the stages in order: load → bib → select → format → render → compile → write.

Nothing is written before every input has been read and checked and every output
has been produced; then all files move into place together.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cvbuild.config.choices import FORMATS
from cvbuild.errors import CvbuildError, InputError, Location, Problem, UsageError, error

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication
    from cvbuild.config.model import CV, Variant
    from cvbuild.document import Document
    from cvbuild.fit import FitResult
    from cvbuild.select import ResolvedVariant, SelectedSection


@dataclass
class BuildOptions:
    variants: Sequence[str] = ()  # names; empty = all
    formats: Sequence[str] = ()  # empty = each variant's own
    output_dir: Path | None = None  # overrides output.dir
    strict: bool = False
    keep_build: Path | None = None
    date: str = ""
    write: bool = True  # False: check only
    force: bool = False  # rebuild even when nothing changed
    jobs: int | None = None  # worker processes for variants × formats; None = one per core


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    engine_passes: int = 0
    variants: list[str] = field(default_factory=list)
    publications: int = 0
    skipped: list[str] = field(default_factory=list)  # variants unchanged since last build
    compiles: int = 0  # TeX documents compiled (each may take several engine passes)
    fits: dict[str, FitResult] = field(default_factory=dict)  # variant -> what max_pages dropped
    seeds: dict[Path, bytes] = field(default_factory=dict)  # settled TeX .aux/.out, kept
    peak_mb: dict[str, float] = field(default_factory=dict)  # stage -> peak memory at its end

    def add_time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds


class _Clock:
    def __init__(self, report: BuildReport, stage: str) -> None:
        self.report, self.stage = report, stage

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.report.add_time(self.stage, time.perf_counter() - self.start)
        peak = _peak_mb()
        if peak > self.report.peak_mb.get(self.stage, 0.0):
            self.report.peak_mb[self.stage] = peak


def _peak_mb() -> float:
    """This process's peak resident memory so far, in MB (0 where the OS does not say)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load(config: Path, report: BuildReport) -> CV:
    from cvbuild.config.reader import load_config

    with _Clock(report, "load"):
        cv = load_config(config)
    report.warnings.extend(w for w in cv.warnings if w not in report.warnings)
    return cv


def load_bibliographies(cv: CV, report: BuildReport) -> dict[int, list[Publication]]:
    """Publications per publications section (by index in ``cv.sections``). Each distinct
    list of files is read once; the refresh-managed file reads as empty until it exists."""
    from cvbuild.bib import load_publications
    from cvbuild.bib.dedupe import dedupe

    managed = cv.refresh.into if cv.refresh else None
    cache: dict[tuple[Path, ...], list[Publication]] = {}
    result: dict[int, list[Publication]] = {}
    with _Clock(report, "bib"):
        for index, section in enumerate(cv.sections):
            if section.kind != "publications" or section.publications is None:
                continue
            paths = tuple(
                p for p in section.publications.bib if not (p == managed and not p.exists())
            )
            if paths not in cache:
                pubs, problems = load_publications(paths)
                if len(paths) > 1:
                    pubs, more = dedupe(pubs)
                    problems = [*problems, *more]
                report.warnings.extend(p for p in problems if p not in report.warnings)
                errors = [p for p in problems if not p.is_warning]
                if errors:
                    raise InputError(errors)
                cache[paths] = pubs
                report.publications += len(pubs)
            result[index] = cache[paths]
    return result


def choose_variants(cv: CV, names: Sequence[str]) -> list[Variant]:
    if not names:
        return list(cv.variants)
    known = {v.name: v for v in cv.variants}
    missing = [n for n in names if n not in known]
    if missing:
        import difflib

        hints = []
        for name in missing:
            close = difflib.get_close_matches(name, known, n=1)
            hints.append(f"'{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        raise UsageError(
            f"no variant named {', '.join(hints)} in {cv.path.name}; "
            f"variants are: {', '.join(known)}"
        )
    return [known[n] for n in names]


@dataclass
class VariantView:
    """One variant, selected and formatted, ready for any backend."""

    cv: CV
    resolved: ResolvedVariant
    sections: list[SelectedSection]
    doc: Document
    fit: FitResult | None = None
    pdf: bytes | None = None  # set when fitting to pages already produced it


def prepare_variant(
    cv: CV,
    variant: Variant,
    pubs: dict[int, list[Publication]],
    opts: BuildOptions,
    report: BuildReport,
) -> VariantView:
    from cvbuild.format.document import format_document
    from cvbuild.select import resolve_variant, select_sections

    resolved = resolve_variant(cv, variant)
    with _Clock(report, "select"):
        sections = select_sections(cv, variant, pubs)
    with _Clock(report, "format"):
        doc = format_document(cv, resolved, sections, date_text=opts.date)
    report.warnings.extend(w for w in doc.warnings if w not in report.warnings)
    return VariantView(cv, resolved, sections, doc)


def tex_source(view: VariantView, doc: Document, report: BuildReport) -> str:
    from cvbuild.render.latex import render_latex

    with _Clock(report, "render"):
        return render_latex(doc, view.cv.output.templates)


def support_files(view: VariantView) -> list[Path]:
    from cvbuild.render.latex import latex_support_files

    return latex_support_files(view.resolved.theme, view.cv.output.templates)


def pdf_bytes(view: VariantView, doc: Document, opts: BuildOptions, report: BuildReport) -> bytes:
    """Render and compile ``doc`` (the variant's own or a reduced one) to PDF."""
    from cvbuild.compile.latex import compile_pdf

    tex = tex_source(view, doc, report)
    keep = opts.keep_build / view.resolved.name if opts.keep_build else None
    # One seed folder per document kind (the CV, its publications-only sibling).
    kind = hashlib.sha256(doc.meta.title.encode()).hexdigest()[:8]
    seeds = seed_folder(view, opts) / f"{view.resolved.name}-{kind}"
    with _Clock(report, "compile"):
        result = compile_pdf(
            tex,
            support_files(view),
            view.resolved.engine,
            keep_build=keep,
            source_map=source_map(view),
            seed=read_seeds(seeds),
        )
    report.seeds.update({seeds / name: data for name, data in result.aux.items()})
    report.engine_passes += result.passes
    report.compiles += 1
    report.warnings.extend(w for w in result.warnings if w not in report.warnings)
    return result.pdf


def seed_folder(view: VariantView, opts: BuildOptions) -> Path:
    """Where the settled TeX .aux/.out of each document are kept between builds."""
    return (opts.output_dir or view.cv.output.dir) / ".cvbuild-cache"


def read_seeds(folder: Path) -> dict[str, bytes]:
    try:
        return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    except OSError:
        return {}


def source_map(view: VariantView) -> dict[str, Location]:
    """BibTeX key or section title → where the user wrote it, for TeX error messages."""
    found: dict[str, Location] = {}
    for selected in view.sections:
        found[selected.section.title] = selected.section.where
        for group in selected.groups:
            for entry in group.entries:
                found[entry.publication.key] = entry.publication.location
    return found


def fit_pages(view: VariantView, opts: BuildOptions, report: BuildReport) -> None:
    """Fit the variant's PDF into ``max_pages`` by dropping its lowest-priority items."""
    from cvbuild.fit import fit_variant
    from cvbuild.format.document import format_document

    def document(sections: Sequence[SelectedSection]) -> Document:
        return format_document(view.cv, view.resolved, sections, date_text=opts.date)

    kept, fit = fit_variant(
        view.sections,
        view.resolved.max_pages or 0,
        lambda sections: pdf_bytes(view, document(sections), opts, report),
        where=view.resolved.variant.where_of("max_pages"),
        variant=view.resolved.name,
    )
    view.fit, view.pdf = fit, fit.pdf
    if fit.dropped:
        view.sections, view.doc = list(kept), document(kept)
    report.fits[view.resolved.name] = fit


def docx_bytes(view: VariantView, doc: Document, report: BuildReport) -> bytes:
    from cvbuild.compile.pandoc import markdown_to_docx, reference_docx_path
    from cvbuild.render.markdown import render_markdown

    with _Clock(report, "render"):
        md = render_markdown(doc, view.cv.output.templates, flavor="pandoc")
    with _Clock(report, "compile"):
        return markdown_to_docx(
            md, reference_docx_path(view.resolved.theme, view.resolved.paper), meta=doc.meta
        )


def render_outputs(
    cv: CV,
    variant: Variant,
    pubs: dict[int, list[Publication]],
    opts: BuildOptions,
    report: BuildReport,
    out_dir: Path,
) -> dict[Path, bytes]:
    """All files of one variant, in memory."""
    view = prepare_variant(cv, variant, pubs, opts, report)
    formats = tuple(opts.formats) or view.resolved.formats
    if view.resolved.max_pages and "pdf" in formats:
        fit_pages(view, opts, report)
    folder = out_dir / view.resolved.name
    stem = view.resolved.filename
    files: dict[Path, bytes] = {}
    if "md" in formats:
        from cvbuild.render.markdown import render_markdown

        with _Clock(report, "render"):
            files[folder / f"{stem}.md"] = render_markdown(view.doc, cv.output.templates).encode()
    if "html" in formats:
        from cvbuild.render.html import render_html

        with _Clock(report, "render"):
            html = render_html(view.doc, cv.output.templates, publications=view_publications(view))
            files[folder / f"{stem}.html"] = html.encode()
    if "tex" in formats:
        from cvbuild.compile.latex import tex_folder_files

        tex = tex_source(view, view.doc, report)
        for name, data in tex_folder_files(tex, support_files(view), stem).items():
            files[folder / name] = data
    if "pdf" in formats:
        files[folder / f"{stem}.pdf"] = view.pdf or pdf_bytes(view, view.doc, opts, report)
    if "docx" in formats:
        files[folder / f"{stem}.docx"] = docx_bytes(view, view.doc, report)
    return files


def view_publications(view: VariantView) -> list[Publication]:
    """The variant's selected publications, for backends that want their fields."""
    return [e.publication for s in view.sections for g in s.groups for e in g.entries]


def check_formats(formats: Sequence[str]) -> None:
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise UsageError(f"unknown format {', '.join(bad)}; choose from {', '.join(FORMATS)}")


def build(
    config: Path,
    opts: BuildOptions | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the CV at ``config``. Raises InputError (1), UsageError (2), ExternalError (3).

    Variants whose inputs are unchanged since the last build (same content hash, outputs
    intact) are skipped without parsing BibTeX or running an engine.
    """
    from cvbuild.config.reader import config_file

    opts = opts or BuildOptions()
    check_formats(opts.formats)
    config = config_file(config)
    report = BuildReport()
    if opts.write:
        from cvbuild.outputs import check_output_dir
        from cvbuild.tempdirs import sweep_stale

        sweep_stale()
        if opts.output_dir is not None:
            check_output_dir(opts.output_dir)
        if opts.keep_build is not None:
            check_output_dir(opts.keep_build, "--keep-build folder", "--keep-build DIR")
    quick = opts.write and not opts.force and not opts.keep_build
    if quick:
        from cvbuild.stamps import quick_check

        record = quick_check(config, stamp_options(opts))
        if record is not None:  # not one input or output changed since the last build
            report.skipped = list(record["variants"])
            report.unchanged = [Path(p) for p in record["outputs"]]
            return report
    from cvbuild.stamps import capture

    stamps = capture([config])  # before reading it
    cv = load(config, report)
    stamps.update(capture(input_files(cv)))  # before reading them
    from cvbuild.format.metrics import metrics_inputs, metrics_key

    stamps.update(capture(metrics_inputs(cv)))  # only when a variant prints metrics
    variants = choose_variants(cv, opts.variants)
    if not opts.write:
        pubs = load_bibliographies(cv, report)
        for variant in variants:  # what selection and formatting would warn about
            prepare_variant(cv, variant, pubs, opts, report)
        check_strict(report, opts.strict)
        return report

    from cvbuild.cache import BuildCache

    out_dir = opts.output_dir or cv.output.dir
    from cvbuild.outputs import check_output_dir

    check_output_dir(out_dir)
    cache = BuildCache(out_dir)
    base_key = cache_key(cv, opts)
    stale: list[tuple[Variant, str]] = []
    for variant in variants:
        key = f"{base_key}:{variant.name}{metrics_key(cv, variant)}"
        if not opts.force and cache.is_fresh(variant.name, key):
            report.unchanged.extend(cache.outputs(variant.name))
            report.skipped.append(variant.name)
        else:
            stale.append((variant, key))
    if not stale:
        remember_stamps(cv, opts, report, cache.path, stamps)
        return report
    pubs = load_bibliographies(cv, report)
    check_strict(report, opts.strict)
    from cvbuild.batch import merge_reports, render_parallel

    by_variant, parts = render_parallel(
        cv, [v for v, _ in stale], pubs, opts, out_dir, opts.jobs, on_done=on_progress
    )
    merge_reports(report, parts)
    files: dict[Path, bytes] = {}
    for variant, key in stale:
        produced = by_variant[variant.name]
        cache.record(variant.name, key, produced)
        files.update(produced)
        report.variants.append(variant.name)
    files[cache.path] = cache.serialise()
    files.update(report.seeds)
    from cvbuild.outputs import write_atomically

    with _Clock(report, "write"):
        written = write_atomically(files)
    ours = {cache.path, *report.seeds}
    report.written = [p for p in written if p not in ours]
    report.unchanged.extend(p for p in files if p not in written and p not in ours)
    remember_stamps(cv, opts, report, cache.path, stamps)
    return report


def stamp_options(opts: BuildOptions) -> list[str]:
    """What, besides the files, decides what a build writes (for the stamp fast path)."""
    from cvbuild.format.dates import format_long, today

    return [
        ",".join(opts.formats),
        ",".join(sorted(opts.variants)),
        str(opts.output_dir or ""),
        str(opts.strict),
        opts.date or format_long(today()),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    ]


def input_files(cv: CV) -> list[Path]:
    """Every file and folder a build of ``cv`` reads, besides the config itself."""
    from cvbuild.resources import styles_dir, templates_dir

    files: list[Path] = [templates_dir(), styles_dir()]
    files += [p for s in cv.sections if s.publications is not None for p in s.publications.bib]
    if cv.output.templates:
        files.append(cv.output.templates)
    return files


def remember_stamps(
    cv: CV, opts: BuildOptions, report: BuildReport, cache_file: Path, stamps: dict
) -> None:
    """Record the stamps of every input (as taken before reading) and output of this build."""
    from cvbuild.outputs import write_atomically
    from cvbuild.stamps import remember

    outputs = [*report.written, *report.unchanged, cache_file]
    variants = [*report.skipped, *report.variants]
    path, data = remember(cv.path, stamp_options(opts), stamps, outputs, variants)
    # A read-only config folder: no fast path, no harm.
    with contextlib.suppress(OSError, CvbuildError):
        write_atomically({path: data})


def check_strict(report: BuildReport, strict: bool) -> None:
    if strict and report.warnings:
        raise InputError([error(p.location, p.message, p.hint) for p in report.warnings])


def cache_key(cv: CV, opts: BuildOptions) -> str:
    """Everything outside the variant that can change an output's bytes."""
    from cvbuild.cache import inputs_digest
    from cvbuild.format.dates import format_long, today

    date = opts.date or cv.output.date or format_long(today())
    options = [
        ",".join(opts.formats),
        date,
        str(opts.strict),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    ]
    return inputs_digest([cv.path, *input_files(cv)], options)
