"""Run ``cvbuild serve`` in a thread over a copy of the example, for the serve tests."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cvbuild.serve import Server

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "researcher"


def copy_example(folder: Path) -> Path:
    for name in ("cv.yaml", "publications.bib"):
        shutil.copy(EXAMPLE / name, folder / name)
    return folder / "cv.yaml"


def status(url: str) -> dict:
    import json

    with urllib.request.urlopen(url + "status", timeout=5) as response:
        return json.load(response)


def wait_for(url: str, check, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = status(url)
        if check(state):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"server never reached the state; last: {state}")
        time.sleep(0.02)


@contextmanager
def serving(
    config: Path, out: Path, *, pdf: bool = False, interval: float = 0.05, debounce: float = 0.05
) -> Iterator[Server]:
    server = Server(config, variant="cv", out_dir=out, port=0, pdf=pdf)
    events: list[str] = []
    thread = threading.Thread(
        target=server.run,
        args=(events.append,),
        kwargs={"interval": interval, "debounce": debounce},
    )
    thread.start()
    try:
        wait_for(server.url, lambda s: s["version"] >= 1)
        yield server
    finally:
        server.stop.set()
        thread.join(10)
