"""Starting a TeX engine ahead of its document (:mod:`cvbuild.compile.warm`): kept apart
from the compile stage so that a build can start one before it imports anything else."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

from cvbuild.compile.sandbox import ENGINE_ARGS, engine_environment

if TYPE_CHECKING:
    from cvbuild.compile.warm import WarmEngine

__all__ = ["new_warm", "spawn_warm"]


def new_warm(engine: str, key: str | None = None) -> WarmEngine | None:
    """A new idle engine in its own build folder, from the cached format ``key`` when it
    can be placed there; None when the engine cannot start."""
    from cvbuild.compile import fmtcache, warm
    from cvbuild.tempdirs import make_build_dir

    exe = shutil.which(engine)
    if exe is None:
        return None
    try:
        folder = make_build_dir()
    except OSError:
        return None
    args: tuple[str, ...] = ENGINE_ARGS
    fmt_arg = fmtcache.place(key, folder) if key is not None else None
    if fmt_arg is not None:
        args = (*ENGINE_ARGS, fmt_arg)
    try:
        started = warm.WarmEngine(exe, engine, args, engine_environment(folder), folder)
        started.fmt_key = key if fmt_arg is not None else None
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    warm.register(started)
    return started


def spawn_warm(engine: str) -> None:
    """Start ``engine`` before its preamble is known: it loads its format meanwhile (the
    cached preamble format used last, when there is one: :func:`start_warm` kills it when
    this CV's theme has another: :func:`cvbuild.compile.latex.start_warm`)."""
    from cvbuild.compile import fmtcache, warm

    if engine not in warm.WARM_ENGINES or warm.any_idle(engine):  # a session's spare will do
        return
    key = None
    if engine in fmtcache.FMT_ENGINES and fmtcache.enabled():
        key = fmtcache.latest()  # the last used format: most often this CV's theme
        if key is not None and fmtcache.cached(key) is None:
            key = None
    new_warm(engine, key)
