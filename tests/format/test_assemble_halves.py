"""A long publication list formatted on two cores reads exactly as one process formats it:
the same items in the same groups, the same marks in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest
from document_helpers import document_of

from cvbuild import forking
from cvbuild.document import Document
from cvbuild.format import assemble
from cvbuild.richtext import plain


@pytest.fixture
def children(fork_answers: list[int], monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Forking on from 2 references; the list counts the children that answered."""
    monkeypatch.setattr(assemble, "PARALLEL_ITEMS", 2)
    return fork_answers


_document = document_of


def _one_process(config: Path, monkeypatch: pytest.MonkeyPatch) -> Document:
    with monkeypatch.context() as m:
        m.setattr(assemble, "PARALLEL_ITEMS", 10**9)
        return _document(config)


def _marked_cv(tmp_path: Path) -> Path:
    entries = []
    for i in range(30):
        authors = f"Doe, Jane{'*' if i % 3 == 0 else ''} and Roe, Rick{'*' if i % 3 == 0 else ''}"
        if i % 5 == 0:
            authors += " and Poe, Pat\\textsuperscript{\\dag}"
        entries.append(
            f"@article{{k{i}, author = {{{authors}}}, title = {{Paper {i}}},"
            f" journal = {{J{i % 4}}}, year = {2000 + i % 7}}}\n"
        )
    (tmp_path / "papers.bib").write_text("".join(entries), encoding="utf-8")
    config = tmp_path / "cv.yaml"
    config.write_text(
        "person: {name: Jane Doe}\n"
        "sections:\n"
        "  - title: Journal papers\n"
        "    publications: {bib: papers.bib, group_by: year, numbering: continuous}\n",
        encoding="utf-8",
    )
    return config


def test_a_marked_list_formats_the_same_on_two_cores(
    tmp_path: Path, children: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _marked_cv(tmp_path)
    expected = _one_process(config, monkeypatch)
    assert _document(config) == expected
    assert children, "no child formatted a half"
    section = expected.sections[0]
    assert len(section.groups) == 7 and section.marks  # groups and footnote marks kept
    assert sum(len(g.items) for g in section.groups) == 30
    newest = section.groups[0]
    assert newest.label == "2006"
    assert sorted(plain(i.text).split(". ")[1] for i in newest.items) == [
        "Paper 13",
        "Paper 20",
        "Paper 27",
        "Paper 6",
    ]


def test_every_realworld_cv_formats_the_same_on_two_cores(
    shared_dir: Path, children: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    configs = sorted((shared_dir / "fixtures" / "realworld").glob("*/cv.yaml"))
    assert len(configs) >= 20
    for config in configs:
        assert _document(config) == _one_process(config, monkeypatch), config.parent.name
    assert len(children) >= len(configs)


def test_a_short_list_or_a_busy_machine_formats_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    monkeypatch.setattr(forking, "start", lambda work: started.append(1))
    config = _marked_cv(tmp_path)
    _document(config)  # 30 references, under PARALLEL_ITEMS
    monkeypatch.setattr(assemble, "PARALLEL_ITEMS", 2)
    monkeypatch.setattr(forking, "spare_cpu", lambda: False)
    _document(config)
    assert started == [1]  # asked once (the second), and it declined: see forking.start
