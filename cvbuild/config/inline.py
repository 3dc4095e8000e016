"""The user's inline Markdown in free-text fields → ``RichText``.

Only a small, safe subset is read: ``**bold**``, ``*italic*`` / ``_italic_``,
``[text](url)`` for http, https and mailto addresses, and backslash escapes.
Everything else — HTML, LaTeX, other Markdown — is plain text: it reaches the
backends as ``Text`` leaves, which they escape. Unbalanced markers stay literal.
"""

from __future__ import annotations

import re

from cvbuild.richtext import Emph, Link, Node, RichText, Strong, Text

_ESCAPABLE = set("\\`*_{}[]()#+-.!<>~|")
_SAFE_URL = re.compile(r"^(https?://[^\s<>\"]+|mailto:[^\s<>\"@]+@[^\s<>\"]+)$", re.IGNORECASE)
_MAX_DEPTH = 8


def parse_inline(text: str) -> RichText:
    """Parse one free-text value; never fails."""
    return tuple(_merge(_Parser(text).parse(0, len(text), 0)))


def _merge(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].value + node.value)
        elif isinstance(node, Text) and not node.value:
            continue
        else:
            out.append(node)
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum()


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text

    def parse(self, start: int, end: int, depth: int) -> list[Node]:
        s = self.s
        out: list[Node] = []
        buf: list[str] = []
        i = start

        def flush() -> None:
            if buf:
                out.append(Text("".join(buf)))
                buf.clear()

        while i < end:
            ch = s[i]
            if ch == "\\" and i + 1 < end and s[i + 1] in _ESCAPABLE:
                buf.append(s[i + 1])
                i += 2
                continue
            if depth < _MAX_DEPTH:
                if s.startswith("**", i) and i + 2 < end and not s[i + 2].isspace():
                    close = self.find_close("**", i + 2, end)
                    if close is not None:
                        flush()
                        out.append(Strong(tuple(_merge(self.parse(i + 2, close, depth + 1)))))
                        i = close + 2
                        continue
                if ch in "*_" and not s.startswith("**", i) and self.can_open(ch, i, end):
                    close = self.find_close(ch, i + 1, end)
                    if close is not None:
                        flush()
                        out.append(Emph(tuple(_merge(self.parse(i + 1, close, depth + 1)))))
                        i = close + 1
                        continue
                if ch == "[":
                    link = self.link(i, end, depth)
                    if link is not None:
                        node, i = link
                        flush()
                        out.append(node)
                        continue
            buf.append(ch)
            i += 1
        flush()
        return out

    def can_open(self, ch: str, i: int, end: int) -> bool:
        s = self.s
        if i + 1 >= end or s[i + 1].isspace():
            return False
        # snake_case and 2*3 are not emphasis: '_' needs a non-word char before it
        return not (ch == "_" and i > 0 and _is_word(s[i - 1]))

    def find_close(self, marker: str, start: int, end: int) -> int | None:
        """Index of the closing marker, skipping escapes; None if unbalanced."""
        s = self.s
        i = start
        while i < end:
            if s[i] == "\\" and i + 1 < end and s[i + 1] in _ESCAPABLE:
                i += 2
                continue
            if marker == "**":
                if s.startswith("**", i) and i + 2 <= end and i > start and not s[i - 1].isspace():
                    # '***' closing '**bold *it***': the last two close the strong span
                    return i + 1 if s.startswith("***", i) and i + 3 <= end else i
                i += 1
                continue
            if marker == "*" and s.startswith("**", i) and i + 2 < end and not s[i + 2].isspace():
                inner = self.find_close("**", i + 2, end)
                if inner is not None:
                    i = inner + 2  # a whole **strong** span inside the emphasis
                    continue
            if s[i] == marker and i > start and not s[i - 1].isspace():
                if marker == "_" and i + 1 < end and _is_word(s[i + 1]):
                    i += 1
                    continue
                return i
            i += 1
        return None

    def link(self, i: int, end: int, depth: int) -> tuple[Node, int] | None:
        s = self.s
        # find the matching ']' (brackets may nest), then '(' url ')'
        level = 0
        j = i
        while j < end:
            c = s[j]
            if c == "\\" and j + 1 < end:
                j += 2
                continue
            if c == "[":
                level += 1
            elif c == "]":
                level -= 1
                if level == 0:
                    break
            j += 1
        else:
            return None
        if j + 1 >= end or s[j + 1] != "(":
            return None
        close = _closing_paren(s, j + 1, end)
        if close is None:
            return None
        url = s[j + 2 : close].strip()
        if not _SAFE_URL.match(url):
            return None  # not a safe link: the whole thing stays as text
        label = tuple(_merge(self.parse(i + 1, j, depth + 1)))
        if not label:
            label = (Text(url),)
        return Link(url, label), close + 1


def _closing_paren(s: str, open_at: int, end: int) -> int | None:
    """The ')' matching the '(' at ``open_at`` (URLs may hold balanced parentheses)."""
    level = 0
    for k in range(open_at, end):
        if s[k] == "(":
            level += 1
        elif s[k] == ")":
            level -= 1
            if level == 0:
                return k
    return None
