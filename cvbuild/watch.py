"""``cvbuild watch``: rebuild when the config, a BibTeX file it uses or the user's
template folder is saved.

Files are watched by *path*, polling ``os.stat`` (no extra dependency, works on every
file system including network mounts and editors' atomic saves): a change of
``(mtime_ns, size, inode)`` — or a file appearing or vanishing — counts. Editors that
save by writing a new file and renaming it over the old one (vim, Emacs, VS Code,
JetBrains) give a new inode, so they are seen like any other save.

Saves are debounced: a rebuild starts once no watched file has changed for
``debounce`` seconds, so a burst of saves (a formatter on save, "save all") gives one
rebuild. The set of watched files is read again from the config after every rebuild,
so adding a ``bib:`` file or a template folder takes effect at once. A failed rebuild is
reported through ``on_event`` and watching goes on.

While watching, a TeX engine waits with the preamble of the last PDF loaded
(:mod:`cvbuild.compile.warm`), so a save pays only for the body; it is killed when
watching stops.

Events are one-line strings that start with their kind: ``watching:``, ``changed:``,
``built:``, ``error:``, ``internal error:``, ``stopped``. The caller prints them.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from cvbuild.errors import CvbuildError, InputError, problems_found

Stamp = tuple[int, int, int] | None  # (mtime_ns, size, inode); None = missing
Snapshot = dict[Path, Stamp]

# Editor droppings inside a template folder that are not templates.
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak")


def stamp(path: Path) -> Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _ignored(name: str) -> bool:
    return (
        name.startswith(".")
        or name.startswith("#")
        or name.startswith("~$")
        or name.endswith(_IGNORED_SUFFIXES)
    )


class Targets:
    """What to watch: single files by path, and folders (every file inside, recursively)."""

    def __init__(self, files: Iterable[Path] = (), folders: Iterable[Path] = ()) -> None:
        self.files = tuple(dict.fromkeys(Path(os.path.abspath(p)) for p in files))
        self.folders = tuple(dict.fromkeys(Path(os.path.abspath(p)) for p in folders))

    def snapshot(self) -> Snapshot:
        snap: Snapshot = {path: stamp(path) for path in self.files}
        for folder in self.folders:
            # The folder appearing or vanishing (not its mtime: a swap file changes that).
            snap[folder] = (0, 0, 0) if folder.is_dir() else None
            for root, dirs, names in os.walk(folder):
                dirs[:] = sorted(d for d in dirs if not _ignored(d))
                for name in sorted(names):
                    if not _ignored(name):
                        path = Path(root) / name
                        snap[path] = stamp(path)
        return snap

    def describe(self, base: Path) -> str:
        shown = [_short(p, base) for p in self.files]
        shown += [_short(p, base) + "/" for p in self.folders]
        return ", ".join(shown)

    def count(self) -> int:
        return len(self.files) + len(self.folders)


def _short(path: Path, base: Path) -> str:
    try:
        return os.path.relpath(path, base)
    except ValueError:
        return str(path)


def discover(config: Path) -> Targets | None:
    """The config, every BibTeX file it names and its template folder; None when the
    config does not load (the caller keeps what it watched before)."""
    from cvbuild.config.reader import load_config

    try:
        cv = load_config(config)
    except CvbuildError:
        return None
    files: list[Path] = [config]
    for section in cv.sections:
        if section.publications is not None:
            files.extend(section.publications.bib)
    if cv.refresh is not None:
        files.append(cv.refresh.into)
    folders = [cv.output.templates] if cv.output.templates else []
    return Targets(files, folders)


def changed_paths(before: Snapshot, after: Snapshot) -> list[Path]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def _describe_error(exc: BaseException) -> list[str]:
    if isinstance(exc, InputError):
        lines = [f"error: {problem}" for problem in exc.problems]
        count = sum(1 for p in exc.problems if not p.is_warning) or len(exc.problems)
        lines.append(f"error: {problems_found(count)}; nothing was written")
        return lines
    if isinstance(exc, CvbuildError):
        return [f"error: {exc}"]
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return [f"internal error: {type(exc).__name__}: {exc}\n{text.rstrip()}"]


def watch(
    config: Path,
    rebuild: Callable[[], object],
    *,
    on_event: Callable[[str], None],
    interval: float = 0.1,
    debounce: float = 0.15,
    stop: threading.Event | None = None,
    initial: bool = True,
) -> None:
    """Call ``rebuild()`` whenever a watched file changes, until ``stop`` is set (or
    KeyboardInterrupt). Files are polled every ``interval`` seconds (a stat of each: cheap)
    and a burst of saves is taken as one once ``debounce`` seconds pass quietly, so a
    save is seen within about a quarter of a second. ``initial``: build once at the start. Never raises for a failed
    rebuild: its errors go to ``on_event`` and watching goes on."""
    from cvbuild.compile import warm

    warm.keep_spares(True)  # the next save finds a TeX engine with the preamble loaded
    try:
        _watch(config, rebuild, on_event, interval, debounce, stop or threading.Event(), initial)
    finally:
        warm.keep_spares(False)
        warm.shutdown()


def _watch(
    config: Path,
    rebuild: Callable[[], object],
    on_event: Callable[[str], None],
    interval: float,
    debounce: float,
    stop: threading.Event,
    initial: bool,
) -> None:
    config = Path(os.path.abspath(config))
    base = config.parent
    targets = discover(config) or Targets([config])

    def run(reason: str) -> None:
        nonlocal targets
        started = time.perf_counter()
        try:
            rebuild()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # a failed rebuild never ends the watch
            for line in _describe_error(exc):
                on_event(line)
        else:
            on_event(f"built: {reason} in {time.perf_counter() - started:.2f}s")
        found = discover(config)
        if found is not None:
            if found.files != targets.files or found.folders != targets.folders:
                on_event(f"watching: {found.describe(base)}")
            targets = found
        elif config not in targets.files:
            targets = Targets([*targets.files, config], targets.folders)

    on_event(f"watching: {targets.describe(base)}")
    snap = targets.snapshot()
    if initial:
        run("first build")
        snap = _carry(snap, targets)
    pending: set[Path] = set()
    last_change = 0.0
    while not stop.wait(interval):
        now_snap = targets.snapshot()
        changes = changed_paths(snap, now_snap)
        snap = now_snap
        now = time.monotonic()
        if changes:
            pending.update(changes)
            last_change = now
            continue
        if pending and now - last_change >= debounce:
            names = ", ".join(_short(p, base) for p in sorted(pending))
            on_event(f"changed: {names}")
            pending.clear()
            run(f"after saving {names}")
            # Changes made while the rebuild ran are caught by the next poll: compare
            # against the state seen before the rebuild, not after it.
            snap = _carry(snap, targets)
    on_event("stopped")


def _carry(before: Snapshot, targets: Targets) -> Snapshot:
    """A snapshot of (possibly new) ``targets`` that keeps the stamps seen before a
    rebuild for files already watched, so a save during the rebuild is not lost."""
    current = targets.snapshot()
    return {path: before.get(path, stamp_now) for path, stamp_now in current.items()}
