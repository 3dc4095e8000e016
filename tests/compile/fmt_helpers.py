"""Cached preamble formats switched on for one test: a cache of its own, dumped in the
foreground, and the keys of the formats that passes were started from."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvbuild.compile import fmtcache


def formats_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Formats on in ``tmp_path/cache``, dumped at once; returns the list the keys of the
    formats passes start from are appended to."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("CVBUILD_FORMAT", "1")
    monkeypatch.setattr(fmtcache, "schedule_dump", fmtcache.dump_now)
    used: list[str] = []
    place = fmtcache.place

    def placed(key: str, folder: Path) -> str | None:
        arg = place(key, folder)
        if arg is not None:
            used.append(key)
        return arg

    monkeypatch.setattr(fmtcache, "place", placed)
    return used
