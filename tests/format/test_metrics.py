"""Citation metrics on the page: "cited N times" and the summary line, in every format, only
where ``metrics:`` asks; indices computed from the chosen source's per-paper counts."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cvbuild.build import BuildOptions, build
from cvbuild.config.reader import load_config
from cvbuild.errors import InputError
from cvbuild.format.metrics import cited_text, summary_text
from cvbuild.metrics.store import parse_metrics

BIB = """@article{lovelace2020one,
  author = {Ada Lovelace and Bo Li},
  title = {First Paper on Engines},
  journal = {J. Tests},
  year = {2020},
  doi = {10.5555/one},
}

@article{lovelace2021two,
  author = {Ada Lovelace},
  title = {Second Paper on Engines},
  journal = {J. Tests},
  year = {2021},
  pmid = {30000002},
}

@article{lovelace2022three,
  author = {Ada Lovelace},
  title = {Third Paper, Never Counted},
  journal = {J. Tests},
  year = {2022},
}
"""
METRICS = {
    "version": 1,
    "sources": {"openalex": {"fetched": "2026-05-28", "h_index": 2, "i10_index": 1}},
    "works": {
        "doi:10.5555/one": {
            "ids": ["doi:10.5555/one", "key:other2020"],
            "counts": {"openalex": 1234, "semanticscholar": 1100},
            "fetched": {"openalex": "2026-05-28", "semanticscholar": "2026-05-27"},
        },
        "pmid:30000002": {
            "ids": ["pmid:30000002"],
            "counts": {"openalex": 1},
            "fetched": {"openalex": "2026-05-20"},
        },
    },
}


def project(
    root: Path, metrics: str = "{per_paper: true, summary: true, source: openalex}"
) -> Path:
    (root / "papers.bib").write_text(BIB, encoding="utf-8")
    (root / "papers.fetched.metrics.json").write_text(json.dumps(METRICS), encoding="utf-8")
    config = root / "cv.yaml"
    config.write_text(
        "person: {name: Ada Lovelace}\n"
        "sections:\n  - title: Publications\n    publications:\n      bib: papers.bib\n"
        "variants:\n  plain: {}\n"
        f"  cited: {{metrics: {metrics}}}\n"
        "output: {dir: out, formats: [md, html, tex, docx]}\n"
        "refresh: {into: papers.fetched.bib, sources: [{openalex: A5000000001}]}\n",
        encoding="utf-8",
    )
    return config


SUMMARY = "Citations: 1,235; h-index 1; i10-index 1 (OpenAlex, as of 2026-05-28)"


def docx_text(data: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_metrics_in_md_html_tex_and_docx_and_never_without_asking(tmp_path: Path) -> None:
    report = build(project(tmp_path), BuildOptions(date="May 2026"))
    out = tmp_path / "out"
    cited = {p.suffix: p for p in (out / "cited").iterdir()}
    plain = {p.suffix: p for p in (out / "plain").iterdir()}
    md = cited[".md"].read_text(encoding="utf-8")
    assert "cited 1,234 times" in md and "cited once" in md
    assert md.count("cited ") == 2  # the third paper has no count: nothing is made up
    assert SUMMARY in md
    html = cited[".html"].read_text(encoding="utf-8")
    assert "cited 1,234 times" in html and SUMMARY in html
    tex = cited[".tex"].read_text(encoding="utf-8")
    assert "cited 1,234 times" in tex and "i10-index 1" in tex
    text = docx_text(cited[".docx"].read_bytes())
    assert "cited 1,234 times" in text and SUMMARY in text
    for path in plain.values():
        if path.suffix in (".md", ".html", ".tex"):
            body = path.read_text(encoding="utf-8")
            assert "cited" not in body.lower() and "h-index" not in body
    assert "cited" not in docx_text(plain[".docx"].read_bytes()).lower()
    # our h-index (1) is within a few of OpenAlex's own (2): no warning
    assert not [w for w in report.warnings if "h-index" in w.message]


@pytest.mark.tex
def test_metrics_in_the_pdf(tmp_path: Path) -> None:
    import pdfplumber

    config = project(tmp_path)
    build(config, BuildOptions(formats=["pdf"], variants=["cited"], date="May 2026"))
    pdf = next((tmp_path / "out" / "cited").glob("*.pdf"))
    with pdfplumber.open(pdf) as doc:
        text = "".join("".join((page.extract_text() or "").split()) for page in doc.pages)
    assert "cited1,234times" in text and "cited once".replace(" ", "") in text
    assert SUMMARY.replace(" ", "") in text  # pdfplumber drops the spaces


def test_another_source_and_only_the_summary(tmp_path: Path) -> None:
    config = project(tmp_path, "{summary: true, source: semanticscholar}")
    build(config, BuildOptions(formats=["md"], variants=["cited"]))
    md = next((tmp_path / "out" / "cited").glob("*.md")).read_text(encoding="utf-8")
    assert "cited 1,100" not in md  # per_paper is off
    assert "Citations: 1,100; h-index 1; i10-index 1 (Semantic Scholar, as of 2026-05-27)" in md


def test_a_source_without_counts_warns_where_metrics_is_set(tmp_path: Path) -> None:
    config = project(tmp_path, "{per_paper: true, source: inspire}")
    report = build(config, BuildOptions(formats=["md"], variants=["cited"]))
    (problem,) = [w for w in report.warnings if "citation counts" in w.message]
    assert problem.location.line == 8 and "no INSPIRE citation counts" in problem.message
    assert "cvbuild refresh" in problem.hint


def test_an_h_index_far_from_the_sources_own_is_a_warning(tmp_path: Path) -> None:
    config = project(tmp_path)
    data = dict(METRICS, sources={"openalex": {"fetched": "2026-05-28", "h_index": 40}})
    (tmp_path / "papers.fetched.metrics.json").write_text(json.dumps(data), encoding="utf-8")
    report = build(config, BuildOptions(formats=["md"], variants=["cited"]))
    (problem,) = [w for w in report.warnings if "h-index" in w.message]
    assert "is 1, but OpenAlex itself says 40" in problem.message


def test_metrics_config_is_checked(tmp_path: Path) -> None:
    config = project(tmp_path, "{per_paper: yes please, source: scholar}")
    with pytest.raises(InputError) as caught:
        load_config(config)
    text = str(caught.value)
    assert "cv.yaml:8:" in text and "scholar" in text


def test_texts_and_a_broken_metrics_file() -> None:
    metrics = parse_metrics(json.dumps(METRICS))
    assert summary_text(metrics, "openalex") == SUMMARY
    assert summary_text(metrics, "inspire") == ""
    for junk in (
        "",
        "{",
        "[]",
        '{"version": 2}',
        '{"version": 1, "works": {"x": {"counts": {"a": -1}}}}',
    ):
        empty = parse_metrics(junk)
        assert summary_text(empty, "openalex") == "" and empty.counts("a") == []
    assert cited_text.__name__ == "cited_text"
