"""What a cvbuild process loads before it works, and that the per-user caches which spare it
work (phrase catalogs, compiled templates, pandoc's version) change no output byte.

Each build runs in its own ``python -m cvbuild`` process, as a user's does, so nothing is
remembered in memory between them: a second build reads what the first left in the cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.i18n.helpers import example_config

REPO = Path(__file__).resolve().parents[1]
DATE = "1768435200"  # 2026-01-15

# After the first build, an English Markdown build needs none of these.
NOT_ON_THE_MARKDOWN_PATH = [
    "babel",  # English dates are cvbuild's own; catalogs come from the cache
    "babel.messages",
    "email",  # pulled in by babel.messages
    "cvbuild.config.presets",  # no variant names a preset
    "cvbuild.refresh",
    "cvbuild.compile.latex",
    "cvbuild.compile.warm",  # no PDF asked for: no engine, not even its module
    "cvbuild.compile.pandoc",
    "cvbuild.render.latex",
    "zipfile",
    "urllib.request",
    "http",
    "ssl",
    "xml",
]
NOT_FOR_THE_VERSION = ["dataclasses", "cvbuild.errors", "yaml", "jinja2", "cvbuild.build"]

_CHILD = """
import json, sys
modules_file = sys.argv.pop(1)
from cvbuild.cli import main
try:
    code = main()
finally:
    with open(modules_file, "w", encoding="utf-8") as f:
        json.dump(sorted(sys.modules), f)
raise SystemExit(code)
"""


def run(cache: Path, *args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """``cvbuild ARGS`` in a child with ``cache`` as its XDG_CACHE_HOME; its result and the
    modules it had loaded at the end."""
    modules = cwd / f".modules-{os.getpid()}.json"
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), SOURCE_DATE_EPOCH=DATE, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(modules), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    loaded = set(json.loads(modules.read_text(encoding="utf-8")))
    modules.unlink()
    return done, loaded


def _outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def _build(cache: Path, folder: Path, *formats: str) -> tuple[dict[str, bytes], set[str]]:
    out = folder / "out"
    done, loaded = run(
        cache, "-q", "build", "--force", *[f"--format={f}" for f in formats], cwd=folder
    )
    assert done.returncode == 0, done.stderr
    files = _outputs(out)
    assert files
    return files, loaded


def _example(folder: Path, locale: str) -> None:
    """The example CV without its ``max_pages`` (fitting to pages measures with TeX)."""
    config = example_config(folder, locale)
    text = config.read_text(encoding="utf-8")
    assert "    max_pages: 2\n" in text
    config.write_text(text.replace("    max_pages: 2\n", ""), encoding="utf-8")


def test_a_warm_markdown_build_loads_only_what_it_needs(tmp_path: Path) -> None:
    _example(tmp_path, "en")
    cache = tmp_path / "cache"
    _build(cache, tmp_path, "md")  # fills the cache
    _, loaded = _build(cache, tmp_path, "md")
    unwanted = [m for m in NOT_ON_THE_MARKDOWN_PATH if m in loaded]
    assert unwanted == [], f"a Markdown build imported {unwanted}"
    assert "cvbuild.render.markdown" in loaded  # the check sees the build's modules


def test_version_and_help_load_no_dataclass(tmp_path: Path) -> None:
    for args in (["--version"], ["--help"]):
        done, loaded = run(tmp_path / "cache", *args, cwd=tmp_path)
        assert done.returncode == 0 and done.stdout.startswith(("cvbuild ", "usage: cvbuild"))
        unwanted = [m for m in NOT_FOR_THE_VERSION if m in loaded]
        assert unwanted == [], f"cvbuild {args[0]} imported {unwanted}"
    assert not (tmp_path / "cache").exists()  # and wrote no cache


@pytest.mark.parametrize("locale", ["en", "de"])
def test_the_caches_change_no_output_byte(tmp_path: Path, locale: str) -> None:
    """Markdown and DOCX from a cold cache, a warm one, and none at all (a file where the
    cache folder would go) are the same bytes."""
    pytest.importorskip("pypandoc")
    _example(tmp_path, locale)
    cache = tmp_path / "cache"
    cold, _ = _build(cache, tmp_path, "md", "docx")
    kept = sorted(p.relative_to(cache).parts[1] for p in cache.rglob("*") if p.is_file())
    assert {"catalogs", "templates", "pandoc-versions.json"} <= set(kept)
    warm, loaded = _build(cache, tmp_path, "md", "docx")
    assert "babel.messages" not in loaded  # the warm build did read the cache
    blocked = tmp_path / "blocked"
    blocked.write_text("", encoding="utf-8")
    none, _ = _build(blocked, tmp_path, "md", "docx")
    assert sorted(cold) == sorted(warm) == sorted(none)
    assert any(name.endswith(".docx") for name in cold)
    for name in cold:
        assert cold[name] == warm[name] == none[name], name
