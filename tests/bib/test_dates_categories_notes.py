"""Years, months, categories, legend notes and name annotations: small tables."""

from __future__ import annotations

import pytest

from cvbuild.bib.annotations import apply_name_annotations, parse_name_annotations
from cvbuild.bib.categories import category_from_field, derive_category
from cvbuild.bib.dates import parse_date, parse_month, parse_year
from cvbuild.bib.model import CATEGORIES, CORRESPONDING, EQUAL, Name
from cvbuild.bib.notes import is_legend_note


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", (2024, None)),
        (" 1973 ", (1973, None)),
        ("Preprint", (None, "Preprint")),
        ("in press", (None, "in press")),
        ("submitted", (None, "submitted")),
        ("forthcoming", (None, "forthcoming")),
        ("2021a", (2021, None)),
        ("", (None, None)),
    ],
)
def test_parse_year(text: str, expected: tuple[int | None, str | None]) -> None:
    assert parse_year(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("January", 1),
        ("jan", 1),
        ("May", 5),
        ("Sept.", 9),
        ("October", 10),
        ("6", 6),
        ("10 January", 1),
        ("June-August", 6),
        ("November, December", 11),
        ("13", None),
        ("spring", None),
    ],
)
def test_parse_month(text: str, expected: int | None) -> None:
    assert parse_month(text) == expected


def test_parse_date() -> None:
    assert parse_date("2021-05") == (2021, 5)
    assert parse_date("2021-05-03") == (2021, 5)
    assert parse_date("2021") == (2021, None)
    assert parse_date("soon") == (None, None)


@pytest.mark.parametrize(
    ("entry_type", "fields", "expected"),
    [
        ("article", {"journal": "arXiv preprint arXiv:2101.00001"}, "preprint"),
        ("article", {"journal": "CoRR"}, "preprint"),
        ("article", {"journal": "Preprint"}, "preprint"),
        ("article", {"eprint": "2101.00001"}, "preprint"),
        ("misc", {"howpublished": "bioRxiv"}, "preprint"),
        ("inproceedings", {"booktitle": "ICML Workshop on Robustness"}, "workshop"),
        ("inproceedings", {"booktitle": "NeurIPS"}, "conference"),
        ("conference", {"booktitle": "X"}, "conference"),
        ("article", {"journal": "Nature"}, "journal"),
        ("article", {"journal": "Nature", "eprint": "2101.00001"}, "journal"),
        ("book", {}, "book"),
        ("inbook", {}, "book"),
        ("incollection", {}, "book"),
        ("phdthesis", {}, "thesis"),
        ("mastersthesis", {}, "thesis"),
        ("patent", {}, "patent"),
        ("misc", {}, "other"),
        ("techreport", {"institution": "MIT"}, "other"),
    ],
)
def test_derive_category(entry_type: str, fields: dict[str, str], expected: str) -> None:
    assert derive_category(entry_type, fields) == expected
    assert expected in CATEGORIES


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("journal", "journal"),
        ("Conference", "conference"),
        ("preprints", "preprint"),
        ("book-chapter", "book"),
        ("PhD thesis", "thesis"),
        ("dissertation", "thesis"),
        ("nonsense", None),
    ],
)
def test_category_from_field(value: str, expected: str | None) -> None:
    assert category_from_field(value) == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("* = equal contribution", True),
        ("* Equal contribution", True),
        ("† corresponding author", True),
        ("* equal contribution; † corresponding author", True),
        ("*Equal contribution. †Corresponding author.", True),
        ("(* equal contribution)", True),
        ("* denotes equal contribution", True),
        ("* These authors contributed equally to this work.", True),
        ("This is a full ARTICLE entry", False),
        ("Oral presentation. * equal contribution", False),
        ("* see the appendix", False),
        ("", False),
    ],
)
def test_legend_note(note: str, expected: bool) -> None:
    assert is_legend_note(note) is expected


def test_name_annotations() -> None:
    marks, bad = parse_name_annotations("1=equal; 2=corresponding,equal; 3:family=highlight; junk")
    assert marks == {1: frozenset({EQUAL}), 2: frozenset({CORRESPONDING, EQUAL})}
    assert bad == ["junk"]
    names = [Name(given="A", family="One"), Name(given="B", family="Two", marks=frozenset({EQUAL}))]
    out, missing = apply_name_annotations(names, {**marks, 9: frozenset({EQUAL})})
    assert out[0].marks == {EQUAL}
    assert out[1].marks == {EQUAL, CORRESPONDING}
    assert missing == [9]
    assert names[0].marks == frozenset()  # the input is not changed
