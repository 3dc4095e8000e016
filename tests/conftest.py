"""Shared test helpers: where the ../shared fixtures live, and a fixed 'today'."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO.parent / "shared").resolve()
PEERS = SHARED / "fixtures" / "peers"
SOURCES = SHARED / "fixtures" / "sources"


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
