"""Split a BibTeX ``author``/``editor`` value into ``Name`` objects.

The steps, each small:

1. ``_split_and``: cut the value at the word ``and`` (any case, any whitespace, brace depth 0).
   A final ``others`` / ``et al.`` item (braced or not) sets ``et_al`` and is never a person.
2. ``_take_marks``: equal-contribution and corresponding-author marks stuck anywhere to a name
   (``Xu*``, ``Xu$^*$``, ``Xu\\textsuperscript{*}``, ``Stretcu<nobr><em>*</em></nobr>``,
   ``Einstein*†``, ``\\dag``) are removed and recorded in ``Name.marks``; leftover HTML tags
   are dropped.
3. ``_split_name``: the BibTeX rules for "First von Last", "von Last, First" and
   "von Last, Jr, First" on brace-aware words (``~`` is a space, ``Qin,Yujia`` needs no space).
   A name that is one brace group (``{Mars Coral Restoration Team}``) is corporate and kept
   whole; so is an unbraced "First Last" name whose last word is a collective noun
   (``Mars Coral Restoration Team``, ``the scikit-image contributors``). Trailing lower-case
   words of the First part of a "Last, First" name are particles (``Merriënboer, Bart van`` →
   von ``van``). In a "First Last" list, a comma typed for ``and`` between two multi-word
   names (``Kaiyan Zhang, Xuekai Zhu``) separates two people.
4. ``decode_name_part``: each part goes LaTeX → Unicode with ``cvbuild.bib.decode`` (cached).

Lists as people paste them from a web page are read too:

- ``&`` between spaces is ``and`` (``P. Schmidt & D. A. Petrov``);
- a list with no ``and`` whose commas separate people (``Emre Ece, Nedim Hacıosmanoğlu,
  Fatih Inci``; ``Egor Lappo, Noah Rosenberg``) is read as a list, not as "Last, First":
  see :func:`comma_list`. "Last, First" (one comma, one of the halves a single word or an
  initial) and "Last, Jr, First" stay one name. The caller warns, since BibTeX reads such a
  list differently;
- ``...`` / ``…`` / ``\\ldots`` for a name is an elision: a ``Name(elision=True)`` at that place
  (at the end it is "et al.");
- "et al." written inside a name in any of a few languages (``et al.``, ``и др.``,
  ``u. a.``, ``等``, ``ほか``) ends the list: ``Бахтеев, Олег и др.`` is Бахтеев, Олег et al.

Everything is cached on the raw string: the same author lists recur across variants.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from cvbuild.bib.decode import decode_latex, unescape_html
from cvbuild.bib.model import CORRESPONDING, EQUAL, Name

__all__ = ["comma_list", "decode_name_part", "parse_names"]

# ---------------------------------------------------------------------------- splitting at "and"


_AND_SCAN_RE = re.compile(r"\\.|[{}]|\s+(?:and|&)\s+", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=4096)
def _split_and(raw: str) -> tuple[str, ...]:
    """Cut at ``and`` surrounded by whitespace at brace depth 0; keep each item as written.
    (Cached: :func:`parse_names` and :func:`comma_list` both ask for the same list.)"""
    if "{" not in raw and "\\" not in raw:
        return tuple(item.strip() for item in _AND_RE.split(raw))
    items: list[str] = []
    start = 0
    for m in _top_level(raw, _AND_SCAN_RE):
        items.append(raw[start : m.start()])
        start = m.end()
    items.append(raw[start:])
    return tuple(item.strip() for item in items)


def _top_level(raw: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """The separator matches of ``pattern`` (which also matches ``\\x`` and braces) that
    stand at brace depth 0."""
    depth = 0
    for m in pattern.finditer(raw):
        tok = m.group(0)
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and not tok.startswith("\\"):
            yield m


_AND_RE = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
_AND_WORD_RE = re.compile(r"\s(?:and)\s", re.IGNORECASE)
# "et al." in the languages people write it in: Latin, Russian, German, Chinese, Japanese.
_ET_AL_WORDS = r"(?:others|et\.?\s*al\.?|и\s*др\.?|u\.\s*a\.|等人?|ほか|他)"
_ET_AL_RE = re.compile(r"^\{?\s*" + _ET_AL_WORDS + r"\s*\}?$", re.IGNORECASE)
_TRAILING_ET_AL_RE = re.compile(
    r"(?:,\s*|\s+)\{?(?:et\.?\s+al\.?|и\s+др\.?|u\.\s*a\.)\}?\s*$"
    r"|(?<=[^\s,])\s*(?:等人?|ほか)\s*$",
    re.IGNORECASE,
)
_ELISION_RE = re.compile(r"^\{?\s*(?:\.\.\.+|…|\\ldots|\\dots|\\textellipsis)(?:\{\})?\s*\}?$")
ELISION = Name(family="…", corporate=True, raw="…", elision=True)

# ------------------------------------------------------------------------------------ marks

_MARK_SYMBOLS: dict[str, str] = {
    "*": EQUAL,
    "∗": EQUAL,
    "\\ast": EQUAL,
    "†": CORRESPONDING,
    "\\dag": CORRESPONDING,
    "\\dagger": CORRESPONDING,
    "\\textdagger": CORRESPONDING,
}

# A superscript/emphasis wrapper whose content is only marks: $^*$, $^{*}$, $^\dagger$,
# \textsuperscript{*}, <sup>*</sup>, <em>*</em> (inside <nobr> or not), ${}^{*}$.
_MARK_TOKEN = r"(?:\*|∗|†|\\ast|\\dagger|\\dag|\\textdagger)(?:\{\})?"
_MARK_LIST = rf"\s*{_MARK_TOKEN}(?:\s*,?\s*{_MARK_TOKEN})*\s*"
_WRAPPED_MARKS_RE = re.compile(
    r"\$\s*(?:\{\})?\s*\^?\s*\{?(" + _MARK_LIST + r")\}?\s*\$"
    r"|\\textsuperscript\s*\{(" + _MARK_LIST + r")\}"
    r"|<sup>(" + _MARK_LIST + r")</sup>"
    r"|<em>(" + _MARK_LIST + r")</em>"
    r"|<i>(" + _MARK_LIST + r")</i>"
)
_BARE_MARK_RE = re.compile(
    r"\\textdagger(?![A-Za-z])(?:\{\})?|\\dagger(?![A-Za-z])(?:\{\})?"
    r"|\\dag(?![A-Za-z])(?:\{\})?|\\ast(?![A-Za-z])(?:\{\})?|[*∗†]"
)
_TAG_RE = re.compile(r"<[^<>]*>")


def _kinds(marks_text: str) -> set[str]:
    found: set[str] = set()
    for m in _BARE_MARK_RE.finditer(marks_text):
        token = m.group(0).replace("{}", "")
        found.add(_MARK_SYMBOLS[token])
    return found


def _take_marks(text: str) -> tuple[str, frozenset[str]]:
    """Remove marks from one name; return the cleaned text and the mark kinds found."""
    if not any(c in text for c in "*∗†\\<$&"):
        return text, frozenset()
    found: set[str] = set()

    def wrapped(m: re.Match[str]) -> str:
        inner = next(g for g in m.groups() if g is not None)
        found.update(_kinds(inner))
        return ""

    text = _WRAPPED_MARKS_RE.sub(wrapped, text)

    def bare(m: re.Match[str]) -> str:
        found.update(_kinds(m.group(0)))
        return ""

    text = _BARE_MARK_RE.sub(bare, text)
    if "<" in text:
        text = _TAG_RE.sub("", text)
    if "&" in text:
        text = unescape_html(text)
    return text, frozenset(found)


# ---------------------------------------------------------------------------------- decoding


@lru_cache(maxsize=8192)
def decode_name_part(text: str) -> str:
    """LaTeX → Unicode for one part of a name; ``~`` and no-break spaces become spaces."""
    if "\\" in text or "$" in text or "<" in text or "&" in text:
        text = decode_latex(text)
    else:
        text = text.replace("{", "").replace("}", "")
    text = text.replace("~", " ").replace("\u00a0", " ")
    return " ".join(text.split())


# --------------------------------------------------------------------------- BibTeX name parts


def _split_top(text: str, seps: str) -> list[str]:
    """Split at any char of ``seps`` at brace depth 0 (empty pieces kept)."""
    if "{" not in text and "\\" not in text:
        if len(seps) == 1:
            return text.split(seps)
        return re.split("[" + re.escape(seps) + "]", text)
    out: list[str] = []
    depth = 0
    cur: list[str] = []
    escaped = False
    for ch in text:
        if escaped:  # the char after a backslash (\~, \{, \,) is never structure
            escaped = False
            cur.append(ch)
            continue
        if ch == "\\":
            escaped = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        if depth == 0 and ch in seps:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _words(part: str) -> list[str]:
    return [w for w in _split_top(part, " \t\r\n~") if w]


def _is_lower(word: str) -> bool:
    """BibTeX's von test, with braces protecting: a word that starts with a plain brace group
    (``{de Blok}``, ``{S}t\\'efan``) is never lower case; otherwise the first letter decides."""
    if word.startswith("{") and not word.startswith("{\\"):
        return False
    for ch in decode_name_part(word):
        if ch.isalpha():
            return ch.islower()
    return False


_JR_WORDS = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_COLLECTIVE = frozenset(
    {
        "team",
        "collaboration",
        "consortium",
        "contributors",
        "group",
        "project",
        "initiative",
        "committee",
        "network",
        "society",
        "association",
        "organization",
        "organisation",
        "alliance",
        "council",
        "developers",
        "investigators",
    }
)


def _first_von_last(words: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """ "First von Last" → (first, von, last, jr)."""
    jr: list[str] = []
    if len(words) >= 3 and words[-1].lower() in _JR_WORDS:
        jr = [words[-1]]
        words = words[:-1]
    if len(words) <= 1:
        return [], [], words, jr
    body = words[:-1]
    lows = [i for i, w in enumerate(body) if _is_lower(w)]
    if not lows:
        return body, [], [words[-1]], jr
    start, end = lows[0], lows[-1]
    return body[:start], body[start : end + 1], body[end + 1 :] + [words[-1]], jr


def _von_last(words: list[str]) -> tuple[list[str], list[str]]:
    """ "von Last" (the part before the first comma) → (von, last)."""
    if len(words) <= 1:
        return [], words
    body = words[:-1]
    lows = [i for i, w in enumerate(body) if _is_lower(w)]
    if not lows:
        return [], words
    end = lows[-1]
    # von is everything up to the last lower-case word; BibTeX starts von at the first word
    return body[: end + 1], body[end + 1 :] + [words[-1]]


def _join(words: list[str]) -> str:
    return decode_name_part(" ".join(words)) if words else ""


def _split_name(text: str, marks: frozenset[str], raw: str) -> Name | None:
    text = text.strip().strip(",").strip()
    if not text:
        return None
    # one brace group around the whole name: an organisation, never split
    if text.startswith("{") and text.endswith("}") and _matching_brace(text) == len(text) - 1:
        inner = decode_name_part(text[1:-1])
        if not inner:
            return None
        return Name(family=inner, marks=marks, corporate=" " in inner, raw=raw)
    parts = [p.strip() for p in _split_top(text, ",")]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    if len(parts) == 1:
        words = _words(parts[0])
        if len(words) >= 2 and decode_name_part(words[-1]).lower() in _COLLECTIVE:
            return Name(family=_join(words), marks=marks, corporate=True, raw=raw)
        first, von, last, jr = _first_von_last(words)
    else:
        von, last = _von_last(_words(parts[0]))
        if len(parts) == 2:
            jr, first = [], _words(parts[1])
        else:
            jr = _words(parts[1])
            first = _words(", ".join(parts[2:]))
        # "Merriënboer, Bart van": trailing lower-case words of First are particles
        k = len(first)
        while k > 1 and _is_lower(first[k - 1]):
            k -= 1
        if k < len(first) and not von:
            von = first[k:]
            first = first[:k]
    if not last and von:  # "{von} Last" mishaps: never leave the family empty
        last, von = von, []
    name = Name(
        given=_join(first),
        von=_join(von),
        family=_join(last),
        jr=_join(jr),
        marks=marks,
        raw=raw,
    )
    if not name.family:  # "{}", "~", a lone brace: nothing a reader could call a name
        if not (name.given or name.von or name.jr):
            return None
        name = replace(
            name,
            family=" ".join(p for p in (name.given, name.von, name.jr) if p),
            given="",
            von="",
            jr="",
        )
    return name


def _matching_brace(text: str) -> int:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


# ------------------------------------------------------------------------------------ public


def parse_names(raw: str) -> tuple[list[Name], bool]:
    """Split an ``author``/``editor`` value (raw BibTeX, LaTeX allowed). Returns the names,
    decoded to Unicode with marks removed, and whether the list ended in ``and others`` /
    ``et al.``. The returned list is a fresh copy; the parse itself is cached."""
    names, et_al = _parse_cached(raw)
    return list(names), et_al


@lru_cache(maxsize=16384)
def _parse_cached(raw: str) -> tuple[tuple[Name, ...], bool]:
    items = [i for i in _split_and(raw) if i]
    split = _comma_split(raw, items)
    items = split if split is not None else _repair_commas(items)
    et_al = False
    names: list[Name] = []
    for idx, item in enumerate(items):
        last = idx == len(items) - 1
        if _ELISION_RE.match(item):
            if last:
                et_al = True
            elif not names or not names[-1].elision:
                names.append(ELISION)
            continue
        name, ends = _parse_one(item)
        if name is not None:
            names.append(name)
        if ends:
            if last:
                et_al = True
            elif names and not names[-1].elision:
                names.append(ELISION)  # "X et al." before more names: some left out here
    return tuple(names), et_al


@lru_cache(maxsize=16384)
def comma_list(raw: str) -> bool:
    """Did :func:`parse_names` read ``raw`` as people separated by commas (no ``and``)?
    The bib stage warns then: BibTeX itself would read "Last, First"."""
    return _comma_split(raw, [i for i in _split_and(raw) if i]) is not None


_AND_ONLY_RE = re.compile(r"\\.|[{}]|\s+and\s+", re.IGNORECASE | re.DOTALL)


def _has_top_and(raw: str) -> bool:
    return next(_top_level(raw, _AND_ONLY_RE), None) is not None


_INITIALS_RE = re.compile(r"^(?:[^\W\d_]\.?-?)+$|^[A-Z]{2,3}$")


def _is_initial(word: str) -> bool:
    text = decode_name_part(word)
    return bool(_INITIALS_RE.match(text)) and (len(text) <= 3 or "." in text)


def _looks_first_last(part: str) -> bool:
    """ "Egor Lappo", "M. C. Bitter": two words or more, the last a full word that is not
    a particle. "Art F Y" (the First of "Poon, Art F Y") ends in an initial: not one."""
    words = _words(part)
    if len(words) < 2:
        return False
    return not _is_initial(words[-1]) and not _is_lower(words[-1])


def _comma_split(raw: str, items: list[str]) -> list[str] | None:
    """``items`` cut at their top-level commas when the commas separate people, else None.

    People, not "Last, First", when the list has no top-level ``and`` (``&`` is fine) or
    each ``and`` follows a comma ("A, B, and C"), and some item has an elision, two commas
    or more (except "Last, Jr, First"), or two halves that both read "First Last".
    """
    if "," not in raw:
        return None
    if _has_top_and(raw) and not all(i.endswith(",") for i in items[:-1]):
        return None
    pieces: list[list[str]] = []
    is_list = False
    for item in items:
        parts = [p.strip() for p in _split_top(item, ",")]
        while len(parts) > 1 and not parts[-1]:
            parts.pop()
        pieces.append(parts)
        if len(parts) < 2:
            continue
        if any(_ELISION_RE.match(p) for p in parts):
            is_list = True
        elif len(parts) == 2:
            is_list = is_list or all(_looks_first_last(p) for p in parts)
        elif len(parts) == 3 and any(p.lower() in _JR_WORDS for p in parts[1:]):
            continue
        else:
            is_list = True
    if not is_list:
        return None
    return [p for parts in pieces for p in parts if p]


def _repair_commas(items: list[str]) -> list[str]:
    """A comma typed for ``and`` in a "First Last" list (researcher-ding-nlp.bib:
    ``Kaiyan Zhang, Xuekai Zhu and Yuchen Zhang``): when most names of the list have no comma,
    a name whose comma separates two multi-word halves is two people."""
    with_comma = [i for i in items if "," in i]
    if not with_comma or len(items) < 3 or 2 * len(with_comma) >= len(items):
        return items
    out: list[str] = []
    for item in items:
        if "," in item:
            halves = _split_top(item, ",")
            if len(halves) == 2 and all(len(_words(h)) >= 2 for h in halves):
                out.extend(h.strip() for h in halves)
                continue
        out.append(item)
    return out


@lru_cache(maxsize=65536)
def _parse_one(item: str) -> tuple[Name | None, bool]:
    """One name of a list (cached: the same people recur across entries), and whether
    "et al." was written in it."""
    if _ET_AL_RE.match(item):
        return None, True
    text = item
    et_al = False
    stripped = _TRAILING_ET_AL_RE.sub("", text)
    if stripped != text:
        et_al = True
        text = stripped
    text, marks = _take_marks(text)
    return _split_name(text, marks, item), et_al
