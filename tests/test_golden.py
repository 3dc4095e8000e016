"""Golden files for the example CV's Markdown (fixed date via SOURCE_DATE_EPOCH in conftest).
Run ``pytest --update-golden`` after an intended change and review the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvbuild.pipeline import BuildOptions, build

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "researcher" / "cv.yaml"


@pytest.mark.parametrize(
    ("variant", "name"), [("cv", "Marchetti_Lea_CV"), ("resume", "Marchetti_Lea_CV_resume")]
)
def test_example_markdown_matches_golden(tmp_path: Path, golden, variant: str, name: str) -> None:
    report = build(EXAMPLE, BuildOptions(variants=[variant], formats=["md"], output_dir=tmp_path))
    assert report.warnings == []
    golden(f"example-{variant}.md", (tmp_path / variant / f"{name}.md").read_text(encoding="utf-8"))
