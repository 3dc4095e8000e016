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
