"""The parsed phrase catalogs kept in the per-user cache: the same phrases as babel reads
from the .po, a changed .po read again, a damaged, oversized or foreign cache file ignored,
and nothing written (and the build still right) where the cache folder cannot be made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cvbuild.config.choices import LOCALES
from cvbuild.i18n import phrases as ph
from cvbuild.i18n.phrases import Phrases, catalog_path, load_catalog


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh, empty per-user cache; the per-process memo cleared around the test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_catalog.cache_clear()
    yield tmp_path / "xdg" / "cvbuild" / ph.CACHE_FOLDER
    load_catalog.cache_clear()


def _own_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tag: str = "de") -> Path:
    """A copy of a shipped catalog under a locales folder of the test's own."""
    target = tmp_path / "locales" / tag.replace("-", "_") / "LC_MESSAGES" / "cvbuild.po"
    target.parent.mkdir(parents=True)
    target.write_bytes(catalog_path(tag).read_bytes())
    monkeypatch.setattr(ph, "LOCALES_DIR", tmp_path / "locales")
    return target


def _no_babel(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(locale: str, data: bytes) -> object:
        raise AssertionError("the .po was parsed again")

    monkeypatch.setattr(ph, "_parse", fail)


@pytest.mark.parametrize("tag", LOCALES)
def test_a_cached_catalog_is_the_one_babel_reads(
    tag: str, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = _fresh(tag)
    parsed = load_catalog(tag)  # a miss: parsed with babel, written
    assert len(list(cache.glob("*.json"))) == 1
    load_catalog.cache_clear()
    _no_babel(monkeypatch)
    cached = load_catalog(tag)  # a hit
    assert dict(cached.forms) == dict(parsed.forms)
    assert [cached.plural_index(n) for n in range(0, 2200, 7)] == [
        parsed.plural_index(n) for n in range(0, 2200, 7)
    ]
    for n in (1, 2, 5, 21, 22, 1000000):
        assert Phrases(tag).plural("more_authors", n) == fresh.plural("more_authors", n)


def _fresh(tag: str) -> Phrases:
    """Phrases whose catalog is read from the .po by babel, with no cache at all."""
    forms, nplurals, plural = ph._parse(tag, catalog_path(tag).read_bytes())

    class Fresh(Phrases):
        def _forms(self, key: str):  # type: ignore[no-untyped-def]
            import gettext

            index = gettext.c2py(plural) if nplurals > 1 else (lambda n: 0)
            return forms[key], index

    return Fresh(tag)


def test_a_changed_catalog_is_read_again(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = _own_catalog(tmp_path, monkeypatch)
    assert Phrases("de")("undated") == "Ohne Datum"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "Ohne Datum"', 'msgstr "Ohne Jahr"'),
        encoding="utf-8",
    )
    load_catalog.cache_clear()
    assert Phrases("de")("undated") == "Ohne Jahr"
    assert len(list(cache.glob("*.json"))) == 2  # one per content, the old one untouched


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b'{"forms": {"undated": ["Kaputt", 3]}, "n": 2, "p": "(n != 1)"}',
        b'{"forms": {"undated": ["Kaputt"]}, "n": 2, "p": "__import__(\'os\')"}',
        b'{"forms": {"undated": ["Kaputt"]}, "n": "2", "p": "(n != 1)"}',
        b"[1, 2, 3]",
        b"\xff\xfe\x00",
    ],
)
def test_a_damaged_cache_file_is_ignored_and_replaced(
    damage: bytes, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_catalog("de")
    (entry,) = cache.glob("*.json")
    entry.write_bytes(damage)
    load_catalog.cache_clear()
    assert Phrases("de")("undated") == "Ohne Datum"
    assert Phrases("de").plural("more_authors", 4) == "und 4 weitere Autoren"
    load_catalog.cache_clear()
    _no_babel(monkeypatch)  # written again, whole: the next process reads it
    assert Phrases("de")("undated") == "Ohne Datum"


def test_an_oversized_cache_file_is_not_read(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_catalog("de")
    (entry,) = cache.glob("*.json")
    good = entry.read_text(encoding="utf-8").replace("Ohne Datum", "Riesig")
    entry.write_text(good + " " * ph.MAX_CACHED, encoding="utf-8")  # valid JSON, too large
    load_catalog.cache_clear()
    assert Phrases("de")("undated") == "Ohne Datum"


def test_nothing_is_written_where_the_cache_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    load_catalog.cache_clear()
    try:
        assert Phrases("fr")("undated") == load_catalog("fr").forms["undated"][0]
        assert Phrases("ru").plural("more_authors", 3) == "и ещё 3 автора"
    finally:
        load_catalog.cache_clear()
    assert blocker.read_text(encoding="utf-8") == "a file where the cache folder would go"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]
