"""compile_pdf: passes, reproducibility, sandboxing, error sentences, warnings, tex folders."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from render.sample_document import sample_document

from cvbuild.compile import latex as compile_latex
from cvbuild.compile.latex import (
    _SourceIndex,
    compile_pdf,
    explain_error,
    missing_characters,
    tex_folder_files,
)
from cvbuild.errors import ExternalError, Location
from cvbuild.render.latex import LatexSource, latex_support_files, render_latex

needs_xelatex = pytest.mark.skipif(
    shutil.which("xelatex") is None, reason="xelatex is not installed"
)


def write_tex_folder(source: LatexSource, dest: Path) -> list[Path]:
    """The files of ``tex_folder_files`` written into ``dest`` (as ``--format tex`` does)."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in tex_folder_files(source).items():
        (dest / name).write_bytes(data)
        written.append(dest / name)
    return written


@pytest.fixture(scope="module")
def tex() -> str:
    return render_latex(sample_document("academic")).text


def support() -> list[Path]:
    return latex_support_files("academic")


def source(text: str, files: list[Path] | None = None, engine: str = "xelatex") -> LatexSource:
    """What render would hand compile for ``text`` (a one-pass document)."""
    return LatexSource(text, engine, tuple(support() if files is None else files), False)


# ---------------------------------------------------------------- without TeX


def test_error_line_names_the_bibtex_key(tex: str) -> None:
    index = _SourceIndex(tex)
    line = next(i for i, x in enumerate(tex.splitlines(), 1) if '"ivanov2023cyr"' in x) + 1
    log = f"(./cv.tex\n./cv.tex:{line}: Undefined control sequence.\nl.{line} ...Иванов \\oops\n"
    text = explain_error(log, index, "xelatex", {"ivanov2023cyr": Location("pubs.bib", 12)})
    assert "ivanov2023cyr" in text and "Publications" in text and "pubs.bib:12" in text
    assert "Undefined control sequence" in text


def test_error_in_a_style_or_a_missing_package_is_said_plainly(tex: str) -> None:
    index = _SourceIndex(tex)
    text = explain_error(
        "./cvbuild-base.sty:12: LaTeX Error: File `zref-user.sty' not found.\n", index, "xelatex"
    )
    assert "zref-user.sty is not installed" in text and "setup.sh" in text


def test_missing_character_warning_names_the_entry() -> None:
    doc_tex = render_latex(sample_document()).text.replace("Zoë Brontë", "Zoë 李")
    log = "Missing character: There is no 李 (U+674E) in font LinLibertineO/OT:script=latn;mapping=tex-text;!\n"
    problems = missing_characters(log, _SourceIndex(doc_tex), "xelatex")
    assert len(problems) == 1
    p = problems[0]
    assert p.is_warning and "ivanov2023cyr" in p.message and "U+674E" in p.message
    assert "fonts-noto-cjk" in p.hint


def test_missing_engine_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, tex: str) -> None:
    monkeypatch.setattr(compile_latex.shutil, "which", lambda name: None)
    with pytest.raises(
        ExternalError, match=r"lualatex is not installed.*setup\.sh.*texlive-luatex"
    ):
        compile_pdf(source(tex, engine="lualatex"))


def test_tex_folder_is_self_contained(tmp_path: Path, tex: str) -> None:
    written = write_tex_folder(source(tex), tmp_path / "out")
    names = {p.name for p in written}
    assert names == {"cv.tex", "cvbuild-base.sty", "cvbuild-academic.sty", "latexmkrc"}
    assert (tmp_path / "out" / "cv.tex").read_text().startswith("% !TEX program = xelatex\n")
    assert "$pdf_mode = 5;" in (tmp_path / "out" / "latexmkrc").read_text()


# ---------------------------------------------------------------- with TeX


@pytest.mark.tex
@needs_xelatex
def test_two_builds_are_byte_identical_in_one_pass_each(tex: str) -> None:
    first = compile_pdf(source(tex))
    second = compile_pdf(source(tex))
    assert first.pdf == second.pdf
    assert first.passes == 1
    assert first.pdf.startswith(b"%PDF")


@pytest.mark.tex
@needs_xelatex
def test_a_template_with_cross_references_gets_its_rerun_and_a_seed_saves_it(tex: str) -> None:
    with_refs = tex.replace(
        r"\end{document}", r"\label{here}See page \pageref{here}.\end{document}"
    )
    first = compile_pdf(source(with_refs))
    assert first.passes == 2  # LaTeX asked for a rerun: the label was new
    seeded = compile_pdf(source(with_refs), seed=first.aux)
    assert seeded.passes == 1 and seeded.pdf == first.pdf


@pytest.mark.tex
@needs_xelatex
def test_latex_error_raises_a_sentence_naming_the_key_and_keeps_the_build(
    tex: str, tmp_path: Path
) -> None:
    broken = tex.replace("Historical Cyrillic Newspapers", r"Historical \undefinedmacro Newspapers")
    with pytest.raises(ExternalError) as info:
        compile_pdf(source(broken), keep_build=tmp_path / "keep")
    message = str(info.value)
    assert "ivanov2023cyr" in message and "Undefined control sequence" in message
    assert (tmp_path / "keep" / "cv.log").is_file()


@pytest.mark.tex
@needs_xelatex
def test_engine_cannot_read_or_write_outside_or_run_commands(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    raw = (
        "\\documentclass{article}\\begin{document}\n"
        f"\\immediate\\write18{{touch {marker}}}\n"
        f"\\immediate\\openout5={tmp_path}/written.tex \\immediate\\write5{{x}}\\immediate\\closeout5\n"
        "\\input{/etc/passwd}\n\\end{document}\n"
    )
    with pytest.raises(ExternalError):
        compile_pdf(source(raw, []))
    assert not marker.exists()
    assert not (tmp_path / "written.tex").exists()


@pytest.mark.tex
@needs_xelatex
def test_time_limit(tex: str) -> None:
    with pytest.raises(ExternalError, match="did not finish within"):
        compile_pdf(source(tex), timeout=0.2)


@pytest.mark.tex
@needs_xelatex
def test_tex_folder_compiles_on_its_own(tmp_path: Path, tex: str) -> None:
    write_tex_folder(source(tex), tmp_path)
    env = compile_latex.engine_environment(tmp_path)
    subprocess.run(
        ["xelatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "cv.tex"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
        timeout=120,
    )
    assert (tmp_path / "cv.pdf").stat().st_size > 10_000


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_pdflatex_builds_and_warns_about_scripts_it_cannot_set() -> None:
    tex = render_latex(sample_document("compact", engine="pdflatex"))
    assert tex.text.startswith("% !TEX program = pdflatex\n") and tex.engine == "pdflatex"
    result = compile_pdf(tex)
    assert result.pdf.startswith(b"%PDF")
    keys = " ".join(w.message for w in result.warnings)
    assert "ivanov2023cyr" in keys and "papadopoulos2024greek" in keys


@pytest.mark.tex
@needs_xelatex
def test_a_very_long_cv_ships_pages_as_they_come_and_numbers_them_in_two_passes() -> None:
    from render.sample_document import long_document

    long_mode = render_latex(long_document("academic"), twopass=True)
    assert long_mode.twopass
    result = compile_pdf(long_mode)
    assert result.passes == 2  # the first pass cannot know the total
    import pdfplumber

    with pdfplumber.open(io.BytesIO(result.pdf)) as doc:
        pages = [p.extract_text().replace(" ", "") for p in doc.pages]
    for number, text in enumerate(pages, start=1):
        assert (
            f"{number}of{len(pages)}" in text or f"{number}/{len(pages)}" in text or len(pages) == 1
        )
    assert sum(text.count("Equalcontribution") for text in pages) >= 1
    seeded = compile_pdf(long_mode, seed=result.aux)
    assert seeded.passes == 1 and seeded.pdf == result.pdf
