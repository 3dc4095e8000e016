"""The ``bib`` stage: BibTeX files → decoded, split ``Publication`` objects plus located problems.

:func:`load_publications` runs the steps in order, each a module with one job:

1. :mod:`~cvbuild.bib.parse` — bytes → text (encoding), front matter, split into blocks
   (the only user of bibtexparser);
2. :mod:`~cvbuild.bib.macros` — ``@string`` macros and ``#`` joins (macros carry on
   from one file to the next, as in BibTeX);
3. :mod:`~cvbuild.bib.crossref` — fields inherited through ``crossref``;
4. :mod:`~cvbuild.bib.build` — decoding (:mod:`~cvbuild.bib.decode`), names
   (:mod:`~cvbuild.bib.names`), dates, category, flags, legend notes, annotations.

A bad block, a duplicate key or field, an undefined macro is a warning located at
``file:line``; every other entry still builds. A missing file is an error problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication
    from cvbuild.errors import Problem

__all__ = ["load_publications"]


def load_publications(
    paths: Sequence[Path], *, start_order: int = 0
) -> tuple[list[Publication], list[Problem]]:
    """Every entry of every file, decoded and split, plus located problems.

    The steps (and bibtexparser) are imported only here, so that the package's models
    can be used on start-up paths, such as an unchanged rebuild, at no cost.
    """
    from cvbuild.bib.load import load_publications as load

    return load(paths, start_order=start_order)
