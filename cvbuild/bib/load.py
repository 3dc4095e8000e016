"""Load BibTeX files: the steps of the ``bib`` stage in order (see the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cvbuild import forking as fork
from cvbuild.bib import halves as two_cores
from cvbuild.bib.build import build_publication
from cvbuild.bib.halves import build_publications, cut_point, split_blocks
from cvbuild.bib.inherit import Resolved, resolve_crossrefs
from cvbuild.bib.limits import field_limit
from cvbuild.bib.macros import MAX_TOTAL, MAX_VALUE, ValueTooLarge, build_macros, resolve
from cvbuild.bib.model import Publication
from cvbuild.bib.parse import RawEntry, clean_text, read_text, split_text
from cvbuild.errors import Location, Problem, warning

__all__ = ["BibText", "load_publications"]


@dataclass(frozen=True)
class BibText:
    """BibTeX held in memory (a fetched answer), with the name that stands for its file in
    every problem and ``Publication.location`` (``"dblp 95/7448-1"``, a URL, ...)."""

    text: str
    name: str


def _read(source: Path | BibText) -> tuple[str | None, str, list[Problem]]:
    """The cleaned text of a source (None when it cannot be read), its name, and the
    problems reading it found."""
    if isinstance(source, BibText):
        return clean_text(source.text.removeprefix("\ufeff")), source.name, []
    path = Path(source)
    text, problems = read_text(path)
    return (clean_text(text) if text is not None else None), str(path), problems


def _resolve_entry(
    entry: RawEntry, macros: dict[str, str], problems: list[Problem]
) -> Resolved | None:
    """The entry's fields with macros expanded, or None (and a warning) when one of them
    is too large: see :mod:`cvbuild.bib.limits` and :mod:`cvbuild.bib.macros`."""
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    for name, raw in entry.fields.items():

        def undefined(macro: str, name: str = name, line: int = raw.line) -> None:
            problems.append(
                warning(
                    Location(entry.location.file, line),
                    f"entry '{entry.key}', field '{name}': '{macro}' is not a defined @string "
                    f"macro; kept as the text '{macro}'",
                    f"put text in braces ({name} = {{{macro}}}) or define "
                    f"@string{{{macro} = {{...}}}}",
                )
            )

        try:
            fields[name] = resolve(raw.value, macros, undefined, limit=field_limit(name))
        except ValueTooLarge as exc:
            problems.append(_too_large(entry, name, raw.line, exc))
            return None
        lines[name] = raw.line
    return Resolved(entry.key, entry.entry_type, fields, lines)


def _too_large(entry: RawEntry, field: str, line: int, exc: ValueTooLarge) -> Problem:
    where = Location(entry.location.file, line)
    if exc.macro and exc.limit == MAX_VALUE:
        what = f"uses @string '{exc.macro}', which expands past {exc.limit:,} characters"
    elif exc.macro and exc.limit == MAX_TOTAL:
        what = (
            f"uses @string '{exc.macro}' once too often: macros have added {MAX_TOTAL:,} "
            "characters to these files already"
        )
    elif exc.macro:
        what = (
            f"would be {exc.size:,} characters long through @string '{exc.macro}', over "
            f"the limit of {exc.limit:,}"
        )
    else:
        what = f"is {exc.size:,} characters long, over the limit of {exc.limit:,}"
    return warning(
        where,
        f"entry '{entry.key}', field '{field}' {what}; this entry is skipped",
        "shorten the field, or write the macro's text out",
    )


@dataclass
class _Entries:
    """What reading entries gathers: the resolved entries in order, their problems, and
    the keys seen (for duplicates and crossrefs). One per load, or per half of a file."""

    first_at: dict[str, Location]
    problems: list[Problem] = field(default_factory=list)
    resolved: list[tuple[Resolved, Location]] = field(default_factory=list)
    by_key: dict[str, Resolved] = field(default_factory=dict)

    def take(self, entries: Sequence[RawEntry], macros: dict[str, str]) -> None:
        """Each entry checked for its key, its macros expanded, in order."""
        for entry in entries:
            folded = entry.key.lower()
            if not entry.key:
                self.problems.append(
                    warning(
                        entry.location,
                        f"@{entry.entry_type} entry has no key",
                        "write a key after the brace: @article{smith2024, …}",
                    )
                )
            elif folded in self.first_at:
                self.problems.append(
                    warning(
                        entry.location,
                        f"entry key '{entry.key}' is used again (first at "
                        f"{self.first_at[folded]}); this entry is skipped",
                        "give one of the two another key, or delete the copy",
                    )
                )
                continue
            else:
                self.first_at[folded] = entry.location
            item = _resolve_entry(entry, macros, self.problems)
            if item is None:
                continue
            self.resolved.append((item, entry.location))
            if entry.key:
                self.by_key[folded] = item


@dataclass
class _Half:
    """One half of a large file, read, resolved and built by one process."""

    problems: list[Problem]  # what reading its blocks found
    failed_blocks: int
    keys: set[str]  # its entries' keys, lower case
    entries: _Entries
    # Each resolved entry's Publication (``order`` still to be set) and its problems.
    built: list[tuple[Publication, list[Problem]]]


def _read_half(text: str, name: str, first_line: int, first_at: dict[str, Location]) -> _Half:
    parsed = split_text(text, name, first_line)
    entries = _Entries(dict(first_at))
    entries.take(parsed.entries, {})
    built = []
    for item, location in entries.resolved:
        found: list[Problem] = []
        built.append((build_publication(item, location, 0, found), found))
    keys = {entry.key.lower() for entry in parsed.entries}
    return _Half(parsed.problems, parsed.failed_blocks, keys, entries, built)


# A file that names a macro or a crossref takes the other paths: its halves depend on
# each other (a false alarm in a title only costs the speed).
_LINKED = re.compile(r"@\s*string|crossref", re.IGNORECASE)


def _halves(
    text: str, name: str, first_at: dict[str, Location], macros: dict[str, str]
) -> tuple[_Half, _Half] | None:
    """A large file read, resolved and built in two halves on two cores, or None where the
    halves could depend on each other or a fork is not possible.

    Used only when the halves cannot differ from one pass over the whole: no ``@string``
    in this file or before it, no ``crossref`` in it, no block either half failed to read
    (the splitter's recovery could differ at the cut), no key in both halves (the macro
    names :func:`~cvbuild.bib.halves.keys_meet` also compares: there are none here)."""
    if macros or text.count("\n@") < two_cores.PARALLEL_ENTRIES or _LINKED.search(text):
        return None
    cut = cut_point(text)
    if cut is None:
        return None
    before = text.count("\n", 0, cut)
    tail_text = text[cut:]
    child = fork.start(lambda: _read_half(tail_text, name, before, first_at))
    if child is None:
        return None
    try:
        head = _read_half(text[:cut], name, 0, first_at)
    except BaseException:
        child.cancel()
        raise
    tail = child.result()
    if tail is None or head.failed_blocks or tail.failed_blocks or head.keys & tail.keys:
        return None
    return head, tail


def load_publications(
    paths: Sequence[Path | BibText], *, start_order: int = 0
) -> tuple[list[Publication], list[Problem]]:
    """Every entry of the given BibTeX files (paths, or ``BibText`` in memory) as a
    ``Publication``, in file order.

    ``order`` counts on from ``start_order`` across all files. Author and editor fields
    in ``Publication.fields`` are kept as written (macros expanded); the split names are in
    ``authors``/``editors``. Never raises for a user's mistake: see the returned problems.
    """
    macros: dict[str, str] = {}
    seen = _Entries({})
    problems = seen.problems
    # Entries a half built already: id of the Resolved -> its Publication and problems.
    prebuilt: dict[int, tuple[Publication, list[Problem]]] = {}

    for path in paths:
        text, name, read_problems = _read(path)
        if text is None:
            problems.extend(read_problems)
            continue
        both = _halves(text, name, seen.first_at, macros)
        if both is not None:
            problems.extend(read_problems)
            for half in both:
                problems.extend(half.problems)
            for half in both:
                problems.extend(half.entries.problems)
                seen.first_at.update(half.entries.first_at)
                seen.by_key.update(half.entries.by_key)
                for (item, location), done in zip(half.entries.resolved, half.built, strict=True):
                    seen.resolved.append((item, location))
                    prebuilt[id(item)] = done
            continue
        parsed = split_blocks(text, name)
        problems.extend(read_problems)
        problems.extend(parsed.problems)
        macros = build_macros(parsed.strings, problems, macros)
        seen.take(parsed.entries, macros)

    resolved = seen.resolved
    locations = {id(item): location for item, location in resolved}

    def missing(item: Resolved, target: str) -> None:
        problems.append(
            warning(
                Location(locations[id(item)].file, item.lines.get("crossref", 0)),
                f"entry '{item.key}': crossref '{target}' is not an entry in the loaded files",
                "check the key, or add the referenced entry to the same .bib files",
            )
        )

    def cycle(item: Resolved) -> None:
        problems.append(
            warning(
                Location(locations[id(item)].file, item.lines.get("crossref", 0)),
                f"entry '{item.key}': crossref leads back to itself",
                "remove the crossref that closes the loop",
            )
        )

    resolve_crossrefs(seen.by_key, missing, cycle)
    if not prebuilt:
        return build_publications(resolved, start_order, problems), problems
    publications: list[Publication] = []
    for index, (item, location) in enumerate(resolved):
        ready = prebuilt.get(id(item))
        if ready is None:
            publications.append(build_publication(item, location, start_order + index, problems))
            continue
        publication, found = ready
        publication.order = start_order + index
        problems.extend(found)
        publications.append(publication)
    return publications, problems
