"""Which file ``refresh`` may write: the rules for ``refresh.into``, checked before anything runs.

Refresh replaces its managed file wholesale, so a wrong ``into`` destroys data. The file must be

- given as a relative path (no ``/…``, no ``~``) that stays inside the config's folder, also
  after following symlinks;
- neither the config file nor any ``.bib`` a publications section reads as curated (also not
  the same file under another name: a symlink or a hard link);
- absent (the first refresh creates it) or a regular file whose first line is refresh's own
  header, :data:`HEADER_MARK`, so a file refresh did not write is never replaced.

:func:`into_problems` returns what is wrong as ``(message, hint)`` pairs; the config loader
locates them at the ``into:`` value, and ``run_refresh`` checks again right before writing.
This module imports nothing heavy: the config loader uses it on every run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

# The first line of every file refresh writes (``run.HEADER`` starts with it).
HEADER_MARK = "% Written by 'cvbuild refresh'"
_HEAD_BYTES = len(HEADER_MARK.encode("utf-8"))


def has_header(path: Path) -> bool:
    """True when ``path`` is a regular file whose first line is refresh's header."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES + 3)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").startswith(HEADER_MARK.encode("utf-8"))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _same_file(a: Path, b: Path) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def into_problems(
    into: Path,
    config: Path,
    curated: Iterable[tuple[Path, str]],
    raw: str | None = None,
) -> list[tuple[str, str]]:
    """Everything wrong with ``into`` (absolute, as the loader made it), as (message, hint).

    ``config`` is the config file; ``curated`` the ``(path, section title)`` of every bib file a
    publications section reads; ``raw`` the text written after ``into:``, when known.
    """
    suggestion = "write a file name beside cv.yaml, such as 'into: publications.fetched.bib'"
    config = Path(os.path.abspath(config))
    folder = config.parent
    shown = raw if raw is not None else str(into)
    if raw is not None and (os.path.isabs(raw) or raw.startswith("~")):
        return [
            (f"'into' must be a path relative to the folder of cv.yaml, not '{raw}'", suggestion)
        ]
    lexical = Path(os.path.abspath(into))
    if not _inside(lexical, folder) or lexical == folder:
        return [
            (
                f"'into: {shown}' leads out of the folder of cv.yaml ({folder}); refresh only "
                "writes inside it",
                suggestion,
            )
        ]
    real_folder = folder.resolve()
    real = lexical.resolve()
    if not _inside(real, real_folder) or real == real_folder:
        return [
            (
                f"'into: {shown}' goes through a symlink that leads out of the folder of cv.yaml "
                f"(to {real}); refresh only writes inside it",
                "name a plain file inside the folder, not a link to somewhere else",
            )
        ]
    if _same_file(real, config.resolve()):
        return [
            (
                f"'into: {shown}' is the config file itself; refresh would replace cv.yaml "
                "with BibTeX",
                suggestion,
            )
        ]
    for path, title in curated:
        if Path(os.path.abspath(path)) == lexical:
            continue  # the section reads the managed file too, as it should
        if _same_file(real, Path(os.path.abspath(path)).resolve()):
            return [
                (
                    f"'into: {shown}' is the same file as '{path.name}', which section "
                    f"'{title}' reads as your curated .bib; refresh would overwrite it",
                    "keep curated and fetched entries in two files: " + suggestion,
                )
            ]
    if os.path.lexists(lexical):
        if real.is_dir():
            return [(f"'into: {shown}' is a folder, not a file", suggestion)]
        if not real.is_file():
            return [(f"'into: {shown}' is not a regular file", suggestion)]
        if not has_header(real):
            readers = [t for p, t in curated if Path(os.path.abspath(p)) == lexical]
            what = (
                f"section '{readers[0]}' reads it as a curated .bib and "
                if readers
                else "it exists and "
            )
            return [
                (
                    f"'into: {shown}' would overwrite a file refresh did not write: {what}its "
                    f'first line is not refresh\'s header "{HEADER_MARK} …"',
                    "point 'into' at a new file (refresh creates it), e.g. "
                    "'into: publications.fetched.bib', and list that file under 'bib'",
                )
            ]
    return []
