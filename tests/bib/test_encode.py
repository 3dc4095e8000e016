"""bib/encode.py: what is encoded decodes back to the same text (a property over any Unicode)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cvbuild.bib.decode import decode_latex
from cvbuild.bib.encode import encode_names, encode_text, encode_verbatim, normalize_text

# Any Unicode text but lone surrogates (no str from a file holds them), biased towards the
# characters the decoder reads as markup.
_PIECES = st.one_of(
    st.characters(blacklist_categories=("Cs",)),
    st.sampled_from([*"\\{}%$&#_~^<>-`'\"@ ¹⁸²₂[](\t\n\x00\x01", "--", "''", "``", "<<", "&amp;"]),
)
TEXT = st.lists(_PIECES, max_size=40).map("".join)


@settings(max_examples=1500, deadline=None)
@given(TEXT)
@example("a--b---c")
@example("``quoted'' and 'single' `back`")
@example("<b>bold</b> <<guillemets>> &amp; &#x41;")
@example("\\emph{x} $x^2$ 50% #1 a_b ~ ^")
@example("[ ¹⁸ F]-FDG")
@example("\\\\textrm")
@example("Operators' Speech")
def test_decode_of_encode_is_the_text(text: str) -> None:
    assert decode_latex(encode_text(text)) == normalize_text(text)


@pytest.mark.parametrize(
    ("text", "encoded"),
    [
        ("Operators' Speech", "Operators' Speech"),  # plain text stays readable
        ("50% of {x}", r"50\% of \{x\}"),
        ("a--b", "a-{}-b"),
        ("O'Neil & Co", r"O\textquotesingle{}Neil \& Co"),
        ("a  b\n c", "a b c"),
    ],
)
def test_encoded_text(text: str, encoded: str) -> None:
    assert encode_text(text) == encoded


def test_normalize_text() -> None:
    assert normalize_text(" a \t b\x00c ") == "a bc"
    assert normalize_text("[ ¹⁸ F]") == "[¹⁸F]"


def test_verbatim_and_names() -> None:
    assert encode_verbatim("https://x.org/a b{c}\\") == "https://x.org/ab\\{c\\}%5C"
    assert encode_names('M{\\"u}ller, J. and Xu*') == 'M{\\"u}ller, J. and Xu*'
    assert encode_names("Broken {name") == r"Broken \{name"
