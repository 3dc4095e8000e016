"""OpenAlex, Semantic Scholar and PubMed against the loopback replay server: what each reads
from the recordings, how each pages, and the fault set every source must survive."""

from __future__ import annotations

from typing import Any

import pytest

from cvbuild.config.model import RefreshSource
from cvbuild.refresh.http import MB, DeadlineError, FetchError, HttpClient
from cvbuild.refresh.sources import SourceError, make_source
from cvbuild.refresh.sources import pubmed as pubmed_module
from tests.refresh.conftest import SleepRecorder
from tests.refresh.replay import (
    OPENALEX_AUTHOR,
    OPENALEX_ORCID,
    PUBMED_IDS,
    PUBMED_ORCID,
    S2_AUTHOR,
    Replay,
)

SOURCES = {
    "openalex": (OPENALEX_ORCID, "/openalex"),
    "semanticscholar": (S2_AUTHOR, "/s2"),
    "pubmed": (PUBMED_ORCID, "/pubmed"),
}
EXPECTED = {"openalex": 2, "semanticscholar": 8, "pubmed": 4}


def source(replay: Replay, kind: str, value: str = "", **options: str) -> Any:
    default, prefix = SOURCES[kind]
    opts = {"base_url": f"{replay.base}{prefix}", "pace": "0", **options}
    if kind == "pubmed":
        opts.setdefault("idconv_base_url", f"{replay.base}/pubmed/idconv")
    return make_source(RefreshSource(kind, value or default, tuple(opts.items())))


# --- what each source reads ---------------------------------------------------------------


def test_openalex_works_counts_ids_and_author_figures(replay: Replay, client: HttpClient) -> None:
    result = source(replay, "openalex").fetch(client)
    by_doi = {p.get("doi"): p for p in result.pubs}
    peerj = by_doi["10.7717/peerj.4375"]
    assert peerj.title.startswith("The state of OA")
    assert peerj.get("citation_count") == "356" and peerj.get("pmid") == "29456894"
    assert [a.family for a in peerj.authors] == ["Piwowar", "Priem"]
    assert by_doi["10.1186/s13321-016-0181-z"].get("pmcid") == "PMC5122160"
    assert result.author_metrics == {"h_index": 14, "i10_index": 14, "citations": 597}
    # the ORCID URL form resolves the author; the works are asked for by the A… id, by cursor
    assert replay.count(f"/openalex/authors/https://orcid.org/{OPENALEX_ORCID}") == 1
    assert replay.count("/openalex/works") == 2


def test_openalex_takes_an_author_id_and_refuses_junk(replay: Replay, client: HttpClient) -> None:
    assert len(source(replay, "openalex", OPENALEX_AUTHOR).fetch(client).pubs) == 2
    with pytest.raises(SourceError, match="neither an ORCID iD"):
        source(replay, "openalex", "Vin Scalfani").fetch(client)


def test_openalex_key_comes_from_the_environment_and_is_never_shown(
    replay: Replay, client: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENALEX_API_KEY", "sekrit-key-123")
    result = source(replay, "openalex").fetch(client)
    assert not any("OPENALEX_API_KEY" in m for m in result.messages)
    replay.fault("/openalex/works", "status", status=500)
    with pytest.raises(FetchError) as caught:
        source(replay, "openalex").fetch(client)
    assert "sekrit" not in str(caught.value) and "sekrit" not in caught.value.url
    assert "api_key=***" in caught.value.url


def test_openalex_without_a_key_says_how_to_set_one(replay: Replay, client: HttpClient) -> None:
    result = source(replay, "openalex").fetch(client)
    assert any("OPENALEX_API_KEY" in m and "environment" in m for m in result.messages)


def test_s2_pages_by_offset_until_next_is_absent(replay: Replay, client: HttpClient) -> None:
    result = source(replay, "semanticscholar").fetch(client)
    assert len(result.pubs) == 8  # 2 on the first page, 6 on the last
    assert replay.count(f"/s2/graph/v1/author/{S2_AUTHOR}/papers") == 2
    by_doi = {p.get("doi"): p for p in result.pubs if p.get("doi")}
    nature = by_doi["10.1038/332644a0"]  # S2 upper-cases DOIs; we do not
    assert nature.get("citation_count") == "933" and nature.get("pmid") == "2833705"
    assert by_doi["10.1085/jgp.93.2.285"].get("pmcid") == "PMC2216206"
    consortium = by_doi["10.1016/j.cell.2023.07.014"]
    names = [a.display for a in consortium.authors]
    assert len(names) == len(set(names))  # the recorded list repeats two authorIds
    assert result.author_metrics["h_index"] == 4


def test_s2_key_goes_in_a_header(
    replay: Replay, client: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S2_API_KEY", "s2-secret")
    source(replay, "semanticscholar").fetch(client)
    assert all(h.get("x-api-key") == "s2-secret" for h in replay.headers_seen)
    with pytest.raises(SourceError, match="not a Semantic Scholar author id"):
        source(replay, "semanticscholar", "L. Cantley").fetch(client)


def test_pubmed_search_fetch_and_pmcids_from_the_id_converter(
    replay: Replay, client: HttpClient
) -> None:
    result = source(replay, "pubmed").fetch(client)
    by_pmid = {p.get("pmid"): p for p in result.pubs}
    assert set(by_pmid) == set(PUBMED_IDS)
    lung = by_pmid["29963580"]
    assert lung.get("doi") == "10.1117/1.jmi.5.2.026002" and lung.get("pmcid") == "PMC6022861"
    assert lung.authors[0].family == "Guo" and lung.year == 2018
    assert by_pmid["9997"].get("doi") == "10.1016/0005-2795(76)90109-4"
    assert by_pmid["12091962"].year == 1990  # <Season> instead of a month
    # only the converter knows this one's PMCID; the old records have none
    assert by_pmid["41476450"].get("pmcid") == "PMC12750061"
    assert not by_pmid["9997"].get("pmcid")
    assert replay.count("/pubmed/idconv") == 1


def test_pubmed_pages_and_batches(
    replay: Replay, client: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pubmed_module, "SEARCH_PAGE", 3)
    monkeypatch.setattr(pubmed_module, "BATCH", 2)
    result = source(replay, "pubmed").fetch(client)
    assert len(result.pubs) == 4
    assert replay.count("/pubmed/esearch.fcgi") == 2
    assert replay.count("/pubmed/efetch.fcgi") == 2


def test_pubmed_is_paced_to_the_documented_limit(
    replay: Replay, sleeps: SleepRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = HttpClient(sleep=sleeps, timeout=1.0)
    opts = {"base_url": f"{replay.base}/pubmed", "idconv_base_url": f"{replay.base}/pubmed/idconv"}
    spec = RefreshSource("pubmed", PUBMED_ORCID, tuple(opts.items()))
    make_source(spec).fetch(client)
    assert sleeps.calls and all(0 < s <= 0.34 for s in sleeps.calls)
    assert max(sleeps.calls) > 0.2  # three a second without a key
    sleeps.calls.clear()
    monkeypatch.setenv("NCBI_API_KEY", "ncbi-secret")
    make_source(spec).fetch(client)
    assert sleeps.calls and all(s <= 0.1 for s in sleeps.calls)  # ten a second with one
    assert "ncbi-secret" not in " ".join(replay.hits)  # the path never holds it


def test_pubmed_zero_hits_is_an_empty_list(replay: Replay, client: HttpClient) -> None:
    assert source(replay, "pubmed", "Nobody Q[au]").fetch(client).pubs == []


def test_pubmed_error_as_200_fails_the_source(replay: Replay, client: HttpClient) -> None:
    replay.fault("/pubmed/efetch", "body", body="<ERROR>Neither query_key nor id specified</ERROR>")
    with pytest.raises(SourceError, match="Neither query_key nor id"):
        source(replay, "pubmed").fetch(client)


def test_pubmed_xml_with_entities_is_refused(replay: Replay, client: HttpClient) -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><PubmedArticleSet>&a;</PubmedArticleSet>'
    replay.fault("/pubmed/efetch", "body", body=bomb)
    with pytest.raises(SourceError, match="entities"):
        source(replay, "pubmed").fetch(client)


def test_pubmed_idconv_failure_costs_only_the_pmcids(replay: Replay, client: HttpClient) -> None:
    replay.fault("/pubmed/idconv", "status", status=404)
    result = source(replay, "pubmed").fetch(client)
    assert len(result.pubs) == 4
    assert any("PMCIDs not looked up" in m for m in result.messages)


# --- the fault set, for each of the three -------------------------------------------------


@pytest.mark.parametrize("kind", list(SOURCES))
def test_a_timeout_is_retried(replay: Replay, client: HttpClient, sleeps, kind: str) -> None:
    replay.fault(SOURCES[kind][1], "timeout", times=1)
    assert len(source(replay, kind).fetch(client).pubs) == EXPECTED[kind]
    assert sleeps.calls == [0.5]  # the backoff, through the injected sleep


@pytest.mark.parametrize("kind", list(SOURCES))
def test_429_with_retry_after_is_honoured(
    replay: Replay, client: HttpClient, sleeps, kind: str
) -> None:
    replay.fault(SOURCES[kind][1], "status", status=429, retry_after="7", times=1)
    assert len(source(replay, kind).fetch(client).pubs) == EXPECTED[kind]
    assert sleeps.calls == [7.0]


@pytest.mark.parametrize("kind", list(SOURCES))
def test_500_fails_after_the_retries(replay: Replay, client: HttpClient, kind: str) -> None:
    replay.fault(SOURCES[kind][1], "status", status=500)
    with pytest.raises(FetchError, match="HTTP 500.*after 3 attempts"):
        source(replay, kind).fetch(client)


@pytest.mark.parametrize("fault", ["html", "html-as-json"])
@pytest.mark.parametrize("kind", list(SOURCES))
def test_html_where_json_was_expected(
    replay: Replay, client: HttpClient, kind: str, fault: str
) -> None:
    replay.fault(SOURCES[kind][1], fault)
    with pytest.raises(FetchError, match="HTML page"):
        source(replay, kind).fetch(client)


@pytest.mark.parametrize("kind", list(SOURCES))
def test_a_truncated_body_is_retried_then_fails(
    replay: Replay, client: HttpClient, kind: str
) -> None:
    replay.fault(SOURCES[kind][1], "truncated")
    with pytest.raises(FetchError, match="truncated"):
        source(replay, kind).fetch(client)


@pytest.mark.parametrize("kind", list(SOURCES))
def test_a_cut_json_body_is_unreadable(replay: Replay, client: HttpClient, kind: str) -> None:
    replay.fault(SOURCES[kind][1], "truncated-json")
    with pytest.raises(SourceError, match="unreadable"):
        source(replay, kind).fetch(client)


@pytest.mark.parametrize("declare", [True, False])
@pytest.mark.parametrize("kind", list(SOURCES))
def test_an_over_size_answer_stops_at_the_cap(
    replay: Replay, sleeps, kind: str, declare: bool
) -> None:
    client = HttpClient(timeout=2.0, retries=0, sleep=sleeps, max_bytes=1 * MB)
    replay.fault(SOURCES[kind][1], "huge", size=5 * MB, declare_length=declare)
    with pytest.raises(FetchError, match="size limit"):
        source(replay, kind).fetch(client)


@pytest.mark.parametrize("kind", list(SOURCES))
def test_a_trickle_ends_at_the_deadline(replay: Replay, sleeps, kind: str) -> None:
    client = HttpClient(timeout=5.0, retries=0, sleep=sleeps)
    replay.fault(SOURCES[kind][1], "trickle", interval=0.05)
    with pytest.raises(DeadlineError), client.deadline(0.6):
        source(replay, kind).fetch(client)


@pytest.mark.parametrize("kind", list(SOURCES))
def test_a_same_host_redirect_is_followed(replay: Replay, client: HttpClient, kind: str) -> None:
    replay.fault(SOURCES[kind][1], "redirect", times=1)
    assert len(source(replay, kind).fetch(client).pubs) == EXPECTED[kind]
    assert any(h.startswith("/moved/") for h in replay.hits)


@pytest.mark.parametrize("kind", list(SOURCES))
def test_a_redirect_to_another_host_is_refused(
    replay: Replay, client: HttpClient, kind: str
) -> None:
    replay.fault(SOURCES[kind][1], "redirect-to", location="http://example.org/steal")
    with pytest.raises(FetchError, match="another host"):
        source(replay, kind).fetch(client)


@pytest.mark.parametrize(
    "text",
    [
        "<!--" + "x" * 30_000 + '--><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        '<?xml version="1.0"?><!DOCTYPE feed [<!eNtItY a SYSTEM "file:///etc/passwd">]><feed/>',
    ],
)
def test_xml_that_declares_entities_is_refused_wherever_it_does(text: str) -> None:
    from cvbuild.refresh.sources.base import read_xml

    with pytest.raises(SourceError, match="declares entities"):
        read_xml(text, "arXiv Atom")
