"""Turn a BibTeX response body into ``Publication`` objects.

The real work is ``cvbuild.bib.load_publications`` (the bib stage owns parsing and LaTeX
decoding); it reads files, so the body goes through a temporary file. Until that function
exists, a small reader of our own (``_fallback``) handles the plain entries sources send, so
that ``refresh`` stays usable; it does no LaTeX decoding beyond dropping braces.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from cvbuild.bib.model import Publication
from cvbuild.errors import Location, Problem, warning


def looks_like_bibtex(text: str) -> bool:
    return re.search(r"@\s*[A-Za-z]+\s*[{(]", text) is not None


def parse_bibtex(text: str, origin: str) -> tuple[list[Publication], list[Problem]]:
    """Parse ``text`` (a response body); ``origin`` names it in problems (a URL)."""
    try:
        from cvbuild.bib import load_publications  # type: ignore[attr-defined]
    except ImportError:  # the bib loader is not there yet
        return _fallback(text, origin)
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


def _read_value(text: str, pos: int) -> tuple[str, int]:
    """One value starting at ``pos`` (braced, quoted, number or macro, ``#``-joined)."""
    parts: list[str] = []
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        char = text[pos]
        if char == "{":
            depth, start = 0, pos
            while pos < len(text):
                if text[pos] == "\\":
                    pos += 2
                    continue
                if text[pos] == "{":
                    depth += 1
                elif text[pos] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                pos += 1
            parts.append(text[start + 1 : pos])
            pos += 1
        elif char == '"':
            end = pos + 1
            depth = 0
            while end < len(text) and not (text[end] == '"' and depth == 0):
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                end += 1
            parts.append(text[pos + 1 : end])
            pos = end + 1
        else:
            match = re.match(r"[^,#}\s)]+", text[pos:])
            word = match.group(0) if match else ""
            parts.append(word)
            pos += max(len(word), 1)
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos < len(text) and text[pos] == "#":
            pos += 1
            continue
        break
    return "".join(parts), pos


def _plain(value: str) -> str:
    value = re.sub(r"\\([{}%$&#_])", r"\1", value)
    return " ".join(value.replace("{", "").replace("}", "").split())


def _fallback(text: str, origin: str) -> tuple[list[Publication], list[Problem]]:
    from cvbuild.bib.names import parse_names

    pubs: list[Publication] = []
    problems: list[Problem] = []
    for match in _ENTRY.finditer(text):
        entry_type, key = match.group(1).lower(), match.group(3)
        if entry_type in ("comment", "string", "preamble"):
            continue
        line = text.count("\n", 0, match.start()) + 1
        pos = match.end()
        fields: dict[str, str] = {}
        while pos < len(text):
            field = re.match(r"\s*([A-Za-z][\w\-+.:]*)\s*=\s*", text[pos:])
            if not field:
                break
            value, pos = _read_value(text, pos + field.end())
            name = field.group(1).lower()
            fields[name] = value if name in ("author", "editor") else _plain(value)
            rest = re.match(r"\s*,?", text[pos:])
            pos += rest.end() if rest else 0
        if not fields:
            problems.append(warning(Location(origin, line), f"entry '{key}' has no fields"))
            continue
        authors, et_al = parse_names(fields.get("author", ""))
        editors, _ = parse_names(fields.get("editor", ""))
        year_text = fields.get("year", "")
        year = int(year_text) if year_text.isdigit() else None
        pubs.append(
            Publication(
                key=key,
                entry_type=entry_type,
                fields=fields,
                authors=authors,
                editors=editors,
                et_al=et_al,
                year=year,
                year_label=None if year is not None or not year_text else year_text,
                location=Location(origin, line),
                order=len(pubs),
            )
        )
    return pubs, problems
