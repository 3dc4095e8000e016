"""A plain ``pip install .`` (not editable) must carry the templates and styles."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_templates_and_styles(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    wheel = next(tmp_path.glob("cvbuild-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("templates", "styles"):
        shipped = {n.split(f"cvbuild/_data/{folder}/", 1)[1] for n in names
                   if n.startswith(f"cvbuild/_data/{folder}/")}  # fmt: skip
        on_disk = {str(p.relative_to(REPO / folder)) for p in (REPO / folder).rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}  # fmt: skip
        assert on_disk and on_disk <= shipped, on_disk - shipped
    assert "cvbuild/cli.py" in names
    for preset in ("erc", "dfg", "sciencv", "r4ri"):  # funder presets are data files
        assert f"cvbuild/config/presets/{preset}.yaml" in names


def test_resources_prefer_installed_data(tmp_path: Path, monkeypatch) -> None:
    from cvbuild import resources

    fake = tmp_path / "cvbuild"
    (fake / "_data" / "templates").mkdir(parents=True)
    monkeypatch.setattr(resources, "_PACKAGE", fake)
    resources.data_dir.cache_clear()
    try:
        assert resources.templates_dir() == fake / "_data" / "templates"
        user = tmp_path / "mine"
        assert resources.template_search_path("latex", user)[:2] == [user / "latex", user]
    finally:
        resources.data_dir.cache_clear()
