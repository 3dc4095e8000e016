"""Load BibTeX files: the steps of the ``bib`` stage in order (see the package docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cvbuild.bib.halves import build_publications, split_blocks
from cvbuild.bib.inherit import Resolved, resolve_crossrefs
from cvbuild.bib.limits import field_limit
from cvbuild.bib.macros import MAX_TOTAL, MAX_VALUE, ValueTooLarge, build_macros, resolve
from cvbuild.bib.model import Publication
from cvbuild.bib.parse import ParsedFile, RawEntry, clean_text, read_text
from cvbuild.errors import Location, Problem, warning

__all__ = ["BibText", "load_publications"]


@dataclass(frozen=True)
class BibText:
    """BibTeX held in memory (a fetched answer), with the name that stands for its file in
    every problem and ``Publication.location`` (``"dblp 95/7448-1"``, a URL, ...)."""

    text: str
    name: str


def _parse(source: Path | BibText) -> ParsedFile:
    if isinstance(source, BibText):
        return split_blocks(clean_text(source.text.removeprefix("\ufeff")), source.name)
    # As :func:`cvbuild.bib.parse.parse_file`, a large file split on two cores.
    path = Path(source)
    text, problems = read_text(path)
    if text is None:
        return ParsedFile(str(path), problems=problems)
    parsed = split_blocks(clean_text(text), str(path))
    parsed.problems[:0] = problems
    return parsed


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


def load_publications(
    paths: Sequence[Path | BibText], *, start_order: int = 0
) -> tuple[list[Publication], list[Problem]]:
    """Every entry of the given BibTeX files (paths, or ``BibText`` in memory) as a
    ``Publication``, in file order.

    ``order`` counts on from ``start_order`` across all files. Author and editor fields
    in ``Publication.fields`` are kept as written (macros expanded); the split names are in
    ``authors``/``editors``. Never raises for a user's mistake: see the returned problems.
    """
    problems: list[Problem] = []
    macros: dict[str, str] = {}
    resolved: list[tuple[Resolved, Location]] = []
    by_key: dict[str, Resolved] = {}
    first_at: dict[str, Location] = {}

    for path in paths:
        parsed = _parse(path)
        problems.extend(parsed.problems)
        macros = build_macros(parsed.strings, problems, macros)
        for entry in parsed.entries:
            folded = entry.key.lower()
            if not entry.key:
                problems.append(
                    warning(
                        entry.location,
                        f"@{entry.entry_type} entry has no key",
                        "write a key after the brace: @article{smith2024, …}",
                    )
                )
            elif folded in first_at:
                problems.append(
                    warning(
                        entry.location,
                        f"entry key '{entry.key}' is used again (first at {first_at[folded]}); "
                        "this entry is skipped",
                        "give one of the two another key, or delete the copy",
                    )
                )
                continue
            else:
                first_at[folded] = entry.location
            item = _resolve_entry(entry, macros, problems)
            if item is None:
                continue
            resolved.append((item, entry.location))
            if entry.key:
                by_key[folded] = item

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

    resolve_crossrefs(by_key, missing, cycle)

    return build_publications(resolved, start_order, problems), problems
