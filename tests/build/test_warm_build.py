"""A build's warm engine (started before the BibTeX is read) changes nothing on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cvbuild.build import BuildOptions, build
from cvbuild.compile import warm
from cvbuild.errors import InputError, Location, error

pytestmark = [
    pytest.mark.tex,
    pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed"),
]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "researcher"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "cv", ignore=shutil.ignore_patterns(".cvbuild-cache"))
    return tmp_path / "cv" / "cv.yaml"


@pytest.fixture
def engines(monkeypatch: pytest.MonkeyPatch) -> list[warm.WarmEngine]:
    """Every warm engine a build starts."""
    started: list[warm.WarmEngine] = []
    register = warm.register

    def record(engine: warm.WarmEngine) -> None:
        started.append(engine)
        register(engine)

    monkeypatch.setattr(warm, "register", record)
    return started


def test_the_pdf_is_byte_identical_with_and_without_the_warm_engine(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engines: list
) -> None:
    def pdf(out: str) -> bytes:
        opts = BuildOptions(variants=["cv"], formats=["pdf"], output_dir=tmp_path / out)
        report = build(example, opts)
        assert report.engine_passes == 1
        return (tmp_path / out / "cv" / "Marchetti_Lea_CV.pdf").read_bytes()

    monkeypatch.setenv("CVBUILD_WARM", "0")
    cold = pdf("cold")
    assert engines == []
    monkeypatch.setenv("CVBUILD_WARM", "1")
    hot = pdf("warm")
    assert len(engines) == 1
    # The example needs fallback fonts: the engine loaded the preamble the last build kept.
    assert "[a4,fallbacks]{cvbuild-academic}" in engines[0].prefix
    assert engines[0].proc.returncode == 0  # it typeset the CV (a killed one has -9)
    assert hot == cold
    assert warm.idle_count() == 0


def test_a_bibtex_error_kills_the_started_engine_and_writes_nothing(
    example: Path, tmp_path: Path, engines: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cvbuild.build import run

    def broken(cv: object) -> None:
        raise InputError([error(Location("publications.bib", 3), "a broken entry")])

    monkeypatch.setattr(run, "load_bibliographies", broken)
    with pytest.raises(InputError, match="broken entry"):
        build(example, BuildOptions(variants=["cv"], formats=["pdf"], output_dir=tmp_path / "o"))
    assert len(engines) == 1
    assert engines[0].proc.returncode is not None and engines[0].proc.returncode < 0
    assert not engines[0].folder.exists()
    assert not (tmp_path / "o").exists()
    assert warm.idle_count() == 0


def test_a_build_without_a_pdf_starts_no_engine(
    example: Path, tmp_path: Path, engines: list
) -> None:
    build(example, BuildOptions(variants=["cv"], formats=["md"], output_dir=tmp_path / "o"))
    assert engines == []
    assert warm.idle_count() == 0


@pytest.mark.parametrize("how", ["asked", "remembered", "no pdf"])
def test_the_engine_starts_before_the_config_is_read_when_a_pdf_is_sure(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engines: list, how: str
) -> None:
    """``--format pdf``, or a last build with these options that made a PDF: the engine is
    already loading when the config is read. Otherwise it waits for the config."""
    from cvbuild.build import run

    monkeypatch.setenv("CVBUILD_WARM", "1")
    formats = {"asked": ["pdf"], "remembered": [], "no pdf": ["md"]}[how]
    opts = BuildOptions(variants=["cv"], formats=formats, output_dir=tmp_path / "out")
    if how == "remembered":
        build(example, opts)  # the config's formats include the PDF: remembered from now on
        (example.parent / "cv.yaml").touch()
        engines.clear()
        opts = BuildOptions(variants=["cv"], formats=[], output_dir=tmp_path / "out", force=True)
    at_load: list[int] = []
    real_load = run.load

    def load(config: Path) -> object:
        at_load.append(len(engines))
        return real_load(config)

    monkeypatch.setattr(run, "load", load)
    build(example, opts)
    assert at_load == [0 if how == "no pdf" else 1]
    assert warm.idle_count() == 0
