"""The user's inline Markdown in free-text fields → ``RichText``.

Only a small, safe subset is read: ``**bold**``, ``*italic*`` / ``_italic_``,
``[text](url)`` for http, https and mailto addresses, and backslash escapes; in
narrative text (``cites=True``) pandoc-style citations by key, ``[@key]`` and
``[@a; @b]``, which become ``Cite`` nodes for the format stage to resolve.
Everything else — HTML, LaTeX, other Markdown — is plain text: it reaches the
backends as ``Text`` leaves, which they escape. Unbalanced markers stay literal.
"""

from __future__ import annotations

import re

from cvbuild.richtext import Cite, Emph, Link, Node, RichText, Strong, Text, merge_text

_ESCAPABLE = set("\\`*_{}[]()#+-.!<>~|")
_SAFE_URL = re.compile(r"^(https?://[^\s<>\"]+|mailto:[^\s<>\"@]+@[^\s<>\"]+)$", re.IGNORECASE)
_MAX_DEPTH = 8
# A citation key as pandoc reads one: a letter, digit or '_' first, then those and inner
# punctuation (':.#$%&-+?<>~/'), never ending in punctuation.
CITE_KEY = r"[A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[\w])?"
_CITATION = re.compile(rf"^\s*@({CITE_KEY})\s*((?:;\s*@{CITE_KEY}\s*)*)$")
_MORE_KEYS = re.compile(rf"@({CITE_KEY})")
MAX_CITE_KEYS = 64  # keys in one bracket


def parse_inline(text: str, *, cites: bool = False) -> RichText:
    """Parse one free-text value; never fails. ``cites``: read ``[@key]`` citations."""
    return merge_text(_Parser(text, cites).parse(0, len(text), 0))


def citation_keys(inner: str) -> tuple[str, ...] | None:
    """The keys of a bracket's content ``@a; @b`` (without the brackets), or None when it
    is not a citation."""
    if len(inner) > 4096 or "@" not in inner:
        return None
    found = _CITATION.match(inner)
    if found is None:
        return None
    keys = (found.group(1), *_MORE_KEYS.findall(found.group(2)))
    return keys if len(keys) <= MAX_CITE_KEYS else None


def find_citations(text: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """Every citation in ``text``: (its offset, the text as written, its keys), in order;
    what ``parse_inline(text, cites=True)`` turns into ``Cite`` nodes (escapes skipped)."""
    found: list[tuple[int, str, tuple[str, ...]]] = []
    if "[@" not in text.replace(" ", ""):
        return found
    brackets = _match_brackets(text)
    for start, end in sorted(brackets.items()):
        if end + 1 < len(text) and text[end + 1] == "(":
            continue  # a link's label
        keys = citation_keys(text[start + 1 : end])
        if keys is not None:
            found.append((start, text[start : end + 1], keys))
    return found


def _is_word(ch: str) -> bool:
    return ch.isalnum()


class _Parser:
    """Recursive over spans, at most ``_MAX_DEPTH`` deep. Searches are linear overall:
    bracket pairs are matched once up front, and a failed search for a closing marker is
    remembered so that no later opener scans the same text again (else ``*a *a *a …``
    or ``[[[[…`` would take time quadratic in the length)."""

    def __init__(self, text: str, cites: bool = False) -> None:
        self.s = text
        self.cites = cites
        self._brackets = _match_brackets(text)
        self._parens = _match_parens(text)
        self._no_close: dict[tuple[str, int], int] = {}  # (marker, end) → a failed start

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
                        out.append(Strong(merge_text(self.parse(i + 2, close, depth + 1))))
                        i = close + 2
                        continue
                if ch in "*_" and not s.startswith("**", i) and self.can_open(ch, i, end):
                    close = self.find_close(ch, i + 1, end)
                    if close is not None:
                        flush()
                        out.append(Emph(merge_text(self.parse(i + 1, close, depth + 1))))
                        i = close + 1
                        continue
                if ch == "[":
                    link = self.link(i, end, depth)
                    if link is not None:
                        node, i = link
                        flush()
                        out.append(node)
                        continue
                    cite = self.cite(i, end) if self.cites else None
                    if cite is not None:
                        node, i = cite
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
        failed = self._no_close.get((marker, end))
        if failed is not None and start >= failed:
            return None  # a search from an earlier start found none in the same text
        found = self._find_close(marker, start, end)
        if found is None:
            self._no_close[(marker, end)] = min(start, failed if failed is not None else start)
        return found

    def _find_close(self, marker: str, start: int, end: int) -> int | None:
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
        # the matching ']' (brackets may nest), then '(' url ')'
        j = self._brackets.get(i, end)
        if j >= end:
            return None
        if j + 1 >= end or s[j + 1] != "(":
            return None
        close = self._parens.get(j + 1, end)
        if close >= end:
            return None
        url = s[j + 2 : close].strip()
        if not _SAFE_URL.match(url):
            return None  # not a safe link: the whole thing stays as text
        label = merge_text(self.parse(i + 1, j, depth + 1))
        if not label:
            label = (Text(url),)
        return Link(url, label), close + 1

    def cite(self, i: int, end: int) -> tuple[Node, int] | None:
        j = self._brackets.get(i, end)
        if j >= end:
            return None
        keys = citation_keys(self.s[i + 1 : j])
        if keys is None:
            return None
        return Cite(keys, (Text(self.s[i : j + 1]),)), j + 1


def _match_brackets(s: str) -> dict[int, int]:
    """Index of each ``[`` → index of its matching ``]`` (a backslash escapes the next
    character), in one pass."""
    pairs: dict[int, int] = {}
    if "[" not in s:
        return pairs
    open_at: list[int] = []
    j, n = 0, len(s)
    while j < n:
        c = s[j]
        if c == "\\" and j + 1 < n:
            j += 2
            continue
        if c == "[":
            open_at.append(j)
        elif c == "]" and open_at:
            pairs[open_at.pop()] = j
        j += 1
    return pairs


def _match_parens(s: str) -> dict[int, int]:
    """Index of each ``(`` → index of its matching ``)`` (URLs may hold balanced ones)."""
    pairs: dict[int, int] = {}
    open_at: list[int] = []
    if "(" in s:
        for k, c in enumerate(s):
            if c == "(":
                open_at.append(k)
            elif c == ")" and open_at:
                pairs[open_at.pop()] = k
    return pairs
