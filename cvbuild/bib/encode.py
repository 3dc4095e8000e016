"""Unicode text → BibTeX field text that :mod:`cvbuild.bib.decode` reads back the same.

The inverse of ``decode_latex`` for plain text (what ``refresh`` writes into its managed
file): :func:`encode_text` escapes what the decoder would read as markup — the ten LaTeX
specials, ``--`` (a dash), ``<`` (an HTML tag, ``<<`` guillemets), and, when the value is
not plain enough for the decoder's fast path, straight quotes and backticks (which it
would curl). The property, tested for arbitrary Unicode text::

    decode_latex(encode_text(text)) == normalize_text(text)

where :func:`normalize_text` is what decoding does to any plain text anyway: control
characters removed, whitespace runs one space, no space at either end, and a superscript
that starts a word joined to it (``¹⁸ F`` → ``¹⁸F``, the isotope rule).

URLs and identifiers (:func:`encode_verbatim`) and name lists as written
(:func:`encode_names`) have their own, smaller rules.
"""

from __future__ import annotations

import re
import unicodedata

from cvbuild.bib.decode import join_prefix_scripts

__all__ = [
    "encode_text",
    "encode_verbatim",
    "encode_names",
    "braces_balanced",
    "normalize_text",
]

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
}
_SPECIAL_RE = re.compile(r"[\\{}%$&#_~^<]")
_QUOTES = {"'": r"\textquotesingle{}", "`": r"\textasciigrave{}"}
_VERBATIM_RE = re.compile(r"[{}\\]")


def normalize_text(text: str) -> str:
    """``text`` as decoding leaves any plain text (see the module's docstring)."""
    kept = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) != "Cc")
    return join_prefix_scripts(" ".join(kept.split()))


def encode_text(text: str) -> str:
    """Plain Unicode text → BibTeX field text that decodes to ``normalize_text(text)``."""
    plain = normalize_text(text)
    out = _SPECIAL_RE.sub(lambda m: _SPECIALS[m.group(0)], plain)
    out = out.replace("--", "-{}-").replace("--", "-{}-")  # "---": both pairs
    if out != plain or "''" in out or "`" in out:
        # the decoder reads this value as markup: keep quotes straight
        out = re.sub(r"['`]", lambda m: _QUOTES[m.group(0)], out)
    return out


def encode_verbatim(text: str) -> str:
    """A URL or identifier: no spaces; braces escaped, a backslash %-encoded."""
    text = "".join(text.split())
    return _VERBATIM_RE.sub(lambda m: "%5C" if m.group(0) == "\\" else "\\" + m.group(0), text)


def braces_balanced(text: str) -> bool:
    depth = 0
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not escaped


def encode_names(text: str) -> str:
    """A name list as written (its braces and accents are the bib stage's to read), unless
    its braces would break the entry; then encoded as text."""
    text = " ".join(text.split())
    return text if braces_balanced(text) and "@" not in text else encode_text(text)
