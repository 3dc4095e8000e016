from __future__ import annotations

import os
from pathlib import Path

import pytest

from cvbuild.errors import ExternalError
from cvbuild.outputs import write_atomically


def test_writes_all_files_and_skips_unchanged(tmp_path: Path) -> None:
    a, b = tmp_path / "v" / "a.md", tmp_path / "v" / "b.pdf"
    assert write_atomically({a: b"one", b: b"two"}) == [a, b]
    assert a.read_bytes() == b"one"
    mtime = a.stat().st_mtime_ns
    assert write_atomically({a: b"one", b: b"three"}) == [b]
    assert a.stat().st_mtime_ns == mtime
    assert b.read_bytes() == b"three"


def test_failure_leaves_earlier_outputs_and_no_temp_files(tmp_path: Path, monkeypatch) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    write_atomically({a: b"old a", b: b"old b"})

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ExternalError, match="cannot write"):  # said for a person, exit 3
        write_atomically({a: b"new a", b: b"new b"})
    assert a.read_bytes() == b"old a" and b.read_bytes() == b"old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md"]


def test_new_files_are_readable_by_others_as_the_umask_allows(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "cv.pdf"
        write_atomically({path: b"x"})
        assert path.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)
