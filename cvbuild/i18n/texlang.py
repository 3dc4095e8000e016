"""The language in LaTeX: preamble lines, and what this machine lacks to typeset it.

xelatex and lualatex set the language with polyglossia (its hyphenation patterns, its
rules), pdflatex with babel. Chinese, Japanese and Korean are set with xeCJK (xelatex) or
luatexja (lualatex) in Noto CJK; pdflatex cannot set them. Every document declares its
language to PDF readers (hyperref ``pdflang``: the catalog's ``/Lang``).

``missing`` says, before TeX runs, which Debian package the language needs when its file
is not installed, so that the user reads a sentence naming the package, never a TeX error.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from cvbuild.i18n.locales import LocaleInfo, info

_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
# Unicode ranges a CJK document hands to xeCJK / luatexja rather than to per-character
# fallbacks: CJK punctuation, kana, ideographs, Hangul, full-width forms.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),
    (0x2E80, 0x2FDF),
    (0x3000, 0x30FF),
    (0x3100, 0x31FF),
    (0x3200, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3134F),
)
# pdflatex with babel: the font encodings a script needs and the ranges they then cover
PDFTEX_ENCODINGS = {"cyrillic": "T2A", "greek": "LGR", "vietnamese": "T5"}
PDFTEX_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "cyrillic": ((0x0400, 0x045F),),
    "greek": ((0x0370, 0x03FF),),
    "vietnamese": ((0x1EA0, 0x1EF9), (0x01A0, 0x01B0)),
}


MARKER = "% cvbuild-language: "  # the first preamble line, for people and editors


@dataclass(frozen=True)
class TexLanguage:
    """What a document in one locale needs from LaTeX."""

    preamble: str  # lines after the theme package, before \begin{document}
    extra_ranges: tuple[tuple[int, int], ...]  # characters the engine now sets itself
    package: str  # the Debian package of the language's files
    tex_files: tuple[str, ...]  # files kpsewhich must find


def _pdflang(locale: LocaleInfo) -> str:
    tag = locale.tag if _TAG.fullmatch(locale.tag) else "en"
    return rf"\hypersetup{{pdflang={tag}}}"


def tex_language(tag: str, engine: str) -> TexLanguage:
    locale = info(tag)
    lines: list[str] = []
    ranges: tuple[tuple[int, int], ...] = ()
    files: list[str] = [locale.tex_file] if locale.tex_file else []
    if locale.script == "cjk":
        ranges = CJK_RANGES
        font = locale.cjk_font
        sans = font.replace("Serif", "Sans")
        if engine == "lualatex":
            files = ["luatexja-fontspec.sty"]
            lines += [
                r"\usepackage[match]{luatexja-fontspec}",
                rf"\setmainjfont{{{font}}}",
                rf"\setsansjfont{{{sans}}}",
            ]
        else:
            lines += [
                r"\usepackage{xeCJK}",
                rf"\setCJKmainfont{{{font}}}",
                rf"\setCJKsansfont{{{sans}}}",
                r"\xeCJKsetup{CJKspace=true}",
                # ’ and ‘ are apostrophes in the Latin names and titles of a CJK CV (d’Écologie):
                # set in the Latin font at their own width, not as full-width CJK marks
                r'\xeCJKDeclareCharClass{Default}{"2018, "2019}',
            ]
    elif locale.tag != "en":
        if engine == "pdflatex":
            encoding = PDFTEX_ENCODINGS.get(locale.script)
            if encoding:
                lines.append(rf"\usepackage[{encoding},T1]{{fontenc}}")
                ranges = PDFTEX_RANGES[locale.script]
            lines.append(rf"\usepackage[{locale.babel}]{{babel}}")
            files = [locale.tex_file] if locale.tex_file else []
        else:
            options = f"[{locale.polyglossia_options}]" if locale.polyglossia_options else ""
            lines += [
                r"\usepackage{polyglossia}",
                rf"\setdefaultlanguage{options}{{{locale.polyglossia}}}",
            ]
    if locale.tag != "en":  # English needs nothing beyond TeX itself
        lines.insert(0, f"{MARKER}{locale.tag}")
    lines.append(_pdflang(locale))
    package = locale.debian if files else "texlive-base"
    if locale.script == "cjk" and engine == "lualatex":
        package = "texlive-lang-japanese"
    return TexLanguage("\n".join(lines), ranges, package, tuple(files))


@lru_cache(maxsize=128)
def tex_file_found(name: str) -> bool:
    """Whether TeX finds ``name`` (kpsewhich); True when kpsewhich itself is missing, so
    that the engine's own check reports the real problem."""
    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich is None:
        return True
    try:
        done = subprocess.run(
            [kpsewhich, name], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return True
    return bool(done.stdout.strip())


@lru_cache(maxsize=32)
def font_found(family: str) -> bool:
    """Whether fontconfig knows ``family`` (True when fc-list is missing)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True
    try:
        done = subprocess.run(
            [fc_list, f"{family}:", "family"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return True
    return bool(done.stdout.strip())


@dataclass(frozen=True)
class Lack:
    what: str  # "German hyphenation patterns (hyph-de-1996.tex)"
    package: str  # Debian package
    locale: str


def missing(tag: str, engine: str) -> list[Lack]:
    """What this machine lacks to typeset ``tag`` with ``engine``: one ``Lack`` per
    missing file or font, each naming the Debian package that brings it."""
    lang = tex_language(tag, engine)
    locale = info(tag)
    out = [
        Lack(f"{name} for {locale.tag}", lang.package, locale.tag)
        for name in lang.tex_files
        if not tex_file_found(name)
    ]
    if locale.cjk_font and not font_found(locale.cjk_font):
        out.append(
            Lack(f"the font {locale.cjk_font} for {locale.tag}", "fonts-noto-cjk", locale.tag)
        )
    return out


def install_hint(lacks: list[Lack]) -> str:
    packages = " ".join(sorted({lack.package for lack in lacks}))
    return f"install it with: sudo apt-get install {packages} (or run scripts/setup.sh)"


def lacks_message(tag: str, engine: str) -> str | None:
    """A sentence naming what a CV in locale ``tag`` needs for its language and this machine
    lacks (and the Debian package with it), or None when nothing is missing."""
    lacks = missing(tag, engine)
    if not lacks:
        return None
    what = "; ".join(lack.what for lack in lacks)
    return f"the {tag} CV needs what this machine lacks: {what}; {install_hint(lacks)}"
