"""One golden Markdown file per citation style, built from the example CV
(``tests/styles_example.py``); ``pytest --update-golden`` rewrites them."""

from __future__ import annotations

from pathlib import Path

import pytest
from styles_example import style_config

from cvbuild.build import BuildOptions, build
from cvbuild.format.styles import STYLE_NAMES


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_style_markdown_matches_golden(tmp_path: Path, golden, style: str) -> None:
    config = style_config(tmp_path, style)
    out = tmp_path / "out"
    report = build(config, BuildOptions(variants=["cv"], formats=["md"], output_dir=out))
    assert report.warnings == []
    text = (out / "cv" / "Marchetti_Lea_CV.md").read_text(encoding="utf-8")
    golden(f"style-{style}.md", text)


def test_every_style_keeps_owner_bold_in_every_entry(tmp_path: Path) -> None:
    for style in STYLE_NAMES:
        config = style_config(tmp_path, style)
        out = tmp_path / style
        build(config, BuildOptions(variants=["cv"], formats=["md"], output_dir=out))
        text = (out / "cv" / "Marchetti_Lea_CV.md").read_text(encoding="utf-8")
        pubs = text.split("## Publications", 1)[1].split("\n## ", 1)[0]
        items = [line for line in pubs.splitlines() if line.startswith("- ")]
        assert len(items) == 9, style  # every entry of the .bib
        for line in items:
            assert "**" in line and "Marchetti" in line.split("**")[1], (style, line)
        # prefixes and the note and the student legend reach the reader
        assert "\\[J1\\]" in pubs and "\\[C1\\]" in pubs, style
        assert "Role: led the analysis" in pubs, style
        assert "§" in pubs and "Student or mentee" in text, style
