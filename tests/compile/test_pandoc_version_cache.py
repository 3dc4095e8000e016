"""The version each pandoc executable reported, remembered in the per-user cache: asked once,
asked again when the executable changes, a damaged record ignored, nothing written where
the cache folder cannot be made."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from cvbuild.compile import pandoc


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "cvbuild" / pandoc.VERSIONS_FILE


def _fake_pandoc(folder: Path, version: str = "3.1.2") -> Path:
    exe = folder / "pandoc"
    exe.write_text(f'#!/bin/sh\necho "pandoc {version}"\necho "Features: +server"\n', "utf-8")
    exe.chmod(0o755)
    return exe


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The commands run from here on."""
    seen: list[list[str]] = []
    real = subprocess.run

    def counting(cmd, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(list(cmd))
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(pandoc.subprocess, "run", counting)
    return seen


def test_a_version_is_asked_once(cache: Path, tmp_path: Path, runs: list[list[str]]) -> None:
    exe = _fake_pandoc(tmp_path)
    assert pandoc._version(str(exe)) == (3, 1, 2)
    assert pandoc._version(str(exe)) == (3, 1, 2)
    assert runs == [[str(exe), "--version"]]
    record = json.loads(cache.read_text(encoding="utf-8"))
    st = os.stat(exe)
    assert record == {os.path.realpath(exe): [f"{st.st_size}:{st.st_mtime_ns}", 3, 1, 2]}


def test_a_changed_executable_is_asked_again(
    cache: Path, tmp_path: Path, runs: list[list[str]]
) -> None:
    exe = _fake_pandoc(tmp_path, "2.9")
    assert pandoc._version(str(exe)) == (2, 9)
    _fake_pandoc(tmp_path, "3.6.4")  # replaced: another size
    assert pandoc._version(str(exe)) == (3, 6, 4)
    os.utime(exe, ns=(1, 1))  # the same size, another time
    exe.write_text(exe.read_text("utf-8").replace("3.6.4", "3.6.5"), "utf-8")
    os.utime(exe, ns=(10**18, 10**18))
    assert pandoc._version(str(exe)) == (3, 6, 5)
    assert len(runs) == 3
    assert len(json.loads(cache.read_text(encoding="utf-8"))) == 1  # the old ones replaced


def test_only_a_few_executables_are_remembered(
    cache: Path, tmp_path: Path, runs: list[list[str]]
) -> None:
    for i in range(pandoc.MAX_VERSIONS + 5):
        folder = tmp_path / f"p{i}"
        folder.mkdir()
        assert pandoc._version(str(_fake_pandoc(folder, f"3.{i}"))) == (3, i)
    record = json.loads(cache.read_text(encoding="utf-8"))
    assert len(record) == pandoc.MAX_VERSIONS
    assert [3, pandoc.MAX_VERSIONS + 4] in [v[1:] for v in record.values()]  # the newest kept
    assert str(tmp_path / "p0" / "pandoc") not in record  # the oldest forgotten


def test_a_failing_executable_is_not_remembered(
    cache: Path, tmp_path: Path, runs: list[list[str]]
) -> None:
    exe = tmp_path / "pandoc"
    exe.write_text("#!/bin/sh\nexit 3\n", "utf-8")
    exe.chmod(0o755)
    assert pandoc._version(str(exe)) is None
    assert pandoc._version(str(exe)) is None
    assert len(runs) == 2 and not cache.exists()


@pytest.mark.parametrize(
    "damage",
    [
        "",
        "{not json",
        "[1, 2]",
        '{"KEY": "3.1.2"}',
        '{"KEY": ["STAMP", 3, "1"]}',
        '{"KEY": ["STAMP"]}',
        '{"KEY": []}',
        '{"KEY": ["STAMP", 3, -1]}',
        '{"KEY": ["STAMP", true, 1]}',
        '{"KEY": ["0:0", 9, 9]}',
    ],
)
def test_a_damaged_record_is_ignored_and_replaced(
    damage: str, cache: Path, tmp_path: Path, runs: list[list[str]]
) -> None:
    exe = _fake_pandoc(tmp_path)
    pandoc._version(str(exe))
    good = json.loads(cache.read_text(encoding="utf-8"))
    ((key, (stamp, *_)),) = good.items()
    cache.write_text(damage.replace("KEY", key).replace("STAMP", stamp), encoding="utf-8")
    assert pandoc._version(str(exe)) == (3, 1, 2)
    assert len(runs) == 2
    assert json.loads(cache.read_text(encoding="utf-8")) == good


def test_an_oversized_record_is_not_read(
    cache: Path, tmp_path: Path, runs: list[list[str]]
) -> None:
    exe = _fake_pandoc(tmp_path)
    pandoc._version(str(exe))
    ((key, (stamp, *_)),) = json.loads(cache.read_text(encoding="utf-8")).items()
    cache.write_text(json.dumps({key: [stamp, 9, 9]}) + " " * 70_000, encoding="utf-8")
    assert pandoc._version(str(exe)) == (3, 1, 2)


def test_nothing_is_written_where_the_cache_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runs: list[list[str]]
) -> None:
    blocker = tmp_path / "xdg"
    blocker.write_text("in the way", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    folder = tmp_path / "bin"
    folder.mkdir()
    exe = _fake_pandoc(folder)
    assert pandoc._version(str(exe)) == pandoc._version(str(exe)) == (3, 1, 2)
    assert len(runs) == 2  # asked each time
    assert blocker.read_text(encoding="utf-8") == "in the way"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "xdg"]
