"""Small pieces of the HTTP client: Retry-After forms, HTML sniffing, pacing."""

from __future__ import annotations

from cvbuild.refresh.http import HttpClient, looks_like_html, parse_retry_after, user_agent


def test_retry_after_seconds_and_http_date():
    assert parse_retry_after("120", 0.0) == 120.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40.0) == 60.0
    assert parse_retry_after("soon", 0.0) is None
    assert parse_retry_after(None, 0.0) is None


def test_html_sniffing():
    assert looks_like_html("  <!DOCTYPE HTML PUBLIC ...><html>")
    assert looks_like_html('<head>\n<META HTTP-EQUIV="Refresh">')
    assert not looks_like_html("@article{x, title={<b>}}")
    assert not looks_like_html('{"group": []}')


def test_pacing_waits_only_the_remainder():
    now = [100.0]
    waits: list[float] = []
    client = HttpClient(sleep=waits.append, clock=lambda: now[0])
    client.pace("arxiv", 3.0)
    now[0] += 1.0
    client.pace("arxiv", 3.0)
    client.pace("crossref", 3.0)  # another service is not held back
    assert waits == [2.0]


def test_user_agent_carries_the_contact():
    assert "mailto:owner@example.org" in user_agent("owner@example.org")


def test_redirect_policy():
    from cvbuild.refresh.http import redirect_refusal

    here = "http://127.0.0.1:8000/dblp/pid/1.bib"
    assert redirect_refusal(here, "http://127.0.0.1:8000/moved/x") is None
    assert "another port" in redirect_refusal(here, "http://127.0.0.1:8001/x")
    assert "another port or scheme" in redirect_refusal(here, "https://127.0.0.1:8000/x")
    assert "'ftp:' address" in redirect_refusal(here, "ftp://127.0.0.1/x")
    assert "'file:' address" in redirect_refusal(here, "file:///etc/passwd")
    assert "another host" in redirect_refusal(here, "http://localhost:8000/x")
    # http -> https on the same host, default ports: an upgrade, allowed
    assert redirect_refusal("http://dblp.org/pid/1.bib", "https://dblp.org/pid/1.bib") is None
    assert redirect_refusal("https://dblp.org/x", "http://dblp.org/x") is not None  # downgrade
    # the allow list: doi.org hands a DOI to its agency, over https on 443 only
    doi = "https://doi.org/10.1/x"
    assert redirect_refusal(doi, "https://api.crossref.org/v1/works/10.1%2Fx/transform") is None
    assert redirect_refusal(doi, "https://data.datacite.org/10.1/x") is None
    assert redirect_refusal(doi, "http://api.crossref.org/x") is not None
    assert redirect_refusal(doi, "https://api.crossref.org:8443/x") is not None
    assert redirect_refusal(doi, "https://evil.example/x") is not None
    # the allow list is one-way
    assert redirect_refusal("https://api.crossref.org/x", "https://doi.org/x") is not None


def test_a_retry_wait_past_the_deadline_fails_at_once():
    import pytest

    from cvbuild.refresh.http import DeadlineError

    now = [0.0]
    waits: list[float] = []
    client = HttpClient(sleep=waits.append, clock=lambda: now[0])
    with client.deadline(5.0), pytest.raises(DeadlineError, match="passes the deadline of 5 s"):
        client._wait(10.0, "http://x", "HTTP 429")
    assert waits == []
    with client.deadline(5.0):
        now[0] = 6.0
        with pytest.raises(DeadlineError, match="deadline of 5 s"):
            client.get("http://127.0.0.1:9/x")
