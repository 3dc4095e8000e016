"""Where a CV's items landed in the PDF, read from the ``.aux``, and what that says about
how many must be dropped to fit ``max_pages``.

The themes (``styles/cvbuild-base.sty``) write one line per publication, entry and item
when its page is shipped, ``\\cvbfitpos{kind}{page}{y}`` (kind ``p``, ``e`` or ``i``; the
page's place in the PDF; the baseline of its first line in sp from the bottom of the
page), and one ``\\cvbfitframe{top}{height}`` for the text block. :func:`read_marks` reads
them; :func:`blocks_of` lists what a document made from some sections shows, in the order
it is typeset, so the n-th mark is the n-th block; :func:`estimate_drops` says how many of
the drop candidates must go, at the least, for the text to end on page ``max_pages``.

The estimate is meant to be optimistic (the least that measuring allows): each dropped
block frees the distance from its first line to the next block's (its own height and the
space after it), a group or section whose blocks are all dropped frees its heading too,
the lines of the pages after ``max_pages`` must find room, and the space below the last
line of every page up to ``max_pages`` is counted as room. The page breaks of the shorter document then decide whether it fits;
the caller compiles it to find out and, when it does not, estimates again from that
compile's marks. Nothing here runs TeX or trusts the ``.aux`` further than its syntax: a
file with missing, extra or foreign marks gives ``None`` and the caller bisects instead.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from cvbuild.select import SelectedSection

_POS = re.compile(rb"^\\cvbfitpos\{([pei])\}\{(\d{1,6})\}\{(-?\d{1,12})\}$", re.M)
_FRAME = re.compile(rb"^\\cvbfitframe\{(-?\d{1,12})\}\{(\d{1,12})\}$", re.M)
_KIND = {"publications": "p", "entries": "e", "items": "i"}


@dataclass(frozen=True)
class Mark:
    kind: str  # "p" (publication), "e" (entry), "i" (item)
    page: int  # 1-based place in the PDF
    y: int  # baseline of the first line, sp from the bottom of the page


@dataclass(frozen=True)
class Marks:
    top: int  # top of the text block, sp from the bottom of the page
    height: int  # height of the text block, sp
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Block:
    """One publication, entry or item as the document shows it."""

    kind: str  # "p", "e", "i"
    section_index: int  # as in DropStep
    position: tuple[int, ...]  # as in DropStep
    group: tuple[int, ...]  # (section,) or (section, group): what shares one heading


def read_marks(aux: Mapping[str, bytes]) -> Marks | None:
    """The marks of the ``.aux`` files of one compile (``None`` when there are none)."""
    for name in sorted(aux):
        if not name.endswith(".aux"):
            continue
        data = aux[name]
        frame = _FRAME.search(data)
        if frame is None:
            continue
        marks = tuple(
            Mark(kind.decode(), int(page), int(y)) for kind, page, y in _POS.findall(data)
        )
        top, height = int(frame.group(1)), int(frame.group(2))
        if height <= 0 or any(m.page < 1 or m.y < 0 for m in marks):
            return None
        return Marks(top, height, marks)
    return None


def blocks_of(
    sections: Sequence[SelectedSection], dropped: Collection[tuple[int, tuple[int, ...]]] = ()
) -> list[Block]:
    """The blocks a document made from ``sections`` shows, less ``dropped`` ones
    ((section index, position) pairs, as DropStep has them), in reading order."""
    gone = set(dropped)
    out: list[Block] = []
    for s_index, selected in enumerate(sections):
        section = selected.section
        kind = _KIND.get(section.kind)
        if kind == "p":
            for g_index, group in enumerate(selected.groups):
                for e_index in range(len(group.entries)):
                    if (s_index, (g_index, e_index)) not in gone:
                        out.append(Block("p", s_index, (g_index, e_index), (s_index, g_index)))
        elif kind == "e":
            for i in range(len(section.entries)):
                if (s_index, (i,)) not in gone:
                    out.append(Block("e", s_index, (i,), (s_index,)))
        elif kind == "i":
            for i in range(len(section.items)):
                if (s_index, (i,)) not in gone:
                    out.append(Block("i", s_index, (i,), (s_index,)))
    return out


def _median(values: Sequence[int], default: int = 0) -> int:
    return int(statistics.median(values)) if values else default


Key = tuple[int, tuple[int, ...]]  # (section index, position), as DropStep has them


class Layout:
    """One compile's marks matched to the blocks of its document."""

    def __init__(self, marks: Marks, blocks: Sequence[Block], pages: int) -> None:
        self.blocks, self.pages, self.height = list(blocks), pages, marks.height
        self.page = [m.page for m in marks.marks]
        depth = [marks.top - m.y for m in marks.marks]  # from the top of the text block
        n = len(self.blocks)
        # Each block's own height with the space after it: to the next block of its group
        # on the same page; the last of a group or of a page gets the median of its group
        # (else of its kind). A group's heading: the rest of the gap from the block before.
        own: list[int | None] = [None] * n
        for i in range(n - 1):
            if self.page[i] == self.page[i + 1] and blocks[i].group == blocks[i + 1].group:
                own[i] = max(0, depth[i + 1] - depth[i])
        by_group: dict[tuple[int, ...], list[int]] = {}
        by_kind: dict[str, list[int]] = {}
        for i, value in enumerate(own):
            if value is not None:
                by_group.setdefault(blocks[i].group, []).append(value)
                by_kind.setdefault(blocks[i].kind, []).append(value)
        self.pitch = [
            value
            if value is not None
            else _median(
                by_group.get(blocks[i].group, ()), _median(by_kind.get(blocks[i].kind, ()))
            )
            for i, value in enumerate(own)
        ]
        self.heading: dict[tuple[int, ...], int] = {}
        for i in range(1, n):
            if blocks[i].group != blocks[i - 1].group and self.page[i] == self.page[i - 1]:
                gap = depth[i] - depth[i - 1] - self.pitch[i - 1]
                self.heading[blocks[i].group] = max(0, gap)
        self.typical_heading = _median(list(self.heading.values()))
        # Per page: the baseline of its last line (a block's first line, then its height
        # less one line of its group: the shortest block there), its first block's depth
        # and the step from its last block to whatever comes next.
        short = {g: min(v) for g, v in by_group.items()}
        short_kind = {k: min(v) for k, v in by_kind.items()}
        self.last: dict[int, int] = {}
        self.first: dict[int, int] = {}
        self.step: dict[int, int] = {}
        for i, page in enumerate(self.page):
            line = short.get(blocks[i].group, short_kind.get(blocks[i].kind, self.pitch[i]))
            self.last[page] = max(self.last.get(page, 0), depth[i] + max(0, self.pitch[i] - line))
            self.first[page] = min(self.first.get(page, depth[i]), depth[i])
            self.step[page] = self.pitch[i]  # the blocks come in reading order
        later = [depth for page, depth in self.first.items() if page > 1]
        self.top = min(later) if later else 0  # a first baseline at the top of a page
        self.index = {(b.section_index, b.position): i for i, b in enumerate(self.blocks)}
        self.size: dict[tuple[int, ...], int] = {}
        for block in self.blocks:
            self.size[block.group] = self.size.get(block.group, 0) + 1

    @classmethod
    def match(cls, marks: Marks, blocks: Sequence[Block], pages: int) -> Layout | None:
        """The layout, or ``None`` when the marks are not those of ``blocks``."""
        if len(marks.marks) != len(blocks) or any(
            m.kind != b.kind or m.page > pages for m, b in zip(marks.marks, blocks, strict=True)
        ):
            return None
        return cls(marks, blocks, pages)

    def room(self, max_pages: int) -> int:
        """The space below the last line of the pages up to ``max_pages``."""
        return sum(
            max(0, self.height - self.last.get(p, self.height)) for p in range(1, max_pages + 1)
        )

    def beyond(self, max_pages: int) -> int:
        """What is typeset after page ``max_pages``: each later page's lines with the step
        that would join them to the page before (a page without marks counts as full)."""
        return sum(
            self.last[p] - self.top + self.step.get(p - 1, 0) if p in self.last else self.height
            for p in range(max_pages + 1, self.pages + 1)
        )

    def freed(self, keys: Sequence[Key]) -> list[int] | None:
        """The space freed by dropping ``keys`` one after another (running totals), a
        group's heading with its last block; ``None`` if a key is not in the layout."""
        left = dict(self.size)
        total, out = 0, []
        for key in keys:
            i = self.index.get(key)
            if i is None:
                return None
            total += self.pitch[i]
            group = self.blocks[i].group
            left[group] -= 1
            if not left[group]:
                total += self.heading.get(group, self.typical_heading)
            out.append(total)
        return out


def estimate_drops(layout: Layout, candidates: Sequence[Key], max_pages: int) -> int | None:
    """How many of ``candidates`` (blocks of ``layout``, in drop order) must go, at the
    least, for the text to end on page ``max_pages``: ``len(candidates) + 1`` when even
    all of them are not enough, ``None`` when a candidate is not in the layout."""
    if layout.pages <= max_pages:
        return 0
    need = layout.beyond(max_pages) - layout.room(max_pages)
    freed = layout.freed(candidates)
    if freed is None:
        return None
    return next((k for k, value in enumerate(freed, start=1) if value >= need), len(freed) + 1)


def estimate_restores(
    fitted: Layout, before: Layout, dropped: Sequence[Key], max_pages: int
) -> int:
    """How many of the last ``dropped`` blocks (as measured in ``before``, a longer layout
    that showed them) would fit again into the room ``fitted`` leaves on its pages, a
    group that comes back bringing its heading."""
    room = fitted.room(max_pages)
    total = count = 0
    back: set[tuple[int, ...]] = set()
    for key in reversed(dropped):
        i = before.index.get(key)
        if i is None:
            break
        total += before.pitch[i]
        group = before.blocks[i].group
        if group not in fitted.size and group not in back:
            back.add(group)
            total += before.heading.get(group, before.typical_heading)
        if total > room:
            break
        count += 1
    return count
