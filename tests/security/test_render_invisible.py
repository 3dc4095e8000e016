"""Invisible and direction-control characters from cv.yaml and BibTeX reach no output:
Markdown, LaTeX, DOCX (through pandoc), plain text and JSON Resume apply one rule."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cvbuild.render.invisible import visible_json, visible_text
from tests.security.conftest import run_cli

INVISIBLE = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # embeddings, overrides
    "\u2066", "\u2067", "\u2068", "\u2069",  # isolates
    "\u200b", "\u200e", "\u200f", "\u2060", "\ufeff", "\u061c", "\u180e",
    "\u2061", "\u206a", "\U000e0041", "\U000e007f", "\ufff9",  # invisible operators, tags
]  # fmt: skip
SAMPLE = "".join(f"x{ch}y" for ch in INVISIBLE)
CONFIG = """\
person:
  name: Jane Doe
  headline: "Head{sample}line"
sections:
  - title: Publications
    publications:
      bib: papers.bib
  - title: Service
    entries:
      - title: "Chair{sample}"
        organization: Somewhere
"""


def _project(tmp_path: Path) -> Path:
    escaped = "".join(f"\\U{ord(c):08X}" if ord(c) > 0xFFFF else f"\\u{ord(c):04X}" for c in SAMPLE)
    (tmp_path / "cv.yaml").write_text(CONFIG.format(sample=escaped), encoding="utf-8")
    (tmp_path / "papers.bib").write_text(
        "@article{bidi, title = {Title" + SAMPLE + "}, author = {Doe" + SAMPLE + ", Jane}, "
        "journal = {J" + SAMPLE + "}, year = 2020}\n",
        encoding="utf-8",
    )
    return tmp_path


def _assert_clean(text: str, what: str) -> None:
    for ch in INVISIBLE:
        assert ch not in text, f"U+{ord(ch):04X} reached the {what}"
    assert "xy" in text, f"the visible text around them is missing from the {what}"


@pytest.mark.parametrize("fmt", ["md", "tex"])
def test_text_outputs_hold_no_invisible_character(tmp_path: Path, fmt: str) -> None:
    project = _project(tmp_path)
    run = run_cli("build", "cv.yaml", "--format", fmt, "--output", "out", cwd=project)
    run.assert_no_traceback()
    assert run.code == 0, run.text
    _assert_clean(next((project / "out").rglob(f"*.{fmt}")).read_text(encoding="utf-8"), fmt)


def test_docx_holds_no_invisible_character(tmp_path: Path) -> None:
    import docx

    project = _project(tmp_path)
    run = run_cli("build", "cv.yaml", "--format", "docx", "--output", "out", cwd=project)
    run.assert_no_traceback()
    assert run.code == 0, run.text
    path = next((project / "out").rglob("*.docx"))
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    _assert_clean(text, "DOCX paragraphs")
    with zipfile.ZipFile(path) as bundle:  # footnotes, headers: every XML part
        xml = "".join(
            bundle.read(n).decode("utf-8") for n in bundle.namelist() if n.endswith(".xml")
        )
    for ch in INVISIBLE:
        assert ch not in xml, f"U+{ord(ch):04X} in the DOCX XML"


def test_plain_text_and_json_resume_apply_the_same_rule() -> None:
    from cvbuild.render.plaintext import clean

    _assert_clean(clean(SAMPLE), "plain text")
    record = visible_json({"basics": {"summary": SAMPLE + "\n\n" + SAMPLE}, "list": [SAMPLE]})
    assert isinstance(record, dict)
    _assert_clean(record["basics"]["summary"], "JSON Resume")
    assert "\n\n" in record["basics"]["summary"]
    _assert_clean(record["list"][0], "JSON Resume")


def test_joiners_stay_inside_words_and_go_elsewhere() -> None:
    persian = "می\u200cخواهم"  # ZWNJ between two Arabic letters: needed
    assert visible_text(persian) == persian
    hindi = "क्\u200dष"  # ZWJ after a virama (a mark): needed
    assert visible_text(hindi) == hindi
    scientist = "\U0001f469\u200d\U0001f52c"  # 👩‍🔬
    assert visible_text(scientist) == scientist
    assert visible_text("a\u200d b \u200cc\u200d") == "a b c"
    assert visible_text("soft\u00adhyphen") == "soft\u00adhyphen"  # each backend decides


def test_latex_and_markdown_escape_apply_the_rule() -> None:
    from cvbuild.render.latex import escape as tex
    from cvbuild.render.markdown import escape as md

    for ch in INVISIBLE:
        assert ch not in tex(f"a{ch}b") and ch not in md(f"a{ch}b", "gfm")
        assert ch not in md(f"a{ch}b", "pandoc")
    assert tex("hy\u00adphen") == r"hy\-phen" and md("hy\u00adphen") == "hyphen"
