"""setup.sh installs what every shipped locale needs; `cvbuild doctor` names what is missing;
the wheel ships the catalogs."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cvbuild.config.choices import LOCALES
from cvbuild.i18n.locales import INFO
from cvbuild.i18n.texlang import tex_language

from .helpers import REPO, example_config


def _setup_packages() -> set[str]:
    text = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    block = re.search(r"LANGUAGE_PACKAGES=\(([^)]*)\)", text)
    assert block, "setup.sh has no LANGUAGE_PACKAGES"
    return set(block.group(1).split())


def test_setup_installs_every_package_the_locales_need() -> None:
    packages = _setup_packages()
    for tag in LOCALES:
        for engine in ("xelatex", "pdflatex"):
            if INFO[tag].script == "cjk" and engine == "pdflatex":
                continue
            need = tex_language(tag, engine).package
            assert need == "texlive-base" or need in packages, (tag, engine, need)
    assert "fonts-noto-cjk" in packages


def _fake_kpsewhich(tmp_path: Path) -> dict[str, str]:
    fake = tmp_path / "bin"
    fake.mkdir()
    tool = fake / "kpsewhich"
    tool.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}")


def _doctor(config: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cvbuild", "doctor", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_doctor_names_the_missing_language_package(tmp_path: Path) -> None:
    config = example_config(tmp_path, "de")
    done = _doctor(config, _fake_kpsewhich(tmp_path))
    assert done.returncode == 3, done.stderr
    assert "cv: missing hyph-de-1996.tex for de: sudo apt-get install texlive-lang-german" in (
        done.stdout
    )
    assert "all at once: sudo apt-get install texlive-lang-german" in done.stdout


@pytest.mark.skipif(not Path("/usr/bin/xelatex").exists(), reason="no TeX here")
def test_doctor_is_content_on_a_complete_machine(tmp_path: Path) -> None:
    config = example_config(tmp_path, "ja")
    done = _doctor(config, dict(os.environ))
    if "missing" in done.stdout:
        pytest.skip(f"this machine lacks: {done.stdout}")
    assert done.returncode == 0
    assert "has everything" in done.stdout


@pytest.mark.slow
def test_wheel_ships_every_catalog(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(REPO)],
        check=True,
        timeout=300,
    )  # fmt: skip
    wheel = next(tmp_path.glob("cvbuild-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for tag in LOCALES:
        assert f"cvbuild/locales/{tag.replace('-', '_')}/LC_MESSAGES/cvbuild.po" in names, tag
