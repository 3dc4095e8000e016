"""``@string`` macros and ``#`` concatenation: a BibTeX value expression → its text.

A field value as written is a ``#``-joined list of parts: ``{braced}``, ``"quoted"``,
a bare number, or a macro name. Macro names are case-insensitive, may refer to other
macros, and ``jan`` … ``dec`` are predefined (as in plain BibTeX). The result is the
text between the delimiters, LaTeX still in it (decoding is the next step).

An undefined macro is reported (once per use) and kept as its own name, so nothing is
lost. ADS-style ``{\\mnras}`` is not a BibTeX macro (it is a LaTeX command inside
braces) and is left to :mod:`cvbuild.bib.decode`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from cvbuild.bib.parse import RawString
from cvbuild.errors import Problem, warning

__all__ = ["MONTH_MACROS", "build_macros", "resolve", "split_parts"]

MONTH_MACROS: dict[str, str] = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}

# (kind, text): kind is "text" for braced/quoted/number parts, "macro" for a name.
Part = tuple[str, str]


_BRACE_MARKS = re.compile(r"\\.|[{}]", re.S)
_QUOTE_MARKS = re.compile(r'\\.|[{}"]', re.S)


def _scan_braced(expr: str, start: int) -> int:
    """Index just past the ``}`` closing the ``{`` at ``start`` (or the end of text)."""
    depth = 0
    for m in _BRACE_MARKS.finditer(expr, start):
        ch = m.group()
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return m.end()
    return len(expr)


def _scan_quoted(expr: str, start: int) -> int:
    """Index just past the ``"`` closing the quote at ``start``; braces protect quotes."""
    depth = 0
    for m in _QUOTE_MARKS.finditer(expr, start + 1):
        ch = m.group()
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == '"' and depth == 0:
            return m.end()
    return len(expr)


def split_parts(expr: str) -> list[Part]:
    """Split a value expression at its top-level ``#`` into text and macro parts."""
    parts: list[Part] = []
    i, n = 0, len(expr)
    while i < n:
        ch = expr[i]
        if ch.isspace() or ch == "#":
            i += 1
            continue
        if ch == "{":
            end = _scan_braced(expr, i)
            inner_end = end - 1 if end <= n and expr[end - 1 : end] == "}" else end
            parts.append(("text", expr[i + 1 : inner_end]))
            i = end
        elif ch == '"':
            end = _scan_quoted(expr, i)
            inner_end = end - 1 if expr[end - 1 : end] == '"' and end - 1 > i else end
            parts.append(("text", expr[i + 1 : inner_end]))
            i = end
        else:
            j = i
            while j < n and expr[j] not in '#{"' and not expr[j].isspace():
                j += 1
            word = expr[i:j]
            parts.append(("text", word) if word.isdigit() else ("macro", word))
            i = j
    return parts


def resolve(
    expr: str,
    macros: Mapping[str, str],
    on_undefined: Callable[[str], None] | None = None,
) -> str:
    """The text of a value expression, macros expanded and ``#`` parts joined."""
    if expr[:1] == "{" and expr[-1:] == "}" and _scan_braced(expr, 0) == len(expr):
        return expr[1:-1]  # the common case: one braced value
    out: list[str] = []
    for kind, text in split_parts(expr):
        if kind == "text":
            out.append(text)
            continue
        name = text.lower()
        if name in macros:
            out.append(macros[name])
        elif name in MONTH_MACROS:
            out.append(MONTH_MACROS[name])
        else:
            if on_undefined is not None:
                on_undefined(text)
            out.append(text)
    return "".join(out)


def build_macros(
    strings: Iterable[RawString],
    problems: list[Problem],
    inherited: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Macro table from ``@string`` blocks in file order; later ones may use earlier ones.

    A macro referring to one defined later in the file is resolved too; a cycle or an
    undefined name is reported at the ``@string`` and kept as the name.
    """
    macros: dict[str, str] = dict(inherited or {})
    pending = {s.name: s for s in strings}
    resolving: set[str] = set()

    def define(s: RawString) -> str:
        if s.name in resolving:
            problems.append(
                warning(
                    s.location,
                    f"@string '{s.name}' refers to itself through other macros",
                    "define it with a plain value in braces",
                )
            )
            return s.name
        resolving.add(s.name)

        def undefined(name: str) -> None:
            key = name.lower()
            if key in pending and key not in macros and key != s.name:
                return
            problems.append(
                warning(
                    s.location,
                    f"@string '{s.name}' uses '{name}', which is not defined; kept as the text '{name}'",
                    f"add @string{{{name} = {{...}}}} before it, or write the text in braces",
                )
            )

        # Resolve forward references first.
        for kind, text in split_parts(s.value):
            key = text.lower()
            if kind == "macro" and key in pending and key not in macros and key != s.name:
                macros[key] = define(pending[key])
        value = resolve(s.value, macros, undefined)
        resolving.discard(s.name)
        return value

    for s in strings:
        macros[s.name] = define(s)
    return macros
