"""Shared test helpers: where the ../shared fixtures live, and a fixed 'today'."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO.parent / "shared").resolve()
PEERS = SHARED / "fixtures" / "peers"
SOURCES = SHARED / "fixtures" / "sources"
PEER_BIBS = sorted(PEERS.glob("*.bib")) if PEERS.is_dir() else []

# Well-formed entries in each peer bibliography, counted by reading each file (entries only:
# no @string/@preamble/@comment). The Ding file has two entries with a repeated field, which
# bibtexparser fails and we keep with a warning.
PEER_ENTRY_COUNTS = {
    "alfolio-papers.bib": 9,
    "alfolio-papers-2021.bib": 7,
    "bibtexparser-comments-spaces-and-declarations.bib": 1,
    "bibtexparser-features2.bib": 1,
    "bibtexparser-gbk-encoding.bib": 1,
    "bibtexparser-multiline-comments.bib": 0,
    "pybtex-cyrillic.bib": 5,
    "pybtex-extrafields.bib": 1,
    "pybtex-xampl.bib": 36,
    "researcher-asano-ml.bib": 88,
    "researcher-bhatnagar-biostatistics.bib": 34,
    "researcher-ding-nlp.bib": 37,
    "researcher-oman-astrophysics.bib": 67,
    "researcher-stretcu-ml.bib": 20,
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files under tests/golden/ from the current output",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with ``tests/golden/<name>``; show a diff on mismatch; rewrite with
    ``--update-golden``."""
    import difflib

    update = request.config.getoption("--update-golden") or bool(
        os.environ.get("CVBUILD_UPDATE_GOLDEN")
    )

    def check(name: str, actual: str) -> None:
        path = REPO / "tests" / "golden" / name
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            if not update:
                pytest.fail(f"golden file {name} was missing and has been written; check it in")
            return
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(True), actual.splitlines(True), f"golden/{name}", "actual"
                )
            )
            pytest.fail(f"output differs from golden/{name} (run pytest --update-golden):\n{diff}")

    return check


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "shared: needs the ../shared fixtures")


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared fixtures not present beside the clone")
    return SHARED


@pytest.fixture
def peers_dir(shared_dir: Path) -> Path:
    return shared_dir / "fixtures" / "peers"


@pytest.fixture
def sources_dir(shared_dir: Path) -> Path:
    return shared_dir / "fixtures" / "sources"


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    # A fixed "today" so that dates in outputs are stable (2026-01-15 12:00 UTC).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768478400")


@pytest.fixture(autouse=True, scope="session")
def _no_user_format_cache(tmp_path_factory: pytest.TempPathFactory):
    """Builds under test never read or write the user's cache of preamble formats, and
    run without one unless a test turns them on (tests/compile/test_fmtcache.py)."""
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "CVBUILD_FORMAT")}
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    os.environ["CVBUILD_FORMAT"] = "0"
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def fork_answers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Forking allowed as if a core were free (cvbuild.forking); the list gets one item per
    child whose answer was used, so a two-core test can check it did not run in one."""
    from cvbuild import forking

    answered: list[int] = []
    real_start = forking.start

    def counting(work):  # type: ignore[no-untyped-def]
        child = real_start(work)
        if child is None:
            return None
        real_result = child.result

        def result():  # type: ignore[no-untyped-def]
            value = real_result()
            if value is not None:
                answered.append(1)
            return value

        child.result = result  # type: ignore[method-assign]
        return child

    monkeypatch.setattr(forking, "spare_cpu", lambda: True)
    monkeypatch.setattr(forking, "start", counting)
    return answered
