"""Small builders of rich text for the hand-made test Documents (sample_document, md_sample)."""

from __future__ import annotations

from cvbuild.document import PubItem
from cvbuild.richtext import Emph, Mark, Node, RichText, Strong, Text, join, text

LEGENDS = {"equal": "Equal contribution", "corresponding": "Corresponding author"}
SYMBOLS = {"equal": "*", "corresponding": "†"}


def authors(*names: str, owner: str) -> RichText:
    """'A, B and C' with the owner in Strong; a trailing '*' or '†' on a name becomes a Mark."""
    parts: list[RichText] = []
    for raw in names:
        name = raw.rstrip("*†")
        marks = tuple(Mark("equal" if c == "*" else "corresponding", c) for c in raw[len(name) :])
        nodes: tuple[Node, ...] = (Text(name),) + marks
        parts.append((Strong(nodes),) if name == owner else nodes)
    if len(parts) == 1:
        return parts[0]
    return join(parts[:-1], text(", ")) + text(" and ") + parts[-1]


def pub(
    key: str,
    names: tuple[str, ...],
    title: str,
    venue: str,
    year: int | str,
    *,
    owner: str,
    links: tuple[tuple[str, str], ...] = (),
    number: int | None = None,
    note: str = "",
) -> PubItem:
    """A reference as the formatting stage shapes it: authors. Title. *Venue*, year."""
    body = authors(*names, owner=owner) + text(f". {title}. ") + (Emph(text(venue)),)
    return PubItem(
        key=key, text=body + text(f", {year}."), number=number, links=links, note=text(note)
    )
