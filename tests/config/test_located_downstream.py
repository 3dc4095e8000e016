"""Choices the config stage owns are errors at their cv.yaml line, not later in render or compile."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cvbuild.cli import main

_PERSON = "person:\n  name: Jane Doe\n"


def test_a_bad_engine_or_theme_is_a_located_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cv.yaml").write_text(
        _PERSON
        + "sections:\n  - title: About\n    text: Hello.\n"
        + "variants:\n  short:\n    theme: fancy\n"
        + "output:\n  engine: xetex\n  paper: a5\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["build", "cv.yaml", "--format", "tex", "--output", "out"]) == 1
    err = capsys.readouterr().err
    assert "cv.yaml:8:12: error: 'theme': 'fancy' is not one of academic, compact" in err
    assert "cv.yaml:10:11: error: 'engine': 'xetex' is not one of xelatex" in err
    assert "cv.yaml:11:10: error: 'paper': 'a5' is not one of a4, letter" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


@pytest.mark.tex
@pytest.mark.skipif(not shutil.which("xelatex"), reason="xelatex not installed")
def test_a_variant_that_cannot_fit_its_pages_points_at_its_max_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paragraph = " ".join(["A sentence that fills the page and may not be dropped."] * 40)
    text = "\\n\\n".join([paragraph] * 4)
    (tmp_path / "cv.yaml").write_text(
        _PERSON
        + f'sections:\n  - title: About\n    text: "{text}"\n'
        + "variants:\n  one:\n    max_pages: 1\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["build", "cv.yaml", "--format", "pdf", "--output", "out"]) == 1
    err = capsys.readouterr().err
    assert "cv.yaml:8:16: error: variant 'one' needs 2 pages, more than max_pages: 1" in err
    assert not list((tmp_path / "out").glob("**/*.pdf"))
