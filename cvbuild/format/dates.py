"""Dates as a reader sees them: "Sep 2020 – present", "2015 – 2019", "15 January 2026".

Pure: the day to show is handed in (``cvbuild.clock.today()`` at the call site).
"""

from __future__ import annotations

from datetime import date

from cvbuild.config.model import PartialDate

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_LONG = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DASH = "\u2013"


def format_date(d: PartialDate | None) -> str:
    if d is None:
        return ""
    if d.present:
        return "present"
    if d.year is None:
        return ""
    if d.month:
        return f"{MONTHS[d.month - 1]} {d.year}"
    return str(d.year)


def format_range(
    start: PartialDate | None,
    end: PartialDate | None,
    single: PartialDate | None = None,
    text: str = "",
) -> str:
    if text:
        return text
    if single is not None:
        return format_date(single)
    first, last = format_date(start), format_date(end)
    if first and last and first != last:
        return f"{first} {DASH} {last}"
    return first or last


def format_long(d: date) -> str:
    return f"{d.day} {MONTHS_LONG[d.month - 1]} {d.year}"
