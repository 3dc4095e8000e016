"""How long one BibTeX field may be, once its macros are expanded.

No real field comes near these; a value past them is a broken or hostile file, and
building it would only fail later (TeX reads at most 200,000 characters per line and
runs out of memory on paragraphs of a few hundred thousand). The ``bib`` stage reports
such a field at its ``file:line``, naming the entry, and **skips the entry**: a
reference printed without its title or with a cut author list would be wrong. Every
other entry builds.

- :data:`FIELD_LIMIT` — 100,000 characters for any field (a long abstract is ~3,000);
- :data:`NAME_FIELD_LIMIT` — 400,000 characters for ``author`` and ``editor``: the
  largest collaborations (about 5,000 authors) write 150,000 to 250,000.
"""

from __future__ import annotations

__all__ = ["FIELD_LIMIT", "NAME_FIELD_LIMIT", "field_limit"]

FIELD_LIMIT = 100_000
NAME_FIELD_LIMIT = 400_000


def field_limit(name: str) -> int:
    """The largest length a field of this (lower-case) name may have."""
    return NAME_FIELD_LIMIT if name in ("author", "editor") else FIELD_LIMIT
