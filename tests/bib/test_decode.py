"""LaTeX / HTML → Unicode for field values (cvbuild.bib.decode)."""

from __future__ import annotations

import pytest

from cvbuild.bib.decode import decode_latex, decode_verbatim, to_subscript, to_superscript

CASES = [
    # plain text, whitespace
    ("Plain title", "Plain title"),
    ("  two\n   lines  ", "two lines"),
    # braces, dashes, ties, escapes, quotes
    ("{{s}cikit-image: {P}ython}", "scikit-image: Python"),
    ("pages 403--404", "pages 403–404"),
    ("yes---no", "yes—no"),
    ("J.~M. Smith", "J. M. Smith"),
    (r"Methuen \& Co", "Methuen & Co"),
    (r"10\% of \$5 \#1 a\_b", "10% of $5 #1 a_b"),
    ("``quoted''", "“quoted”"),
    (r"a\\b", "a b"),
    # accents in every spelling
    (r"{\'e}", "é"),
    (r"\'{e}", "é"),
    (r"\'e", "é"),
    (r"{\"U}ber", "Über"),
    (r"{\~n}", "ñ"),
    (r"{\.{e}}", "ė"),
    (r"P\'eter", "Péter"),
    (r"Garc{\'\i}a", "García"),
    (r"Fran\c{c}ois", "François"),
    (r"\v{s}\u{a}\H{o}\r{a}\={a}", "šăőåā"),
    (r"\v s", "š"),
    (r"{\o}ystein {\aa}se {\ss} \L{}\'od\'z", "øystein åse ß Łódź"),
    (r"Schr\"odinger", "Schrödinger"),
    # math
    (r"$\mathcal{O}(n^2)$", "O(n²)"),
    (r"GaLore $+ $", "GaLore+"),
    (r"GaLore $+$: Boosting", "GaLore+: Boosting"),
    (r"a $+$ b", "a + b"),
    (r"$\alpha_1$ and H$_2$O", "α₁ and H₂O"),
    (r"$10^{-3}$", "10⁻³"),
    (r"z $\sim$ 1.5", "z ∼ 1.5"),
    (r"An {$O(n \log n / \! \log\log n)$} Sorting", "An O(n log n / log log n) Sorting"),
    (r"$\mathbb{R}^n$, $\frac{1}{2}$, $\sqrt{n}$", "ℝⁿ, 1/2, √n"),
    (r"$^*$", "*"),
    (r"\ensuremath{\alpha}", "α"),
    # commands
    (r"\emph{x} \textbf{y} {\em z}", "x y z"),
    (r"\mbox{abc}", "abc"),
    (r"\textsuperscript{*}", "*"),
    (r"\dag", "†"),
    (r"{\noopsort{1973b}}1973", "1973"),
    (r"\href{http://x.org}{the site}", "the site"),
    (r"\url{http://a.org/~u_v}", "http://a.org/~u_v"),
    (r"\texorpdfstring{$\alpha$}{alpha}", "alpha"),
    (r"\newlin NeurIPS 2025", "NeurIPS 2025"),
    (r"\foo{bar} baz", "bar baz"),
    (r"{\mnras}", "MNRAS"),
    (r"{\apjl}", "ApJL"),
    (r"{\aap}", "A&A"),
    (r"\nat", "Nature"),
    # HTML is text, not markup
    ("x<sup>18 ‑ 19</sup> cm<sup>-2</sup>", "x¹⁸⁻¹⁹ cm⁻²"),
    ("M<sub>⊙</sub>", "M⊙"),
    ('<font color="red">Oral</font><br>Best paper', "Oral Best paper"),
    ("Stretcu<nobr><em>*</em></nobr>", "Stretcu*"),
    ('<img src="x.png"> award', "award"),
    ("a &amp; b &lt; c", "a & b < c"),
    ("p < 0.05 & q > 1", "p < 0.05 & q > 1"),
    ("Л.: <<Химия>>", "Л.: «Химия»"),
    # broken input never raises
    ("{", ""),
    ("}", ""),
    ("\\", ""),
    ("$x", "x"),
    ("{a}}b{", "ab"),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_decode_latex(source: str, expected: str) -> None:
    assert decode_latex(source) == expected


@pytest.mark.parametrize("source", [c[0] for c in CASES if "url" not in c[0]])
def test_no_markup_left(source: str) -> None:
    out = decode_latex(source)
    assert "\\" not in out
    assert "{" not in out and "}" not in out
    assert "<sup>" not in out and "<br>" not in out


def test_verbatim_keeps_url_characters() -> None:
    assert decode_verbatim(r"{https://x.org/~me/a\_b%20c}") == "https://x.org/~me/a_b%20c"
    assert decode_verbatim("10.1103/PhysRev.47.777") == "10.1103/PhysRev.47.777"


def test_super_and_subscript_fallbacks() -> None:
    assert to_superscript("2") == "²"
    assert to_superscript("th") == "ᵗʰ"
    assert to_superscript("αβ") == "^(αβ)"
    assert to_subscript("2") == "₂"
    assert to_subscript("vir") == "ᵥᵢᵣ"
    assert to_subscript("⊙") == "⊙"


# ----------------------------------------------- TeX names leaking into titles (issue 12)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (  # za-botha-neurology: Zotero doubles every backslash
            r"The influence of $\\beta$-amyloid on [ $^\\textrm{1}$$^\\textrm{8}$ {F}]{AV}-1451",
            "The influence of β-amyloid on [¹⁸F]AV-1451",
        ),
        (r"amyloid-$\\beta$ and tau", "amyloid-β and tau"),
        (r"Parkinsonism \\& Related Disorders", "Parkinsonism & Related Disorders"),
        (r"$\\mathrm{CO}_2$ and H$_2$O", "CO₂ and H₂O"),
        (r"$\mathrm{CO}_2$, $\text{Na}^+$, $\mathit{x}$, $\mathbf{v}$", "CO₂, Na⁺, x, v"),
        (r"$^{18}$F-FDG and $^\textrm{18}$F", "¹⁸F-FDG and ¹⁸F"),
        (r"\\textit{in vivo} imaging", "in vivo imaging"),
        (r"x$^2$ Y stays apart", "x² Y stays apart"),
        ("line\\\\ break", "line break"),
    ],
)
def test_tex_command_names_never_leak(raw: str, expected: str) -> None:
    assert decode_latex(raw) == expected
    for leak in ("textrm", "mathrm", "beta", "\\", "{", "$"):
        assert leak not in decode_latex(raw) or leak in expected


def test_the_cheap_depth_bound_never_misses_a_value_the_reader_finds_too_deep() -> None:
    """``may_nest_too_deep`` lets author lists skip a full read; it must say yes for every
    value the reader itself finds too deep (random nestings of every opener)."""
    import random

    from cvbuild.bib.decode import MAX_NESTING, decode_latex_checked, may_nest_too_deep

    rng = random.Random(5)
    pieces = ["{", "}", "\\textbf{", "\\'", "$", "^", "_", "<sup>", "</sup>", "\\sqrt", "x", " "]
    deep = 0
    for _ in range(3000):
        value = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 140)))
        if decode_latex_checked(value)[1]:
            deep += 1
            assert may_nest_too_deep(value), value
    assert deep > 50  # the sample does reach the limit
    assert not may_nest_too_deep('M{\\"u}ller, J{\\"o}rg and Garc{\\\'\\i}a, Ana')
    assert may_nest_too_deep("{" * (MAX_NESTING + 1))
