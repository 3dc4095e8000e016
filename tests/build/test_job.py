"""One job: a frozen result; a fitted variant without TeX still builds its other formats."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cvbuild.build import BuildOptions, build

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "researcher"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "cv", ignore=shutil.ignore_patterns(".cvbuild-cache"))
    return tmp_path / "cv" / "cv.yaml"


def test_markdown_of_a_fitted_variant_without_tex_warns_and_builds(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name: None if name.endswith("latex") else real(name)
    )
    report = build(
        example, BuildOptions(variants=["resume"], formats=["md"], output_dir=tmp_path / "o")
    )
    assert [p.name for p in report.written] == ["Marchetti_Lea_CV_resume.md"]
    assert report.fits == {} and report.compiles == 0
    (problem,) = [w for w in report.warnings if "max_pages" in w.message]
    line = next(
        i for i, text in enumerate(example.read_text().splitlines(), 1) if "max_pages" in text
    )
    assert str(problem).startswith(f"{example}:{line}:")
    assert "xelatex is not installed: its other formats show every item" in problem.message
