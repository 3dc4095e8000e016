"""Variants × formats → jobs. The one place that decides what runs together.

A job is one variant's documents made in one go (one selection, one formatting). The rules:

- **A variant with ``max_pages`` is one job**, whatever formats are asked for: its PDF is
  fitted first and every other format (DOCX, Markdown, HTML, ``.tex``, text, JSON Resume)
  shows exactly what the fitted PDF kept. When the PDF is not among the formats built this
  time, the job still compiles it to fit — and does not write it (see ``job.py``).
- Otherwise, in a pool, each PDF and each DOCX is its own job (an engine or pandoc run),
  and the cheap formats of a variant (Markdown, HTML, ``.tex``) stay together.
- Serially, each variant is one job: selection and formatting are done once per variant.

Export is a plan too: :func:`plan_bundle` is one job whose formats are the bundle's parts:
the usual bundle, or the parts a variant's preset names in ``pack:`` (``build/pack.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cvbuild.config.choices import HEAVY_FORMATS
from cvbuild.errors import UsageError

if TYPE_CHECKING:
    from cvbuild.config.model import CV, Variant

# Heavy jobs (pdf or docx, over all variants) needed before a pool pays for its start.
PARALLEL_THRESHOLD = 2
# The documents of an export bundle, beside the build formats (see ``build/export.py``).
BUNDLE_PARTS = ("pdf", "docx", "txt", "publications", "json")
_HEAVY = (*HEAVY_FORMATS, "publications")


@dataclass(frozen=True)
class Job:
    """The documents of one variant made together."""

    variant: str
    formats: tuple[str, ...]  # what this job makes: build formats, or bundle parts
    max_pages: int = 0  # fit the PDF to this many pages first (0: no fitting)
    # an export: a preset's pack marks and counts its documents (not part of a job's identity)
    bundle: bool = field(default=False, compare=False)

    @property
    def heavy(self) -> bool:
        """Whether the job runs an outside tool (TeX, pandoc)."""
        return bool(self.max_pages) or any(f in _HEAVY for f in self.formats)

    @property
    def label(self) -> str:
        return f"{self.variant}: {', '.join(self.formats)}"


def choose_variants(cv: CV, names: Sequence[str]) -> list[Variant]:
    """The variants named (all when none), or a UsageError with a "did you mean"."""
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


def plan_jobs(
    cv: CV, variants: Sequence[Variant], formats: Sequence[str] = (), *, split: bool = True
) -> list[Job]:
    """The jobs that build ``formats`` (empty: each variant's own) of ``variants``.
    ``split``: one job per heavy format (for a pool); else one job per variant."""
    from cvbuild.select import resolve_variant

    jobs: list[Job] = []
    for variant in variants:
        resolved = resolve_variant(cv, variant)
        wanted = tuple(formats) or tuple(resolved.formats)
        if resolved.max_pages:  # the one rule: a fitted variant is one job
            jobs.append(Job(variant.name, wanted, resolved.max_pages))
            continue
        if not split:
            jobs.append(Job(variant.name, wanted))
            continue
        jobs.extend(Job(variant.name, (f,)) for f in wanted if f in HEAVY_FORMATS)
        light = tuple(f for f in wanted if f not in HEAVY_FORMATS)
        if light:
            jobs.append(Job(variant.name, light))
    return [job for job in jobs if job.formats]


def bundle_parts(variant: Variant) -> tuple[str, ...]:
    """What ``export`` makes of ``variant``: its preset's ``pack``, else the usual bundle."""
    pack = tuple(getattr(variant.rules, "pack", ()) or ())
    return pack or BUNDLE_PARTS


def plan_bundle(cv: CV, variant: Variant, parts: Sequence[str] | None = None) -> Job:
    """The export bundle of ``variant`` as one job (fitted when the variant has max_pages).
    ``parts``: None for :func:`bundle_parts`."""
    from cvbuild.config.presets.model import PACK_PARTS
    from cvbuild.select import resolve_variant

    wanted = bundle_parts(variant) if parts is None else tuple(parts)
    unknown = [p for p in wanted if p not in PACK_PARTS]
    if unknown:
        raise ValueError(f"unknown bundle parts {unknown}; expected some of {PACK_PARTS}")
    max_pages = resolve_variant(cv, variant).max_pages or 0
    return Job(variant.name, wanted, max_pages, bundle=True)


def worth_parallel(jobs: Sequence[Job], workers: int) -> bool:
    """A pool costs a worker start (~0.3 s: Python and cvbuild imports): worth it only
    when at least PARALLEL_THRESHOLD jobs run an engine or pandoc."""
    return workers > 1 and sum(1 for j in jobs if j.heavy) >= PARALLEL_THRESHOLD
