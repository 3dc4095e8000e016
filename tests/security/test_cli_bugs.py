"""The CLI-wide guarantee: whatever escapes a command reaches the user as one sentence that says
it is a bug and asks for a report, exit 4; the traceback only with --debug or CVBUILD_DEBUG=1.
Ctrl-C is exit 130 without a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.conftest import fingerprint, injected_env, run_cli

_BUG = """
import cvbuild.select as _select
def _broken(*args, **kw):
    raise ZeroDivisionError("an injected bug")
_select.select_sections = _broken
"""

_CTRL_C = """
import cvbuild.select as _select
def _interrupted(*args, **kw):
    raise KeyboardInterrupt
_select.select_sections = _interrupted
"""


def _build(config: Path, out: Path, *more: str, env: dict[str, str] | None = None):
    return run_cli("build", str(config), "--format", "md", "--output", str(out), *more, env=env)


def test_a_bug_is_one_sentence_exit_4_and_nothing_written(small_cv: Path, tmp_path: Path) -> None:
    env = injected_env(tmp_path / "inject", _BUG)
    before = fingerprint(small_cv.parent)
    done = _build(small_cv, tmp_path / "out", env=env)
    done.assert_no_traceback()
    assert done.code == 4, done.text
    lines = done.err.strip().splitlines()
    assert len(lines) == 1, done.err
    assert "ZeroDivisionError: an injected bug" in lines[0]
    assert "this is a bug in cvbuild, please report it" in lines[0]
    assert "--debug" in lines[0]
    assert fingerprint(small_cv.parent) == before
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("where", "env_flag"),
    [("before", None), ("after", None), ("env", "1")],
)
def test_debug_shows_the_traceback(
    small_cv: Path, tmp_path: Path, where: str, env_flag: str | None
) -> None:
    env = injected_env(tmp_path / "inject", _BUG)
    if env_flag:
        env["CVBUILD_DEBUG"] = env_flag
    out = str(tmp_path / "out")
    args = ["build", str(small_cv), "--format", "md", "--output", out]
    if where == "before":
        args = ["--debug", *args]
    elif where == "after":
        args = [*args, "--debug"]
    done = run_cli(*args, env=env)
    assert done.code == 4, done.text
    assert "Traceback (most recent call last)" in done.err
    assert "this is a bug in cvbuild, please report it" in done.err


def test_a_bug_in_a_batch_is_exit_4(small_cv: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for name in ("cv.yaml", "papers.bib"):
        (other / name).write_bytes((small_cv.parent / name).read_bytes())
    env = injected_env(tmp_path / "inject", _BUG)
    done = run_cli(
        "build",
        str(small_cv),
        str(other / "cv.yaml"),
        "--format",
        "md",
        "--output",
        str(tmp_path / "out"),
        env=env,
    )
    done.assert_no_traceback()
    assert done.code == 4, done.text


def test_ctrl_c_is_130_without_a_traceback(small_cv: Path, tmp_path: Path) -> None:
    env = injected_env(tmp_path / "inject", _CTRL_C)
    before = fingerprint(small_cv.parent)
    done = _build(small_cv, tmp_path / "out", env=env)
    done.assert_no_traceback()
    assert done.code == 130, done.text
    assert done.err.strip() == "cvbuild: interrupted"
    assert fingerprint(small_cv.parent) == before


def test_user_mistakes_are_never_exit_4(small_cv: Path, tmp_path: Path) -> None:
    small_cv.write_text(small_cv.read_text() + "output:\n  filename: '{given.nope}'\n", "utf-8")
    done = run_cli("build", "--debug", str(small_cv), "--format", "md")
    done.assert_no_traceback()
    assert done.code == 1, done.text
