"""YAML with positions: every mapping key, value and list item keeps its ``file:line:col``.

The file is parsed with PyYAML's *safe* composer (the C one when available) into
plain node objects; nothing is ever constructed from a tag, so arbitrary Python
objects cannot appear. Scalars keep both the text as written (``raw``) and the
YAML 1.1 value (``value``): a validator can read ``no`` as text where it expects
text, and ``2015-09-01`` as a date where it expects a date.

Syntax errors raise :class:`InputError` with one located problem. Softer issues
(duplicate keys, unsupported tags) are returned as problems beside the tree.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cvbuild.errors import InputError, Location, Problem, error

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Tags a cv.yaml may use (the YAML 1.1 core set); anything else is refused.
_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {
    _T + "str",
    _T + "int",
    _T + "float",
    _T + "bool",
    _T + "null",
    _T + "timestamp",
    _T + "binary",
}
MAX_NODES = 200_000  # alias expansion guard ("billion laughs")


@dataclass
class YScalar:
    value: object  # str | int | float | bool | None | datetime.date
    raw: str  # the text as written
    tag: str  # short tag: "str", "int", "float", "bool", "null", "timestamp"
    loc: Location
    quoted: bool = False

    @property
    def kind(self) -> str:
        return "scalar"


@dataclass
class YSeq:
    items: list[YNode]
    loc: Location

    @property
    def kind(self) -> str:
        return "list"


@dataclass
class YMap:
    # Ordered (key, value) pairs; keys are scalars whose ``raw`` is the key text.
    pairs: list[tuple[YScalar, YNode]]
    loc: Location
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def kind(self) -> str:
        return "mapping"

    def key_names(self) -> list[str]:
        return [k.raw for k, _ in self.pairs]

    def get(self, key: str) -> YNode | None:
        i = self._index.get(key)
        return None if i is None else self.pairs[i][1]

    def key_node(self, key: str) -> YScalar | None:
        i = self._index.get(key)
        return None if i is None else self.pairs[i][0]

    def __contains__(self, key: str) -> bool:
        return key in self._index


YNode = YScalar | YSeq | YMap


def describe(node: YNode | None) -> str:
    """What a reader would call this value: 'a number', 'a list', 'nothing'."""
    if node is None:
        return "nothing"
    if isinstance(node, YSeq):
        return "a list"
    if isinstance(node, YMap):
        return "a mapping"
    return {
        "str": "text",
        "int": "a number",
        "float": "a decimal number",
        "bool": "true/false",
        "null": "nothing",
        "timestamp": "a date",
        "binary": "binary data",
    }.get(node.tag, "a value")


def tag_name(tag: str) -> str:
    """'tag:yaml.org,2002:python/object' -> '!!python/object'."""
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag


def _mark_loc(file: str, mark: object | None) -> Location:
    if mark is None:
        return Location(file)
    line = getattr(mark, "line", None)
    col = getattr(mark, "column", None)
    if line is None:
        return Location(file)
    return Location(file, line + 1, (col or 0) + 1)


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    line = before.count("\n") + 1
    col = index - (before.rfind("\n") + 1) + 1
    return line, col


def decode(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), or one located problem."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        line, col = _line_col(prefix, len(prefix))
        raise InputError(
            [
                error(
                    Location(file, line, col),
                    "the file is not valid UTF-8 text",
                    "save it as UTF-8 in your editor",
                )
            ]
        ) from None


# "key: value" at the start of a line (after any "- " of a list): the key, then the value.
_KEY_VALUE = re.compile(
    r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[^\s#'\"{\[&*!|>%@`-][^:#]*?):[ \t]+(?P<value>\S)"
)


def _colon_in_value(text: str, line: int, column: int) -> tuple[int, str, str] | None:
    """(column of the value, key, the value as written) when the ': ' YAML stumbled on at
    ``line``/``column`` (0-based) sits inside the plain value of a ``key: value`` line,
    as in ``headline: Postdoc: machine learning``; None otherwise."""
    lines = text.splitlines()
    if not 0 <= line < len(lines):
        return None
    row = lines[line]
    found = _KEY_VALUE.match(row)
    if found is None or found.start("value") >= column:
        return None
    value = re.sub(r"\s+#.*$", "", row[found.start("value") :]).rstrip()
    return found.start("value"), found.group("key").strip(), value


def _quoted(value: str) -> str:
    """``value`` as a YAML quoted scalar that reads back as the same text."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _syntax_problem(exc: yaml.YAMLError, file: str, text: str) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "invalid YAML"
        if exc.context and exc.problem:
            what = f"{exc.context}, {exc.problem}"
        what = " ".join(str(what).split())
        hint = "check the indentation and quoting on this line or the one before"
        if "tab" in what.lower() or "\t" in what:
            hint = "indent with spaces, not tabs"
        elif "expected a single document" in what:
            hint = "a cv.yaml holds one document: remove the extra '---'"
        elif "mapping values are not allowed" in what and mark is not None:
            unquoted = _colon_in_value(text, mark.line, mark.column)
            if unquoted is not None:
                column, key, value = unquoted
                return error(
                    Location(file, mark.line + 1, column + 1),
                    f"YAML syntax error: the value of '{key}' holds ': ', "
                    "which YAML reads as the start of another key",
                    f"quote this value: {key}: {_quoted(value)}",
                )
        return error(_mark_loc(file, mark), f"YAML syntax error: {what}", hint)
    position = getattr(exc, "position", None)
    if isinstance(position, int) and _Loader is not yaml.SafeLoader:
        # libyaml counts bytes of the UTF-8 text; the pure-Python reader counts characters.
        position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    if isinstance(position, int) and 0 <= position <= len(text):
        line, col = _line_col(text, position)
        loc = Location(file, line, col)
    else:
        loc = Location(file)
    reason = getattr(exc, "reason", None) or str(exc)
    return error(
        loc,
        f"YAML syntax error: {' '.join(str(reason).split())}",
        "remove control characters from the file",
    )


class _Converter:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.count = 0
        self.active: set[int] = set()

    def loc(self, node: yaml.Node) -> Location:
        return _mark_loc(self.file, node.start_mark)

    def convert(self, node: yaml.Node) -> YNode:
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError(
                [
                    error(
                        self.loc(node),
                        "the file expands to too many values (aliases nested too deeply?)",
                        "write the values out instead of nesting '*alias' references",
                    )
                ]
            )
        if id(node) in self.active:
            self.problems.append(
                error(self.loc(node), "an alias refers to itself", "remove the '*alias'")
            )
            return YScalar(None, "", "null", self.loc(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                self.check_tag(node, _T + "seq")
                return YSeq([self.convert(n) for n in node.value], self.loc(node))
            assert isinstance(node, yaml.MappingNode)
            self.check_tag(node, _T + "map")
            return self.mapping(node)
        finally:
            self.active.discard(id(node))

    def check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag not in (expected, _T + "omap", _T + "set"):
            self.problems.append(
                error(
                    self.loc(node),
                    f"unsupported YAML tag '{tag_name(node.tag)}'",
                    "remove the '!...' tag: cv.yaml uses plain values",
                )
            )

    def scalar(self, node: yaml.ScalarNode) -> YScalar:
        loc = self.loc(node)
        raw = node.value
        quoted = node.style not in (None, "")
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self.problems.append(
                error(
                    loc,
                    f"unsupported YAML tag '{tag_name(tag)}'",
                    "remove the '!...' tag: cv.yaml uses plain values",
                )
            )
            return YScalar(raw, raw, "str", loc, quoted)
        short = tag[len(_T) :]
        try:
            value = _construct(short, raw)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            # e.g. a timestamp-shaped text that is no real date (2015-13-45): keep as text
            value, short = raw, "str"
        return YScalar(value, raw, short, loc, quoted)

    def mapping(self, node: yaml.MappingNode) -> YMap:
        result = YMap([], self.loc(node))
        merged: list[YMap] = []
        for key_node, value_node in node.value:
            if key_node.tag == _T + "merge":
                value = self.convert(value_node)
                sources = value.items if isinstance(value, YSeq) else [value]
                for src in sources:
                    if isinstance(src, YMap):
                        merged.append(src)
                    else:
                        self.problems.append(
                            error(
                                src.loc,
                                "'<<' must be followed by a mapping or a list of mappings",
                                "write '<<: *anchor' where the anchor names a mapping",
                            )
                        )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    error(
                        self.loc(key_node),
                        "a key must be a plain name, not a list or mapping",
                        "write 'name: value'",
                    )
                )
                self.convert(value_node)
                continue
            key = self.scalar(key_node)
            value = self.convert(value_node)
            if key.raw in result._index:
                first = result.pairs[result._index[key.raw]][0].loc
                self.problems.append(
                    error(
                        key.loc,
                        f"duplicate key '{key.raw}' (first given at line {first.line})",
                        "keep only one of them",
                    )
                )
                result.pairs[result._index[key.raw]] = (key, value)
                continue
            result._index[key.raw] = len(result.pairs)
            result.pairs.append((key, value))
        # Merged keys come after explicit ones and never override them.
        for src in merged:
            for key, value in src.pairs:
                if key.raw not in result._index:
                    result._index[key.raw] = len(result.pairs)
                    result.pairs.append((key, value))
        return result


_CONSTRUCTOR = yaml.SafeLoader("")  # only used for its scalar constructors


def _construct(short: str, raw: str) -> object:
    if short == "str":
        return raw
    if short == "null":
        return None
    if short == "bool":
        return _CONSTRUCTOR.bool_values[raw.lower()]
    node = yaml.ScalarNode(_T + short, raw)
    if short == "int":
        return _CONSTRUCTOR.construct_yaml_int(node)
    if short == "float":
        return _CONSTRUCTOR.construct_yaml_float(node)
    if short == "timestamp":
        value = _CONSTRUCTOR.construct_yaml_timestamp(node)
        assert isinstance(value, _dt.date)
        return value
    if short == "binary":
        return raw
    raise ValueError(short)


def parse_yaml(text: str, file: str | Path) -> tuple[YNode | None, list[Problem]]:
    """Parse one YAML document. Returns the tree (None if empty) and soft problems.

    Raises InputError with one located problem for a syntax error.
    """
    name = str(file)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise InputError([_syntax_problem(exc, name, text)]) from None
    except RecursionError:
        raise InputError(
            [error(Location(name), "the YAML is nested too deeply", "flatten the structure")]
        ) from None
    if node is None:
        return None, []
    conv = _Converter(name)
    try:
        tree = conv.convert(node)
    except RecursionError:
        raise InputError(
            [error(Location(name), "the YAML is nested too deeply", "flatten the structure")]
        ) from None
    return tree, conv.problems


def read_text(path: Path, display: str | None = None) -> str:
    """The file's text, or an InputError saying clearly why it cannot be read."""
    name = display if display is not None else str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            [
                error(
                    Location(name),
                    "file not found",
                    "check the path, or run 'cvbuild init' to create a cv.yaml",
                )
            ]
        ) from None
    except IsADirectoryError:
        raise InputError(
            [error(Location(name), "this is a folder, not a file", "give the path of cv.yaml")]
        ) from None
    except PermissionError:
        raise InputError(
            [
                error(
                    Location(name),
                    "cannot read the file: permission denied",
                    "check its permissions",
                )
            ]
        ) from None
    except OSError as exc:
        raise InputError(
            [error(Location(name), f"cannot read the file: {exc.strerror or exc}", "")]
        ) from None
    return decode(data, name)


def load_yaml_file(path: Path, display: str | None = None) -> tuple[YNode | None, list[Problem]]:
    """Read and parse a YAML file; see :func:`parse_yaml`."""
    name = display if display is not None else str(path)
    return parse_yaml(read_text(path, name), name)


def to_plain(node: YNode | None) -> object:
    """The tree as ordinary Python values (for tests and the JSON Schema check)."""
    if node is None:
        return None
    if isinstance(node, YScalar):
        value = node.value
        if isinstance(value, _dt.date):
            return node.raw
        return value
    if isinstance(node, YSeq):
        return [to_plain(n) for n in node.items]
    return {k.raw: to_plain(v) for k, v in node.pairs}
