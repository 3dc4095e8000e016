"""max_pages by measuring (issue 17): the themes mark where each droppable block lands in
the .aux, the fit estimates from that and checks with a compile or two; bisection is only
the fallback. Without TeX: reading the marks, the estimates, the guided search's bounds.
With TeX (marked ``tex``): 200 papers into 2 pages in at most 3 compiles, no more dropped
than the bisection drops, the located errors, 1 compile when it fits, and marks that do
not change a byte of the PDF."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvbuild.build import positions
from cvbuild.build.fit import DropStep, FitResult, fit_to_pages, max_compiles
from cvbuild.build.positions import Block, Layout, Mark, Marks, estimate_drops, read_marks
from cvbuild.errors import InputError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "researcher"
PT = 65536  # sp


def aux(*lines: str) -> dict[str, bytes]:
    return {"cv.aux": ("\\relax\n" + "\n".join(lines) + "\n").encode()}


# ---------------------------------------------------------------- reading the marks


def test_read_marks_takes_frame_and_marks_and_nothing_else() -> None:
    marks = read_marks(
        aux(
            r"\cvbfitframe{52000000}{48000000}",
            r"\cvbfitpos{p}{1}{47000000}",
            r"\newlabel{x}{{1}{1}}",
            r"\cvbfitpos{e}{2}{30000000}",
            r"\cvbfitpos{q}{2}{30000000}",  # not a kind the themes write
            r"\cvbfitpos{i}{2}{12}junk",  # not a whole line
        )
    )
    assert marks == Marks(52000000, 48000000, (Mark("p", 1, 47000000), Mark("e", 2, 30000000)))


@pytest.mark.parametrize(
    "files",
    [
        {},
        aux(r"\cvbfitpos{p}{1}{47000000}"),  # no frame: not our theme
        aux(r"\cvbfitframe{52000000}{0}"),  # a text block of no height
        aux(r"\cvbfitframe{52000000}{48000000}", r"\cvbfitpos{p}{0}{1}"),  # page 0
        {"cv.out": b"\\cvbfitframe{1}{1}\n"},  # only .aux files count
    ],
)
def test_read_marks_refuses_what_is_not_a_theme_s_aux(files: dict[str, bytes]) -> None:
    assert read_marks(files) is None


# ---------------------------------------------------------------- estimates


def column(pages: int, per_page: int, pitch_pt: int, groups: int = 1) -> tuple[Marks, list[Block]]:
    """``pages`` full pages of equal publications, ``per_page`` each, in ``groups`` groups."""
    top, height = 800 * PT, per_page * pitch_pt * PT
    marks, blocks = [], []
    total = pages * per_page
    for i in range(total):
        page, row = divmod(i, per_page)
        marks.append(Mark("p", page + 1, top - (row + 1) * pitch_pt * PT))  # the last at the foot
        group = i * groups // total
        blocks.append(Block("p", 0, (group, i), (0, group)))
    return Marks(top, height, tuple(marks)), blocks


def test_estimate_counts_what_lies_beyond_the_last_page_allowed() -> None:
    marks, blocks = column(pages=4, per_page=10, pitch_pt=20)
    layout = Layout.match(marks, blocks, 4)
    assert layout is not None
    keys = [(b.section_index, b.position) for b in reversed(blocks)]  # the bottom ones first
    assert estimate_drops(layout, keys, 2) == 20  # two full pages of 10 must go
    assert estimate_drops(layout, keys, 4) == 0
    assert estimate_drops(layout, keys[:5], 2) == 6  # not even all five: "more than there are"


def test_estimate_counts_a_heading_once_its_group_is_gone() -> None:
    marks, blocks = column(pages=2, per_page=10, pitch_pt=20, groups=4)
    # the heading of every group after the first: 30 pt more before its first block
    shifted = []
    for i, mark in enumerate(marks.marks):
        extra = sum(30 for g in range(1, 4) if i >= g * 5 and (i // 10) == ((g * 5) // 10))
        shifted.append(Mark(mark.kind, mark.page, mark.y - extra * PT))
    layout = Layout.match(Marks(marks.top, marks.height, tuple(shifted)), blocks, 2)
    assert layout is not None and layout.heading[(0, 1)] == 30 * PT
    keys = [(b.section_index, b.position) for b in reversed(blocks)]
    freed = layout.freed(keys[:5])  # the last group, whole
    assert freed is not None and freed[-1] == 5 * 20 * PT + layout.typical_heading


def test_marks_that_do_not_match_the_blocks_say_nothing() -> None:
    marks, blocks = column(pages=2, per_page=5, pitch_pt=20)
    assert Layout.match(marks, blocks[:-1], 2) is None  # one mark too many
    wrong = [Block("e", b.section_index, b.position, b.group) for b in blocks]
    assert Layout.match(marks, wrong, 2) is None  # an entry where a paper was typeset
    assert Layout.match(marks, blocks, 1) is None  # a mark on a page the PDF lacks
    layout = Layout.match(marks, blocks, 2)
    assert layout is not None and estimate_drops(layout, [(9, (9,))], 1) is None


# ---------------------------------------------------------------- the guided search


def steps(n: int) -> list[DropStep]:
    return [DropStep("item", 0, (i,), "S", f"item {i}", "optional item") for i in range(n)]


def fake_pdf(pages: int) -> bytes:
    return b"%%PDF-1.5\n1 0 obj << /Type /Pages /Kids [] /Count %d >> endobj\n%%%%EOF" % pages


class Guess:
    """A guide whose n-th estimate is off by ``offs[n]`` (the last repeats; ``None``: it
    has no estimate), and that puts back ``back`` when asked."""

    def __init__(self, truth: int, *offs: int | None, back: int = 1) -> None:
        self.truth, self.offs, self.back, self.asked = truth, offs or (0,), back, 0

    def drops(self, k: int) -> int | None:
        off = self.offs[min(self.asked, len(self.offs) - 1)]
        self.asked += 1
        return None if off is None else max(0, self.truth + off)

    def restores(self, k: int, before: int) -> int:
        return self.back


def search(
    total: int, per_page: int, n: int, max_pages: int, guide: Guess
) -> tuple[FitResult, list[int]]:
    calls: list[int] = []

    def make(k: int) -> tuple[bytes, int]:
        calls.append(k)
        pages = max(1, math.ceil((total - k) / per_page))
        return fake_pdf(pages), pages

    return fit_to_pages(make, steps(n), max_pages, guide=guide), calls


def test_an_exact_estimate_fits_in_three_compiles_and_proves_itself() -> None:
    # 30 things, 12 a page: 6 must go for 2 pages
    result, calls = search(30, 12, 20, 2, Guess(6, 0))
    assert len(result.dropped) == 6 and result.pages == 2
    assert calls == [0, 6, 5]  # measure, check, and one fewer does not fit


def test_a_low_estimate_is_corrected_by_the_next_compile() -> None:
    result, calls = search(30, 12, 20, 2, Guess(6, -2, 0))
    assert len(result.dropped) == 6 and calls[:2] == [0, 4] and len(calls) == 3


def test_a_high_estimate_is_walked_back_by_the_restore_compile() -> None:
    result, calls = search(30, 12, 20, 2, Guess(6, 3, back=3))
    assert len(result.dropped) == 6 and calls == [0, 9, 6]


def test_estimates_that_keep_missing_end_in_a_bounded_bisection() -> None:
    result, calls = search(300, 12, 290, 2, Guess(276, -200))
    assert len(result.dropped) == 276 and len(calls) <= max_compiles(290, guided=True)
    assert len(set(calls)) == len(calls)


def test_no_estimate_is_plain_bisection() -> None:
    guide = Guess(0, None)
    result, calls = search(30, 12, 20, 2, guide)
    assert len(result.dropped) == 6 and guide.asked == 1 and len(calls) <= max_compiles(20)


def test_cannot_fit_takes_two_compiles_when_the_estimate_says_so() -> None:
    calls: list[int] = []

    def make(k: int) -> tuple[bytes, int]:
        calls.append(k)
        return fake_pdf(30 - k), 30 - k

    with pytest.raises(InputError) as caught:
        fit_to_pages(make, steps(10), 2, guide=Guess(11, 0))  # 11: more than there are
    assert calls == [0, 10]
    (problem,) = caught.value.problems
    assert "needs 20 pages even after dropping all 10 droppable item(s)" in problem.message


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 80),
    extra=st.integers(0, 40),
    per_page=st.integers(1, 15),
    max_pages=st.integers(1, 5),
    off=st.one_of(st.none(), st.integers(-50, 50)),
    back=st.integers(0, 50),
)
def test_any_guide_gives_the_least_that_fits_within_the_bound(
    n: int, extra: int, per_page: int, max_pages: int, off: int | None, back: int
) -> None:
    total = n + extra

    def pages(k: int) -> int:
        return max(1, math.ceil((total - k) / per_page))

    fits = [k for k in range(n + 1) if pages(k) <= max_pages]
    guide = Guess(fits[0] if fits else n + 1, off, back=back)
    if not fits:
        with pytest.raises(InputError):
            search(total, per_page, n, max_pages, guide)
        return
    result, calls = search(total, per_page, n, max_pages, guide)
    assert result.pages <= max_pages and len(calls) <= max_compiles(n, guided=True)
    assert len(set(calls)) == len(calls)
    if off is not None and off <= 0:  # a low (or exact) estimate never drops too many
        assert len(result.dropped) == fits[0]


# ---------------------------------------------------------------- with TeX

tex = [
    pytest.mark.tex,
    pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed"),
]


def synthetic_cv(folder: Path, count: int, theme: str, max_pages: int) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import write_cv  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "bench"))
    config: Path = write_cv(folder, count, formats=("pdf",), selected=0.05)
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text + f"variants:\n  short: {{theme: {theme}, max_pages: {max_pages}}}\n",
        encoding="utf-8",
    )
    return config


def build_fit(config: Path, out: Path, variant: str = "short") -> tuple[FitResult, Path, int]:
    from cvbuild.build import BuildOptions, build

    report = build(
        config,
        BuildOptions(
            variants=[variant], formats=["pdf"], output_dir=out, date="2026-12-01", jobs=1
        ),
    )
    (pdf,) = [p for p in report.written if p.suffix == ".pdf"]
    return report.fits[variant], pdf, report.engine_passes


def pdfinfo_pages(pdf: Path) -> int:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    match = re.search(r"^Pages:\s+(\d+)", done.stdout, re.M)
    assert match is not None
    return int(match.group(1))


def bisected(
    config: Path, out: Path, monkeypatch: pytest.MonkeyPatch, variant: str = "short"
) -> FitResult:
    """The same fit by the old algorithm: no marks, so only bisection."""
    with monkeypatch.context() as patch:
        patch.setattr(positions, "read_marks", lambda aux: None)
        fit, _, _ = build_fit(config, out, variant)
    return fit


@pytest.mark.tex
@pytest.mark.slow
@pytest.mark.parametrize("theme", ["compact", "academic"])
def test_200_papers_into_2_pages_in_at_most_3_compiles(
    theme: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("xelatex") is None or shutil.which("pdfinfo") is None:
        pytest.skip("xelatex and pdfinfo are needed")
    config = synthetic_cv(tmp_path / "cv", 200, theme, 2)
    fit, pdf, passes = build_fit(config, tmp_path / "out")
    assert fit.compiles <= 3 and passes <= 3
    assert fit.pages_before > 2 and fit.pages <= 2 and pdfinfo_pages(pdf) <= 2
    old = bisected(config, tmp_path / "old", monkeypatch)
    assert old.compiles > 3  # the comparison is with the real bisection
    assert len(fit.dropped) <= len(old.dropped)
    assert set(fit.dropped) <= set(old.dropped)  # a prefix of the same order


@pytest.fixture
def crowded(tmp_path: Path) -> Path:
    """The example (entries, optional items, papers) whose résumé must drop to fit 1 page."""
    folder = tmp_path / "cv"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".cvbuild-cache"))
    bib = folder / "publications.bib"
    old = "".join(
        f"@article{{old{i}, title = {{An old paper number {i} on alpine grassland species"
        f" and their distribution}}, author = {{Marchetti, L. and Rossi, Ana}},"
        f" journal = {{Ecology Letters}}, year = {{{2000 + i % 9}}}}}\n"
        for i in range(40)
    )
    bib.write_text(bib.read_text(encoding="utf-8") + old, encoding="utf-8")
    config = folder / "cv.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("max_pages: 2", "max_pages: 1").replace("    selected_only: true\n", "")
    config.write_text(text, encoding="utf-8")
    return config


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed")
def test_a_cv_with_entries_and_items_drops_no_more_than_bisection(
    crowded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fit, pdf, _ = build_fit(crowded, tmp_path / "out", "resume")
    assert fit.dropped and fit.pages == 1 and fit.compiles <= 3
    old = bisected(crowded, tmp_path / "old", monkeypatch, "resume")
    assert len(fit.dropped) <= len(old.dropped)
    assert fit.dropped == old.dropped[: len(fit.dropped)]


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed")
def test_fits_without_drops_in_one_compile(tmp_path: Path) -> None:
    config = synthetic_cv(tmp_path / "cv", 10, "compact", 2)
    fit, pdf, passes = build_fit(config, tmp_path / "out")
    assert fit.dropped == () and fit.compiles == 1 and passes == 1 and fit.pages <= 2


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed")
@pytest.mark.parametrize("every", [1, 2])
def test_cannot_fit_is_the_located_error(every: int, tmp_path: Path) -> None:
    from cvbuild.build import BuildOptions, build

    config = synthetic_cv(tmp_path / "cv", 120, "academic", 1)
    text = config.read_text(encoding="utf-8")
    bib = config.parent / "papers.bib"  # every (other) paper selected: too many to keep
    count = iter(range(10**6))
    bib.write_text(
        re.sub(
            r"^  year =",
            lambda m: "  selected = {true},\n  year =" if next(count) % every == 0 else m[0],
            bib.read_text(encoding="utf-8"),
            flags=re.M,
        ),
        encoding="utf-8",
    )
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "max_pages" in t)
    with pytest.raises(InputError) as caught:
        build(config, BuildOptions(formats=["pdf"], output_dir=tmp_path / "o", jobs=1))
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{config}:{line}:")
    if every == 1:
        wanted = r"variant 'short' needs \d+ pages, more than max_pages: 1, and nothing in it"
    else:
        wanted = r"variant 'short' needs \d+ pages even after dropping all \d+ droppable item\(s\)"
    assert re.search(wanted, problem.message), problem.message
    assert "raise max_pages" in problem.hint
    assert not (tmp_path / "o").exists()


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed")
@pytest.mark.parametrize("theme", ["compact", "academic"])
def test_the_marks_change_no_byte_of_the_pdf(theme: str, tmp_path: Path) -> None:
    from dataclasses import replace

    from cvbuild.build.job import prepare
    from cvbuild.build.meter import Meter
    from cvbuild.build.run import load, load_bibliographies
    from cvbuild.compile.latex import compile_pdf
    from cvbuild.render.latex import render_latex

    cv = load(synthetic_cv(tmp_path / "cv", 60, theme, 1))
    variant = next(v for v in cv.variants if v.name == "short")
    prepared = prepare(cv, variant, load_bibliographies(cv)[0], "2026-12-01", Meter())
    source = render_latex(prepared.doc)
    marked = compile_pdf(source)
    found = read_marks(marked.aux)
    assert found is not None and len(found.marks) == 60
    assert {m.page for m in found.marks} == set(range(1, max(m.page for m in found.marks) + 1))
    head, sep, tail = source.text.partition("\\begin{document}")
    quiet = head + "\\makeatletter\\let\\cvb@fitpatch\\relax\\makeatother\n" + sep + tail
    unmarked = compile_pdf(replace(source, text=quiet))
    assert read_marks(unmarked.aux) is None
    assert marked.pdf == unmarked.pdf
