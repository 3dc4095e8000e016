"""Dates as CLDR writes them in each language, through ``babel`` (imported lazily).

A month and year use the locale's ``yMMM`` skeleton ("Sep 2020", "Sept. 2020", "2020年9月"),
a year alone ``y``, a day ``long`` ("15. Januar 2026"; English keeps day-month-year: "15
January 2026"). A range joins its two ends with the locale's interval fallback pattern
("{0} – {1}", "{0}～{1}"), and an open range ends in the catalog's word for "present".

English, the default, is written from CLDR's English words kept here (``_EN_MONTHS``,
``_EN_RANGE``, ``_EN_AND``), so an English build loads neither babel nor its locale data;
a test keeps them equal to what babel says for ``en``.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cvbuild.i18n.locales import info

if TYPE_CHECKING:
    from babel import Locale


@lru_cache(maxsize=64)
def _locale(tag: str) -> Locale:
    from babel import Locale

    return Locale.parse(info(tag).cldr)


# CLDR's thin and narrow spaces: an ordinary space and a no-break space, which every
# backend and font has
_SPACES = str.maketrans({"\u2009": " ", "\u202f": "\u00a0"})


def _plain(text: object) -> str:
    return str(text).translate(_SPACES)


# CLDR's English (babel's ``en``): the wide month names ("MMMM"), the abbreviated ones
# ("MMM"), the interval fallback and the "and" list pattern, as _plain leaves them.
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")  # fmt: skip
_EN_RANGE = "{0} \u2013 {1}"
_EN_AND = (" and ", ", ", ", and ")


def _english(tag: str) -> bool:
    return info(tag).tag == "en"


def month_year(year: int, month: int, tag: str) -> str:
    if _english(tag):  # "MMM y"
        day = date(year, month, 1)  # the same ValueError as babel's for a date out of range
        return f"{_EN_MONTHS[day.month - 1][:3]} {day.year}"
    from babel.dates import format_skeleton

    return _plain(format_skeleton("yMMM", date(year, month, 1), locale=_locale(tag)))


def year_only(year: int, tag: str) -> str:
    if _english(tag):
        return str(year)
    from babel.dates import format_skeleton

    return _plain(format_skeleton("y", date(year, 1, 1), locale=_locale(tag)))


def long_date(day: date, tag: str) -> str:
    if _english(tag):  # "d MMMM y"
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    from babel.dates import format_date

    return _plain(format_date(day, "long", locale=_locale(tag)))


@lru_cache(maxsize=64)
def range_pattern(tag: str) -> str:
    """The locale's pattern for "from {0} to {1}" when the two ends share nothing."""
    if _english(tag):
        return _EN_RANGE
    data: Any = getattr(_locale(tag), "_data", {})
    try:
        pattern = data["interval_formats"][None]
    except (KeyError, TypeError):
        pattern = "{0} \u2013 {1}"
    text = _plain(pattern)
    return text if "{0}" in text and "{1}" in text else "{0} \u2013 {1}"


def join_range(first: str, last: str, tag: str) -> str:
    return range_pattern(tag).replace("{0}", first).replace("{1}", last)


@lru_cache(maxsize=64)
def conjunctions(tag: str) -> tuple[str, str, str]:
    """CLDR's list pattern for "and": what goes between two names, between names, and
    before the last of several (" und ", ", ", " und "; "和", "、", "和")."""
    if _english(tag):
        return _EN_AND
    patterns: Any = getattr(_locale(tag), "list_patterns", {}).get("standard", {})

    def between(key: str, default: str) -> str:
        pattern = _plain(patterns.get(key, "")) if patterns else ""
        if pattern.startswith("{0}") and pattern.endswith("{1}") and pattern.count("{") == 2:
            return pattern[3:-3]
        return default

    return between("2", " and "), between("middle", ", "), between("end", ", and ")
