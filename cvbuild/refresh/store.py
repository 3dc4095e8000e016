"""What refresh keeps on disk: per-source snapshots, the lock, atomic writes with a backup.

All of it lives in ``.cvbuild-cache/refresh/`` beside the config, except the managed file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from cvbuild.bib.model import Publication
from cvbuild.errors import ExternalError, Location

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SNAPSHOT_VERSION = 1


def cache_dir(config: Path) -> Path:
    return config.resolve().parent / ".cvbuild-cache" / "refresh"


def snapshot_name(ident: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", ident).strip("_")[:60]
    digest = hashlib.sha256(ident.encode()).hexdigest()[:8]
    return f"{slug}-{digest}.json"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and ``os.replace``.

    The result keeps the mode of the file it replaces; a new file gets the usual mode for
    the user's umask (0644 for umask 022), not the 0600 of a private temporary file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
        except FileExistsError:
            continue
        break
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


BACKUP_GENERATIONS = 3


def backup_paths(folder: Path, name: str, generations: int = BACKUP_GENERATIONS) -> list[Path]:
    """``name.bak.1`` (the newest) … ``name.bak.N`` (the oldest kept)."""
    return [folder / f"{name}.bak.{n}" for n in range(1, generations + 1)]


def replace_with_backup(
    path: Path, text: str, folder: Path, generations: int = BACKUP_GENERATIONS
) -> Path | None:
    """Write ``text`` to ``path``, first keeping the current file as ``folder/NAME.bak.1``.

    Older backups move one generation down (``.bak.1`` → ``.bak.2`` …) and the oldest beyond
    ``generations`` is dropped, so a few bad runs in a row never erase the last good state.
    Returns the new backup, or None when there was no file to keep.
    """
    if not path.exists():
        write_atomic(path, text)
        return None
    current = path.read_text(encoding="utf-8")
    baks = backup_paths(folder, path.name, generations)
    folder.mkdir(parents=True, exist_ok=True)
    for older, newer in zip(reversed(baks[1:]), reversed(baks[:-1]), strict=True):
        if newer.exists():
            os.replace(newer, older)
    write_atomic(baks[0], current)
    write_atomic(path, text)
    return baks[0]


@dataclass
class Snapshot:
    ident: str
    fetched_at: float
    pubs: list[Publication]


def _pub_to_json(pub: Publication) -> dict[str, object]:
    return {"key": pub.key, "type": pub.entry_type, "fields": pub.fields}


def _pub_from_json(data: dict[str, object], origin: str, order: int) -> Publication:
    from cvbuild.bib.names import parse_names

    fields = {str(k): str(v) for k, v in dict(cast("dict[str, object]", data["fields"])).items()}
    names, et_al = parse_names(fields.get("author", ""))
    editors, _ = parse_names(fields.get("editor", ""))
    year_text = fields.get("year", "")
    month_text = fields.get("month", "")
    return Publication(
        key=str(data["key"]),
        entry_type=str(data["type"]),
        fields=fields,
        authors=names,
        editors=editors,
        et_al=et_al,
        year=int(year_text) if year_text.isdigit() else None,
        month=int(month_text) if month_text.isdigit() and 1 <= int(month_text) <= 12 else None,
        location=Location(origin),
        order=order,
    )


def save_snapshot(folder: Path, snapshot: Snapshot) -> Path:
    path = folder / snapshot_name(snapshot.ident)
    data = {
        "version": SNAPSHOT_VERSION,
        "source": snapshot.ident,
        "fetched_at": snapshot.fetched_at,
        "entries": [_pub_to_json(p) for p in snapshot.pubs],
    }
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return path


def load_snapshot(folder: Path, ident: str) -> Snapshot | None:
    """The last good answer of a source, or None (absent, unreadable or another version)."""
    path = folder / snapshot_name(ident)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != SNAPSHOT_VERSION or data.get("source") != ident:
            return None
        pubs = [
            _pub_from_json(item, f"{path}", i) for i, item in enumerate(data.get("entries", []))
        ]
        return Snapshot(ident, float(data.get("fetched_at", 0.0)), pubs)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


@contextlib.contextmanager
def refresh_lock(
    folder: Path,
    *,
    wait: float = 0.0,
    sleep: Callable[[float], None] = time.sleep,
    poll: float = 0.1,
) -> Iterator[Path]:
    """Hold ``folder/lock`` for one refresh; wait up to ``wait`` seconds, then ExternalError."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "lock"
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole block
    try:
        waited = 0.0
        while True:
            if _try_lock(handle):
                break
            if waited >= wait:
                raise ExternalError(
                    f"another 'cvbuild refresh' is running (lock {path}); "
                    "nothing was fetched or written - try again when it has finished"
                )
            sleep(poll)
            waited += poll
        # Nothing is written into the lock: flock() is the lock, and a failed run must leave
        # every byte under the cache folder as it was.
        yield path
    finally:
        if fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()


def _try_lock(handle: object) -> bool:
    if fcntl is None:  # pragma: no cover - best effort elsewhere
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[attr-defined]
    except BlockingIOError:
        return False
    return True
