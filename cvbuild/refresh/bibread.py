"""Turn a BibTeX response body into ``Publication`` objects.

The real work is ``cvbuild.bib.load_publications`` (the bib stage owns parsing and LaTeX
decoding); it reads files, so the body goes through a temporary file.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from cvbuild.bib.model import Publication
from cvbuild.errors import Location, Problem


def looks_like_bibtex(text: str) -> bool:
    return re.search(r"@\s*[A-Za-z]+\s*[{(]", text) is not None


def parse_bibtex(text: str, origin: str) -> tuple[list[Publication], list[Problem]]:
    """Parse ``text`` (a response body); ``origin`` names it in problems (a URL)."""
    from cvbuild.bib import load_publications

    with tempfile.TemporaryDirectory(prefix="cvbuild-refresh-") as tmp:
        path = Path(tmp) / "response.bib"
        path.write_text(text, encoding="utf-8")
        pubs, problems = load_publications([path])
    relocated = [
        Problem(Location(origin, p.location.line, p.location.col), p.message, p.hint, p.severity)
        for p in problems
    ]
    for pub in pubs:
        pub.location = Location(origin, pub.location.line)
    return pubs, relocated


_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])\s*([^,\s]*)\s*,", re.DOTALL)
