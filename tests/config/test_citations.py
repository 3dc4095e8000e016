"""Where each [@key] of a text section stands in cv.yaml (cvbuild.config.citations)."""

from __future__ import annotations

from pathlib import Path

from cvbuild.config.reader import load_config_text

CONFIG = """\
person: {name: Ada Lovelace}
sections:
  - title: Publications
    publications: {bib: refs.bib}
  - title: Statement
    text: |
      First line.
      We showed it [@one] and again
      [@two; @one], and [@one].
  - title: Folded
    text: >-
      A folded text
      that cites [@three].
  - title: Quoted
    text: "cites [@four]"
  - title: Languages
    text: {en: "in English [@five]", de: "auf Deutsch [@six]"}
"""


def _cites(tmp_path: Path) -> dict[str, list[tuple[tuple[str, ...], int, int]]]:
    (tmp_path / "refs.bib").write_text("", encoding="utf-8")
    cv = load_config_text(CONFIG, tmp_path / "cv.yaml", "cv.yaml")
    return {
        s.title: [(c.keys, c.where.line, c.where.col) for c in s.cites]
        for s in cv.sections
        if s.kind == "text"
    }


def test_each_citation_at_its_line_and_column(tmp_path: Path) -> None:
    cites = _cites(tmp_path)
    assert cites["Statement"] == [
        (("one",), 8, 20),
        (("two", "one"), 9, 7),
        (("one",), 9, 25),
    ]
    assert cites["Folded"] == [(("three",), 13, 18)]
    assert cites["Quoted"] == [(("four",), 15, 18)]
    assert [k for k, _, _ in cites["Languages"]] == [("five",), ("six",)]
    assert all(line == 17 for _, line, _ in cites["Languages"])


def test_other_sections_carry_no_citations(tmp_path: Path) -> None:
    cv = load_config_text(
        "person: {name: A B}\nsections:\n  - title: Skills\n    items: ['[@x] C++']\n",
        tmp_path / "cv.yaml",
    )
    assert cv.sections[0].cites == ()
