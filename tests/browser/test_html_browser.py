"""The HTML CV in real headless Chromium: it renders, the owner is bold in every paper they
wrote, nothing is fetched from anywhere, and axe-core finds no accessibility violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, Offline

pytestmark = pytest.mark.browser

EXAMPLE = REPO / "examples" / "researcher" / "cv.yaml"
THEMES = {"cv": "academic", "resume": "compact"}  # the example's variants


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from cvbuild.cli import main

    out = tmp_path_factory.mktemp("html")
    assert main(["build", str(EXAMPLE), "--format", "html", "--output", str(out)]) == 0
    return {p.parent.name: p for p in out.glob("*/*.html")}


def _open(offline: Offline, path: Path) -> Any:
    offline.page.goto(path.as_uri(), wait_until="load")
    return offline.page


@pytest.mark.parametrize("variant", list(THEMES))
def test_renders_offline_with_the_owner_bold(
    offline: Offline, pages: dict[str, Path], variant: str
) -> None:
    page = _open(offline, pages[variant])
    assert page.title().startswith("Léa Marchetti")
    assert page.locator("h1").inner_text() == "Léa Marchetti"
    assert page.locator("body").get_attribute("class") == f"cv theme-{THEMES[variant]}"
    # Laid out for real: the page has a height and the sections are visible.
    assert page.locator("main section").count() >= 3
    assert page.locator("main").bounding_box()["height"] > 400
    entries = page.evaluate(
        """() => [...document.querySelectorAll('li.pub')].map(li => {
             const strongs = [...li.querySelectorAll('strong')];
             return {
               text: li.innerText,
               owner: strongs.some(s => /Marchetti/.test(s.textContent)),
               weights: strongs.map(s => parseInt(getComputedStyle(s).fontWeight, 10)),
               visible: li.getBoundingClientRect().height > 0,
             };
           })"""
    )
    assert entries, "no publication rendered"
    for entry in entries:
        assert entry["visible"], entry["text"]
        # Every paper in the example is one of the owner's: their name is bold in each.
        assert entry["owner"], entry["text"]
        assert entry["weights"] and min(entry["weights"]) >= 600, entry
    # A mark links to its legend in the footnote list.
    if page.locator("sup.mark a").count():
        target = page.locator("sup.mark a").first.get_attribute("href")
        assert page.locator(f"section[role=doc-endnotes] li{target}").count() == 1
    assert offline.blocked == []


def test_a_remote_reference_would_be_caught(offline: Offline, tmp_path: Path) -> None:
    """The guard itself can fail: a page that fetches is seen fetching."""
    page_file = tmp_path / "leak.html"
    page_file.write_text(
        '<!DOCTYPE html><html lang="en"><title>x</title>'
        '<link rel="stylesheet" href="https://fonts.example.org/a.css">'
        '<img alt="" src="http://tracker.example.org/p.gif"></html>',
        encoding="utf-8",
    )
    _open(offline, page_file)
    assert sorted(offline.blocked) == [
        "http://tracker.example.org/p.gif",
        "https://fonts.example.org/a.css",
    ]


def test_prints_to_pdf_on_the_theme_paper(offline: Offline, pages: dict[str, Path]) -> None:
    page = _open(offline, pages["cv"])
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    # The print stylesheet drops link underlines.
    page.emulate_media(media="print")
    decoration = page.evaluate(
        "getComputedStyle(document.querySelector('li.pub a')).textDecorationLine"
    )
    assert decoration == "none"


@pytest.mark.parametrize("variant", list(THEMES))
def test_axe_finds_no_violation(
    offline: Offline, pages: dict[str, Path], axe_source: str, variant: str
) -> None:
    page = _open(offline, pages[variant])
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async () => {
             const r = await axe.run(document, {resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 3).map(n => n.html)}));
           }"""
    )
    assert result == [], f"{THEMES[variant]}: {result}"
    assert offline.blocked == []
