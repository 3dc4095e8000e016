"""Student marks (author+an and person.students), per-entry notes, and their config keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvbuild.bib.annotations import STUDENT, parse_name_annotations
from cvbuild.bib.load import load_publications
from cvbuild.build import BuildOptions, build
from cvbuild.config.model import Person
from cvbuild.config.reader import load_config
from cvbuild.errors import InputError
from cvbuild.format.assemble import students_matcher
from cvbuild.format.owner import OwnerMatcher
from cvbuild.format.publication import format_publication
from cvbuild.richtext import Mark, Strong, plain, walk

OWNER = OwnerMatcher("Léa Marchetti")


def test_student_annotation_is_a_mark() -> None:
    marks, bad = parse_name_annotations("2=student; 3=mentee,corresponding; 1=highlight")
    assert bad == []
    assert marks == {2: frozenset({STUDENT}), 3: frozenset({STUDENT, "corresponding"})}


def test_students_are_matched_with_the_owner_rules_and_marked() -> None:
    students = students_matcher(Person("Léa Marchetti", students=("Chinedu Okonkwo", "Rossi, G.")))
    assert students is not None
    from cvbuild.bib.model import Publication
    from cvbuild.bib.names import parse_names

    names, _ = parse_names("Okonkwo, C. and Marchetti, Léa and Giulia Rossi and Gianni Rossi")
    pub = Publication("k", "article", {"title": "T", "journal": "J"}, authors=names, year=2020)
    item = format_publication(pub, OWNER, students=students, student_symbol="‡")
    marks = [n for n in walk(item.text) if isinstance(n, Mark)]
    assert marks == [Mark(STUDENT, "‡"), Mark(STUDENT, "‡"), Mark(STUDENT, "‡")]
    assert plain(item.text).startswith(
        "C. Okonkwo‡, Léa Marchetti, Giulia Rossi‡, and Gianni Rossi‡"
    )
    # "Rossi, G." matches every G. Rossi, as an alias of the owner would: write full names
    assert students_matcher(Person("A B")) is None


def test_the_owner_is_never_marked_as_their_own_student() -> None:
    students = students_matcher(Person("Léa Marchetti", students=("Léa Marchetti",)))
    from cvbuild.bib.model import Publication
    from cvbuild.bib.names import parse_names

    names, _ = parse_names("Marchetti, Léa")
    pub = Publication("k", "article", {"title": "T"}, authors=names, year=2020)
    item = format_publication(pub, OWNER, students=students)
    assert not any(isinstance(n, Mark) for n in walk(item.text))
    assert any(isinstance(n, Strong) for n in walk(item.text))


def test_note_joins_the_award() -> None:
    from cvbuild.bib.model import Publication

    pub = Publication("k", "article", {"title": "T", "award": "Best paper"}, year=2020)
    item = format_publication(pub, OWNER, note="Role: led the analysis")
    assert plain(item.note) == "Best paper; Role: led the analysis"
    assert plain(format_publication(pub, OWNER).note) == "Best paper"


BIB = """@article{a, title = {First}, author = {Marchetti, L{\\'e}a and Okonkwo, Chinedu},
  author+an = {2=student}, journal = {J}, year = 2021, keywords = {ecology; ML}}
@article{b, title = {Second}, author = {Dupont, Jean and Marchetti, L{\\'e}a},
  journal = {K}, year = 2022}
"""


def write_config(tmp_path: Path, publications: str, person: str = "") -> Path:
    (tmp_path / "p.bib").write_text(BIB, encoding="utf-8")
    config = tmp_path / "cv.yaml"
    config.write_text(
        f"person:\n  name: Léa Marchetti\n{person}sections:\n  - title: Papers\n"
        f"    publications:\n      bib: p.bib\n{publications}",
        encoding="utf-8",
    )
    return config


def test_end_to_end_markdown_marks_legend_note_and_numbers(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        "      numbered: ascending\n      prefix: {journal: J}\n      style: vancouver\n"
        '      notes: {b: "Role: wrote the code"}\n      keywords: [ml, genomics]\n',
        '  student_mark: "‡"\n',
    )
    build(config, BuildOptions(formats=["md"], output_dir=tmp_path / "out"))
    (md,) = (tmp_path / "out" / "cv").glob("*.md")
    text = md.read_text(encoding="utf-8")
    assert "\\[J1\\] **Marchetti L**, Okonkwo C<sup>‡</sup>" in text
    assert "[^student]: Student or mentee" in text
    assert "Second" not in text  # keywords: only 'a' says ML


def test_config_errors_are_located(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        "      numbered: backwards\n      numbering: per_year\n      prefix: {jounal: J}\n"
        "      notes: [a]\n",
    )
    with pytest.raises(InputError) as info:
        load_config(config)
    shown = {(p.location.line, p.message, p.hint) for p in info.value.problems}
    assert (
        7,
        "'numbered': 'backwards' is not one of reverse, ascending",
        "use one of: reverse, ascending",
    ) in shown
    assert (8, "'numbering': 'per_year' is not one of continuous, per_group",
            "use one of: continuous, per_group") in shown  # fmt: skip
    assert (9, "unknown key 'jounal'", "did you mean 'journal'?") in shown
    assert any(line == 10 and "notes" in message for line, message, _ in shown)


def test_numbered_true_false_and_words_load(tmp_path: Path) -> None:
    for value, expected in (("true", (True, "reverse")), ("false", (False, "reverse")),
                            ("reverse", (True, "reverse")), ("ascending", (True, "ascending"))):  # fmt: skip
        cv = load_config(write_config(tmp_path, f"      numbered: {value}\n"))
        q = cv.sections[0].publications
        assert q is not None and (q.numbered, q.number_order) == expected


def test_bib_loads(tmp_path: Path) -> None:
    (tmp_path / "p.bib").write_text(BIB, encoding="utf-8")
    pubs, problems = load_publications([tmp_path / "p.bib"])
    assert not [p for p in problems if p.severity == "error"]
    assert STUDENT in pubs[0].authors[1].marks
