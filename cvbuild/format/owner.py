"""Is this author the CV's owner? One principled rule, no list of special cases.

Every name (the owner's, each alias, each author) is reduced to a *key*:

- **family words**: von + family, accents and case folded, split at spaces and hyphens, each
  word kept to its letters and digits (``Garc{\\'\\i}a`` = ``García`` = ``garcia``;
  ``St-Pierre`` = ``St Pierre``; ``O'Donnell`` = ``ODonnell``);
- **given parts**: the given names split at spaces, hyphens and dots; each part is a full
  name or an initial. A part is an initial when it has one letter (``J``, ``J.``) or when it is
  a run of 2–3 capitals written without dots (``JM``, ``SR``, ``MT`` → ``J``, ``M`` …).
  ``Jean-Pierre`` → ``jean``, ``pierre``; ``J.-P.`` and ``JP`` → ``j``, ``p``.

Two keys match when

1. **the family names are the same words**. The boundary between given and family names may
   differ (``Rai Bhatnagar, Sahir`` vs ``Sahir Rai Bhatnagar``): when one family is the other
   plus leading words, those words are moved to the end of that side's given names *and must
   then be matched* by given parts of the other side (rule 2). A particle (von) missing on one
   side is ignored (``Dalen, Joost`` = ``Joost van Dalen``); a different family name never
   matches.
2. **the given names are compatible**: their first parts agree, and every part of the shorter
   list agrees, in order, with some part of the longer list (middle names may be missing on
   either side). Two parts agree when both are full names and equal, or when one is an initial
   equal to the other's first letter. So ``J. M.``, ``JM``, ``J.M.``, ``J`` and ``José María``
   agree; ``Juan`` ≠ ``José``; ``L. Oman`` ≠ ``Kyle A. Oman``; ``Kyle B.`` ≠ ``Kyle A.``.
   A name with no given name at all (``{Oman}``) agrees with any given name.

Corporate names never match, with one exception: a name kept whole in braces that reads as
a person written "Last First" (``{Botha Hugo}``, ``{Clark Heather M.}``, as some reference
managers export) or "First Last" (``{Hugo Botha}``), two to four words, matches when one of
those two readings does. Marks are already removed by the bib stage.

**Display** (``person.display``): ``as_written`` (the default) prints each author as the
.bib spells them; ``canonical`` prints the owner as ``person.name`` wherever they are
matched (:meth:`OwnerMatcher.shown`), with the marks that entry gives them.

**Near misses** (``OwnerMatcher.near_miss``): a name that does not match but is most likely
the owner misspelt — a typo in the user's own file (``Zeliński`` for ``Zieliński``), which
would silently lose the bold. A name is a near miss when its given names are compatible
with the owner's (rule 2; initials count) and its folded family name is **one edit**
(insertion, deletion, substitution or swap of two neighbours) from the owner's, both being
at least 4 letters long; or when it has the owner's **full** first given name and a family
name at most two edits away, both at least 7 letters long. A different given name (``Adam
Zieliński``) is another person, and the same family name with other given names is never a
near miss either: rule 2 decided that one already.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from cvbuild.bib.model import Name
from cvbuild.bib.names import parse_names

__all__ = ["OwnerMatcher", "name_key", "NameKey", "edit_distance"]

# Letters that NFKD does not decompose into base + accent.
_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "ß": "ss",
    }
)
_SPLIT_RE = re.compile(r"[\s\-‐‑–—]+")
_GIVEN_SPLIT_RE = re.compile(r"[\s\-‐‑–—.]+")
_KEEP_RE = re.compile(r"[^\w]|_", re.UNICODE)
_RUN_OF_CAPITALS_RE = re.compile(r"^[A-Z]{2,3}$")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Accents, case and punctuation folded away: ``Garc{\\'\\i}a`` → ``garcia``."""
    text = text.translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _KEEP_RE.sub("", text.casefold())


@dataclass(frozen=True)
class Part:
    letters: str  # folded
    initial: bool

    def agrees(self, other: Part) -> bool:
        if self.initial or other.initial:
            return self.letters[:1] == other.letters[:1]
        return self.letters == other.letters


@dataclass(frozen=True)
class NameKey:
    von: tuple[str, ...]
    family: tuple[str, ...]
    given: tuple[Part, ...]


def _family_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in (fold(p) for p in _SPLIT_RE.split(text)) if w)


def _given_parts(text: str) -> tuple[Part, ...]:
    parts: list[Part] = []
    for word in text.split():
        # "J.M." / "J.-P." carry their dots; "JM" is a run of initials
        bare = word.replace(".", "").replace("-", "")
        if _RUN_OF_CAPITALS_RE.match(bare) and "-" not in word:
            parts.extend(Part(fold(c), True) for c in bare)
            continue
        for piece in _GIVEN_SPLIT_RE.split(word):
            letters = fold(piece)
            if not letters:
                continue
            parts.append(Part(letters, len(letters) == 1))
    return tuple(parts)


@lru_cache(maxsize=65536)
def name_key(name: Name) -> NameKey | None:
    """The comparison key of a name; ``None`` for corporate or empty names."""
    if name.corporate or not name.family:
        return None
    family = _family_words(name.family)
    if not family:
        return None
    return NameKey(_family_words(name.von), family, _given_parts(name.given))


def _given_compatible(a: tuple[Part, ...], b: tuple[Part, ...], must: int = 0) -> bool:
    """First parts agree; the shorter list agrees in order with a subsequence of the longer.

    ``must``: the last ``must`` parts of ``a`` were family words moved into the given names;
    each of them has to be matched (they may not be skipped as a missing middle name).
    """
    if not a or not b:
        return must == 0
    if not a[0].agrees(b[0]):
        return False
    if len(a) <= len(b):
        # moved words on the shorter side are matched anyway: every short part must be
        return given_names_fit(a[1:], b[1:], required_long=0)
    return given_names_fit(b[1:], a[1:], required_long=must)


def given_names_fit(short: tuple[Part, ...], long: tuple[Part, ...], required_long: int) -> bool:
    """Can every part of ``short`` be matched, in order, to parts of ``long`` while the last
    ``required_long`` parts of ``long`` are all matched (never skipped)?

    The required parts are consecutive and all matched, so the last ``required_long`` parts
    of ``short`` go onto them one to one; the rest is a plain in-order subsequence, which
    matching each part to the earliest agreeing one decides (a later choice leaves fewer
    parts for the rest). A loop, not a search: a name of 1,000 parts costs 1,000 steps.
    """
    if required_long:
        if len(short) < required_long:
            return False
        tail = zip(short[-required_long:], long[-required_long:], strict=True)
        if not all(a.agrees(b) for a, b in tail):
            return False
        short, long = short[:-required_long], long[:-required_long]
    k = 0
    for part in short:
        while k < len(long) and not part.agrees(long[k]):
            k += 1
        if k == len(long):
            return False
        k += 1
    return True


def keys_match(owner: NameKey, other: NameKey) -> bool:
    if _keys_match(owner, other, with_von=True):
        return True
    if bool(owner.von) != bool(other.von):
        return _keys_match(owner, other, with_von=False)
    return False


def _keys_match(a: NameKey, b: NameKey, with_von: bool) -> bool:
    fa = (a.von + a.family) if with_von else a.family
    fb = (b.von + b.family) if with_von else b.family
    ga, gb = a.given, b.given
    if fa == fb:
        return _given_compatible(ga, gb)
    # one family is the other plus leading words: those words belong to the given names
    if len(fa) > len(fb) and fa[-len(fb) :] == fb:
        moved = tuple(Part(w, False) for w in fa[: len(fa) - len(fb)])
        return _given_compatible(ga + moved, gb, must=len(moved))
    if len(fb) > len(fa) and fb[-len(fa) :] == fa:
        moved = tuple(Part(w, False) for w in fb[: len(fb) - len(fa)])
        return _given_compatible(gb + moved, ga, must=len(moved))
    return False


def edit_distance(a: str, b: str, cap: int = 3) -> int:
    """Edits (insert, delete, substitute, swap neighbours) from ``a`` to ``b``; ``cap`` when
    it is at least ``cap`` (the lengths alone may already say so)."""
    if abs(len(a) - len(b)) >= cap:
        return cap
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) >= cap:
            return cap
        previous2, previous = previous, row
    return min(previous[-1], cap)


def _near(owner: NameKey, other: NameKey) -> bool:
    mine, theirs = "".join(owner.family), "".join(other.family)
    if mine == theirs or not other.given:
        return False
    distance = edit_distance(mine, theirs)
    shortest = min(len(mine), len(theirs))
    if distance == 1 and shortest >= 4 and _given_compatible(owner.given, other.given):
        return True
    first_mine, first_theirs = owner.given[:1], other.given[:1]
    same_given = (
        bool(first_mine and first_theirs)
        and not first_mine[0].initial
        and not first_theirs[0].initial
        and first_mine[0].letters == first_theirs[0].letters
    )
    return same_given and distance <= 2 and shortest >= 7


def _readings(n: Name) -> tuple[NameKey | None, ...]:
    """The keys ``n`` may stand for: its own, or for a braced literal of two to four words
    (``{Botha Hugo}``) the "Last First" and "First Last" readings of it."""
    if not n.corporate or n.elision:
        return (name_key(n),)
    words = n.family.split()
    if not 2 <= len(words) <= 4 or any(not w[:1].isupper() for w in words):
        return ()
    last_first = Name(given=" ".join(words[1:]), family=words[0])
    first_last = Name(given=" ".join(words[:-1]), family=words[-1])
    return (name_key(last_first), name_key(first_last))


class OwnerMatcher:
    """Recognises the owner's name (``person.name`` plus ``aliases``) in author lists.

    The owner's name and each alias may be written "First Last" or "Last, First" and may
    carry LaTeX. See the module docstring for the rule.
    """

    def __init__(self, name: str, aliases: Sequence[str] = (), display: str = "as_written") -> None:
        keys: list[NameKey] = []
        canonical: Name | None = None
        for spelling in (name, *aliases):
            if not spelling or not spelling.strip():
                continue
            names, _ = parse_names(spelling)
            for n in names[:1]:  # one person per spelling
                canonical = canonical or n
                key = name_key(n)
                if key is not None and key not in keys:
                    keys.append(key)
        self._keys = tuple(keys)
        self._cache: dict[Name, bool] = {}
        self._near_cache: dict[Name, bool] = {}
        self._canonical = canonical if display == "canonical" else None

    @property
    def keys(self) -> tuple[NameKey, ...]:
        return self._keys

    def matches(self, n: Name) -> bool:
        hit = self._cache.get(n)
        if hit is None:
            hit = any(
                other is not None and any(keys_match(k, other) for k in self._keys)
                for other in _readings(n)
            )
            self._cache[n] = hit
        return hit

    def shown(self, n: Name) -> Name:
        """The name to print for ``n``: ``person.name`` (with ``n``'s marks) when the display
        is ``canonical`` and ``n`` is the owner, else ``n`` itself."""
        if self._canonical is None or not self.matches(n):
            return n
        return replace(self._canonical, marks=n.marks, raw=n.raw)

    def near_miss(self, n: Name) -> bool:
        """Not the owner by the rule, but most likely the owner misspelt (module docstring)."""
        hit = self._near_cache.get(n)
        if hit is None:
            other = None if self.matches(n) else name_key(n)
            hit = other is not None and any(_near(k, other) for k in self._keys)
            self._near_cache[n] = hit
        return hit
