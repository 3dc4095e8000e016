"""Citation metrics as a reader sees them: "cited 123 times" and one summary line, in the
build's language (``cvbuild.i18n.phrases``: plural forms, digit grouping, CLDR dates).

Pure: the metrics file is read by the build (``cvbuild.metrics.shown.load``) and handed in.

Shown only where ``metrics:`` asks (a variant's setting wins over its sections'). The counts
come from the managed metrics file that ``cvbuild refresh`` writes beside its managed .bib
(``cvbuild.metrics``); the h-index and i10-index are computed from the chosen source's
per-paper counts and compared with the source's own figure.
"""

from __future__ import annotations

from datetime import date

from cvbuild.bib.model import Publication
from cvbuild.config.model import CV, MetricsDisplay
from cvbuild.errors import Location, Problem, warning
from cvbuild.i18n.dates import long_date
from cvbuild.i18n.phrases import ENGLISH, Phrases
from cvbuild.metrics import MetricsFile, h_index, i10_index
from cvbuild.metrics.shown import metrics_file

SOURCE_NAMES = {"openalex": "OpenAlex", "semanticscholar": "Semantic Scholar", "inspire": "INSPIRE"}
TOLERANCE = 3  # our h-index and the source's may differ this much (indexing lag) unremarked


def cited_text(
    pub: Publication, metrics: MetricsFile, source: str, phrases: Phrases = ENGLISH
) -> str:
    """ "cited 123 times" for one entry, in the build's language with its plural forms and
    digit grouping ("1.234-mal zitiert"); "" when the source has no count for it."""
    work = metrics.find(pub)
    if work is None or source not in work.counts:
        return ""
    return phrases.counted("cited", work.counts[source])


def summary_text(metrics: MetricsFile, source: str, phrases: Phrases = ENGLISH) -> str:
    """ "Citations: 1,235; h-index 9; i10-index 8 (OpenAlex, as of 2026-05-28)": the date
    as the file writes it in English, CLDR's long date elsewhere ("28. Mai 2026")."""
    counts = metrics.counts(source)
    if not counts:
        return ""
    name = SOURCE_NAMES.get(source, source)
    as_of = metrics.as_of(source)
    shown = phrases("as_of", source=name, date=_date(as_of, phrases.locale)) if as_of else name
    return phrases(
        "metrics_summary",
        n=phrases.number(sum(counts)),
        h=phrases.number(h_index(counts)),
        i10=phrases.number(i10_index(counts)),
        source=shown,
    )


def _date(iso: str, locale: str) -> str:
    if locale == "en":
        return iso
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return long_date(day, locale)


def metrics_problems(cv: CV, display: MetricsDisplay, metrics: MetricsFile) -> list[Problem]:
    """Warnings: nothing to show, or our indices far from the source's own."""
    where = display.where if display.where.file else Location(str(cv.path))
    name = SOURCE_NAMES.get(display.source, display.source)
    counts = metrics.counts(display.source)
    if not counts:
        path = metrics_file(cv)
        return [
            warning(
                where,
                f"metrics are asked for, but there are no {name} citation counts"
                + (f" in {path.name}" if path is not None else ""),
                f"add '- {display.source}: <your id>' to refresh.sources and run 'cvbuild refresh'",
            )
        ]
    figures = metrics.sources.get(display.source)
    problems: list[Problem] = []
    if figures is None:
        return problems
    for label, ours, theirs in (
        ("h-index", h_index(counts), figures.h_index),
        ("i10-index", i10_index(counts), figures.i10_index),
    ):
        if theirs is not None and abs(ours - theirs) > TOLERANCE:
            problems.append(
                warning(
                    where,
                    f"the {label} computed from {name}'s per-paper counts is {ours}, "
                    f"but {name} itself says {theirs}",
                    "the CV prints the computed figure; the source may list works that are "
                    "not in your refresh (or split one work in two)",
                )
            )
    return problems
