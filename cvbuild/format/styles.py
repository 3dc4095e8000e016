"""Citation styles as data: one ``Style`` per name, read by ``format.publication``.

A style says how names read and a list shortens (``AuthorRule``), and, per kind of entry
(``journal``, ``proceedings``, ``other``), the reference as a row of ``Block`` s. A block is a
run of ``Part`` s (fields) that ends with ``end`` ("." by default) when any of its parts is
present; blocks are joined by a space. Each part is a field name (see ``FIELDS``), text
before it (``prefix``), a wrapper (quotes, parentheses), a style (``emph`` / ``strong``)
and what joins it to the part before it in the block (``join``; the block's ``sep`` when
``None``). ``solo_prefix`` replaces ``prefix`` (and the join becomes ``sep``) when the part
just before it is absent: "27(4)" but "no. 4".

The rules used for each preset, and where they come from:

- ``default``: cvbuild's own: "Given Family", "A, B, and C"; shortened only by
  ``author_limit`` ("…, **Owner**, and K more authors").
- ``apa`` (APA Publication Manual, 7th ed., §9.8 and §10.1): "Family, G. M."; "A, B, & C"
  (a comma before "&" even for two); 1–20 authors all listed; 21 or more: the first 19, an
  ellipsis, the last author. (Year). Title. *Journal*, *volume*(issue), pages.
- ``ieee`` (IEEE Reference Guide, 2018 and later): "G. M. Family"; "A, B, and C"; more than 6
  authors: the first author and "et al."; A, “Title,” *Journal*, vol. 27, no. 4,
  pp. 210–224, 2024; proceedings "in *Booktitle*, 2024, pp. 1–9".
- ``chicago`` (Chicago Manual of Style, 17th ed., author–date, §15.9 and §14.76): the first
  author "Family, Given", the others "Given Family"; "A, B, and C" (and "A, and B" for two);
  more than 10 authors: the first 7 and "et al."; Year. “Title.” *Journal* 27 (4): 210–224.
- ``vancouver`` (ICMJE recommendations / NLM *Citing Medicine*): "Family GM" (initials
  without dots or spaces); "A, B, C" (no "and"); more than 6 authors: the first 6 and
  "et al."; Title. Journal. 2024;27(4):210-224. Journal names are not italic; page ranges
  use a hyphen.
- ``nature`` (Nature's guide for authors, references): "Family, G. M."; "A, B & C"; more than
  5 authors: the first author and "et al."; Title. *Journal* **27**, 210–224 (2024).

In every style the owner stays bold and is never hidden (after an ellipsis when the style
would shorten the list before them), and marks (equal contribution, corresponding,
student) follow the names.
"""

from __future__ import annotations

from dataclasses import dataclass

from cvbuild.format.authors import DEFAULT_RULE, AuthorRule, NameForm

__all__ = ["Part", "Block", "Style", "STYLES", "STYLE_NAMES", "FIELDS", "get_style"]

# The fields a part may name (computed by ``format.publication``).
FIELDS: tuple[str, ...] = (
    "authors",  # the author list (or editors with "(ed.)"), per the style's AuthorRule
    "title",
    "venue",  # journal, booktitle, "PhD thesis, school", publisher, arXiv id …
    "series",
    "volume",
    "number",
    "pages",  # "210–224" (the style's dash)
    "pp",  # "pp. 210–224" / "p. 12"
    "year",  # or its label ("in press")
    "note",
)


# A prefix in braces is a word of the CV's language (``cvbuild.i18n.phrases``), not text:
# ``{in}``/``{In}`` "in"/"In" before a venue (``in_venue``), ``{In:}`` "In:" (``in_nlm``),
# ``{vol}``/``{Vol}`` (``volume``), ``{no}``/``{No}`` (``number``), ``{p}`` (``page``). A
# capital first letter capitalizes the word; the phrase's text around its placeholder goes
# before and after the value ("{n}. köt.", "第 {n} 巻").
WORDS: dict[str, str] = {
    "in": "in_venue",
    "in:": "in_nlm",
    "vol": "volume",
    "no": "number",
    "p": "page",
}


@dataclass(frozen=True)
class Part:
    field: str
    prefix: str = ""  # text, or a word in braces (see WORDS)
    wrap: tuple[str, str] = ("", "")
    style: str = ""  # "" | emph | strong
    join: str | None = None  # before this part when a part precedes it; None: block sep
    solo_prefix: str | None = None  # prefix when the part just before it is absent
    capitalize: bool = False  # the value starts a sentence: "Submitted." not "submitted."


@dataclass(frozen=True)
class Block:
    parts: tuple[Part, ...]
    sep: str = ", "
    end: str = "."


def _b(*parts: Part | str, sep: str = ", ", end: str = ".") -> Block:
    return Block(tuple(p if isinstance(p, Part) else Part(p) for p in parts), sep, end)


@dataclass(frozen=True)
class Style:
    name: str
    authors: AuthorRule
    journal: tuple[Block, ...]
    proceedings: tuple[Block, ...]
    other: tuple[Block, ...]
    venue_emph: bool = True  # the venue in italics
    page_dash: str = "–"
    quote_punct_inside: bool = False  # “Title,” rather than “Title”,
    title: str = ""  # a human name for docs


_Q = ("\u201c", "\u201d")  # “ ”
_NOTE = _b("note")

DEFAULT = Style(
    "default",
    DEFAULT_RULE,
    journal=(
        _b("authors"),
        _b("title"),
        _b(
            "venue",
            "volume",
            Part("number", wrap=("(", ")"), join="", solo_prefix="{no}"),
            "pages",
            "year",
        ),
        _NOTE,
    ),
    proceedings=(
        _b("authors"),
        _b("title"),
        _b(
            Part("venue", prefix="{In}"),
            "series",
            Part("volume", "{vol}"),
            Part("number", "{no}"),
            "pp",
            "year",
        ),
        _NOTE,
    ),
    other=(
        _b("authors"),
        _b("title"),
        _b("venue", "series", Part("volume", "{vol}"), Part("number", "{no}"), "pp", "year"),
        _NOTE,
    ),
    title="cvbuild's own",
)

_INITIALS_FIRST = NameForm(family_first=True, initials=True, jr_sep=", ")

APA = Style(
    "apa",
    AuthorRule(
        first=_INITIALS_FIRST,
        rest=_INITIALS_FIRST,
        two_sep=", & ",
        last_sep=", & ",
        shorten_over=20,
        keep=19,
        keep_last=True,
        tail="et_al",
    ),
    journal=(
        _b("authors"),
        _b(Part("year", wrap=("(", ")"))),
        _b("title"),
        _b(
            "venue",
            Part("volume", style="emph"),
            Part("number", wrap=("(", ")"), join=""),
            "pages",
        ),
        _NOTE,
    ),
    proceedings=(
        _b("authors"),
        _b(Part("year", wrap=("(", ")"))),
        _b("title"),
        _b(Part("venue", prefix="{In}"), Part("pp", wrap=("(", ")"), join=" ")),
        _NOTE,
    ),
    other=(
        _b("authors"),
        _b(Part("year", wrap=("(", ")"))),
        _b("title"),
        _b("venue", "series", Part("volume", "{Vol}"), Part("number", "{No}"), "pp"),
        _NOTE,
    ),
    title="APA 7",
)

_IEEE_TITLE = Part("title", wrap=_Q)
IEEE = Style(
    "ieee",
    AuthorRule(
        first=NameForm(initials=True, jr_sep=", "),
        rest=NameForm(initials=True, jr_sep=", "),
        shorten_over=6,
        keep=1,
        tail="et_al",
        et_al_sep=" ",
    ),
    journal=(
        _b(
            "authors",
            _IEEE_TITLE,
            "venue",
            Part("volume", "{vol}"),
            Part("number", "{no}"),
            "pp",
            "year",
        ),
        _NOTE,
    ),
    proceedings=(
        _b("authors", _IEEE_TITLE, Part("venue", prefix="{in}"), "year", "pp"),
        _NOTE,
    ),
    other=(
        _b(
            "authors",
            _IEEE_TITLE,
            "venue",
            "series",
            Part("volume", "{vol}"),
            Part("number", "{no}"),
            "pp",
            "year",
        ),
        _NOTE,
    ),
    quote_punct_inside=True,
    title="IEEE",
)

_CHICAGO_YEAR = _b(Part("year", capitalize=True))
CHICAGO = Style(
    "chicago",
    AuthorRule(
        first=NameForm(family_first=True, jr_sep=", "),
        rest=NameForm(jr_sep=", "),
        two_sep=", and ",
        shorten_over=10,
        keep=7,
        tail="et_al",
    ),
    journal=(
        _b("authors"),
        _CHICAGO_YEAR,
        _b(Part("title", wrap=_Q)),
        _b(
            "venue",
            Part("volume", join=" "),
            Part("number", wrap=("(", ")"), join=" ", solo_prefix="{no}"),
            Part("pages", join=": "),
        ),
        _NOTE,
    ),
    proceedings=(
        _b("authors"),
        _CHICAGO_YEAR,
        _b(Part("title", wrap=_Q)),
        _b(Part("venue", prefix="{In}"), "series", "pages"),
        _NOTE,
    ),
    other=(
        _b("authors"),
        _CHICAGO_YEAR,
        _b(Part("title", wrap=_Q)),
        _b("venue", "series", Part("volume", "{vol}"), "pages"),
        _NOTE,
    ),
    quote_punct_inside=True,
    title="Chicago (author–date)",
)

_VANCOUVER_NAME = NameForm(
    family_first=True, initials=True, family_sep=" ", initial_dot="", initial_space="",
    keep_hyphen=False,
)  # fmt: skip
VANCOUVER = Style(
    "vancouver",
    AuthorRule(
        first=_VANCOUVER_NAME,
        rest=_VANCOUVER_NAME,
        two_sep=", ",
        last_sep=", ",
        shorten_over=6,
        keep=6,
        tail="et_al",
    ),
    journal=(
        _b("authors"),
        _b("title"),
        _b("venue"),
        _b(
            "year",
            Part("volume", join=";"),
            Part("number", wrap=("(", ")"), join="", solo_prefix=""),
            Part("pages", join=":"),
        ),
        _NOTE,
    ),
    proceedings=(
        _b("authors"),
        _b("title"),
        _b(Part("venue", prefix="{In:}"), Part("year", join="; ")),
        _b(Part("pages", prefix="{p}")),
        _NOTE,
    ),
    other=(
        _b("authors"),
        _b("title"),
        _b("venue", Part("year", join="; ")),
        _b(Part("pages", prefix="{p}")),
        _NOTE,
    ),
    venue_emph=False,
    page_dash="-",
    title="Vancouver",
)

_NATURE_NAME = NameForm(family_first=True, initials=True, jr_sep=", ")
_NATURE_YEAR = Part("year", wrap=("(", ")"), join=" ")
NATURE = Style(
    "nature",
    AuthorRule(
        first=_NATURE_NAME,
        rest=_NATURE_NAME,
        two_sep=" & ",
        last_sep=" & ",
        shorten_over=5,
        keep=1,
        tail="et_al",
        et_al_sep=" ",
    ),
    journal=(
        _b("authors"),
        _b("title"),
        _b("venue", Part("volume", style="strong", join=" "), "pages", _NATURE_YEAR),
        _NOTE,
    ),
    proceedings=(
        _b("authors"),
        _b("title"),
        _b(Part("venue", prefix="{in}"), Part("pages", join=" "), _NATURE_YEAR),
        _NOTE,
    ),
    other=(
        _b("authors"),
        _b("title"),
        _b("venue", _NATURE_YEAR),
        _NOTE,
    ),
    title="Nature",
)

STYLES: dict[str, Style] = {s.name: s for s in (DEFAULT, APA, IEEE, CHICAGO, VANCOUVER, NATURE)}
STYLE_NAMES: tuple[str, ...] = tuple(STYLES)


def get_style(name: str) -> Style:
    """The style called ``name``; ``default`` for "" (config has already checked the name)."""
    return STYLES[name or "default"]
