"""``cvbuild refresh``: pull publications from public sources into one managed BibTeX file.

Entry points: ``run_refresh(cv, dry_run=..., now=...) -> RefreshReport`` and
``content_hash(pubs) -> str`` (change detection that ignores volatile fields).
"""

from __future__ import annotations

from cvbuild.refresh.hashing import content_hash
from cvbuild.refresh.http import FetchError, HttpClient
from cvbuild.refresh.report import RefreshReport, SourceReport
from cvbuild.refresh.run import run_refresh

__all__ = [
    "FetchError",
    "HttpClient",
    "RefreshReport",
    "SourceReport",
    "content_hash",
    "run_refresh",
]
