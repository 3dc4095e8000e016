"""The faster leaf escaping of the Markdown backend and the faster test of
``visible_text`` change no byte: each is checked against the plain rule it replaces."""

from __future__ import annotations

import random
import re
import sys

import pytest

from cvbuild.render.invisible import _may_change, visible_text
from cvbuild.render.markdown import _ALWAYS, _PANDOC, escape

# The rule as first written: one pattern for "anything visible_text might change".
_CANDIDATE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f]|[^\x00-\u2fff]"
)


def _reference(value: str, flavor: str, in_sup: bool) -> str:
    """The escape as one ``str.translate`` over one table (its first form)."""
    special = _PANDOC if flavor == "pandoc" else _ALWAYS
    space = "\\ " if flavor == "pandoc" and in_sup else " "
    table: dict[int, str | None] = dict.fromkeys(range(0xE000, 0xF900))
    table.update(dict.fromkeys((*range(0x20), 0x7F, 0x2028, 0x2029), space))
    if space != " ":
        table[ord(" ")] = space
    table.update({ord(ch): "\\" + ch for ch in special})
    text = visible_text(value).replace("\u00ad", "").translate(table)
    if flavor == "gfm" and ":" in text:
        text = re.sub(r":(?=[A-Za-z0-9_+-])", r"\\:", text)
    return text


def test_the_candidate_test_agrees_with_the_pattern_on_every_character() -> None:
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        assert _may_change(ch) == bool(_CANDIDATE.search(ch)), hex(code)
        assert _may_change(f"ab{ch}") == bool(_CANDIDATE.search(f"ab{ch}")), hex(code)


_ALPHABET = (
    "aZ09 ,.;:-_()[]{}<>\\`*~^$@#&|!?'\"%+=/\u00e9\u00fc\u00ad\u200b\u200d\t\n\x01\x7f"
    "\u2028\ue000\uf8ff\u3000\u4e2d\U0001f600"
)


@pytest.mark.parametrize("flavor", ["gfm", "pandoc"])
@pytest.mark.parametrize("in_sup", [False, True])
def test_escape_matches_the_one_table_rule(flavor: str, in_sup: bool) -> None:
    rng = random.Random(17)
    samples = ["", " ", "\\", "\\\\*", "a:smile: b", "1. x", "\x00 \u2028 \ue000", "a\\ b"]
    samples += [
        "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 40))) for _ in range(3000)
    ]
    for value in samples:
        assert escape(value, flavor, in_sup=in_sup) == _reference(value, flavor, in_sup), value


def test_escape_shows_a_backslash_before_each_special_once() -> None:
    assert escape("a*b\\c", "gfm") == "a\\*b\\\\c"
    assert escape("x y\u2028z", "pandoc", in_sup=True) == "x\\ y\\ z"
    assert escape("(1.5)", "pandoc") == "\\(1\\.5\\)"
