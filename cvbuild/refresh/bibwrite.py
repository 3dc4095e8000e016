"""Write the managed BibTeX file: every value braced, text escaped so it reads back the same.

``Publication.fields`` hold Unicode text (the bib loader has decoded LaTeX), except ``author``
and ``editor``, which stay as written. Text values are therefore re-encoded by
:mod:`cvbuild.bib.encode` (the inverse of the bib stage's decoding), so a title with ``{``,
``%`` or ``\\`` in it can neither unbalance the entry nor become markup, and reads back the
same. Raw name lists are written as they are when their braces balance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cvbuild.bib.build import VERBATIM_FIELDS  # read verbatim: only backslash escapes undone
from cvbuild.bib.encode import encode_names, encode_text, encode_verbatim
from cvbuild.bib.model import Publication

# Fields that change on every fetch and say nothing about the work (never written, never hashed).
VOLATILE_FIELDS = frozenset(
    {
        "timestamp",
        "biburl",
        "bibsource",
        "indexed",
        "score",
        "is-referenced-by-count",
        "deposited",
        "last-modified-date",
        "citationcount",
        "cited_by_count",
        "updated_date",
        "counts_by_year",
        "citation_count",
        "updated",
        "fetched",
        "openalex",
        "s2_paper",
    }
)
RAW_FIELDS = frozenset({"author", "editor"})
# Canonical field order; the rest follow alphabetically.
FIELD_ORDER = (
    "author",
    "editor",
    "title",
    "journal",
    "booktitle",
    "howpublished",
    "publisher",
    "volume",
    "number",
    "pages",
    "year",
    "month",
    "doi",
    "eprint",
    "archiveprefix",
    "primaryclass",
    "url",
)

_KEY_BAD = re.compile(r"[\s,{}()=\"#%'\\]")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_\-+.:]*$")


def safe_key(key: str) -> str:
    cleaned = _KEY_BAD.sub("_", key.strip())
    return cleaned or "entry"


def ordered_fields(fields: dict[str, str]) -> list[tuple[str, str]]:
    names = [n for n in fields if n not in VOLATILE_FIELDS and fields[n] != ""]
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    names.sort(key=lambda n: (rank.get(n, len(rank)), n))
    return [(n, fields[n]) for n in names]


def format_entry(pub: Publication) -> str:
    entry_type = re.sub(r"[^a-z]", "", pub.entry_type.lower()) or "misc"
    lines = [f"@{entry_type}{{{safe_key(pub.key)},"]
    for name, value in ordered_fields(pub.fields):
        name = name.lower()
        if not _FIELD_NAME.match(name):
            continue
        if name in RAW_FIELDS:
            text = encode_names(value)
        elif name in VERBATIM_FIELDS or re.match(r"^https?://\S+$", value.strip()):
            text = encode_verbatim(value)
        else:
            text = encode_text(value)
        lines.append(f"  {name} = {{{text}}},")
    lines.append("}")
    return "\n".join(lines)


def format_bibtex(pubs: Iterable[Publication], header: str = "") -> str:
    """The whole managed file, deterministic for the same input."""
    parts = []
    if header:
        parts.append("\n".join(f"% {line}" if line else "%" for line in header.splitlines()))
    parts.extend(format_entry(p) for p in pubs)
    return "\n\n".join(parts) + "\n"
