"""How every TeX engine run is locked down: the job name, the arguments (no shell escape,
no stop for input) and the environment (paranoid file access, no font generation, the
day's PDF stamp). The one place the compile stage, the warm start and the format cache
take them from."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ENGINE_ARGS", "JOBNAME", "engine_environment", "source_date_epoch"]

JOBNAME = "cv"

ENGINE_ARGS = (
    "-no-shell-escape",
    "-interaction=nonstopmode",
    "-halt-on-error",
    "-file-line-error",
    f"-jobname={JOBNAME}",
)


def source_date_epoch() -> str:
    """The epoch TeX stamps the PDF with (``cvbuild.clock``: stable for a day, or fixed)."""
    from cvbuild import clock

    return str(clock.stamp_epoch())


def engine_environment(build_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TEXMFOUTPUT", "TEXINPUTS")}
    env.update(
        openin_any="p",
        openout_any="p",
        shell_escape="f",
        SOURCE_DATE_EPOCH=source_date_epoch(),
        FORCE_SOURCE_DATE="1",
        max_print_line="10000",
        error_line="250",
        half_error_line="230",
        TEXINPUTS=".:",
        # Never generate fonts (a font name probed by \IfFontExistsTF would run mktextfm).
        MKTEXTFM="0",
        MKTEXPK="0",
        MKTEXMF="0",
        MKTEXTEX="0",
    )
    env.setdefault("HOME", str(build_dir))  # luaotfload keeps its font cache there
    return env
