"""Turn a BibTeX response body into ``Publication`` objects.

The real work is the bib stage (``cvbuild.bib.load_text``: parsing, macros, LaTeX decoding),
which reads the body from memory. Problems and publications are then located by what a person
knows: the source and the record, e.g. ``dblp 95/7448-1: record 3 (key Xu2020)``, never a file.
"""

from __future__ import annotations

import bisect
import re

from cvbuild.bib.model import Publication
from cvbuild.errors import Location, Problem

_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])\s*([^,\s]*)\s*,", re.DOTALL)
_ANY_BLOCK = re.compile(r"^[ \t]*@", re.MULTILINE)
_KIND = re.compile(r"@\s*([A-Za-z]+)")


def looks_like_bibtex(text: str) -> bool:
    return re.search(r"@\s*[A-Za-z]+\s*[{(]", text) is not None


def _records(text: str) -> tuple[list[int], list[str]]:
    """Start lines (1-based) of the entries in ``text`` and their keys, in order."""
    lines: list[int] = []
    keys: list[str] = []
    for match in _ANY_BLOCK.finditer(text):
        kind_match = _KIND.match(text, match.end() - 1)
        kind = kind_match.group(1).lower() if kind_match else ""
        entry = _ENTRY.match(text, match.end() - 1)
        if kind in ("string", "preamble", "comment"):
            continue
        lines.append(text.count("\n", 0, match.start()) + 1)
        keys.append(entry.group(3) if entry else "")
    return lines, keys


def record_name(origin: str, lines: list[int], keys: list[str], line: int) -> str:
    """``origin: record N (key K)`` for the record that holds ``line``; ``origin`` when none."""
    index = bisect.bisect_right(lines, line) - 1 if line else -1
    if index < 0:
        return origin
    key = f" (key {keys[index]})" if keys[index] else ""
    return f"{origin}: record {index + 1}{key}"


def parse_bibtex(text: str, origin: str) -> tuple[list[Publication], list[Problem]]:
    """Parse ``text`` (a response body); ``origin`` names the source in problems
    (``dblp 95/7448-1``, ``orcid work 123``, a URL)."""
    from cvbuild.bib import load_text

    pubs, problems = load_text(text, origin)
    lines, keys = _records(text)
    relocated = [
        Problem(
            Location(record_name(origin, lines, keys, p.location.line)),
            p.message,
            p.hint,
            p.severity,
        )
        for p in problems
    ]
    for pub in pubs:
        pub.location = Location(record_name(origin, lines, keys, pub.location.line))
    return pubs, relocated
