"""Issue 18, item 7, through the CLI: an unchanged CV's DOCX is the same bytes on every
``--force`` rebuild, with no SOURCE_DATE_EPOCH (the document's date, not the clock)."""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from cvbuild.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "researcher"


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    folder = tmp_path / "cv"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".cvbuild-cache"))
    return folder / "cv.yaml"


def test_force_rebuilds_of_an_unchanged_cv_give_identical_docx_bytes(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["-q", "build", str(example), "--format", "docx", "--variant", "cv", "--output"]
    assert main([*args, str(out), "--date", "3 March 2025"]) == 0
    target = next((out / "cv").glob("*.docx"))
    first = target.read_bytes()
    time.sleep(1.1)  # a wall-clock stamp would differ now
    assert main([*args, str(out), "--date", "3 March 2025", "--force"]) == 0
    assert target.read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        core = z.read("docProps/core.xml").decode()
        stamps = {i.date_time for i in z.infolist()}
    assert ">2025-03-03T00:00:00Z</dcterms:created>" in core
    assert ">2025-03-03T00:00:00Z</dcterms:modified>" in core
    assert stamps == {(2025, 3, 3, 0, 0, 0)}


def test_export_docx_hashes_do_not_change_between_exports(example: Path) -> None:
    from cvbuild.build.export import make_bundle

    one = make_bundle(example, None, parts=("docx",)).files
    time.sleep(1.1)
    two = make_bundle(example, None, parts=("docx",)).files
    assert one == two and one
