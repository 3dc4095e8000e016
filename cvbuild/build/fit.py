"""``max_pages: N``: fit a variant's PDF into N pages by dropping its lowest-priority items.

The drop order (documented for users; the first in the list goes first):

1. Papers **not** marked ``selected = {true}``, oldest first (by year, then month;
   among equals the one shown lower in the CV first). Papers without a numeric year
   (``in press``, ``submitted``) count as the newest and go last.
2. Entries marked optional (``optional: true`` or the tag ``optional``), oldest first
   (by end date, or the single date, or the start; undated ones first; among equals
   the one lower in the CV first).
3. Items marked optional, from the bottom of the CV upwards.

Selected papers, entries and items that are not optional, and text sections are
never dropped: they are "the minimum". A section left with nothing in it is left
out altogether.

The search first measures: the themes write where every publication, entry and item
landed (page and baseline, to the ``.aux``; see ``cvbuild.build.positions``), so the
first compile says how many candidates must go at the least for the text to end on
page N. The next compile checks that. When it is still too long, its own marks give a
second estimate and one more compile checks that; when it fits, one more compile with
fewer dropped (what the room it leaves seems to hold, at least one) makes sure it is the
least: the one that fits is kept. A 200-paper CV fitted to 2 pages takes 3 compiles and
drops what a bisection drops (tests compare the two). When there are no marks (a user's
own template) or two estimates were not enough, a bisection over *how many* to drop
(always a prefix of the order above) finishes, with the real page count of a real
compile checked at every step: one compile when the CV already fits, at most
``ceil(log2(n)) + 2`` in all for ``n`` candidates without estimates, two more with
them. If even the minimum does not fit, an ``InputError`` says so (after 2 compiles when
the first estimate already says that not even dropping all is enough).

``fit_to_pages`` knows nothing of TeX: it calls ``make_pdf(k)`` (the PDF with the
first ``k`` candidates dropped, and its page count). ``fit_variant`` builds those
calls over ``SelectedSection`` lists for a build job (``cvbuild.build.job``).
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from cvbuild.config.model import Entry, PartialDate, PublicationQuery
from cvbuild.errors import InputError, Location, error
from cvbuild.select import SelectedGroup, SelectedSection, number_groups

if TYPE_CHECKING:
    from cvbuild.build.positions import Layout, Marks

OPTIONAL_TAG = "optional"


@dataclass(frozen=True)
class DropStep:
    """One thing that may be dropped to save space."""

    kind: str  # "publication" | "entry" | "item"
    section_index: int  # index in the SelectedSection list the candidates were made from
    position: tuple[int, ...]  # (group, entry) for a paper; (index,) for an entry or item
    section: str  # the section's title
    label: str  # what a reader would recognise: a BibTeX key, an entry's title, an item's text
    reason: str  # why it is on the list: "not selected, 2011", "optional entry", ...

    def __str__(self) -> str:
        return f"{self.section}: {self.label} ({self.reason})"


@dataclass(frozen=True)
class FitResult:
    pdf: bytes  # the PDF that fits (already compiled: no need to compile again)
    pages: int
    dropped: tuple[DropStep, ...]  # in drop order
    compiles: int  # how many times make_pdf ran
    pages_before: int  # pages with nothing dropped

    def summary(self) -> list[str]:
        """Lines for the build report."""
        if not self.dropped:
            return [f"fits in {self.pages} page(s) with nothing dropped"]
        head = (
            f"dropped {len(self.dropped)} item(s) to fit {self.pages_before} page(s) into "
            f"{self.pages} ({self.compiles} compiles):"
        )
        return [head, *(f"  - {step}" for step in self.dropped)]


# ---------------------------------------------------------------- page counting

_PAGES = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def count_pages(pdf: bytes) -> int:
    """The number of pages of a PDF, with no PDF library.

    Reads the ``/Count`` of the page tree root (the largest ``/Type /Pages`` count),
    also inside compressed object streams (xdvipdfmx and pdfTeX write those); falls
    back to counting ``/Type /Page`` objects. Raises ValueError if there are none.
    """
    chunks = [pdf]
    for match in _STREAM.finditer(pdf):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    counts = [int(a or b) for chunk in chunks for a, b in _PAGES.findall(chunk)]
    if counts:
        return max(counts)
    pages = sum(len(_PAGE.findall(chunk)) for chunk in chunks)
    if not pages:
        raise ValueError("no pages found in the PDF")
    return pages


# ---------------------------------------------------------------- the search


GUIDED_STEPS = 2  # compiles checking an estimate, before bisection takes over
PASS_BUDGET = 3  # with estimates, compiles a fit aims to stay within


class Guide(Protocol):
    """Estimates from what a compile measured (``cvbuild.build.positions``)."""

    def drops(self, k: int) -> int | None:
        """Called after the compile with ``k`` dropped was too long: how many must be
        dropped in all, at the least (``None``: cannot tell; more than there are
        candidates: not even all of them)."""

    def restores(self, k: int, before: int) -> int:
        """Called after the compile with ``k`` dropped fitted: how many of the last
        dropped (measured in the compile with ``before`` dropped) seem to fit again."""


def fit_to_pages(
    make_pdf: Callable[[int], tuple[bytes, int]],
    candidates: Sequence[DropStep],
    max_pages: int,
    *,
    where: Location | None = None,
    what: str = "the CV",
    guide: Guide | None = None,
) -> FitResult:
    """The PDF with the fewest candidates dropped that fits ``max_pages``.

    ``make_pdf(k)`` returns the PDF with the first ``k`` candidates dropped and its
    page count; it is never called twice with the same ``k``. Assumes that dropping
    more never makes the PDF longer; the answer is always a PDF that was compiled and
    measured. Raises ``InputError`` if dropping all candidates still does not fit.

    With a ``guide``, at most ``GUIDED_STEPS`` of its estimates are checked by a compile
    (each from the last compile that was too long); when one fits and the budget allows,
    one more compile tries putting back what the room left seems to hold (at least
    one), so that the answer is the least that fits. A bisection over what is left
    finishes when the estimates do not.
    """
    if max_pages < 1:
        raise ValueError("max_pages must be at least 1")
    results: dict[int, tuple[bytes, int]] = {}

    def run(k: int) -> int:
        if k not in results:
            results[k] = make_pdf(k)
        return results[k][1]

    def done(k: int) -> FitResult:
        pdf, pages = results[k]
        return FitResult(pdf, pages, tuple(candidates[:k]), len(results), results[0][1])

    n = len(candidates)
    if run(0) <= max_pages:
        return done(0)
    # Invariant: lo does not fit; hi fits or is n (not yet known). Bisect first, and
    # compile the minimum (all dropped) only when every smaller count failed.
    lo, hi = 0, n
    for _ in range(GUIDED_STEPS if guide is not None and n else 0):
        guess = guide.drops(lo) if guide is not None else None
        if guess is None:
            break
        k = min(max(guess, lo + 1), n)
        if k in results:  # compiled already: nothing new to learn
            break
        if run(k) > max_pages:
            lo = k
            continue
        hi = k
        if guess > n:  # "not even all" was wrong: bisect below
            break
        if len(results) < PASS_BUDGET and k - 1 > lo:
            back = k - max(1, guide.restores(k, lo) if guide is not None else 1)
            if run(max(back, lo + 1)) <= max_pages:
                return done(max(back, lo + 1))
        return done(k)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if run(mid) <= max_pages:
            hi = mid
        else:
            lo = mid
    if n and run(hi) <= max_pages:
        return done(hi)
    least = results[n][1] if n in results else results[0][1]
    location = where or Location("")
    if n:
        message = (
            f"{what} needs {least} pages even after dropping all {n} droppable "
            f"item(s), more than max_pages: {max_pages}"
        )
    else:
        message = (
            f"{what} needs {least} pages, more than max_pages: {max_pages}, and nothing "
            "in it may be dropped"
        )
    raise InputError(
        [
            error(
                location,
                message,
                "raise max_pages, keep fewer sections or papers in the variant "
                "(sections, selected_only, since, limit), or mark entries and items "
                "'optional: true'",
            )
        ]
    )


def max_compiles(n: int, *, guided: bool = False) -> int:
    """The most compiles ``fit_to_pages`` may use for ``n`` candidates (``guided``: with
    a ``guide``)."""
    return (math.ceil(math.log2(n)) if n > 1 else 0) + 2 + (GUIDED_STEPS if guided else 0)


# ---------------------------------------------------------------- candidates over sections


def _is_optional(thing: object) -> bool:
    return bool(getattr(thing, "optional", False)) or OPTIONAL_TAG in getattr(thing, "tags", ())


def _entry_date(entry: Entry) -> tuple[int, int, int]:
    for d in (entry.end, entry.date, entry.start):
        if isinstance(d, PartialDate) and (d.present or d.year is not None):
            return d.sort_key()
    return (0, 0, 0)


def drop_candidates(sections: Sequence[SelectedSection]) -> list[DropStep]:
    """Everything that may be dropped, in the documented drop order."""
    papers: list[tuple[tuple[float, int, int, int, int], DropStep]] = []
    entries: list[tuple[tuple[tuple[int, int, int], int, int], DropStep]] = []
    items: list[DropStep] = []
    shown = 0  # position in reading order, for ties: lower in the CV goes first
    for s_index, selected in enumerate(sections):
        section = selected.section
        if section.kind == "publications":
            for g_index, group in enumerate(selected.groups):
                for e_index, pub_entry in enumerate(group.entries):
                    shown += 1
                    pub = pub_entry.publication
                    if pub.selected:
                        continue
                    year = pub.year if pub.year is not None else math.inf
                    when = str(pub.year) if pub.year is not None else (pub.year_label or "undated")
                    step = DropStep(
                        "publication",
                        s_index,
                        (g_index, e_index),
                        section.title,
                        pub.key,
                        f"not selected, {when}",
                    )
                    papers.append(((year, pub.month or 0, -shown, 0, 0), step))
        elif section.kind == "entries":
            for e_index, entry in enumerate(section.entries):
                shown += 1
                if not _is_optional(entry):
                    continue
                step = DropStep(
                    "entry", s_index, (e_index,), section.title, entry.title, "optional entry"
                )
                entries.append(((_entry_date(entry), -shown, 0), step))
        elif section.kind == "items":
            for i_index, item in enumerate(section.items):
                shown += 1
                if _is_optional(item):
                    label = f"{item.label}: {item.text}" if item.label else item.text
                    items.append(
                        DropStep("item", s_index, (i_index,), section.title, label, "optional item")
                    )
    papers.sort(key=lambda pair: pair[0])
    entries.sort(key=lambda pair: pair[0])
    return [s for _, s in papers] + [s for _, s in entries] + list(reversed(items))


def apply_drops(
    sections: Sequence[SelectedSection], steps: Sequence[DropStep]
) -> list[SelectedSection]:
    """Reduced copies of ``sections`` without ``steps`` (made by ``drop_candidates`` on the
    same list). Sections left empty are left out; numbered papers are numbered again."""
    gone: dict[int, set[tuple[int, ...]]] = {}
    for step in steps:
        gone.setdefault(step.section_index, set()).add(step.position)
    out: list[SelectedSection] = []
    for s_index, selected in enumerate(sections):
        drop = gone.get(s_index)
        if not drop:
            out.append(selected)
            continue
        section = selected.section
        if section.kind == "publications":
            groups = []
            for g_index, group in enumerate(selected.groups):
                kept = tuple(e for i, e in enumerate(group.entries) if (g_index, i) not in drop)
                if kept:
                    groups.append(replace(group, entries=kept))
            if groups:
                out.append(replace(selected, groups=_renumber(groups, selected.query)))
        elif section.kind == "entries":
            kept_entries = tuple(e for i, e in enumerate(section.entries) if (i,) not in drop)
            if kept_entries:
                out.append(replace(selected, section=replace(section, entries=kept_entries)))
        elif section.kind == "items":
            kept_items = tuple(x for i, x in enumerate(section.items) if (i,) not in drop)
            if kept_items:
                out.append(replace(selected, section=replace(section, items=kept_items)))
        else:
            out.append(selected)
    return out


def _renumber(
    groups: list[SelectedGroup], query: PublicationQuery | None
) -> tuple[SelectedGroup, ...]:
    """Numbers as ``select`` gives them, without gaps once papers were dropped."""
    if query is None:
        return tuple(groups)
    pairs = [(g.label, [e.publication for e in g.entries]) for g in groups]
    return tuple(number_groups(pairs, query))


Compiled = bytes | tuple[bytes, Mapping[str, bytes]]  # the PDF, with its .aux files or not


def fit_variant(
    sections: Sequence[SelectedSection],
    max_pages: int,
    compile_sections: Callable[[list[SelectedSection]], Compiled],
    *,
    where: Location | None = None,
    variant: str = "",
    keep_all: str = "",
) -> tuple[list[SelectedSection], FitResult]:
    """Fit one variant: ``compile_sections(reduced)`` must return the PDF bytes of the
    variant built from ``reduced`` (format → render → compile), or the bytes with the
    compile's ``.aux`` files (``CompileResult.aux``): then the marks the themes write
    there guide the search (see ``cvbuild.build.positions``). Returns the sections that
    fit (use them for the variant's other formats too) and the fit result, whose ``pdf``
    is the finished PDF. Raises ``InputError`` if even the minimum does not fit.
    ``keep_all`` names a preset that forbids dropping content: nothing is dropped and an
    overflow is an error that says by how much."""
    from cvbuild.build.positions import (
        Layout,
        blocks_of,
        estimate_drops,
        estimate_restores,
        read_marks,
    )

    candidates = [] if keep_all else drop_candidates(sections)
    measured: dict[int, tuple[Marks | None, int]] = {}

    def make_pdf(k: int) -> tuple[bytes, int]:
        made = compile_sections(apply_drops(sections, candidates[:k]))
        pdf, aux = made if isinstance(made, tuple) else (made, None)
        pages = count_pages(pdf)
        measured[k] = (read_marks(aux) if aux is not None else None, pages)
        return pdf, pages

    layouts: dict[int, Layout | None] = {}

    def layout(k: int) -> Layout | None:
        if k not in layouts:
            marks, pages = measured[k]
            gone = [(c.section_index, c.position) for c in candidates[:k]]
            blocks = blocks_of(sections, gone)
            layouts[k] = None if marks is None else Layout.match(marks, blocks, pages)
        return layouts[k]

    class _Guide:
        def drops(self, k: int) -> int | None:
            measured_layout = layout(k)
            if measured_layout is None:
                return None
            rest = [(c.section_index, c.position) for c in candidates[k:]]
            more = estimate_drops(measured_layout, rest, max_pages)
            return None if more is None else k + more

        def restores(self, k: int, before: int) -> int:
            fitted, longer = layout(k), layout(before)
            if fitted is None or longer is None:
                return 1
            dropped = [(c.section_index, c.position) for c in candidates[before:k]]
            return estimate_restores(fitted, longer, dropped, max_pages)

    what = f"variant '{variant}'" if variant else "the CV"
    if keep_all:
        pdf, pages = make_pdf(0)
        if pages > max_pages:
            over = pages - max_pages
            raise InputError(
                [
                    error(
                        where or Location(""),
                        f"{what} is {pages} pages; {keep_all} allows {max_pages} "
                        f"({over} {'page' if over == 1 else 'pages'} too many) and nothing "
                        "may be dropped",
                        f"shorten it by {over} {'page' if over == 1 else 'pages'}: fewer "
                        "sections, outputs or shorter notes",
                    )
                ]
            )
        return list(sections), FitResult(pdf, pages, (), 1, pages)
    result = fit_to_pages(make_pdf, candidates, max_pages, where=where, what=what, guide=_Guide())
    return apply_drops(sections, result.dropped), result
