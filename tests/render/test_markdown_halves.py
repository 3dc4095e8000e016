"""A long publication list rendered on two cores is the Markdown one process writes: the
same lines, and each section's footnote on the same first mark of its kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from document_helpers import document_of

from cvbuild.document import Document
from cvbuild.render import markdown
from cvbuild.render.markdown import render_markdown


@pytest.fixture
def children(fork_answers: list[int], monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Forking on from 2 references; the list counts the children that answered."""
    monkeypatch.setattr(markdown, "PARALLEL_ITEMS", 2)
    return fork_answers


_document = document_of


def _one_process(doc: Document, flavor: str, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as m:
        m.setattr(markdown, "PARALLEL_ITEMS", 10**9)
        return render_markdown(doc, flavor=flavor)


def _marked_cv(tmp_path: Path) -> Path:
    """Equal-contribution marks throughout, a corresponding author only on the oldest
    papers: listed newest first, that kind first appears in the second half."""
    entries = []
    for i in range(24):
        star = "*" if i % 4 == 0 else ""
        dag = "\\textsuperscript{\\dag}" if i < 3 else ""
        entries.append(
            f"@article{{k{i}, author = {{Doe, Jane{star} and Roe, Rick{star} and Poe, Pat{dag}}},"
            f" title = {{Paper {i}}}, journal = {{J}}, year = {2001 + i}}}\n"
        )
    (tmp_path / "papers.bib").write_text("".join(entries), encoding="utf-8")
    config = tmp_path / "cv.yaml"
    config.write_text(
        "person: {name: Jane Doe}\n"
        "sections:\n"
        "  - title: Papers\n"
        "    publications: {bib: papers.bib, group_by: none}\n"
        "  - title: More papers\n"
        "    publications: {bib: papers.bib, group_by: year}\n",
        encoding="utf-8",
    )
    return config


@pytest.mark.parametrize("flavor", ["gfm", "pandoc"])
def test_marks_and_footnotes_render_the_same_on_two_cores(
    tmp_path: Path, children: list[int], monkeypatch: pytest.MonkeyPatch, flavor: str
) -> None:
    doc = _document(_marked_cv(tmp_path))
    expected = _one_process(doc, flavor, monkeypatch)
    assert render_markdown(doc, flavor=flavor) == expected
    assert len(children) == 2  # one per section
    if flavor == "gfm":
        # each kind footnoted once per section, at its first mark, and defined once
        assert expected.count("[^equal]") == 3 and expected.count("[^corresponding]") == 3
        assert expected.count("[^equal]:") == 1
    else:
        assert expected.count("^[") == 4  # pandoc's inline notes: two kinds, two sections


def test_every_realworld_cv_renders_the_same_on_two_cores(
    shared_dir: Path, children: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    configs = sorted((shared_dir / "fixtures" / "realworld").glob("*/cv.yaml"))
    assert len(configs) >= 20
    for config in configs:
        doc = _document(config)
        for flavor in ("gfm", "pandoc"):
            expected = _one_process(doc, flavor, monkeypatch)
            assert render_markdown(doc, flavor=flavor) == expected, (config.parent.name, flavor)
    assert len(children) >= len(configs)
