"""Narrative text that cites by key (issue 14): each cited work goes through the one
publication formatter (owner bold, marks, author limits), as a numbered list after the
text or inline; an unknown key is a located error and nothing is written."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cvbuild.cli import main
from cvbuild.document import PubItem
from cvbuild.format.citations import cited_paragraphs
from cvbuild.richtext import Cite, Strong, Text, plain, walk

BIB = r"""
@article{lu2024spp,
  title   = {Species pools predict plant turnover},
  author  = {Lu*, Wei and Lovelace*, Ada and Babbage, Charles and Somerville, Mary},
  journal = {Ecology Letters},
  year    = {2024},
  doi     = {10.1111/ele.1},
  pmid    = {111},
  pmcid   = {222},
}
@article{old2019,
  title   = {An older work on engines},
  author  = {Babbage, Charles and Lovelace, Ada},
  journal = {Notes},
  year    = {2019},
}
"""

CONFIG = """\
person: {{name: Ada Lovelace}}
sections:
  - title: Publications
    publications:
      bib: refs.bib
      author_limit: 2
      include_keys: [old2019]
  - title: Statement
    text: |
      We found it first [@lu2024spp], then again [@old2019; @lu2024spp].

      And once more [@lu2024spp].
variants:
  cv: {{sections: [Statement]{extra}}}
output:
  dir: out
"""


def _folder(tmp_path: Path, extra: str = "", text: str = "") -> Path:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    config = tmp_path / "cv.yaml"
    body = CONFIG.format(extra=extra)
    if text:
        body = body.replace("We found it first [@lu2024spp]", text)
    config.write_text(body, encoding="utf-8")
    return config


def _build(config: Path, *formats: str) -> Path:
    out = config.parent / "out"
    args = ["build", str(config), "--output", str(out)]
    for f in formats:
        args += ["--format", f]
    assert main(args) == 0
    return out / "cv"


# ------------------------------------------------------------------ the data


def _fake(key: str, number: int | None) -> PubItem | None:
    if key == "missing":
        return None
    return PubItem(key, (Strong((Text(key.upper()),)), Text(" et al. 2024.")), number)


def test_list_mode_numbers_in_order_of_first_citation() -> None:
    paragraphs, refs = cited_paragraphs("x [@b] y [@a; @b].\n\nz [@b]", _fake)
    assert [plain(p) for p in paragraphs] == ["x [1] y [1, 2].", "z [1]"]
    assert [(r.key, r.number) for r in refs] == [("b", 1), ("a", 2)]
    cites = [n for p in paragraphs for n in walk(p) if isinstance(n, Cite)]
    assert [c.keys for c in cites] == [("b",), ("a", "b"), ("b",)]


def test_inline_mode_puts_the_work_in_the_text() -> None:
    paragraphs, refs = cited_paragraphs("see [@a; @b]", _fake, "inline")
    assert refs == ()
    assert plain(paragraphs[0]) == "see (A et al. 2024; B et al. 2024)"
    assert any(isinstance(n, Strong) for n in walk(paragraphs[0]))


def test_an_unknown_key_stays_as_written() -> None:
    paragraphs, refs = cited_paragraphs("see [@missing] and [@a]", _fake)
    assert plain(paragraphs[0]) == "see [@missing] and [1]"
    assert [r.key for r in refs] == ["a"]


# ------------------------------------------------------------------ built, every format


def test_markdown_lists_the_cited_works_with_the_owner_bold(tmp_path: Path) -> None:
    md = next(_build(_folder(tmp_path), "md").glob("*.md")).read_text(encoding="utf-8")
    assert "We found it first \\[1\\], then again \\[1, 2\\]." in md
    assert "And once more \\[1\\]." in md
    items = [line for line in md.splitlines() if line.startswith("- \\[")]
    assert len(items) == 2
    # the publications section's author limit (2) and the owner after it, bold, with mark
    assert items[0].startswith("- \\[1\\] Wei Lu<sup>\\*</sup>[^equal], ")
    assert "**Ada Lovelace**<sup>\\*</sup>" in items[0] and "and 2 more authors" in items[0]
    assert "Species pools predict plant turnover" in items[0]
    assert "**Ada Lovelace**" in items[1] and "An older work on engines" in items[1]
    # the equal-contribution legend is a footnote, as for a publications section
    assert re.search(r"^\[\^equal\]: Equal contribution$", md, flags=re.M)
    assert "PMID" not in md  # identifiers only where a preset asks for them


def test_inline_citations_through_the_formatter(tmp_path: Path) -> None:
    preset = tmp_path / "mine.yaml"
    preset.write_text(
        "name: mine\ntitle: Mine\nsource: here\nread_on: 2026-12-01\ncitations: inline\n"
        "sections:\n  - id: s\n    label: Statement\n    match: [Statement]\n",
        encoding="utf-8",
    )
    config = _folder(tmp_path, extra=", preset: mine.yaml")
    md = next(_build(config, "md").glob("*.md")).read_text(encoding="utf-8")
    # the preset's full author lists (its author_limit 0)
    assert (
        "We found it first (Wei Lu<sup>\\*</sup>[^equal], **Ada Lovelace**<sup>\\*</sup>, "
        "Charles Babbage, and Mary Somerville." in md
    )
    assert "Species pools predict plant turnover. *Ecology Letters*, 2024)" in md
    assert "- \\[1\\]" not in md


def test_plain_text_and_html(tmp_path: Path) -> None:
    from cvbuild.render.plaintext import render_text

    out = _build(_folder(tmp_path), "html")
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert '<span class="cvb-cite">[1, 2]</span>' in html
    assert re.search(
        r'<ol class="pubs numbered cited">.*?<strong>Ada Lovelace</strong>', html, re.S
    )
    from cvbuild.build.job import prepare
    from cvbuild.build.meter import Meter
    from cvbuild.build.run import load, load_bibliographies

    cv = load(tmp_path / "cv.yaml")
    pubs, _, _ = load_bibliographies(cv)
    doc = prepare(cv, cv.variants[0], pubs, "", Meter()).doc
    text = render_text(doc)
    assert "We found it first [1], then again [1, 2]." in text
    assert "1. Wei Lu*, Ada Lovelace*, and 2 more authors." in text


def test_latex_source_escapes_and_bolds_the_owner(tmp_path: Path) -> None:
    tex = next(_build(_folder(tmp_path), "tex").glob("*.tex")).read_text(encoding="utf-8")
    assert "We found it first [1], then again [1, 2]." in tex
    assert re.search(r"\\cvbpub\{\[1\]\}\{Wei Lu\\cvbmark\{1\}, \\textbf\{Ada Lovelace\}", tex)


needs_tex = pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed")
BOLD_FONT = re.compile(r"bold|LinLibertineO[BZ]$|LinBiolinumO[BZ]$", re.I)


@pytest.mark.tex
@needs_tex
def test_pdf_and_docx_show_the_cited_works_with_the_owner_bold(tmp_path: Path) -> None:
    import docx
    import pdfplumber

    out = _build(_folder(tmp_path), "pdf", "docx")
    pdf = next(out.glob("*.pdf"))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "We found it first [1], then again [1, 2]." in flat
    assert "Species pools predict plant turnover" in flat and "An older work on engines" in flat
    with pdfplumber.open(pdf) as doc:
        words = doc.pages[0].extract_words(extra_attrs=["fontname"])
    bold = [w["text"] for w in words if BOLD_FONT.search(w["fontname"])]
    assert sum(1 for w in bold if "Lovelace" in w) == 2, bold  # one per cited work

    word = docx.Document(str(next(out.glob("*.docx"))))
    body = [p for p in word.paragraphs if "Species pools" in p.text or "older work" in p.text]
    assert len(body) == 2
    assert all(any(r.bold and "Lovelace" in r.text for r in p.runs) for p in body)
    assert any("[1, 2]" in p.text for p in word.paragraphs)


# ------------------------------------------------------------------ unknown keys


def test_an_unknown_key_is_located_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _folder(tmp_path, text="We found it first [@lu2024sp]")
    line = next(
        i
        for i, t in enumerate(config.read_text(encoding="utf-8").splitlines(), 1)
        if "[@lu2024sp]" in t
    )
    for command in (
        ["check", str(config)],
        ["build", str(config), "--output", str(tmp_path / "out")],
        ["export", str(config), "--output", str(tmp_path / "out")],
        ["export", str(config), "--zip", "--output", str(tmp_path / "out" / "cv.zip")],
    ):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert f"cv.yaml:{line}:25: error: [@lu2024sp] cites no entry of refs.bib" in err, err
        assert "did you mean [@lu2024spp]?" in err
    assert not (tmp_path / "out").exists()


def test_an_unknown_key_among_several(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _folder(tmp_path, text="first [@nothing; @lu2024spp]")
    assert main(["check", str(config)]) == 1
    err = capsys.readouterr().err
    assert "@nothing in [@nothing; @lu2024spp] cites no entry of refs.bib" in err
    assert "use a key of refs.bib, or add the entry there" in err


def test_citing_without_any_publications_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "cv.yaml"
    config.write_text(
        "person: {name: Ada Lovelace}\nsections:\n  - title: Statement\n    text: see [@x]\n",
        encoding="utf-8",
    )
    assert main(["check", str(config)]) == 1
    err = capsys.readouterr().err
    assert "cv.yaml:4:15: error: [@x] cites no entry: the CV has no publications section" in err


def test_thousands_of_unknown_keys_are_reported_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    many = " ".join(f"[@nokey{i}]" for i in range(5000))
    config = _folder(tmp_path, text=many)
    start = time.monotonic()
    assert main(["check", str(config)]) == 1
    assert time.monotonic() - start < 30
    err = capsys.readouterr().err
    assert err.count("cites no entry of refs.bib") == 5000
    assert "[@nokey4999] cites no entry" in err
