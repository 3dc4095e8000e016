"""The whole pipeline to PDF: seeded rebuilds, max_pages, the example through every theme."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cvbuild.build import BuildOptions, build

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed"),
]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "researcher"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "cv", ignore=shutil.ignore_patterns(".cvbuild-cache"))
    return tmp_path / "cv" / "cv.yaml"


def test_every_build_is_one_engine_pass_with_the_right_page_total(
    example: Path, tmp_path: Path
) -> None:
    opts = BuildOptions(variants=["cv"], formats=["pdf"], output_dir=tmp_path / "out", force=True)
    first = build(example, opts)
    assert first.engine_passes == 1  # pages are held back until the total is known
    pdf = tmp_path / "out" / "cv" / "Marchetti_Lea_CV.pdf"
    before = pdf.read_bytes()
    assert build(example, opts).engine_passes == 1
    assert pdf.read_bytes() == before
    # An edit that adds pages: still one pass, and every footer knows the new total.
    bib = example.parent / "publications.bib"
    extra = "".join(
        f"@article{{extra{i}, title = {{Extra paper number {i}}}, author = {{Marchetti, L.}},"
        f" journal = {{J}}, year = {{2020}}}}\n"
        for i in range(40)
    )
    bib.write_text(bib.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert build(example, opts).engine_passes == 1
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        footers = [page.extract_text().replace(" ", "") for page in doc.pages]
    assert len(footers) >= 3
    for number, text in enumerate(footers, start=1):
        assert f"Page{number}of{len(footers)}" in text


def test_max_pages_drops_oldest_unselected_papers_and_reports(
    example: Path, tmp_path: Path
) -> None:
    example.write_text(
        example.read_text(encoding="utf-8").replace("    selected_only: true\n", ""),
        encoding="utf-8",
    )
    bib = example.parent / "publications.bib"
    old = "".join(
        f"@article{{old{i}, title = {{An old paper number {i}}}, author = {{Marchetti, L.}},"
        f" journal = {{J}}, year = {{2000}}}}\n"
        for i in range(30)
    )
    bib.write_text(bib.read_text(encoding="utf-8") + old, encoding="utf-8")
    example.write_text(
        example.read_text(encoding="utf-8").replace("max_pages: 2", "max_pages: 1"),
        encoding="utf-8",
    )
    report = build(
        example, BuildOptions(variants=["resume"], formats=["pdf", "md"], output_dir=tmp_path / "o")
    )
    fit = report.fits["resume"]
    assert fit.pages == 1 and fit.pages_before > 1
    assert fit.dropped and all(d.label.startswith("old") for d in fit.dropped)
    assert fit.compiles <= 7  # a bisection over 30+ candidates, not one compile per paper
    md = next((tmp_path / "o" / "resume").glob("*.md")).read_text(encoding="utf-8")
    assert "Foundation models for biodiversity" in md  # recent papers stay, in every format
    assert md.count("An old paper") < 30


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["pdflatex", "lualatex"])
def test_other_engines_on_request(example: Path, tmp_path: Path, engine: str) -> None:
    if shutil.which(engine) is None:
        pytest.skip(f"{engine} is not installed")
    if engine == "lualatex" and not shutil.which("kpsewhich"):
        pytest.skip("no kpsewhich to find luaotfload")
    config = example.read_text(encoding="utf-8").replace(
        "output:\n", f"output:\n  engine: {engine}\n"
    )
    example.write_text(config, encoding="utf-8")
    report = build(
        example, BuildOptions(variants=["cv"], formats=["pdf"], output_dir=tmp_path / "o")
    )
    assert report.engine_passes == 1
    import pdfplumber

    with pdfplumber.open(next((tmp_path / "o" / "cv").glob("*.pdf"))) as doc:
        pages = [page.extract_text().replace(" ", "") for page in doc.pages]
    assert pages[0].count("Equalcontribution") == 1
    assert f"Page1of{len(pages)}" in pages[0]
    assert "Scalinglawsofplantcommunityassembly" in "".join(pages)
