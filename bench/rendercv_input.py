"""The benchmark's synthetic CV as RenderCV 2.x input, and an offline stand-in for the Typst
icon package RenderCV's themes import.

The conversion reads the same ``papers.bib`` that ``synth.write_cv`` writes and turns every
entry into a RenderCV ``PublicationEntry`` (title, authors, date, journal, doi) in one
``Publications`` section, newest first as cvbuild orders them. RenderCV has no notion of "the
owner" among the authors: its users bold their own name by hand with Markdown ``**``, so the
conversion does the same for every spelling of the owner. LaTeX in the BibTeX (accents, ``\\&``,
braces, math) is turned into plain Unicode text, which is what a RenderCV user types.

RenderCV's templates start with ``#import "@preview/fontawesome:0.5.0": fa-icon``; Typst fetches
that package from the network on first use. ``install_icon_stand_in`` writes a minimal package
of the same name and version (an ``fa-icon`` that draws an empty box of the icon's size) into a
Typst package cache folder; ``typst_environment`` points Typst at it through ``XDG_CACHE_HOME``
(typst-py, which RenderCV calls without a package path, takes its cache folder from there).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

ICON_PACKAGE = ("preview", "fontawesome", "0.5.0")

# BibTeX field holding the venue, per entry type (what synth.py writes).
VENUE_FIELDS = ("journal", "booktitle", "school", "publisher", "howpublished", "institution")
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}  # fmt: skip

_ACCENTS = {"'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303",
            "c": "\u0327", "v": "\u030c"}  # fmt: skip
_ACCENT = re.compile(r"\{?\\([\'`\"^~]|[cv] )\s*\{?\\?([A-Za-z])\}?\}?")


def plain_text(latex: str) -> str:
    """The text a reader sees in a (simple) BibTeX value: accents as Unicode, no braces, no
    ``\\textsuperscript``, math without its markup."""
    import unicodedata

    text = _ACCENT.sub(
        lambda m: unicodedata.normalize(
            "NFC", ("i" if m.group(2) == "i" else m.group(2)) + _ACCENTS[m.group(1).strip()]
        ),
        latex,
    )
    text = re.sub(r"\\textsuperscript\{([^}]*)\}", r"\1", text)
    text = re.sub(r"\$([^$]*)\$", lambda m: re.sub(r"\\[A-Za-z]+", "", m.group(1)), text)
    text = text.replace("\\&", "&").replace("{", "").replace("}", "")
    return " ".join(text.split())


def display_name(author: str) -> str:
    """``Family, Given`` as ``Given Family``; equal-contribution stars dropped (RenderCV has no
    such mark, and a bare ``*`` is Markdown emphasis there)."""
    name = plain_text(author).replace("*", "")
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        name = f"{given} {family}"
    return " ".join(name.split())


def is_owner(author: str, family: str) -> bool:
    return family.lower() in plain_text(author).replace("*", "").lower().replace(",", " ").split()


def authors_for_rendercv(field: str, owner_family: str) -> list[str]:
    names = [a.strip() for a in re.split(r"\s+and\s+", field.strip()) if a.strip()]
    out: list[str] = []
    for author in names:
        if author == "others":
            out.append("et al.")
        elif is_owner(author, owner_family):
            out.append(f"**{display_name(author)}**")
        else:
            out.append(display_name(author))
    return out


def entry_date(fields: Mapping[str, str]) -> str:
    year = plain_text(fields.get("year", ""))
    if not year.isdigit():
        return year or "n.d."
    month = MONTHS.get(fields.get("month", "").strip().lower()[:3])
    return f"{year}-{month:02d}" if month else year


def publication(fields: Mapping[str, str], owner_family: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "title": plain_text(fields.get("title", "")),
        "authors": authors_for_rendercv(fields.get("author", ""), owner_family),
        "date": entry_date(fields),
    }
    venue = next((fields[f] for f in VENUE_FIELDS if fields.get(f)), None)
    if venue:
        entry["journal"] = plain_text(venue)
    doi = fields.get("doi", "").strip()
    if doi.startswith("10."):
        entry["doi"] = doi
    return entry


def _field_values(entries: Iterable[Any]) -> list[dict[str, str]]:
    return [{name.lower(): str(f.value) for name, f in e.fields_dict.items()} for e in entries]


def cv_dict(bib: Path, name: str, email: str | None = None) -> dict[str, Any]:
    """RenderCV's input as a Python mapping: ``cv`` with the person and one section."""
    import bibtexparser

    owner_family = name.split()[-1]
    entries = _field_values(bibtexparser.parse_file(str(bib)).entries)  # type: ignore[attr-defined]
    papers = [publication(fields, owner_family) for fields in entries]
    papers.sort(key=lambda p: str(p["date"]) if str(p["date"])[:1].isdigit() else "9999",
                reverse=True)  # fmt: skip
    cv: dict[str, Any] = {"name": name}
    if email:
        cv["email"] = email
    cv["sections"] = {"Publications": papers}
    return {"cv": cv}


def write_rendercv_yaml(bib: Path, out: Path, name: str, email: str | None = None) -> Path:
    out.write_text(
        yaml.safe_dump(cv_dict(bib, name, email), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return out


# ------------------------------------------------------------------- the icon stand-in

_MANIFEST = """[package]
name = "{name}"
version = "{version}"
entrypoint = "lib.typ"
authors = ["cvbuild benchmark"]
license = "MIT"
description = "Offline stand-in: fa-icon draws an empty box of the icon's size."
"""

_LIB = """// Offline stand-in for the icon package RenderCV imports (no network in the benchmark).
#let fa-icon(name, size: 1em, ..args) = box(width: size, height: size)
"""


def install_icon_stand_in(cache_home: Path) -> Path:
    """Write the stand-in package under ``cache_home/typst/packages`` (Typst's package cache
    layout: namespace/name/version) and return its folder."""
    namespace, name, version = ICON_PACKAGE
    folder = cache_home / "typst" / "packages" / namespace / name / version
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "typst.toml").write_text(
        _MANIFEST.format(name=name, version=version), encoding="utf-8"
    )
    (folder / "lib.typ").write_text(_LIB, encoding="utf-8")
    return folder


def typst_environment(cache_home: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a ``rendercv render`` child that finds the stand-in offline."""
    env = dict(os.environ if base is None else base)
    env["XDG_CACHE_HOME"] = str(cache_home)
    env["TYPST_PACKAGE_CACHE_PATH"] = str(cache_home / "typst" / "packages")  # typst CLI
    return env
