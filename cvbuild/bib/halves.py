"""A large bibliography on two cores: its text split into blocks, and its entries built into
``Publication`` objects, each in two halves at once (this process and a forked child, see
:mod:`cvbuild.forking`). Small bibliographies, and places where forking is unsafe, take the
plain one-process path; the result is the same either way, item for item and problem for
problem, in the same order.

Splitting the text: the cut is a line that starts with ``@type{`` near the middle, outside
any braces. bibtexparser's splitter starts a new block at such a line whatever it was
reading (its recovery from an unclosed block), so the blocks of the two halves are the
blocks of the whole; line numbers of the tail count on from the lines before the cut. Where
that could still differ — a block either half could not read, a key or ``@string`` name in
both halves (a duplicate the splitter would have marked) — the whole text is split again in
one piece and that answer is used.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from cvbuild import forking as fork
from cvbuild.bib.build import build_publication
from cvbuild.bib.inherit import Resolved
from cvbuild.bib.model import Publication
from cvbuild.bib.parse import ParsedFile, split_text
from cvbuild.errors import Location, Problem

__all__ = [
    "PARALLEL_ENTRIES",
    "build_publications",
    "cut_point",
    "keys_meet",
    "split_blocks",
]

# From this many entries (in one file, or in all files for the build step) the work is
# split across two processes; below it a fork costs more than it saves.
PARALLEL_ENTRIES = 400


@functools.cache
def _cut_line() -> re.Pattern[str]:
    return re.compile(r"\n@[A-Za-z]+[ \t]*\{")


def _depth(text: str, end: int) -> int:
    """Brace depth at ``end`` as the splitter counts braces (``\\{`` and ``\\}`` are not)."""
    opened = text.count("{", 0, end) - text.count("\\{", 0, end)
    closed = text.count("}", 0, end) - text.count("\\}", 0, end)
    return opened - closed


def cut_point(text: str) -> int | None:
    """Where the tail starts: the first ``@`` line at or after the middle, at brace depth 0."""
    match = _cut_line().search(text, fork.split_at(len(text)))
    if match is None or _depth(text, match.start()) != 0:
        return None
    return match.start() + 1


def keys_meet(head: ParsedFile, tail: ParsedFile) -> bool:
    entries = {entry.key.lower() for entry in head.entries}
    if any(entry.key.lower() in entries for entry in tail.entries):
        return True
    strings = {string.name for string in head.strings}
    return any(string.name in strings for string in tail.strings)


def split_blocks(text: str, file: str) -> ParsedFile:
    """:func:`~cvbuild.bib.parse.split_text` of the whole text, two halves at once when
    it is large."""
    if text.count("\n@") < PARALLEL_ENTRIES:
        return split_text(text, file)
    cut = cut_point(text)
    if cut is None:
        return split_text(text, file)
    before = text.count("\n", 0, cut)
    tail_text = text[cut:]
    child = fork.start(lambda: split_text(tail_text, file, before))
    if child is None:
        return split_text(text, file)
    try:
        head = split_text(text[:cut], file)
    except BaseException:
        child.cancel()
        raise
    tail = child.result()
    if tail is None or head.failed_blocks or tail.failed_blocks or keys_meet(head, tail):
        return split_text(text, file)
    return ParsedFile(
        file,
        head.entries + tail.entries,
        head.strings + tail.strings,
        head.problems + tail.problems,
    )


def _build(
    items: Sequence[tuple[Resolved, Location]], start: int
) -> tuple[list[Publication], list[Problem]]:
    problems: list[Problem] = []
    built = [
        build_publication(item, location, start + index, problems)
        for index, (item, location) in enumerate(items)
    ]
    return built, problems


def build_publications(
    resolved: Sequence[tuple[Resolved, Location]], start_order: int, problems: list[Problem]
) -> list[Publication]:
    """``build_publication`` of every resolved entry in order (``order`` counting from
    ``start_order``), its problems appended to ``problems`` in that order."""
    if len(resolved) >= PARALLEL_ENTRIES:
        middle = fork.split_at(len(resolved))
        tail_items = resolved[middle:]
        child = fork.start(lambda: _build(tail_items, start_order + middle))
        if child is not None:
            try:
                head, head_problems = _build(resolved[:middle], start_order)
            except BaseException:
                child.cancel()
                raise
            done = child.result()
            if done is None:
                done = _build(tail_items, start_order + middle)
            problems.extend(head_problems)
            problems.extend(done[1])
            return head + done[0]
    built, found = _build(resolved, start_order)
    problems.extend(found)
    return built
