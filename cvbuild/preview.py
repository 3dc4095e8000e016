"""``--preview``: a PNG of page 1 written beside the PDF, with poppler's ``pdftoppm``.

Optional by nature: when ``pdftoppm`` is not installed :func:`preview_png` returns
``None`` and :func:`missing_reason` says why and what to install. A PDF that pdftoppm
cannot read is an :class:`~cvbuild.errors.ExternalError`. The PNG is rendered in a
temporary folder and moved into place, so a failed run leaves an earlier preview as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cvbuild.errors import ExternalError

DPI = 80
TIMEOUT = 60  # seconds; page 1 of a CV takes well under one


def pdftoppm_path() -> str | None:
    return shutil.which("pdftoppm")


def missing_reason() -> str | None:
    """Why no preview can be made, or None when pdftoppm is available."""
    if pdftoppm_path():
        return None
    return (
        "no preview: pdftoppm was not found on PATH "
        "(install poppler: apt install poppler-utils, brew install poppler, "
        "or conda install poppler)"
    )


def preview_path(pdf: Path) -> Path:
    return pdf.with_suffix(".png")


def preview_png(pdf: Path, *, dpi: int = DPI) -> Path | None:
    """Write ``<pdf stem>.png`` (page 1, ``dpi`` dots per inch) beside ``pdf``.

    Returns the PNG's path, or None when pdftoppm is missing (see :func:`missing_reason`).
    Raises ExternalError when pdftoppm fails on the file.
    """
    tool = pdftoppm_path()
    if tool is None:
        return None
    pdf = Path(pdf)
    target = preview_path(pdf)
    with tempfile.TemporaryDirectory(prefix=".cvbuild-preview-", dir=pdf.parent) as tmp:
        prefix = Path(tmp) / "page"
        command = [tool, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile"]
        try:
            done = subprocess.run(
                [*command, str(pdf), str(prefix)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ExternalError(
                f"pdftoppm took more than {TIMEOUT}s on {pdf.name}; no preview written"
            ) from exc
        except OSError as exc:
            raise ExternalError(f"could not run pdftoppm: {exc}") from exc
        made = prefix.with_suffix(".png")
        if done.returncode != 0 or not made.is_file():
            reason = (done.stderr or done.stdout).strip().splitlines()
            detail = reason[-1] if reason else f"exit status {done.returncode}"
            raise ExternalError(f"pdftoppm could not render {pdf.name}: {detail}")
        os.replace(made, target)
    return target


def drop_stale_previews(pdfs: Iterable[Path]) -> list[Path]:
    """Remove the preview beside each PDF that is newer than it: a build without
    ``--preview`` rewrote the PDF, and a PNG of the old one would mislead. Returns the
    PNGs removed. A PNG at least as new as its PDF is left alone."""
    removed: list[Path] = []
    for pdf in pdfs:
        pdf = Path(pdf)
        if pdf.suffix != ".pdf":
            continue
        png = preview_path(pdf)
        try:
            if png.is_file() and png.stat().st_mtime_ns < pdf.stat().st_mtime_ns:
                png.unlink()
                removed.append(png)
        except OSError:
            continue  # gone already, or not ours to remove: leave it
    return removed
