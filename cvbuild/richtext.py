"""A format-neutral rich-text tree.

The formatting stage builds these nodes; each render backend maps them to its
own syntax and escapes only at the ``Text`` leaves. Nothing here is markup.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
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


@dataclass(frozen=True)
class Cite:
    """A citation by key in running text (``[@lu2024spp]``, ``[@a; @b]`` in cv.yaml).

    ``keys`` are the cited BibTeX keys; ``children`` what the reader sees: the citation
    numbers ("[1, 2]") when the works are listed after the text, the formatted works
    themselves when cited inline, the text as written until the format stage resolves it.
    Backends render the children (and may make them a link or an anchor).
    """

    keys: tuple[str, ...]
    children: tuple[Node, ...]


Node = Text | Strong | Emph | Sup | Link | Mark | Cite
RichText = tuple[Node, ...]


def text(value: str) -> RichText:
    return (Text(value),) if value else ()


# The deepest tree a backend renders as nested markup. Trees from our own formatting
# and from the inline Markdown reader stay far below it; :func:`clip` flattens anything
# deeper, so a backend's recursive mapping can never reach Python's recursion limit.
MAX_DEPTH = 32


def plain(nodes: RichText | Node) -> str:
    """The text a reader sees, without any styling (marks shown by their symbol)."""
    if type(nodes) is Text:
        return nodes.value
    if not isinstance(nodes, tuple):
        nodes = (nodes,)
    values: list[str] = []
    for n in nodes:  # the common flat case, read directly
        if type(n) is not Text:
            break
        values.append(n.value)
    else:
        return "".join(values)
    return "".join([n.value if isinstance(n, Text) else n.symbol for n in _leaves(nodes)])


_LEAF = (Text, Mark)


def _leaves(nodes: RichText) -> Iterator[Text | Mark]:
    """The Text and Mark leaves in reading order (iterative: any depth)."""
    stack: list[Iterator[Node]] = [iter(nodes)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, _LEAF):
            yield node
        else:
            stack.append(iter(node.children))


def walk(nodes: RichText) -> Iterator[Node]:
    """Every node, depth first (iterative: any depth)."""
    stack: list[Iterator[Node]] = [iter(nodes)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        yield node
        if not isinstance(node, Text | Mark):
            stack.append(iter(node.children))


def depth(nodes: RichText) -> int:
    """How many levels of styling nodes nest (0 for plain leaves)."""
    deepest = 0
    stack: list[tuple[Node, int]] = [(n, 1) for n in nodes]
    while stack:
        node, level = stack.pop()
        if isinstance(node, Text | Mark):
            continue
        deepest = max(deepest, level)
        stack.extend((c, level + 1) for c in node.children)
    return deepest


def clip(nodes: RichText, max_depth: int = MAX_DEPTH) -> RichText:
    """``nodes`` unchanged when they nest at most ``max_depth`` levels; otherwise each
    node at that level becomes one ``Text`` of what it reads (marks as their symbol)."""
    if depth(nodes) <= max_depth:
        return nodes
    return _clip(nodes, max_depth)


def _clip(nodes: RichText, levels: int) -> RichText:
    # Recursion bounded by ``levels`` (at most max_depth frames): below that, plain text.
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Text | Mark):
            out.append(node)
        else:
            inner = (Text(plain(node)),) if levels <= 1 else _clip(node.children, levels - 1)
            out.append(dataclasses.replace(node, children=inner))
    return tuple(out)


def merge_text(nodes: Iterable[Node]) -> RichText:
    """Adjacent ``Text`` leaves joined and empty ones dropped, so a tree reads simply and
    compares easily."""
    out: list[Node] = []
    run: list[str] = []  # the values of the Text leaves since the last other node
    for node in nodes:
        if isinstance(node, Text):
            if node.value:
                run.append(node.value)
            continue
        if run:
            out.append(Text(run[0] if len(run) == 1 else "".join(run)))
            run = []
        out.append(node)
    if run:
        out.append(Text(run[0] if len(run) == 1 else "".join(run)))
    return tuple(out)


def join(parts: list[RichText], sep: RichText) -> RichText:
    out: list[Node] = []
    for i, part in enumerate(parts):
        if i:
            out.extend(sep)
        out.extend(part)
    return tuple(out)
