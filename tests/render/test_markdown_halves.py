"""A long publication list rendered on two cores is the Markdown one process writes: the
same lines, and each section's footnote on the same first mark of its kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvbuild import forking
from cvbuild.build.job import prepare
from cvbuild.build.meter import Meter
from cvbuild.build.run import load, load_bibliographies
from cvbuild.document import Document
from cvbuild.render import markdown
from cvbuild.render.markdown import render_markdown


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Forking on from 2 references; the list counts the children that answered."""
    answered: list[int] = []
    real_start = forking.start

    def counting(work):  # type: ignore[no-untyped-def]
        child = real_start(work)
        if child is None:
            return None
        real_result = child.result

        def result():  # type: ignore[no-untyped-def]
            value = real_result()
            if value is not None:
                answered.append(1)
            return value

        child.result = result  # type: ignore[method-assign]
        return child

    monkeypatch.setattr(forking, "spare_cpu", lambda: True)
    monkeypatch.setattr(forking, "start", counting)
    monkeypatch.setattr(markdown, "PARALLEL_ITEMS", 2)
    return answered


def _document(config: Path) -> Document:
    cv = load(config)
    return prepare(cv, cv.variants[0], load_bibliographies(cv)[0], "", Meter()).doc


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
