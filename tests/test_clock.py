"""The clock module: the build's day and stamps from SOURCE_DATE_EPOCH, never the wall second."""

from __future__ import annotations

from datetime import date

import pytest

from cvbuild import clock


def test_source_date_epoch_decides_the_day_and_the_stamp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768478400")  # 2026-01-15 12:00 UTC
    assert clock.today() == date(2026, 1, 15)
    assert clock.stamp_epoch(date(2020, 1, 1)) == 1768478400
    assert clock.zip_time(clock.stamp_epoch()) == (2026, 1, 15, 12, 0, 0)


def test_without_it_stamps_are_midnight_of_the_day_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert clock.source_epoch() is None
    assert clock.stamp_epoch(date(2026, 12, 1)) == 1796083200
    assert clock.stamp_epoch() % 86400 == 0


@pytest.mark.parametrize("raw", ["", "soon", "-5", "1e9"])
def test_a_bad_value_is_ignored(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", raw)
    assert clock.source_epoch() is None


def test_zip_times_never_precede_1980() -> None:
    assert clock.zip_time(0) == (1980, 1, 1, 0, 0, 0)


def test_the_freshness_token_changes_with_the_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768478400")
    first = clock.freshness_token()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768564800")
    assert clock.freshness_token() != first


def test_zip_seconds_are_even() -> None:
    assert clock.zip_time(1768478401)[-1] == 0
