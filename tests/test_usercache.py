"""The per-user cache's folder, bounded reads, atomic writes and pruning."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cvbuild import usercache


def test_the_folder_follows_xdg_and_the_switch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert usercache.folder("catalogs") == tmp_path / "cvbuild" / "catalogs"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert usercache.cache_root() == tmp_path / "home" / ".cache" / "cvbuild"
    monkeypatch.setenv("CVBUILD_CACHE", "0")
    assert usercache.cache_root() is None and usercache.folder("x") is None


def test_keys_differ_by_every_part() -> None:
    key = usercache.key_of
    assert key("a", "bc") != key("ab", "c")  # parts are delimited
    assert key("a") == key("a") != key(b"a", b"")
    assert len(key("a")) == 32


def test_reads_are_bounded_and_writes_atomic(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "entry.json"
    assert usercache.write_json(path, {"b": 1, "a": "é"})
    assert path.read_bytes() == '{"a":"é","b":1}'.encode()
    assert usercache.read_json(path, 100) == {"a": "é", "b": 1}
    assert usercache.read_json(path, 5) is None  # larger than the bound
    path.write_bytes(b"\xff{")
    assert usercache.read_json(path, 100) is None
    assert usercache.read_json(tmp_path / "missing", 100) is None
    assert sorted(p.name for p in path.parent.iterdir()) == ["entry.json"]  # no temporary left


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert not usercache.write_bytes(tmp_path / "file" / "sub" / "x", b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    for i in range(6):
        entry = tmp_path / f"{i}.code"
        entry.write_bytes(b"x")
        os.utime(entry, ns=(i * 10**9, i * 10**9))
    (tmp_path / "other.json").write_bytes(b"{}")
    usercache.prune(tmp_path, 2, "*.code")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["4.code", "5.code", "other.json"]
    usercache.prune(tmp_path / "missing", 1)  # no folder: nothing to do
