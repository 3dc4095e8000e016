"""The one rule for invisible and direction-control characters, shared by every backend.

Text from any input (cv.yaml, BibTeX, a fetched record) may carry characters a reader
cannot see but that change what is shown or what a machine reads: bidirectional
embeddings, overrides and isolates reorder a line (``U+202E`` makes ``txt.exe`` look
like ``exe.txt``); zero-width spaces and joiners, word joiners, the BOM and Unicode
tag characters hide text inside text. Every backend (LaTeX, Markdown for the web and
for pandoc/DOCX, plain text, JSON Resume) passes each text leaf through
:func:`visible_text` before its own escaping, so all of them treat these alike:

- **Removed**: every format character (Unicode category ``Cf``) — among them
  U+200B–U+200F, U+202A–U+202E, U+2060–U+206F, U+061C, U+180E, U+FEFF, U+FFF9–U+FFFB
  and the tag characters U+E0000–U+E007F — and every control character (``Cc``) other
  than whitespace, as well as surrogates and noncharacters.
- **Kept** where a script needs them: ZERO WIDTH NON-JOINER (U+200C) and ZERO WIDTH
  JOINER (U+200D) between two letters or marks (Persian, Indic scripts) and ZWJ between
  two symbols (emoji sequences such as 👩‍🔬). Anywhere else (at a word's edge, beside a
  space or punctuation) they carry no meaning and are removed.
- **Kept**: the prepended concatenation marks (U+0600–U+0605, U+06DD, U+070F,
  U+0890–U+0891, U+08E2, U+110BD, U+110CD), which are format characters that print.
- The soft hyphen (U+00AD) is a hyphenation point, not hidden text: :func:`visible_text`
  keeps it and each backend decides (LaTeX makes it ``\\-``; the others remove it via
  :func:`drop_soft_hyphens`).
- Line and paragraph separators and other whitespace controls become a plain space.

Nothing is made visible instead (no ``<U+202E>`` placeholders): a CV should show what
its author meant, and these characters never are.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["SOFT_HYPHEN", "drop_soft_hyphens", "is_invisible", "visible_json", "visible_text"]

SOFT_HYPHEN = "\u00ad"
_ZWNJ = "\u200c"
_ZWJ = "\u200d"
_PRINTING_FORMAT = frozenset(
    "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd"
)
_WHITESPACE_CONTROLS = frozenset("\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029")

# A fast test: does the text hold anything this rule might change? ASCII text that is
# printable never does; other text only with one of these characters or one from U+3000
# on (a single class: an alternation with ``[^\x00-\u2fff]`` made every search slower).
_CANDIDATE_BELOW_3000 = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f]"
)


def _may_change(value: str) -> bool:
    if value.isascii():
        return not value.isprintable() and _CANDIDATE_BELOW_3000.search(value) is not None
    return max(value) >= "\u3000" or _CANDIDATE_BELOW_3000.search(value) is not None


def is_invisible(ch: str) -> bool:
    """Whether ``ch`` is removed wherever it stands (ZWJ/ZWNJ depend on their neighbours)."""
    if ch == SOFT_HYPHEN or ch in _PRINTING_FORMAT:
        return False
    category = unicodedata.category(ch)
    if category in ("Cf", "Cs"):
        return True
    if category == "Cc":
        return ch not in _WHITESPACE_CONTROLS
    return (ord(ch) & 0xFFFE) == 0xFFFE or 0xFDD0 <= ord(ch) <= 0xFDEF  # noncharacters


def _joins(before: str, after: str, joiner: str) -> bool:
    """A joiner between these two characters does something a reader sees."""
    if not before or not after:
        return False
    b, a = unicodedata.category(before), unicodedata.category(after)
    if b[0] in "LM" and a[0] in "LM":
        return True
    # Emoji sequences: a pictograph (So), a modifier (Sk) or VS16 (Mn) before, So after.
    return joiner == _ZWJ and b in ("So", "Sk", "Mn") and a == "So"


def visible_text(value: str) -> str:
    """``value`` with every invisible character removed by the one rule above, and
    whitespace controls turned into spaces. Never changes text that has none."""
    if not _may_change(value):
        return value
    out: list[str] = []
    n = len(value)
    for i, ch in enumerate(value):
        if ch in _WHITESPACE_CONTROLS:
            out.append(" ")
        elif ch in (_ZWJ, _ZWNJ):
            before = out[-1] if out else ""
            after = value[i + 1] if i + 1 < n else ""
            if _joins(before, after, ch):
                out.append(ch)
        elif not is_invisible(ch):
            out.append(ch)
    return "".join(out)


def drop_soft_hyphens(value: str) -> str:
    """For backends that do not hyphenate: the soft hyphen is removed too."""
    return value.replace(SOFT_HYPHEN, "") if SOFT_HYPHEN in value else value


def visible_json(value: object) -> object:
    """Every string in a JSON-like value (dicts, lists, strings) through :func:`visible_text`,
    line breaks kept (JSON Resume joins paragraphs with them) and soft hyphens dropped.
    Iterative: the depth of the value does not matter."""

    def fix(text: str) -> str:
        return "\n".join(drop_soft_hyphens(visible_text(line)) for line in text.split("\n"))

    if isinstance(value, str):
        return fix(value)
    root: list[object] = [value]
    stack: list[object] = [root]
    while stack:
        container = stack.pop()
        if isinstance(container, dict):
            items = list(container.items())
            container.clear()
            for key, item in items:
                new_key = fix(key) if isinstance(key, str) else key
                container[new_key] = fix(item) if isinstance(item, str) else item
                if isinstance(item, dict | list):
                    stack.append(item)
        elif isinstance(container, list):
            for index, item in enumerate(container):
                if isinstance(item, str):
                    container[index] = fix(item)
                elif isinstance(item, dict | list):
                    stack.append(item)
    return root[0]
