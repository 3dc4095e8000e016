"""Where each ``[@key]`` of a text section stands in cv.yaml, to the line and column.

The reader knows where a text value starts; a block scalar (``text: |``) puts its
lines below that, and a folded or quoted one joins them, so the citation is looked up
as written in the file's lines from the value's line on, in reading order.
"""

from __future__ import annotations

import dataclasses
import functools

from cvbuild.config.model import Citation, Section
from cvbuild.errors import Location


def locate(section: Section, source: str) -> Section:
    """``section`` with each citation at its own ``line:col`` in ``source`` (the text of
    cv.yaml); one that cannot be found keeps the text's location."""
    if not section.cites:
        return section
    lines = _lines(source)
    placed: list[Citation] = []
    row, col = 0, 0  # where the search goes on (0-based), so equal citations move on
    for cite in section.cites:
        start = max(cite.where.line - 1, 0)
        if (row, col) < (start, 0):
            row, col = start, 0
        found = _find(lines, cite.written, row, col)
        if found is None:
            found = _find(lines, cite.written, start, 0)  # another language's text
        if found is None:
            placed.append(cite)
            continue
        row, col = found[0], found[1] + len(cite.written)
        where = Location(cite.where.file, found[0] + 1, found[1] + 1)
        placed.append(dataclasses.replace(cite, where=where))
    return dataclasses.replace(section, cites=tuple(placed))


@functools.lru_cache(maxsize=1)
def _lines(source: str) -> list[str]:
    """The file's lines, split once for all its text sections (a str keeps its hash)."""
    return source.splitlines()


MAX_LINES_AFTER = 2000  # how far below its text a citation is looked for


def _find(lines: list[str], written: str, row: int, col: int) -> tuple[int, int] | None:
    for index in range(row, min(len(lines), row + MAX_LINES_AFTER)):
        at = lines[index].find(written, col if index == row else 0)
        if at >= 0:
            return index, at
    return None
