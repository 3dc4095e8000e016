"""Output for people: progress of long work and coloured problem lines.

The CLI is the only caller. On a terminal, progress is one line that updates in place
(``\\r`` and erase-to-end); when the stream is not a terminal (a log, a pipe, cron) every
step is a plain line of its own; ``quiet`` prints nothing. Colour is used only on a
terminal and never when ``NO_COLOR`` is set (https://no-color.org) or ``TERM=dumb``.
All writes stay inside this module, to the stream the CLI hands in.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from typing import TextIO

# SGR codes per kind of line.
_COLOURS = {
    "error": "1;31",  # bold red
    "warning": "33",  # yellow
    "ok": "32",  # green
    "info": "36",  # cyan
    "dim": "2",
}


def is_tty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed or not a real file
        return False


def use_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, never with NO_COLOR (any non-empty value) or TERM=dumb."""
    if os.environ.get("NO_COLOR", ""):
        return False
    if os.environ.get("TERM", "") == "dumb":
        return False
    return is_tty(stream)


def colour(text: str, kind: str, stream: TextIO) -> str:
    """``text`` wrapped in the colour for ``kind`` (error, warning, ok, info, dim) when
    ``stream`` is a colour terminal; otherwise unchanged."""
    code = _COLOURS.get(kind)
    if not code or not use_colour(stream):
        return text
    return f"\x1b[{code}m{text}\x1b[0m"


def problem_kind(line: str) -> str:
    """'error' or 'warning' for a problem line as ``Problem.__str__`` writes it."""
    return "warning" if ": warning: " in line else "error"


def _width(stream: TextIO) -> int:
    try:
        return max(20, shutil.get_terminal_size((80, 24)).columns)
    except (OSError, ValueError):
        return 80


class Progress:
    """Progress of ``total`` steps of long work (variants, CVs of a batch, sources).

    ``start(total, label)``, then ``advance(text)`` after each finished step, then
    ``done()``. ``line(text)`` writes a message that must stay (a warning, a failure)
    without breaking the updating line.
    """

    def __init__(self, stream: TextIO, *, quiet: bool = False, tty: bool | None = None) -> None:
        self.stream = stream
        self.quiet = quiet
        self.tty = is_tty(stream) if tty is None else tty
        self.total = 0
        self.count = 0
        self.label = ""
        self._started = 0.0
        self._shown = False  # an updating line is on screen

    # ------------------------------------------------------------------ API

    def start(self, total: int, label: str) -> None:
        self.total, self.count, self.label = max(0, total), 0, label
        self._started = time.monotonic()
        if self.quiet:
            return
        if self.tty:
            self._update("")
        else:
            self._write(f"{label}: {total} to do\n")

    def advance(self, text: str = "") -> None:
        self.count += 1
        if self.quiet:
            return
        if self.tty:
            self._update(text)
        else:
            self._write(f"[{self._counter()}] {text}\n" if text else f"[{self._counter()}]\n")

    def line(self, text: str, kind: str = "") -> None:
        """A line that stays, shown above the updating line on a terminal."""
        if self.quiet and kind not in ("error", "warning"):
            return
        if self.tty and self._shown:
            self._write("\r\x1b[K")
            self._shown = False
        self._write((colour(text, kind, self.stream) if kind else text) + "\n")
        if self.tty and self.total and self.count < self.total and not self.quiet:
            self._update("")

    def done(self, text: str = "") -> None:
        if self.quiet:
            return
        elapsed = time.monotonic() - self._started if self._started else 0.0
        summary = text or f"{self.label}: {self._counter()} done in {elapsed:.1f}s"
        if self.tty:
            self._write("\r\x1b[K" if self._shown else "")
            self._shown = False
            self._write(colour(summary, "ok", self.stream) + "\n")
        else:
            self._write(summary + "\n")

    # ------------------------------------------------------------ internals

    def _counter(self) -> str:
        if not self.total:  # open-ended work: just count
            return str(self.count)
        width = len(str(self.total))
        return f"{self.count:>{width}}/{self.total}"

    def _update(self, text: str) -> None:
        head = f"{self.label} [{self._counter()}]"
        if self.total:
            slots = 20
            filled = min(slots, slots * self.count // self.total)
            bar = "#" * filled + "-" * (slots - filled)
            head = f"{self.label} [{bar}] {self._counter()}"
        body = f"{head} {text}" if text else head
        width = _width(self.stream) - 1
        if len(body) > width:
            body = body[: max(0, width - 1)] + "…"
        self._write("\r\x1b[K" + colour(body, "info", self.stream))
        self._shown = True

    def _write(self, text: str) -> None:
        if not text:
            return
        self.stream.write(text)
        with contextlib.suppress(AttributeError, ValueError, OSError):
            self.stream.flush()
