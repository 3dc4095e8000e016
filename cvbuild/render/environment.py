"""The jinja2 environments backends render with (imported lazily: jinja2 is not needed on start-up)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cvbuild.resources import template_search_path

if TYPE_CHECKING:
    import jinja2


def make_environment(
    subdir: str, user_dir: Path | None = None, *, latex: bool = False
) -> jinja2.Environment:
    """A sandboxed environment over ``templates/<subdir>`` (the user's folder first).

    LaTeX templates use delimiters that do not clash with braces:
    ``\\VAR{ expr }``, ``\\BLOCK{ stmt }``, ``\\#{ comment }``.
    Autoescape is off: backends hand templates text they have already escaped.
    """
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    loader = jinja2.FileSystemLoader([str(p) for p in template_search_path(subdir, user_dir)])
    options: dict[str, object] = {
        "loader": loader,
        "autoescape": False,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "undefined": jinja2.StrictUndefined,
    }
    if latex:
        options.update(
            block_start_string=r"\BLOCK{",
            block_end_string="}",
            variable_start_string=r"\VAR{",
            variable_end_string="}",
            comment_start_string=r"\#{",
            comment_end_string="}",
            line_statement_prefix="%%",
            line_comment_prefix="%#",
        )
    return SandboxedEnvironment(**options)
