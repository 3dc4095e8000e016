"""A loopback HTTP server that replays ../shared/fixtures/sources and injects faults.

Plain code (no pytest), so that the refresh tests and bench/ can both start it."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

ORCID = "0000-0002-0613-2229"
DBLP_PID = "95/7448-1"
INSPIRE_BAI = "J.M.Maldacena.1"
DOIS_WITH_BIBTEX = {
    "10.1126/science.169.3946.635": "crossref/doi_10.1126_science.169.3946.635.x-bibtex.bib",
    "10.1139/cjc-2022-0282": "crossref/doi_10.1139_cjc-2022-0282.x-bibtex.bib",
}
CURATED = """@article{xu2021verification,
  author = {Di Xu* and Zhenkun Wen* and Andres {Garcia Coleto} and Michael Pomerantz and John C. Lambropoulos and Jannick P. Rolland},
  title = {Verification of Cascade {OCT} for Freeform Optics Form Metrology},
  journal = {Optics Express},
  year = {2021},
  doi = {10.1364/OE.413844},
  note = {* = equal contribution},
  selected = {true},
}
"""


@dataclass
class Fault:
    kind: str  # timeout | status | html | truncated | redirect | junk | body | huge | trickle ...
    times: int = 1_000_000  # how many requests it hits before the path behaves again
    status: int = 500
    retry_after: str | None = None
    body: str = ""  # "body": the text served instead of the recording
    size: int = 0  # "huge": bytes streamed (generated, never held in memory)
    declare_length: bool = True  # "huge": announce the size in Content-Length
    location: str = ""  # "redirect-to": where the 302 points
    interval: float = 1.0  # "trickle", "trickle-headers": seconds between two bytes


@dataclass
class Replay:
    root: Path
    faults: dict[str, Fault] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    accepts: list[tuple[str, str]] = field(default_factory=list)
    port: int = 0
    stall: float = 0.5  # how long a "timeout" fault keeps the client waiting

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fault(self, prefix: str, kind: str, **kwargs: object) -> None:
        self.faults[prefix] = Fault(kind, **kwargs)  # type: ignore[arg-type]

    def count(self, prefix: str) -> int:
        return sum(1 for h in self.hits if h.startswith(prefix))

    # --- the recorded answers -------------------------------------------------------------
    def route(self, path: str, query: dict[str, list[str]], accept: str) -> tuple:
        src = self.root
        if path == f"/dblp/pid/{DBLP_PID}.bib":
            body = "\n".join(p.read_text() for p in sorted(src.glob("dblp/rec_*.bib")))
            return 200, "application/x-bibtex; charset=utf-8", body, {}
        if path == f"/orcid/v3.0/{ORCID}/works":
            if "json" not in accept:
                return 406, "text/plain", "Not Acceptable", {}
            return 200, "application/json", (src / f"orcid/v3.0_{ORCID}_works.json").read_text(), {}
        if path.startswith(f"/orcid/v3.0/{ORCID}/works/"):
            name = f"orcid/v3.0_{ORCID}_works_bulk_89975745_76065020.json"
            return 200, "application/json", (src / name).read_text(), {}
        if path == "/crossref/works":
            if query.get("cursor") != ["*"]:
                empty = {"status": "ok", "message": {"items": [], "total-results": 3}}
                return 200, "application/json", json.dumps(empty), {}
            data = json.loads(
                (src / "crossref/works_query.author_carl_boettiger_TRIMMED.json").read_text()
            )
            message = data["message"]
            for doi in DOIS_WITH_BIBTEX:
                message["items"].append(
                    {"DOI": doi, "title": ["placeholder"], "type": "journal-article"}
                )
            message["total-results"] = len(message["items"])
            message["next-cursor"] = "page2"
            return 200, "application/json", json.dumps(data), {"x-rate-limit-limit": "5"}
        if path.startswith("/doi/"):
            doi = unquote(path[len("/doi/") :])
            target = f"/crossref/v1/works/{quote(doi, safe='')}/transform"
            return 302, "text/html", "<html><body>redirect</body></html>", {"Location": target}
        match = re.match(r"^/crossref/v1/works/(.+)/transform$", path)
        if match:
            doi = unquote(match.group(1))
            if "x-bibtex" not in accept:
                return 406, "text/plain", "Not Acceptable", {}
            if doi not in DOIS_WITH_BIBTEX:
                return 404, "text/plain", "Resource not found.", {}
            return 200, "application/x-bibtex", (src / DOIS_WITH_BIBTEX[doi]).read_text(), {}
        if path == "/arxiv/api/query":
            text = (
                src / "arxiv/query_search_query_au_del_maestro_start0_max10.atom.xml"
            ).read_text()
            if query.get("start", ["0"]) != ["0"]:
                text = re.sub(r"<entry>.*?</entry>\s*", "", text, flags=re.DOTALL)
            return 200, "application/atom+xml", text, {}
        if path == "/arxiv/bibtex/1706.03762":
            return (
                200,
                "text/plain",
                (src / "arxiv/arxiv.org_bibtex_1706.03762.bib").read_text(),
                {},
            )
        if path == "/inspire/api/literature":
            if query.get("format") != ["bibtex"] or query.get("q") != [f"a {INSPIRE_BAI}"]:
                return 400, "application/json", '{"message": "bad query"}', {}
            body = (src / "inspire/bibtex_Maldacena1997re_SHAPE.bib").read_text()
            return 200, "application/x-bibtex", body, {}
        return 404, "text/plain", f"no route for {path}", {}


def _handler(replay: Replay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def _send(
            self, status: int, ctype: str, body: str, headers: dict, length: int | None = None
        ) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data) if length is None else length))
            for name, value in headers.items():
                self.send_header(name, value)
            if length is not None:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def _stream(self, size: int, declare_length: bool) -> None:
            """``size`` bytes of valid-looking BibTeX, written a chunk at a time."""
            self.send_response(200)
            self.send_header("Content-Type", "application/x-bibtex")
            if declare_length:
                self.send_header("Content-Length", str(size))
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            chunk = (b"@misc{k, title = {" + b"x" * 65_000 + b"}}\n")[:65_536]
            sent = 0
            while sent < size:
                part = chunk[: size - sent]
                self.wfile.write(part)
                sent += len(part)

        def _trickle(self, in_headers: bool, interval: float) -> None:
            """One byte every ``interval`` seconds, for as long as the client listens."""
            if in_headers:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            else:
                self.send_response(200)
                self.send_header("Content-Type", "application/x-bibtex")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"@misc{k, title = {")
            self.wfile.flush()
            for _ in range(100_000):
                time.sleep(interval)
                self.wfile.write(b"a")
                self.wfile.flush()

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            path, query = parts.path, parse_qs(parts.query)
            accept = self.headers.get("Accept", "")
            replay.hits.append(path)
            replay.accepts.append((path, accept))
            fault = next(
                (f for p, f in replay.faults.items() if path.startswith(p) and f.times > 0), None
            )
            if fault is not None:
                fault.times -= 1
                if fault.kind == "timeout":
                    time.sleep(replay.stall)
                    with_body = replay.route(path, query, accept)
                    with contextlib.suppress(OSError):  # the client has gone
                        self._send(*with_body)
                    return
                if fault.kind == "status":
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    page = (
                        replay.root / "dblp/error_429_too_many_requests_PARTIAL.html"
                    ).read_text()
                    self._send(fault.status, "text/html", page, headers)
                    return
                if fault.kind == "html":
                    page = "<!DOCTYPE html><html><head><title>Making sure you're not a bot!</title></head><body>Anubis</body></html>"
                    self._send(200, "text/html; charset=utf-8", page, {})
                    return
                if fault.kind == "html-as-json":
                    page = "<html><body>Service temporarily unavailable</body></html>"
                    self._send(200, "application/json", page, {})
                    return
                if fault.kind == "truncated":
                    status, ctype, body, headers = replay.route(path, query, accept)
                    cut = body[: len(body) // 2]
                    self._send(status, ctype, cut, headers, length=len(body.encode()))
                    return
                if fault.kind == "truncated-json":  # no Content-Length lie: a cut body
                    status, ctype, body, headers = replay.route(path, query, accept)
                    self._send(status, ctype, body[: len(body) // 2], headers)
                    return
                if fault.kind == "redirect":
                    self._send(302, "text/html", "moved", {"Location": "/moved" + self.path})
                    return
                if fault.kind == "redirect-to":
                    self._send(302, "text/html", "moved", {"Location": fault.location})
                    return
                if fault.kind == "body":
                    self._send(200, "application/x-bibtex; charset=utf-8", fault.body, {})
                    return
                if fault.kind == "huge":
                    with contextlib.suppress(OSError):  # the client hangs up at its cap
                        self._stream(fault.size, fault.declare_length)
                    return
                if fault.kind in ("trickle", "trickle-headers"):
                    with contextlib.suppress(OSError):
                        self._trickle(fault.kind == "trickle-headers", fault.interval)
                    return
            if path.startswith("/moved/"):
                self.path = self.path[len("/moved") :]
                parts = urlsplit(self.path)
                path, query = parts.path, parse_qs(parts.query)
            self._send(*replay.route(path, query, accept))

    return Handler


@contextlib.contextmanager
def serve(root: Path) -> Iterator[Replay]:
    """Serve ``root`` (the sources fixtures) on 127.0.0.1 at a free port until the block ends."""
    state = Replay(root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
