"""Issue 18, item 3, through the CLI: every format of a ``max_pages`` variant carries the
fitted selection of its PDF — also when the PDF is not built this time — and the DOCX
follows the variant's theme."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from cvbuild.cli import main

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed"),
]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "researcher"
OLD = re.compile(r"An old paper number (\d+)\b")


@pytest.fixture
def crowded(tmp_path: Path) -> Path:
    """The example whose résumé (compact theme) must drop old papers to fit one page."""
    folder = tmp_path / "cv"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".cvbuild-cache"))
    bib = folder / "publications.bib"
    old = "".join(
        f"@article{{old{i}, title = {{An old paper number {i}}}, author = {{Marchetti, L.}},"
        f" journal = {{J}}, year = {{2000}}}}\n"
        for i in range(30)
    )
    bib.write_text(bib.read_text(encoding="utf-8") + old, encoding="utf-8")
    config = folder / "cv.yaml"
    text = config.read_text(encoding="utf-8")
    assert "max_pages: 2" in text and "theme: compact" in text
    text = text.replace("max_pages: 2", "max_pages: 1").replace("    selected_only: true\n", "")
    config.write_text(text, encoding="utf-8")
    return config


def _pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    return " ".join(" ".join(p.text for p in document.paragraphs).split())


def _fit_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("resume: ")]


def test_the_docx_of_a_fitted_variant_has_exactly_the_pdf_papers_even_without_the_pdf(
    crowded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    both, alone = tmp_path / "both", tmp_path / "alone"
    base = ["build", str(crowded), "--variant", "resume"]
    assert main([*base, "--format", "pdf", "--format", "docx", "--output", str(both)]) == 0
    fit_with_pdf = _fit_lines(capsys.readouterr().out)
    assert fit_with_pdf and fit_with_pdf[0].startswith("resume: dropped ")
    pdf = next((both / "resume").glob("*.pdf"))
    in_pdf = set(OLD.findall(_pdf_text(pdf)))
    assert len(in_pdf) < 30  # old papers were dropped to fit
    dropped = {line.split("old", 1)[1].split(" ")[0] for line in fit_with_pdf[1:]}
    assert dropped and in_pdf == {str(i) for i in range(30)} - dropped
    assert set(OLD.findall(_docx_text(next((both / "resume").glob("*.docx"))))) == in_pdf

    # The DOCX alone: the PDF is compiled to fit, not written, and the selection is the same.
    assert main([*base, "--format", "docx", "--output", str(alone)]) == 0
    assert _fit_lines(capsys.readouterr().out) == fit_with_pdf
    assert [p.suffix for p in (alone / "resume").iterdir()] == [".docx"]
    docx_alone = next((alone / "resume").glob("*.docx"))
    assert set(OLD.findall(_docx_text(docx_alone))) == in_pdf
    assert "Foundation models for biodiversity" in _docx_text(docx_alone)  # recent ones stay


def test_the_docx_follows_the_variant_theme(crowded: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    crowded.write_text(
        crowded.read_text(encoding="utf-8").replace("max_pages: 1", "max_pages: 3"),
        encoding="utf-8",
    )
    args = ["-q", "build", str(crowded), "--format", "docx", "--output", str(out)]
    assert main(args) == 0

    def styles(variant: str) -> str:
        data = next((out / variant).glob("*.docx")).read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.read("word/styles.xml").decode("utf-8")

    compact, academic = styles("resume"), styles("cv")  # resume: theme compact
    assert 'w:ascii="Arial"' in compact and "7A1F1F" in compact
    assert 'w:ascii="Arial"' not in academic and "7A1F1F" not in academic
