"""Golden files for the example CV's Markdown and LaTeX source (fixed date via SOURCE_DATE_EPOCH
in conftest), so a change to what reaches the PDF cannot go unseen.
Run ``pytest --update-golden`` after an intended change and review the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvbuild.build import BuildOptions, build

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "researcher" / "cv.yaml"


VARIANTS = [("cv", "Marchetti_Lea_CV"), ("resume", "Marchetti_Lea_CV_resume")]


@pytest.mark.parametrize(("variant", "name"), VARIANTS)
def test_example_markdown_matches_golden(tmp_path: Path, golden, variant: str, name: str) -> None:
    report = build(EXAMPLE, BuildOptions(variants=[variant], formats=["md"], output_dir=tmp_path))
    assert report.warnings == []
    golden(f"example-{variant}.md", (tmp_path / variant / f"{name}.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("variant", "name"), VARIANTS)
def test_example_tex_matches_golden(tmp_path: Path, golden, variant: str, name: str) -> None:
    """The ``--format tex`` source of each variant, byte for byte (the theme's .sty files beside
    it are copied from ``styles/`` and are not golden)."""
    report = build(EXAMPLE, BuildOptions(variants=[variant], formats=["tex"], output_dir=tmp_path))
    assert report.warnings == []
    tex = tmp_path / variant / f"{name}.tex"
    assert tex in report.written
    golden(f"example-{variant}.tex", tex.read_text(encoding="utf-8"))
