"""One resolved entry → a ``Publication``: decode fields, split names, read the dates,
category, ``selected`` flag, legend note and name annotations. Problems are appended to
the caller's list, each located at the field it is about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from cvbuild.bib.annotations import apply_name_annotations, parse_name_annotations
from cvbuild.bib.categories import category_from_field, derive_category
from cvbuild.bib.dates import parse_date, parse_month, parse_year
from cvbuild.bib.decode import (
    MAX_NESTING,
    decode_latex_checked,
    decode_verbatim,
    may_nest_too_deep,
)
from cvbuild.bib.inherit import Resolved
from cvbuild.bib.model import Name, Publication
from cvbuild.bib.names import comma_list, parse_names
from cvbuild.bib.notes import is_legend_note
from cvbuild.errors import Location, Problem, warning

__all__ = ["NAME_FIELDS", "VERBATIM_FIELDS", "build_publication", "decode_fields"]

# Kept as written (macros expanded): ``parse_names`` splits them on their braces and
# decodes each name part itself; marks (``*``, ``$^*$``, ``<sup>*</sup>`` …) stay in.
NAME_FIELDS: frozenset[str] = frozenset({"author", "editor"})

# Identifiers and addresses: only braces and ``\_``-style escapes are removed.
VERBATIM_FIELDS: frozenset[str] = frozenset(
    {
        "url", "doi", "eprint", "arxiv", "pdf", "html", "code", "website", "video", "poster",
        "slides", "blog", "supp", "preview", "file", "adsurl", "biorxiv", "github", "project",
        "demo", "dataset", "data", "hal", "pmid", "pmcid", "isbn", "issn", "urldate",
        "google_scholar_id", "inspirehep_id", "altmetric", "dimensions", "crossref", "ids",
        "openreview", "semantic_scholar", "zenodo", "ssrn", "primaryclass",
    }
)  # fmt: skip
_URL_VALUE = re.compile(r"\s*\{?\s*(?:https?|ftp)://\S*\s*$")
_TRUE = frozenset({"true", "yes", "y", "1", "on", "x"})


def decode_fields(fields: Mapping[str, str], too_deep: list[str] | None = None) -> dict[str, str]:
    """Every field decoded to Unicode; names and ``+an`` annotations kept as written.

    The names of fields that nest deeper than the decoder reads (and were flattened
    instead) are appended to ``too_deep``; author and editor lists are checked too.
    """
    out: dict[str, str] = {}
    for name, value in fields.items():
        if name in NAME_FIELDS or "+" in name:
            out[name] = " ".join(value.split())
            if (
                name in NAME_FIELDS
                and too_deep is not None
                and _MARKUP.search(value)
                and may_nest_too_deep(value)  # else a full read could never find it deep
                and decode_latex_checked(value)[1]
            ):
                too_deep.append(name)
        elif name in VERBATIM_FIELDS or _URL_VALUE.match(value):
            out[name] = decode_verbatim(value)
        else:
            out[name], deep = decode_latex_checked(value)
            if deep and too_deep is not None:
                too_deep.append(name)
    return out


_MARKUP = re.compile(r"[\\{$<]")


def _names(
    entry: Resolved, field: str, located: Callable[[str], Location], problems: list[Problem]
) -> tuple[list[Name], bool]:
    """The split names of ``field``; problems located by ``located(field name)``, which
    is called only when there is one to report."""
    raw = entry.fields.get(field, "")
    if not raw.strip():
        return [], False
    names, et_al = parse_names(raw)
    if comma_list(raw):
        people = "; ".join(n.display for n in names)
        count = sum(1 for n in names if not n.elision)
        problems.append(
            warning(
                located(field),
                f"entry '{entry.key}': the {field} list separates names with commas, not 'and'; "
                f"read as {count} people: {people}",
                "write 'and' between names (BibTeX reads a comma as 'Last, First'); "
                "put braces around a name that really has commas",
            )
        )
    annotation = entry.fields.get(f"{field}+an", "")
    if annotation.strip():
        marks, bad = parse_name_annotations(annotation)
        names, missing = apply_name_annotations(names, marks)
        at = located(f"{field}+an")
        for item in bad:
            problems.append(
                warning(
                    at,
                    f"entry '{entry.key}': cannot read '{item}' in {field}+an",
                    "write items as POSITION=ANNOTATION, e.g. {1=equal; 2=corresponding}",
                )
            )
        for position in missing:
            problems.append(
                warning(
                    at,
                    f"entry '{entry.key}': {field}+an names {field} {position}, "
                    f"but there are only {len(names)}",
                    "count authors from 1",
                )
            )
    return names, et_al


def build_publication(
    entry: Resolved, location: Location, order: int, problems: list[Problem]
) -> Publication:
    """The ``Publication`` for one entry whose macros and crossrefs are resolved."""

    def at(field: str) -> Location:
        return Location(location.file, entry.lines.get(field, location.line))

    too_deep: list[str] = []
    fields = decode_fields(entry.fields, too_deep)
    for name in too_deep:
        problems.append(
            warning(
                at(name),
                f"entry '{entry.key}', field '{name}': braces, commands or math nest more than "
                f"{MAX_NESTING} levels deep; its LaTeX was removed and the text kept as it stands",
                "remove the extra braces or commands",
            )
        )
    authors, et_al = _names(entry, "author", at, problems)
    editors, editors_et_al = _names(entry, "editor", at, problems)

    year, year_label = parse_year(fields.get("year", ""))
    month: int | None = None
    month_text = fields.get("month", "").strip()
    if month_text:
        month = parse_month(month_text)
        if month is None:
            problems.append(
                warning(
                    at("month"),
                    f"entry '{entry.key}': month '{month_text}' is not a month; it is ignored",
                    "write month = jan … dec, a month name, or a number 1–12",
                )
            )
    if "date" in fields and (year is None or month is None):
        date_year, date_month = parse_date(fields["date"])
        if year is None and year_label is None:
            year = date_year
        if month is None and date_year is not None and date_year == year:
            month = date_month

    category = None
    for field in ("category", "pubtype"):
        if field in fields:
            category = category_from_field(fields[field])
            if category is None:
                problems.append(
                    warning(
                        at(field),
                        f"entry '{entry.key}': unknown {field} '{fields[field]}'; "
                        "the category is taken from the entry type instead",
                        "use one of journal, conference, workshop, preprint, book, thesis, "
                        "patent, other",
                    )
                )
            break
    if category is None:
        category = derive_category(entry.entry_type, fields)

    return Publication(
        key=entry.key,
        entry_type=entry.entry_type,
        fields=fields,
        authors=authors,
        editors=editors,
        et_al=et_al if authors else editors_et_al,
        year=year,
        year_label=year_label,
        month=month,
        category=category,
        selected=fields.get("selected", "").strip().lower() in _TRUE,
        legend_note=is_legend_note(fields.get("note", "")),
        location=location,
        order=order,
    )
