"""The one place that knows "now": the build's day and the time stamps outputs carry.

Reproducible builds set ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC); then every date a
build shows or stamps comes from it. Without it, the day is today (local), and stamps are
midnight UTC of the day shown, so an unchanged CV gives the same bytes all day long and never
the wall-clock second. Nothing else reads the variable or the clock for these purposes: the
format stage is handed a date, compile and export are handed an epoch.
"""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timezone

ENV = "SOURCE_DATE_EPOCH"
# Zip entries cannot be dated before 1980-01-01 (the DOS epoch).
_ZIP_MIN = 315532800


def source_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an integer, or None when unset or not a number."""
    raw = os.environ.get(ENV, "").strip()
    return int(raw) if raw.isdigit() else None


def today() -> date:
    """The build's day: the UTC day of ``SOURCE_DATE_EPOCH`` when set, else today (local)."""
    epoch = source_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=timezone.utc).date()
    return date.fromtimestamp(time.time())


def stamp_epoch(day: date | None = None) -> int:
    """The time stamp an output carries: ``SOURCE_DATE_EPOCH`` when set, else midnight UTC
    of ``day`` (the date the document shows), else of :func:`today`."""
    epoch = source_epoch()
    if epoch is not None:
        return epoch
    shown = day or today()
    return int(datetime(shown.year, shown.month, shown.day, tzinfo=timezone.utc).timestamp())


def zip_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    """``epoch`` as a zip entry's (year, month, day, hour, minute, second), UTC, never
    before 1980-01-01 (the earliest a zip can say), seconds even (what a zip can hold)."""
    t = time.gmtime(max(epoch, _ZIP_MIN))
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec - t.tm_sec % 2)


def freshness_token() -> str:
    """What of the clock decides whether an earlier build is still valid: the raw
    ``SOURCE_DATE_EPOCH`` and the day (a CV shows "last updated" to the day)."""
    return f"{os.environ.get(ENV, '').strip()}|{today().isoformat()}"
