"""An author list as rich text: owner in bold, marks as ``Mark`` nodes, long lists shortened.

Rules (one each, applied in this order):

- A name reads "Given von Family Jr" (``Name.given``/``von``/``family``/``jr`` joined by spaces);
  a corporate name reads as written.
- Separators: one name "A"; two "A and B"; three or more "A, B, and C" (serial comma).
- The owner's name (``OwnerMatcher``) is wrapped in ``Strong``; the marks follow the name,
  outside the ``Strong``, as ``Mark(kind, symbol)``, equal contribution before corresponding.
- ``limit`` N > 0 and more than N names: the first N are shown. If the owner comes later, an
  ellipsis stands for the skipped names and the owner follows: "A, B, C, …, **Owner**". The
  list then ends ", and K more authors" where K counts every name not shown (``1 more author``
  singular) — whether or not the owner was pulled forward. ``limit`` 0 shows all names.
- ``et_al`` (the file said ``and others``): the list ends ", et al." ("A et al." for one name),
  and a shortened list ends ", et al." too, since the true count is unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from cvbuild.bib.model import CORRESPONDING, EQUAL, Name
from cvbuild.format.owner import OwnerMatcher
from cvbuild.richtext import Mark, Node, RichText, Strong, Text

__all__ = ["LEGENDS", "SYMBOLS", "MARK_ORDER", "format_authors", "name_text", "marks_for"]

LEGENDS: dict[str, str] = {EQUAL: "Equal contribution", CORRESPONDING: "Corresponding author"}
SYMBOLS: dict[str, str] = {EQUAL: "*", CORRESPONDING: "†"}
MARK_ORDER: tuple[str, ...] = (EQUAL, CORRESPONDING)

ELLIPSIS = "…"
ET_AL = "et al."


def name_text(name: Name) -> str:
    """How a reader sees one name: "Given von Family Jr"."""
    if name.corporate:
        return name.family
    return " ".join(p for p in (name.given, name.von, name.family, name.jr) if p)


def marks_for(name: Name) -> tuple[Mark, ...]:
    return tuple(Mark(kind, SYMBOLS[kind]) for kind in MARK_ORDER if kind in name.marks)


def _one(name: Name, owner: OwnerMatcher | None) -> RichText:
    return _piece(name, owner is not None and owner.matches(name))


@lru_cache(maxsize=65536)
def _piece(name: Name, is_owner: bool) -> RichText:
    label: Node = Text(name_text(name))
    if is_owner:
        label = Strong((label,))
    return (label, *marks_for(name))


def more_authors(k: int) -> str:
    return f"{k} more author" if k == 1 else f"{k} more authors"


def format_authors(
    names: Sequence[Name], et_al: bool, owner: OwnerMatcher | None, limit: int
) -> RichText:
    """The author list of one publication; see the module docstring for the rules."""
    if not names:
        return (Text(ET_AL),) if et_al else ()
    shown: list[int] = list(range(len(names)))
    truncated = limit > 0 and len(names) > limit
    if truncated:
        shown = list(range(limit))
        if owner is not None:
            late = next((i for i in range(limit, len(names)) if owner.matches(names[i])), None)
            if late is not None:
                shown.append(late)
        if len(shown) == len(names):  # the owner was the only name left: nothing hidden
            truncated = False
    pieces: list[RichText] = []
    previous = -1
    for i in shown:
        if i > previous + 1:
            pieces.append((Text(ELLIPSIS),))
        pieces.append(_one(names[i], owner))
        previous = i
    hidden = len(names) - len(shown)

    out: list[Node] = []
    if truncated:
        _join_plain(out, pieces)
        tail = ET_AL if et_al else f"and {more_authors(hidden)}"
        out.append(Text(f", {tail}"))
    elif et_al:
        _join_plain(out, pieces)
        out.append(Text(f" {ET_AL}" if len(pieces) == 1 else f", {ET_AL}"))
    else:
        _join_serial(out, pieces)
    return _merge_text(out)


def _join_plain(out: list[Node], pieces: list[RichText]) -> None:
    for i, piece in enumerate(pieces):
        if i:
            out.append(Text(", "))
        out.extend(piece)


def _join_serial(out: list[Node], pieces: list[RichText]) -> None:
    n = len(pieces)
    for i, piece in enumerate(pieces):
        if i:
            if n == 2:
                out.append(Text(" and "))
            elif i == n - 1:
                out.append(Text(", and "))
            else:
                out.append(Text(", "))
        out.extend(piece)


def _merge_text(nodes: list[Node]) -> RichText:
    """Adjacent ``Text`` leaves merged, so a tree reads simply and compares easily."""
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].value + node.value)
        elif not (isinstance(node, Text) and not node.value):
            out.append(node)
    return tuple(out)
