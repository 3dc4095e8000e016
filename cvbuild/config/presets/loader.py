"""Read and check a preset file (shipped or the user's own), with located problems."""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import Any

from cvbuild.bib.model import CATEGORIES
from cvbuild.config.presets.model import PACK_PARTS, OutputCategory, Preset, PresetSection
from cvbuild.config.types import (
    Choice,
    Ctx,
    Flag,
    Integer,
    Key,
    ListOf,
    Mapping,
    Record,
    Table,
    Text,
    check_table,
)
from cvbuild.config.yamlpos import YMap, parse_yaml
from cvbuild.errors import InputError, Location, error

MAX_PRESET_BYTES = 256 * 1024
CITATION_MODES = ("list", "inline")  # as cvbuild.format.citations reads them
ID_FIELDS = ("pmid", "pmcid")  # entry fields a preset may show after each work
_STRINGS = ListOf(Text(), "strings")

_LABELS = Key("label", Text(), True, "The heading: a text or {en: ..., de: ...}.")
SECTION = Table(
    "a preset section",
    (
        Key("id", Text(), True, "A short name for the module."),
        _LABELS,
        Key("match", _STRINGS, True, "The cv.yaml section titles this module shows."),
        Key("max_chars", Integer(1), doc="At most N characters of text."),
        Key("max_words", Integer(1), doc="At most N words of text."),
        Key("limit_name", Text(), doc="Who sets the limit, for messages."),
        Key("max_items", Integer(1), doc="At most N entries, items or paragraphs."),
        Key("item_chars", Integer(1), doc="At most N characters in each of them."),
        Key("cites", Flag(), doc="false: the text may not cite by key ([@key])."),
    ),
)
CATEGORY = Table(
    "an output category",
    (
        Key("id", Text(), True, "A, B, ..."),
        _LABELS,
        Key("max", Integer(1), True, "At most N outputs in this category."),
        Key("from", ListOf(Choice(CATEGORIES), "categories"), True, "Entry categories."),
    ),
)
OUTPUTS = Table(
    "outputs",
    (
        Key("max", Integer(1), doc="At most N outputs chosen."),
        Key("label", Text(), doc="Who sets the limit, for messages ('ERC')."),
        Key("categories", ListOf(Mapping(CATEGORY), "categories"), doc="DFG-style categories."),
    ),
)
_TEMPLATE_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*"
TEMPLATES = Table(
    "templates",
    (
        Key("latex", Text(), doc="A .tex template in templates/latex (yours first)."),
        Key("markdown", Text(), doc="A .j2 template in templates/markdown, for the .md."),
        Key("pandoc", Text(), doc="A .j2 template in templates/markdown, for the DOCX."),
    ),
)
PRESET = Table(
    "a preset",
    (
        Key("name", Text(), True, "The preset's name."),
        Key("title", Text(), True, "What it is, in words."),
        Key("source", Text(), True, "Where the rules come from."),
        Key("read_on", Text(), True, "The date the rules were read (YYYY-MM-DD)."),
        Key("locales", _STRINGS, doc="Languages it has labels for; first is the default."),
        Key("max_pages", Integer(1), doc="At most N pages."),
        Key("may_drop", Flag(), doc="false: a page overflow is an error."),
        Key("metrics", Flag(), doc="true: citation counts allowed."),
        Key("author_limit", Integer(0), doc="0 = full author lists."),
        Key("max_words", Integer(1), doc="Words over all text sections."),
        Key("requires", ListOf(Choice(("orcid",)), "strings"), doc="orcid."),
        Key("sections", ListOf(Mapping(SECTION), "sections", min_items=1), True, "In order."),
        Key("outputs", Mapping(OUTPUTS), doc="Output limits."),
        Key(
            "citations",
            Choice(CITATION_MODES),
            doc="How a text section's [@key] reads: list (numbers, the works after the "
            "text; the default) or inline (the works in the text).",
        ),
        Key("ids", ListOf(Choice(tuple(ID_FIELDS)), "strings"), doc="pmid, pmcid: shown."),
        Key("templates", Mapping(TEMPLATES), doc="The preset's own main templates."),
        Key("pack", ListOf(Choice(PACK_PARTS), "parts"), doc="What `cvbuild export` writes."),
        Key("pack_note", Text(), doc="A line put first in the pack's PDF and DOCX."),
    ),
    "A funder's CV rules as data.",
)


@functools.lru_cache(maxsize=1)
def _shipped() -> tuple[str, ...]:
    folder = resources.files("cvbuild.config.presets")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))


def shipped() -> list[str]:
    """The names of the presets cvbuild ships, sorted (read once per process)."""
    return list(_shipped())


@functools.lru_cache(maxsize=16)
def _shipped_preset(name: str) -> Preset:
    ref = resources.files("cvbuild.config.presets") / f"{name}.yaml"
    return preset_from_text(ref.read_text(encoding="utf-8"), f"preset {name}")


# A user's preset file read once per (path, size, mtime): every variant naming it, and
# every build of a watch or serve session, share it until the file changes.
_FILES: dict[tuple[str, int, int], Preset] = {}
_MAX_FILES = 32


def _labels(value: Any) -> tuple[tuple[str, str], ...]:
    texts = getattr(value, "texts", None)
    if texts:
        return tuple(texts)
    return (("en", str(value)),)


def _section(rec: Record) -> PresetSection:
    return PresetSection(
        id=rec.get("id", ""),
        labels=_labels(rec.get("label", "")),
        match=tuple(rec.get("match", ())),
        max_chars=rec.get("max_chars", 0),
        max_words=rec.get("max_words", 0),
        limit_name=rec.get("limit_name", ""),
        max_items=rec.get("max_items", 0),
        item_chars=rec.get("item_chars", 0),
        cites=rec.get("cites", True),
    )


def preset_from_text(text: str, name: str) -> Preset:
    """Check a preset file's text; ``InputError`` with every located problem."""
    root, problems = parse_yaml(text, name)
    ctx = Ctx(base=Path("."), problems=list(problems))
    if not isinstance(root, YMap):
        raise InputError(
            [error(Location(name, 1, 1), "a preset must be a mapping", "start with 'name:'")]
        )
    top = check_table(root, PRESET, ctx)
    read_on = top.get("read_on", "")
    if read_on and not _is_iso_date(str(read_on)):
        ctx.error(top.loc("read_on"), f"'read_on': {read_on} is not a date", "write YYYY-MM-DD")
    templates: Record | None = top.get("templates")
    chosen: list[tuple[str, str]] = []
    for kind, ending in (("latex", ".tex"), ("markdown", ".j2"), ("pandoc", ".j2")):
        value = str(templates.get(kind, "")) if templates else ""
        if not value:
            continue
        if not re.fullmatch(_TEMPLATE_NAME + re.escape(ending), value):
            ctx.error(
                templates.loc(kind) if templates else Location(name),
                f"'templates.{kind}': {value} is not a template file name",
                f"a file name ending in {ending}, without folders (it is looked up in "
                f"templates/{'latex' if kind == 'latex' else 'markdown'})",
            )
        chosen.append((kind, value))
    errors = [p for p in ctx.problems if not p.is_warning]
    if errors:
        raise InputError(errors)
    outputs: Record | None = top.get("outputs")
    cats = tuple(
        OutputCategory(c.get("id"), _labels(c.get("label")), c.get("max"), tuple(c.get("from")))
        for c in (outputs.get("categories", ()) if outputs else ())
    )
    return Preset(
        name=top.get("name"),
        title=top.get("title"),
        source=" ".join(str(top.get("source")).split()),
        read_on=str(read_on),
        locales=tuple(top.get("locales", ("en",))),
        sections=tuple(_section(s) for s in top.get("sections", ())),
        max_pages=top.get("max_pages"),
        may_drop=top.get("may_drop", True),
        metrics=top.get("metrics", False),
        author_limit=top.get("author_limit", 0),
        max_outputs=outputs.get("max", 0) if outputs else 0,
        outputs_label=outputs.get("label", "") if outputs else "",
        categories=cats,
        max_words=top.get("max_words", 0),
        requires=tuple(top.get("requires", ())),
        path=name,
        citations=top.get("citations", "list"),
        ids=tuple(top.get("ids", ())),
        templates=tuple(chosen),
        pack=tuple(dict.fromkeys(top.get("pack", ()))),
        pack_note=" ".join(str(top.get("pack_note", "")).split()),
    )


def _is_iso_date(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def load_preset(name_or_path: str, base: Path, where: Location) -> Preset:
    """A shipped preset by name, or a preset file (relative to ``base``)."""
    if name_or_path in _shipped():
        return _shipped_preset(name_or_path)
    looks_like_path = name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path
    if not looks_like_path:
        from cvbuild.config.types import suggest

        guess = suggest(name_or_path, shipped())
        hint = f"did you mean '{guess}'?" if guess else "presets: " + ", ".join(shipped())
        raise InputError([error(where, f"no preset named '{name_or_path}'", hint)])
    path = base / name_or_path
    try:
        info = path.stat()
        if info.st_size > MAX_PRESET_BYTES:
            raise InputError(
                [error(where, f"preset file {name_or_path} is larger than 256 KB", "")]
            )
        stamp = (str(path.resolve()), info.st_size, info.st_mtime_ns)
        if stamp in _FILES:
            return _FILES[stamp]
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            [error(where, f"cannot read preset file {name_or_path}: {exc.strerror}", "")]
        ) from None
    except UnicodeDecodeError:
        raise InputError([error(where, f"preset file {name_or_path} is not UTF-8", "")]) from None
    preset = preset_from_text(text, name_or_path)  # a bad file raises and is not kept
    if len(_FILES) >= _MAX_FILES:
        _FILES.clear()
    _FILES[stamp] = preset
    return preset
