"""Dates and "present" in every shipped locale: what CLDR (babel) and the catalog give."""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date as babel_date
from babel.dates import format_skeleton

from cvbuild.config.choices import LOCALES
from cvbuild.config.model import PartialDate
from cvbuild.format.dates import format_date, format_long, format_range
from cvbuild.i18n.locales import info
from cvbuild.i18n.phrases import Phrases, load_catalog


def _plain(text: str) -> str:
    return text.replace("\u2009", " ").replace("\u202f", "\u00a0")


@pytest.mark.parametrize("tag", LOCALES)
def test_month_year_is_cldr(tag: str) -> None:
    phrases = Phrases(tag)
    expected = _plain(format_skeleton("yMMM", date(2020, 9, 1), locale=info(tag).cldr))
    assert format_date(PartialDate(2020, 9), phrases) == expected


@pytest.mark.parametrize("tag", LOCALES)
def test_present_is_the_catalog_word_and_ends_an_open_range(tag: str) -> None:
    phrases = Phrases(tag)
    word = load_catalog(tag).forms["present"][0]
    assert format_date(PartialDate(present=True), phrases) == word
    text = format_range(PartialDate(2022, 9), PartialDate(present=True), phrases=phrases)
    assert text.startswith(format_date(PartialDate(2022, 9), phrases))
    assert text.endswith(word)


@pytest.mark.parametrize("tag", [t for t in LOCALES if t != "en"])
def test_long_date_is_cldr(tag: str) -> None:
    expected = _plain(babel_date(date(2026, 1, 15), "long", locale=info(tag).cldr))
    assert format_long(date(2026, 1, 15), tag) == expected


def test_known_values() -> None:
    d = PartialDate
    de, ja, fr = Phrases("de"), Phrases("ja"), Phrases("fr")
    assert format_range(d(2015, 9), d(2019, 7), phrases=de) == "Sept. 2015 – Juli 2019"
    assert format_range(d(2022, 9), d(present=True), phrases=ja) == "2022年9月～現在"
    assert format_range(d(2022, 9), d(present=True), phrases=fr) == "sept. 2022 – aujourd'hui"
    assert format_long(date(2026, 1, 15), "de") == "15. Januar 2026"
    assert format_long(date(2026, 1, 15), "zh-CN") == "2026年1月15日"
    # English stays as it always was
    assert format_range(d(2015, 9), d(present=True)) == "Sep 2015 – present"
    assert format_long(date(2026, 1, 15)) == "15 January 2026"


def test_the_english_words_kept_in_cvbuild_are_babels() -> None:
    """English is written without babel (so an English build never loads it): every month,
    both ends of the years and day numbers, the range and "and" patterns as babel says them."""
    from babel import Locale

    from cvbuild.i18n import dates as cldr

    en = Locale.parse("en")
    for month in range(1, 13):
        for year in (1, 999, 2020, 9999):
            day = date(year, month, 28 if month == 2 else 31 if month in (1, 3, 12) else 1)
            want = _plain(format_skeleton("yMMM", date(year, month, 1), locale=en))
            assert cldr.month_year(year, month, "en") == want
            assert cldr.long_date(day, "en") == _plain(babel_date(day, "d MMMM y", locale=en))
    assert cldr.long_date(date(2026, 1, 5), "en") == "5 January 2026"
    fallback = _plain(en._data["interval_formats"][None])
    assert cldr.range_pattern("en") == fallback == "{0} \u2013 {1}"
    patterns = en.list_patterns["standard"]
    assert cldr.conjunctions("en") == (
        _plain(patterns["2"])[3:-3],
        _plain(patterns["middle"])[3:-3],
        _plain(patterns["end"])[3:-3],
    )
    with pytest.raises(ValueError):
        cldr.month_year(2020, 13, "en")  # as babel's date(2020, 13, 1) does
