"""``cvbuild serve``: a live preview of one variant's HTML in the browser.

The server binds 127.0.0.1 unless told otherwise, rebuilds on every save through the
watch machinery (:mod:`cvbuild.watch`), and pushes each change to the open page with
Server-Sent Events: a small inline script, added to the served copy only (the built
file stays script-free), fetches the new page and swaps its content in. Validation
problems are shown in the page with their ``cv.yaml:LINE`` locations; the last good
CV stays underneath.

It serves only what it built: ``/`` (the page), ``/events``, ``/status`` and
``/files/<name>`` for a name the last build wrote into the variant's folder, matched
exactly against that list, so no request path ever becomes a file-system path.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cvbuild.errors import CvbuildError, InputError

LOOPBACK = "127.0.0.1"
_TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf"}

_CLIENT = """<script>
(() => {
  const source = new EventSource("/events");
  source.addEventListener("update", async () => {
    const response = await fetch("/", {cache: "no-store"});
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    document.title = next.title;
    const style = document.querySelector("style"), nextStyle = next.querySelector("style");
    if (style && nextStyle) style.textContent = nextStyle.textContent;
    document.body.className = next.body.className;
    document.body.replaceChildren(...next.body.childNodes);
    document.dispatchEvent(new CustomEvent("cvbuild:updated"));
  });
})();
</script>"""


@dataclass
class State:
    """What the page shows: the last good HTML, the problems of the last build, the files."""

    version: int = 0
    html: bytes = b""
    problems: list[str] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # name -> built file
    lock: threading.Lock = field(default_factory=threading.Lock)
    listeners: list[queue.Queue[int]] = field(default_factory=list)

    def publish(self) -> None:
        with self.lock:
            self.version += 1
            for q in self.listeners:
                q.put(self.version)

    def close_listeners(self, wait: float = 2.0) -> None:
        """End every open event stream (their threads return) and wait a little for them,
        so that a stopped server leaves no thread behind while a page is still open."""
        with self.lock:
            for q in self.listeners:
                q.put(CLOSED)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            with self.lock:
                if not self.listeners:
                    return
            time.sleep(0.01)


CLOSED = -1  # put on a listener's queue: the server stops, end the stream


def _banner(problems: list[str]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    return (
        '<aside class="cvbuild-problems" role="alert" style="margin:0 0 1em;padding:.6em 1em;'
        'border:2px solid #a00;background:#fff4f4;color:#600;font:14px/1.4 sans-serif">'
        f"<strong>The last save did not build:</strong><ul>{items}</ul></aside>"
    )


def _pdf_link(files: dict[str, Path]) -> str:
    pdfs = [n for n in files if n.endswith(".pdf")]
    if not pdfs:
        return ""
    name = html.escape(pdfs[0])
    return (
        '<p class="cvbuild-pdf" style="margin:0 0 1em;font:14px sans-serif">'
        f'<a href="/files/{name}">Download the PDF ({name})</a></p>'
    )


def page(state: State) -> bytes:
    """The served page: the built HTML with the problems, the PDF link and the script."""
    with state.lock:
        built, problems, files = state.html, list(state.problems), dict(state.files)
    text = (
        built.decode("utf-8")
        if built
        else (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>cvbuild preview'
            "</title></head><body><main><h1>cvbuild preview</h1></main></body></html>"
        )
    )
    extra = _banner(problems) + _pdf_link(files)
    head, sep, rest = text.partition("<body")
    if sep:
        tag_end = rest.index(">") + 1
        text = head + sep + rest[:tag_end] + "\n" + extra + rest[tag_end:]
    return text.replace("</body>", _CLIENT + "\n</body>", 1).encode("utf-8")


class Preview:
    """Builds one variant into ``out_dir`` and keeps ``state`` current."""

    def __init__(self, config: Path, out_dir: Path, variant: str, pdf: bool = True) -> None:
        self.config, self.out_dir, self.variant, self.pdf = config, out_dir, variant, pdf
        self.state = State()

    def rebuild(self) -> None:
        from cvbuild.build import BuildOptions, build

        try:
            report = build(
                self.config,
                BuildOptions(variants=[self.variant], formats=["html"], output_dir=self.out_dir),
            )
        except InputError as exc:
            with self.state.lock:
                self.state.problems = [str(p) for p in exc.problems if not p.is_warning]
            self.state.publish()
            raise
        except CvbuildError as exc:
            with self.state.lock:
                self.state.problems = [str(exc)]
            self.state.publish()
            raise
        self._collect([*report.written, *report.unchanged], problems=[])
        self.state.publish()
        if self.pdf:
            try:
                report = build(
                    self.config,
                    BuildOptions(variants=[self.variant], formats=["pdf"], output_dir=self.out_dir),
                )
                self._collect([*report.written, *report.unchanged], keep=True)
            except CvbuildError as exc:
                with self.state.lock:
                    self.state.problems = [f"PDF: {exc}"]
            self.state.publish()

    def _collect(
        self, paths: list[Path], problems: list[str] | None = None, *, keep: bool = False
    ) -> None:
        """Remember the files the build reported for this variant (and nothing else)."""
        folder = (self.out_dir / self.variant).resolve()
        files: dict[str, Path] = {}
        for path in paths:
            if (
                path.suffix in _TYPES
                and path.is_file()
                and not path.is_symlink()
                and path.resolve().parent == folder
            ):
                files[path.name] = path
        built = next((p for n, p in files.items() if n.endswith(".html")), None)
        with self.state.lock:
            if keep:
                files = {**self.state.files, **files}
            self.state.files = files
            if built is not None:
                self.state.html = built.read_bytes()
            if problems is not None:
                self.state.problems = problems


REQUEST_TIMEOUT_S = 30
MAX_LISTENERS = 32  # open preview pages (Server-Sent Events) at once


class _QuietServer(ThreadingHTTPServer):
    """Threads that never outlive the server, and no traceback on the terminal when a
    browser drops a connection."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return


def _handler(state: State, folder: Callable[[], Path]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "cvbuild-serve"
        sys_version = ""
        timeout = REQUEST_TIMEOUT_S  # a client that never finishes its request is dropped

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _send(self, status: int, body: bytes, kind: str = "text/plain; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.command != "HEAD":
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)  # the browser went away: nothing to tell anyone

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/":
                self._send(200, page(state), _TYPES[".html"])
            elif path == "/status":
                with state.lock:
                    body = {"version": state.version, "problems": state.problems}
                self._send(200, json.dumps(body).encode(), "application/json")
            elif path == "/events":
                self._events()
            elif path.startswith("/files/"):
                self._file(path[len("/files/") :])
            else:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n")

        def _file(self, name: str) -> None:
            # An exact name from the last build's list; never joined onto a folder.
            with state.lock:
                target = state.files.get(name)
            base = folder().resolve()
            if (
                target is None
                or target.is_symlink()
                or target.resolve().parent != base
                or not target.is_file()
            ):
                self._send(HTTPStatus.NOT_FOUND, b"not found\n")
                return
            try:
                data = target.read_bytes()
            except OSError:  # replaced by a rebuild between the check and the read
                self._send(HTTPStatus.NOT_FOUND, b"not found\n")
                return
            self._send(200, data, _TYPES[target.suffix])

        def _events(self) -> None:
            q: queue.Queue[int] = queue.Queue()
            with state.lock:
                full = len(state.listeners) >= MAX_LISTENERS
                if not full:
                    state.listeners.append(q)
            if full:  # each open page holds a thread: a bounded number of them
                self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"too many open pages\n")
                return
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while True:
                    try:
                        version = q.get(timeout=15)
                        if version == CLOSED:
                            return
                        self.wfile.write(f"event: update\ndata: {version}\n\n".encode())
                    except queue.Empty:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except OSError:
                pass
            finally:
                with state.lock:
                    state.listeners.remove(q)

    return Handler


class Server:
    """The preview: an HTTP server thread plus the watch loop."""

    def __init__(
        self,
        config: Path,
        *,
        variant: str,
        out_dir: Path,
        host: str = LOOPBACK,
        port: int = 8000,
        pdf: bool = True,
    ) -> None:
        self.config = Path(os.path.abspath(config))
        self.preview = Preview(self.config, out_dir, variant, pdf)
        handler = _handler(self.preview.state, lambda: out_dir / variant)
        self.httpd = _QuietServer((host, port), handler)
        self.stop = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}/"

    def run(self, on_event: Callable[[str], None], **watch_options: Any) -> None:
        """Serve and watch until ``stop`` is set (or KeyboardInterrupt)."""
        from cvbuild.watch import watch

        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        try:
            watch(
                self.config,
                self.preview.rebuild,
                on_event=on_event,
                stop=self.stop,
                **watch_options,
            )
        finally:
            self.httpd.shutdown()
            self.preview.state.close_listeners()
            self.httpd.server_close()
