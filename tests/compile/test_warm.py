"""Warm start: an engine that loaded the preamble ahead changes nothing a user sees."""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from render.sample_document import header, sample_document

from cvbuild.compile import warm
from cvbuild.compile.latex import compile_pdf, spare_prefix, warm_start
from cvbuild.document import Document
from cvbuild.errors import ExternalError
from cvbuild.render.latex import LatexSource, latex_support_files, render_latex

needs_xelatex = pytest.mark.skipif(
    shutil.which("xelatex") is None, reason="xelatex is not installed"
)


@pytest.fixture(autouse=True)
def _no_engine_left() -> Iterator[None]:
    warm.keep_spares(False)
    yield
    warm.keep_spares(False)
    warm.shutdown()


def plain_document(theme: str = "academic", paper: str = "a4") -> Document:
    """A CV without a character outside the theme fonts (so no fallback fonts)."""
    doc = sample_document(theme, paper=paper)
    plain = dataclasses.replace(header(), name="Ada Lovelace", headline=doc.header.headline)
    return dataclasses.replace(doc, sections=doc.sections[:1], header=plain)


def source(doc: Document) -> LatexSource:
    return render_latex(doc)


# ---------------------------------------------------------------- without TeX


@pytest.mark.parametrize("theme", ["academic", "compact"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_predicted_preamble_is_how_render_starts_the_tex(theme: str, paper: str) -> None:
    text = source(plain_document(theme, paper)).text
    prefix = warm.predicted_prefix("xelatex", theme, paper)
    assert prefix is not None and text.startswith(prefix)
    assert prefix.endswith(f"{{cvbuild-{theme}}}\n")


def test_only_xelatex_starts_warm() -> None:
    assert warm.predicted_prefix("lualatex", "academic", "a4") is None
    assert warm.predicted_prefix("pdflatex", "academic", "a4") is None


def test_a_spare_loads_every_line_before_the_pdf_id() -> None:
    text = source(plain_document()).text
    prefix = spare_prefix(text)
    assert prefix is not None and text.startswith(prefix)
    assert text[len(prefix) :].startswith("\\cvbtrailerid{")
    assert spare_prefix("\\documentclass{article}\n\\begin{document}x\\end{document}\n") is None


def test_the_switch_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CVBUILD_WARM", "0")
    warm_start("xelatex", "academic", "a4", latex_support_files("academic"))
    assert warm.idle_count() == 0


# ---------------------------------------------------------------- with TeX


def cold_pdf(src: LatexSource, monkeypatch: pytest.MonkeyPatch) -> bytes:
    with monkeypatch.context() as m:
        m.setenv("CVBUILD_WARM", "0")
        return compile_pdf(src).pdf


def started(theme: str = "academic", paper: str = "a4") -> None:
    warm_start("xelatex", theme, paper, latex_support_files(theme))
    assert warm.idle_count() == 1


@pytest.mark.tex
@needs_xelatex
def test_a_warm_pass_gives_the_same_bytes_as_a_cold_one(monkeypatch: pytest.MonkeyPatch) -> None:
    src = source(plain_document())
    cold = cold_pdf(src, monkeypatch)
    started()
    time.sleep(0.5)  # let it load the preamble and wait on its pipe
    result = compile_pdf(src)
    assert warm.idle_count() == 0  # the compile took it
    assert result.passes == 1
    assert result.pdf == cold


@pytest.mark.tex
@needs_xelatex
def test_a_body_arriving_at_once_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    src = source(plain_document("compact", "letter"))
    cold = cold_pdf(src, monkeypatch)
    started("compact", "letter")
    assert compile_pdf(src).pdf == cold  # no wait: the engine is still loading


@pytest.mark.tex
@needs_xelatex
def test_another_preamble_or_style_runs_cold_and_kills_the_engine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started("compact")
    src = source(plain_document("academic"))  # another theme: its lines differ
    assert compile_pdf(src).pdf == cold_pdf(src, monkeypatch)
    assert warm.idle_count() == 1  # not taken; the build's end releases it
    warm.release()
    assert warm.idle_count() == 0
    # The same lines, but a user's style file edited since the engine started.
    started("academic")
    own = tmp_path / "cvbuild-academic.sty"
    own.write_text(Path(latex_support_files("academic")[1]).read_text() + "\n% edited\n")
    edited = dataclasses.replace(src, support_files=(src.support_files[0], own))
    compile_pdf(edited)
    assert warm.idle_count() == 1


@pytest.mark.tex
@needs_xelatex
def test_a_tex_error_names_the_entry_as_a_cold_pass_does(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = plain_document()
    text = source(doc).text
    entry = doc.sections[0]
    assert entry.kind == "entries"
    line = next(x for x in text.splitlines() if x.startswith("\\cvbentry"))
    broken = dataclasses.replace(source(doc), text=text.replace(line, line + "\\undefinedmacro", 1))
    messages = []
    for mode in ("0", "1"):
        monkeypatch.setenv("CVBUILD_WARM", mode)
        if mode == "1":
            started()
        with pytest.raises(ExternalError) as info:
            compile_pdf(broken)
        messages.append(str(info.value))
    assert warm.idle_count() == 0
    assert messages[0] == messages[1]
    assert "Undefined control sequence" in messages[1] and "the entry" in messages[1]


@pytest.mark.tex
@needs_xelatex
def test_a_warm_pass_keeps_its_time_limit() -> None:
    started()
    with pytest.raises(ExternalError, match="did not finish within"):
        compile_pdf(source(sample_document()), timeout=0.05)
    # (a source with fallbacks does not match: the cold pass is timed out too)
    src = source(plain_document())
    with pytest.raises(ExternalError, match="did not finish within"):
        compile_pdf(src, timeout=0.05)


@pytest.mark.tex
@needs_xelatex
def test_released_engines_die_and_leave_no_folder() -> None:
    started()
    (engine,) = list(warm._idle)
    folder, pid = engine.folder, engine.proc.pid
    warm.release()
    assert not folder.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.tex
@needs_xelatex
def test_a_session_keeps_a_spare_for_the_next_save(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = plain_document()
    src = source(doc)
    cold = cold_pdf(src, monkeypatch)
    warm.keep_spares(True)
    compile_pdf(src)
    assert warm.idle_count() == 1  # waiting for the next save
    warm.release()  # the end of a build keeps a session's spare
    assert warm.idle_count() == 1
    again = compile_pdf(src)
    assert again.pdf == cold
    assert warm.idle_count() == 1  # and the next one is waiting again
    warm.shutdown()
    assert warm.idle_count() == 0


@pytest.mark.tex
@needs_xelatex
def test_a_seeded_warm_pass_reads_the_kept_aux(monkeypatch: pytest.MonkeyPatch) -> None:
    text = source(plain_document()).text.replace(
        r"\end{document}", r"\label{here}See page \pageref{here}.\end{document}"
    )
    src = dataclasses.replace(source(plain_document()), text=text)
    first = compile_pdf(src)
    assert first.passes == 2
    started()
    seeded = compile_pdf(src, seed=first.aux)
    assert warm.idle_count() == 0
    assert seeded.passes == 1 and seeded.pdf == first.pdf


@pytest.mark.tex
@needs_xelatex
def test_an_engine_started_before_the_date_changed_is_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cvbuild.compile import latex

    started()
    (old,) = list(warm._idle)
    monkeypatch.setattr(latex, "source_date_epoch", lambda: "86400")  # the day turned
    result = compile_pdf(source(plain_document()))
    assert result.passes == 1
    assert warm.idle_count() == 0  # dropped, not taken: its PDF would carry the old date
    assert old.proc.poll() is not None and old.proc.returncode < 0  # killed, not run
    assert not old.folder.exists()
