"""The ``bib`` stage: BibTeX files → decoded, split ``Publication`` objects plus located problems.

:func:`load_publications` runs the steps in order, each a module with one job:

1. :mod:`~cvbuild.bib.parse` — bytes → text (encoding), front matter, split into blocks
   (the only user of bibtexparser);
2. :mod:`~cvbuild.bib.macros` — ``@string`` macros and ``#`` joins (macros carry on
   from one file to the next, as in BibTeX);
3. :mod:`~cvbuild.bib.inherit` — fields inherited through ``crossref``;
4. :mod:`~cvbuild.bib.build` — decoding (:mod:`~cvbuild.bib.decode`), names
   (:mod:`~cvbuild.bib.names`), dates, category, flags, legend notes, annotations.

A large file (:data:`~cvbuild.bib.halves.PARALLEL_ENTRIES` entries or more) is read in
two halves on two cores where that is safe and a core is idle (:mod:`~cvbuild.forking`):
a file without ``@string`` or ``crossref`` goes from text to ``Publication`` in each half
at once (:mod:`~cvbuild.bib.load`), any other is split and built in halves
(:mod:`~cvbuild.bib.halves`). The result is the same, problem for problem.

Sources are paths or :class:`~cvbuild.bib.load.BibText` (text in memory with a display
name, for fetched answers: no temporary files). A bad block, a duplicate key or field, an undefined macro is a warning located at
``file:line``; every other entry still builds. A missing file is an error problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cvbuild.bib.load import BibText
    from cvbuild.bib.model import Publication
    from cvbuild.errors import Problem

__all__ = ["load_publications", "load_text"]


def load_text(
    text: str, name: str, *, start_order: int = 0
) -> tuple[list[Publication], list[Problem]]:
    """Like :func:`load_publications` for one BibTeX text held in memory; ``name`` is shown
    where a file name would be."""
    from cvbuild.bib.load import BibText

    return load_publications([BibText(text, name)], start_order=start_order)


def load_publications(
    paths: Sequence[Path | BibText], *, start_order: int = 0
) -> tuple[list[Publication], list[Problem]]:
    """Every entry of every file, decoded and split, plus located problems.

    The steps (and bibtexparser) are imported only here, so that the package's models
    can be used on start-up paths, such as an unchanged rebuild, at no cost.
    """
    from cvbuild.bib.load import load_publications as load

    return load(paths, start_order=start_order)
