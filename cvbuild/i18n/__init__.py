"""Languages: locale tags, CLDR dates (through ``babel``) and cvbuild's own phrases.

- ``locales``: the shipped tags and what TeX needs for each.
- ``phrases``: the fixed words cvbuild writes ("present", "et al.", legends, category
  titles), read from the gettext catalogs in ``cvbuild/locales/<tag>/LC_MESSAGES``.
- ``dates``: month names, ranges and long dates as CLDR writes them.
- ``texlang``: the preamble lines that set a language in LaTeX, and what a machine lacks.

``babel`` is imported inside the functions that need it, so start-up stays fast.
"""

from __future__ import annotations

from cvbuild.i18n.locales import DEFAULT_LOCALE, INFO, LocaleInfo, canonical, info, is_cjk
from cvbuild.i18n.phrases import PHRASES, Phrases, phrases_for

__all__ = [
    "DEFAULT_LOCALE",
    "INFO",
    "PHRASES",
    "LocaleInfo",
    "Phrases",
    "canonical",
    "info",
    "is_cjk",
    "phrases_for",
]
