"""Which kind of publication an entry is: one of ``CATEGORIES``.

In order: an explicit ``category`` (or ``pubtype``) field; a preprint venue (arXiv,
CoRR, bioRxiv …, or an ``eprint`` with no venue) even in ``@article``; ``workshop`` in
the venue; then the entry type.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from cvbuild.bib.model import CATEGORIES

__all__ = ["CATEGORY_ALIASES", "category_from_field", "derive_category"]

_TYPE_CATEGORY: dict[str, str] = {
    "article": "journal",
    "inproceedings": "conference",
    "conference": "conference",
    "book": "book",
    "inbook": "book",
    "incollection": "book",
    "collection": "book",
    "proceedings": "book",
    "mvbook": "book",
    "booklet": "book",
    "bookinbook": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "patent": "patent",
}

# What people write in ``category = {…}`` → our category.
CATEGORY_ALIASES: dict[str, str] = {
    **{c: c for c in CATEGORIES},
    "article": "journal",
    "journal article": "journal",
    "journal paper": "journal",
    "inproceedings": "conference",
    "proceedings": "conference",
    "conference paper": "conference",
    "workshop paper": "workshop",
    "arxiv": "preprint",
    "preprint": "preprint",
    "manuscript": "preprint",
    "working paper": "preprint",
    "chapter": "book",
    "book chapter": "book",
    "books": "book",
    "incollection": "book",
    "inbook": "book",
    "dissertation": "thesis",
    "phd thesis": "thesis",
    "master thesis": "thesis",
    "masters thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "misc": "other",
}

_PREPRINT_VENUE = re.compile(
    r"\b(arxiv|corr|preprint|biorxiv|medrxiv|chemrxiv|psyarxiv|osf preprints|ssrn|"
    r"research square|techrxiv|eartharxiv)\b",
    re.IGNORECASE,
)
_WORKSHOP = re.compile(r"\bworkshops?\b", re.IGNORECASE)
_VENUE_FIELDS = ("journal", "booktitle", "journaltitle", "howpublished", "eventtitle")


def category_from_field(value: str) -> str | None:
    """Our category for an explicit ``category``/``pubtype`` value, or None if unknown."""
    word = " ".join(value.lower().replace("_", " ").replace("-", " ").split())
    if word in CATEGORY_ALIASES:
        return CATEGORY_ALIASES[word]
    if word.endswith("s") and word[:-1] in CATEGORY_ALIASES:
        return CATEGORY_ALIASES[word[:-1]]
    return None


def derive_category(entry_type: str, fields: Mapping[str, str]) -> str:
    """The category from the entry type and its (decoded) venue fields."""
    venue = " ".join(fields.get(name, "") for name in _VENUE_FIELDS).strip()
    if _PREPRINT_VENUE.search(venue):
        return "preprint"
    if (
        not venue
        and (fields.get("eprint") or fields.get("archiveprefix"))
        and entry_type
        in (
            "article",
            "misc",
            "online",
            "unpublished",
            "techreport",
            "report",
        )
    ):
        return "preprint"
    if _WORKSHOP.search(venue):
        return "workshop"
    return _TYPE_CATEGORY.get(entry_type, "other")
