"""Typed checks over a positioned YAML tree, and the JSON Schema of the same types.

Each value type knows two things: how to check a node (reporting located
problems and returning a Python value, or ``INVALID``) and how to describe
itself as a JSON Schema fragment. The key tables in ``cvbuild.config.reader`` are
built from these types, so the validator and ``cvbuild.config.schema`` cannot drift apart.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cvbuild.config.model import PartialDate
from cvbuild.config.yamlpos import YMap, YNode, YScalar, YSeq, describe
from cvbuild.errors import Location, Problem, error


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()  # a value that failed its check; a problem has been reported


@dataclass
class Ctx:
    """What checks need: the config folder (for relative paths) and the problem list."""

    base: Path
    problems: list[Problem] = field(default_factory=list)
    source: str = ""  # the text of the file being read, for what must be found in it

    def error(self, loc: Location, message: str, hint: str = "") -> None:
        self.problems.append(error(loc, message, hint))


# Words people write for what cvbuild names otherwise, each with the names it may
# mean, most likely first; a name counts only where it is allowed (``papers`` is
# ``publications`` in a section, ``include_keys`` in a variant). Meaning is
# checked before spelling: ``papers`` is not the paper size ``paper``.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "papers": ("publications", "include_keys"),
    "pubs": ("publications", "include_keys"),
    "publist": ("publications",),
    "references": ("publications", "bib"),
    "bibliography": ("bib", "publications"),
    "bibfile": ("bib",),
    "bibfiles": ("bib",),
    "bib_file": ("bib",),
    "bibtex": ("bib",),
    "company": ("organization",),
    "institution": ("organization",),
    "university": ("organization",),
    "employer": ("organization",),
    "school": ("organization",),
    "affiliation": ("organization",),
    "institute": ("organization",),
    "org": ("organization",),
    "from": ("start", "since"),
    "to": ("end", "until"),
    "begin": ("start", "since"),
    "start_date": ("start",),
    "end_date": ("end",),
    "finish": ("end", "until"),
    "after": ("since",),
    "before": ("until",),
    "year": ("date",),
    "when": ("date",),
    "city": ("location",),
    "address": ("location",),
    "place": ("location",),
    "homepage": ("website", "url"),
    "web": ("website", "url"),
    "site": ("website", "url"),
    "link": ("url",),
    "mail": ("email",),
    "e_mail": ("email",),
    "telephone": ("phone",),
    "tel": ("phone",),
    "mobile": ("phone",),
    "socials": ("profiles",),
    "social": ("profiles",),
    "accounts": ("profiles",),
    "description": ("summary", "text"),
    "details": ("summary", "text"),
    "abstract": ("summary", "text"),
    "bullets": ("highlights",),
    "points": ("highlights",),
    "heading": ("title",),
    "position": ("title",),
    "degree": ("title",),
    "selected": ("selected_only",),
    "only_selected": ("selected_only",),
    "featured": ("selected_only",),
    "max_authors": ("author_limit",),
    "authors": ("author_limit",),
    "et_al": ("author_limit",),
    "keys": ("include_keys",),
    "only_keys": ("include_keys",),
    "pick": ("include_keys",),
    "include": ("include_keys",),
    "exclude": ("exclude_keys",),
    "skip": ("exclude_keys",),
    "hide": ("exclude_keys",),
    "ignore": ("exclude_keys",),
    "count": ("limit",),
    "max": ("limit",),
    "top": ("limit",),
    "pages": ("max_pages",),
    "page_limit": ("max_pages",),
    "page_size": ("paper",),
    "papersize": ("paper",),
    "size": ("paper",),
    "look": ("theme",),
    "layout": ("theme",),
    "outdir": ("dir",),
    "output_dir": ("dir",),
    "folder": ("dir",),
    "sort": ("order",),
    "sort_by": ("order",),
    "grouping": ("group_by",),
    "category": ("types", "type"),
    "categories": ("types",),
    "kind": ("types",),
    # values
    "date": ("year",),
    "descending": ("newest",),
    "desc": ("newest",),
    "latest": ("newest",),
    "ascending": ("oldest",),
    "asc": ("oldest",),
    "chronological": ("oldest",),
    "word": ("docx",),
    "markdown": ("md",),
    "latex": ("tex",),
    "us": ("letter",),
    "usletter": ("letter",),
}


def synonym(word: str, choices: Sequence[str]) -> str | None:
    """The allowed name ``word`` is a known synonym of, if any (case-insensitive)."""
    lowered = {c.lower(): c for c in choices}
    norm = re.sub(r"[\s-]+", "_", word.strip().lower())
    for meant in SYNONYMS.get(norm, ()):
        if meant in lowered:
            return lowered[meant]
    return None


def suggest(word: str, choices: Sequence[str]) -> str | None:
    """The allowed word meant, for a 'did you mean' hint: same word in another case,
    then a known synonym, then the closest spelling."""
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return lowered[word.lower()]
    meant = synonym(word, choices)
    if meant is not None:
        return meant
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def is_null(node: YNode | None) -> bool:
    return node is None or (isinstance(node, YScalar) and node.tag == "null")


class Type:
    """A kind of value in cv.yaml."""

    expected = "a value"  # "a string", "a list of strings": what the reader should write

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def wrong(self, node: YNode, ctx: Ctx, key: str, hint: str = "") -> Any:
        ctx.error(node.loc, f"'{key}': expected {self.expected}, got {describe(node)}", hint)
        return INVALID


def _scalar_text(node: YNode) -> str | None:
    if isinstance(node, YScalar) and node.tag != "null":
        return node.raw
    return None


def is_language_map(node: YNode) -> bool:
    """``{en: ..., de: ...}``: a mapping whose every key is a language cvbuild ships."""
    from cvbuild.config.choices import canonical_locale

    return (
        isinstance(node, YMap)
        and bool(node.pairs)
        and all(canonical_locale(k.raw) is not None for k, _ in node.pairs)
    )


def local_text(node: YNode, ctx: Ctx, key: str, nonempty: bool = False) -> Any:
    """A ``LocalText`` from a language mapping; every value must be text."""
    from cvbuild.config.choices import canonical_locale
    from cvbuild.config.model import LocalText

    assert isinstance(node, YMap)
    texts: list[tuple[str, str]] = []
    ok = True
    for key_node, value_node in node.pairs:
        tag = canonical_locale(key_node.raw) or key_node.raw
        text = _scalar_text(value_node)
        if text is None or (nonempty and not text.strip()):
            ctx.error(
                value_node.loc,
                f"'{key}': the {tag} text must be a string",
                f"write '{key_node.raw}: <text>'",
            )
            ok = False
            continue
        if any(t == tag for t, _ in texts):
            ctx.error(key_node.loc, f"'{key}': {tag} is written twice", "keep one")
            ok = False
            continue
        texts.append((tag, text.strip()))
    return LocalText(tuple(texts), node.loc, key) if ok else INVALID


@dataclass
class Text(Type):
    """Any scalar, read as the text written (so ``no``, ``1.10`` and ``2015`` stay text)."""

    nonempty: bool = False
    expected: str = "a string"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if type(self) is Text and is_language_map(node):
            return local_text(node, ctx, key, self.nonempty)
        text = _scalar_text(node)
        if text is None:
            return self.wrong(node, ctx, key)
        text = text.strip()
        if self.nonempty and not text:
            ctx.error(node.loc, f"'{key}' must not be empty", f"write a value for '{key}'")
            return INVALID
        return text

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": ["string", "number", "boolean"]}
        if self.nonempty:
            out = {"anyOf": [{"type": "string", "minLength": 1}, {"type": ["number", "boolean"]}]}
        if type(self) is Text:  # or one text per language: {en: ..., de: ...}
            from cvbuild.config.choices import LOCALES

            by_language = {
                "type": "object",
                "propertyNames": {"enum": list(LOCALES)},
                "additionalProperties": {"type": "string"},
                "minProperties": 1,
            }
            out = {"anyOf": [*out.get("anyOf", [out]), by_language]}
        return out


@dataclass
class FilenamePattern(Text):
    """A file name pattern: text with the placeholders of ``cvbuild.filename``, nothing else."""

    nonempty: bool = True
    expected: str = "a file name pattern such as '{family}_{given}_CV'"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        from cvbuild.filename import PatternError, parse_pattern

        text = super().check(node, ctx, key)
        if text is INVALID or not isinstance(node, YScalar):
            return text
        raw = node.raw
        try:
            parse_pattern(raw)
        except PatternError as exc:
            loc = node.loc
            if "\n" not in raw and loc.line:
                loc = Location(loc.file, loc.line, loc.col + exc.offset + (1 if node.quoted else 0))
            ctx.error(loc, exc.message, exc.hint)
            return INVALID
        return text

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "maxLength": 200}


_URL_RE = re.compile(r"^(https?|mailto):\S+$", re.IGNORECASE)
_BARE_HOST_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)+(/\S*)?$")


@dataclass
class Url(Type):
    """A web address: http(s) (or mailto); a bare ``example.org/x`` gets ``https://``."""

    expected: str = "a web address (https://...)"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        text = _scalar_text(node)
        if text is None:
            return self.wrong(node, ctx, key)
        text = text.strip()
        if _URL_RE.match(text):
            return text
        if _BARE_HOST_RE.match(text):
            return "https://" + text
        ctx.error(
            node.loc,
            f"'{key}': '{_short(text)}' is not a web address",
            "write a full address starting with https://",
        )
        return INVALID

    def schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": r"^((https?|mailto):\S+|[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)+(/\S*)?)$",
        }


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Email(Type):
    expected: str = "an email address"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        text = _scalar_text(node)
        if text is None:
            return self.wrong(node, ctx, key)
        text = text.strip()
        if text.lower().startswith("mailto:"):
            text = text[7:]
        if not _EMAIL_RE.match(text):
            ctx.error(
                node.loc,
                f"'{key}': '{_short(text)}' is not an email address",
                "write it as name@example.org",
            )
            return INVALID
        return text

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^(mailto:)?[^@\s]+@[^@\s]+\.[^@\s]+$"}


@dataclass
class Flag(Type):
    expected: str = "true or false"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if isinstance(node, YScalar) and node.tag == "bool":
            return bool(node.value)
        return self.wrong(node, ctx, key, f"write '{key}: true' or '{key}: false'")

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass
class Integer(Type):
    minimum: int | None = None
    maximum: int | None = None
    expected: str = "a whole number"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if not (isinstance(node, YScalar) and node.tag == "int"):
            return self.wrong(node, ctx, key)
        value = int(node.value)  # type: ignore[call-overload]
        if self.minimum is not None and value < self.minimum:
            ctx.error(node.loc, f"'{key}' must be {self.minimum} or more, got {value}", "")
            return INVALID
        if self.maximum is not None and value > self.maximum:
            ctx.error(node.loc, f"'{key}' must be {self.maximum} or less, got {value}", "")
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out


@dataclass
class Choice(Type):
    choices: tuple[str, ...] = ()

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        text = _scalar_text(node)
        if text is None:
            return self.wrong(node, ctx, key)
        text = text.strip()
        if text in self.choices:
            return text
        guess = suggest(text, self.choices)
        hint = f"did you mean '{guess}'?" if guess else f"use one of: {', '.join(self.choices)}"
        ctx.error(node.loc, f"'{key}': '{_short(text)}' is not {self.expected}", hint)
        return INVALID

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}


@dataclass
class LocaleTag(Type):
    """A BCP 47 tag cvbuild ships a catalog for, in any case, ``-`` or ``_``: "pt_br" is
    "pt-BR"."""

    expected: str = "a language tag such as de, fr, pt-BR or zh-CN"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        from cvbuild.config.choices import LOCALES, canonical_locale

        text = _scalar_text(node)
        if text is None:
            return self.wrong(node, ctx, key)
        tag = canonical_locale(text)
        if tag is not None:
            return tag
        guess = suggest(text.strip(), LOCALES)
        hint = f"did you mean '{guess}'?" if guess else "cvbuild ships: " + ", ".join(LOCALES)
        ctx.error(
            node.loc, f"'{key}': '{_short(text.strip())}' is not a language cvbuild ships", hint
        )
        return INVALID

    def schema(self) -> dict[str, Any]:
        from cvbuild.config.choices import LOCALES

        return {"type": "string", "examples": list(LOCALES)}


@dataclass
class FlagOrChoice(Type):
    """``true``/``false`` or one of ``choices`` (``numbered: true | ascending``)."""

    choices: tuple[str, ...] = ()

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "true, false or one of " + ", ".join(self.choices)

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if isinstance(node, YScalar) and node.tag == "bool":
            return bool(node.value)
        return Choice(self.choices).check(node, ctx, key)

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "boolean"}, {"enum": list(self.choices)}]}


@dataclass
class TextMap(Type):
    """A mapping of free keys (BibTeX keys) to text: ``notes: {smith2020: "Led it"}``."""

    expected: str = "a mapping of keys to text"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if not isinstance(node, YMap):
            return self.wrong(node, ctx, key, f"write '{key}:' then one indented 'key: text'")
        out: list[tuple[str, str]] = []
        ok = True
        for key_node, value_node in node.pairs:
            text = _scalar_text(value_node)
            if text is None or not text.strip():
                ctx.error(value_node.loc, f"'{key}': '{key_node.raw}' needs a text", "")
                ok = False
                continue
            out.append((key_node.raw, text.strip()))
        return tuple(out) if ok else INVALID

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": {"type": "string"}}


@dataclass
class Labels(TextMap):
    """``output.labels``: phrase key -> the user's own wording (``present: today``)."""

    expected: str = "a mapping of phrase names to text"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        from cvbuild.config.choices import LABEL_KEYS

        pairs = super().check(node, ctx, key)
        if pairs is INVALID or not isinstance(node, YMap):
            return pairs
        ok = True
        for key_node, _ in node.pairs:
            if key_node.raw not in LABEL_KEYS:
                guess = suggest(key_node.raw, LABEL_KEYS)
                hint = f"did you mean '{guess}'?" if guess else "phrases: " + ", ".join(LABEL_KEYS)
                ctx.error(
                    key_node.loc, f"'{key}': no phrase is called '{_short(key_node.raw)}'", hint
                )
                ok = False
        return pairs if ok else INVALID

    def schema(self) -> dict[str, Any]:
        from cvbuild.config.choices import LABEL_KEYS

        props = {
            k: {"type": "string", "description": f"Your wording for cvbuild's '{k}' phrase."}
            for k in LABEL_KEYS
        }
        return {"type": "object", "properties": props, "additionalProperties": False}


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_PRESENT = ("present", "now")


@dataclass
class Date(Type):
    """``2015``, ``2015-09``, ``2015-09-01`` or ``present``/``now``."""

    allow_present: bool = True
    expected: str = "a date: YYYY, YYYY-MM, YYYY-MM-DD or present"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        text = _scalar_text(node)
        if text is None:
            return self.wrong(node, ctx, key)
        text = text.strip()
        if text.lower() in _PRESENT:
            if not self.allow_present:
                ctx.error(node.loc, f"'{key}' cannot be '{text}'", "give a year such as 2015")
                return INVALID
            return PartialDate(present=True)
        match = _DATE_RE.match(text)
        if match:
            year = int(match.group(1))
            month = int(match.group(2)) if match.group(2) else None
            day = int(match.group(3)) if match.group(3) else None
            try:
                _dt.date(year, month or 1, day or 1)
            except ValueError:
                match = None
            else:
                if year >= 1000:
                    return PartialDate(year, month, day)
        ctx.error(
            node.loc,
            f"'{key}': '{_short(text)}' is not a date",
            "write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2015-09), or 'present'",
        )
        return INVALID

    def schema(self) -> dict[str, Any]:
        words = "|".join("".join(f"[{c.upper()}{c}]" for c in w) for w in _PRESENT)
        return {
            "anyOf": [
                {"type": "integer", "minimum": 1000, "maximum": 9999},
                {"type": "string", "pattern": rf"^(\d{{4}}(-\d{{1,2}}(-\d{{1,2}})?)?|{words})$"},
            ]
        }


@dataclass
class PathValue(Type):
    """A file or folder path, relative to the config file's folder; made absolute."""

    expected: str = "a path"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        text = _scalar_text(node)
        if text is None or not isinstance(node, YScalar) or node.tag not in ("str", "int"):
            return self.wrong(node, ctx, key)
        text = text.strip()
        if not text or "\x00" in text:
            ctx.error(node.loc, f"'{key}' must not be empty", "give a path relative to cv.yaml")
            return INVALID
        return Path(os.path.abspath(ctx.base / Path(os.path.expanduser(text))))

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1}


@dataclass
class ListOf(Type):
    item: Type = field(default_factory=Text)
    what: str = ""  # plural noun: "strings", "entries"
    min_items: int = 0

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a list of {self.what or 'values'}"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if not isinstance(node, YSeq):
            hint = ""
            if isinstance(node, YScalar) and node.tag != "null":
                hint = (
                    f"write it as a list: '{key}: [{_short(node.raw)}]' or one '- ' line per item"
                )
            return self.wrong(node, ctx, key, hint)
        if len(node.items) < self.min_items:
            ctx.error(node.loc, f"'{key}' needs at least {self.min_items} item(s)", "")
            return INVALID
        out = []
        ok = True
        for child in node.items:
            value = self.item.check(child, ctx, key)
            if value is INVALID:
                ok = False
            else:
                out.append(value)
        return tuple(out) if ok else INVALID

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        return out


@dataclass
class OneOrList(Type):
    """One value or a list of them; always returns a tuple."""

    item: Type = field(default_factory=Text)
    what: str = ""

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"{self.item.expected} or a list of {self.what or 'them'}"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if isinstance(node, YSeq):
            return ListOf(self.item, self.what, min_items=1).check(node, ctx, key)
        if isinstance(node, YScalar) and node.tag != "null":
            value = self.item.check(node, ctx, key)
            return INVALID if value is INVALID else (value,)
        return self.wrong(node, ctx, key)

    def schema(self) -> dict[str, Any]:
        item = self.item.schema()
        return {"anyOf": [item, {"type": "array", "items": item, "minItems": 1}]}


@dataclass(frozen=True)
class Key:
    name: str
    type: Type
    required: bool = False
    doc: str = ""
    nullable: bool = True  # an empty value ('key:' alone) means "not set"


@dataclass
class Table:
    """The keys one mapping may hold."""

    name: str  # for messages: "person", "a section"
    keys: tuple[Key, ...]
    doc: str = ""
    hints: dict[str, str] = field(default_factory=dict)  # wrong key -> right key or advice
    one_of: tuple[str, ...] = ()  # exactly one of these keys must be present

    def key(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)


@dataclass
class Record:
    """A validated mapping: its values (only keys given, valid) and the node."""

    values: dict[str, Any]
    node: YMap
    ok: bool = True

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def loc(self, name: str) -> Location:
        value = self.node.get(name)
        return value.loc if value is not None else self.node.loc

    def key_loc(self, name: str) -> Location:
        key = self.node.key_node(name)
        return key.loc if key is not None else self.node.loc


def unknown_key_hint(table: Table, key: str) -> str:
    advice = table.hints.get(key) or table.hints.get(key.lower())
    if advice:
        return advice if " " in advice else f"did you mean '{advice}'?"
    meant = synonym(key, table.names)
    if meant is not None:
        doc = table.key(meant).doc
        # The key's description says why; only when it names no other key in quotes
        # (check_table reads quoted names in a hint as the keys meant).
        quoted = any(f"'{k}'" in doc for k in table.names)
        return f"did you mean '{meant}'?" + (f" {doc}" if doc and not quoted else "")
    guess = suggest(key, table.names)
    if guess:
        return f"did you mean '{guess}'?"
    return f"{table.name} takes: {', '.join(table.names)}"


@dataclass
class Mapping(Type):
    table: Table = field(default_factory=lambda: Table("", ()))

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a mapping ({self.table.name})"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if not isinstance(node, YMap):
            return self.wrong(node, ctx, key, f"write '{key}:' then indented 'name: value' lines")
        return check_table(node, self.table, ctx)

    def schema(self) -> dict[str, Any]:
        return table_schema(self.table)


def check_table(node: YMap, table: Table, ctx: Ctx) -> Record:
    values: dict[str, Any] = {}
    ok = True
    allowed = {k.name: k for k in table.keys}
    meant: set[str] = set()  # keys a misspelt key was probably meant to be
    for key_node, value_node in node.pairs:
        name = key_node.raw
        spec = allowed.get(name)
        if spec is None:
            hint = unknown_key_hint(table, name)
            ctx.error(key_node.loc, f"unknown key '{name}'", hint)
            meant.update(k for k in table.names if f"'{k}'" in hint)
            ok = False
            continue
        if is_null(value_node) and spec.nullable and not spec.required:
            continue
        if is_null(value_node):
            ctx.error(
                value_node.loc,
                f"'{name}' has no value",
                f"write {spec.type.expected} after '{name}:'",
            )
            ok = False
            continue
        value = spec.type.check(value_node, ctx, name)
        if value is INVALID:
            ok = False
        else:
            values[name] = value
    for spec in table.keys:
        if spec.required and spec.name not in node and spec.name not in meant:
            ctx.error(
                node.loc,
                f"{table.name} is missing the required key '{spec.name}'",
                f"add '{spec.name}: ...'",
            )
            ok = False
    if table.one_of:
        present = [k for k in node.key_names() if k in table.one_of]
        if not present and not meant.intersection(table.one_of):
            ctx.error(
                node.loc,
                f"{table.name} needs one of: {', '.join(table.one_of)}",
                f"add exactly one of {', '.join(table.one_of)}",
            )
            ok = False
        elif len(present) > 1:
            second = node.key_node(present[1])
            assert second is not None
            ctx.error(
                second.loc,
                f"{table.name} has both '{present[0]}' and '{present[1]}'",
                f"keep only one of {', '.join(table.one_of)}; split it into two sections",
            )
            ok = False
    return Record(values, node, ok)


def table_schema(table: Table) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for spec in table.keys:
        sub = spec.type.schema()
        if spec.nullable and not spec.required and spec.name not in table.one_of:
            sub = {"anyOf": [sub, {"type": "null"}]}
        if spec.doc:
            sub = {"description": spec.doc, **sub}
        props[spec.name] = sub
    out: dict[str, Any] = {"type": "object"}
    if table.doc:
        out["description"] = table.doc
    out["properties"] = props
    out["additionalProperties"] = False
    required = [k.name for k in table.keys if k.required]
    if required:
        out["required"] = required
    if table.one_of:
        out["oneOf"] = [{"required": [k]} for k in table.one_of]
    return out


@dataclass
class Either(Type):
    """A scalar read one way, or a mapping read another (``- Python`` or ``- {text: ...}``)."""

    scalar: Type = field(default_factory=Text)
    mapping: Mapping = field(default_factory=Mapping)

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"{self.scalar.expected} or {self.mapping.expected}"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if isinstance(node, YMap) and type(self.scalar) is Text and is_language_map(node):
            return self.scalar.check(node, ctx, key)
        if isinstance(node, YMap):
            return self.mapping.check(node, ctx, key)
        if isinstance(node, YScalar) and node.tag != "null":
            return self.scalar.check(node, ctx, key)
        return self.wrong(node, ctx, key)

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [self.scalar.schema(), self.mapping.schema()]}


@dataclass
class ListOrMapping(Type):
    """A list read one way, or a mapping read another (``outputs: [a, b]`` or
    ``outputs: {tags: [erc]}``)."""

    items: ListOf = field(default_factory=ListOf)
    mapping: Mapping = field(default_factory=Mapping)

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"{self.items.expected} or {self.mapping.expected}"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if isinstance(node, YMap):
            return self.mapping.check(node, ctx, key)
        if isinstance(node, YSeq):
            return self.items.check(node, ctx, key)
        return self.wrong(node, ctx, key, f"write '{key}: [key1, key2]' or '{key}: {{tags: [t]}}'")

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [self.items.schema(), self.mapping.schema()]}


@dataclass
class NamedMap(Type):
    """A mapping of user-chosen names to values (``variants: {full: {...}}``)."""

    value: Mapping = field(default_factory=Mapping)
    name_pattern: str = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
    name_hint: str = "use letters, digits, '.', '_' and '-' only"

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "a mapping of names to settings"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if not isinstance(node, YMap):
            return self.wrong(node, ctx, key, f"write '{key}:' then one indented 'name:' per item")
        out: list[tuple[str, Location, Record | None]] = []
        ok = True
        for key_node, value_node in node.pairs:
            name = key_node.raw
            if not re.match(self.name_pattern, name):
                ctx.error(key_node.loc, f"'{_short(name)}' is not a valid name", self.name_hint)
                ok = False
                continue
            if is_null(value_node):
                out.append((name, key_node.loc, None))
                continue
            record = self.value.check(value_node, ctx, name)
            if record is INVALID or not record.ok:
                ok = False
            out.append((name, key_node.loc, record if record is not INVALID else None))
        return tuple(out) if ok else INVALID

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"pattern": self.name_pattern},
            "additionalProperties": {"anyOf": [self.value.schema(), {"type": "null"}]},
        }


@dataclass
class SingleKey(Type):
    """A one-key mapping whose key picks the kind: ``- dblp: 95/7448-1``."""

    kinds: tuple[str, ...] = ()
    options: Table = field(default_factory=lambda: Table("", ()))
    what: str = "source"
    example: str = ""
    kind_docs: dict[str, str] = field(default_factory=dict)  # kind -> schema description

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a {self.what} such as '{self.example}'"

    def check(self, node: YNode, ctx: Ctx, key: str) -> Any:
        if not isinstance(node, YMap) or len(node.pairs) != 1:
            return self.wrong(node, ctx, key, f"write one {self.what} per line: '- {self.example}'")
        kind_node, value_node = node.pairs[0]
        kind = kind_node.raw
        if kind not in self.kinds:
            guess = suggest(kind, self.kinds)
            hint = f"did you mean '{guess}'?" if guess else f"use one of: {', '.join(self.kinds)}"
            ctx.error(kind_node.loc, f"unknown {self.what} '{_short(kind)}'", hint)
            return INVALID
        if isinstance(value_node, YMap):
            record = check_table(value_node, self.options, ctx)
            if not record.ok:
                return INVALID
            return (kind, "", tuple((k, str(v)) for k, v in record.values.items()), node.loc)
        text = _scalar_text(value_node)
        if text is None or not text.strip():
            ctx.error(
                value_node.loc,
                f"{self.what} '{kind}' needs a value",
                f"write '- {kind}: <id>' or give its options as a mapping",
            )
            return INVALID
        return (kind, text.strip(), (), node.loc)

    def schema(self) -> dict[str, Any]:
        value = {"anyOf": [{"type": ["string", "number"]}, table_schema(self.options)]}
        props = {
            k: {"description": self.kind_docs.get(k) or f"A {self.what} of kind '{k}'.", **value}
            for k in self.kinds
        }
        return {
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "properties": props,
            "additionalProperties": False,
        }


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
