"""Only ``cvbuild/cli.py`` prints or exits: every other module raises the typed errors of
``cvbuild.errors`` or returns problems as data, and writes only to streams it is handed.

import-linter cannot say this (it is about calls, not imports), so this test reads the syntax
tree of every module and names each ``print(``, ``exit(``/``quit(``, ``sys.exit``/``os._exit``,
``raise SystemExit`` and ``sys.stdout``/``sys.stderr`` write it finds, with its line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cvbuild"
ALLOWED = {"cli.py", "__main__.py"}  # the command line: the one place that prints and exits

_EXIT_BUILTINS = {"print", "exit", "quit"}
_EXIT_ATTRIBUTES = {("sys", "exit"), ("os", "_exit"), ("os", "abort")}
_STREAMS = {"stdout", "stderr", "__stdout__", "__stderr__"}


def _dotted(node: ast.expr) -> list[str]:
    """``sys.stdout.buffer.write`` as ``["sys", "stdout", "buffer", "write"]``; [] otherwise."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return []


def _writes_to_own_stream(name: list[str], from_sys: set[str]) -> bool:
    """``sys.stderr.write``, ``sys.stdout.buffer.write``, ``err.write`` after ``from sys import
    stderr as err``."""
    if not name or name[-1] not in {"write", "writelines"}:
        return False
    if len(name) >= 3 and name[0] == "sys" and name[1] in _STREAMS:
        return True
    return len(name) >= 2 and name[0] in from_sys


def offences(source: str) -> list[str]:
    """``"LINE: what"`` for each print, exit or write to the process's own streams."""
    tree = ast.parse(source)
    from_sys: set[str] = set()  # names bound by ``from sys import exit, stdout``
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "sys":
            for alias in node.names:
                if alias.name == "exit" or alias.name in _STREAMS:
                    from_sys.add(alias.asname or alias.name)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if len(name) == 1 and (name[0] in _EXIT_BUILTINS or name[0] in from_sys):
                found.append(f"{node.lineno}: {name[0]}(...)")
            elif tuple(name) in _EXIT_ATTRIBUTES or _writes_to_own_stream(name, from_sys):
                found.append(f"{node.lineno}: {'.'.join(name)}(...)")
        elif isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if _dotted(exc)[-1:] == ["SystemExit"]:
                found.append(f"{node.lineno}: raise SystemExit")
    return sorted(found, key=lambda s: int(s.split(":", 1)[0]))


MODULES = sorted(
    p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).as_posix() not in ALLOWED
)
# Offenders in files being restructured elsewhere: {relative path: reason}. Empty today.
KNOWN: dict[str, str] = {}
# Modules that fork a child of their own and end it with ``os._exit`` (not the program's
# exit: a forked child must not run the parent's atexit handlers or flush its buffers).
# Only ``os._exit`` is allowed there; a print or any other exit still fails.
FORKED_CHILD_EXITS = {"forking.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_the_cli_prints_or_exits(path: Path) -> None:
    rel = path.relative_to(PACKAGE).as_posix()
    if rel in KNOWN:
        pytest.xfail(KNOWN[rel])
    found = offences(path.read_text(encoding="utf-8"))
    if rel in FORKED_CHILD_EXITS:
        found = [f for f in found if not f.endswith(": os._exit(...)")]
    assert found == [], (
        f"cvbuild/{rel} prints or exits (only cvbuild/cli.py may; raise a cvbuild.errors "
        f"error or return the problem instead):\n  " + "\n  ".join(found)
    )


def test_the_package_is_found() -> None:
    assert len(MODULES) > 40
    assert PACKAGE / "cli.py" not in MODULES


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("print('hi')", ["1: print(...)"]),
        ("import sys\nsys.exit(3)", ["2: sys.exit(...)"]),
        ("exit(1)", ["1: exit(...)"]),
        ("quit()", ["1: quit(...)"]),
        ("import os\nos._exit(1)", ["2: os._exit(...)"]),
        ("raise SystemExit(2)", ["1: raise SystemExit"]),
        ("raise SystemExit", ["1: raise SystemExit"]),
        ("import builtins\nraise builtins.SystemExit", ["2: raise SystemExit"]),
        ("import sys\nsys.stderr.write('x')", ["2: sys.stderr.write(...)"]),
        ("import sys\nsys.stdout.buffer.write(b'x')", ["2: sys.stdout.buffer.write(...)"]),
        ("from sys import exit\nexit(1)", ["2: exit(...)"]),
        ("from sys import stderr as err\nerr.write('x')", ["2: err.write(...)"]),
        ("from sys import exit as bye\nbye(1)", ["2: bye(...)"]),
    ],
)
def test_offences_are_found(source: str, expected: list[str]) -> None:
    assert offences(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "stream.write('x')",  # a stream the CLI handed in
        "try:\n    pass\nexcept SystemExit:\n    raise",
        "def print_table(): pass\nprint_table()",
        "log.print('x')",
        "import sys\nstream = sys.stderr",  # choosing a default is not writing
        "raise InputError('bad')",
    ],
)
def test_what_is_allowed(source: str) -> None:
    assert offences(source) == []
