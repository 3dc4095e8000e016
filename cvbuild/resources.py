"""Where the built-in templates and styles are, and the ordered template search path.

Installed wheels carry them in ``cvbuild/_data/``; a source checkout has them at the
repository root. A user's own template folder, when configured, is searched first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The built-in ``templates`` or ``styles`` folder."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cvbuild's built-in {name!r} folder is missing from the installation")


def templates_dir() -> Path:
    return data_dir("templates")


def styles_dir() -> Path:
    return data_dir("styles")


def template_search_path(subdir: str, user_dir: Path | None = None) -> list[Path]:
    """Folders searched for a template, in order: the user's (and its ``subdir``), then ours."""
    path: list[Path] = []
    if user_dir is not None:
        path += [user_dir / subdir, user_dir]
    path.append(templates_dir() / subdir)
    return path
