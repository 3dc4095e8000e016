"""The GitHub Action's step script, ``scripts/action.sh``, run end to end from environment
variables as action.yml passes them (setup skipped: the current venv's cvbuild is used)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "action.sh"
EXAMPLE = ROOT / "examples" / "researcher"


def _run(
    cwd: Path, github_output: Path | None = None, **inputs: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INPUT_")}
    env.pop("GITHUB_OUTPUT", None)
    if github_output is not None:
        env["GITHUB_OUTPUT"] = str(github_output)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["CVBUILD_ACTION_SKIP_SETUP"] = "1"
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    return subprocess.run(
        ["bash", str(SCRIPT)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(
        EXAMPLE, tmp_path / "repo", ignore=shutil.ignore_patterns(".cvbuild-cache", "output")
    )
    site = tmp_path / "repo" / "site"
    (site / "_data").mkdir(parents=True)
    (site / "_config.yml").write_text("title: a site\n")
    return tmp_path / "repo"


def test_action_builds_and_writes_the_al_folio_files(repo: Path) -> None:
    github_output = repo.parent / "github_output"
    github_output.write_text("")
    done = _run(
        repo, github_output, config="cv.yaml", formats="md,html", alfolio_site="site",
        refresh="false",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = repo / "output"
    names = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert any(n.endswith(".md") for n in names), names
    assert any(n.endswith(".html") for n in names), names
    assert not any(n.endswith(".pdf") for n in names)  # only the formats asked for
    resume = json.loads((repo / "site/assets/json/resume.json").read_text())
    assert resume["basics"]["name"] == "Léa Marchetti"
    sections = yaml.safe_load((repo / "site/_data/cv.yml").read_text())
    assert "Publications" in [s["title"] for s in sections]
    assert (repo / "site/_config.yml").read_text() == "title: a site\n"
    assert "cvbuild action: build cv.yaml --output ./output --format md --format html" in (
        done.stdout
    )
    assert github_output.read_text() == "output-dir=./output\n"  # the artifact step's path


def test_action_commits_the_outputs(repo: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=repo, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "start")
    done = _run(repo, formats="md", alfolio_site="site", commit="true", variants="cv")
    assert done.returncode == 0, done.stderr
    assert "committed the outputs" in done.stdout
    files = git("show", "--name-only", "--format=%s", "HEAD").split()
    assert "site/assets/json/resume.json" in files and "site/_data/cv.yml" in files
    assert any(f.startswith("output/") and f.endswith(".md") for f in files)
    assert git("status", "--porcelain") == "?? .cvbuild-cache/\n"  # only the build cache left
    again = _run(repo, formats="md", alfolio_site="site", commit="true", variants="cv")
    assert again.returncode == 0, again.stderr
    assert "nothing changed, nothing to commit" in again.stdout


def test_action_names_a_missing_config(tmp_path: Path) -> None:
    done = _run(tmp_path, config="nope.yaml")
    assert done.returncode == 1
    assert "the config 'nope.yaml' does not exist" in done.stderr
