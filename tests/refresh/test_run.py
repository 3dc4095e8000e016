"""End-to-end refresh runs against the loopback replay server, with injected faults."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from cvbuild.bib import load_publications
from cvbuild.errors import ExternalError
from cvbuild.refresh import HttpClient, content_hash, run_refresh
from cvbuild.refresh.store import cache_dir, refresh_lock

NOW = 1_768_478_400.0


def digest(path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def by_source(report, kind):
    return next(s for s in report.sources if s.source.startswith(kind))


def test_first_refresh_writes_managed_file_and_never_the_curated_one(make_project, client, replay):
    project = make_project("dblp", "orcid", "crossref", "arxiv")
    curated = project.curated_bytes()
    report = run_refresh(project.cv, client=client, now=NOW)
    assert report.failed_sources == []
    assert report.changed and report.written
    assert project.curated_bytes() == curated
    text = project.managed.read_text(encoding="utf-8")
    # volatile DBLP fields are gone, ids are normalised
    assert "timestamp" not in text and "biburl" not in text and "bibsource" not in text
    assert "doi = {10.1364/oe.413844}" in text
    # the NeurIPS paper and its CoRR record are one entry that keeps the arXiv id,
    # without CoRR's journal/volume leaking into it
    pubs, problems = load_publications([project.managed])
    assert [p for p in problems if not p.is_warning] == []
    attention = [p for p in pubs if "attention" in p.title.lower()]
    assert len(attention) == 1
    assert attention[0].entry_type == "inproceedings"
    assert attention[0].get("eprint") == "1706.03762"
    assert attention[0].get("journal") == "" and attention[0].get("volume") == ""
    # the junk ORCID citation fell back to metadata and says so
    orcid = by_source(report, "orcid")
    assert any("not usable BibTeX" in m for m in orcid.messages)
    assert any("C-OCT" in p.title for p in pubs)
    # ORCID asked for JSON; the DOI redirect kept the BibTeX Accept header
    assert all("json" in a for path, a in replay.accepts if path.startswith("/orcid"))
    transform = [a for path, a in replay.accepts if path.endswith("/transform")]
    assert transform and all("x-bibtex" in a for a in transform)
    # reading the file back gives the same content hash as what was written
    assert content_hash(pubs) == report.content_hash


def test_second_refresh_with_nothing_new_is_unchanged_and_fast(make_project, client, replay):
    project = make_project("dblp", "orcid", "crossref", "arxiv")
    run_refresh(project.cv, client=client, now=NOW)
    before = digest(project.managed)
    mtime = project.managed.stat().st_mtime_ns
    hits_before = len(replay.hits)
    started = time.perf_counter()
    report = run_refresh(project.cv, client=client, now=NOW + 86400)
    elapsed = time.perf_counter() - started
    assert not report.changed and not report.written
    assert digest(project.managed) == before
    assert project.managed.stat().st_mtime_ns == mtime  # untouched: no rebuild triggered
    for source in report.sources:
        assert source.added == 0 and source.updated == 0 and source.unchanged > 0
    assert any("unchanged" in line for line in report.summary_lines())
    print(
        f"\nno-change refresh over loopback: {elapsed * 1000:.0f} ms, {len(replay.hits) - hits_before} requests"
    )
    assert elapsed < 5


def test_dry_run_writes_nothing(make_project, client):
    project = make_project("dblp", "arxiv")
    report = run_refresh(project.cv, client=client, now=NOW, dry_run=True)
    assert report.changed and not report.written
    assert not project.managed.exists()
    assert not cache_dir(project.cv.path).exists()
    assert "would be written" in report.summary_lines()[-1]
    assert json.loads(json.dumps(report.to_json()))["dry_run"] is True


def test_arxiv_is_paced_through_the_injected_sleep(make_project, replay, sleeps):
    project = make_project("arxiv")
    client = HttpClient(timeout=0.2, retries=0, sleep=sleeps)
    run_refresh(project.cv, client=client, now=NOW)
    assert replay.count("/arxiv/api/query") == 2  # page 2 (start=10) comes back empty
    assert sleeps.calls and all(2.9 <= s <= 3.0 for s in sleeps.calls)


def test_changed_upstream_updates_and_keeps_a_backup(make_project, client, replay):
    project = make_project("dblp")
    run_refresh(project.cv, client=client, now=NOW)
    first = project.managed.read_bytes()
    # the server now misses one record and has a retitled one
    original = replay.route

    def route(path, query, accept):
        status, ctype, body, headers = original(path, query, accept)
        if path.endswith(".bib"):
            body = body.replace("Attention is All you Need", "Attention Is All You Need (v2)")
            body = body[: body.index("@article{FlashRAG")]
        return status, ctype, body, headers

    replay.route = route
    report = run_refresh(project.cv, client=client, now=NOW + 1)
    dblp = by_source(report, "dblp")
    assert (dblp.added, dblp.updated, dblp.unchanged, dblp.removed) == (0, 1, 1, 1)
    assert report.changed and report.written
    assert "FlashRAG" in report.would_remove
    assert (cache_dir(project.cv.path) / "publications.fetched.bib.bak.1").read_bytes() == first


# --- faults ------------------------------------------------------------------------------

FAULTS = [
    # (fault, kwargs, expected message fragment)
    ("timeout", {}, "timeout"),
    ("status", {"status": 429, "retry_after": "1"}, "HTTP 429"),
    ("status", {"status": 429}, "HTTP 429"),
    ("status", {"status": 500}, "HTTP 500"),
    ("html", {}, "HTML page where BibTeX was expected"),
    ("truncated", {}, "truncated response"),
]


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"), FAULTS, ids=[f[0] + str(f[1]) for f in FAULTS]
)
def test_failing_source_without_snapshot_leaves_files_alone(
    make_project, replay, sleeps, kind, kwargs, message
):
    project = make_project("dblp", "arxiv")
    curated = project.curated_bytes()
    replay.fault("/dblp/", kind, **kwargs)
    client = HttpClient(timeout=0.2, retries=1, backoff=0.5, sleep=sleeps)
    report = run_refresh(project.cv, client=client, now=NOW)
    assert report.failed_sources == ["dblp:95/7448-1"]
    dblp = by_source(report, "dblp")
    assert message in dblp.error and "/dblp/pid/95/7448-1.bib" in dblp.error
    assert any("FAILED" in line and "dblp" in line for line in report.summary_lines())
    assert not report.written and not project.managed.exists()
    assert any("not written" in m for m in report.messages)
    assert project.curated_bytes() == curated
    assert by_source(report, "arxiv").ok  # the other source still ran


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"), FAULTS, ids=[f[0] + str(f[1]) for f in FAULTS]
)
def test_failing_source_keeps_its_snapshot(
    make_project, replay, client, sleeps, kind, kwargs, message
):
    project = make_project("dblp", "arxiv")
    run_refresh(project.cv, client=client, now=NOW)
    before = digest(project.managed)
    curated = project.curated_bytes()
    replay.fault("/dblp/", kind, **kwargs)
    failing = HttpClient(timeout=0.2, retries=1, backoff=0.5, sleep=sleeps)
    report = run_refresh(project.cv, client=failing, now=NOW + 3600)
    dblp = by_source(report, "dblp")
    assert not dblp.ok and message in dblp.error
    assert dblp.used_snapshot and dblp.entries == 3 and dblp.snapshot_age == 3600
    assert report.failed_sources == ["dblp:95/7448-1"]
    assert not report.changed  # a failure is not "no publications"
    assert digest(project.managed) == before
    assert project.curated_bytes() == curated
    json_report = report.to_json()
    assert json_report["failed_sources"] == ["dblp:95/7448-1"]


def test_retry_after_is_honoured_then_succeeds(make_project, replay, sleeps):
    project = make_project("dblp")
    replay.fault("/dblp/", "status", status=429, retry_after="7", times=1)
    client = HttpClient(timeout=0.2, retries=2, sleep=sleeps)
    report = run_refresh(project.cv, client=client, now=NOW)
    assert report.failed_sources == [] and report.written
    assert sleeps.calls == [7.0]


def test_backoff_without_retry_after_doubles(make_project, replay, sleeps):
    project = make_project("dblp")
    replay.fault("/dblp/", "status", status=503, times=2)
    client = HttpClient(timeout=0.2, retries=3, backoff=0.5, sleep=sleeps)
    report = run_refresh(project.cv, client=client, now=NOW)
    assert report.failed_sources == []
    assert sleeps.calls == [0.5, 1.0]


def test_retry_after_over_the_cap_fails_at_once(make_project, replay, sleeps):
    project = make_project("dblp")
    replay.fault("/dblp/", "status", status=429, retry_after="3600")
    client = HttpClient(timeout=0.2, retries=5, max_total_wait=60, sleep=sleeps)
    report = run_refresh(project.cv, client=client, now=NOW)
    dblp = by_source(report, "dblp")
    assert "giving up instead of waiting 3600 s" in dblp.error
    assert sleeps.calls == [] and replay.count("/dblp/") == 1


def test_html_instead_of_json_from_orcid(make_project, replay, client):
    project = make_project("orcid")
    replay.fault("/orcid/", "html-as-json")
    report = run_refresh(project.cv, client=client, now=NOW)
    assert "HTML page where JSON was expected" in by_source(report, "orcid").error
    assert not project.managed.exists()


def test_truncated_json_without_length_is_a_clear_failure(make_project, replay, client):
    project = make_project("orcid")
    replay.fault("/orcid/", "truncated-json")
    report = run_refresh(project.cv, client=client, now=NOW)
    assert "unreadable ORCID JSON" in by_source(report, "orcid").error


def test_redirect_is_followed(make_project, replay, client):
    project = make_project("dblp")
    replay.fault("/dblp/", "redirect", times=1)
    report = run_refresh(project.cv, client=client, now=NOW)
    assert report.failed_sources == [] and report.written
    assert replay.count("/moved/dblp/") == 1


def test_empty_answer_after_a_full_one_is_a_failure(make_project, replay, client):
    project = make_project("dblp")
    run_refresh(project.cv, client=client, now=NOW)
    before = digest(project.managed)
    original = replay.route

    def empty(path, query, accept):
        status, ctype, body, headers = original(path, query, accept)
        return status, ctype, "% nothing here\n" if path.endswith(".bib") else body, headers

    replay.route = empty
    report = run_refresh(project.cv, client=client, now=NOW + 1)
    assert report.failed_sources and digest(project.managed) == before


def test_unknown_source_kind_is_reported_not_raised(make_project, client):
    from cvbuild.config.model import RefreshSource

    project = make_project(sources=(RefreshSource("scholar", "abc"),))
    report = run_refresh(project.cv, client=client, now=NOW)
    assert "unknown source 'scholar'" in report.sources[0].error


def test_a_second_refresh_exits_cleanly_while_the_lock_is_held(make_project, client, replay):
    project = make_project("dblp")
    with (
        refresh_lock(cache_dir(project.cv.path)),
        pytest.raises(ExternalError, match="another 'cvbuild refresh' is running"),
    ):
        run_refresh(project.cv, client=client, now=NOW)
    assert replay.hits == [] and not project.managed.exists()
    assert run_refresh(project.cv, client=client, now=NOW).written  # released afterwards
