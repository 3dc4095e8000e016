"""The Markdown backend: what a reader sees on GitHub (GFM) and through pandoc.

GitHub's renderer is not available offline; pandoc's ``gfm`` reader (CommonMark with the
GitHub extensions) stands in for it, and pandoc's own reader checks the DOCX flavor.
"""

from __future__ import annotations

import html
import random
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from cvbuild.document import SectionBlock
from cvbuild.render.markdown import TAB, escape, line_start, render_markdown, safe_url
from cvbuild.richtext import Text

from .md_sample import HOSTILE_TITLE, OWNER, hostile_document, sample_document


def pandoc_html(markdown: str, reader: str) -> str:
    pypandoc = pytest.importorskip("pypandoc")
    done = subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", reader, "-t", "html", "--wrap=none"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def visible(fragment: str) -> str:
    """The text a browser shows for an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def pandoc_reader() -> str:
    from cvbuild.compile.pandoc import READER

    return READER


# --------------------------------------------------------------------------- golden files


@pytest.mark.parametrize(
    ("name", "flavor", "numbered"),
    [("sample.md", "gfm", False), ("sample.pandoc.md", "pandoc", True)],
)
def test_golden(name: str, flavor: str, numbered: bool, golden) -> None:
    golden(f"render-{name}", render_markdown(sample_document(numbered=numbered), flavor=flavor))


def test_output_is_deterministic() -> None:
    doc = sample_document()
    assert render_markdown(doc) == render_markdown(sample_document())


# --------------------------------------------------------------------------- GFM as GitHub shows it


def test_gfm_shows_owner_bold_in_every_publication() -> None:
    body = pandoc_html(render_markdown(sample_document()), "gfm")
    items = re.findall(r"<li>(.*?)</li>", body, flags=re.S)
    pubs = [i for i in items if "ICLR" in i or "preprint" in i or "UAI" in i]
    assert len(pubs) == 5
    for item in pubs:
        assert re.search(rf"<strong>{re.escape(OWNER)}", item), item


def test_gfm_structure_headings_links_and_marks() -> None:
    md = render_markdown(sample_document())
    body = pandoc_html(md, "gfm")
    assert "<h1 id=" in body and f">{OWNER}</h1>" in body
    for title in ("Positions", "Education", "Publications", "Skills", "Research statement"):
        assert re.search(rf"<h2[^>]*>{title}</h2>", body)
    assert re.search(r"<h3[^>]*>2024</h3>", body) and re.search(r"<h3[^>]*>2020</h3>", body)
    assert '<a href="https://doi.org/10.48550/arXiv.2310.08584">DOI</a>' in body
    assert '<a href="https://arxiv.org/abs/2010.02824">arXiv</a>' in body
    assert '<a href="mailto:y.m.asano@example.org">' in body
    assert "<sup>*</sup>" in body and "<sup>†</sup>" in body
    # accents survive
    assert "João Carreira" in body and "Ludwig-Maximilians-Universität München" in body


def test_gfm_legend_is_one_footnote_per_kind_referenced_at_first_mark() -> None:
    md = render_markdown(sample_document())
    assert md.count("[^equal]:") == 1 and md.count("[^corresponding]:") == 1
    assert md.count("[^equal]") == 2  # one reference (first * of the section) + definition
    first_mark = md.index("<sup>\\*</sup>")
    assert md.index("[^equal]") == first_mark + len("<sup>\\*</sup>")
    body = pandoc_html(md, "gfm")
    notes = body[body.index('<section id="footnotes"') :]
    assert "Equal contribution" in notes and "Corresponding author" in notes


def test_legend_referenced_again_in_each_publication_section() -> None:
    doc = sample_document()
    pubs = next(s for s in doc.sections if s.kind == "publications")
    doc = replace(doc, sections=doc.sections + (replace(pubs, title="Selected publications"),))
    gfm = render_markdown(doc)
    assert gfm.count("[^equal]") == 3 and gfm.count("[^equal]:") == 1
    pandoc = render_markdown(doc, flavor="pandoc")
    assert pandoc.count("^[Equal contribution]") == 2
    assert pandoc.count("^[Corresponding author]") == 2


def test_marks_without_a_legend_are_plain_superscripts() -> None:
    doc = replace(sample_document(), legends={})
    md = render_markdown(doc)
    assert "<sup>\\*</sup>" in md and "[^" not in md


# --------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize("flavor", ["gfm", "pandoc"])
def test_hostile_text_shows_as_plain_text(flavor: str) -> None:
    md = render_markdown(hostile_document(), flavor=flavor)
    readers = ["gfm"] if flavor == "gfm" else [pandoc_reader(), "markdown"]
    for reader in readers:
        body = pandoc_html(md, reader)
        main = body.split('<section id="footnotes"')[0]
        assert "<script" not in body
        assert "<b>" not in body and "<i>" not in body and "<!--" not in body
        assert "javascript:" not in re.sub(r">[^<]*<", "><", body)  # never in an attribute
        assert 'href="data:' not in body
        assert "<code>" not in body and "<del>" not in body and "<ol" not in main
        assert "<blockquote>" not in body and "<dl>" not in body and "<table>" not in body
        assert "<math" not in body and 'class="math' not in body
        assert "citation" not in body
        # only our own headings: the document title, section titles, the group label
        headings = re.findall(r"<h(\d)[^>]*>(.*?)</h\1>", body)
        shown = [visible(h) for _, h in headings]
        ours = ["- Evil <b>Name</b>", "# Sec | tion {.x}", "1. 2024", "Text", "Items", "Entries"]
        assert shown == (ours if flavor == "gfm" else ours[1:])
        text = visible(body)
        assert visible(html.escape(HOSTILE_TITLE)) in text, reader
        assert "# Evil *Owner*" in text
        assert "+ plus at start" in text and ": colon at start" in text
        assert "> quote" in text and "- nested" in text and "a) x" in text
        assert "line one line two # heading" in text
        assert "1. not a list" in text
        assert "[site](x)" in text  # a data: URL is dropped, its text kept
        assert "<b>Equal</b> *contribution*" in text  # the legend, escaped too
        assert re.search(r"<strong>\s*# Evil \*Owner\*\s*</strong>", html.unescape(body))


def test_unsafe_link_targets_are_dropped_and_odd_ones_encoded() -> None:
    md = render_markdown(hostile_document())
    assert "javascript" not in md.replace("javascript\\:alert", "")
    assert "(https://arxiv.org/abs/1234%20%28v2%29%3Cb%3E)" in md
    assert "(https://ex.org/a%20b%28c%29)" in md
    assert "(mailto:a@b.c)" in md


def test_fuzzed_text_leaves_round_trip_through_both_readers() -> None:
    rng = random.Random(20260115)
    alphabet = list("\\`*_[]<>&#|~$^{}@!()-+=:.%'\"/ ;,?") + list("aZ1 0é†∗") + ["&amp;", "\n"]
    strings = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))) for _ in range(300)]
    strings = [s for s in strings if s.strip()]
    doc = sample_document()
    section = SectionBlock("Fuzz", "text", paragraphs=tuple((Text(s),) for s in strings))
    doc = replace(doc, sections=(section,), meta=replace(doc.meta, date=""))
    for flavor, reader in (("gfm", "gfm"), ("pandoc", pandoc_reader())):
        body = pandoc_html(render_markdown(doc, flavor=flavor), reader)
        paragraphs = re.findall(r"<p>(.*?)</p>", body.split("Fuzz</h")[1], flags=re.S)
        shown = [visible(p) for p in paragraphs]
        expected = [" ".join(s.split()) for s in strings]
        assert shown == expected, flavor


# --------------------------------------------------------------------------- units


def test_escape_leaves() -> None:
    assert escape("a*b_c") == "a\\*b\\_c"
    assert escape("<x> & [y]") == "\\<x\\> \\& \\[y\\]"
    assert escape("line\nbreak\ttab") == "line break tab"
    assert escape("ok" + TAB + "no") == "okno"  # our tab marker never comes from input
    assert escape("a b", "pandoc", in_sup=True) == "a\\ b"
    assert escape(":smile:") == "\\:smile:" and escape(":smile:", "pandoc") == "\\:smile\\:"


@pytest.mark.parametrize(
    ("raw", "guarded"),
    [
        ("- x", "\\- x"),
        ("+ x", "\\+ x"),
        ("1. x", "1\\. x"),
        ("12) x", "12\\) x"),
        ("a) x", "a\\) x"),
        ("iv. x", "iv\\. x"),
        ("(a) x", "(a\\) x"),
        (": x", "\\: x"),
        ("   indented", "indented"),
        ("**Bold** x", "**Bold** x"),
        ("Plain. Text", "Plain. Text"),
    ],
)
def test_line_start_guard(raw: str, guarded: str) -> None:
    assert line_start(raw) == guarded


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://doi.org/10.1000/x(y)", "https://doi.org/10.1000/x%28y%29"),
        ("http://a.org/a b<c>", "http://a.org/a%20b%3Cc%3E"),
        ("mailto:a@b.org", "mailto:a@b.org"),
        ("HTTPS://A.ORG", "HTTPS://A.ORG"),
        ("https://a.org/?a=1&copy;=2", "https://a.org/?a=1%26copy;=2"),
        ("javascript:alert(1)", None),
        (" JaVaScRiPt:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("data:text/html,x", None),
        ("//evil.org", None),
        ("https:evil", None),
        ("ftp://a.org", None),
        ("relative/path", None),
    ],
)
def test_safe_url(url: str, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_user_template_folder_is_searched_first(tmp_path: Path) -> None:
    (tmp_path / "markdown").mkdir()
    (tmp_path / "markdown" / "cv.md.j2").write_text("# {{ header.name }} (mine)\n")
    out = render_markdown(sample_document(), tmp_path)
    assert out == f"# {OWNER} (mine)\n"


def test_unknown_flavor() -> None:
    with pytest.raises(ValueError, match="flavor"):
        render_markdown(sample_document(), flavor="rst")


def test_no_trailing_spaces_and_single_final_newline() -> None:
    for flavor in ("gfm", "pandoc"):
        out = render_markdown(sample_document(), flavor=flavor)
        assert out.endswith("\n") and not out.endswith("\n\n")
        assert not any(line != line.rstrip() for line in out.splitlines())
        assert "\n\n\n" not in out
