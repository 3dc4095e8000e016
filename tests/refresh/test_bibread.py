"""Fetched BibTeX is read from memory and its problems name the source and the record."""

from __future__ import annotations

import tempfile

import pytest

from cvbuild.refresh.bibread import parse_bibtex

BODY = """@string{j = {J. Tests}}
@article{One2020,
  title = {One}, journal = j, year = 2020,
}

@article{Two2021,
  title = {Two}, journal = undefinedmacro, year = 2021,
}
"""


def test_problems_name_the_source_and_the_record(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_temp(*args: object, **kwargs: object) -> None:
        raise AssertionError("a temporary file was made")

    monkeypatch.setattr(tempfile, "mkstemp", no_temp)
    monkeypatch.setattr(tempfile, "TemporaryDirectory", no_temp)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", no_temp)
    pubs, problems = parse_bibtex(BODY, "dblp 95/7448-1")
    assert [p.key for p in pubs] == ["One2020", "Two2021"]
    assert pubs[0].get("journal") == "J. Tests"
    (problem,) = problems
    assert str(problem).startswith("dblp 95/7448-1: record 2 (key Two2021): warning: ")
    assert "'undefinedmacro' is not a defined @string macro" in problem.message
    assert str(pubs[1].location) == "dblp 95/7448-1: record 2 (key Two2021)"


def test_a_broken_record_is_named_too() -> None:
    _, problems = parse_bibtex(
        "@article{A1, title = {x}}\n@article{B2, title = {unclosed\n", "inspire q"
    )
    assert problems and all(str(p).startswith("inspire q") for p in problems)
    assert any("record 2 (key B2)" in str(p) for p in problems)
