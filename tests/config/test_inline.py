"""Inline Markdown in free-text fields: a small safe subset, everything else plain text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cvbuild.config.inline import parse_inline
from cvbuild.richtext import Emph, Link, Strong, Text, plain, walk


def test_plain_text() -> None:
    assert parse_inline("Hello, world.") == (Text("Hello, world."),)
    assert parse_inline("") == ()


def test_bold_and_italic() -> None:
    assert parse_inline("I do **science** and *art* and _music_") == (
        Text("I do "),
        Strong((Text("science"),)),
        Text(" and "),
        Emph((Text("art"),)),
        Text(" and "),
        Emph((Text("music"),)),
    )


def test_nesting() -> None:
    assert parse_inline("*a **b** c*") == (Emph((Text("a "), Strong((Text("b"),)), Text(" c"))),)
    assert parse_inline("**bold *it***") == (Strong((Text("bold "), Emph((Text("it"),)))),)


def test_links_only_for_safe_schemes() -> None:
    assert parse_inline("[site](https://example.org/a_b)") == (
        Link("https://example.org/a_b", (Text("site"),)),
    )
    assert parse_inline("[me](mailto:jane@example.org)") == (
        Link("mailto:jane@example.org", (Text("me"),)),
    )
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://x.org"):
        text = f"[x]({url})"
        assert parse_inline(text) == (Text(text),)


def test_link_label_markup_and_parentheses_in_url() -> None:
    assert parse_inline("[**B** c](http://x.org/w_(y)) d") == (
        Link("http://x.org/w_(y)", (Strong((Text("B"),)), Text(" c"))),
        Text(" d"),
    )


def test_escapes() -> None:
    assert parse_inline(r"\*not italic\* and a\_b and \[x\](https://y.org)") == (
        Text("*not italic* and a_b and [x](https://y.org)"),
    )
    assert parse_inline("ends with \\") == (Text("ends with \\"),)


def test_unbalanced_markers_stay_literal() -> None:
    for text in ("**unclosed", "*open", "a * b * c", "_x", "[x](https://y.org", "[x]"):
        assert parse_inline(text) == (Text(text),), text


def test_snake_case_is_not_emphasis() -> None:
    assert parse_inline("use snake_case_names here") == (Text("use snake_case_names here"),)


def test_html_and_latex_are_just_characters() -> None:
    text = r"<b>bold</b> \textbf{x} $a^2$ & 100% #1 ~ {}"
    assert parse_inline(text) == (Text(text),)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab *_[]()\\:/hts.<>")), max_size=30))
def test_never_fails_and_keeps_only_safe_links(text: str) -> None:
    nodes = parse_inline(text)
    for node in walk(nodes):
        if isinstance(node, Link):
            assert node.url.startswith(("http://", "https://", "mailto:"))
    # nothing is lost but markup characters
    assert set(plain(nodes)) <= set(text)


# ------------------------------------------------------------------ citations by key


def test_citations_are_read_only_in_narrative_text() -> None:
    from cvbuild.richtext import Cite

    text = "as shown [@lu2024spp] and [@a; @b:c]."
    assert parse_inline(text) == (Text(text),)
    assert parse_inline(text, cites=True) == (
        Text("as shown "),
        Cite(("lu2024spp",), (Text("[@lu2024spp]"),)),
        Text(" and "),
        Cite(("a", "b:c"), (Text("[@a; @b:c]"),)),
        Text("."),
    )


def test_what_is_not_a_citation_stays_text() -> None:
    from cvbuild.config.inline import find_citations

    for text in ("\\[@x]", "[see @x]", "[@x](https://x.org)", "[@]", "[@x;]", "mail [a@b.org]"):
        nodes = parse_inline(text, cites=True)
        assert not any(type(n).__name__ == "Cite" for n in walk(nodes)), text
        assert find_citations(text) == [], text
    # a link's label may hold an @, and stays a link
    assert isinstance(parse_inline("[@x](https://x.org)", cites=True)[0], Link)


def test_find_citations_gives_offsets_and_keys() -> None:
    from cvbuild.config.inline import find_citations

    assert find_citations("a [@k1] b **[@k2; @k3]**") == [
        (2, "[@k1]", ("k1",)),
        (12, "[@k2; @k3]", ("k2", "k3")),
    ]


def test_a_citation_inside_bold_is_read() -> None:
    from cvbuild.richtext import Cite

    (strong,) = parse_inline("**see [@k]**", cites=True)
    assert isinstance(strong, Strong)
    assert strong.children == (Text("see "), Cite(("k",), (Text("[@k]"),)))
