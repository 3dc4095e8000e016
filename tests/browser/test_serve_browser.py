"""``cvbuild serve`` in real headless Chromium: the open page follows every save."""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path
from typing import Any

import pytest

from .serve_helpers import copy_example, serving

pytestmark = pytest.mark.browser

UPDATED = "document.querySelector('h1').textContent"


def _save_and_wait(page: Any, config: Path, good: str, name: str) -> float:
    """Save ``name`` into the config; seconds until the open page shows it."""
    started = time.perf_counter()
    config.write_text(good.replace("name: Léa Marchetti", f"name: {name}", 1), "utf-8")
    page.wait_for_function(f"{UPDATED} === {name!r}", timeout=5000)
    return time.perf_counter() - started


def test_the_open_page_updates_within_two_seconds_and_shows_errors(
    browser: Any, tmp_path: Path
) -> None:
    config = copy_example(tmp_path)
    good = config.read_text(encoding="utf-8")
    with serving(config, tmp_path / "out") as server:
        context = browser.new_context()
        blocked: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(server.url):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.goto(server.url)
        assert page.evaluate(UPDATED) == "Léa Marchetti"
        page.evaluate("window.sameDocument = true")  # gone if the page reloaded
        seconds = [_save_and_wait(page, config, good, f"Léa Marchetti {i}") for i in range(10)]
        assert max(seconds) < 2.0, seconds
        # A broken save: the page shows where, and keeps the last good CV.
        config.write_text(good.replace("  name: Léa Marchetti", "  name: [oops", 1), "utf-8")
        page.wait_for_selector("aside.cvbuild-problems", timeout=5000)
        alert = page.locator("aside.cvbuild-problems").inner_text()
        assert re.search(r"cv\.yaml:\d+", alert), alert
        assert page.evaluate(UPDATED) == "Léa Marchetti 9"
        # The fix: the error goes, the new CV shows.
        _save_and_wait(page, config, good, "Léa Marchetti fixed")
        assert page.locator("aside.cvbuild-problems").count() == 0
        assert page.evaluate("window.sameDocument") is True
        assert blocked == []
        context.close()
        print(
            f"save-to-updated-page: median {statistics.median(seconds):.3f}s, max {max(seconds):.3f}s"
        )
