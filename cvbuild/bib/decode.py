"""LaTeX (and stray HTML) in BibTeX field values → plain Unicode text.

One job: take the text of a field as written between its braces and return what a
reader of the typeset result would see, as plain Unicode with no markup left:

- braces removed, ``--``/``---`` → en/em dash, ``~`` → space, ``\\&`` → ``&``,
  ``` `` ``` / ``''`` → curly quotes, ``<<…>>`` → «…»;
- accents in every spelling (``{\\'e}``, ``\\'{e}``, ``\\'e``, ``{\\"U}``, ``{\\.{e}}``,
  ``\\c{c}``, ``\\'\\i``) composed to one code point;
- math kept meaningful: ``$\\mathcal{O}(n^2)$`` → ``O(n²)``, ``$\\sim$`` → ``∼``,
  ``H$_2$O`` → ``H₂O``, ``GaLore $+ $:`` → ``GaLore+:``;
- formatting commands keep their text (``\\emph{x}`` → ``x``), ``\\href{url}{text}``
  keeps the text, ``\\noopsort{…}`` (a sorting trick) disappears;
- ADS journal macros (``\\mnras``, ``\\apj`` …) become the journal abbreviation;
- an undefined command (``\\newlin``) is dropped, its argument text kept; never raises;
- HTML tags are not markup for us: ``<sup>``/``<sub>`` become super/subscript
  characters where Unicode has them, ``<br>`` a space, any other known tag is
  removed keeping its text; entities (``&amp;``) are unescaped.

Decoding is cached per string (:func:`decode_latex` is an ``lru_cache``) and strings
with nothing to decode take a fast path, so large files load quickly.

Nesting is bounded: a value whose groups, command arguments, math or HTML tags nest
deeper than :data:`MAX_NESTING` levels (``{{{…}}}`` 400 deep, 5,000 ``\\'{``) is not read
by the recursive reader; every command, brace and math sign is removed from it
instead (:func:`decode_latex_checked` says so, and the ``bib`` stage turns that into a
located warning for the entry). No input can reach Python's recursion limit.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

__all__ = [
    "MAX_NESTING",
    "decode_latex",
    "decode_latex_checked",
    "may_nest_too_deep",
    "unescape_html",
    "decode_verbatim",
    "join_prefix_scripts",
    "to_superscript",
    "to_subscript",
]

# Deeper than any real title (a handful of levels); far below the recursion limit
# (the reader uses about four Python frames per level).
MAX_NESTING = 64

# --- tables -----------------------------------------------------------------------

# Accent commands → the combining character they put on their argument.
_ACCENTS: dict[str, str] = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "d": "\u0323",
    "b": "\u0331",
    "r": "\u030a",
    "k": "\u0328",
    "t": "\u0361",
}
# The accent written alone (``\'{}``) shows the spacing accent.
_SPACING_ACCENTS: dict[str, str] = {
    "'": "´",
    "`": "`",
    "^": "^",
    '"': "¨",
    "~": "~",
    "=": "¯",
    ".": "˙",
    "u": "˘",
    "v": "ˇ",
    "H": "˝",
    "c": "¸",
    "r": "˚",
    "k": "˛",
}

# Commands without argument → their text.
_SYMBOLS: dict[str, str] = {
    # letters
    "i": "ı",
    "j": "ȷ",
    "l": "ł",
    "L": "Ł",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "ss": "ß",
    "SS": "SS",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    # escaped specials
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    "\\": " ",
    ",": " ",
    ";": " ",
    ":": " ",
    ">": " ",
    "!": "",
    "-": "",
    "/": "",
    "@": "",
    "quad": " ",
    "qquad": " ",
    "enspace": " ",
    "thinspace": " ",
    "space": " ",
    "nobreakspace": " ",
    "newline": " ",
    "linebreak": " ",
    "par": " ",
    "relax": "",
    "protect": "",
    "newblock": " ",
    "noindent": "",
    "unskip": "",
    "break": " ",
    "hfill": " ",
    "xspace": "",
    "left": "",
    "right": "",
    "big": "",
    "Big": "",
    "bigg": "",
    "Bigg": "",
    "displaystyle": "",
    "textstyle": "",
    "scriptstyle": "",
    # font switches written as ``{\em …}`` keep the text that follows
    "em": "",
    "it": "",
    "bf": "",
    "sc": "",
    "rm": "",
    "sf": "",
    "tt": "",
    "sl": "",
    "itshape": "",
    "bfseries": "",
    "scshape": "",
    "upshape": "",
    "normalfont": "",
    "small": "",
    "footnotesize": "",
    "scriptsize": "",
    "tiny": "",
    "large": "",
    "Large": "",
    "LARGE": "",
    "huge": "",
    "Huge": "",
    "normalsize": "",
    "selectfont": "",
    # punctuation and text symbols
    "dag": "†",
    "ddag": "‡",
    "dagger": "†",
    "ddagger": "‡",
    "textdagger": "†",
    "textdaggerdbl": "‡",
    "S": "§",
    "P": "¶",
    "textsection": "§",
    "textparagraph": "¶",
    "copyright": "©",
    "textcopyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "cdots": "⋯",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "lq": "‘",
    "rq": "’",
    "guillemotleft": "«",
    "guillemotright": "»",
    "flqq": "«",
    "frqq": "»",
    "textbullet": "•",
    "textperiodcentered": "·",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbackslash": "\\",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textquotesingle": "'",
    "textasciigrave": "`",
    "textunderscore": "_",
    "textdegree": "°",
    "degree": "°",
    "textmu": "µ",
    "textperthousand": "‰",
    "texteuro": "€",
    "euro": "€",
    "pounds": "£",
    "textsterling": "£",
    "textyen": "¥",
    "textcent": "¢",
    "textdollar": "$",
    "textexclamdown": "¡",
    "textquestiondown": "¿",
    "checkmark": "✓",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "LaTeXe": "LaTeX2e",
    "XeTeX": "XeTeX",
    "today": "",
    # Greek
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ϵ",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "varpi": "ϖ",
    "rho": "ρ",
    "varrho": "ϱ",
    "sigma": "σ",
    "varsigma": "ς",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "ϕ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Upsilon": "Υ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
    # math symbols
    "times": "×",
    "cdot": "·",
    "div": "÷",
    "pm": "±",
    "mp": "∓",
    "ast": "∗",
    "star": "⋆",
    "bullet": "•",
    "circ": "∘",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "lesssim": "≲",
    "gtrsim": "≳",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "equiv": "≡",
    "cong": "≅",
    "propto": "∝",
    "ll": "≪",
    "gg": "≫",
    "infty": "∞",
    "partial": "∂",
    "nabla": "∇",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "oint": "∮",
    "in": "∈",
    "notin": "∉",
    "ni": "∋",
    "subset": "⊂",
    "subseteq": "⊆",
    "supset": "⊃",
    "supseteq": "⊇",
    "cup": "∪",
    "cap": "∩",
    "setminus": "∖",
    "emptyset": "∅",
    "varnothing": "∅",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "lnot": "¬",
    "land": "∧",
    "wedge": "∧",
    "lor": "∨",
    "vee": "∨",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "gets": "←",
    "leftrightarrow": "↔",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "Leftrightarrow": "⇔",
    "implies": "⟹",
    "iff": "⟺",
    "mapsto": "↦",
    "uparrow": "↑",
    "downarrow": "↓",
    "odot": "⊙",
    "oplus": "⊕",
    "otimes": "⊗",
    "ominus": "⊖",
    "sun": "☉",
    "astrosun": "☉",
    "earth": "⊕",
    "prime": "′",
    "ell": "ℓ",
    "hbar": "ℏ",
    "Re": "ℜ",
    "Im": "ℑ",
    "aleph": "ℵ",
    "angle": "∠",
    "perp": "⊥",
    "parallel": "∥",
    "mid": "|",
    "vert": "|",
    "lvert": "|",
    "rvert": "|",
    "|": "‖",
    "Vert": "‖",
    "langle": "⟨",
    "rangle": "⟩",
    "lfloor": "⌊",
    "rfloor": "⌋",
    "lceil": "⌈",
    "rceil": "⌉",
    "lbrace": "{",
    "rbrace": "}",
    "colon": ":",
    "vdots": "⋮",
    "ddots": "⋱",
    "top": "⊤",
    "bot": "⊥",
    "square": "□",
    "Box": "□",
    "triangle": "△",
    "diamond": "⋄",
    "sharp": "♯",
    "flat": "♭",
}

# Operator names: in math they print as the word, separated from what follows.
_OPERATORS: frozenset[str] = frozenset(
    [
        "log",
        "ln",
        "lg",
        "exp",
        "sin",
        "cos",
        "tan",
        "cot",
        "sec",
        "csc",
        "arcsin",
        "arccos",
        "arctan",
        "sinh",
        "cosh",
        "tanh",
        "max",
        "min",
        "sup",
        "inf",
        "lim",
        "limsup",
        "liminf",
        "arg",
        "det",
        "dim",
        "ker",
        "gcd",
        "deg",
        "hom",
        "Pr",
        "mod",
        "bmod",
    ]
)

# ADS (NASA Astrophysics Data System) journal macros → abbreviation as journals print it.
_ADS_JOURNALS: dict[str, str] = {
    "aj": "AJ",
    "actaa": "Acta Astron.",
    "araa": "ARA&A",
    "apj": "ApJ",
    "apjl": "ApJL",
    "apjs": "ApJS",
    "ao": "Appl. Opt.",
    "apss": "Ap&SS",
    "aap": "A&A",
    "aapr": "A&A Rev.",
    "aaps": "A&AS",
    "azh": "AZh",
    "baas": "BAAS",
    "bain": "Bull. Astron. Inst. Netherlands",
    "caa": "Chinese Astron. Astrophys.",
    "cjaa": "Chinese J. Astron. Astrophys.",
    "icarus": "Icarus",
    "jcap": "JCAP",
    "jrasc": "JRASC",
    "memras": "MmRAS",
    "mnras": "MNRAS",
    "na": "New Astron.",
    "nar": "New Astron. Rev.",
    "pra": "Phys. Rev. A",
    "prb": "Phys. Rev. B",
    "prc": "Phys. Rev. C",
    "prd": "Phys. Rev. D",
    "pre": "Phys. Rev. E",
    "prl": "Phys. Rev. Lett.",
    "pasa": "PASA",
    "pasp": "PASP",
    "pasj": "PASJ",
    "rmxaa": "Rev. Mexicana Astron. Astrofis.",
    "qjras": "QJRAS",
    "skytel": "Sky & Telescope",
    "solphys": "Sol. Phys.",
    "sovast": "Soviet Ast.",
    "ssr": "Space Sci. Rev.",
    "zap": "ZAp",
    "nat": "Nature",
    "iaucirc": "IAU Circ.",
    "aplett": "Astrophys. Lett.",
    "apspr": "Astrophys. Space Phys. Res.",
    "fcp": "Fund. Cosmic Phys.",
    "gca": "Geochim. Cosmochim. Acta",
    "grl": "Geophys. Res. Lett.",
    "jcp": "J. Chem. Phys.",
    "jgr": "J. Geophys. Res.",
    "jqsrt": "JQSRT",
    "memsai": "Mem. Soc. Astron. Italiana",
    "nphysa": "Nucl. Phys. A",
    "physrep": "Phys. Rep.",
    "physscr": "Phys. Scr.",
    "planss": "Planet. Space Sci.",
    "procspie": "Proc. SPIE",
    "psj": "PSJ",
}

# One-argument commands whose argument text is kept as it is.
_KEEP_ARG: frozenset[str] = frozenset(
    [
        "textbf",
        "textit",
        "emph",
        "textsl",
        "textsc",
        "texttt",
        "textrm",
        "textsf",
        "textup",
        "textmd",
        "textnormal",
        "mbox",
        "hbox",
        "fbox",
        "makebox",
        "text",
        "textmd",
        "mathrm",
        "mathbf",
        "mathit",
        "mathsf",
        "mathtt",
        "mathcal",
        "mathscr",
        "mathfrak",
        "mathnormal",
        "boldsymbol",
        "bm",
        "operatorname",
        "underline",
        "uline",
        "ul",
        "textup",
        "uppercase",
        "MakeUppercase",
        "lowercase",
        "MakeLowercase",
        "NoCaseChange",
        "enquote",
        "emphasize",
        "acro",
        "acronym",
        "ac",
        "textenglish",
        "overline",
        "widetilde",
        "widehat",
        "hat",
        "tilde",
        "bar",
        "vec",
        "dot",
        "ddot",
        "check",
        "breve",
        "acute",
        "grave",
    ]
)
# One-argument commands whose argument is dropped.
_DROP_ARG: frozenset[str] = frozenset(
    [
        "noopsort",
        "hspace",
        "vspace",
        "color",
        "label",
        "ref",
        "cite",
        "citep",
        "citet",
        "nocite",
        "footnote",
        "index",
        "phantom",
        "hphantom",
        "vphantom",
        "ignore",
        "pagestyle",
        "thispagestyle",
        "includegraphics",
        "bibitem",
        "sortkey",
    ]
)
# Two-argument commands: which argument to keep (0 or 1); the other is dropped.
_TWO_ARGS: dict[str, int] = {
    "href": 1,
    "texorpdfstring": 1,
    "textcolor": 1,
    "colorbox": 1,
    "foreignlanguage": 1,
    "bibinfo": 1,
    "setlength": -1,
    "IfFileExists": -1,
}
# Commands whose argument is verbatim (URLs).
_VERBATIM_ARG: frozenset[str] = frozenset({"url", "nolinkurl", "path", "doi"})

_DOUBLE_STRUCK: dict[str, str] = {
    "R": "ℝ",
    "N": "ℕ",
    "Z": "ℤ",
    "Q": "ℚ",
    "C": "ℂ",
    "P": "ℙ",
    "E": "𝔼",
    "H": "ℍ",
}

_SUP = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW*†‡′'−‑–∗⋆",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ*†‡′′⁻⁻⁻*⋆",
        strict=True,
    )
)
_SUP_CHARS = frozenset(_SUP.values())
_SUB = dict(
    zip("0123456789+-=()aehijklmnoprstuvx−‑", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ₋₋", strict=True)
)

_HTML_TAGS = (
    "a|abbr|b|big|blockquote|br|center|code|del|div|em|font|h[1-6]|hr|i|img|ins|kbd|li|mark|"
    "nobr|ol|p|pre|q|s|small|span|strike|strong|sub|sup|tt|u|ul|wbr"
)
_BREAKING_TAGS = frozenset({"br", "p", "div", "li", "hr", "ol", "ul", "blockquote", "pre"})

# --- the tokenizer --------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    \\(?:[A-Za-z]+|.|\n|$)                                  # command
  | </?\s*(?:"""
    + _HTML_TAGS
    + r""")\b[^<>]*>                                          # HTML tag
  | &(?:\#\d{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});  # entity
  | \$\$? | -{2,3} | `` | ''
  | \s+
  | [^\\<&$\-`'\s{}~^_][^\\<&$\-`'{}~^_]*                    # plain text (may hold spaces)
  | .
    """,
    re.VERBOSE | re.DOTALL,
)
# A token that starts with one of these needs a look; anything else is plain text.
_SPECIAL_START = frozenset("\\<&$-`'{}~^_")

# Something to decode at all (else only whitespace is normalised).
_NEEDS_WORK = re.compile(r"[\\{}$~<`]|--|''|&#?\w+;")
_GUILLEMETS = re.compile(r"<<([^<>]*)>>")
_SEP = "\x00"  # after an operator name in math: a space if a letter or digit follows
_GLUE = "\x01"  # before a lone postfix math symbol: drop the space before it
_SEP_RE = re.compile(_SEP + r"(?=[^\W_])")
_GLUE_RE = re.compile(r"\s*" + _GLUE)
_WS = re.compile(r"\s+")
# What may follow a math symbol that is glued to the word before it (``GaLore $+$:``).
_GLUE_FOLLOWERS = frozenset(":;,.!?)]")


def to_superscript(text: str) -> str:
    """Superscript characters for ``text`` when Unicode has all of them, else ``^(text)``."""
    stripped = text.strip()
    if not stripped:
        return ""
    if all(ch in _SUP or ch == " " for ch in stripped):
        return "".join(_SUP[ch] for ch in stripped if ch != " ")
    return "^" + stripped if len(stripped) == 1 else f"^({stripped})"


def to_subscript(text: str) -> str:
    """Subscript characters for ``text`` when Unicode has all of them, else the text itself."""
    stripped = text.strip()
    if stripped and all(ch in _SUB or ch == " " for ch in stripped):
        return "".join(_SUB[ch] for ch in stripped if ch != " ")
    return stripped


def _accent(mark: str, arg: str) -> str:
    if not arg:
        return _SPACING_ACCENTS.get(mark, "")
    first = {"ı": "i", "ȷ": "j"}.get(arg[0], arg[0])
    return unicodedata.normalize("NFC", first + _ACCENTS[mark]) + arg[1:]


class _TooDeep(Exception):
    """The value nests deeper than MAX_NESTING: read it flat instead."""


class _Decoder:
    """A recursive reader over the tokens (substrings) of one value, its depth bounded."""

    def __init__(self, source: str) -> None:
        self.tokens: list[str] = _TOKEN.findall(source)
        self.n = len(self.tokens)
        self.pos = 0
        self.depth = 0

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _TooDeep

    # -- token access
    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < self.n else None

    def _next(self) -> str | None:
        if self.pos < self.n:
            self.pos += 1
            return self.tokens[self.pos - 1]
        return None

    def _skip_space(self) -> None:
        while self.pos < self.n and self.tokens[self.pos].isspace():
            self.pos += 1

    # -- reading
    def sequence(self, math: bool, stop: str | None = None) -> str:
        """Read until the end, an unmatched ``}``, or the ``stop`` token (consumed)."""
        self._enter()
        text = self._sequence(math, stop)
        self.depth -= 1
        return text

    def _sequence(self, math: bool, stop: str | None) -> str:
        out: list[str] = []
        tokens = self.tokens
        while self.pos < self.n:
            tok = tokens[self.pos]
            if tok[0] not in _SPECIAL_START:
                self.pos += 1
                out.append(" " if tok[0].isspace() else tok)
                continue
            if tok == "}":
                if stop is None:
                    break  # the caller's group ends here
                self.pos += 1  # stray closing brace inside math/html: drop it
                continue
            self.pos += 1
            if stop is not None and (tok == stop or (tok[0] == "<" and _closes(tok, stop))):
                break
            out.append(self._token(tok, math))
        return "".join(out)

    def group(self, math: bool) -> str:
        """The rest of a ``{`` group (the ``{`` already read), without braces."""
        text = self.sequence(math)
        if self.pos < self.n and self.tokens[self.pos] == "}":
            self.pos += 1
        return text

    def argument(self, math: bool) -> str:
        """One macro argument: a group, a command, or a single character."""
        self._enter()
        text = self._argument(math)
        self.depth -= 1
        return text

    def _argument(self, math: bool) -> str:
        self._skip_space()
        tok = self._next()
        if tok is None:
            return ""
        if tok == "{":
            return self.group(math)
        if tok == "}":
            self.pos -= 1
            return ""
        if len(tok) > 1 and tok[0] not in _SPECIAL_START:
            # Plain text: take one character, leave the rest of the run for later.
            self.pos -= 1
            self.tokens[self.pos] = tok[1:]
            return tok[0]
        return self._token(tok, math)

    def raw_argument(self) -> str:
        """One argument exactly as written (for URLs)."""
        self._skip_space()
        tok = self._next()
        if tok is None:
            return ""
        if tok != "{":
            return tok
        depth, out = 1, []
        while (tok := self._next()) is not None:
            if tok == "{":
                depth += 1
            elif tok == "}":
                depth -= 1
                if depth == 0:
                    break
            out.append(tok)
        return decode_verbatim("".join(out))

    def _token(self, tok: str, math: bool) -> str:
        first = tok[0]
        if first not in _SPECIAL_START:
            if tok.isspace():
                return " "
            return tok
        if first == "\\":
            return self._command(tok[1:], math)
        if first == "$":
            if math:
                return ""  # a stray closing ``$`` inside a math argument
            return self._math_result(self.sequence(True, stop=tok))
        if len(tok) > 1:
            if first == "-":
                if math:
                    return "−" * len(tok)
                return "–" if len(tok) == 2 else "—"
            if tok == "``":
                return "“"
            if tok == "''":
                return "”"
            if first == "&":
                return unescape_html(tok)
            if first == "<":
                return self._tag(tok, math)
        # single characters
        if tok == "{":
            return self.group(math)
        if tok == "~":
            return " "
        if tok == "^":
            return to_superscript(self.argument(math)) if math else "^"
        if tok == "_":
            return to_subscript(self.argument(math)) if math else "_"
        if tok == "-":
            return "−" if math else "-"
        if tok == "'":
            return "′" if math else "’"
        if tok == "`":
            return "‘"
        return tok

    def _math_result(self, inner: str) -> str:
        text = _WS.sub(" ", inner).strip()
        postfix = (len(text) == 1 and text in "+*†‡′∗⋆") or (
            bool(text) and all(ch in _SUP_CHARS for ch in text)
        )
        if postfix:
            nxt = self.peek()
            if nxt is None or nxt[:1] in _GLUE_FOLLOWERS or nxt == "}":
                return _GLUE + text
        return text

    def _tag(self, value: str, math: bool) -> str:
        name = _tag_name(value)
        closing = value[1:].lstrip().startswith("/")
        if closing:
            return " " if name in _BREAKING_TAGS else ""
        if name in ("sup", "sub"):
            inner = self.sequence(math, stop=f"</{name}>")
            return to_superscript(inner) if name == "sup" else to_subscript(inner)
        if name in _BREAKING_TAGS:
            return " "
        return ""  # img, font, em, nobr, a, …: the tag goes, its text stays

    def _command(self, name: str, math: bool) -> str:
        if name == "" or name == "\n":
            return " "
        if name[0].isalpha():
            self._skip_space()  # TeX: spaces after a control word are not text
        if name in _ACCENTS and not (math and name in "^~"):
            return _accent(name, self.argument(math))
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in _OPERATORS:
            return name + _SEP if math else name
        if name in _ADS_JOURNALS:
            return _ADS_JOURNALS[name]
        if name in ("textsuperscript", "textsu"):
            return to_superscript(self.argument(False))
        if name == "textsubscript":
            return to_subscript(self.argument(False))
        if name in ("ensuremath", "(", "["):
            if name == "ensuremath":
                return self._math_result(self.argument(True))
            return self._math_result(self.sequence(True, stop="\\" + (")" if name == "(" else "]")))
        if name in (")", "]"):
            return ""
        if name == "mathbb":
            arg = self.argument(True)
            return "".join(_DOUBLE_STRUCK.get(ch, ch) for ch in arg)
        if name == "sqrt":
            arg = self.argument(True)
            return "√" + (arg if len(arg) <= 1 else f"({arg})")
        if name in ("frac", "dfrac", "tfrac"):
            num, den = self.argument(True), self.argument(True)
            num = num if len(num) <= 1 else f"({num})"
            den = den if len(den) <= 1 else f"({den})"
            return f"{num}/{den}"
        if name in _KEEP_ARG:
            return self.argument(False if name.startswith("text") else math)
        if name in _DROP_ARG:
            self.argument(math)
            return ""
        if name in _VERBATIM_ARG:
            return self.raw_argument()
        if name in _TWO_ARGS:
            keep = _TWO_ARGS[name]
            first = self.raw_argument() if name == "href" else self.argument(math)
            second = self.argument(math)
            return (first, second)[keep] if keep >= 0 else ""
        # An undefined command: drop its name; a following group is read as text.
        return ""


def unescape_html(text: str) -> str:
    """HTML entities (``&amp;``, ``&#233;``) as characters; the ``html`` module (and its
    table of entities) is imported only when the text holds an ``&``."""
    if "&" not in text:
        return text
    import html

    return html.unescape(text)


def _closes(tag: str, stop: str) -> bool:
    """Whether ``tag`` is the closing tag ``stop`` (``</sup>``), however spaced or cased."""
    return (
        stop.startswith("</") and tag[1:].lstrip().startswith("/") and _tag_name(tag) == stop[2:-1]
    )


def _tag_name(tag: str) -> str:
    m = re.match(r"</?\s*([A-Za-z0-9]+)", tag)
    return m.group(1).lower() if m else ""


def _finish(text: str) -> str:
    text = _SEP_RE.sub(" ", text).replace(_SEP, "")
    text = _GLUE_RE.sub("", text)
    return _WS.sub(" ", text).strip()


def decode_latex(value: str) -> str:
    """The Unicode text a reader sees for a BibTeX field value (outer delimiters removed).

    Never raises; unknown commands are dropped with their argument text kept.
    """
    return decode_latex_checked(value)[0]


def may_nest_too_deep(value: str) -> bool:
    """Whether :func:`decode_latex_checked` could find ``value`` too deep, by a count that
    reads nothing: the reader goes one level deeper only after a ``{``, a command, ``$``,
    a tag, ``^`` or ``_`` (at most two levels for each), so with few of them it cannot."""
    openers = sum(value.count(ch) for ch in "{\\$<^_")
    return 1 + 2 * openers > MAX_NESTING


@lru_cache(maxsize=65536)
def decode_latex_checked(value: str) -> tuple[str, bool]:
    """:func:`decode_latex`'s text, and whether the value nested too deep to be read
    (then every command, brace and math sign was removed instead)."""
    if not _NEEDS_WORK.search(value):
        return _WS.sub(" ", value).strip(), False
    source = _GUILLEMETS.sub(r"«\1»", value) if "<<" in value else value
    if "\\\\" in source:
        source = _DOUBLED_COMMAND.sub(r"\\", source)
    decoder = _Decoder(source)
    parts: list[str] = []
    try:
        while decoder.peek() is not None:
            parts.append(decoder.sequence(False))
            if decoder.peek() is not None:  # an unmatched ``}``: drop it and go on
                decoder.pos += 1
    except _TooDeep:
        return _flat(source), True
    return join_prefix_scripts(_finish("".join(parts))), False


# Zotero doubles the backslash of every command it exports (``$\\\\beta$``, ``\\\\textrm``):
# a doubled backslash before a command name (two letters or more) is that command. A real
# line break ``\\\\`` is followed by a space, a brace or one letter at most in a field.
_DOUBLED_COMMAND = re.compile(r"(?<!\\)\\\\(?=[A-Za-z]{2})")
_SCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻₀₁₂₃₄₅₆₇₈₉₊₋"
# A superscript or subscript that starts a word (an isotope's mass number, ``[ $^{18}$ F]``)
# belongs to the word after it: ``[¹⁸F]``; an opening bracket keeps no space before it.
_ANY_SCRIPT_RE = re.compile(f"[{_SCRIPTS}]")


@cache
def _script_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled on first use (text with a super- or subscript digit is rare)."""
    prefix = re.compile(rf"(?<![\w{_SCRIPTS}])([{_SCRIPTS}]+) (?=[A-Z])")
    open_space = re.compile(rf"([\[(]) (?=[{_SCRIPTS}])")
    return prefix, open_space


def join_prefix_scripts(text: str) -> str:
    """A superscript or subscript that starts a word joined to it (``[ ¹⁸ F]`` → ``[¹⁸F]``)."""
    if not _ANY_SCRIPT_RE.search(text):
        return text
    prefix, open_space = _script_res()
    return prefix.sub(r"\1", open_space.sub(r"\1", text))


@cache
def _flat_re() -> re.Pattern[str]:
    """Compiled on first use: only a value nested too deep needs it."""
    return re.compile(r"\\([&%$#_{}])|\\[A-Za-z]+\*?|\\.|\\$|</?[A-Za-z][^<>]*>|[{}$^_]")


def _flat(value: str) -> str:
    """A value too deep to read: escaped specials kept, every other piece of markup removed."""
    text = _flat_re().sub(lambda m: m.group(1) or "", value.replace("~", " "))
    return _WS.sub(" ", unescape_html(text)).strip()


_UNESCAPED_BRACE = re.compile(r"(?<!\\)[{}]")
_VERBATIM_ESCAPES = re.compile(r"\\([_%&#$~{}])|\\textasciitilde(?:\{\})?|\\string")


@lru_cache(maxsize=16384)
def decode_verbatim(value: str) -> str:
    """A URL-like value: only braces and backslash escapes removed, nothing else touched."""
    text = _UNESCAPED_BRACE.sub("", value)
    text = _VERBATIM_ESCAPES.sub(
        lambda m: m.group(1) or ("~" if m.group().startswith("\\textasciitilde") else ""), text
    )
    return text.strip()
