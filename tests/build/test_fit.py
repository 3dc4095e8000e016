"""max_pages fitting: drop order, bisection bound, page counting — without TeX (one test with)."""

from __future__ import annotations

import math
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvbuild.bib.model import Publication
from cvbuild.build.fit import (
    DropStep,
    apply_drops,
    count_pages,
    drop_candidates,
    fit_to_pages,
    fit_variant,
    max_compiles,
)
from cvbuild.config.model import Entry, Item, PartialDate, PublicationQuery, Section
from cvbuild.errors import InputError, Location
from cvbuild.select import PubEntry, SelectedGroup, SelectedSection, select_publications


def steps(n: int) -> list[DropStep]:
    return [DropStep("item", 0, (i,), "S", f"item {i}", "optional item") for i in range(n)]


def fake_pdf(pages: int) -> bytes:
    return b"%%PDF-1.5\n1 0 obj << /Type /Pages /Kids [] /Count %d >> endobj\n%%%%EOF" % pages


class Counter:
    """make_pdf whose page count depends on how many of ``total`` things are left."""

    def __init__(self, total: int, per_page: int) -> None:
        self.total, self.per_page, self.calls = total, per_page, []

    def __call__(self, k: int) -> tuple[bytes, int]:
        self.calls.append(k)
        pages = max(1, math.ceil((self.total - k) / self.per_page))
        return fake_pdf(pages), pages


# ---------------------------------------------------------------- fit_to_pages


def test_needs_trimming_finds_the_fewest_drops_within_the_bound() -> None:
    make = Counter(total=30, per_page=12)  # 30 things: 3 pages; 24 fit in 2
    result = fit_to_pages(make, steps(20), 2)
    assert result.pages == 2 and result.pages_before == 3
    assert len(result.dropped) == 6  # 24 left: 2 pages; 25 would need 3
    assert [s.label for s in result.dropped] == [f"item {i}" for i in range(6)]
    assert result.compiles == len(make.calls) <= max_compiles(20) == 7
    assert len(set(make.calls)) == len(make.calls)  # never the same compile twice
    assert count_pages(result.pdf) == 2
    assert "dropped 6 item(s) to fit 3 page(s) into 2" in result.summary()[0]


def test_fits_already_uses_one_compile() -> None:
    make = Counter(total=10, per_page=12)
    result = fit_to_pages(make, steps(10), 1)
    assert make.calls == [0]
    assert result.compiles == 1 and result.dropped == () and result.pages == 1


def test_cannot_fit_is_a_located_input_error() -> None:
    make = Counter(total=40, per_page=12)  # even with all 10 gone: 30 things, 3 pages
    where = Location("cv.yaml", 12, 3)
    with pytest.raises(InputError) as info:
        fit_to_pages(make, steps(10), 2, where=where, what="variant 'resume'")
    problem = info.value.problems[0]
    assert problem.location == where
    assert "variant 'resume' needs 3 pages even after dropping all 10" in problem.message
    assert "max_pages: 2" in problem.message
    assert "optional" in problem.hint
    assert len(make.calls) <= max_compiles(10)


def test_nothing_to_drop_and_too_long() -> None:
    make = Counter(total=30, per_page=12)
    with pytest.raises(InputError, match="nothing in it may be dropped"):
        fit_to_pages(make, [], 2)
    assert make.calls == [0]


def test_drop_all_is_compiled_only_when_needed() -> None:
    make = Counter(total=13, per_page=12)  # needs exactly 1 of 16 dropped
    result = fit_to_pages(make, steps(16), 1)
    assert len(result.dropped) == 1 and 16 not in make.calls


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 300),
    extra=st.integers(0, 400),
    per_page=st.integers(1, 50),
    max_pages=st.integers(1, 6),
)
def test_bisection_bound_and_minimality(n: int, extra: int, per_page: int, max_pages: int) -> None:
    make = Counter(total=n + extra, per_page=per_page)
    fits = [k for k in range(n + 1) if make(k)[1] <= max_pages]
    make.calls.clear()
    if not fits:
        with pytest.raises(InputError):
            fit_to_pages(make, steps(n), max_pages)
    else:
        result = fit_to_pages(make, steps(n), max_pages)
        assert len(result.dropped) == min(fits)
        assert result.pages <= max_pages
    assert len(make.calls) <= max_compiles(n)


# ---------------------------------------------------------------- candidates and drops


def pub(
    key: str, year: int | None, order: int, selected: bool = False, month: int = 0
) -> Publication:
    return Publication(
        key, "article", {"title": key}, year=year, month=month or None, selected=selected,
        order=order, year_label=None if year else "in press",
    )  # fmt: skip


def sample_sections(numbered: bool = False) -> list[SelectedSection]:
    pubs = [
        pub("press", None, 0),
        pub("new", 2024, 1),
        pub("sel2010", 2010, 2, selected=True),
        pub("old2011a", 2011, 3),
        pub("old2011b", 2011, 4),
        pub("mid", 2015, 5, month=3),
        pub("mid2", 2015, 6, month=9),
    ]
    query = PublicationQuery(bib=(), numbered=numbered)
    papers = SelectedSection(
        Section("Publications", "publications", publications=query),
        query,
        tuple(select_publications(pubs, query)),
    )
    positions = SelectedSection(
        Section(
            "Positions",
            "entries",
            entries=(
                Entry("Professor", start=PartialDate(2020), end=PartialDate(present=True)),
                Entry("Intern", date=PartialDate(2009), optional=True),
                Entry(
                    "Visiting", start=PartialDate(2012), end=PartialDate(2013), tags=("optional",)
                ),
            ),
        )
    )
    awards = SelectedSection(
        Section("Awards", "entries", entries=(Entry("Tiny prize", optional=True),))
    )
    skills = SelectedSection(
        Section(
            "Skills",
            "items",
            items=(
                Item("Python"),
                Item("Cobol", optional=True),
                Item("Fortran", tags=("optional",)),
            ),
        )
    )
    about = SelectedSection(Section("About", "text", text="Hello."))
    return [about, papers, positions, awards, skills]


def test_documented_drop_order() -> None:
    order = [(s.kind, s.label) for s in drop_candidates(sample_sections())]
    assert order == [
        # papers not selected, oldest first; same year: the one lower in the CV first
        ("publication", "old2011b"),
        ("publication", "old2011a"),
        ("publication", "mid"),
        ("publication", "mid2"),
        ("publication", "new"),
        ("publication", "press"),  # no numeric year: newest, goes last
        # optional entries, undated first, then oldest
        ("entry", "Tiny prize"),
        ("entry", "Intern"),
        ("entry", "Visiting"),
        # optional items from the bottom up
        ("item", "Fortran"),
        ("item", "Cobol"),
    ]


def test_apply_drops_makes_reduced_copies_and_removes_empty_sections() -> None:
    sections = sample_sections(numbered=True)
    cands = drop_candidates(sections)
    reduced = apply_drops(sections, cands[:7])  # 6 papers and the award
    titles = [s.section.title for s in reduced]
    assert titles == ["About", "Publications", "Positions", "Skills"]  # Awards is empty: gone
    keys = [e.publication.key for g in reduced[1].groups for e in g.entries]
    assert keys == ["sel2010"]
    assert [e.number for g in reduced[1].groups for e in g.entries] == [1]
    # the originals are untouched
    assert len(sections[1].groups) == 5 and len(sections[3].section.entries) == 1


def test_renumbering_counts_down_without_gaps() -> None:
    sections = sample_sections(numbered=True)
    cands = drop_candidates(sections)
    reduced = apply_drops(sections, cands[:2])
    entries = [e for g in reduced[1].groups for e in g.entries]
    assert [e.publication.key for e in entries] == ["press", "new", "mid2", "mid", "sel2010"]
    assert [e.number for e in entries] == [5, 4, 3, 2, 1]


def count_things(sections: list[SelectedSection]) -> int:
    n = 0
    for s in sections:
        n += sum(len(g.entries) for g in s.groups) + len(s.section.entries) + len(s.section.items)
    return n


def test_fit_variant_end_to_end_with_fake_compiler() -> None:
    sections = sample_sections()
    seen: list[int] = []

    def compile_sections(reduced: list[SelectedSection]) -> bytes:
        things = count_things(reduced)
        seen.append(things)
        return fake_pdf(math.ceil(things / 5))  # 5 things per page

    kept, result = fit_variant(sections, 2, compile_sections, variant="resume")
    assert count_things(sections) == 14 and count_things(kept) == 10
    assert [s.label for s in result.dropped] == ["old2011b", "old2011a", "mid", "mid2"]
    assert result.pages == 2 and result.compiles == len(seen) <= max_compiles(11)

    def dense(reduced: list[SelectedSection]) -> bytes:
        return fake_pdf(count_things(reduced))  # 1 thing per page; the minimum is 3 things

    with pytest.raises(InputError, match="variant 'resume' needs 3 pages even after dropping"):
        fit_variant(sections, 2, dense, variant="resume")


def test_fit_variant_keeps_selected_papers_in_the_minimum() -> None:
    sections = sample_sections()
    kept = apply_drops(sections, drop_candidates(sections))
    assert [e.publication.key for g in kept[1].groups for e in g.entries] == ["sel2010"]
    assert [e.title for e in kept[2].section.entries] == ["Professor"]
    assert [i.text for i in kept[3].section.items] == ["Python"]


def test_group_entries_types() -> None:
    # SelectedGroup/PubEntry copies stay the select stage's types
    sections = apply_drops(sample_sections(), drop_candidates(sample_sections())[:1])
    group = sections[1].groups[0]
    assert isinstance(group, SelectedGroup) and isinstance(group.entries[0], PubEntry)


# ---------------------------------------------------------------- page counting


def test_count_pages_plain_and_in_object_stream() -> None:
    assert count_pages(fake_pdf(7)) == 7
    inner = b"<< /Type /Pages /Count 12 /Kids [4 0 R] >> << /Type /Page /Parent 2 0 R >>"
    packed = zlib.compress(inner)
    pdf = b"%%PDF-1.5\n5 0 obj << /Type /ObjStm /Length %d >>\nstream\n%s\nendstream\n" % (
        len(packed),
        packed,
    )
    assert count_pages(pdf) == 12
    loose = b"%PDF-1.4\n<< /Type /Page >> << /Type /Page >> << /Type /Pages /Kids [] >>"
    assert count_pages(loose) == 2
    with pytest.raises(ValueError):
        count_pages(b"not a pdf")


@pytest.mark.tex
@pytest.mark.parametrize("engine", ["xelatex", "pdflatex"])
def test_count_pages_of_real_tex_output(engine: str, tmp_path: Path) -> None:
    if not shutil.which(engine):
        pytest.skip(f"{engine} not installed")
    pdfplumber = pytest.importorskip("pdfplumber")
    body = "\\newpage ".join(f"\\section{{S{i}}} text" for i in range(5))
    (tmp_path / "t.tex").write_text(
        "\\documentclass{article}\\usepackage{hyperref}\\begin{document}"
        + body
        + "\\end{document}\n"
    )
    subprocess.run(
        [engine, "-interaction=batchmode", "-no-shell-escape", "t.tex"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = (tmp_path / "t.pdf").read_bytes()
    with pdfplumber.open(tmp_path / "t.pdf") as pdf:
        assert count_pages(data) == len(pdf.pages) == 5
