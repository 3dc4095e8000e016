"""Year and month of a publication from ``year``, ``month`` and biblatex ``date``.

Inputs are already decoded text (``{\\noopsort{1973b}}1973`` has become ``1973``).
"""

from __future__ import annotations

import re

__all__ = ["parse_date", "parse_month", "parse_year"]

_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WORD = re.compile(r"[^\W\d_]+")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[5-9]\d\d|2[0-2]\d\d)(?!\d)")
_DATE = re.compile(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-\d{1,2})?(?:[T/ ].*)?\s*$")


def parse_year(text: str) -> tuple[int | None, str | None]:
    """``(year, label)``: ``"2024"`` → ``(2024, None)``; ``"in press"`` → ``(None, "in press")``.

    A number inside words (``"to appear 2025"``, ``"2021a"``) gives that year; text with no
    year at all is kept as the label, as written; empty text gives ``(None, None)``.
    """
    text = text.strip()
    if not text:
        return None, None
    if text.isdigit():
        return int(text), None
    found = _YEAR_IN_TEXT.search(text)
    if found:
        return int(found.group(1)), None
    return None, text


def parse_month(text: str) -> int | None:
    """``"jan"``, ``"January"``, ``"6"``, ``"10 January"``, ``"June-August"`` → 1..12, else None."""
    text = text.strip().lower()
    if not text:
        return None
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    for word in _WORD.findall(text):
        word = word.rstrip(".")
        if word in _MONTHS:
            return _MONTHS[word]
    return None


def parse_date(text: str) -> tuple[int | None, int | None]:
    """biblatex ``date`` (``2021``, ``2021-05``, ``2021-05-03``, ``2021-05/2021-06``) → (year, month)."""
    m = _DATE.match(text)
    if not m:
        return None, None
    month = int(m.group(2)) if m.group(2) else None
    return int(m.group(1)), month if month and 1 <= month <= 12 else None
