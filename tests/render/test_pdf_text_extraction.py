"""What ATS portals and screen readers get from the PDF: every heading and the owner's name
extract as whole words (letter-spacing must not split 'PUBLICATIONS' into 'P UBLICATIONS')."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cvbuild.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "researcher"

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(
        shutil.which("xelatex") is None or shutil.which("pdftotext") is None,
        reason="needs xelatex and pdftotext",
    ),
]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("extract")
    shutil.copytree(EXAMPLE, folder / "ex", ignore=shutil.ignore_patterns(".cvbuild-cache"))
    out = folder / "out"
    code = main(
        ["-q", "build", str(folder / "ex" / "cv.yaml"), "--format", "pdf", "--output", str(out)]
    )
    assert code == 0
    texts = {}
    for pdf in out.glob("*/*.pdf"):
        done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
        texts[pdf.parent.name] = done.stdout
    return texts


@pytest.mark.parametrize(
    ("variant", "headings"),
    [
        ("cv", ["POSITIONS", "EDUCATION", "PUBLICATIONS", "GRANTS AND AWARDS", "SKILLS"]),
        ("resume", ["POSITIONS", "EDUCATION", "PUBLICATIONS", "SKILLS"]),  # compact theme
    ],
)
def test_headings_and_the_owner_extract_as_whole_words(
    pdfs: dict[str, str], variant: str, headings: list[str]
) -> None:
    lines = {line.strip() for line in pdfs[variant].splitlines()}
    for heading in headings:
        assert heading in lines, f"{heading!r} does not extract whole from the {variant} PDF"
    assert "Léa Marchetti" in pdfs[variant]


def test_a_mark_before_a_comma_extracts_without_a_space(pdfs: dict[str, str]) -> None:
    text = pdfs["cv"]
    assert "Okonkwo*," in text and "* ," not in text and "† ," not in text
