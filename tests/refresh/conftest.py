"""Fixtures for the refresh tests: the loopback replay server, a client that never sleeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cvbuild.config.model import CV, Output, Person, RefreshConfig, RefreshSource, Variant
from cvbuild.refresh.http import HttpClient
from tests.refresh.replay import CURATED, DBLP_PID, DOIS_WITH_BIBTEX, ORCID, Fault, Replay, serve

__all__ = ["CURATED", "DBLP_PID", "DOIS_WITH_BIBTEX", "ORCID", "Fault", "Replay"]


@pytest.fixture
def replay(sources_dir: Path) -> Iterator[Replay]:
    with serve(sources_dir) as state:
        yield state


@dataclass
class SleepRecorder:
    calls: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def client(sleeps: SleepRecorder) -> HttpClient:
    return HttpClient(mailto="owner@example.org", timeout=0.2, retries=2, backoff=0.5, sleep=sleeps)


def sources_for(replay: Replay, *kinds: str) -> tuple[RefreshSource, ...]:
    base = replay.base
    table = {
        "dblp": RefreshSource("dblp", DBLP_PID, (("base_url", f"{base}/dblp"),)),
        "orcid": RefreshSource("orcid", ORCID, (("base_url", f"{base}/orcid"),)),
        "crossref": RefreshSource(
            "crossref",
            "",
            (("orcid", ORCID), ("base_url", f"{base}/crossref"), ("doi_base_url", f"{base}/doi")),
        ),
        "arxiv": RefreshSource(
            "arxiv", "au:del_maestro", (("base_url", f"{base}/arxiv"), ("max_results", "10"))
        ),
    }
    return tuple(table[k] for k in kinds)


@dataclass
class Project:
    root: Path
    cv: CV
    curated: Path
    managed: Path

    def curated_bytes(self) -> bytes:
        return self.curated.read_bytes()


MakeProject = Callable[..., Project]


@pytest.fixture
def make_project(tmp_path: Path, replay: Replay) -> MakeProject:
    def make(*kinds: str, sources: tuple[RefreshSource, ...] | None = None) -> Project:
        curated = tmp_path / "publications.bib"
        curated.write_text(CURATED, encoding="utf-8")
        managed = tmp_path / "publications.fetched.bib"
        config = RefreshConfig(
            into=managed,
            sources=sources if sources is not None else sources_for(replay, *kinds),
            mailto="owner@example.org",
        )
        cv = CV(
            person=Person("Di Xu"),
            sections=(),
            variants=(Variant("cv"),),
            output=Output(dir=tmp_path / "out"),
            refresh=config,
            path=tmp_path / "cv.yaml",
        )
        (tmp_path / "cv.yaml").write_text("person: {name: Di Xu}\n", encoding="utf-8")
        return Project(tmp_path, cv, curated, managed)

    return make
