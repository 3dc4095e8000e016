"""Progress output: one updating line on a terminal, plain lines elsewhere, nothing when quiet."""

from __future__ import annotations

import io

import pytest

from cvbuild.progress import Progress, colour, problem_kind


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _colour_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def _run(stream: io.StringIO, quiet: bool = False) -> str:
    progress = Progress(stream, quiet=quiet)
    progress.start(3, "building")
    progress.advance("alice/cv.yaml")
    progress.advance("bob/cv.yaml")
    progress.advance("carol/cv.yaml")
    progress.done("3 CVs built")
    return stream.getvalue()


def test_tty_shows_one_updating_line() -> None:
    out = _run(FakeTTY())
    # Every update returns to the start of the line and erases it: no newline until done.
    assert out.count("\n") == 1
    assert out.endswith("3 CVs built\x1b[0m\n")
    assert out.count("\r\x1b[K") >= 4
    assert "carol/cv.yaml" in out and "3/3" in out
    assert "\x1b[" in out  # coloured on a terminal


def test_not_a_tty_gives_plain_lines_without_escapes() -> None:
    out = _run(io.StringIO())
    assert "\x1b" not in out and "\r" not in out
    assert out.splitlines() == [
        "building: 3 to do",
        "[1/3] alice/cv.yaml",
        "[2/3] bob/cv.yaml",
        "[3/3] carol/cv.yaml",
        "3 CVs built",
    ]


def test_quiet_prints_nothing_but_problems() -> None:
    stream = FakeTTY()
    assert _run(stream, quiet=True) == ""
    progress = Progress(stream, quiet=True)
    progress.line("just info")
    progress.line("cv.yaml:3: error: bad", kind="error")
    assert "just info" not in stream.getvalue()
    assert "cv.yaml:3: error: bad" in stream.getvalue()


def test_no_color_is_honoured_on_a_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = _run(FakeTTY())
    assert "\x1b[3" not in out and "\x1b[1;" not in out  # no colour codes
    assert "\r\x1b[K" in out  # still one updating line
    assert colour("boom", "error", FakeTTY()) == "boom"


def test_colour_only_on_a_terminal() -> None:
    assert colour("boom", "error", io.StringIO()) == "boom"
    assert colour("boom", "error", FakeTTY()) == "\x1b[1;31mboom\x1b[0m"
    assert colour("careful", "warning", FakeTTY()).startswith("\x1b[33m")
    assert colour("x", "unknown-kind", FakeTTY()) == "x"


def test_line_keeps_a_message_above_the_progress_line() -> None:
    stream = FakeTTY()
    progress = Progress(stream)
    progress.start(2, "building")
    progress.advance("a")
    progress.line("b/cv.yaml: failed", kind="error")
    progress.advance("b")
    progress.done()
    lines = stream.getvalue().split("\n")
    assert any(line.endswith("\x1b[1;31mb/cv.yaml: failed\x1b[0m") for line in lines)
    assert "2/2 done in" in stream.getvalue()


def test_problem_kind_reads_problem_lines() -> None:
    assert problem_kind("cv.yaml:1:2: warning: odd") == "warning"
    assert problem_kind("cv.yaml:1:2: error: bad") == "error"


def test_long_text_is_cut_to_the_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    stream = FakeTTY()
    progress = Progress(stream)
    progress.start(1, "building")
    progress.advance("x" * 200)
    last = stream.getvalue().split("\r\x1b[K")[-1]
    assert "…" in last and len(last) < 60
