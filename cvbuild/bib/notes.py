"""A ``note`` that only explains author marks (``* = equal contribution``) is a legend.

The formatting stage prints the legend as a footnote of its own, so such a note is
marked and not printed as a note. Input is decoded text (``$^*$`` is already ``*``).
"""

from __future__ import annotations

import functools
import re

__all__ = ["is_legend_note"]

_MARK = r"(?:[*∗⋆†‡§#¶]+|\^\*|\(\s*[*†‡]+\s*\))"
_MEANING = (
    r"(?:equal(?:ly)?[\s-]+contribut\w*(?:\s+(?:authors?|to\s+this\s+work|first\s+authors?))?"
    r"|equal\s+(?:advising|supervision|senior\s+authors?)"
    r"|(?:co|joint|shared)[\s-]*(?:first|last|senior|corresponding)[\s-]*authors?(?:hip)?"
    r"|(?:the\s+)?corresponding\s+authors?(?:hip)?"
    r"|contributed\s+equally(?:\s+to\s+this\s+work)?"
    r"|these\s+authors\s+contributed\s+equally(?:\s+to\s+this\s+work)?"
    r"|project\s+leads?|senior\s+authors?|co[\s-]*advis\w+)"
)
_STATEMENT = rf"""
    (?:{_MARK}\s*(?:=|:|-|–|—|\bdenotes\b|\bindicates\b|\bmeans\b)?\s*{_MEANING}
      |{_MEANING}\s*(?:=|:)?\s*{_MARK}
      |{_MARK}\s*(?:=|:)?\s*(?:\bdenotes\b|\bindicates\b)?\s*$
    )
    """


@functools.cache
def _statement() -> re.Pattern[str]:
    """Compiled on first use: only a note with a mark in it needs it."""
    return re.compile(_STATEMENT, re.IGNORECASE | re.VERBOSE)


def is_legend_note(note: str) -> bool:
    """True when every statement in ``note`` only explains ``*``/``†`` author marks."""
    if not note.strip() or not re.search(r"[*∗⋆†‡]", note):
        return False
    rest = _statement().sub(" ", note)
    rest = re.sub(r"\band\b", " ", rest, flags=re.IGNORECASE)
    return re.fullmatch(r"[\s.,;:()\[\]&/|–—-]*", rest) is not None
