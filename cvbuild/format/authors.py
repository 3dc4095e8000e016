"""An author list as rich text: owner in bold, marks as ``Mark`` nodes, long lists shortened.

Every citation style is an ``AuthorRule`` (data: how one name reads, the separators, when and
how a long list is shortened); ``format_authors`` interprets it. ``DEFAULT_RULE`` is cvbuild's
own style, and the rules below describe it:

- A name reads "Given von Family Jr" (``Name.given``/``von``/``family``/``jr`` joined by spaces);
  a corporate name reads as written. Other styles put the family name first and/or reduce the
  given names to initials (``NameForm``).
- Separators: one name "A"; two "A and B"; three or more "A, B, and C" (serial comma).
- The owner's name (``OwnerMatcher``) is wrapped in ``Strong``; the marks follow the name,
  outside the ``Strong``, as ``Mark(kind, symbol)``, equal contribution before corresponding
  before student.
- ``limit`` N > 0 and more than N names: the first N are shown. If the owner comes later, an
  ellipsis stands for the skipped names and the owner follows: "A, B, C, …, **Owner**".
  After the last name shown, the list ends ", and K more authors" where K counts **only the
  names after it** — never the ones the ellipsis already stands for — so a reader sees how
  many authors follow the owner. A lone hidden name is never summarised: "and 1 more author"
  or "…" standing for one name costs as much space as the name, so that name is printed
  instead ("A, B, C, …, **Owner**, and Last"; "A, B, C, D, **Owner**, …"). A list that ends
  on a shown name joins it with ", and" as a full list would. ``limit`` 0 shows all names.

  Why not always show the last (senior) author ("…, **Owner**, …, Last")? It hides how many
  names sit between, and the count is what a committee reads to place the owner in a big
  team; when the owner is second to last, the rule above prints the last author anyway.
  (APA 7 does show the last author after an ellipsis: ``AuthorRule.keep_last``.)
- ``et_al`` (the file said ``and others``): the list ends ", et al." ("A et al." for one name),
  and a shortened list ends ", et al." too, since the true count is unknown. Styles whose
  rule ends a shortened list in "et al." (``tail="et_al"``) do so whatever the count; the
  owner is still shown, after an ellipsis ("A. Smith, …, **L. Marchetti**, et al.").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from cvbuild.bib.annotations import STUDENT
from cvbuild.bib.model import CORRESPONDING, EQUAL, Name
from cvbuild.format.owner import OwnerMatcher
from cvbuild.i18n.locales import is_cjk
from cvbuild.i18n.phrases import ENGLISH, Phrases
from cvbuild.richtext import Mark, Node, RichText, Strong, Text, merge_text

__all__ = [
    "LEGENDS",
    "SYMBOLS",
    "MARK_ORDER",
    "STUDENT_LEGEND",
    "STUDENT_SYMBOL",
    "NameForm",
    "AuthorRule",
    "DEFAULT_RULE",
    "format_authors",
    "format_name",
    "initials",
    "name_text",
    "marks_for",
    "shown_positions",
]

LEGENDS: dict[str, str] = {EQUAL: "Equal contribution", CORRESPONDING: "Corresponding author"}
SYMBOLS: dict[str, str] = {EQUAL: "*", CORRESPONDING: "†"}
STUDENT_LEGEND = "Student or mentee"
STUDENT_SYMBOL = "§"
MARK_ORDER: tuple[str, ...] = (EQUAL, CORRESPONDING, STUDENT)

ELLIPSIS = "…"
ET_AL = "et al."


@dataclass(frozen=True)
class NameForm:
    """How one person's name reads.

    ``family_first``: "Family, Given" (``family_sep`` between); else "Given Family".
    ``initials``: the given names become initials, each followed by ``initial_dot`` and
    separated by ``initial_space`` ("G. M." with "." and " "; "GM" with "" and ""); the parts
    of a hyphenated name keep the hyphen when ``keep_hyphen`` ("J.-P.").
    ``jr_sep``: what goes before "Jr" ("Given Family Jr" / "Family, G., Jr").
    """

    family_first: bool = False
    initials: bool = False
    family_sep: str = ", "
    initial_dot: str = "."
    initial_space: str = " "
    keep_hyphen: bool = True
    jr_sep: str = " "


@dataclass(frozen=True)
class AuthorRule:
    """How a list of names reads and shortens.

    Shortening: with more than ``shorten_over`` names (0: never, unless ``limit`` is given)
    the first ``keep`` are shown, the owner always (after an ellipsis when later), and the
    last name too when ``keep_last``; ``tail`` ends a list with hidden names after the last
    one shown: "count" ("and K more authors") or "et_al".
    """

    first: NameForm = field(default_factory=NameForm)
    rest: NameForm = field(default_factory=NameForm)
    sep: str = ", "
    two_sep: str = " and "
    last_sep: str = ", and "
    et_al_sep: str = ", "  # before "et al." after two names or more ("A et al." for one)
    shorten_over: int = 0
    keep: int = 0
    keep_last: bool = False
    tail: str = "count"  # count | et_al


DEFAULT_RULE = AuthorRule()

_RUN_OF_CAPITALS = re.compile(r"^[A-Z]{2,3}$")
_HYPHENS = re.compile(r"[-‐‑]")


def initials(given: str, dot: str = ".", space: str = " ", keep_hyphen: bool = True) -> str:
    """ "Jean-Pierre Marie" → "J.-P. M."; "J. M." and "JM" → "J. M."; ``dot``/``space`` ""
    → "JPM"."""
    out: list[str] = []
    for word in given.split():
        bare = word.replace(".", "")
        if _RUN_OF_CAPITALS.match(bare):  # "JM": a run of initials written without dots
            out.extend(c + dot for c in bare)
            continue
        for chunk in (c for c in word.split(".") if c):
            pieces = [p for p in _HYPHENS.split(chunk) if p]
            letters = [next((c for c in p if c.isalpha()), p[:1]) + dot for p in pieces]
            if not letters:
                continue
            if keep_hyphen and len(letters) > 1:
                out.append("-".join(letters))
            else:
                out.extend(letters)
    return space.join(out)


def format_name(name: Name, form: NameForm) -> str:
    """One name in ``form``; a corporate name as written."""
    if name.corporate:
        return name.family
    given = name.given
    if form.initials and given:
        given = initials(given, form.initial_dot, form.initial_space, form.keep_hyphen)
    family = " ".join(p for p in (name.von, name.family) if p)
    if form.family_first:
        text = family + (form.family_sep + given if given else "")
    else:
        text = " ".join(p for p in (given, family) if p)
    if name.jr:
        text += form.jr_sep + name.jr
    return text


CJK_NAME_FORM = NameForm(family_first=True, family_sep="")  # 徐宇辉: family, given, no space


def is_cjk_name(name: Name) -> bool:
    """Written in Han, kana or Hangul (all of its letters): its family name comes first."""
    letters = [c for c in name.given + name.family if c.isalpha()]
    return bool(letters) and all(_cjk_letter(c) for c in letters)


def _cjk_letter(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
    )


def name_text(name: Name) -> str:
    """How a reader sees one name in the default style: "Given von Family Jr"."""
    return format_name(name, DEFAULT_RULE.first)


def marks_for(
    name: Name, extra: frozenset[str] = frozenset(), symbols: Mapping[str, str] | None = None
) -> tuple[Mark, ...]:
    kinds = name.marks | extra
    table = symbols if symbols is not None else SYMBOLS
    return tuple(
        Mark(kind, table.get(kind, STUDENT_SYMBOL)) for kind in MARK_ORDER if kind in kinds
    )


@lru_cache(maxsize=65536)
@lru_cache(maxsize=16384)
def _piece(
    name: Name, form: NameForm, is_owner: bool, student: bool, student_symbol: str
) -> RichText:
    label: Node = Text(format_name(name, form))
    if is_owner:
        label = Strong((label,))
    extra = frozenset({STUDENT}) if student else frozenset()
    table = {**SYMBOLS, STUDENT: student_symbol}
    return (label, *marks_for(name, extra, table))


def localized_rule(rule: AuthorRule, locale: str) -> AuthorRule:
    """``rule`` with its English "and" in the language's own words (CLDR's list pattern);
    a style's "&" and comma-only lists stay."""
    if locale == "en" or "and" not in rule.two_sep + rule.last_sep:
        return rule
    from dataclasses import replace

    from cvbuild.i18n.dates import conjunctions

    two, middle, last = conjunctions(locale)
    return replace(
        rule,
        two_sep=two if "and" in rule.two_sep else rule.two_sep,
        last_sep=last if "and" in rule.last_sep else rule.last_sep,
        sep=middle if rule.sep == ", " and "and" in rule.last_sep else rule.sep,
    )


def more_authors(k: int, phrases: Phrases = ENGLISH) -> str:
    """ "and K more authors" in the build's language, with CLDR's plural rules."""
    return phrases.plural("more_authors", k)


def format_authors(
    names: Sequence[Name],
    et_al: bool,
    owner: OwnerMatcher | None,
    limit: int,
    rule: AuthorRule = DEFAULT_RULE,
    students: OwnerMatcher | None = None,
    student_symbol: str = STUDENT_SYMBOL,
    phrases: Phrases = ENGLISH,
) -> RichText:
    """The author list of one publication; see the module docstring for the rules.

    ``limit`` > 0 replaces the style's own shortening (first ``limit`` names); ``students``
    matches the names that get the student mark.
    """
    et_al_text = phrases("et_al")
    rule = localized_rule(rule, phrases.locale)
    cjk_text = is_cjk(phrases.locale)
    if not names:
        return (Text(et_al_text),) if et_al else ()
    keep, over = (limit, limit) if limit > 0 else (rule.keep, rule.shorten_over)
    if over <= 0 or len(names) <= over:
        keep = 0
    owner_at = _owner_position(names, owner, keep)
    shown = shown_positions(len(names), keep, owner_at, rule.keep_last, rule.tail == "count")
    pieces: list[RichText] = []
    previous = -1
    for i in shown:
        if i > previous + 1:
            pieces.append((Text(ELLIPSIS),))
        form = rule.first if i == 0 else rule.rest
        if cjk_text and is_cjk_name(names[i]):  # in a CJK CV: 徐宇辉, never 宇辉 徐
            form = CJK_NAME_FORM
        is_owner = owner is not None and owner.matches(names[i])
        student = students is not None and not is_owner and students.matches(names[i])
        # person.display: canonical prints person.name wherever the owner is matched
        name = owner.shown(names[i]) if is_owner and owner is not None else names[i]
        pieces.append(_piece(name, form, is_owner, student, student_symbol))
        previous = i
    after = len(names) - 1 - shown[-1]  # names hidden after the last one shown
    truncated = len(shown) < len(names)

    out: list[Node] = []
    if truncated and (after or et_al):
        _join_plain(out, pieces, rule.sep)
        if et_al or rule.tail == "et_al":
            out.append(Text(f"{rule.et_al_sep}{et_al_text}"))
        else:
            out.append(Text(f", {more_authors(after, phrases)}"))
    elif et_al:
        _join_plain(out, pieces, rule.sep)
        out.append(Text(f" {et_al_text}" if len(pieces) == 1 else f"{rule.et_al_sep}{et_al_text}"))
    elif truncated and rule.keep_last:  # APA: "A, B, …, Last", no "&" before the last
        _join_plain(out, pieces, rule.sep)
    else:
        _join_serial(out, pieces, rule)
    return merge_text(out)


def _owner_position(names: Sequence[Name], owner: OwnerMatcher | None, limit: int) -> int | None:
    """Where the owner first appears after the first ``limit`` names (None: not there)."""
    if owner is None or limit <= 0:
        return None
    return next((i for i in range(limit, len(names)) if owner.matches(names[i])), None)


def shown_positions(
    count: int,
    limit: int,
    owner_at: int | None = None,
    keep_last: bool = False,
    lone_tail: bool = True,
) -> list[int]:
    """Indexes of the names printed out of ``count``: the first ``limit`` (0 = all), the
    owner's (``owner_at``) when later, the last when ``keep_last``, and any name that would
    be the only one hidden in a gap, or at the end when ``lone_tail`` (an "et al." style
    says "et al." even for one name, as its rule asks)."""
    if limit <= 0 or count <= limit:
        return list(range(count))
    shown = list(range(limit))
    if owner_at is not None and owner_at >= limit:
        if owner_at == limit + 1:  # an ellipsis for one name: print the name
            shown.append(limit)
        shown.append(owner_at)
    if keep_last and shown[-1] != count - 1:
        if count - 1 - shown[-1] == 2:  # an ellipsis for one name: print the name
            shown.append(count - 2)
        shown.append(count - 1)
    if lone_tail and count - 1 - shown[-1] == 1:  # "and 1 more author": print the name
        shown.append(count - 1)
    return shown


def _join_plain(out: list[Node], pieces: list[RichText], sep: str) -> None:
    for i, piece in enumerate(pieces):
        if i:
            out.append(Text(sep))
        out.extend(piece)


def _join_serial(out: list[Node], pieces: list[RichText], rule: AuthorRule) -> None:
    n = len(pieces)
    for i, piece in enumerate(pieces):
        if i:
            if n == 2:
                out.append(Text(rule.two_sep))
            elif i == n - 1:
                out.append(Text(rule.last_sep))
            else:
                out.append(Text(rule.sep))
        out.extend(piece)
