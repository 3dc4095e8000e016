"""Is an earlier build still valid? One state folder, one list of inputs, one options key.

Everything a build remembers lives in ``.cvbuild-cache/`` beside the config (with refresh's
snapshots, never among the outputs):

- ``build.json``: per options key (cvbuild's version, the config's path and every option
  that changes an output's bytes, see :func:`options_key`), the stamps (size, mtime, inode)
  of every input as taken *before* the last build read it and of every output it left, and
  per variant the content hash of the inputs and the SHA-256 of each file written;
- ``tex/<name>/``: the settled TeX ``.aux``/``.out`` of each document, handed back to the
  engine next time so an unchanged layout needs one pass.

Two checks, the same inputs and the same key: :func:`quick_check` compares stamps before
anything is parsed (no input or output touched: nothing to do); when a stamp differs, the
content hash of the inputs (:func:`content_hash`) still lets a variant be skipped whose
inputs did not really change and whose outputs are intact. Only the standard library here:
this runs on the start-up path of every ``cvbuild build``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from cvbuild import __version__

FOLDER = ".cvbuild-cache"
STATE = "build.json"
SEEDS = "tex"
Stamp = list[int] | None


def state_folder(config: Path) -> Path:
    return Path(os.path.abspath(config)).parent / FOLDER


def state_file(config: Path) -> Path:
    return state_folder(config) / STATE


def options_key(config: Path, options: Sequence[str]) -> str:
    """The key of one kind of build of ``config``: cvbuild's version, the config's path
    and ``options`` (formats, variants, output folder, strictness, the date, the clock)."""
    text = "\0".join([__version__, os.path.abspath(config), *options])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


# ---------------------------------------------------------------- stamps


def _stamp(path: str) -> Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino]


def _expand(paths: Iterable[Path]) -> list[str]:
    """Files, and every folder and file under folders, as absolute paths (a folder's
    stamp changes when a file is added to it, removed or renamed over)."""
    found: list[str] = []
    for path in paths:
        path = Path(os.path.abspath(path))
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                found.append(root)
                found.extend(os.path.join(root, name) for name in sorted(files))
        else:
            found.append(str(path))
    return found


def capture(paths: Iterable[Path]) -> dict[str, Stamp]:
    """Stamps of files (and of everything under folders), taken *before* they are read:
    a file saved while a build runs then differs from its stamp, and the next build
    does not take it for unchanged."""
    return {p: _stamp(p) for p in _expand(paths)}


def _read(config: Path) -> dict[str, Any]:
    try:
        data = json.loads(state_file(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_record(config: Path, key: str) -> dict[str, Any]:
    """What the last build with ``key`` remembered (empty when none)."""
    record = _read(config).get(key)
    return record if isinstance(record, dict) else {}


def quick_check(config: Path, key: str) -> dict[str, Any] | None:
    """The record of the last build with ``key`` if every stamp still matches
    (``{"variants": {...}, "outputs": {...}}``), else None."""
    record = read_record(config, key)
    try:
        stamps = [*record["inputs"].items(), *record["outputs"].items()]
    except (KeyError, AttributeError):
        return None
    for path, stamp in stamps:
        if _stamp(path) != stamp:
            return None
    return record


# ---------------------------------------------------------------- content


def _digest_file(h: Any, path: Path) -> None:
    h.update(str(path).encode() + b"\0")
    try:
        h.update(path.read_bytes())
    except OSError:
        h.update(b"<missing>")
    h.update(b"\0")


def content_hash(paths: Iterable[Path], key: str) -> str:
    """A hash of every file (and every file under every folder) in ``paths``, in order,
    and of the options ``key``."""
    h = hashlib.sha256(f"cvbuild {__version__}\0{key}\0".encode())
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    _digest_file(h, Path(root) / name)
        else:
            _digest_file(h, path)
    return h.hexdigest()


def file_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fresh_outputs(record: Mapping[str, Any], variant: str, digest: str) -> list[Path] | None:
    """The outputs of ``variant`` when its inputs hash to ``digest`` as last time and every
    output is still there, byte for byte; else None."""
    entry = (record.get("variants") or {}).get(variant)
    if not isinstance(entry, dict) or entry.get("hash") != digest or not entry.get("files"):
        return None
    for name, sha in entry["files"].items():
        try:
            if file_sha(Path(name).read_bytes()) != sha:
                return None
        except OSError:
            return None
    return [Path(name) for name in entry["files"]]


def variant_entry(digest: str, files: Mapping[Path, bytes]) -> dict[str, Any]:
    """What to remember of a variant just built: its inputs' hash and its files' SHA-256."""
    return {"hash": digest, "files": {str(p): file_sha(d) for p, d in sorted(files.items())}}


# ---------------------------------------------------------------- TeX seeds


def read_seeds(config: Path, prefix: str) -> dict[str, dict[str, bytes]]:
    """The kept ``.aux``/``.out`` of every document whose name starts with ``prefix``."""
    folder = state_folder(config) / SEEDS
    found: dict[str, dict[str, bytes]] = {}
    try:
        for sub in sorted(folder.iterdir()):
            if sub.is_dir() and sub.name.startswith(prefix):
                found[sub.name] = {p.name: p.read_bytes() for p in sub.iterdir() if p.is_file()}
    except OSError:
        pass
    return found


# ---------------------------------------------------------------- remembering


def remember(
    config: Path,
    key: str,
    inputs: Mapping[str, Stamp],
    outputs: Iterable[Path],
    variants: Mapping[str, Any],
    seeds: Mapping[str, Mapping[str, bytes]] = {},
) -> dict[Path, bytes]:
    """The state files to write after a build: ``build.json`` with this key's record (the
    ``inputs`` stamps from :func:`capture`, the outputs' stamps as they are now, each
    variant's entry) and the new TeX seeds. The caller writes them (atomically)."""
    data = _read(config)
    data[key] = {
        "variants": dict(variants),
        "inputs": dict(inputs),
        "outputs": {p: _stamp(p) for p in sorted({str(o) for o in outputs})},
    }
    folder = state_folder(config)
    files = {folder / STATE: json.dumps(data, indent=1, sort_keys=True).encode()}
    for name, contents in seeds.items():
        for file, body in contents.items():
            files[folder / SEEDS / name / file] = body
    return files
