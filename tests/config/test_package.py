"""The config package: its entry point, its map of modules, and what importing it costs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import cvbuild.config
from cvbuild.config import reader


def test_load_config_is_the_readers() -> None:
    from cvbuild.config import load_config, load_config_text

    assert load_config is reader.load_config
    assert load_config_text is reader.load_config_text
    with pytest.raises(AttributeError, match="no attribute 'load'"):
        _ = cvbuild.config.load  # type: ignore[attr-defined]


def test_the_docstring_names_every_module_once() -> None:
    folder = Path(cvbuild.config.__file__).parent
    modules = sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")
    doc = cvbuild.config.__doc__ or ""
    for name in modules:
        assert doc.count(f":mod:`~cvbuild.config.{name}` — ") == 1, name


def test_choices_and_model_do_not_load_the_reader() -> None:
    code = (
        "import sys, cvbuild.config.choices, cvbuild.config.model; "
        "print(sorted(m for m in sys.modules if m.startswith('cvbuild') or m == 'yaml'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "cvbuild.config.reader" not in out.stdout and "'yaml'" not in out.stdout
    assert "cvbuild.config.choices" in out.stdout
