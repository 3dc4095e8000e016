"""Write the managed BibTeX file: every value braced, text escaped so it reads back the same.

``Publication.fields`` hold Unicode text (the bib loader has decoded LaTeX), except ``author``
and ``editor``, which stay as written. Text values are therefore re-encoded: the ten LaTeX
specials are escaped, so a title with ``{``, ``%`` or ``\\`` in it can neither unbalance the
entry nor become markup. Raw name lists are written as they are when their braces balance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile(r"[\\{}%$&#_~^]")
# Fields the bib loader reads verbatim (URLs, identifiers): only backslash escapes it undoes.
try:
    from cvbuild.bib.build import VERBATIM_FIELDS
except ImportError:  # pragma: no cover - the bib stage defines the authoritative set
    VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "arxiv", "pdf", "issn", "isbn"})
_VERBATIM_RE = re.compile(r"[{}\\]")
_KEY_BAD = re.compile(r"[\s,{}()=\"#%'\\]")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_\-+.:]*$")


def escape_value(text: str) -> str:
    """Unicode text → BibTeX source that a LaTeX decoder turns back into the same text."""
    text = " ".join(text.split())
    return _SPECIAL_RE.sub(lambda m: _SPECIALS[m.group(0)], text)


def escape_verbatim(text: str) -> str:
    """A URL or identifier: no spaces; braces escaped, a backslash %-encoded."""
    text = "".join(text.split())
    return _VERBATIM_RE.sub(lambda m: "%5C" if m.group(0) == "\\" else "\\" + m.group(0), text)


def braces_balanced(text: str) -> bool:
    depth = 0
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not escaped


def raw_value(text: str) -> str:
    """A name list as written, unless its braces would break the entry."""
    text = " ".join(text.split())
    return text if braces_balanced(text) and "@" not in text else escape_value(text)


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
            text = raw_value(value)
        elif name in VERBATIM_FIELDS or re.match(r"^https?://\S+$", value.strip()):
            text = escape_verbatim(value)
        else:
            text = escape_value(value)
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
