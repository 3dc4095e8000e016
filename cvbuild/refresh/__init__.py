"""``cvbuild refresh``: pull publications from public sources into one managed BibTeX file.

Entry points: ``run_refresh(cv, dry_run=..., now=...) -> RefreshReport`` and
``content_hash(pubs) -> str`` (change detection that ignores volatile fields).
``cvbuild.config.managed`` holds the rules for ``refresh.into``; the config loader owns it,
so the names below are imported lazily (loading a config pulls in no HTTP client).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cvbuild.refresh.hashing import content_hash
    from cvbuild.refresh.http import FetchError, HttpClient
    from cvbuild.refresh.report import RefreshReport, SourceReport
    from cvbuild.refresh.run import run_refresh

_WHERE = {
    "FetchError": "cvbuild.refresh.http",
    "HttpClient": "cvbuild.refresh.http",
    "RefreshReport": "cvbuild.refresh.report",
    "SourceReport": "cvbuild.refresh.report",
    "content_hash": "cvbuild.refresh.hashing",
    "run_refresh": "cvbuild.refresh.run",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'cvbuild.refresh' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "FetchError",
    "HttpClient",
    "RefreshReport",
    "SourceReport",
    "content_hash",
    "run_refresh",
]
