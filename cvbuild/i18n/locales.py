"""The shipped locales: their BCP 47 tags, CLDR identifiers and what TeX needs for each.

``cvbuild.config.choices.LOCALES`` is the list cv.yaml accepts; this table says, per tag,
which CLDR locale ``babel`` reads, how polyglossia (xelatex, lualatex) and babel (pdflatex)
name the language, which script it is written in, the file TeX must find for it and the
Debian package that ships that file. A test keeps this table and the choices equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from cvbuild.config.choices import LOCALES, canonical_locale

DEFAULT_LOCALE = LOCALES[0]


@dataclass(frozen=True)
class LocaleInfo:
    tag: str  # BCP 47 as cv.yaml writes it: "pt-BR"
    cldr: str  # babel's identifier: "pt_BR"
    polyglossia: str  # "german"; "" for CJK (xeCJK / luatexja set the text)
    polyglossia_options: str = ""  # "variant=brazilian"
    babel: str = ""  # the babel (pdflatex) option: "ngerman"
    script: str = "latin"  # latin | cyrillic | greek | vietnamese | cjk
    tex_file: str = ""  # a file TeX must find for the language ("" = always there)
    debian: str = "texlive-base"  # the Debian package that ships it
    cjk_font: str = ""  # Noto CJK family for cjk scripts
    name_order: str = "given_first"  # family_first for CJK names in CJK text


def _i(
    tag: str, cldr: str, poly: str, babel: str, tex_file: str, debian: str, **kw: str
) -> LocaleInfo:
    return LocaleInfo(tag, cldr, poly, babel=babel, tex_file=tex_file, debian=debian, **kw)


_EU = "texlive-lang-european"
_TABLE: tuple[LocaleInfo, ...] = (
    _i("en", "en", "english", "english", "", "texlive-base"),
    _i("de", "de", "german", "ngerman", "hyph-de-1996.tex", "texlive-lang-german",
       polyglossia_options="spelling=new"),
    _i("fr", "fr", "french", "french", "hyph-fr.tex", "texlive-lang-french",
       polyglossia_options="autospacing=false"),
    _i("es", "es", "spanish", "spanish", "hyph-es.tex", "texlive-lang-spanish"),
    _i("it", "it", "italian", "italian", "hyph-it.tex", "texlive-lang-italian"),
    _i("pt", "pt_PT", "portuguese", "portuguese", "hyph-pt.tex", "texlive-lang-portuguese"),
    _i("pt-BR", "pt_BR", "portuguese", "brazilian", "hyph-pt.tex", "texlive-lang-portuguese",
       polyglossia_options="variant=brazilian"),
    _i("nl", "nl", "dutch", "dutch", "hyph-nl.tex", _EU),
    _i("pl", "pl", "polish", "polish", "hyph-pl.tex", "texlive-lang-polish"),
    _i("ru", "ru", "russian", "russian", "hyph-ru.tex", "texlive-lang-cyrillic", script="cyrillic"),
    _i("uk", "uk", "ukrainian", "ukrainian", "hyph-uk.tex", "texlive-lang-cyrillic",
       script="cyrillic"),
    _i("tr", "tr", "turkish", "turkish", "hyph-tr.tex", _EU),
    _i("cs", "cs", "czech", "czech", "hyph-cs.tex", "texlive-lang-czechslovak"),
    _i("sv", "sv", "swedish", "swedish", "hyph-sv.tex", _EU),
    _i("da", "da", "danish", "danish", "hyph-da.tex", _EU),
    _i("nb", "nb", "norwegian", "norsk", "hyph-nb.tex", _EU, polyglossia_options="variant=bokmal"),
    _i("fi", "fi", "finnish", "finnish", "hyph-fi.tex", _EU),
    _i("el", "el", "greek", "greek", "hyph-el-monoton.tex", "texlive-lang-greek", script="greek"),
    _i("hu", "hu", "hungarian", "magyar", "hyph-hu.tex", _EU),
    _i("ro", "ro", "romanian", "romanian", "hyph-ro.tex", _EU),
    _i("ca", "ca", "catalan", "catalan", "hyph-ca.tex", "texlive-lang-spanish"),
    _i("id", "id", "malay", "indonesian", "hyph-id.tex", "texlive-lang-other",
       polyglossia_options="variant=indonesian"),
    _i("vi", "vi", "vietnamese", "vietnamese", "vietnamese.ldf", "texlive-lang-other",
       script="vietnamese"),
    _i("zh-CN", "zh_Hans_CN", "", "", "xeCJK.sty", "texlive-lang-cjk", script="cjk",
       cjk_font="Noto Serif CJK SC", name_order="family_first"),
    _i("zh-TW", "zh_Hant_TW", "", "", "xeCJK.sty", "texlive-lang-cjk", script="cjk",
       cjk_font="Noto Serif CJK TC", name_order="family_first"),
    _i("ja", "ja", "", "", "xeCJK.sty", "texlive-lang-cjk", script="cjk",
       cjk_font="Noto Serif CJK JP", name_order="family_first"),
    _i("ko", "ko", "", "", "xeCJK.sty", "texlive-lang-cjk", script="cjk",
       cjk_font="Noto Serif CJK KR", name_order="family_first"),
)  # fmt: skip
INFO: dict[str, LocaleInfo] = {info.tag: info for info in _TABLE}


def canonical(tag: str) -> str | None:
    """The shipped tag ``tag`` means ("pt_br" → "pt-BR", "zh-Hans" → "zh-CN"), else None."""
    return canonical_locale(tag)


def info(tag: str) -> LocaleInfo:
    """The table row of a shipped tag (canonical or not); English for an unknown one."""
    return INFO.get(canonical(tag) or DEFAULT_LOCALE, INFO[DEFAULT_LOCALE])


def is_cjk(tag: str) -> bool:
    return info(tag).script == "cjk"
