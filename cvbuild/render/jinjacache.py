"""Compiled templates kept in the per-user cache, so a build need not compile them again.

jinja2 turns a template's source into Python code on first use (some 15 ms for ours, every
process). :class:`TemplateCodeCache` keeps that code in ``$XDG_CACHE_HOME/cvbuild/templates``
(``cvbuild.usercache``): one file per template path and environment, named by a digest of
the template's name and file, the environment's class and every option that shapes the code
(delimiters, whitespace control, autoescape, undefined), jinja2's, Python's and cvbuild's
versions. The file holds the digest of the source it was compiled from and one of its own
bytes: a changed template, a damaged or truncated file, or one too large is compiled again
(and the file replaced); the code loaded is the code a compile would give, so no output
changes. The sandbox is unchanged: it works at run time, through the environment the code
is handed. jinja2's own ``FileSystemBytecodeCache`` is not used: it unpickles what it reads.
"""

from __future__ import annotations

import hashlib
import marshal
import types
from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from cvbuild import usercache

CACHE_FOLDER = "templates"
MAX_CODE = 8 * 1024 * 1024  # bytes of one compiled template; ours are some 10 kB
MAX_FILES = 64  # compiled templates kept (the most recently written)
_MAGIC = b"cvbuild-jinja2-code 1\n"


def options_key(environment_class: type, options: Mapping[str, object]) -> str:
    """What, besides the source, decides the code a template compiles to."""
    shown = sorted((k, repr(v)) for k, v in options.items() if k != "loader")
    return f"{environment_class.__module__}.{environment_class.__qualname__}:{shown!r}"


class TemplateCodeCache(jinja2.BytecodeCache):
    def __init__(self, folder: Path, options: str) -> None:
        self.folder = folder
        self.options = options

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return usercache.key_of(self.options, jinja2.__version__, name, filename or "")

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.code"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = usercache.read_bytes(self._path(bucket), MAX_CODE)
        if data is None or not data.startswith(_MAGIC):
            return
        header, _, payload = data[len(_MAGIC) :].partition(b"\n\n")
        source, _, digest = header.partition(b"\n")
        if source.decode("ascii", "replace") != bucket.checksum:
            return  # compiled from another source: the template changed
        if digest.decode("ascii", "replace") != hashlib.sha256(payload).hexdigest():
            return  # damaged
        try:
            code = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return
        if isinstance(code, types.CodeType):
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        payload = marshal.dumps(bucket.code)
        digest = hashlib.sha256(payload).hexdigest()
        head = _MAGIC + bucket.checksum.encode("ascii") + b"\n" + digest.encode("ascii")
        if usercache.write_bytes(self._path(bucket), head + b"\n\n" + payload):
            usercache.prune(self.folder, MAX_FILES, "*.code")


def template_cache(
    environment_class: type, options: Mapping[str, object]
) -> TemplateCodeCache | None:
    """The cache for an environment of ``environment_class`` with ``options``; None when
    there is no per-user cache folder."""
    folder = usercache.folder(CACHE_FOLDER)
    if folder is None:
        return None
    return TemplateCodeCache(folder, options_key(environment_class, options))
