"""Build the example CV (examples/researcher) in another language, in a temporary folder.

The example is read in place: its cv.yaml text gets ``locale:`` under ``output:`` and the
.bib path made absolute, and is written to the test's own folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "researcher"
DATE = "2026-01-15"


def example_config(folder: Path, locale: str, *, extra_output: str = "") -> Path:
    text = (EXAMPLE / "cv.yaml").read_text(encoding="utf-8")
    text = text.replace("bib: publications.bib", f"bib: {EXAMPLE / 'publications.bib'}")
    text = text.replace("dir: ../../output", f"dir: out\n  locale: {locale}{extra_output}")
    path = folder / "cv.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run_cvbuild(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1768435200")  # 2026-01-15
    return subprocess.run(
        [sys.executable, "-m", "cvbuild", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )


def build_example(folder: Path, locale: str, *formats: str, variant: str = "cv") -> Path:
    """The folder the variant's files were written to."""
    config = example_config(folder, locale)
    args = ["build", str(config), "--variant", variant, "--force"]
    for fmt in formats:
        args += ["--format", fmt]
    done = run_cvbuild(*args, cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "out" / variant
