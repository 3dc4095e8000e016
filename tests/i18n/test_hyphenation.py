"""German words hyphenate by German patterns; a missing language package is named."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from cvbuild.i18n.texlang import tex_language

from .helpers import example_config, run_cvbuild

pytestmark = pytest.mark.tex
needs_tex = pytest.mark.skipif(shutil.which("xelatex") is None, reason="no xelatex")
WORD = "Forschungsgemeinschaftsförderung"


def show_hyphens(tmp_path: Path, tag: str, engine: str = "xelatex") -> str:
    preamble = tex_language(tag, engine).preamble.replace(r"\hypersetup{pdflang=" + tag + "}", "")
    if engine != "pdflatex":
        preamble = "\\usepackage{fontspec}\n" + preamble
    else:
        preamble = "\\usepackage[T1]{fontenc}\n" + preamble
    (tmp_path / "h.tex").write_text(
        f"\\documentclass{{article}}\n{preamble}\n\\begin{{document}}\n"
        f"\\showhyphens{{{WORD}}}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    subprocess.run(
        [engine, "-interaction=nonstopmode", "h.tex"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )
    log = (tmp_path / "h.log").read_text(encoding="utf-8", errors="replace")
    # \showhyphens prints the word as an underfull box: "\TU/lmr/m/n/10 For-schungs-..."
    lines = re.findall(r"^(?:\[\] )?\\\S+ (\S*-\S*)$", log, re.MULTILINE)
    return " ".join(lines)


@needs_tex
@pytest.mark.parametrize("engine", ["xelatex", "pdflatex"])
def test_german_compound_breaks_between_its_parts(tmp_path: Path, engine: str) -> None:
    german = show_hyphens(tmp_path, "de", engine)
    # Forschungs|gemeinschafts|förderung: breaks at both joints of the compound
    assert german.startswith("For-schungs-ge-mein-schafts-f"), german


@needs_tex
def test_english_patterns_break_it_elsewhere(tmp_path: Path) -> None:
    english = show_hyphens(tmp_path, "en")
    assert english and not english.startswith("For-schungs-ge-mein-schafts-f"), english


@needs_tex
def test_german_cv_text_is_hyphenated_in_the_pdf(tmp_path: Path) -> None:
    config = example_config(tmp_path, "de")
    text = config.read_text(encoding="utf-8").replace(
        "  - title: Service\n    text: |\n",
        "  - title: Service\n    text: |\n"
        + "      Gutachterin der Deutschen Forschungsgemeinschaft und der Bundesumweltministeriumsförderlinie, "
        "Forschungsgemeinschaftsförderung und Nachwuchswissenschaftlerinnenprogramme, "
        "Hochschulrektorenkonferenzempfehlungen und Umweltverträglichkeitsprüfungsverfahren. "
        "Donaudampfschifffahrtsgesellschaftskapitänsmützen und Wissenschaftskommunikationsstrategien.\n",
    )
    config.write_text(text, encoding="utf-8")
    done = run_cvbuild("build", str(config), "--variant", "cv", "--format", "pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    import pdfplumber

    with pdfplumber.open(tmp_path / "out/cv/Marchetti_Lea_CV.pdf") as pdf:
        lines = "\n".join(p.extract_text() or "" for p in pdf.pages).splitlines()
    broken = [line.split()[-1] for line in lines if line.rstrip().endswith("-") and line.split()]
    assert broken, "no word was hyphenated"
    # each break is at a syllable German patterns allow, never inside "sch" or after one letter
    for piece in broken:
        assert not piece.endswith(("s-", "c-")) or piece.endswith(("ts-", "ns-", "gs-", "fts-")), (
            piece
        )
        assert len(piece.rstrip("-")) >= 2


@needs_tex
def test_missing_language_package_is_named_with_exit_3(tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    kpsewhich = fake / "kpsewhich"
    kpsewhich.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")  # finds nothing
    kpsewhich.chmod(kpsewhich.stat().st_mode | stat.S_IXUSR)
    config = example_config(tmp_path, "de")
    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}")
    done = subprocess.run(
        [
            "python3" if False else os.sys.executable,
            "-m",
            "cvbuild",
            "build",
            str(config),
            "--variant",
            "cv",
            "--format",
            "pdf",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert "the de CV needs what this machine lacks: hyph-de-1996.tex for de" in done.stderr
    assert "apt-get install texlive-lang-german" in done.stderr
    assert "Traceback" not in done.stderr and "! " not in done.stderr
