"""Positioned YAML: locations, YAML 1.1 values kept with their raw text, safety."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cvbuild.config.yamlpos import (
    YMap,
    YScalar,
    YSeq,
    load_yaml_file,
    parse_yaml,
    read_text,
    to_plain,
)
from cvbuild.errors import InputError


def parse(text: str) -> tuple[object, list]:
    return parse_yaml(text, "cv.yaml")


def test_keys_and_values_keep_line_and_column() -> None:
    tree, problems = parse("person:\n  name: Jane\nsections:\n  - title: A\n")
    assert problems == []
    assert isinstance(tree, YMap)
    person = tree.get("person")
    assert isinstance(person, YMap)
    key = person.key_node("name")
    value = person.get("name")
    assert (key.loc.line, key.loc.col) == (2, 3)
    assert (value.loc.line, value.loc.col) == (2, 9)
    assert str(value.loc) == "cv.yaml:2:9"
    sections = tree.get("sections")
    assert isinstance(sections, YSeq)
    assert (sections.items[0].loc.line, sections.items[0].loc.col) == (4, 5)


def test_yaml11_values_keep_their_raw_text() -> None:
    tree, _ = parse("a: no\nb: 2015-09-01\nc: 2015-09\nd: 1.10\ne: on\nf: 2015\n")
    assert isinstance(tree, YMap)
    a, b, c, d, e, f = (tree.get(k) for k in "abcdef")
    assert isinstance(a, YScalar) and a.value is False and a.raw == "no"
    assert b.value == dt.date(2015, 9, 1) and b.raw == "2015-09-01" and b.tag == "timestamp"
    assert c.value == "2015-09" and c.tag == "str"
    assert d.value == 1.1 and d.raw == "1.10"
    assert e.value is True and e.raw == "on"
    assert f.value == 2015 and f.tag == "int"


def test_impossible_timestamp_stays_text() -> None:
    tree, problems = parse("d: 2015-13-45\n")
    assert problems == []
    d = tree.get("d")
    assert d.tag == "str" and d.value == "2015-13-45"


def test_syntax_error_is_one_located_problem() -> None:
    with pytest.raises(InputError) as info:
        parse("person:\n  name: [Jane\nsections: x\n")
    (problem,) = info.value.problems
    assert problem.location.file == "cv.yaml"
    assert problem.location.line == 3
    assert "YAML syntax error" in problem.message
    assert problem.hint


def test_tab_indentation_hint() -> None:
    with pytest.raises(InputError) as info:
        parse("a: 1\n\tb: 2\n")
    (problem,) = info.value.problems
    assert problem.location.line == 2
    assert "tabs" in problem.hint


def test_two_documents_is_a_problem() -> None:
    with pytest.raises(InputError) as info:
        parse("a: 1\n---\nb: 2\n")
    assert "---" in info.value.problems[0].hint


def test_duplicate_key_is_a_located_problem() -> None:
    _, problems = parse("a: 1\nb: 2\na: 3\n")
    (problem,) = problems
    assert (problem.location.line, problem.location.col) == (3, 1)
    assert "duplicate key 'a'" in problem.message
    assert "line 1" in problem.message


def test_python_tags_are_refused_not_constructed() -> None:
    tree, problems = parse("a: !!python/object/apply:os.system ['echo hi']\nb: !custom x\n")
    messages = [p.message for p in problems]
    assert any("!!python/object/apply:os.system" in m for m in messages)
    assert any("!custom" in m for m in messages)
    assert all(p.location.line in (1, 2) for p in problems)


def test_merge_keys_do_not_override_explicit_keys() -> None:
    tree, problems = parse("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n")
    assert problems == []
    assert to_plain(tree)["thing"] == {"y": 3, "x": 1}


def test_recursive_alias_is_a_problem_not_a_hang() -> None:
    _, problems = parse("a: &x [1, *x]\n")
    assert any("refers to itself" in p.message for p in problems)


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    with pytest.raises(InputError) as info:
        parse("\n".join(lines) + "\n")
    assert "too many values" in info.value.problems[0].message


def test_empty_document() -> None:
    assert parse("") == (None, [])
    assert parse("# only a comment\n") == (None, [])


def test_non_scalar_key_is_a_problem() -> None:
    _, problems = parse("? [a, b]\n: 1\n")
    assert "plain name" in problems[0].message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_text(tmp_path / "nope.yaml")
    assert info.value.problems[0].message == "file not found"
    with pytest.raises(InputError) as info:
        read_text(tmp_path)
    assert "folder" in info.value.problems[0].message


def test_bad_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "cv.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(InputError) as info:
        load_yaml_file(path, "cv.yaml")
    (problem,) = info.value.problems
    assert (problem.location.line, problem.location.col) == (2, 7)
    assert "UTF-8" in problem.message


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "cv.yaml"
    path.write_bytes("\ufeffa: é\n".encode())
    tree, _ = load_yaml_file(path)
    assert to_plain(tree) == {"a": "é"}


def test_control_character_is_located() -> None:
    with pytest.raises(InputError) as info:
        parse("a: 1\nb: x\x01\n")
    assert info.value.problems[0].location.line == 2
