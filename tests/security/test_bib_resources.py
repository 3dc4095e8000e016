"""BibTeX that tries to exhaust memory, the recursion limit or TeX: through the real CLI,
under a memory and a time cap. Each case: exit 0, a located warning naming the entry,
every other entry built, no traceback, the inputs unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.conftest import fingerprint, run_cli

CONFIG = """\
person:
  name: Jane Doe
  headline: {headline}
sections:
  - title: Publications
    publications:
      bib: papers.bib
  - title: Service
    entries:
      - title: {entry}
        organization: Somewhere
"""
GOOD = "@article{good, title = {A Perfectly Normal Title}, author = {Doe, Jane}, year = 2021}"


def _project(
    tmp_path: Path, bib: str, *, headline: str = "Ecologist", entry: str = "Chair"
) -> Path:
    (tmp_path / "cv.yaml").write_text(
        CONFIG.format(headline=headline, entry=entry), encoding="utf-8"
    )
    (tmp_path / "papers.bib").write_text(bib + "\n" + GOOD + "\n", encoding="utf-8")
    return tmp_path


def _build_md(tmp_path: Path, memory_mb: int = 300) -> tuple[str, str]:
    before = fingerprint(tmp_path / "cv.yaml", tmp_path / "papers.bib")
    run = run_cli(
        "build", "cv.yaml", "--format", "md", "--output", "out",
        cwd=tmp_path, memory_mb=memory_mb, timeout=60,
    )  # fmt: skip
    run.assert_no_traceback()
    assert run.code == 0, run.text
    assert fingerprint(tmp_path / "cv.yaml", tmp_path / "papers.bib") == before
    md = next((tmp_path / "out").rglob("*.md")).read_text(encoding="utf-8")
    assert "A Perfectly Normal Title" in md  # the other entry built
    return run.text, md


def _line_of(bib_path: Path, needle: str) -> int:
    for number, line in enumerate(bib_path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_exponential_string_macros_are_bounded_and_located(tmp_path: Path) -> None:
    lines = ["@string{s0 = {abcdefghij}}"]
    lines += [f"@string{{s{i} = s{i - 1} # s{i - 1}}}" for i in range(1, 41)]
    lines.append("@article{bomb, title = s40, author = {Doe, Jane}, year = 2020}")
    project = _project(tmp_path, "\n".join(lines))
    text, md = _build_md(project)
    bib = project / "papers.bib"
    assert f"papers.bib:{_line_of(bib, '@string{s17 ')}: warning: @string 's17'" in text
    assert f"papers.bib:{_line_of(bib, 'bomb')}: warning: entry 'bomb', field 'title'" in text
    assert "'s40'" in text and "this entry is skipped" in text
    assert "abcdefghij" not in md


def test_forward_macro_chain_deeper_than_the_cap(tmp_path: Path) -> None:
    # s0 uses s1 uses s2 … each defined after its user: an iterative-depth attack.
    lines = [f"@string{{s{i} = s{i + 1}}}" for i in range(3000)] + ["@string{s3000 = {end}}"]
    lines.append("@article{chain, title = s0, author = {Doe, Jane}, year = 2020}")
    text, _ = _build_md(_project(tmp_path, "\n".join(lines)))
    assert "more than 32 macros" in text


DEEP_TITLES = {
    "braces-400": "{" * 400 + "Deep" + "}" * 400,
    "math-sup-5000": "$" + "x^{" * 5000 + "}" * 5000 + "$",
    "accent-5000": "\\'{" * 5000 + "e" + "}" * 5000,
    "textbf-5000": "\\textbf{" * 5000 + "Bold" + "}" * 5000,
    "accent-chain-5000": "\\'" * 5000 + "e",
    "html-sup-3000": "<sup>" * 3000 + "x",
    "math-caret-5000": "$" + "^" * 5000 + "$",
}


@pytest.mark.parametrize("case", sorted(DEEP_TITLES))
def test_deep_nesting_in_a_title_is_a_located_warning(tmp_path: Path, case: str) -> None:
    bib = f"@article{{deep, title = {{{DEEP_TITLES[case]}}}, author = {{Doe, Jane}}, year = 2020}}"
    project = _project(tmp_path, bib)
    text, _ = _build_md(project)
    assert "RecursionError" not in text
    assert "papers.bib:1: warning: entry 'deep', field 'title'" in text
    assert "nest more than 64 levels" in text


@pytest.mark.parametrize("case", ["braces-400", "accent-5000", "textbf-5000"])
def test_deep_nesting_in_author_names(tmp_path: Path, case: str) -> None:
    name = DEEP_TITLES[case].replace("Deep", "Doe").replace("Bold", "Roe")
    bib = f"@article{{deep, title = {{T}}, author = {{{name} and Doe, Jane}}, year = 2020}}"
    text, md = _build_md(_project(tmp_path, bib))
    assert "RecursionError" not in text
    assert "entry 'deep', field 'author'" in text or case == "braces-400"


INLINE = {
    "stars": "*a " * 20000,
    "strong": "**" * 5000 + "x" + "**" * 5000,
    "brackets": "[" * 20000,
    "links": "[a](" * 10000,
    "latex": "\\textbf{" * 5000,
}


@pytest.mark.parametrize("case", sorted(INLINE))
def test_hostile_inline_text_in_cv_yaml(tmp_path: Path, case: str) -> None:
    value = '"' + INLINE[case].replace("\\", "\\\\") + '"'
    text, md = _build_md(_project(tmp_path, "", headline=value, entry=value))
    assert "RecursionError" not in text


def test_three_megabyte_title_and_author_list_are_located(tmp_path: Path) -> None:
    authors = " and ".join(f"Author{i}, A." for i in range(200_000))  # ~3 MB
    bib = (
        "@article{hugetitle, title = {" + "word " * 600_000 + "}, author = {Doe, Jane}}\n"
        "@article{hugeauthors, title = {T}, author = {" + authors + "}}"
    )
    project = _project(tmp_path, bib)
    text, md = _build_md(project, memory_mb=600)
    assert "papers.bib:1: warning: entry 'hugetitle', field 'title' is 3,000,000" in text
    assert "papers.bib:2: warning: entry 'hugeauthors', field 'author' is" in text
    assert "over the limit of 400,000" in text
    assert "Author1," not in md


@pytest.mark.tex
@pytest.mark.slow
def test_long_title_under_the_cap_builds_a_pdf(tmp_path: Path) -> None:
    """95 KB of title and 290 KB of authors: TeX gets lines it can read, the PDF builds."""
    authors = " and ".join(f"Author{i}, A." for i in range(15000))
    bib = "@article{long, title = {" + "word " * 19000 + "}, author = {" + authors + "}}"
    project = _project(tmp_path, bib)
    run = run_cli(
        "build", "cv.yaml", "--format", "pdf", "--output", "out",
        cwd=project, timeout=240,
    )  # fmt: skip
    run.assert_no_traceback()
    assert run.code == 0, run.text
    assert next((project / "out").rglob("*.pdf")).stat().st_size > 10_000
