"""``crossref = {key}``: an entry takes the fields it lacks from the entry it refers to.

Works on resolved (macro-expanded, still undecoded) field values, across all files
loaded together, following chains (a child of a child) and stopping at cycles. Like
biblatex, a parent's ``title`` also fills a missing ``booktitle`` when the parent is a
book or proceedings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["NOT_INHERITED", "Resolved", "resolve_crossrefs"]

# Fields that describe the entry itself, not its container: never inherited.
NOT_INHERITED: frozenset[str] = frozenset(
    {"crossref", "ids", "key", "selected", "bibtex_show", "preview", "abbr", "category", "pubtype"}
)
_CONTAINER_TYPES = frozenset(
    {"book", "proceedings", "collection", "mvbook", "mvproceedings", "mvcollection"}
)


@dataclass
class Resolved:
    """An entry's fields after macro expansion: what crossref works on."""

    key: str
    entry_type: str
    fields: dict[str, str]
    lines: dict[str, int]


def resolve_crossrefs(
    entries: dict[str, Resolved],
    on_missing: Callable[[Resolved, str], None],
    on_cycle: Callable[[Resolved], None],
) -> None:
    """Fill each entry's missing fields from its crossref parent, in place.

    ``entries`` maps lower-cased keys to entries (BibTeX keys match case-insensitively).
    """
    done: set[str] = set()

    def fill(entry: Resolved, path: tuple[str, ...]) -> None:
        key = entry.key.lower()
        if key in done:
            return
        target = entry.fields.get("crossref", "").strip().strip("{}").strip()
        if not target:
            done.add(key)
            return
        parent = entries.get(target.lower())
        if parent is None:
            on_missing(entry, target)
            done.add(key)
            return
        if parent.key.lower() in path:
            on_cycle(entry)
            done.add(key)
            return
        fill(parent, (*path, key))
        for name, value in parent.fields.items():
            if name not in NOT_INHERITED and name not in entry.fields:
                entry.fields[name] = value
                entry.lines[name] = entry.lines.get("crossref", 0)
        if (
            parent.entry_type in _CONTAINER_TYPES
            and "booktitle" not in entry.fields
            and "title" in parent.fields
        ):
            entry.fields["booktitle"] = parent.fields["title"]
        done.add(key)

    for entry in entries.values():
        fill(entry, (entry.key.lower(),))
