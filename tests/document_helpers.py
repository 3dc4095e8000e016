"""Helpers for tests that need a CV formatted as a build formats it."""

from __future__ import annotations

from pathlib import Path

from cvbuild.document import Document


def document_of(config: Path) -> Document:
    """The formatted Document of a cv.yaml's first variant, as a build makes it."""
    from cvbuild.build.job import prepare
    from cvbuild.build.meter import Meter
    from cvbuild.build.run import load, load_bibliographies

    cv = load(config)
    return prepare(cv, cv.variants[0], load_bibliographies(cv)[0], "", Meter()).doc
