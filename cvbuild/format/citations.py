"""Narrative text that cites by key (``[@lu2024spp]``, ``[@a; @b]``): each cited work is
formatted by the one publication formatter (owner bold, marks, author limits) and the
citation becomes data in the text block.

- ``list`` (the default): a citation reads ``[1]`` or ``[1, 2]``, numbered in the order
  the text first cites each work, and the works follow the text as a numbered list
  (``SectionBlock.references``).
- ``inline``: a citation reads the formatted works themselves, in parentheses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cvbuild.config.inline import parse_inline
from cvbuild.document import PubItem
from cvbuild.format.urls import safe_links
from cvbuild.richtext import Cite, Emph, Link, Node, RichText, Strong, Sup, Text, join

CITATION_MODES = ("list", "inline")


def cited_paragraphs(
    text: str,
    format_work: Callable[[str, int | None], PubItem | None],
    mode: str = "list",
) -> tuple[tuple[RichText, ...], tuple[PubItem, ...]]:
    """The paragraphs of a text section with their citations resolved, and the numbered
    list of the cited works (empty when cited ``inline``). ``format_work(key, number)``
    formats one work, None for a key that no bibliography holds (the check has reported
    it; its citation stays as written)."""
    numbers: dict[str, int] = {}
    listed: list[PubItem] = []
    inline: dict[str, PubItem | None] = {}

    def number_of(key: str) -> int | None:
        if key not in numbers:
            item = format_work(key, len(listed) + 1)
            if item is None:
                return None
            numbers[key] = len(listed) + 1
            listed.append(item)
        return numbers[key]

    def shown(cite: Cite) -> RichText:
        if mode == "inline":
            works = []
            for key in cite.keys:
                if key not in inline:
                    inline[key] = format_work(key, None)
                item = inline[key]
                if item is None:
                    return cite.children
                works.append(_without_end_stop(item.text))
            return (Text("("), *join(works, (Text("; "),)), Text(")"))
        found = [number_of(key) for key in cite.keys]
        nums = sorted({n for n in found if n is not None})
        if len(nums) < len(set(found)) or None in found:
            return cite.children
        return (Text("[" + ", ".join(str(n) for n in nums) + "]"),)

    paragraphs = tuple(
        _resolve(safe_links(parse_inline(p.strip(), cites=True)), shown)
        for p in text.split("\n\n")
        if p.strip()
    )
    return paragraphs, tuple(listed) if mode != "inline" else ()


def _without_end_stop(text: RichText) -> RichText:
    """A reference without its closing full stop, to sit inside parentheses."""
    if text and isinstance(text[-1], Text) and text[-1].value.endswith("."):
        return (*text[:-1], Text(text[-1].value[:-1]))
    return text


def _resolve(nodes: RichText, shown: Callable[[Cite], RichText]) -> RichText:
    # Recursive over the inline parser's tree, which nests at most a few levels.
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Cite):
            out.append(Cite(node.keys, shown(node)))
        elif isinstance(node, Strong | Emph | Sup):
            out.append(type(node)(_resolve(node.children, shown)))
        elif isinstance(node, Link):
            out.append(Link(node.url, _resolve(node.children, shown)))
        else:
            out.append(node)
    return tuple(out)


def ids_text(fields: Sequence[tuple[str, str]]) -> RichText:
    """ "PMID: 123; PMCID: PMC456" for the identifiers an entry has, in the order asked
    (the labels are the identifiers' names, the same in every language)."""
    parts = [f"{name}: {value}" for name, value in fields if value]
    return (Text("; ".join(parts)),) if parts else ()
