"""File name patterns (``output.filename``, a variant's ``filename``), read by our own parser.

A pattern is text with placeholders in braces: ``{family}_{given}_CV_{variant}``. The set of
placeholders is closed (``PLACEHOLDERS``); ``{{`` and ``}}`` stand for a literal brace. There is
no attribute access, no indexing, no conversion and no format spec: ``{given.x}``, ``{name[0]}``,
``{name!r}`` and ``{name:>20}`` are errors, found at ``check`` time with their column. The
pattern is at most ``MAX_PATTERN`` characters and its expansion is cut at ``MAX_EXPANDED``, so no
pattern or name can make a file name cost time or memory.
"""

from __future__ import annotations

from dataclasses import dataclass

PLACEHOLDERS: dict[str, str] = {
    "given": "the first word of person.name",
    "family": "the last word of person.name (empty for a one-word name)",
    "name": "person.name as written",
    "variant": "the variant's name",
}
MAX_PATTERN = 200
MAX_EXPANDED = 1000  # the file stem is cut to 120 safe characters afterwards


@dataclass(frozen=True)
class PatternError(Exception):
    """What is wrong with a pattern, at which 0-based character offset, and how to fix it."""

    message: str
    offset: int
    hint: str = ""

    def __str__(self) -> str:
        return self.message


def _closest(word: str) -> str | None:
    import difflib

    found = difflib.get_close_matches(word.lower(), list(PLACEHOLDERS), n=1, cutoff=0.6)
    return found[0] if found else None


_KNOWN = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)


def _placeholder_problem(body: str, offset: int) -> PatternError:
    """Why ``{body}`` (starting at ``offset``, the brace) is not one of ours."""
    for mark, what in ((".", "attribute access"), ("[", "indexing"), ("!", "conversion")):
        if mark in body:
            head = body.split(mark, 1)[0]
            fix = f"write {{{head}}}" if head in PLACEHOLDERS else f"use one of {_KNOWN}"
            return PatternError(
                f"file name patterns allow no {what}: '{{{body}}}'",
                offset + 1 + body.index(mark),
                fix,
            )
    if ":" in body:
        head = body.split(":", 1)[0]
        fix = f"write {{{head}}}" if head in PLACEHOLDERS else f"use one of {_KNOWN}"
        return PatternError(
            f"file name patterns take no format spec: '{{{body}}}'",
            offset + 1 + body.index(":"),
            fix,
        )
    if not body.strip():
        return PatternError("empty placeholder '{}'", offset, f"use one of {_KNOWN}")
    guess = _closest(body.strip())
    hint = (
        f"did you mean '{{{guess}}}'? placeholders: {_KNOWN}" if guess else f"use one of {_KNOWN}"
    )
    return PatternError(f"unknown placeholder '{{{body}}}'", offset, hint)


def parse_pattern(pattern: str) -> list[tuple[str, str]]:
    """The pattern as ``("text", literal)`` and ``("field", name)`` parts; PatternError if bad."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(
            f"the file name pattern is {len(pattern)} characters long (at most {MAX_PATTERN})",
            MAX_PATTERN,
            "shorten it",
        )
    parts: list[tuple[str, str]] = []
    literal: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "{" and pattern.startswith("{{", i):
            literal.append("{")
            i += 2
        elif char == "}" and pattern.startswith("}}", i):
            literal.append("}")
            i += 2
        elif char == "{":
            end = pattern.find("}", i + 1)
            inner_open = pattern.find("{", i + 1)
            if end < 0 or (0 <= inner_open < end):
                raise PatternError(
                    "a '{' without its closing '}'",
                    i,
                    "close the placeholder, or write '{{' for a brace",
                )
            body = pattern[i + 1 : end]
            if body not in PLACEHOLDERS:
                raise _placeholder_problem(body, i)
            if literal:
                parts.append(("text", "".join(literal)))
                literal = []
            parts.append(("field", body))
            i = end + 1
        elif char == "}":
            raise PatternError("a '}' without its opening '{'", i, "write '}}' for a brace")
        else:
            literal.append(char)
            i += 1
    if literal:
        parts.append(("text", "".join(literal)))
    return parts


def expand_pattern(pattern: str, values: dict[str, str]) -> str:
    """The pattern with each placeholder replaced, cut at ``MAX_EXPANDED`` characters.
    An invalid pattern (never after ``check``) expands to its text without braces."""
    try:
        parts = parse_pattern(pattern)
    except PatternError:
        parts = [("text", pattern[:MAX_PATTERN].replace("{", "").replace("}", ""))]
    out: list[str] = []
    size = 0
    for kind, text in parts:
        piece = values.get(text, "") if kind == "field" else text
        piece = piece[: MAX_EXPANDED - size]
        out.append(piece)
        size += len(piece)
        if size >= MAX_EXPANDED:
            break
    return "".join(out)
