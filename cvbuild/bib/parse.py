"""Read a BibTeX file and split it into raw blocks: the only module that imports bibtexparser.

Steps, each a small function:

1. :func:`read_text` — the file's bytes → text. UTF-8 (a BOM is dropped); otherwise the
   encoding is detected (UTF-16 with a BOM, GB18030/GBK, cp1252, Latin-1, in that
   order) and a warning names it; a binary file is an error.
2. :func:`strip_front_matter` — a Jekyll ``---`` … ``---`` header (al-folio) is blanked
   out line by line, so every line number stays what the user sees in an editor; then
   :func:`strip_comment_lines` blanks every line whose first non-blank character is ``%``
   (biblatex reads those as comments: an entry or a field commented out line by line is
   not there).
3. :func:`split_text` — bibtexparser's splitter cuts the text into entries, ``@string``
   macros, preambles and comments. Blocks it could not read, duplicate entry keys and
   duplicate fields become located warnings; every other entry is kept.

Values stay exactly as written (``{…}``, ``"…"``, macro names, ``#`` joins): resolving
macros and decoding LaTeX are later steps.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import re
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cvbuild.errors import Location, Problem, error, warning


class _PackageOnFirstUse(types.ModuleType):
    """The ``bibtexparser`` package whose ``__init__`` has not run yet: it runs the first
    time anything but an imported submodule is asked of it."""

    def __getattr__(self, name: str) -> Any:
        spec = self.__spec__
        # Once: from here on this is the ordinary package module.
        object.__setattr__(self, "__class__", types.ModuleType)
        if spec is not None and spec.loader is not None:
            spec.loader.exec_module(self)
        return getattr(self, name)


def _skip_package_init() -> None:
    """Let ``bibtexparser.model`` and ``.splitter`` import without the package's
    ``__init__``, which loads its writer, its middlewares and pylatexenc (about 10 ms of
    every build, none of it used here). Anyone who imports ``bibtexparser`` itself later
    gets the whole package on first use."""
    if "bibtexparser" in sys.modules:
        return
    spec = importlib.util.find_spec("bibtexparser")
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # let the plain import below report what is wrong
    package = importlib.util.module_from_spec(spec)
    package.__class__ = _PackageOnFirstUse
    sys.modules["bibtexparser"] = package


_skip_package_init()

from bibtexparser.model import (  # noqa: E402 - after the package is set up above
    DuplicateBlockKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)
from bibtexparser.splitter import Splitter  # noqa: E402

__all__ = [
    "ParsedFile",
    "clean_text",
    "RawEntry",
    "RawField",
    "RawString",
    "parse_file",
    "read_text",
    "split_text",
    "strip_comment_lines",
    "strip_front_matter",
]


@dataclass(frozen=True)
class RawField:
    """One field as written: ``value`` is the BibTeX expression after the ``=``."""

    name: str  # lower case
    value: str
    line: int  # 1-based line of the ``=``


@dataclass
class RawEntry:
    key: str
    entry_type: str  # lower case
    fields: dict[str, RawField]  # first occurrence of each (lower-cased) field name
    location: Location


@dataclass(frozen=True)
class RawString:
    """An ``@string{name = value}`` macro; ``value`` still a BibTeX expression."""

    name: str  # lower case: macro names are case-insensitive
    value: str
    location: Location


@dataclass
class ParsedFile:
    path: str
    entries: list[RawEntry] = field(default_factory=list)
    strings: list[RawString] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed_blocks: int = 0  # blocks the splitter could not read (each one is a problem)


# --- 1. bytes → text ------------------------------------------------------------------

# Tried in order when a file is not UTF-8; the first that fits wins.
_FALLBACK_ENCODINGS = ("gb18030", "cp1252", "latin-1")


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _looks_chinese(text: str) -> bool:
    """Most non-ASCII characters decoded as GB18030 are common (GB2312) Chinese ones.

    Latin-1/cp1252 bytes also decode as GB18030 pairs, but into rare characters outside
    GB2312; real GBK text is mostly inside it.
    """
    wide = [ch for ch in text if ord(ch) > 127]
    if not wide:
        return False
    common = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(wide) >= 0.9


def decode_bytes(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Text of a file's bytes, with a warning when the encoding had to be guessed."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        bad_line = _line_of_offset(data, exc.start)
    where = Location(file, bad_line)
    hint = "save the file as UTF-8 to be sure every character is read as you meant it"
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            with contextlib.suppress(UnicodeDecodeError):
                text = data[len(bom) :].decode(encoding)
                return text, [warning(where, f"file is not UTF-8; read it as {encoding}", hint)]
    if b"\x00" in data:
        return None, [
            error(
                where,
                "cannot read this file as text: it contains NUL bytes (a binary file?)",
                "give the path of a BibTeX (.bib) file saved as UTF-8",
            )
        ]
    for encoding in _FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and not _looks_chinese(text):
            continue
        label = "GB18030 (GBK)" if encoding == "gb18030" else encoding
        return text, [
            warning(
                where, f"file is not UTF-8 (first bad byte on this line); read it as {label}", hint
            )
        ]
    return None, [  # not reached: Latin-1 decodes any bytes; kept for safety
        error(where, "cannot tell the encoding of this file", "save it as UTF-8")
    ]


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The text of a BibTeX file, or ``None`` and an error problem when it cannot be read."""
    file = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [
            error(
                Location(file),
                "BibTeX file not found",
                "check the `bib:` path; relative paths are relative to cv.yaml",
            )
        ]
    except IsADirectoryError:
        return None, [
            error(Location(file), "this is a folder, not a BibTeX file", "name a .bib file")
        ]
    except OSError as exc:
        return None, [error(Location(file), f"cannot read BibTeX file: {exc.strerror or exc}")]
    return decode_bytes(data, file)


# --- 2. front matter --------------------------------------------------------------------


def strip_front_matter(text: str) -> str:
    """Blank out a Jekyll front-matter header, keeping one (empty) line per line."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return text
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            return "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    return text  # no closing line: not front matter, leave it to the splitter


_COMMENT_LINE = re.compile(r"(?m)^[ \t]*%[^\n]*")


def strip_comment_lines(text: str) -> str:
    """Blank every ``%`` line (the line itself stays, so line numbers do not move).

    ``%@article{x, …`` with ``%`` before each line is an entry the user switched off, and
    ``%  author+an = {…}`` inside an entry is a field switched off: neither is BibTeX to
    read. ``\\%`` (a literal percent sign) never starts such a line.
    """
    if "%" not in text:
        return text
    return _COMMENT_LINE.sub("", text)


def clean_text(text: str) -> str:
    """Front matter and ``%`` comment lines blanked out; line numbers unchanged."""
    return strip_comment_lines(strip_front_matter(text))


# --- 3. split into blocks -----------------------------------------------------------


@contextlib.contextmanager
def _quiet_library() -> Iterator[None]:
    """bibtexparser logs failed blocks; we report them as problems instead."""
    logger = logging.getLogger("bibtexparser")  # parent of bibtexparser.splitter & co.
    handler = logging.NullHandler()
    was = logger.propagate
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = was


def _line(block_line: int | None, first_line: int = 0) -> int:
    # The splitter counts lines from 0; ``first_line`` lines came before its text.
    return (block_line or 0) + 1 + first_line


def _raw_entry(entry: Entry, file: str, problems: list[Problem], first_line: int) -> RawEntry:
    location = Location(file, _line(entry.start_line, first_line))
    fields: dict[str, RawField] = {}
    base = 1 + first_line  # as :func:`_line`, once per entry rather than per field
    for f in entry.fields:
        name = f.key.strip().lower()
        line = (f.start_line or 0) + base
        if name in fields:
            problems.append(
                warning(
                    Location(file, line),
                    f"entry '{entry.key}': field '{name}' is given twice; the first value "
                    f"(line {fields[name].line}) is used",
                    "delete one of the two",
                )
            )
            continue
        fields[name] = RawField(name, f.value, line)
    return RawEntry(entry.key.strip(), entry.entry_type.strip().lower(), fields, location)


def _failed_block_problem(block: ParsingFailedBlock, file: str, first_line: int) -> Problem:
    reason = getattr(block.error, "abort_reason", None) or str(block.error)
    raw = (block.raw or "").lstrip()
    head = raw.split("{", 1)[0].split("(", 1)[0].strip() or "@…"
    key = ""
    if "{" in raw:
        key = raw.split("{", 1)[1].split(",", 1)[0].strip()
    what = f"{head}{{{key}, …}}" if key and "\n" not in key and len(key) < 80 else head
    return warning(
        Location(file, _line(block.start_line, first_line)),
        f"could not read the {what} block starting here: {reason.strip().rstrip('.')}; it is skipped",
        'check this entry for a missing or extra `}`, `,` or `"`; the rest of the file was read',
    )


def split_text(text: str, file: str, first_line: int = 0) -> ParsedFile:
    """Split BibTeX text into raw entries and macros, with located problems.

    ``first_line`` is the number of lines of the file before ``text`` (when it is a tail
    of the file, see :mod:`cvbuild.bib.halves`): every line number counts on from there.
    """
    parsed = ParsedFile(file)
    with _quiet_library():
        library = Splitter(text).split()
    for block in library.blocks:
        if isinstance(block, Entry):
            parsed.entries.append(_raw_entry(block, file, parsed.problems, first_line))
        elif isinstance(block, String):
            parsed.strings.append(
                RawString(
                    block.key.strip().lower(),
                    block.value,
                    Location(file, _line(block.start_line, first_line)),
                )
            )
        elif isinstance(block, DuplicateBlockKeyBlock):
            dup = block.ignore_error_block
            if isinstance(dup, String):
                # A macro defined again: the later definition wins, as in BibTeX.
                parsed.problems.append(
                    warning(
                        Location(file, _line(block.start_line, first_line)),
                        f"@string '{dup.key}' is defined twice; this later definition is used",
                        "delete one of the two definitions",
                    )
                )
                parsed.strings.append(
                    RawString(
                        dup.key.strip().lower(),
                        dup.value,
                        Location(file, _line(block.start_line, first_line)),
                    )
                )
            elif isinstance(dup, Entry):
                # Keep it: ``load_publications`` reports duplicates across all files at once.
                parsed.entries.append(_raw_entry(dup, file, parsed.problems, first_line))
        elif isinstance(block, ParsingFailedBlock):
            inner = block.ignore_error_block
            if isinstance(inner, Entry):  # duplicate field keys: the entry itself is fine
                parsed.entries.append(_raw_entry(inner, file, parsed.problems, first_line))
            else:
                parsed.problems.append(_failed_block_problem(block, file, first_line))
                parsed.failed_blocks += 1
    return parsed


def parse_file(path: Path) -> ParsedFile:
    """Read, clean and split one BibTeX file. Never raises for a user's mistake."""
    text, problems = read_text(path)
    if text is None:
        return ParsedFile(str(path), problems=problems)
    parsed = split_text(clean_text(text), str(path))
    parsed.problems[:0] = problems
    return parsed
