"""``@string`` macros and ``#`` concatenation: a BibTeX value expression → its text.

A field value as written is a ``#``-joined list of parts: ``{braced}``, ``"quoted"``,
a bare number, or a macro name. Macro names are case-insensitive, may refer to other
macros, and ``jan`` … ``dec`` are predefined (as in plain BibTeX). The result is the
text between the delimiters, LaTeX still in it (decoding is the next step).

An undefined macro is reported (once per use) and kept as its own name, so nothing is
lost.

Expansion is bounded (``@string{s1 = s0 # s0}`` forty times over would be terabytes):

- a value — a macro's or a field's — longer than :data:`MAX_VALUE` characters once
  expanded raises :class:`ValueTooLarge` instead of being built; a macro that would be
  that long is left out of the table and remembered, so that a field using it is
  reported (the ``bib`` stage skips that entry) while every other entry builds;
- macros may refer to macros defined later only :data:`MAX_DEPTH` levels deep;
- all the text macros add to one load is capped at :data:`MAX_TOTAL` characters. ADS-style ``{\\mnras}`` is not a BibTeX macro (it is a LaTeX command inside
braces) and is left to :mod:`cvbuild.bib.decode`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from cvbuild.bib.parse import RawString
from cvbuild.errors import Problem, warning

__all__ = [
    "MAX_DEPTH",
    "MAX_TOTAL",
    "MAX_VALUE",
    "MONTH_MACROS",
    "MacroTable",
    "ValueTooLarge",
    "build_macros",
    "resolve",
    "split_parts",
]

MAX_VALUE = 1_000_000  # characters in one expanded value
MAX_DEPTH = 32  # levels of macros that use macros defined later in the file
MAX_TOTAL = 16_000_000  # characters all macro uses of one load may add


class ValueTooLarge(Exception):
    """An expanded value would pass a limit; ``macro`` names the macro that took it there
    (empty when the text itself is too long), ``size`` is how long it would be."""

    def __init__(self, macro: str, size: int, limit: int) -> None:
        super().__init__(macro, size, limit)
        self.macro = macro
        self.size = size
        self.limit = limit


class MacroTable(dict[str, str]):
    """The macro table (name → text), plus the macros left out because they expand past
    :data:`MAX_VALUE` (name → size), and how much text macro uses have added so far."""

    def __init__(self, *args: Mapping[str, str]) -> None:
        super().__init__(*args)
        self.too_large: dict[str, int] = {}
        self.added = 0
        if args and isinstance(args[0], MacroTable):
            self.too_large.update(args[0].too_large)
            self.added = args[0].added


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


def _plain_inside(expr: str) -> bool:
    """``{…}`` with no brace or backslash inside: its braces close each other (the test
    :func:`_scan_braced` makes, done by three searches in C)."""
    inner = expr[1:-1]
    return "{" not in inner and "}" not in inner and "\\" not in inner


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
    *,
    limit: int = MAX_VALUE,
) -> str:
    """The text of a value expression, macros expanded and ``#`` parts joined.

    Raises :class:`ValueTooLarge` when the text would be longer than ``limit``, when it
    uses a macro that was too large to define, or when the load's macro text runs past
    :data:`MAX_TOTAL`; the size is counted before any text is built.
    """
    if (
        expr[:1] == "{"
        and expr[-1:] == "}"
        and (_plain_inside(expr) or _scan_braced(expr, 0) == len(expr))
    ):
        if len(expr) - 2 > limit:
            raise ValueTooLarge("", len(expr) - 2, limit)
        return expr[1:-1]  # the common case: one braced value
    too_large: Mapping[str, int] = getattr(macros, "too_large", {})
    out: list[str] = []
    size = 0
    added = 0
    for kind, text in split_parts(expr):
        used = ""
        if kind == "macro":
            used, name = text, text.lower()
            if name in too_large:
                raise ValueTooLarge(used, too_large[name], MAX_VALUE)
            if name in macros:
                text = macros[name]
                added += len(text)
            elif name in MONTH_MACROS:
                text = MONTH_MACROS[name]
            elif on_undefined is not None:
                on_undefined(text)
        size += len(text)
        if size > limit:
            raise ValueTooLarge(used, size, limit)
        out.append(text)
    if isinstance(macros, MacroTable) and added:
        if macros.added + added > MAX_TOTAL:
            raise ValueTooLarge(
                next((t for k, t in split_parts(expr) if k == "macro"), ""),
                macros.added + added,
                MAX_TOTAL,
            )
        macros.added += added
    return "".join(out)


def build_macros(
    strings: Iterable[RawString],
    problems: list[Problem],
    inherited: Mapping[str, str] | None = None,
) -> MacroTable:
    """Macro table from ``@string`` blocks in file order; later ones may use earlier ones.

    A macro referring to one defined later in the file is resolved too (at most
    :data:`MAX_DEPTH` levels of such references); a cycle, a chain too deep or an
    undefined name is reported at the ``@string`` and kept as the name. A macro that
    would expand past :data:`MAX_VALUE` (or the load's :data:`MAX_TOTAL`) is reported
    and left out: see :attr:`MacroTable.too_large`.
    """
    macros = MacroTable(inherited or {})
    if inherited is not None and not isinstance(inherited, MacroTable):
        macros.too_large.clear()
    pending = {s.name: s for s in strings}
    resolving: set[str] = set()
    early: set[str] = set()  # defined ahead of their place, for a macro that uses them

    def settled(key: str) -> bool:
        return key in macros or key in macros.too_large

    def define(s: RawString, depth: int) -> str | None:
        """The macro's text, or None when it is too large (recorded in ``too_large``)."""
        if s.name in resolving:
            problems.append(
                warning(
                    s.location,
                    f"@string '{s.name}' refers to itself through other macros",
                    "define it with a plain value in braces",
                )
            )
            return s.name
        if depth > MAX_DEPTH:
            problems.append(
                warning(
                    s.location,
                    f"@string '{s.name}' is reached through more than {MAX_DEPTH} macros "
                    "that are each defined after the one using them; kept as the text "
                    f"'{s.name}'",
                    "define macros before the macros that use them",
                )
            )
            return s.name
        resolving.add(s.name)

        def undefined(name: str) -> None:
            key = name.lower()
            if key in pending and not settled(key) and key != s.name:
                return
            problems.append(
                warning(
                    s.location,
                    f"@string '{s.name}' uses '{name}', which is not defined; kept as the text '{name}'",
                    f"add @string{{{name} = {{...}}}} before it, or write the text in braces",
                )
            )

        try:
            # Resolve forward references first.
            for kind, text in split_parts(s.value):
                key = text.lower()
                if kind == "macro" and key in pending and not settled(key) and key != s.name:
                    value = define(pending[key], depth + 1)
                    early.add(key)
                    if value is not None:
                        macros[key] = value
            return resolve(s.value, macros, undefined)
        except ValueTooLarge as exc:
            if exc.macro.lower() not in macros.too_large:  # the first to pass the limit
                via = f" (through '{exc.macro}')" if exc.macro else ""
                problems.append(
                    warning(
                        s.location,
                        f"@string '{s.name}' would expand to more than {exc.limit:,} "
                        f"characters{via}; it is left undefined and every entry that uses "
                        "it is skipped",
                        "macros that join a macro to itself grow twice as long at each "
                        "level: write the text out instead",
                    )
                )
            macros.too_large[s.name] = exc.size
            return None
        finally:
            resolving.discard(s.name)

    for s in strings:
        if s.name in early and s is pending[s.name]:
            continue  # already defined, as a forward reference
        macros.too_large.pop(s.name, None)  # a later definition replaces an earlier one
        value = define(s, 0)
        if value is not None:
            macros[s.name] = value
        else:
            macros.pop(s.name, None)
    return macros
