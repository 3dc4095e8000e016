"""The PDF as a reader sees it: text per page, fonts of the owner's name, footnotes, links.

Each document is typeset once per module (xelatex, both themes) and read with pdfplumber.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cvbuild.compile.latex import CompileResult, compile_pdf
from cvbuild.document import Document
from cvbuild.render.latex import latex_support_files, render_latex
from cvbuild.richtext import plain

from .sample_document import (
    HOSTILE,
    LEGENDS,
    LONG_TITLE,
    OWNER,
    hostile_document,
    long_document,
    sample_document,
)

pdfplumber = pytest.importorskip("pdfplumber")

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed"),
]

THEMES = ("academic", "compact")
BOLD = re.compile(r"bold|semibold|black|heavy|demi|LinLibertineO[BZ]$|LinBiolinumO[BZ]$", re.I)


def build(doc: Document, folder: Path, name: str) -> tuple[CompileResult, Path]:
    tex = render_latex(doc)
    result = compile_pdf(tex)
    path = folder / f"{name}.pdf"
    path.write_bytes(result.pdf)
    return result, path


@pytest.fixture(scope="module", params=THEMES)
def sample(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    doc = sample_document(request.param)
    result, path = build(doc, tmp_path_factory.mktemp("sample"), request.param)
    return doc, result, path


@pytest.fixture(scope="module", params=THEMES)
def long(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    doc = long_document(request.param)
    result, path = build(doc, tmp_path_factory.mktemp("long"), request.param)
    return doc, result, path


def squash(value: str) -> str:
    """Text without whitespace and hyphens, so line breaks and hyphenation do not matter."""
    return re.sub(r"[\s\-\u00ad]+", "", value)


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text(x_tolerance=1) or "" for page in pdf.pages]


def is_bold(fontname: str) -> bool:
    return bool(BOLD.search(fontname.split("+", 1)[-1]))


def all_pubs(doc: Document):
    return [p for s in doc.sections for g in s.groups for p in g.items]


def owner_runs(path: Path) -> list[tuple[int, float, float, list[str]]]:
    """(page, top, size, fontnames) of every occurrence of the owner's name."""
    target = squash(OWNER)
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            chars = [c for c in page.chars if c["text"].strip()]
            owner: list[int] = []  # joined-text position -> char index (ligatures: "fi", "ch")
            for i, c in enumerate(chars):
                owner += [i] * len(c["text"])
            joined = "".join(c["text"] for c in chars)
            for m in re.finditer(re.escape(target), joined):
                run = chars[owner[m.start()] : owner[m.end() - 1] + 1]
                found.append((number, run[0]["top"], run[0]["size"], [c["fontname"] for c in run]))
    return found


# ---------------------------------------------------------------- the sample CV


def test_every_title_and_name_is_in_the_text(sample) -> None:
    doc, result, path = sample
    text = squash(" ".join(page_texts(path)))
    for pub in all_pubs(doc):
        title = plain(pub.text).split(". ")[1]
        assert squash(title) in text, title
    for name in ("Nguyễn Văn Thành", "Γιώργος Παπαδόπουλος", "Дмитрий Иванов", "Zoë Brontë"):
        assert squash(name) in text
    assert squash(LONG_TITLE) in text
    for section in doc.sections:
        assert squash(section.title.upper()) in text.upper()
    assert not [w for w in result.warnings if "character" in w.message], result.warnings


def test_owner_is_bold_in_every_publication(sample) -> None:
    doc, _, path = sample
    runs = owner_runs(path)
    bold = [r for r in runs if r[2] < 15 and all(is_bold(f) for f in r[3])]
    assert len(bold) == len(all_pubs(doc))
    # The name also heads page 1 (large, regular); anything else is a footer line.
    for page, top, size, fonts in runs:
        if not all(is_bold(f) for f in fonts):
            assert size > 15 or top > 700, (page, top, size, fonts)


def test_pages_links_and_metadata(sample) -> None:
    doc, result, path = sample
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        uris = [h["uri"] for page in pdf.pages for h in page.hyperlinks]
        meta = pdf.metadata
    # One page in both themes: a section heading no longer jumps to the next page
    # when its text fits below it (issue 18, item 8).
    assert pages == 1
    assert "https://github.com/lmarchetti/scripta?tab=readme#usage" in uris
    assert "https://doi.org/10.1145/3580305.3599999" in uris
    assert "mailto:lea.marchetti@example.org" in uris
    assert meta["Title"] == doc.meta.title
    assert meta["Author"] == OWNER
    assert meta["Keywords"] == "machine learning, document analysis"
    assert result.passes == 1  # pages are held back until the total is known


def test_academic_footer_says_page_x_of_y(sample) -> None:
    doc, _, path = sample
    if doc.meta.theme != "academic":
        pytest.skip("the compact theme numbers pages only past one page")
    texts = page_texts(path)
    for number, text in enumerate(texts, 1):
        assert squash(f"Page {number} of {len(texts)}") in squash(text)


# ---------------------------------------------------------------- legends across pages


def legend_lines(path: Path) -> list[dict[str, int]]:
    """Per page: how many legend footnote lines and how many marks of each kind in the body."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines = [squash(x) for x in (page.extract_text(x_tolerance=1) or "").splitlines()]
            counts = {kind: 0 for kind in LEGENDS}
            for line in lines:
                for kind, legend in LEGENDS.items():
                    if squash(legend) in line:
                        counts[kind] += 1
            body_size = max(
                (c["size"] for c in page.chars if c["text"].isalpha()),
                key=lambda s: sum(1 for c in page.chars if c["size"] == s),
            )
            legend_tops = {
                round(w["top"])
                for w in page.extract_words(x_tolerance=1)
                if w["text"].startswith(("Equal", "Corresponding"))
            }
            marks = {"equal": 0, "corresponding": 0}
            for c in page.chars:
                if c["size"] >= body_size or any(abs(c["top"] - t) < 4 for t in legend_tops):
                    continue
                if c["text"] in ("*", "∗"):
                    marks["equal"] += 1
                elif c["text"] == "†":
                    marks["corresponding"] += 1
            out.append({**{f"legend_{k}": v for k, v in counts.items()}, **marks})
    return out


def test_legend_footnote_once_on_exactly_the_pages_with_marks(long) -> None:
    doc, result, path = long
    pages = legend_lines(path)
    assert len(pages) >= 3
    marked = [i for i, p in enumerate(pages) if p["equal"]]
    # The document has marks on some pages only, so this test can fail both ways.
    assert marked and len(marked) < len(pages)
    for i, page in enumerate(pages):
        for kind in LEGENDS:
            expected = 1 if page[kind] else 0
            assert page[f"legend_{kind}"] == expected, (i + 1, page)
    assert result.passes == 1


def test_legend_sits_below_the_text(long) -> None:
    _, _, path = long
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        words = page.extract_words(x_tolerance=1)
        legend_top = min(w["top"] for w in words if w["text"].startswith("Equal"))
        titles = [w["top"] for w in words if w["text"] == "Study"]
    assert titles and legend_top > max(titles)


def test_long_document_lists_every_publication_with_owner_in_bold(long) -> None:
    doc, _, path = long
    text = squash(" ".join(page_texts(path)))
    for pub in all_pubs(doc):
        assert squash(plain(pub.text).split(". ")[1]) in text
    bold = [r for r in owner_runs(path) if r[2] < 15 and all(is_bold(f) for f in r[3])]
    assert len(bold) == len(all_pubs(doc))


# ---------------------------------------------------------------- hostile text


def test_hostile_text_is_printed_not_executed(tmp_path: Path) -> None:
    markers = [
        Path("/tmp/cvbuild-pwned"),
        Path("/tmp/cvbuild-pwned-out"),
        Path("/tmp/cvbuild-pwned-out.tex"),
    ]
    for m in markers:
        m.unlink(missing_ok=True)
    doc = hostile_document()
    keep = tmp_path / "build"
    result = compile_pdf(render_latex(doc), keep_build=keep)
    (tmp_path / "h.pdf").write_bytes(result.pdf)
    texts = page_texts(tmp_path / "h.pdf")
    text = " ".join(" ".join(texts).split())
    for attack in HOSTILE:
        assert " ".join(attack.split()) in text, attack
    assert not any(m.exists() for m in markers)
    # Nothing was read from /etc and nothing but TeX's own files was written.
    log = (keep / "cv.log").read_text(errors="replace")
    assert "(/etc/" not in log
    written = {p.name for p in keep.iterdir()}
    assert written <= {
        "cv.tex",
        "cv.log",
        "cv.aux",
        "cv.out",
        "cv.xdv",
        "cv.pdf",
        "missfont.log",
    } | {p.name for p in latex_support_files("academic")}
    with pdfplumber.open(tmp_path / "h.pdf") as pdf:
        uris = [h["uri"] for page in pdf.pages for h in page.hyperlinks]
        assert pdf.metadata["Title"] == HOSTILE[0] + " " + HOSTILE[5]
    assert not any(u.startswith("javascript") for u in uris)
    assert "https://example.org/%7B%7D%5Cinput%7Bx%7D#%25&~%24%5E_" in uris
    assert "mailto:a%25b%23c@example.org" in uris
