"""Warm start: the TeX engine loads its preamble while Python reads the BibTeX and renders.

A cold pass spends most of its time before the body: starting the engine and loading the
format, then ``\\documentclass`` and the theme package (fontspec, the fonts, hyperref).
That part of the ``.tex`` depends on the config alone (engine, theme, paper), so a build
starts the engine on it at once (:func:`prestart`), before the BibTeX is parsed. The
engine reads its main file ``cv.tex`` from a named pipe in its private build folder; it
is given the predicted first lines and then waits, blocked on the pipe, until compile
hands it the rest (:meth:`WarmEngine.finish`).

Nothing of the output depends on this: the engine reads byte for byte the ``.tex`` a
cold pass reads from a file, in the same sandbox (same arguments, same environment, same
folder contents). A warm engine is used only when the rendered text starts with exactly
the lines it was given, its style files are byte-identical to the source's and its
``SOURCE_DATE_EPOCH`` is today's; otherwise it is killed and the pass runs cold. Only
xelatex is started warm. ``CVBUILD_WARM=0`` turns the machinery off.

The engine's main file is opened with ``\\XeTeXdefaultencoding "utf8"``: XeTeX sniffs an
automatically detected file's first bytes and rewinds, which a pipe cannot do. Every file
cvbuild hands the engine is UTF-8 without a byte order mark, which ``auto`` reads as
``utf8`` too.

A watch or serve session asks for spares (:func:`keep_spares`): after each compile, an
engine with the same preamble is started again and waits for the next save, so a rebuild
pays only for the body. Every idle engine dies with :func:`release` (the end of a build,
for those no compile took), :func:`shutdown` (the end of a session) or the end of the
process (its pipe closes, the engine reads end of file and stops).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import shutil
import signal
import struct
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from cvbuild.compile.sandbox import JOBNAME

ENV_SWITCH = "CVBUILD_WARM"

# Only the default engine: its main file can be read from a pipe (see the module text).
WARM_ENGINES = ("xelatex",)
_CLASS_OPTIONS = {"academic": "11pt", "compact": "10pt"}
_PAPERS = {"a4": "a4", "letter": "letter"}
_HEAD = (
    "% !TEX program = {engine}\n"
    "% Made by cvbuild: edit cv.yaml (or your BibTeX file) and rebuild rather than this file.\n"
    "\\documentclass[{options}]{{article}}\n"
    "\\usepackage[{paper}]{{cvbuild-{theme}}}\n"
)
DRIVER = f'\\XeTeXdefaultencoding "utf8"\\input {JOBNAME}.tex'


def enabled() -> bool:
    """On unless ``CVBUILD_WARM=0``; only where named pipes exist (not on Windows)."""
    return hasattr(os, "mkfifo") and os.environ.get(ENV_SWITCH, "1").strip() != "0"


def predicted_prefix(engine: str, theme: str, paper: str) -> str | None:
    """The first lines of the ``.tex`` render writes for ``theme`` on ``paper`` with our
    own ``cv.tex`` template and a document that needs no fallback fonts and no two-pass
    mode (the usual CV); None when no warm start is possible for this engine."""
    if engine not in WARM_ENGINES or theme not in _CLASS_OPTIONS or paper not in _PAPERS:
        return None
    return _HEAD.format(
        engine=engine, options=_CLASS_OPTIONS[theme], paper=_PAPERS[paper], theme=theme
    )


class WarmEngine:
    """One engine started on a preamble, waiting on its pipe for the rest of the ``.tex``."""

    def __init__(
        self, exe: str, engine: str, args: Sequence[str], env: Mapping[str, str], folder: Path
    ) -> None:
        """Start the engine in ``folder``: it loads its format, then waits on the pipe
        for the preamble (:meth:`load`)."""
        self.engine, self.folder = engine, folder
        self.prefix: str | None = None
        self.env = dict(env)
        self.support: dict[str, bytes] = {}
        self.fmt_key: str | None = None  # started from this cached format (fmtcache)
        self.pid_owner = os.getpid()
        self.pipe = folder / f"{JOBNAME}.tex"
        os.mkfifo(self.pipe, 0o600)
        # Read-write and non-blocking: opening never waits for the engine, and a write
        # never blocks on an engine that died (see _write).
        self.fd: int | None = os.open(self.pipe, os.O_RDWR | os.O_NONBLOCK)
        self.proc = subprocess.Popen(
            [exe, *args, "-no-parse-first-line", DRIVER],
            cwd=folder,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def load(self, prefix: str, support_files: Sequence[Path]) -> None:
        """Put the style files beside the engine and hand it the preamble."""
        self.support = {Path(p).name: Path(p).read_bytes() for p in support_files}
        for name, data in self.support.items():
            (self.folder / name).write_bytes(data)
        self.prefix = prefix
        self._write(prefix.encode("utf-8"), time.monotonic() + 30)

    # ------------------------------------------------------------ matching

    def usable(self, engine: str, text: str, support_files: Sequence[Path], epoch: str) -> bool:
        """Can this engine typeset ``text``? The same engine, the same first lines, the
        same style files byte for byte, the same date stamp, still alive, ours."""
        if os.getpid() != self.pid_owner or self.proc.poll() is not None or self.fd is None:
            return False
        if self.prefix is None or engine != self.engine or not text.startswith(self.prefix):
            return False
        if self.env.get("SOURCE_DATE_EPOCH") != epoch:
            return False
        try:
            wanted = {Path(p).name: Path(p).read_bytes() for p in support_files}
        except OSError:
            return False
        return wanted == self.support

    # ------------------------------------------------------------ running

    def finish(self, text: str, seed: Mapping[str, bytes], deadline: float) -> int:
        """Hand the engine the rest of ``text`` (after ``seed`` files are in its folder),
        wait for it to end, and leave ``cv.tex`` as a plain file; the exit code. Raises
        subprocess.TimeoutExpired past ``deadline`` (the engine is killed)."""
        for name, data in seed.items():
            (self.folder / name).write_bytes(data)
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            self.kill_process()

        timer = threading.Timer(max(deadline - time.monotonic(), 0), stop)
        timer.start()
        try:
            self._write(text[len(self.prefix or "") :].encode("utf-8"), deadline)
            self._drain()
            self._close()  # the engine reads end of file after the text, as from a file
            code = self.proc.wait()
        finally:
            timer.cancel()
            self._close()
        with contextlib.suppress(OSError):
            self.pipe.unlink()
            self.pipe.write_text(text, encoding="utf-8")
        if expired.is_set():
            raise subprocess.TimeoutExpired(self.proc.args, 0)
        return code

    def _write(self, data: bytes, deadline: float) -> None:
        """Write ``data`` into the pipe as the engine reads it; stop early when the engine
        ends (it read an error) or the deadline passes."""
        view = memoryview(data)
        while view and self.fd is not None:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                return
            try:
                written = os.write(self.fd, view)
            except BlockingIOError:
                select.select([], [self.fd], [], 0.05)
                continue
            except OSError:
                return
            view = view[written:]

    def _drain(self) -> None:
        """Wait until the engine has read what is in the pipe: a pipe that its last
        writer closes before any reader opened it loses what it held."""
        import fcntl
        import termios

        while self.fd is not None and self.proc.poll() is None:
            try:
                left = struct.unpack("i", fcntl.ioctl(self.fd, termios.FIONREAD, b"\0" * 4))[0]
            except OSError:
                return
            if left <= 0:
                return
            time.sleep(0.002)

    def _close(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None

    def kill_process(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    def discard(self) -> None:
        """Kill the engine and remove its folder."""
        if os.getpid() != self.pid_owner:
            return
        self.kill_process()
        self._close()
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            self.proc.wait(timeout=5)
        shutil.rmtree(self.folder, ignore_errors=True)


# ---------------------------------------------------------------- the idle engines

_lock = threading.Lock()
_idle: list[WarmEngine] = []
_spares = False


def idle_count() -> int:
    with _lock:
        return len(_idle)


def waiting(engine: str, prefix: str) -> bool:
    """Does an idle engine already wait on ``prefix``? (In a session, any spare of the
    engine does: it has the last build's preamble, the likeliest match.)"""
    with _lock:
        return any(
            w.engine == engine and w.prefix is not None and (w.prefix == prefix or _spares)
            for w in _idle
        )


def any_idle(engine: str) -> bool:
    with _lock:
        return any(w.engine == engine for w in _idle)


def blank(engine: str, fmt_key: str | None = None) -> WarmEngine | None:
    """An idle engine started before its preamble was known (see :meth:`WarmEngine.load`),
    from the cached format ``fmt_key`` (None: TeX Live's own)."""
    with _lock:
        return next(
            (w for w in _idle if w.engine == engine and w.prefix is None and w.fmt_key == fmt_key),
            None,
        )


def register(warm: WarmEngine) -> None:
    with _lock:
        _idle.append(warm)


def take(engine: str, text: str, support_files: Sequence[Path], epoch: str) -> WarmEngine | None:
    """An idle engine that can typeset ``text`` (now no longer idle), or None."""
    if not enabled():
        return None
    with _lock:
        found = None
        stale = []
        for warm in _idle:
            if warm.usable(engine, text, support_files, epoch):
                found = warm
                break
            if (
                _spares
                or warm.proc.poll() is not None
                or warm.env.get("SOURCE_DATE_EPOCH") != epoch
            ):
                stale.append(warm)  # a session's spare that did not match is superseded
        for warm in [*stale, *([found] if found else [])]:
            _idle.remove(warm)
    for warm in stale:
        warm.discard()
    return found


def discard_blank() -> None:
    """Kill the engines started before their preamble was known (no PDF to come here)."""
    with _lock:
        blanks = [w for w in _idle if w.prefix is None]
        for warm in blanks:
            _idle.remove(warm)
    for warm in blanks:
        warm.discard()


def keep_spares(on: bool = True) -> None:
    """Watch and serve: after each compile, start the next engine on the same preamble."""
    global _spares
    _spares = on


def wants_spare() -> bool:
    return _spares and enabled()


def release() -> None:
    """The end of a build: kill the idle engines, except a session's spares."""
    if _spares:
        return
    shutdown()


def shutdown() -> None:
    """Kill every idle engine."""
    with _lock:
        idle = list(_idle)
        _idle.clear()
    for warm in idle:
        warm.discard()


atexit.register(shutdown)
