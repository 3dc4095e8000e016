"""One job: one variant's documents, made in memory → a frozen :class:`JobResult`.

select → format → (fit) → render → compile, for the formats the plan gave the job. A job
reads no state and writes nothing: what it needs comes in :class:`JobInput` (picklable, so
a pool worker can run it), what it made goes back in the result — files, warnings, timings,
peak memory, engine passes, the fit, the settled TeX seeds — to be merged by ``build``.

``max_pages``: the PDF is fitted first and every format of the job is made from the fitted
selection. A job whose formats lack ``pdf`` still compiles the PDF to fit (the only way to
know the pages), and leaves it out of its files. Compiling is what a fit costs; a cached
fit could go stale in ways the content hash cannot see (fonts, TeX Live), so it is not
reused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cvbuild import clock
from cvbuild.build.meter import Meter
from cvbuild.build.options import unique
from cvbuild.build.plan import Job
from cvbuild.document import Document
from cvbuild.errors import InputError, Location, Problem
from cvbuild.metrics.shown import load as load_metrics

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication
    from cvbuild.build.fit import FitResult
    from cvbuild.config.model import CV, Variant
    from cvbuild.config.presets.model import Preset
    from cvbuild.render.latex import LatexSource
    from cvbuild.select import ResolvedVariant, SelectedSection

# Modules a pool's fork server imports once, so that each worker starts warm.
WORKER_PRELOAD = (
    "cvbuild.build.job",
    "cvbuild.config.reader",
    "cvbuild.bib",
    "cvbuild.select",
    "cvbuild.format.assemble",
    "cvbuild.render.markdown",
    "cvbuild.render.latex",
)


@dataclass(frozen=True)
class JobInput:
    """Everything one job needs."""

    cv: CV
    job: Job
    pubs: Mapping[int, list[Publication]]  # per publications section (index in cv.sections)
    date: str = ""  # the "last updated" text asked for on the command line
    keep_build: Path | None = None
    seeds: Mapping[str, Mapping[str, bytes]] = field(default_factory=dict)  # kept TeX .aux


@dataclass(frozen=True)
class JobResult:
    """What one job made."""

    variant: str
    files: Mapping[str, bytes]  # file name (in the variant's folder) -> bytes
    warnings: tuple[Problem, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)  # stage -> seconds
    peak_mb: Mapping[str, float] = field(default_factory=dict)  # stage -> peak MB
    engine_passes: int = 0
    compiles: int = 0
    fit: FitResult | None = None
    seeds: Mapping[str, Mapping[str, bytes]] = field(default_factory=dict)  # settled TeX .aux
    date: str = ""  # the date the documents show
    stem: str = ""  # the file name stem


@dataclass(frozen=True)
class Prepared:
    """One variant, selected and formatted, ready for any backend."""

    resolved: ResolvedVariant
    sections: list[SelectedSection]
    doc: Document


def prepare(
    cv: CV, variant: Variant, pubs: Mapping[int, list[Publication]], date: str, meter: Meter
) -> Prepared:
    from cvbuild.format.assemble import format_document
    from cvbuild.format.owner import OwnerMatcher
    from cvbuild.select import resolve_variant, select_sections

    resolved = resolve_variant(cv, variant)
    with meter.stage("select"):
        owner = OwnerMatcher(cv.person.name, cv.person.aliases, cv.person.display)
        sections = select_sections(cv, variant, dict(pubs), owner)
    with meter.stage("format"):
        doc = format_document(
            cv, resolved, sections, today=clock.today(), date_text=date, metrics=load_metrics(cv)
        )
    if variant.rules is not None:  # a preset's limits, on the text as pasted
        from cvbuild.build.pack import pasted_problems

        problems = pasted_problems(doc, cv, variant)
        if problems:
            raise InputError(problems)
    return Prepared(resolved, sections, doc)


def publications_only(doc: Document) -> Document | None:
    """The document with only its publications sections (``None`` if it has none)."""
    sections = tuple(s for s in doc.sections if s.kind == "publications")
    if not sections:
        return None
    used = {kind for s in sections for kind in s.marks}
    meta = replace(
        doc.meta,
        title=f"{doc.header.name} \u2014 Publications",
        keywords=tuple(s.title for s in sections),
    )
    return Document(
        header=doc.header,
        sections=sections,
        meta=meta,
        legends={k: v for k, v in doc.legends.items() if k in used},
        legend_symbols={k: v for k, v in doc.legend_symbols.items() if k in used},
    )


class _Work:
    """The making of one job's documents (lives for one job only)."""

    def __init__(self, task: JobInput, prepared: Prepared, meter: Meter) -> None:
        self.task, self.cv, self.meter = task, task.cv, meter
        self.resolved, self.sections = prepared.resolved, prepared.sections
        self.warnings: list[Problem] = list(prepared.doc.warnings)
        self.passes = self.compiles = 0
        self.last_aux: Mapping[str, bytes] = {}  # the .aux files of the last compile
        self.seeds: dict[str, Mapping[str, bytes]] = {}

    @property
    def templates(self) -> Path | None:
        return self.cv.output.templates

    def document(self, sections: Sequence[SelectedSection]) -> Document:
        from cvbuild.format.assemble import format_document

        with self.meter.stage("format"):
            return format_document(
                self.cv,
                self.resolved,
                sections,
                today=clock.today(),
                date_text=self.task.date,
                metrics=load_metrics(self.cv),
            )

    def latex(self, doc: Document, *, twopass: bool | None = None) -> LatexSource:
        from cvbuild.render.latex import render_latex

        with self.meter.stage("render"):
            return render_latex(doc, self.templates, twopass=twopass)

    def pdf(self, doc: Document) -> bytes:
        from cvbuild.compile.latex import TexMemoryError, compile_pdf

        source = self.latex(doc)
        keep = self.task.keep_build / self.resolved.name if self.task.keep_build else None
        # One seed folder per document kind (the CV, its publications-only sibling).
        name = f"{self.resolved.name}-{hashlib.sha256(doc.meta.title.encode()).hexdigest()[:8]}"
        with self.meter.stage("compile"):
            run = {
                "keep_build": keep,
                "source_map": self.source_map(),
                "seed": self.task.seeds.get(name),
            }
            try:
                result = compile_pdf(source, **run)  # type: ignore[arg-type]
            except TexMemoryError:  # too long for one pass: ship pages as they come
                result = compile_pdf(self.latex(doc, twopass=True), **run)  # type: ignore[arg-type]
        self.seeds[name] = self.last_aux = dict(result.aux)
        self.passes += result.passes
        self.compiles += 1
        self.warnings.extend(result.warnings)
        return result.pdf

    def docx(self, doc: Document) -> bytes:
        from cvbuild.compile.pandoc import markdown_to_docx, reference_docx_path
        from cvbuild.render.markdown import render_markdown

        with self.meter.stage("render"):
            md = render_markdown(doc, self.templates, flavor="pandoc")
        with self.meter.stage("compile"):
            reference = reference_docx_path(self.resolved.theme, self.resolved.paper)
            return markdown_to_docx(md, reference, meta=doc.meta)

    def source_map(self) -> dict[str, Location]:
        """BibTeX key or section title → where the user wrote it, for TeX error messages."""
        found: dict[str, Location] = {}
        for selected in self.sections:
            found[selected.section.title] = selected.section.where
            for group in selected.groups:
                for entry in group.entries:
                    found[entry.publication.key] = entry.publication.location
        return found

    def fit(self, max_pages: int) -> FitResult:
        """Fit the PDF into ``max_pages``; the job's sections become what it kept."""
        from cvbuild.build.fit import fit_variant

        kept, fit = fit_variant(
            self.sections,
            max_pages,
            lambda sections: (self.pdf(self.document(sections)), self.last_aux),
            where=self.resolved.variant.where_of("max_pages"),
            variant=self.resolved.name,
            keep_all=_keep_all(self.resolved.variant),
        )
        self.sections = list(kept)
        return fit

    def publications(self) -> list[Publication]:
        """The selected publications, for backends that want their fields."""
        return [e.publication for s in self.sections for g in s.groups for e in g.entries]


def _keep_all(variant: Variant) -> str:
    """The preset's name when it forbids dropping content to fit, else ""."""
    if not variant.keep_all or variant.rules is None:
        return ""
    return str(variant.rules.name).upper()


def run_job(task: JobInput) -> JobResult:
    """Make the job's documents (module level: a pool worker runs it)."""
    meter = Meter()
    job, cv = task.job, task.cv
    variant = next(v for v in cv.variants if v.name == job.variant)
    prepared = prepare(cv, variant, task.pubs, task.date, meter)
    work = _Work(task, prepared, meter)
    full = doc = prepared.doc
    fit = fitted_pdf = None
    if job.max_pages and _can_fit(work, job):
        fit = work.fit(job.max_pages)
        fitted_pdf = fit.pdf
        if fit.dropped:
            doc = work.document(work.sections)
    stem = work.resolved.filename
    files: dict[str, bytes] = {}
    preset = _pack_preset(work, job)
    for fmt in job.formats:
        made = _make_pack(work, fmt, doc, preset, stem) if preset is not None else None
        files.update(made if made is not None else _make(work, fmt, doc, full, fitted_pdf, stem))
    return JobResult(
        variant=job.variant,
        files=files,
        warnings=tuple(unique(work.warnings)),
        timings=dict(meter.timings),
        peak_mb=dict(meter.peaks),
        engine_passes=work.passes,
        compiles=work.compiles,
        fit=fit,
        seeds=dict(work.seeds),
        date=doc.meta.date,
        stem=stem,
    )


def _pack_preset(work: _Work, job: Job) -> Preset | None:
    """The variant's preset when this job is its export pack (``build/pack.py``)."""
    rules = work.resolved.variant.rules
    return rules if job.bundle and rules is not None and rules.pack else None


def _make_pack(
    work: _Work, fmt: str, doc: Document, preset: Preset, stem: str
) -> dict[str, bytes] | None:
    """A pack's PDF and DOCX (marked and counted), its text fields; None: as usual."""
    from cvbuild.build.pack import PRODUCT_FILES, marked, pack_file

    if fmt in ("pdf", "docx"):
        shown = marked(doc, preset)
        if fmt == "pdf":
            return {f"{stem}.pdf": work.pdf(shown)}
        return {f"{stem}.docx": work.docx(shown)}
    if fmt == "txt" or fmt in PRODUCT_FILES:
        return pack_file(fmt, doc, preset, stem, work.publications())
    return None


def _can_fit(work: _Work, job: Job) -> bool:
    """Fitting needs the TeX engine. When the PDF is not asked for and no engine is
    installed, the other formats are made unfitted, with a warning (never a failure)."""
    import shutil

    from cvbuild.errors import warning

    if any(f in ("pdf", "publications") for f in job.formats):
        return True
    engine = work.resolved.engine
    if shutil.which(engine) is not None:
        return True
    work.warnings.append(
        warning(
            work.resolved.variant.where_of("max_pages"),
            f"variant '{work.resolved.name}' is fitted to max_pages by its PDF, and {engine} "
            "is not installed: its other formats show every item",
            "install TeX Live (bash scripts/setup.sh) to fit them as the PDF would be",
        )
    )
    return False


def _make(
    work: _Work, fmt: str, doc: Document, full: Document, fitted: bytes | None, stem: str
) -> dict[str, bytes]:
    """The file(s) of one format (build format or bundle part), named in the variant's folder."""
    if fmt == "md":
        from cvbuild.render.markdown import render_markdown

        with work.meter.stage("render"):
            return {f"{stem}.md": render_markdown(doc, work.templates).encode()}
    if fmt == "html":
        from cvbuild.render.html import render_html

        with work.meter.stage("render"):
            html = render_html(doc, work.templates, publications=work.publications())
        return {f"{stem}.html": html.encode()}
    if fmt == "tex":
        from cvbuild.compile.latex import tex_folder_files

        return tex_folder_files(work.latex(doc), stem)
    if fmt == "pdf":
        return {f"{stem}.pdf": fitted if fitted is not None else work.pdf(doc)}
    if fmt == "docx":
        return {f"{stem}.docx": work.docx(doc)}
    if fmt == "txt":
        from cvbuild.render.plaintext import render_text

        with work.meter.stage("render"):
            return {f"{stem}.txt": render_text(doc).encode("utf-8")}
    if fmt == "publications":  # the publications-only PDF, never trimmed by max_pages
        only = publications_only(full)
        return {} if only is None else {f"{stem}_Publications.pdf": work.pdf(only)}
    if fmt in ("ris", "medline", "bibtex"):
        from cvbuild.build.pack import pack_file

        with work.meter.stage("render"):
            return pack_file(fmt, doc, None, stem, work.publications())
    if fmt == "json":
        import json

        from cvbuild.jsonresume import to_json_resume

        everything = [p for section_pubs in work.task.pubs.values() for p in section_pubs]
        resume = to_json_resume(work.cv, doc, publications=everything)
        return {f"{stem}.json": (json.dumps(resume, indent=2, ensure_ascii=False) + "\n").encode()}
    raise AssertionError(f"a job got an unplanned format {fmt!r}")
