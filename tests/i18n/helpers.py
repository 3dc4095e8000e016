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


# A talk whose entry has every link field, and the citation counts of three of the
# example's papers (1, 22 and 1,234 citations: the plural forms and digit grouping).
LINKS_BIB = """@inproceedings{marchetti2023talk,
  author    = {Léa Marchetti and Bo Li},
  title     = {Alpine plants on the move},
  booktitle = {Proceedings of the Alpine Ecology Meeting},
  year      = {2023},
  doi       = {10.5555/alpine.2023},
  pdf       = {https://example.org/paper.pdf},
  code      = {https://example.org/code},
  website   = {https://example.org/site},
  video     = {https://example.org/video},
  poster    = {https://example.org/poster},
  slides    = {https://example.org/slides},
}
"""
METRICS = {
    "version": 1,
    "sources": {"openalex": {"fetched": "2026-05-28", "h_index": 2, "i10_index": 2}},
    "works": {
        "doi:10.5555/alpine.2023": {
            "ids": ["doi:10.5555/alpine.2023"],
            "counts": {"openalex": 1234},
            "fetched": {"openalex": "2026-05-28"},
        },
        "doi:10.1111/ele.14402": {
            "ids": ["doi:10.1111/ele.14402"],
            "counts": {"openalex": 1},
            "fetched": {"openalex": "2026-05-28"},
        },
        "doi:10.1086/717632": {
            "ids": ["doi:10.1086/717632"],
            "counts": {"openalex": 22},
            "fetched": {"openalex": "2026-05-20"},
        },
    },
}


def with_metrics_and_links(config: Path) -> Path:
    """The example config made to show citation metrics (per paper and the summary, from a
    metrics file beside it) and a Talks section whose entry carries every link."""
    import json

    folder = config.parent
    (folder / "links.bib").write_text(LINKS_BIB, encoding="utf-8")
    (folder / "fetched.metrics.json").write_text(json.dumps(METRICS), encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "  - title: Grants and Awards",
        "  - title: Talks\n    publications: {bib: links.bib}\n\n  - title: Grants and Awards",
    )
    text = text.replace(
        "  cv: {}", "  cv: {metrics: {per_paper: true, summary: true, source: openalex}}"
    )
    text += "\nrefresh: {into: fetched.bib, sources: [{openalex: A5000000001}]}\n"
    config.write_text(text, encoding="utf-8")
    return config


def build_example(
    folder: Path,
    locale: str,
    *formats: str,
    variant: str = "cv",
    metrics_and_links: bool = False,
) -> Path:
    """The folder the variant's files were written to."""
    config = example_config(folder, locale)
    if metrics_and_links:
        with_metrics_and_links(config)
    args = ["build", str(config), "--variant", variant, "--force"]
    for fmt in formats:
        args += ["--format", fmt]
    done = run_cvbuild(*args, cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "out" / variant
