"""Dates as a reader sees them: "Sep 2020 – present", "2015 – 2019", "15 January 2026".

Month names, the range pattern and long dates come from CLDR (``cvbuild.i18n.dates``);
the word for "present" from the phrase catalog. The locale is passed in, never read from
the environment: formatting stays a function of its arguments.
"""

from __future__ import annotations

from datetime import date

from cvbuild.config.model import PartialDate
from cvbuild.i18n import dates as cldr
from cvbuild.i18n.phrases import ENGLISH, Phrases

DASH = "\u2013"


def format_date(d: PartialDate | None, phrases: Phrases = ENGLISH) -> str:
    if d is None:
        return ""
    if d.present:
        return phrases("present")
    if d.year is None:
        return ""
    if d.month and 1 <= d.month <= 12:
        return cldr.month_year(d.year, d.month, phrases.locale)
    return cldr.year_only(d.year, phrases.locale)


def format_range(
    start: PartialDate | None,
    end: PartialDate | None,
    single: PartialDate | None = None,
    text: str = "",
    phrases: Phrases = ENGLISH,
) -> str:
    if text:
        return text
    if single is not None:
        return format_date(single, phrases)
    first, last = format_date(start, phrases), format_date(end, phrases)
    if first and last and first != last:
        return cldr.join_range(first, last, phrases.locale)
    return first or last


def format_long(d: date, locale: str = "en") -> str:
    return cldr.long_date(d, locale)


def iso_date(d: PartialDate | None) -> str:
    """``2015``, ``2015-09`` or ``2015-09-01``; ``""`` for none, present, or out of range
    (years 1000–2999, the range JSON Resume's date pattern allows)."""
    if d is None or d.present or d.year is None or not 1000 <= d.year <= 2999:
        return ""
    text = f"{d.year:04d}"
    if d.month and 1 <= d.month <= 12:
        text += f"-{d.month:02d}"
        if d.day and 1 <= d.day <= 31:
            text += f"-{d.day:02d}"
    return text
