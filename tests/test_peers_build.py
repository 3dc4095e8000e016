"""Every real bibliography in ../shared/fixtures/peers builds to Markdown through the whole
pipeline: no crash, no lost entry, problems located, the owner in bold where they are an author."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cvbuild.build import BuildOptions, build
from tests.conftest import PEER_BIBS, PEER_ENTRY_COUNTS

EXPECTED = PEER_ENTRY_COUNTS
# The owner of each researcher's own file, and how many entries do NOT list them as an author.
OWNERS = {
    "researcher-asano-ml.bib": ("Yuki M. Asano", 0),
    "researcher-bhatnagar-biostatistics.bib": ("Sahir Rai Bhatnagar", 0),
    "researcher-ding-nlp.bib": ("Ning Ding", 1),  # @misc{deepseek-r1}: corporate author
    "researcher-oman-astrophysics.bib": ("Kyle A. Oman", 0),
    "researcher-stretcu-ml.bib": ("Otilia Stretcu", 0),
}
PEER_FILES = PEER_BIBS


def write_config(folder: Path, bib: Path, owner: str) -> Path:
    config = folder / "cv.yaml"
    config.write_text(
        f"person:\n  name: {owner}\n"
        "sections:\n  - title: Publications\n    publications:\n"
        f"      bib: {bib}\n      group_by: none\n"
        "output:\n  dir: out\n  formats: [md]\n",
        encoding="utf-8",
    )
    return config


def publication_lines(markdown: str) -> list[str]:
    body = markdown.split("## Publications", 1)[1]
    body = re.split(r"\n## |\n<sub>", body)[0]
    return [line for line in body.splitlines() if line.startswith("- ")]


def test_every_peer_file_is_listed() -> None:
    if not PEER_FILES:
        pytest.skip("../shared fixtures not present beside the clone")
    assert sorted(p.name for p in PEER_FILES) == sorted(EXPECTED)


@pytest.mark.parametrize("bib", PEER_FILES, ids=lambda p: p.name)
def test_peer_bib_builds_to_markdown_with_no_lost_entry(bib: Path, tmp_path: Path) -> None:
    owner, not_authored = OWNERS.get(bib.name, ("Nobody In Particular", None))
    report = build(write_config(tmp_path, bib, owner), BuildOptions(formats=["md"]))
    for problem in report.warnings:
        # BibTeX problems point into the .bib; a section left empty points at its cv.yaml line.
        where = rf"({re.escape(str(bib))}|{re.escape(str(tmp_path / 'cv.yaml'))}):\d+"
        assert re.match(where, str(problem.location)), problem
    if EXPECTED[bib.name] == 0:
        assert any("has no entries" in p.message for p in report.warnings)
    md = next((tmp_path / "out" / "cv").glob("*.md")).read_text(encoding="utf-8")
    lines = publication_lines(md) if EXPECTED[bib.name] else []
    assert len(lines) == EXPECTED[bib.name]
    if not_authored is not None:
        unbolded = [line for line in lines if "**" not in line]
        assert len(unbolded) == not_authored, unbolded[:3]
