"""``cvbuild serve``: loopback only, its own outputs only, problems in the page, recovery."""

from __future__ import annotations

import http.client
import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser.serve_helpers import copy_example, serving, wait_for

from cvbuild.cli import make_parser


def raw_get(url: str, path: str) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (no client-side normalising of ``..``)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


@pytest.fixture
def served(tmp_path: Path):
    config = copy_example(tmp_path)
    out = tmp_path / "out"
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve", encoding="utf-8")
    with serving(config, out) as server:
        yield server, config, out, secret


def test_binds_loopback_by_default() -> None:
    args = make_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8000


def test_serves_the_page_with_the_live_script(served) -> None:
    server, _config, out, _secret = served
    assert server.httpd.server_address[0] == "127.0.0.1"
    status, body = raw_get(server.url, "/")
    assert status == 200
    page = body.decode()
    assert "<h1>Léa Marchetti</h1>" in page and 'new EventSource("/events")' in page
    # The built file itself stays script-free (the JSON-LD aside).
    built = next((out / "cv").glob("*.html")).read_text(encoding="utf-8")
    assert "EventSource" not in built
    status, body = raw_get(server.url, "/files/Marchetti_Lea_CV.html")
    assert status == 200 and body == built.encode()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/files/../secret.txt",
        "/files/../../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/%2E%2E%2Fsecret.txt",
        "/files/..%2f..%2fsecret.txt",
        "/files//etc/passwd",
        "/files/%2Fetc%2Fpasswd",
        "//etc/passwd",
        "/etc/passwd",
        "/files/.cvbuild-cache",
        "/files/",
        "/files/cv.yaml",
        "/cv.yaml",
        "/files/Marchetti_Lea_CV.html/../../secret.txt",
    ],
)
def test_nothing_outside_its_outputs(served, path: str) -> None:
    server, _config, _out, _secret = served
    status, body = raw_get(server.url, path)
    assert status == 404, path
    assert b"do not serve" not in body and b"person:" not in body


def test_a_symlink_in_the_output_folder_is_not_followed(served) -> None:
    server, config, out, secret = served
    link = out / "cv" / "leak.html"
    os.symlink(secret, link)
    # Even after a rebuild has listed the folder again.
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    wait_for(server.url, lambda s: s["version"] >= 2)
    status, body = raw_get(server.url, "/files/leak.html")
    assert status == 404 and b"do not serve" not in body


def test_a_broken_save_shows_located_problems_then_recovers(served) -> None:
    server, config, _out, _secret = served
    good = config.read_text(encoding="utf-8")
    before = wait_for(server.url, lambda s: True)["version"]
    config.write_text(good.replace("  name: Léa Marchetti", "  name: [broken", 1), "utf-8")
    state = wait_for(server.url, lambda s: s["problems"] and s["version"] > before)
    assert any(re.search(r"cv\.yaml:\d+", p) for p in state["problems"]), state
    _status, body = raw_get(server.url, "/")
    page = body.decode()
    assert 'role="alert"' in page and re.search(r"cv\.yaml:\d+", page)
    assert "<h1>Léa Marchetti</h1>" in page  # the last good CV stays underneath
    config.write_text(good.replace("Léa Marchetti", "Léa Marchetti-Rossi", 1), "utf-8")
    wait_for(server.url, lambda s: not s["problems"] and s["version"] > state["version"])
    _status, body = raw_get(server.url, "/")
    assert 'role="alert"' not in body.decode() and "Marchetti-Rossi" in body.decode()


def test_events_stream_announces_a_rebuild(served) -> None:
    server, config, _out, _secret = served
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.request("GET", "/events")
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    assert response.readline().startswith(b": connected")
    assert response.readline() == b"\n"
    time.sleep(0.1)
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    lines = [response.readline() for _ in range(2)]
    assert lines[0] == b"event: update\n" and lines[1].startswith(b"data: ")
    conn.close()


def test_stopping_ends_open_event_streams_and_their_threads(tmp_path: Path) -> None:
    import threading

    config = copy_example(tmp_path)
    before = set(threading.enumerate())
    with serving(config, tmp_path / "out") as server:
        parts = urlsplit(server.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        conn.request("GET", "/events")
        response = conn.getresponse()
        assert response.readline().startswith(b": connected")
        assert len(server.preview.state.listeners) == 1
    # the page is still open, yet its stream ended with the server: no thread is left
    assert response.read() in (b"\n", b"")
    assert server.preview.state.listeners == []
    deadline = time.monotonic() + 5
    while set(threading.enumerate()) - before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert set(threading.enumerate()) - before == set()
    conn.close()
