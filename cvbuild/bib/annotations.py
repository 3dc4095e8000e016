"""biblatex name annotations: ``author+an = {1=equal; 2=corresponding}``.

Each item is ``POSITION[:PART[:COUNT]]=ANNOTATION[,ANNOTATION…]``, items separated by
``;``. The ``equal`` and ``corresponding`` annotations (and a few spellings of them)
become marks on the 1-based ``POSITION``'s Name, and so does ``student`` (also ``mentee``,
``supervised``, ``advisee``: a student the owner mentored, ``STUDENT``); others
(``highlight``, ``me`` …) are not marks and are ignored.
"""

from __future__ import annotations

import dataclasses
import re

from cvbuild.bib.model import CORRESPONDING, EQUAL, Name

__all__ = ["STUDENT", "apply_name_annotations", "parse_name_annotations"]

# A mark kind beside ``EQUAL`` and ``CORRESPONDING``: the owner's student or mentee.
STUDENT = "student"

_KINDS: dict[str, str] = {
    "equal": EQUAL,
    "equalcontrib": EQUAL,
    "equal-contribution": EQUAL,
    "equalcontribution": EQUAL,
    "equal_contribution": EQUAL,
    "cofirst": EQUAL,
    "co-first": EQUAL,
    "joint": EQUAL,
    "corresponding": CORRESPONDING,
    "corr": CORRESPONDING,
    "corresponding-author": CORRESPONDING,
    "correspondingauthor": CORRESPONDING,
    "student": STUDENT,
    "mentee": STUDENT,
    "supervised": STUDENT,
    "advisee": STUDENT,
}
_ITEM = re.compile(r"^\s*(\d+)\s*(?::[^=]*)?=\s*(.*?)\s*$", re.S)


def parse_name_annotations(value: str) -> tuple[dict[int, frozenset[str]], list[str]]:
    """Marks by 1-based position, and the items that could not be read."""
    marks: dict[int, set[str]] = {}
    bad: list[str] = []
    for item in value.split(";"):
        if not item.strip():
            continue
        m = _ITEM.match(item)
        if not m:
            bad.append(item.strip())
            continue
        position = int(m.group(1))
        for word in m.group(2).split(","):
            kind = _KINDS.get(word.strip().strip("\"'").lower())
            if kind:
                marks.setdefault(position, set()).add(kind)
    return {pos: frozenset(kinds) for pos, kinds in marks.items()}, bad


def apply_name_annotations(
    names: list[Name], marks: dict[int, frozenset[str]]
) -> tuple[list[Name], list[int]]:
    """Names with the marks added, and the positions that name no author."""
    out = list(names)
    missing: list[int] = []
    for position, kinds in sorted(marks.items()):
        if 1 <= position <= len(out):
            name = out[position - 1]
            out[position - 1] = dataclasses.replace(name, marks=name.marks | kinds)
        else:
            missing.append(position)
    return out, missing
