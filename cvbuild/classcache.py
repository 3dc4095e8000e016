"""The compiled methods of cvbuild's dataclasses, kept in the per-user cache.

For each class, Python's ``dataclasses`` writes the source of its methods (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``; ``__setattr__`` and ``__delattr__`` for a frozen
class) and compiles it with ``exec``. On Python 3.11 that is some 0.5 ms a class and
40-50 ms for the hundred classes a build defines: more than any other part of a small
build's start-up. :func:`install` (called by the command line before a command runs) gives
the ``dataclasses`` module an ``exec`` that first looks up the compiled code of that very
source text (by its digest) and compiles only what it has not seen; what a process compiled
is added to the cache when it exits.

The code run is the code ``exec`` would have compiled from the same text: the same file name
(``<string>``), no inherited ``__future__`` flags (``dataclasses`` has none), the same
optimization level (part of the key, with Python's version), so every class comes out the
same. The file is checked against a digest of its own bytes; a damaged, oversized or foreign
one is ignored and replaced. ``CVBUILD_CACHE=0`` (``cvbuild.usercache``) turns it off.
"""

from __future__ import annotations

import atexit
import builtins
import hashlib
import marshal
import sys
import types
from pathlib import Path
from typing import Any

from cvbuild import usercache

CACHE_FOLDER = "classes"
MAX_BYTES = 16 * 1024 * 1024  # a build's classes take some 300 kB
MAX_ENTRIES = 4096  # more, and the file starts over with what this process compiled
MAX_FILES = 4  # one per Python version and cvbuild release: the latest few kept
_MAGIC = b"cvbuild-dataclass-code 1\n"
_Store = dict[bytes, types.CodeType]


def cache_path() -> Path | None:
    folder = usercache.folder(CACHE_FOLDER)
    if folder is None:
        return None
    return folder / f"{usercache.key_of('dataclasses', str(sys.flags.optimize))}.code"


class Session:
    """The code one process found in the cache and the code it compiled."""

    def __init__(self, path: Path, known: _Store) -> None:
        self.path = path
        self.known = known
        self.compiled: _Store = {}

    def save(self) -> None:
        """Add what this process compiled to the cache (at exit)."""
        if not self.compiled:
            return
        merged = {**self.known, **self.compiled}
        if write(self.path, merged if len(merged) <= MAX_ENTRIES else dict(self.compiled)):
            usercache.prune(self.path.parent, MAX_FILES, "*.code")


def install() -> Session | None:
    """Put the caching ``exec`` into ``dataclasses`` and save what it compiled at exit;
    None when there is no cache folder or the module's ``exec`` is already someone's own
    (this function's, once it ran)."""
    import dataclasses

    if "exec" in vars(dataclasses):
        return None
    path = cache_path()
    if path is None:
        return None
    session = Session(path, read(path))
    known, compiled = session.known, session.compiled
    real_exec = builtins.exec

    def exec_cached(source: Any, globals: Any = None, locals: Any = None, /) -> None:  # noqa: A002
        if type(source) is not str:
            real_exec(source, globals, locals)
            return
        key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).digest()
        code = known.get(key)
        if code is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            compiled[key] = code
        real_exec(code, globals, locals)

    dataclasses.exec = exec_cached  # type: ignore[attr-defined]
    atexit.register(session.save)
    return session


def read(path: Path) -> _Store:
    """The cached code in ``path``; empty when it is missing, oversized or damaged."""
    data = usercache.read_bytes(path, MAX_BYTES)
    if data is None or not data.startswith(_MAGIC):
        return {}
    digest, _, payload = data[len(_MAGIC) :].partition(b"\n")
    if digest.decode("ascii", "replace") != hashlib.sha256(payload).hexdigest():
        return {}
    try:
        store = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(store, dict) or not all(
        type(k) is bytes and isinstance(v, types.CodeType) for k, v in store.items()
    ):
        return {}
    return store


def write(path: Path, store: _Store) -> bool:
    payload = marshal.dumps(store)
    digest = hashlib.sha256(payload).hexdigest().encode("ascii")
    return usercache.write_bytes(path, _MAGIC + digest + b"\n" + payload)
