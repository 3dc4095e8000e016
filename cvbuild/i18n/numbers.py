"""Counts as each language writes them, through CLDR (``babel.numbers``, imported lazily).

English keeps Python's grouping ("1,234"), which is CLDR's too. Elsewhere the locale's
group symbol: "1.234" (de, es), "1 234" (fr, pl, ru, with a no-break space), "1,234" (zh,
ja). CLDR's narrow no-break space becomes the ordinary
no-break space, as in ``cvbuild.i18n.dates``: every backend and font has that one (TeX's
fonts and pdflatex lack U+202F).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from cvbuild.i18n.locales import info

if TYPE_CHECKING:
    from babel import Locale

_SPACES = str.maketrans({"\u2009": "\u00a0", "\u202f": "\u00a0"})


@lru_cache(maxsize=64)
def _locale(tag: str) -> Locale:
    from babel import Locale

    return Locale.parse(info(tag).cldr)


def format_count(value: int, tag: str) -> str:
    """``value`` (a whole number) with the digit grouping of the locale ``tag``."""
    if info(tag).tag == "en":
        return f"{value:,}"
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=_locale(tag))).translate(_SPACES)
