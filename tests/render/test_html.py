"""The HTML backend: structure, escaping, the footnote list and the schema.org JSON-LD.

Pages are read back with html5lib (a spec-conformant HTML5 parser, strict: any parse
error fails) and checked for what a reader and a crawler see.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from cvbuild.document import Contact, EntryBlock, Header, PubGroup, PubItem, SectionBlock
from cvbuild.render.html import escape, render_html, safe_href, script_json
from cvbuild.richtext import Mark, Strong, Text, plain, walk

from . import md_sample, sample_document
from .md_sample import HOSTILE_TITLE

html5lib = pytest.importorskip("html5lib")

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "researcher" / "cv.yaml"


def parse(page: str) -> ET.Element:
    """The page as an element tree; html5lib in strict mode raises on any parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(page)


def text_of(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


def jsonld(root: ET.Element) -> dict:
    scripts = root.findall(".//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    return json.loads(scripts[0].text or "")


def all_documents():
    return {
        "sample": md_sample.sample_document(),
        "numbered": md_sample.sample_document(numbered=True),
        "latex-sample": sample_document.sample_document(),
        "hostile-md": md_sample.hostile_document(),
        "hostile-tex": sample_document.hostile_document(),
        "hostile-tex-compact": sample_document.hostile_document("compact"),
    }


@pytest.mark.parametrize("name", list(all_documents()))
def test_every_page_parses_without_an_error(name: str) -> None:
    page = render_html(all_documents()[name])
    root = parse(page)
    assert page.startswith("<!DOCTYPE html>\n")
    assert root.get("lang") == "en"
    assert root.find("./head/meta[@charset='utf-8']") is not None


# --------------------------------------------------------------------------- structure


def test_semantic_structure_follows_the_document() -> None:
    doc = md_sample.sample_document()
    root = parse(render_html(doc))
    body = root.find("body")
    assert body is not None
    assert text_of(body.find("header/h1")) == doc.header.name
    sections = body.findall("main/section")
    assert [text_of(s.find("h2")) for s in sections] == [s.title for s in doc.sections]
    for section, block in zip(sections, doc.sections, strict=True):
        assert section.get("aria-labelledby") == section.find("h2").get("id")
        if block.kind == "publications":
            labels = [g.label for g in block.groups if g.label]
            assert [text_of(h) for h in section.findall("h3")] == labels
            lists = section.findall("ol")
            assert [len(ol.findall("li")) for ol in lists] == [len(g.items) for g in block.groups]
        if block.kind == "entries":
            assert len(section.findall("ul/li")) == len(block.entries)
    # Headings never skip a level: h1, then h2s, each followed only by h3s.
    levels = [int(el.tag[1]) for el in root.iter() if re.fullmatch(r"h[1-6]", str(el.tag))]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_owner_is_strong_in_every_publication_they_wrote() -> None:
    doc = md_sample.sample_document()
    root = parse(render_html(doc))
    items = [p for s in doc.sections for g in s.groups for p in g.items]
    rendered = root.findall(".//li[@class='pub']")
    assert len(rendered) == len(items) > 0
    for item, li in zip(items, rendered, strict=True):
        strong = [plain(n) for n in walk(item.text) if isinstance(n, Strong)]
        shown = [text_of(s) for s in li.findall(".//strong")]
        assert shown == strong, item.key


def test_marks_link_to_one_footnote_list_with_each_legend_once() -> None:
    doc = md_sample.sample_document()
    page = render_html(doc)
    root = parse(page)
    marks = [n for s in doc.sections for g in s.groups for p in g.items for n in walk(p.text)]
    kinds = list(dict.fromkeys(m.kind for m in marks if isinstance(m, Mark)))
    assert kinds, "the sample has author marks"
    notes = root.find(".//section[@role='doc-endnotes']")
    assert notes is not None
    legends = [text_of(li) for li in notes.findall("ol/li")]
    assert len(legends) == len(kinds)
    for kind, legend in zip(kinds, legends, strict=True):
        assert doc.legends[kind] in legend
        note_id = notes.find(f"ol/li[{kinds.index(kind) + 1}]").get("id")
        refs = root.findall(f".//sup/a[@href='#{note_id}']")
        assert refs and all(a.get("role") == "doc-noteref" for a in refs)
        # The footnote links back to the first mark, which exists.
        back = notes.find(f"ol/li[@id='{note_id}']/a").get("href")
        assert root.find(f".//a[@id='{back[1:]}']") is not None


def test_links_for_doi_arxiv_code() -> None:
    root = parse(render_html(md_sample.sample_document()))
    hrefs = {a.get("href") for a in root.findall(".//span[@class='pub-links']//a")}
    assert any(h.startswith("https://doi.org/10.") for h in hrefs)
    assert any(h.startswith("https://arxiv.org/abs/") for h in hrefs)


def test_year_labels_are_time_elements() -> None:
    root = parse(render_html(md_sample.sample_document()))
    years = [t.get("datetime") for t in root.findall(".//h3/time")]
    assert years and all(re.fullmatch(r"\d{4}", y) for y in years)


# --------------------------------------------------------------------------- self-contained


@pytest.mark.parametrize("theme", ["academic", "compact"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_self_contained_with_a_print_stylesheet(theme: str, paper: str) -> None:
    doc = md_sample.sample_document()
    doc = replace(doc, meta=replace(doc.meta, theme=theme, paper=paper))
    page = render_html(doc)
    root = parse(page)
    assert root.find(".//link") is None
    assert not [el for el in root.iter() if el.get("src") is not None]
    style = root.find("head/style")
    css = style.text or ""
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert "@media print" in css
    size = {"a4": "A4", "letter": "letter"}[paper]
    assert f"@page {{ size: {size};" in css
    assert "PAGE_SIZE" not in css
    assert root.find("body").get("class") == f"cv theme-{theme}"


def test_themes_differ() -> None:
    doc = md_sample.sample_document()
    academic = render_html(doc)
    compact = render_html(replace(doc, meta=replace(doc.meta, theme="compact")))
    assert "--accent: #7a1f1f" in compact and "--accent: #7a1f1f" not in academic


# --------------------------------------------------------------------------- escaping


def test_escape_and_strip_invisible() -> None:
    assert escape("<b>&\"'") == "&lt;b&gt;&amp;&quot;&#39;"
    assert escape("a\u202eb\u2066c\u200bd\x00e\u2028f") == "abcde f"
    assert escape("Cafe\u0301") == "Café"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://doi.org/10.1/x", "https://doi.org/10.1/x"),
        ("mailto:a@b.c", "mailto:a@b.c"),
        ('https://x.org/a"onmouseover="x', "https://x.org/a%22onmouseover=%22x"),
        ("https://x.org/?a=1&b=<2>", "https://x.org/?a=1&amp;b=%3C2%3E"),
        ("https://x.org/a b", "https://x.org/a%20b"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("java\u200bscript:alert(1)", None),
        (" \tjavascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("file:///etc/passwd", None),
        ("vbscript:x", None),
        ("https:evil", None),
        ("//evil.org", None),
        ("http://[::1", None),
        ("mailto:", None),
    ],
)
def test_safe_href(url: str, expected: str | None) -> None:
    assert safe_href(url) == expected


def test_script_json_cannot_end_its_script() -> None:
    text = script_json({"name": "</script><!--<script>&amp;\u2028\u2029"})
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"name": "</script><!--<script>&amp;  "}


def _attributes(root: ET.Element) -> list[tuple[str, str, str]]:
    return [(str(el.tag), k, v) for el in root.iter() for k, v in el.attrib.items()]


@pytest.mark.parametrize("name", ["hostile-md", "hostile-tex", "hostile-tex-compact"])
def test_hostile_text_stays_text(name: str) -> None:
    doc = all_documents()[name]
    page = render_html(doc)
    root = parse(page)
    # One script (the JSON-LD), no event handler, no element the input named.
    assert len(root.findall(".//script")) == 1
    tags = {str(el.tag) for el in root.iter()}
    assert tags <= {
        "html", "head", "meta", "title", "style", "script", "body", "header", "h1", "h2", "h3",
        "p", "ul", "ol", "li", "main", "section", "div", "strong", "em", "span", "sup", "a",
        "time", "footer",
    }  # fmt: skip
    for tag, key, value in _attributes(root):
        assert not key.startswith("on"), (tag, key)
        if key == "href":
            assert value.startswith(("https://", "http://", "mailto:", "#")), value
            assert not re.search(r"(?i)javascript|data:", value)
    # What the input said is shown, character for character.
    body = text_of(root.find("body"))
    if name == "hostile-md":
        assert " ".join(HOSTILE_TITLE.split()) in body
        assert "- Evil <b>Name</b>" in body
        assert "[site](x)" in body
        assert root.find(".//title").text == "<Evil & CV>"
    else:
        for attack in sample_document.HOSTILE:
            assert " ".join(attack.split()) in body
    # The JSON-LD holds the same text as data.
    data = jsonld(root)
    names = [n["name"] for n in data["@graph"] if n["@type"] == "ScholarlyArticle"]
    assert len(names) == sum(len(g.items) for s in doc.sections for g in s.groups)


def test_links_inside_links_and_mark_in_a_link_stay_valid() -> None:
    from cvbuild.richtext import Link

    item = PubItem(
        "k",
        (Link("https://a.org", (Text("outer "), Link("https://b.org", (Text("inner"),)))),)
        + (Link("https://c.org", (Strong((Text("Me"),)), Mark("equal", "*"))),),
    )
    doc = replace(
        md_sample.sample_document(),
        sections=(SectionBlock("P", "publications", groups=(PubGroup("", (item,)),)),),
    )
    root = parse(render_html(doc))
    li = root.find(".//li[@class='pub']")
    assert [a.get("href") for a in li.iter("a")] == ["https://a.org", "https://c.org"]


# --------------------------------------------------------------------------- JSON-LD


def test_jsonld_person_and_papers_from_a_document() -> None:
    doc = md_sample.sample_document()
    header = Header(
        name=doc.header.name,
        contacts=(
            Contact("email", "a@b.org", "mailto:a@b.org"),
            Contact("orcid", "0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097"),
            Contact("github", "me", "https://github.com/me"),
            Contact("blog", "evil", "javascript:alert(1)"),
        ),
    )
    data = jsonld(parse(render_html(replace(doc, header=header))))
    assert data["@context"] == "https://schema.org"
    person, *papers = data["@graph"]
    assert person["@type"] == "Person" and person["name"] == doc.header.name
    assert person["sameAs"] == ["https://orcid.org/0000-0002-1825-0097", "https://github.com/me"]
    items = [p for s in doc.sections for g in s.groups for p in g.items]
    assert [p["name"] for p in papers] == [" ".join(plain(i.text).split()) for i in items]


@pytest.fixture(scope="module")
def example_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example CV built as HTML through the real command line."""
    from cvbuild.cli import main

    out = tmp_path_factory.mktemp("html")
    assert main(["build", str(EXAMPLE), "--format", "html", "--output", str(out)]) == 0
    return {p.parent.name: p for p in out.glob("*/*.html")}


def test_build_writes_one_html_file_per_variant(example_pages: dict[str, Path]) -> None:
    assert sorted(example_pages) == ["cv", "resume"]
    assert example_pages["cv"].name == "Marchetti_Lea_CV.html"
    for path in example_pages.values():
        parse(path.read_text(encoding="utf-8"))


def test_example_jsonld_names_every_paper_with_authors_and_identifiers(
    example_pages: dict[str, Path],
) -> None:
    from cvbuild.bib import load_publications

    pubs, _ = load_publications([EXAMPLE.parent / "publications.bib"])
    titles = {re.sub(r"[{}]", "", p.title) for p in pubs}
    root = parse(example_pages["cv"].read_text(encoding="utf-8"))
    data = jsonld(root)
    person, *papers = data["@graph"]
    assert "https://orcid.org/0000-0002-1825-0097" in person["sameAs"]
    assert "https://github.com/lmarchetti" in person["sameAs"]
    assert person["url"] == "https://lea-marchetti.example.org"
    assert {p["name"] for p in papers} == titles
    shown = len(root.findall(".//li[@class='pub']"))
    assert len(papers) == shown == len(pubs)
    for paper in papers:
        assert paper["@type"] == "ScholarlyArticle"
        assert paper["author"] and all(a["@type"] == "Person" for a in paper["author"])
    ecology = next(p for p in papers if p["name"].startswith("Upslope shifts"))
    assert ecology["datePublished"].startswith("2024")
    assert ecology["isPartOf"] == {"@type": "Periodical", "name": "Ecology Letters"}
    assert {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1111/ele.14402"} in (
        ecology["identifier"]
    )
    assert "https://doi.org/10.1111/ele.14402" in ecology["sameAs"]
    preprint = next(p for p in papers if "arXiv" in str(p.get("identifier")))
    assert any(s.startswith("https://arxiv.org/abs/") for s in preprint["sameAs"])


HOSTILE_BIB = r"""@article{evil1,
  author = {Marchetti, L{\'e}a and {<img src=x onerror=alert(1)>} and Mallory, </script>},
  title = {<script>alert(1)</script> \immediate\write18{touch /tmp/x} & [x](javascript:alert(1))},
  journal = {Journal of <b>Bold</b> </script><!--},
  year = {2024},
  doi = {javascript:alert(1)},
  url = {javascript:alert(2)},
  code = {data:text/html,<script>alert(3)</script>},
  pdf = {https://ok.example.org/p.pdf" onmouseover="alert(4)},
}
"""


def test_hostile_bibtex_and_yaml_through_the_pipeline(tmp_path: Path) -> None:
    from cvbuild.cli import main

    (tmp_path / "papers.bib").write_text(HOSTILE_BIB, encoding="utf-8")
    (tmp_path / "cv.yaml").write_text(
        "person:\n"
        "  name: Léa Marchetti\n"
        "  headline: '<script>alert(5)</script> \u202eevil'\n"
        "  profiles:\n"
        "    - {network: GitHub, username: '\"><script>alert(7)</script>'}\n"
        "sections:\n"
        "  - title: '</h2><script>alert(8)</script>'\n"
        "    publications: {bib: papers.bib}\n"
        "  - title: Notes\n"
        "    text: '[click](javascript:alert(9)) <iframe src=x>'\n"
        "output: {dir: out, formats: [html]}\n",
        encoding="utf-8",
    )
    assert main(["build", str(tmp_path / "cv.yaml")]) == 0
    page = next((tmp_path / "out").glob("*/*.html")).read_text(encoding="utf-8")
    root = parse(page)
    assert len(root.findall(".//script")) == 1
    assert root.find(".//img") is None and root.find(".//iframe") is None
    for tag, key, value in _attributes(root):
        assert not key.startswith("on"), (tag, key, value)
        if key == "href":
            assert value.startswith(("https://", "http://", "mailto:", "#")), value
    body = text_of(root.find("body"))
    # The format stage drops HTML tags from BibTeX fields; what is left shows as text.
    assert "alert(1)" in body and "touch /tmp/x" in body and "Journal of Bold <!" in body
    assert "<script>alert(5)</script>" in body
    assert "</h2><script>alert(8)</script>" in body
    assert "\u202e" not in page
    data = jsonld(root)
    paper = next(n for n in data["@graph"] if n["@type"] == "ScholarlyArticle")
    assert "alert(1)" in paper["name"] and "<" not in paper["name"]
    assert not any("javascript" in s for s in paper.get("sameAs", []))
    assert "url" not in paper


# --------------------------------------------------------------------------- dates from ISO


def _entries_page(*entries: EntryBlock) -> ET.Element:
    doc = md_sample.sample_document()
    section = SectionBlock(title="Positions", kind="entries", entries=entries)
    return parse(render_html(replace(doc, sections=(section,))))


def test_entry_dates_take_their_time_elements_from_the_iso_dates() -> None:
    root = _entries_page(
        EntryBlock(
            title=(Text("A"),), dates="Sept. 2015 – Juli 2019", start="2015-09", end="2019-07"
        ),
        EntryBlock(title=(Text("B"),), dates="Okt. 2022 – heute", start="2022-10"),
        EntryBlock(title=(Text("C"),), dates="2019", date="2019"),
        EntryBlock(title=(Text("D"),), dates="Summer term", start="2019"),
    )
    shown = [
        [(t.get("datetime"), t.text) for t in p.findall("time")]
        for p in root.iter("p")
        if p.get("class") == "entry-dates"
    ]
    # Month names in any language: the datetime comes from the format stage, not the text.
    assert shown == [
        [("2015-09", "Sept. 2015"), ("2019-07", "Juli 2019")],
        [("2022-10", "Okt. 2022")],
        [("2019", "2019")],
        [],  # the user's own words are not claimed as a date
    ]


def test_jsonld_web_addresses_follow_the_one_url_rule() -> None:
    doc = md_sample.sample_document()
    header = replace(
        doc.header,
        contacts=(
            Contact("website", "site", "https://\u200bexample.org/me"),
            Contact("github", "gh", "javascript:alert(1)"),
            Contact("orcid", "mail", "mailto:me@example.org"),
            Contact("scholar", "rel", "https:/no-host"),
        ),
    )
    data = jsonld(parse(render_html(replace(doc, header=header))))
    person = next(n for n in data["@graph"] if n["@type"] == "Person")
    # format.urls.safe_url cleans the hidden character; only web pages are sameAs.
    assert person["sameAs"] == ["https://example.org/me"]
    assert person["url"] == "https://example.org/me"
