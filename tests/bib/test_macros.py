"""@string macros, # joins and month macros (cvbuild.bib.macros)."""

from __future__ import annotations

from cvbuild.bib.macros import build_macros, resolve, split_parts
from cvbuild.bib.parse import RawString
from cvbuild.errors import Location, Problem


def _strings(*pairs: tuple[str, str]) -> list[RawString]:
    return [
        RawString(name.lower(), value, Location("f.bib", i + 1))
        for i, (name, value) in enumerate(pairs)
    ]


def test_split_parts_at_top_level_hash_only() -> None:
    assert split_parts('{a # b} # foo # "c # d" # 2014') == [
        ("text", "a # b"),
        ("macro", "foo"),
        ("text", "c # d"),
        ("text", "2014"),
    ]


def test_quoted_value_with_braced_quote() -> None:
    assert resolve('"say {"}hi{"}"', {}) == 'say {"}hi{"}'


def test_macros_case_insensitive_and_chained() -> None:
    problems: list[Problem] = []
    macros = build_macros(
        _strings(
            ("CoOl", '"Cool"'),
            ("stuff", '"Stuff"'),
            ("myTitle", 'cool # " " # stuff'),
            ("foo", '"1--10"'),
            ("BaR", "FOO"),
            ("pages", "baR"),
        ),
        problems,
    )
    assert problems == []
    assert resolve("mytitle", macros) == "Cool Stuff"
    assert resolve("MYTITLE", macros) == "Cool Stuff"
    assert resolve("pages", macros) == "1--10"


def test_macro_used_before_its_definition() -> None:
    macros = build_macros(_strings(("full", 'short # "!"'), ("short", "{Hi}")), [])
    assert macros["full"] == "Hi!"


def test_month_macros_predefined_and_joins() -> None:
    assert resolve("jan", {}) == "January"
    assert resolve('jun # "-" # aug', {}) == "June-August"
    assert resolve('"10~" # jan', {}) == "10~January"


def test_undefined_macro_reported_and_kept() -> None:
    seen: list[str] = []
    assert resolve("{A} # nowhere", {}, seen.append) == "Anowhere"
    assert seen == ["nowhere"]


def test_self_reference_is_a_problem_not_a_hang() -> None:
    problems: list[Problem] = []
    macros = build_macros(_strings(("a", "b"), ("b", "a")), problems)
    assert problems, "a cycle must be reported"
    assert str(problems[0].location).startswith("f.bib:")
    assert set(macros) == {"a", "b"}
