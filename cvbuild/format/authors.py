"""An author list as rich text: owner in bold, marks as ``Mark`` nodes, long lists shortened.

Rules (one each, applied in this order):

- A name reads "Given von Family Jr" (``Name.given``/``von``/``family``/``jr`` joined by spaces);
  a corporate name reads as written.
- Separators: one name "A"; two "A and B"; three or more "A, B, and C" (serial comma).
- The owner's name (``OwnerMatcher``) is wrapped in ``Strong``; the marks follow the name,
  outside the ``Strong``, as ``Mark(kind, symbol)``, equal contribution before corresponding.
- ``limit`` N > 0 and more than N names: the first N are shown. If the owner comes later, an
  ellipsis stands for the skipped names and the owner follows: "A, B, C, …, **Owner**".
  After the last name shown, the list ends ", and K more authors" where K counts **only the
  names after it** — never the ones the ellipsis already stands for — so a reader sees how
  many authors follow the owner. A lone hidden name is never summarised: "and 1 more author"
  or "…" standing for one name costs as much space as the name, so that name is printed
  instead ("A, B, C, …, **Owner**, and Last"; "A, B, C, D, **Owner**, …"). A list that ends
  on a shown name joins it with ", and" as a full list would. ``limit`` 0 shows all names.

  Why not always show the last (senior) author ("…, **Owner**, …, Last")? It hides how many
  names sit between, and the count is what a committee reads to place the owner in a big
  team; when the owner is second to last, the rule above prints the last author anyway.
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
    if owner is None or not owner.matches(name):
        return _piece(name, False)
    return _piece(owner.shown(name), True)  # person.display: canonical prints person.name


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
    shown = shown_positions(len(names), limit, _owner_position(names, owner, limit))
    pieces: list[RichText] = []
    previous = -1
    for i in shown:
        if i > previous + 1:
            pieces.append((Text(ELLIPSIS),))
        pieces.append(_one(names[i], owner))
        previous = i
    after = len(names) - 1 - shown[-1]  # names hidden after the last one shown
    truncated = len(shown) < len(names)

    out: list[Node] = []
    if truncated and (after or et_al):
        _join_plain(out, pieces)
        tail = ET_AL if et_al else f"and {more_authors(after)}"
        out.append(Text(f", {tail}"))
    elif et_al:
        _join_plain(out, pieces)
        out.append(Text(f" {ET_AL}" if len(pieces) == 1 else f", {ET_AL}"))
    else:
        _join_serial(out, pieces)
    return _merge_text(out)


def _owner_position(names: Sequence[Name], owner: OwnerMatcher | None, limit: int) -> int | None:
    """Where the owner first appears after the first ``limit`` names (None: not there)."""
    if owner is None or limit <= 0:
        return None
    return next((i for i in range(limit, len(names)) if owner.matches(names[i])), None)


def shown_positions(count: int, limit: int, owner_at: int | None = None) -> list[int]:
    """Indexes of the names printed out of ``count``: the first ``limit`` (0 = all), the
    owner's (``owner_at``) when later, and any name that would be the only one hidden
    in a gap or at the end."""
    if limit <= 0 or count <= limit:
        return list(range(count))
    shown = list(range(limit))
    if owner_at is not None and owner_at >= limit:
        if owner_at == limit + 1:  # an ellipsis for one name: print the name
            shown.append(limit)
        shown.append(owner_at)
    if count - 1 - shown[-1] == 1:  # "and 1 more author": print the name
        shown.append(count - 1)
    return shown


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
