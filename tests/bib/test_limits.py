"""Bounded expansion and nesting in the bib stage, one step at a time."""

from __future__ import annotations

import pytest

from cvbuild.bib.decode import decode_latex, decode_latex_checked
from cvbuild.bib.macros import MAX_VALUE, ValueTooLarge, build_macros, resolve
from cvbuild.bib.parse import RawString
from cvbuild.errors import Location, Problem
from cvbuild.richtext import Strong, Text, clip, depth, plain


def _strings(*pairs: tuple[str, str]) -> list[RawString]:
    return [RawString(n, v, Location("p.bib", i + 1)) for i, (n, v) in enumerate(pairs)]


def test_doubling_macros_stop_at_the_size_limit() -> None:
    pairs = [("s0", "{abcdefghij}")] + [(f"s{i}", f"s{i - 1} # s{i - 1}") for i in range(1, 41)]
    problems: list[Problem] = []
    macros = build_macros(_strings(*pairs), problems)
    assert max(len(v) for v in macros.values()) <= MAX_VALUE
    assert "s40" in macros.too_large and "s16" in macros
    assert [p.location.line for p in problems] == [18]  # s17, the first past the limit
    with pytest.raises(ValueTooLarge) as caught:
        resolve("s40", macros)
    assert caught.value.macro == "s40"


def test_field_limit_counts_before_building() -> None:
    macros = build_macros(_strings(("a", "{" + "x" * 60_000 + "}")), [])
    assert len(resolve("a", macros, limit=100_000)) == 60_000
    with pytest.raises(ValueTooLarge):
        resolve("a # a", macros, limit=100_000)
    with pytest.raises(ValueTooLarge):
        resolve("{" + "y" * 100_001 + "}", macros, limit=100_000)


def test_normal_macros_unchanged() -> None:
    macros = build_macros(_strings(("j", "{Journal}"), ("k", "j # { of } # j")), [])
    assert resolve("k # { and } # jan", macros) == "Journal of Journal and January"


def test_too_deep_values_are_flattened_and_said() -> None:
    assert decode_latex_checked("{" * 400 + "x" + "}" * 400) == ("x", True)
    text, deep = decode_latex_checked("\\textbf{" * 5000 + "a \\& b" + "}" * 5000)
    assert (text, deep) == ("a & b", True)
    assert decode_latex_checked('{\\"U}ber \\emph{{{x}}}') == ("Über x", False)
    assert decode_latex("$\\mathcal{O}(n^2)$") == "O(n²)"


def test_rich_text_of_any_depth_is_clipped_iteratively() -> None:
    tree: tuple[Strong | Text, ...] = (Text("a"),)
    for _ in range(20_000):
        tree = (Strong(tree), Text("b"))
    assert len(plain(tree)) == 20_001 and depth(tree) == 20_000
    clipped = clip(tree)
    assert depth(clipped) == 32 and plain(clipped) == plain(tree)
