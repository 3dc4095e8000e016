"""LaTeX rendering: escaping at the leaves, the view the templates get, overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cvbuild.render.latex import (
    escape,
    escape_url,
    latex_support_files,
    render_latex,
    source_markers,
)
from cvbuild.richtext import Link, Text

from .sample_document import HOSTILE, hostile_document, sample_document

_COMMANDS = {
    r"\textbackslash{}",
    r"\{",
    r"\}",
    r"\$",
    r"\&",
    r"\%",
    r"\#",
    r"\_",
    r"\-",
    r"\textasciitilde{}",
    r"\textasciicircum{}",
    r"\textless{}",
    r"\textgreater{}",
    r"\textbar{}",
    r"\textasciigrave{}",
    r"\textquoteleft{}",  # straight quotes under pdflatex, opening or closing
    r"\textquoteright{}",
    r"\textquotedblleft{}",
    r"\textquotedblright{}",
}


def assert_inert(latex: str) -> None:
    """Only our printing commands; no bare special character; \\cvbchar holds one char."""
    rest = re.sub(r"\\cvbchar\{[^\x00-\x7f]\}", "", latex)
    # a right-to-left run, boxed: only Hebrew/Arabic letters and spaces inside
    rest = re.sub(r"\\cvbrtl\{[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc \u00a0]+\}", "", rest)
    for cmd in sorted(_COMMANDS, key=len, reverse=True):
        rest = rest.replace(cmd, "")
    assert not set(rest) & set("\\{}$&%#_^~"), rest


@given(st.text())
def test_any_text_is_inert(value: str) -> None:
    assert_inert(escape(value))
    assert_inert(escape(value, "pdflatex"))


@pytest.mark.parametrize("attack", HOSTILE + ("^^5c^^7b", "a\nb\r\\par", "\u202eevil\u2066"))
def test_attacks_are_inert(attack: str) -> None:
    out = escape(attack)
    assert_inert(out)
    assert "^" not in out.replace(r"\textasciicircum{}", "")
    assert "\n" not in out and "\u202e" not in out


def test_unicode_names_stay_text_and_rare_characters_get_a_fallback() -> None:
    assert escape("Nguyễn Γιώργος Дмитрий") == "Nguyễn Γιώργος Дмитрий"
    assert escape("李 𝒪(n²)") == r"\cvbchar{李} \cvbchar{𝒪}(n²)"
    assert escape("e\u0301") == "é"  # NFC
    assert escape("Дмитрий", "pdflatex") == "".join(r"\cvbchar{" + c + "}" for c in "Дмитрий")


def test_urls_are_encoded_and_only_web_links_survive() -> None:
    assert escape_url("https://a.org/x?q=1&r=2#frag") == r"https://a.org/x?q=1&r=2\#frag"
    assert (
        escape_url("https://a.org/%7B}\\in put{x}%zz")
        == r"https://a.org/\%7B\%7D\%5Cin\%20put\%7Bx\%7D\%25zz"
    )
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", ""):
        assert escape_url(bad) is None
    assert escape_url("example.org/page") == "https://example.org/page"


def test_render_places_everything_and_names_each_entry() -> None:
    tex = render_latex(sample_document()).text
    assert tex.startswith("% !TEX program = xelatex\n")
    assert r"\usepackage[a4,fallbacks]{cvbuild-academic}" in tex  # the sample has CJK and math
    assert r"\textbf{Léa Marchetti\cvbmark{1}}" in tex
    assert r"\cvbdeclarelegend{1}{*}{Equal contribution}" in tex
    assert r"\cvbdeclarelegend{2}{†}{Corresponding author}" in tex
    assert r"\cvblink{https://github.com/lmarchetti/scripta?tab=readme\#usage}{Code}" in tex
    keys = [m.get("key") for _, m in source_markers(tex) if "key" in m]
    assert keys == [
        "marchetti2024robust",
        "papadopoulos2024greek",
        "ivanov2023cyr",
        "marchetti2023solo",
    ]
    assert render_latex(sample_document()).text == tex  # deterministic
    other = render_latex(sample_document(paper="letter", theme="compact")).text
    assert r"\usepackage[letter,fallbacks]{cvbuild-compact}" in other
    trailer = re.compile(r"\\cvbtrailerid\{([0-9a-f]{32})\}")
    assert trailer.search(tex).group(1) != trailer.search(other).group(1)


def test_hostile_document_renders_no_markup_of_its_own() -> None:
    tex = render_latex(hostile_document()).text
    body = tex.split(r"\begin{document}")[1]
    body = "\n".join(x for x in body.splitlines() if not x.startswith("% cvbuild-src: "))
    for word in ("input", "write18", "openout", "catcode", "csname"):
        assert f"\\{word}" not in body.replace(r"\textbackslash{}", "")
    for line in tex.splitlines():
        if line.startswith("% cvbuild-src:"):
            assert line.isascii()
    assert r"\cvblink{javascript" not in tex


def test_a_user_template_overrides_one_template(tmp_path: Path) -> None:
    (tmp_path / "latex").mkdir()
    (tmp_path / "latex" / "section_text.tex").write_text(
        "\\BLOCK{for p in section.paragraphs}\\textit{\\VAR{p}}\n\\BLOCK{endfor}\n"
    )
    tex = render_latex(sample_document(), tmp_path).text
    assert r"\textit{I build learning systems" in tex
    assert r"\cvbentry{" in tex  # the other templates are still ours


def test_support_files_and_choices() -> None:
    names = [p.name for p in latex_support_files("compact")]
    assert names == ["cvbuild-base.sty", "cvbuild-compact.sty"]
    # cv.yaml's theme and engine are checked (and located) by the config stage; render
    # trusts the model, so a value it never offers reaching here is a bug (exit 4)
    with pytest.raises(AssertionError, match="theme 'fancy'"):
        latex_support_files("fancy")
    with pytest.raises(AssertionError, match="engine 'context'"):
        render_latex(sample_document(engine="context"))
    with pytest.raises(AssertionError, match="theme"):
        render_latex(sample_document(theme="../evil"))


def test_links_in_rich_text() -> None:
    from cvbuild.render.latex import _Renderer

    r = _Renderer("xelatex", {})
    assert r.node(Link("https://x.org/a_b", (Text("x_y"),))) == r"\cvblink{https://x.org/a_b}{x\_y}"
    assert r.node(Link("javascript:x", (Text("t"),))) == "t"


def test_fallback_fonts_are_looked_up_only_when_the_text_needs_them() -> None:
    from dataclasses import replace

    from cvbuild.document import Header

    doc = sample_document()
    plain = replace(doc, header=Header(name="Ana Lima"), sections=())
    assert r"\usepackage[a4]{cvbuild-academic}" in render_latex(plain).text
    needs = replace(plain, header=Header(name="李小龍"))
    assert r"\usepackage[a4,fallbacks]{cvbuild-academic}" in render_latex(needs).text


def test_only_a_very_long_cv_asks_for_two_passes() -> None:
    from dataclasses import replace

    from cvbuild.document import PubGroup, PubItem, SectionBlock
    from cvbuild.render.latex import LONG_DOCUMENT

    doc = sample_document()
    assert r"\PassOptionsToPackage{twopass}" not in render_latex(doc).text
    items = tuple(PubItem(f"k{i}", (Text(f"Paper {i}"),)) for i in range(LONG_DOCUMENT + 1))
    long = replace(
        doc, sections=(SectionBlock("Papers", "publications", groups=(PubGroup("", items),)),)
    )
    assert r"\PassOptionsToPackage{twopass}{cvbuild-base}" in render_latex(long).text


def test_a_page_label_without_placeholders_gives_way_to_the_locales_phrase() -> None:
    from cvbuild.render.latex import _page_of, _Renderer

    r = _Renderer("xelatex", {})
    assert _page_of(r, "Seite {page} / {total}", "de") == "Seite #1 / #2"
    assert _page_of(r, "Seite", "de") == "Seite #1 von #2"  # not the English fallback
    assert _page_of(r, "", "fr") == "Page #1 sur #2"
    assert _page_of(r, "{total} pages, page {page}", "en") == "#2 pages, page #1"
    assert _page_of(r, "oops") == "Page #1 of #2"
