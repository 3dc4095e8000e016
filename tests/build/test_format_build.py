"""Whole builds with the cached preamble format on: the PDFs are those made without it,
byte for byte, for short and long CVs in both themes, and when fitting to max_pages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from compile.fmt_helpers import formats_on

from build import test_fit_measured as fit_tests
from build.test_fit_measured import synthetic_cv
from cvbuild.build import BuildOptions, build
from cvbuild.compile import fmtcache, warm

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed"),
]


@pytest.fixture
def formats(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """Formats on in a cache of this test's own, dumped in the foreground; yields the
    keys passes were started from."""
    used = formats_on(monkeypatch, tmp_path)
    yield used
    warm.shutdown()


def build_pdf(config: Path, out: Path) -> bytes:
    shutil.rmtree(config.parent / ".cvbuild-cache", ignore_errors=True)
    report = build(
        config,
        BuildOptions(variants=["main"], formats=["pdf"], output_dir=out, date="2026-12-01"),
    )
    (pdf,) = [p for p in report.written if p.suffix == ".pdf"]
    return pdf.read_bytes()


def with_main(config: Path, theme: str) -> Path:
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("variants:\n", f"variants:\n  main: {{theme: {theme}}}\n"))
    return config


@pytest.mark.parametrize("warm_start", ["0", "1"])
@pytest.mark.parametrize("count", [20, 300])
@pytest.mark.parametrize("theme", ["academic", "compact"])
def test_a_build_with_the_format_makes_the_same_pdf(
    theme: str,
    count: int,
    warm_start: str,
    formats: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("CVBUILD_WARM", warm_start)
    config = with_main(synthetic_cv(tmp_path / "cv", count, theme, 99), theme)
    monkeypatch.setenv("CVBUILD_FORMAT", "0")
    plain = build_pdf(config, tmp_path / "plain")
    monkeypatch.setenv("CVBUILD_FORMAT", "1")
    first = build_pdf(config, tmp_path / "first")  # without a format, then dumps one
    assert formats == [] and first == plain
    again = build_pdf(config, tmp_path / "again")
    assert len(formats) == 1  # the warm engine or the cold pass started from it
    assert again == plain
    assert list(fmtcache.cache_dir().glob("*.fmt"))


@pytest.mark.parametrize("theme", ["compact", "academic"])
def test_the_marks_change_no_byte_of_the_pdf_with_the_format(
    theme: str, formats: list[str], tmp_path: Path
) -> None:
    fit_tests.test_the_marks_change_no_byte_of_the_pdf(theme, tmp_path / "a")
    assert len(formats) == 1  # the unmarked pass came from the format
    fit_tests.test_the_marks_change_no_byte_of_the_pdf(theme, tmp_path / "b")
    assert len(formats) == 3  # both passes did


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["compact", "academic"])
def test_200_papers_into_2_pages_with_the_format(
    theme: str, formats: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fit_tests.test_200_papers_into_2_pages_in_at_most_3_compiles(theme, tmp_path, monkeypatch)
    assert formats  # fitting compiles started from the format
