"""Issue 18, item 1: a filter that leaves a section empty says so, and the section is gone.

The starter's ``resume`` variant has ``selected_only: true``; a bib with no ``selected``
field used to give a bare heading and "0 warnings".
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cvbuild.cli import main

BIB = """@article{a2020,
  title={First Paper}, author={Doe, Jane}, journal={J. One}, year={2020},
}
@inproceedings{b2021,
  title={Second Paper}, author={Doe, Jane and Roe, Richard}, booktitle={Conf}, year={2021},
}
@article{c2022,
  title={Third Paper}, author={Doe, Jane}, journal={J. Two}, year={2022},
}
"""
HEAD = """person:
  name: Jane Doe
sections:
  - title: Positions
    entries:
      - title: Professor
        organization: Uni
        start: 2020
        tags: [academic]
  - title: Selected Papers
    publications:
      bib: papers.bib
{extra}
output:
  dir: out
  formats: [md, tex, docx]
"""


def project(tmp_path: Path, extra: str = "", variants: str = "", bib: str = BIB) -> Path:
    (tmp_path / "papers.bib").write_text(bib, encoding="utf-8")
    text = HEAD.replace("{extra}", extra) + variants
    (tmp_path / "cv.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "cv.yaml"


def warnings_of(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": warning: " in line]


def test_selected_only_on_a_bib_without_selected_warns_and_drops_the_heading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, variants="variants:\n  cv: {}\n  resume:\n    selected_only: true\n")
    assert main(["build", str(config)]) == 0
    out, err = capsys.readouterr()
    found = warnings_of(err)
    assert len(found) == 1, err
    # located at the section in cv.yaml (line 10, column 5: its `title`)
    assert found[0].split(": warning: ")[0].endswith("cv.yaml:10:5")
    assert (
        "section 'Selected Papers' is empty in variant 'resume' and left out: selected_only "
        "(set by variant 'resume') matched 0 of 3 entries in papers.bib; none has "
        "`selected = {true}`" in found[0]
    )
    assert "1 warning(s)" in out
    resume = tmp_path / "out" / "resume"
    md = (resume / "Doe_Jane_CV_resume.md").read_text(encoding="utf-8")
    tex = (resume / "Doe_Jane_CV_resume.tex").read_text(encoding="utf-8")
    assert "Selected Papers" not in md and "Selected Papers" not in tex
    assert "Positions" in md and "Positions" in tex
    docx = pytest.importorskip("docx")
    word = docx.Document(io.BytesIO((resume / "Doe_Jane_CV_resume.docx").read_bytes()))
    texts = [p.text for p in word.paragraphs]
    assert "Positions" in texts and "Selected Papers" not in texts
    # the other variant still has its papers, heading and all
    full = (tmp_path / "out" / "cv" / "Doe_Jane_CV.md").read_text(encoding="utf-8")
    assert "# Selected Papers" in full and "Third Paper" in full


def test_the_plain_text_export_leaves_it_out_too(tmp_path: Path) -> None:
    from cvbuild.build.export import make_bundle

    config = project(tmp_path, extra="      selected_only: true")
    bundle = make_bundle(config, None, parts=("txt",))
    text = bundle.files["Doe_Jane_CV.txt"].decode("utf-8")
    assert "Selected Papers".upper() not in text.upper() and "Positions".upper() in text.upper()
    assert any("selected_only matched 0 of 3 entries" in w.message for w in bundle.warnings)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "      types: [book]",
            "types [book] matched 0 of 3 entries in papers.bib; they are journal (2), "
            "conference (1)",
        ),
        (
            "      since: 2030",
            "since 2030 matched 0 of 3 entries in papers.bib; the newest is from 2022",
        ),
        (
            "      until: 2000",
            "until 2000 matched 0 of 3 entries in papers.bib; the oldest is from 2020",
        ),
        (
            "      include_keys: [c2202]",
            "include_keys matched 0 of 3 entries in papers.bib; none of its keys ('c2202') is "
            "in the bibliography (did you mean 'c2022'?)",
        ),
        (
            "      exclude_keys: [a2020, b2021, c2022]",
            "exclude_keys matched 0 of 3 entries in papers.bib; it excludes every one of them",
        ),
        (
            "      types: [journal]\n      since: 2023",
            "since 2023 matched 0 of 2 entries left by types; the newest is from 2022",
        ),
    ],
)
def test_each_filter_is_named_with_its_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str, expected: str
) -> None:
    config = project(tmp_path, extra=extra)
    assert main(["build", "--format", "md", str(config)]) == 0
    err = capsys.readouterr().err
    found = warnings_of(err)
    assert len(found) == 1 and expected in found[0], err
    assert "section 'Selected Papers' is empty and left out: " in found[0]
    md = next((tmp_path / "out" / "cv").glob("*.md")).read_text(encoding="utf-8")
    assert "Selected Papers" not in md


def test_a_limit_never_empties_a_section_and_a_filter_that_keeps_one_is_silent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, extra="      since: 2022\n      limit: 1")
    assert main(["build", "--format", "md", str(config)]) == 0
    assert warnings_of(capsys.readouterr().err) == []
    md = next((tmp_path / "out" / "cv").glob("*.md")).read_text(encoding="utf-8")
    assert "# Selected Papers" in md and "Third Paper" in md


def test_an_empty_bib_file_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = project(tmp_path, bib="% nothing yet\n")
    assert main(["build", "--format", "md", str(config)]) == 0
    found = warnings_of(capsys.readouterr().err)
    assert len(found) == 1 and "papers.bib has no entries" in found[0]


def test_tags_that_empty_an_entries_section_warn_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, variants="variants:\n  industry:\n    tags: [industry]\n")
    assert main(["build", "--format", "md", str(config)]) == 0
    found = warnings_of(capsys.readouterr().err)
    assert len(found) == 1, found
    assert (
        "section 'Positions' is empty and left out: tags [industry] matched 0 of 1 entry"
        in (found[0])
    )
    md = next((tmp_path / "out" / "industry").glob("*.md")).read_text(encoding="utf-8")
    assert "Positions" not in md and "# Selected Papers" in md


def test_check_says_it_and_strict_makes_it_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, extra="      selected_only: true")
    assert main(["check", str(config)]) == 0
    out, err = capsys.readouterr()
    assert "selected_only matched 0 of 3 entries" in err and "1 warning(s)" in out
    assert main(["check", "--strict", str(config)]) == 1
    assert "selected_only matched 0 of 3 entries" in capsys.readouterr().err
