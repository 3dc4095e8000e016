"""A format-neutral rich-text tree.

The formatting stage builds these nodes; each render backend maps them to its
own syntax and escapes only at the ``Text`` leaves. Nothing here is markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    value: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Emph:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Sup:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Mark:
    """An author mark that refers to a legend footnote.

    ``kind`` is a key of ``Document.legends`` ("equal", "corresponding");
    ``symbol`` is what the reader sees ("*", "†"). Backends decide how the
    legend becomes a footnote (per page in PDF, per section in DOCX, ...).
    """

    kind: str
    symbol: str


Node = Text | Strong | Emph | Sup | Link | Mark
RichText = tuple[Node, ...]


def text(value: str) -> RichText:
    return (Text(value),) if value else ()


def plain(nodes: RichText | Node) -> str:
    """The text a reader sees, without any styling (marks shown by their symbol)."""
    if not isinstance(nodes, tuple):
        nodes = (nodes,)
    return "".join(_plain(n) for n in nodes)


def _plain(node: Node) -> str:
    if isinstance(node, Text):
        return node.value
    if isinstance(node, Mark):
        return node.symbol
    return "".join(_plain(c) for c in node.children)


def walk(nodes: RichText) -> Iterator[Node]:
    """Every node, depth first."""
    for node in nodes:
        yield node
        if not isinstance(node, Text | Mark):
            yield from walk(node.children)


def join(parts: list[RichText], sep: RichText) -> RichText:
    out: list[Node] = []
    for i, part in enumerate(parts):
        if i:
            out.extend(sep)
        out.extend(part)
    return tuple(out)
