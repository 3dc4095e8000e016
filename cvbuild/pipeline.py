"""Run the stages in order: load → bib → select → format → render → compile → write.

Nothing is written before every input has been read and checked and every output
has been produced; then all files move into place together.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cvbuild.bib.model import Publication
from cvbuild.errors import InputError, Problem, UsageError, error
from cvbuild.model import CV, Variant

FORMATS = ("pdf", "docx", "md", "tex")
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "md": ".md", "tex": ".tex"}


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

    def add_time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds


class _Clock:
    def __init__(self, report: BuildReport, stage: str) -> None:
        self.report, self.stage = report, stage

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.report.add_time(self.stage, time.perf_counter() - self.start)


def load(config: Path, report: BuildReport) -> CV:
    from cvbuild.load import load_config

    with _Clock(report, "load"):
        return load_config(config)


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


def render_outputs(
    cv: CV,
    variant: Variant,
    pubs: dict[int, list[Publication]],
    opts: BuildOptions,
    report: BuildReport,
    out_dir: Path,
) -> dict[Path, bytes]:
    """All files of one variant, in memory."""
    from cvbuild.format.document import format_document
    from cvbuild.select import resolve_variant, select_sections

    resolved = resolve_variant(cv, variant)
    formats = tuple(opts.formats) or resolved.formats
    with _Clock(report, "select"):
        sections = select_sections(cv, variant, pubs)
    with _Clock(report, "format"):
        doc = format_document(cv, resolved, sections, date_text=opts.date)
    folder = out_dir / resolved.name
    stem = resolved.filename
    files: dict[Path, bytes] = {}
    user_templates = cv.output.templates
    if "md" in formats:
        from cvbuild.render.markdown import render_markdown

        with _Clock(report, "render"):
            files[folder / f"{stem}.md"] = render_markdown(doc, user_templates).encode()
    if "tex" in formats or "pdf" in formats:
        from cvbuild.render.latex import latex_support_files, render_latex

        with _Clock(report, "render"):
            tex = render_latex(doc, user_templates)
        support = latex_support_files(resolved.theme)
        if "tex" in formats:
            files[folder / f"{stem}.tex"] = tex.encode()
            for path in support:
                files[folder / path.name] = path.read_bytes()
        if "pdf" in formats:
            from cvbuild.compile.latex import compile_pdf

            keep = opts.keep_build / resolved.name if opts.keep_build else None
            with _Clock(report, "compile"):
                result = compile_pdf(tex, support, resolved.engine, keep_build=keep)
            report.engine_passes += result.passes
            report.warnings.extend(result.warnings)
            files[folder / f"{stem}.pdf"] = result.pdf
    if "docx" in formats:
        from cvbuild.compile.pandoc import markdown_to_docx, reference_docx_path
        from cvbuild.render.markdown import render_markdown

        with _Clock(report, "render"):
            md = render_markdown(doc, user_templates, flavor="pandoc")
        with _Clock(report, "compile"):
            files[folder / f"{stem}.docx"] = markdown_to_docx(
                md, reference_docx_path(resolved.theme, resolved.paper), meta=doc.meta
            )
    return files


def check_formats(formats: Sequence[str]) -> None:
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise UsageError(f"unknown format {', '.join(bad)}; choose from {', '.join(FORMATS)}")


def build(config: Path, opts: BuildOptions | None = None) -> BuildReport:
    """Build the CV at ``config``. Raises InputError (1), UsageError (2), ExternalError (3).

    Variants whose inputs are unchanged since the last build (same content hash, outputs
    intact) are skipped without parsing BibTeX or running an engine.
    """
    opts = opts or BuildOptions()
    check_formats(opts.formats)
    report = BuildReport()
    cv = load(config, report)
    variants = choose_variants(cv, opts.variants)
    if not opts.write:
        load_bibliographies(cv, report)
        check_strict(report, opts.strict)
        return report

    from cvbuild.cache import BuildCache

    out_dir = opts.output_dir or cv.output.dir
    cache = BuildCache(out_dir)
    base_key = cache_key(cv, opts)
    stale: list[tuple[Variant, str]] = []
    for variant in variants:
        key = f"{base_key}:{variant.name}"
        if not opts.force and cache.is_fresh(variant.name, key):
            report.unchanged.extend(cache.outputs(variant.name))
            report.skipped.append(variant.name)
        else:
            stale.append((variant, key))
    if not stale:
        return report
    pubs = load_bibliographies(cv, report)
    check_strict(report, opts.strict)
    files: dict[Path, bytes] = {}
    for variant, key in stale:
        produced = render_outputs(cv, variant, pubs, opts, report, out_dir)
        cache.record(variant.name, key, produced)
        files.update(produced)
        report.variants.append(variant.name)
    files[cache.path] = cache.serialise()
    from cvbuild.outputs import write_atomically

    with _Clock(report, "write"):
        written = write_atomically(files)
    report.written = [p for p in written if p != cache.path]
    report.unchanged.extend(p for p in files if p not in written and p != cache.path)
    return report


def check_strict(report: BuildReport, strict: bool) -> None:
    if strict and report.warnings:
        raise InputError([error(p.location, p.message, p.hint) for p in report.warnings])


def cache_key(cv: CV, opts: BuildOptions) -> str:
    """Everything outside the variant that can change an output's bytes."""
    from cvbuild.cache import inputs_digest
    from cvbuild.format.dates import format_long, today
    from cvbuild.resources import styles_dir, templates_dir

    bib_files = [
        path
        for section in cv.sections
        if section.publications is not None
        for path in section.publications.bib
    ]
    folders = [templates_dir(), styles_dir()]
    if cv.output.templates:
        folders.append(cv.output.templates)
    date = opts.date or cv.output.date or format_long(today())
    options = [
        ",".join(opts.formats),
        date,
        str(opts.strict),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    ]
    return inputs_digest(cv.path, bib_files, folders, options)
