"""DOCX through pandoc: what a reader (and an ATS) finds in the Word file."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from render import md_sample as sample

from cvbuild.compile import pandoc as pandoc_mod
from cvbuild.compile.pandoc import markdown_to_docx, reference_docx_path
from cvbuild.errors import ExternalError
from cvbuild.render.markdown import render_markdown

docx = pytest.importorskip("docx")

REPO = Path(__file__).resolve().parents[2]
EPOCH = "1768478400"  # 2026-01-15 12:00 UTC, as tests/conftest.py sets
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def build(document, paper: str = "a4") -> bytes:  # type: ignore[no-untyped-def]
    md = render_markdown(document, flavor="pandoc")
    return markdown_to_docx(md, reference_docx_path("academic", paper), meta=document.meta)


@pytest.fixture(scope="module")
def built() -> Iterator[bytes]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield build(sample.sample_document())


@pytest.fixture(scope="module")
def word(built: bytes):  # type: ignore[no-untyped-def]
    return docx.Document(io.BytesIO(built))


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def paragraphs(word, style: str):  # type: ignore[no-untyped-def]
    return [p for p in word.paragraphs if p.style is not None and p.style.name == style]


# --------------------------------------------------------------------------- what a reader sees


def test_every_publication_title_is_there(word) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(p.text for p in word.paragraphs)
    for group in sample.publications():
        for item in group.items:
            title = next(
                n.value for n in item.text[4:] if hasattr(n, "value") and len(n.value) > 20
            )
            assert title in text, title


def test_owner_is_a_bold_run_in_every_publication(word) -> None:  # type: ignore[no-untyped-def]
    pubs = paragraphs(word, "Publication")
    assert len(pubs) == 5
    for p in pubs:
        bold = [r.text for r in p.runs if r.bold]
        assert sample.OWNER in bold, p.text


def test_marks_are_superscript_runs(word) -> None:  # type: ignore[no-untyped-def]
    sups = [r.text for p in word.paragraphs for r in p.runs if r.font.superscript]
    assert set("".join(sups)) == {"*", "†"}
    assert "".join(sups).count("*") == 5  # Asano*, Avrithis*, Patrick*, Huang*, Asano*
    assert "".join(sups).count("†") == 1


def test_legend_is_a_real_footnote_at_the_first_mark(built: bytes) -> None:
    notes = part(built, "word/footnotes.xml")
    assert "Equal contribution" in notes and "Corresponding author" in notes
    body = part(built, "word/document.xml")
    refs = re.findall(r'<w:footnoteReference w:id="(\d+)"', body)
    assert len(refs) == 2  # one per legend kind in the one publications section
    # the first reference follows the first superscript "*"
    first_star = body.index('w:val="superscript" /></w:rPr><w:t xml:space="preserve">*')
    first_ref = body.index("<w:footnoteReference")
    dagger = body.index("†")
    assert first_star < first_ref < dagger < body.index("<w:footnoteReference", first_ref + 1)


def test_links_are_real_hyperlinks(built: bytes) -> None:
    body = part(built, "word/document.xml")
    rels = part(built, "word/_rels/document.xml.rels")
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)})
    linked = {targets[i] for i in re.findall(r'<w:hyperlink r:id="(rId\d+)"', body)}
    for url in (
        "https://doi.org/10.48550/arXiv.2310.08584",
        "https://arxiv.org/abs/2010.02824",
        "https://openreview.net/pdf?id=EqoXe2zmhrh",
        "https://github.com/shashankvkt/DoRA_ICLR24",
        "mailto:y.m.asano@example.org",
        "https://yukimasano.github.io",
    ):
        assert url in linked, url


def test_real_heading_styles(word) -> None:  # type: ignore[no-untyped-def]
    h1 = [p.text for p in paragraphs(word, "Heading 1")]
    assert h1 == ["Positions", "Education", "Publications", "Skills", "Research statement"]
    assert [p.text for p in paragraphs(word, "Heading 2")] == ["2024", "2020"]
    assert [p.text for p in paragraphs(word, "Title")] == [sample.OWNER]


def test_ats_friendly_layout(built: bytes, word) -> None:  # type: ignore[no-untyped-def]
    body = part(built, "word/document.xml")
    assert "<w:tbl>" not in body and "txbxContent" not in body and "v:textbox" not in body
    with zipfile.ZipFile(io.BytesIO(built)) as z:
        names = z.namelist()
        assert not [n for n in names if re.search(r"word/header\d*\.xml", n)]
        # ATS parsers may skip a footer: it holds only the name and page numbers, which
        # the body has (name) or needs not (pages); never a contact
        footers = [z.read(n).decode() for n in names if re.search(r"word/footer\d*\.xml", n)]
    assert len(footers) == 1
    assert re.sub(r"<[^>]+>", "", footers[0]).strip() == "Yuki M. Asano" + "Page 1 of 1"
    contact = paragraphs(word, "Contact")
    assert len(contact) == 1 and "+31 20 525 0000" in contact[0].text
    assert "y.m.asano@example.org" in contact[0].text


def test_dates_sit_at_a_right_aligned_tab(built: bytes, word) -> None:  # type: ignore[no-untyped-def]
    heads = paragraphs(word, "Entry Heading")
    assert [p.text.replace("\u00a0", " ") for p in heads][:2] == [
        "Assistant Professor\tSep 2021 – present",
        "Postdoctoral Researcher\t2020 – 2021",
    ]
    stops = heads[0].style.paragraph_format.tab_stops
    assert [(s.alignment, s.position) for s in stops] == [
        (
            docx.enum.text.WD_TAB_ALIGNMENT.RIGHT,
            word.sections[0].page_width
            - word.sections[0].left_margin
            - word.sections[0].right_margin,
        )
    ]
    assert "\ue000" not in part(built, "word/document.xml")


def test_publications_have_a_hanging_indent(word) -> None:  # type: ignore[no-untyped-def]
    fmt = paragraphs(word, "Publication")[0].style.paragraph_format
    assert fmt.left_indent > 0 and fmt.first_line_indent == -fmt.left_indent


def test_document_properties(word) -> None:  # type: ignore[no-untyped-def]
    core = word.core_properties
    assert core.title == f"{sample.OWNER} — Curriculum Vitae"
    assert core.author == sample.OWNER
    assert core.keywords == "computer vision, machine learning"
    expected = datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)
    assert core.created.replace(tzinfo=timezone.utc) == expected
    assert core.modified.replace(tzinfo=timezone.utc) == expected


def test_paper_size_follows_the_config() -> None:
    a4 = docx.Document(io.BytesIO(build(sample.sample_document(), "a4"))).sections[0]
    letter = docx.Document(io.BytesIO(build(sample.sample_document(), "letter"))).sections[0]
    assert (round(a4.page_width.mm), round(a4.page_height.mm)) == (210, 297)
    assert (round(letter.page_width.inches, 2), round(letter.page_height.inches, 2)) == (8.5, 11.0)


def test_numbered_publications_use_a_tab_after_the_number() -> None:
    word = docx.Document(io.BytesIO(build(sample.sample_document(numbered=True))))
    pubs = paragraphs(word, "Publication Numbered")
    assert [p.text.split("\t")[0] for p in pubs] == ["[5]", "[4]", "[3]", "[2]", "[1]"]


def test_hostile_text_stays_text() -> None:
    data = build(sample.hostile_document())
    word = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs)
    assert sample.HOSTILE_TITLE in text
    assert "- Evil <b>Name</b>" in text and "# Sec | tion {.x}" in text
    assert "2020\u00a0--\u00a02021" in text  # no smart dashes either
    rels = part(data, "word/_rels/document.xml.rels")
    assert "javascript" not in rels and "data:" not in rels
    assert "<b>Equal</b> *contribution*" in part(data, "word/footnotes.xml").replace(
        "&lt;", "<"
    ).replace("&gt;", ">")


# --------------------------------------------------------------------------- reproducible bytes


def test_rebuilds_are_byte_identical(built: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert build(sample.sample_document()) == built
    with zipfile.ZipFile(io.BytesIO(built)) as z:
        infos = z.infolist()
    names = [i.filename for i in infos]
    assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
    assert {i.date_time for i in infos} == {(2026, 1, 15, 12, 0, 0)}


def test_another_date_changes_only_the_dates(built: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    other = build(sample.sample_document())
    assert other != built
    assert part(other, "word/document.xml") == part(built, "word/document.xml")


# --------------------------------------------------------------------------- failures and paths


def test_pandoc_that_cannot_run_is_exit_3(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pandoc_mod, "find_pandoc", lambda: (str(tmp_path / "no-pandoc"), (3, 9)))
    with pytest.raises(ExternalError, match="pandoc") as info:
        build(sample.sample_document())
    assert info.value.exit_code == 3


def test_no_pandoc_anywhere_is_a_clear_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    import pypandoc

    pandoc_mod.find_pandoc.cache_clear()
    monkeypatch.setattr(pandoc_mod, "_bundled_pandoc", lambda: None)
    monkeypatch.setattr(pypandoc, "get_pandoc_path", lambda: "/nonexistent/pandoc")
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    try:
        with pytest.raises(ExternalError, match="pypandoc-binary") as info:
            pandoc_mod.find_pandoc()
        assert info.value.exit_code == 3
    finally:
        pandoc_mod.find_pandoc.cache_clear()


def test_pandoc_failure_is_exit_3_with_the_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    doc = sample.sample_document()
    with pytest.raises(ExternalError, match="pandoc failed") as info:
        markdown_to_docx(render_markdown(doc, flavor="pandoc"), broken, meta=doc.meta)
    assert info.value.exit_code == 3


def test_pandoc_runs_sandboxed_without_raw_html_or_tex() -> None:
    cmd = pandoc_mod.pandoc_command("pandoc", (3, 9), Path("/r.docx"))
    assert "--sandbox" in cmd
    reader = cmd[cmd.index("--from") + 1]
    for ext in ("raw_html", "raw_tex", "raw_attribute", "tex_math_dollars", "smart"):
        assert f"-{ext}" in reader
    assert "--sandbox" not in pandoc_mod.pandoc_command("pandoc", (2, 9), Path("/r.docx"))


def test_reference_documents() -> None:
    assert reference_docx_path("academic", "a4").name == "reference.docx"
    assert reference_docx_path("academic", "letter").name == "reference-letter.docx"
    assert reference_docx_path("no-such-theme", "LETTER").name == "reference-letter.docx"


def test_committed_reference_documents_are_up_to_date() -> None:
    pytest.importorskip("lxml")
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_reference_docx.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# --------------------------------------------------------------------------- LibreOffice


def test_libreoffice_opens_it_and_page_one_reads_right(built: bytes, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    source = tmp_path / "cv.docx"
    source.write_bytes(built)
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(tmp_path / "cv.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert sample.OWNER in text
    assert re.search(r"Assistant Professor\s{3,}Sep 2021 – present", text)  # right-aligned
    assert "Equal contribution" in text  # the footnote, on the page of its mark
    assert "PUBLICATIONS" in text.upper()


def test_fonts_are_explicit_and_common(built: bytes, word) -> None:  # type: ignore[no-untyped-def]
    styles = part(built, "word/styles.xml")
    defaults = styles[styles.index("<w:docDefaults>") : styles.index("</w:docDefaults>")]
    assert 'w:ascii="Georgia"' in defaults and 'w:hAnsi="Georgia"' in defaults
    assert "asciiTheme" not in styles  # a theme font would override the explicit one
    assert 'w:altName w:val="Gelasio"' in part(built, "word/fontTable.xml")
    heading = word.styles["Heading 1"]
    assert heading.font.bold and heading.font.small_caps


# --------------------------------------------------------------------------- issue 18, item 7


def test_a_date_range_never_wraps(word) -> None:  # type: ignore[no-untyped-def]
    dated = [p.text.split("\t", 1)[1] for p in paragraphs(word, "Entry Heading") if "\t" in p.text]
    ranges = [d for d in dated if "\u2013" in d]
    assert ranges, dated
    for text in dated:
        assert " " not in text, repr(text)  # only non-breaking spaces inside a date
    assert any("\u00a0\u2013\u00a0" in d for d in ranges)


def test_running_footer_has_the_name_and_page_x_of_y(built: bytes) -> None:
    document = part(built, "word/document.xml")
    rels = part(built, "word/_rels/document.xml.rels")
    (footer_id,) = re.findall(r'<w:footerReference [^>]*r:id="([^"]+)"', document)
    target = re.search(rf'Id="{footer_id}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{footer_id}"', rels
    )
    assert target is not None
    footer = part(built, f"word/{target.group(1)}")
    flat = re.sub(
        r"<[^>]+>", "", re.sub(r'<w:fldSimple w:instr=" (\w+)[^"]*">', r"{\1}", footer)
    ).strip()
    assert flat.endswith("Page {PAGE}1 of {NUMPAGES}1")
    assert flat.startswith(sample.sample_document().meta.author)
    assert "CVBUILD-FOOTER-NAME" not in footer
    assert "footer" in part(built, "[Content_Types].xml")


def test_items_keep_their_bullets(word) -> None:  # type: ignore[no-untyped-def]
    doc = sample.sample_document()
    items = [i for s in doc.sections if s.kind == "items" for i in s.items]
    assert items
    for item in items:
        label = item.label
        (para,) = [p for p in word.paragraphs if label and p.text.startswith(f"{label}:")]
        assert para._p.pPr is not None and para._p.pPr.numPr is not None  # a list bullet


def test_core_properties_use_the_documents_date_not_the_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dataclasses import replace

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = sample.sample_document()
    doc = replace(doc, meta=replace(doc.meta, date="3 March 2025"))
    first = build(doc)
    core = part(first, "docProps/core.xml")
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2025-03-03T00:00:00Z<' in core
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-03-03T00:00:00Z<' in core
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 3, 3, 0, 0, 0)}
    import time

    time.sleep(1.1)  # a wall-clock stamp would now differ
    assert build(doc) == first


def test_date_of_reads_the_dates_a_cv_shows() -> None:
    from datetime import date

    assert pandoc_mod.date_of("15 January 2026") == date(2026, 1, 15)
    assert pandoc_mod.date_of("2026-12-01") == date(2026, 12, 1)
    assert pandoc_mod.date_of("March 2025") == date(2025, 3, 1)
    assert pandoc_mod.date_of("31 February 2026") is None
    assert pandoc_mod.date_of("soon") is None


def test_finding_pandoc_imports_neither_pypandoc_nor_the_network_stack() -> None:
    """The wheel's pandoc is found by path: pypandoc's import (urllib, http, ssl) and its
    second round of ``pandoc --version`` probes stay out of every DOCX build."""
    import subprocess
    import sys

    code = (
        "import sys; from cvbuild.compile.pandoc import find_pandoc; exe, v = find_pandoc(); "
        "print(bool(exe), v >= (2, 0), sorted(m for m in ('pypandoc', 'ssl', 'urllib.request',"
        " 'http.client') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True", "[]"]
