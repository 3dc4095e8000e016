"""Read and check a preset file (shipped or the user's own), with located problems."""

from __future__ import annotations

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
        Key("pack", ListOf(Choice(PACK_PARTS), "parts"), doc="What `cvbuild export` writes."),
        Key("pack_note", Text(), doc="A line put first in the pack's PDF and DOCX."),
    ),
    "A funder's CV rules as data.",
)


def shipped() -> list[str]:
    """The names of the presets cvbuild ships, sorted."""
    folder = resources.files("cvbuild.config.presets")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


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
    if name_or_path in shipped():
        ref = resources.files("cvbuild.config.presets") / f"{name_or_path}.yaml"
        return preset_from_text(ref.read_text(encoding="utf-8"), f"preset {name_or_path}")
    looks_like_path = name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path
    if not looks_like_path:
        from cvbuild.config.types import suggest

        guess = suggest(name_or_path, shipped())
        hint = f"did you mean '{guess}'?" if guess else "presets: " + ", ".join(shipped())
        raise InputError([error(where, f"no preset named '{name_or_path}'", hint)])
    path = base / name_or_path
    try:
        if path.stat().st_size > MAX_PRESET_BYTES:
            raise InputError(
                [error(where, f"preset file {name_or_path} is larger than 256 KB", "")]
            )
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            [error(where, f"cannot read preset file {name_or_path}: {exc.strerror}", "")]
        ) from None
    except UnicodeDecodeError:
        raise InputError([error(where, f"preset file {name_or_path} is not UTF-8", "")]) from None
    return preset_from_text(text, name_or_path)
