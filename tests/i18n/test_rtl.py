"""Hebrew and Arabic names inside an LTR CV: set right to left, in a box, never broken."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cvbuild.render.latex import escape

from .helpers import run_cvbuild

BIB = """@article{a1,
  author = {Marchetti, Léa and محمد عبد الله and כהן, דוד and Smith, John},
  title = {Crossing scripts in alpine ecology},
  journal = {Ecology Letters},
  year = {2024},
}
"""
CONFIG = """person: {name: Léa Marchetti}
sections:
  - title: Publications
    publications: {bib: pubs.bib}
  - title: Service
    text: "Co-organiser with דוד כהן and محمد عبد الله of a workshop."
output: {dir: out, formats: [pdf, tex]}
"""


def test_escape_boxes_each_right_to_left_run() -> None:
    assert escape("with דוד כהן and محمد عبد الله.") == (
        r"with \cvbrtl{דוד כהן} and \cvbrtl{محمد عبد الله}."
    )
    assert escape("plain Latin") == "plain Latin"
    assert r"\cvbrtl" not in escape("דוד", "pdflatex")  # pdflatex has no such fonts
    assert r"\cvbrtl" not in escape("דוד", fallbacks=False)  # PDF metadata: plain text


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("xelatex") is None, reason="no xelatex")
def test_names_read_right_to_left_in_the_pdf(tmp_path: Path) -> None:
    (tmp_path / "pubs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "cv.yaml").write_text(CONFIG, encoding="utf-8")
    done = run_cvbuild("build", "cv.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Missing character" not in done.stderr and "missing" not in done.stderr.lower()
    import pdfplumber

    with pdfplumber.open(tmp_path / "out/cv/Marchetti_Lea_CV.pdf") as pdf:
        chars = pdf.pages[0].chars
    service = [c for c in chars if c["text"] in "דכ" and c["top"] > 150]
    dalet = min(c["x0"] for c in service if c["text"] == "ד")
    kaf = min(c["x0"] for c in service if c["text"] == "כ")
    assert dalet > kaf  # דוד (the first word) stands right of כהן
    tops = {round(c["top"]) for c in chars if c["text"] in "דוכהן"}
    assert len(tops) <= 2  # each name on one line (one for the paper, one for the text)
