"""URL safety is one rule: format.urls.safe_url decides, format shows refused links as text,
and every backend (Markdown both flavours, HTML, LaTeX, plain text) emits no such link."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from cvbuild import clock
from cvbuild.config.model import CV, Output, Person, Section, Variant
from cvbuild.format.assemble import format_document
from cvbuild.format.urls import safe_links, safe_url
from cvbuild.render.html import render_html
from cvbuild.render.latex import render_latex
from cvbuild.render.markdown import render_markdown
from cvbuild.render.plaintext import render_text
from cvbuild.richtext import Emph, Link, Text
from cvbuild.select import resolve_variant, select_sections

HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x00javascript:alert(1)",
    "\u200bjavascript:alert(1)",
    "java\u00adscript:alert(1)",
    "\u202ejavascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "//evil.example/x",
    "/relative/path",
    "http:evil.example",
    "https://",
    "mailto:",
    "",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_refused(url: str) -> None:
    assert safe_url(url) == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("  HTTP://Example.org ", "HTTP://Example.org"),
        ("https://exa\u200bmple.org/", "https://example.org/"),
        ("mailto:lea@example.org", "mailto:lea@example.org"),
        ("https://example.org/a b", "https://example.org/a b"),  # the backends encode
    ],
)
def test_kept(url: str, expected: str) -> None:
    assert safe_url(url) == expected


def test_refused_links_become_their_text_at_any_depth() -> None:
    text = (
        Text("see "),
        Emph((Link("javascript:alert(1)", (Text("this"),)),)),
        Link(" https://ok.example ", (Text("ok"),)),
    )
    assert safe_links(text) == (
        Text("see "),
        Emph((Text("this"),)),
        Link("https://ok.example", (Text("ok"),)),
    )


def _document(url: str):  # type: ignore[no-untyped-def]
    cv = CV(
        Person("Léa Marchetti", headline=f"[head]({url})", website="lea.example.org"),
        (Section("About", "text", text=f"A [link]({url}) here."),),
        (Variant("cv"),),
        Output(Path("/out")),
    )
    variant = resolve_variant(cv, cv.variants[0])
    return format_document(
        cv, variant, select_sections(cv, cv.variants[0], {}), today=clock.today()
    )


_BAD = r"\s*(?:java|vb)\s*script|\s*data|\s*file|\s*ftp|\s*/"


def _links(name: str, out: str) -> list[str]:
    """The link targets a backend's output carries."""
    pattern = {
        "md": r"(?<!\\)\]\(([^)]*)\)",
        "pandoc": r"(?<!\\)\]\(([^)]*)\)",
        "html": r'href="([^"]*)"',
        "tex": r"\\cvblink\{([^}]*)\}",
    }[name]
    return re.findall(pattern, out)


@pytest.mark.parametrize("url", [u for u in HOSTILE if u.strip()])
@pytest.mark.parametrize("through_format", [True, False])
def test_no_backend_links_a_refused_url(url: str, through_format: bool) -> None:
    doc = _document(url)
    if not through_format:  # a Document handed to the backends with the raw link in it
        para = (Text("A "), Link(url, (Text("link"),)), Text(" here."))
        doc = replace(doc, sections=(replace(doc.sections[0], paragraphs=(para,)),))
    else:
        assert not any(isinstance(n, Link) for n in doc.sections[0].paragraphs[0])
    outputs = {
        "md": render_markdown(doc),
        "pandoc": render_markdown(doc, flavor="pandoc"),
        "html": render_html(doc),
        "tex": render_latex(doc).text,
    }
    for name, out in outputs.items():
        targets = _links(name, out)
        assert any("lea.example.org" in t for t in targets), name  # the website still links
        for target in targets:
            cleaned = re.sub(r"[\x00-\x1f\u200b\u00ad\u202e]|%[0-9A-F]{2}|&#?\w+;", "", target)
            assert not re.match(_BAD, cleaned, re.IGNORECASE), (name, target)
    assert "link" in render_text(doc)
