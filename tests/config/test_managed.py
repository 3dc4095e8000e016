"""The rules for ``refresh.into`` on their own (the CLI side is in tests/security)."""

from __future__ import annotations

import os
from pathlib import Path

from cvbuild.config.managed import HEADER_MARK, into_problems
from cvbuild.refresh.store import replace_with_backup, write_atomic


def test_hard_link_to_the_curated_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cv.yaml").write_text("x: 1\n", encoding="utf-8")
    curated = tmp_path / "mine.bib"
    curated.write_text(f"{HEADER_MARK} (even a copied header)\n", encoding="utf-8")
    os.link(curated, tmp_path / "fetched.bib")
    found = into_problems(
        tmp_path / "fetched.bib", tmp_path / "cv.yaml", [(curated, "Papers")], "fetched.bib"
    )
    assert [m for m, _ in found] == [
        "'into: fetched.bib' is the same file as 'mine.bib', which section 'Papers' reads as "
        "your curated .bib; refresh would overwrite it"
    ]


def test_a_managed_file_with_the_header_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "cv.yaml").write_text("x: 1\n", encoding="utf-8")
    managed = tmp_path / "sub" / "fetched.bib"
    managed.parent.mkdir()
    managed.write_text(f"{HEADER_MARK} from: dblp:1.\n@misc{{a,}}\n", encoding="utf-8")
    assert (
        into_problems(managed, tmp_path / "cv.yaml", [(managed, "P")], "sub/../sub/fetched.bib")
        == []
    )
    assert into_problems(tmp_path / "new.bib", tmp_path / "cv.yaml", [], "new.bib") == []


def test_folder_and_device_are_refused(tmp_path: Path) -> None:
    (tmp_path / "cv.yaml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "d").mkdir()
    found = into_problems(tmp_path / "d", tmp_path / "cv.yaml", [], "d")
    assert "is a folder" in found[0][0]
    os.symlink("/dev/zero", tmp_path / "z.bib")
    found = into_problems(tmp_path / "z.bib", tmp_path / "cv.yaml", [], "z.bib")
    assert "symlink that leads out" in found[0][0]


def test_new_files_get_the_umask_mode_and_rewrites_keep_theirs(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        path = tmp_path / "f.bib"
        write_atomic(path, "a\n")
        assert path.stat().st_mode & 0o777 == 0o640
        path.chmod(0o604)
        backup = replace_with_backup(path, "b\n", tmp_path / "cache")
        assert path.stat().st_mode & 0o777 == 0o604 and path.read_text() == "b\n"
        assert backup == tmp_path / "cache" / "f.bib.bak.1" and backup.read_text() == "a\n"
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    finally:
        os.umask(old)
