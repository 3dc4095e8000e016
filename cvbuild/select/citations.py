"""Citations by key in text sections (``[@key]``): the keys the bibliographies lack.

A text section cites the entries of the config's bibliographies, those its
publications sections name, whichever entries those sections select."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from cvbuild.config.types import suggest
from cvbuild.errors import Problem, error

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication
    from cvbuild.config.model import CV


MAX_SUGGESTIONS = 20


def bib_names(cv: CV) -> list[str]:
    """The names of the config's bibliography files, in order, once each."""
    names: dict[str, None] = {}
    for section in cv.sections:
        if section.publications is not None:
            names.update((p.name, None) for p in section.publications.bib)
    return list(names)


def cite_problems(cv: CV, pubs: Mapping[int, list[Publication]]) -> list[Problem]:
    """One located error per cited key that no bibliography of the config holds."""
    cites = [(s, c) for s in cv.sections for c in s.cites]
    if not cites:
        return []
    known: set[str] = {p.key for found in pubs.values() for p in found}
    choices = sorted(known)
    files = bib_names(cv)
    shown = " or ".join(files)
    problems: list[Problem] = []
    for _section, cite in cites:
        for key in cite.keys:
            if key in known:
                continue
            what = cite.written if len(cite.keys) == 1 else f"@{key} in {cite.written}"
            if not files:
                problems.append(
                    error(
                        cite.where,
                        f"{what} cites no entry: the CV has no publications section",
                        "add a section with 'publications: {bib: publications.bib}'; "
                        "text sections cite the entries of its bibliography",
                    )
                )
                continue
            # a "did you mean" for the first few only: each one compares with every key
            guess = suggest(key, choices) if len(problems) < MAX_SUGGESTIONS else None
            hint = (
                f"did you mean [@{guess}]?"
                if guess
                else f"use a key of {shown}, or add the entry there"
            )
            problems.append(error(cite.where, f"{what} cites no entry of {shown}", hint))
    return problems
