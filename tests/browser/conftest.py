"""Real headless Chromium for the browser tests: one browser per test module.

Debian's ``chromium`` (``/usr/bin/chromium``, or ``$CVBUILD_CHROMIUM``) driven by Playwright
for Python; the tests skip, saying why, when either is missing. Playwright's own browser
downloads are never used.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CVBUILD_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="Playwright for Python is not installed (pip install playwright)",
    )
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium found (apt-get install -y chromium, or set CVBUILD_CHROMIUM)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Offline:
    """A page whose every request is checked: only file: and data: URLs may load."""

    def __init__(self, browser: Any, allow: tuple[str, ...] = ("file:", "data:")) -> None:
        self.blocked: list[str] = []
        self.context = browser.new_context(viewport={"width": 900, "height": 1200})
        self.page = self.context.new_page()
        self.allow = allow
        self.context.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.allow):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline(browser: Any) -> Iterator[Offline]:
    page = Offline(browser)
    try:
        yield page
    finally:
        page.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE.relative_to(REPO)} missing; run npm ci)")
    return AXE.read_text(encoding="utf-8")
