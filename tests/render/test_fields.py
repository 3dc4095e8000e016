"""The counted text fields (``render_fields``): counts equal an independent count (len of
the NFC text; words by whitespace split), the over-limit case is flagged, and the text
is the paste text (no markup, no invisible characters)."""

from __future__ import annotations

import unicodedata

from cvbuild.document import Document, Header, Meta, SectionBlock
from cvbuild.render.plaintext import FieldLimit, count_line, render_fields
from cvbuild.richtext import Emph, RichText, Text

DECOMPOSED = "Le\u0301a  Marchetti\u200b e\u0301tudie\n les Alpes"  # é as e + U+0301


def _doc(*sections: tuple[str, tuple[RichText, ...]]) -> Document:
    blocks = tuple(SectionBlock(t, "text", paragraphs=p) for t, p in sections)
    return Document(Header("Léa Marchetti"), blocks, Meta("CV", "Léa Marchetti"))


def _body(text: str, heading: str) -> tuple[str, str]:
    block = text.split(f"\n\n{heading}\nCount: ", 1)[1]
    count, rest = block.split("\n\n", 1)
    return count, rest.split("\n\n" + "ALL FIELDS", 1)[0].split("\n\nSECOND\n")[0]


def test_counts_equal_an_independent_count() -> None:
    doc = _doc(
        ("First", ((Text(DECOMPOSED),), (Emph((Text("Second paragraph."),)),))),
        ("Second", ((Text("x " * 40),),)),
    )
    text = render_fields(doc, {"First": FieldLimit(max_chars=3500, who="the NIH supplement")})
    count, body = _body(text, "FIRST")
    assert body == "Léa Marchetti étudie les Alpes\n\nSecond paragraph."
    nfc = unicodedata.normalize("NFC", body)
    assert count == (
        f"{len(nfc)} characters of at most 3,500; {len(body.split())} words "
        "(limit set by the NIH supplement)"
    )
    assert len(nfc) == 49 and len(body.split()) == 7
    assert text.endswith(f"ALL FIELDS\nCount: {7 + 40} words\n")


def test_over_the_limit_is_flagged() -> None:
    body = "word " * 30
    assert count_line(body.strip(), FieldLimit(max_chars=100)) == (
        "149 characters of at most 100: OVER THE LIMIT by 49; 30 words"
    )
    assert count_line(body.strip(), FieldLimit(max_words=25)) == (
        "149 characters; 30 words of at most 25: OVER THE LIMIT by 5"
    )
    doc = _doc(("Only", ((Text(body),),)))
    text = render_fields(doc, max_words=20, who="R4RI")
    assert text.endswith(
        "ALL FIELDS\nCount: 30 words of at most 20: OVER THE LIMIT by 10 (limit set by R4RI)\n"
    )


def test_within_the_limit_says_no_more() -> None:
    assert count_line("abc", FieldLimit(max_chars=3)) == "3 characters of at most 3; 1 word"
