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
    Compiled templates are kept in the per-user cache (``cvbuild.render.jinjacache``).
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
    from cvbuild.render.jinjacache import template_cache

    options["bytecode_cache"] = template_cache(SandboxedEnvironment, options)
    return SandboxedEnvironment(**options)


def render_template(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render a template. A fault in a user's own template is the user's to fix: an
    InputError located at its file and line. One in ours is a bug and is raised as is."""
    import jinja2

    from cvbuild.errors import InputError, Location, error
    from cvbuild.resources import templates_dir

    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        filename = getattr(exc, "filename", None) or _failing_template(exc)
        if not filename or Path(filename).resolve().is_relative_to(templates_dir().resolve()):
            raise
        line = getattr(exc, "lineno", None) or _failing_line(exc, filename)
        raise InputError(
            [
                error(
                    Location(filename, line or 0),
                    f"template error: {exc.message or exc}",
                    "fix your template, or remove it to use cvbuild's own",
                )
            ]
        ) from None


def _failing_template(exc: BaseException) -> str:
    """The user template a render-time error happened in (from the traceback)."""
    tb = exc.__traceback__
    found = ""
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".tex", ".md")) and Path(name).is_file():
            found = name
        tb = tb.tb_next
    return found


def _failing_line(exc: BaseException, filename: str) -> int:
    tb, line = exc.__traceback__, 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
