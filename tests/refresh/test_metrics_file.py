"""The h-index and i10-index, and the managed metrics file a refresh writes."""

from __future__ import annotations

import json

import pytest

from cvbuild.config.model import RefreshSource
from cvbuild.metrics import h_index, i10_index, metrics_path, read_metrics
from cvbuild.refresh.run import run_refresh
from tests.refresh.replay import Replay, synth_count

NOW = 1_780_000_000.0  # 2026-05-28


@pytest.mark.parametrize(
    ("counts", "h", "i10"),
    [
        ([], 0, 0),  # no papers
        ([0, 0, 0], 0, 0),  # only zeros
        ([5], 1, 0),  # one paper
        ([0], 0, 0),  # one uncited paper
        ([12], 1, 1),
        ([3, 3, 3], 3, 0),  # ties at h
        ([4, 4, 4, 4, 4], 4, 0),  # ties above h
        ([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10], 10, 11),
        ([100, 50, 9, 2, 1, 0, 0], 3, 2),
        ([6, 5, 3, 1, 0], 3, 0),
        ([25, 8, 5, 3, 3], 3, 1),
        ([1, 1, 1, 1], 1, 0),
    ],
)
def test_h_and_i10_on_hand_made_lists(counts: list[int], h: int, i10: int) -> None:
    assert h_index(counts) == h
    assert i10_index(counts) == i10
    assert h_index(list(reversed(counts))) == h  # order does not matter


def synth_sources(replay: Replay, n: int) -> tuple[RefreshSource, ...]:
    base = f"{replay.base}/synth/{n}"
    return (
        RefreshSource("openalex", "A5000000001", (("base_url", f"{base}/openalex"), ("pace", "0"))),
        RefreshSource("semanticscholar", "1", (("base_url", f"{base}/s2"), ("pace", "0"))),
        RefreshSource(
            "pubmed",
            "Lovelace A[au]",
            (
                ("base_url", f"{base}/pubmed"),
                ("idconv_base_url", f"{base}/pubmed/idconv"),
                ("pace", "0"),
            ),
        ),
        RefreshSource("inspire", "A.Lovelace.1", (("base_url", f"{base}/inspire"), ("pace", "0"))),
    )


def test_a_paper_seen_by_four_sources_is_one_entry_with_one_set_of_metrics(
    make_project, client, replay: Replay
) -> None:
    project = make_project(sources=synth_sources(replay, 12))
    report = run_refresh(project.cv, client=client, now=NOW)
    assert not report.failed_sources, report.summary_lines()
    assert report.entries == 12  # 4 x 12 records, 12 works
    bib = project.managed.read_text(encoding="utf-8")
    assert bib.count("@article") == 12
    assert "citation_count" not in bib and "356" not in bib  # counts never go in the .bib
    assert "pmcid = {PMC100003}" in bib  # filled by the ID converter, merged by DOI
    path = metrics_path(project.managed)
    assert path.name == "publications.fetched.metrics.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    work = data["works"]["doi:10.5555/synth.3"]
    assert work["counts"] == {
        "openalex": synth_count(3, "openalex", 0),
        "semanticscholar": synth_count(3, "s2", 0),
        "inspire": synth_count(3, "inspire", 0),
    }
    assert set(work["fetched"].values()) == {"2026-05-28"}
    assert "pmid:30000003" in work["ids"]
    assert len(data["works"]) == 12
    assert data["sources"]["openalex"]["h_index"] == h_index(
        [synth_count(i, "openalex", 0) for i in range(12)]
    )
    assert report.metrics_written and report.to_json()["metrics_works"] == 12


def test_only_counts_changing_leaves_the_bib_alone(make_project, client, replay: Replay) -> None:
    project = make_project(sources=synth_sources(replay, 5))
    run_refresh(project.cv, client=client, now=NOW)
    bib = project.managed.read_bytes()
    replay.bump = 3  # every count ticks up
    report = run_refresh(project.cv, client=client, now=NOW + 86400)
    assert not report.changed and not report.written
    assert report.metrics_changed and report.metrics_written
    assert project.managed.read_bytes() == bib
    metrics = read_metrics(metrics_path(project.managed))
    assert metrics.counts("openalex") == [synth_count(i, "openalex", 3) for i in range(5)]
    assert metrics.as_of("openalex") == "2026-05-29"
    again = run_refresh(project.cv, client=client, now=NOW + 86400)
    assert not again.metrics_changed and not again.metrics_written


def test_a_failed_source_keeps_its_counts_and_figures_from_the_snapshot(
    make_project, client, replay: Replay
) -> None:
    project = make_project(sources=synth_sources(replay, 4))
    run_refresh(project.cv, client=client, now=NOW)
    replay.fault("/synth/4/openalex", "status", status=503)
    report = run_refresh(project.cv, client=client, now=NOW + 86400)
    assert report.failed_sources == ["openalex:A5000000001"]
    metrics = read_metrics(metrics_path(project.managed))
    assert metrics.counts("openalex") == [synth_count(i, "openalex", 0) for i in range(4)]
    assert metrics.as_of("openalex") == "2026-05-28"  # the snapshot's date, not today's
    assert metrics.sources["openalex"].h_index is not None
    assert metrics.as_of("semanticscholar") == "2026-05-29"


def test_a_foreign_file_where_the_metrics_go_is_never_replaced(
    make_project, client, replay: Replay
) -> None:
    project = make_project(sources=synth_sources(replay, 2))
    path = metrics_path(project.managed)
    path.write_text('{"mine": true}\n', encoding="utf-8")
    report = run_refresh(project.cv, client=client, now=NOW)
    assert path.read_text(encoding="utf-8") == '{"mine": true}\n'
    assert any("not a metrics file" in m for m in report.messages)


def test_sources_without_counts_write_no_metrics_file(make_project, client) -> None:
    project = make_project("dblp")
    report = run_refresh(project.cv, client=client, now=NOW)
    assert report.written and not metrics_path(project.managed).exists()
    assert report.to_json()["metrics_file"] is None


def test_a_work_linked_only_by_its_pmid_is_one_entry_with_one_set_of_metrics(
    make_project, client, replay: Replay
) -> None:
    # OpenAlex gives a PMID and no DOI (and a title of its own), S2 a DOI and no PMID, PubMed
    # both: OpenAlex's record joins the others through PubMed's PMID, never by its title.
    replay.synth_mix = True
    project = make_project(sources=synth_sources(replay, 6))
    report = run_refresh(project.cv, client=client, now=NOW)
    assert not report.failed_sources, report.summary_lines()
    assert report.entries == 6, project.managed.read_text(encoding="utf-8")
    bib = project.managed.read_text(encoding="utf-8")
    assert bib.count("@article") == 6
    assert bib.count("doi = {10.5555/synth.2}") == 1 and bib.count("pmid = {30000002}") == 1
    data = json.loads(metrics_path(project.managed).read_text(encoding="utf-8"))
    assert len(data["works"]) == 6
    work = data["works"]["doi:10.5555/synth.2"]
    assert work["counts"] == {
        "openalex": synth_count(2, "openalex", 0),
        "semanticscholar": synth_count(2, "s2", 0),
        "inspire": synth_count(2, "inspire", 0),
    }
    assert {"pmid:30000002", "pmcid:PMC100002"} <= set(work["ids"])
