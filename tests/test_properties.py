"""Property-based tests over hostile BibTeX and YAML: any input gives outputs or located
problems — never a traceback, never a hang, never a lost well-formed entry."""

from __future__ import annotations

import contextlib
import re
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cvbuild.bib import load_publications
from cvbuild.build import BuildOptions, build
from cvbuild.config.reader import load_config
from cvbuild.errors import InputError

SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
TIME_LIMIT = 10  # seconds for one example: more is a hang


@contextlib.contextmanager
def time_limit(seconds: int = TIME_LIMIT) -> Iterator[None]:
    """Fail (rather than hang the suite) when one example takes longer than ``seconds``."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds}s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="cvbuild-prop-") as tmp:
        yield Path(tmp)


# ------------------------------------------------------------------------------- BibTeX

_WORDS = st.sampled_from(
    [
        "Learning",
        "of",
        "Graphs",
        "GaLore $+$",
        "$\\mathcal{O}(n^2)$",
        "{\\'e}t{\\'e}",
        '\\"{o}',
        "Nguyễn",
        "Привет",
        "学习",
        "50\\%",
        "A\\&B",
        "<b>bold</b>",
        "a@b.org",
        "#1",
        "x_1",
        "**",
        "`code`",
        "[link](javascript:alert(1))",
        "\\textbf{Bold}",
        "{{Nested {braces}}}",
        "\\url{https://example.org}",
        "\\input{/etc/passwd}",
        "~",
        "--",
    ]
)
_PLAIN = st.text(
    alphabet=st.characters(blacklist_characters='{}\\@"%\r', blacklist_categories=("Cs", "Cc")),
    max_size=30,
)


def _balanced_value(words: list[str], plain: str) -> str:
    return " ".join([*words, plain]).strip() or "x"


_NAME = st.sampled_from(
    [
        "Doe, Jane",
        "Jane Doe",
        "Doe*, Jane",
        "Jane Doe$^*$",
        "Doe\\textsuperscript{*}, J.",
        "Xu\\dag, Wei",
        "Garc{\\'\\i}a, Mar{\\'\\i}a Jos{\\'e}",
        "{Mars Coral Restoration Team}",
        "van der Berg, Jr., Piet",
        "Stretcu<nobr><em>*</em></nobr>, Otilia",
        "others",
        "Nguyễn, Thị Hoa",
        "李, 明",
    ]
)
_MONTH = st.sampled_from(["jan", "feb", "{March}", "{12}", "sep", '"Oct"', "{13}", "{Spring}"])
_YEAR = st.sampled_from(["2024", "2019", "{in press}", "{Preprint}", "{20x4}", "1999", "{}"])
_TYPE = st.sampled_from(
    [
        "article",
        "inproceedings",
        "misc",
        "book",
        "phdthesis",
        "techreport",
        "ARTICLE",
        "Unpublished",
    ]
)


@st.composite
def well_formed_entry(draw: st.DrawFn, key: str) -> str:
    entry_type = draw(_TYPE)
    fields: list[tuple[str, str]] = []
    title = _balanced_value(draw(st.lists(_WORDS, max_size=5)), draw(_PLAIN))
    fields.append(("title", "{" + title + "}"))
    authors = draw(st.lists(_NAME, min_size=0, max_size=6))
    if authors:
        fields.append(("author", "{" + " and ".join(authors) + "}"))
    fields.append(("year", draw(_YEAR)))
    if draw(st.booleans()):
        fields.append(("month", draw(_MONTH)))
    venue = draw(st.sampled_from(["journal", "booktitle", "publisher", "school", "howpublished"]))
    fields.append((venue, draw(st.sampled_from(["jml", "{arXiv preprint arXiv:2401.00001}"]))))
    if draw(st.booleans()):
        fields.append(("journal", 'jml # " (Special Issue)"'))
    if draw(st.booleans()):
        fields.append(
            (
                "note",
                draw(st.sampled_from(["{* Equal contribution}", "{† corresponding}", "{Oral}"])),
            )
        )
    if draw(st.booleans()):
        fields.append(("selected", draw(st.sampled_from(["{true}", "{false}", "true"]))))
    for extra in draw(
        st.lists(st.sampled_from(["pdf", "code", "arxiv", "doi", "url"]), max_size=3, unique=True)
    ):
        value = {
            "pdf": "{paper.pdf}",
            "code": "{https://github.com/x/y}",
            "arxiv": "{2401.00001}",
            "doi": "{10.1000/xyz_123}",
            "url": "{javascript:alert(1)}",
        }[extra]
        fields.append((extra, value))
    if draw(st.integers(0, 9)) == 0:  # a huge field
        fields.append(("abstract", "{" + "long text " * draw(st.integers(2000, 6000)) + "}"))
    quoted = draw(st.booleans())
    body = ",\n".join(
        f"  {name} = "
        + (f'"{value[1:-1]}"' if quoted and name == "title" and '"' not in value else value)
        for name, value in fields
    )
    trailing = "," if draw(st.booleans()) else ""
    open_, close = ("(", ")") if draw(st.integers(0, 5)) == 0 else ("{", "}")
    return f"@{entry_type}{open_}{key},\n{body}{trailing}\n{close}"


_GARBAGE = st.one_of(
    st.text(alphabet=st.sampled_from(list('ab {}@,="%#\\\n()é')), max_size=60),
    st.sampled_from(
        [
            "@article{broken, title = {unclosed",
            '@misc{broken2, title = "unclosed',
            "@comment{ { }",
            "}}}}}}",
            "{{{{",
            "@@@@",
            "@string{foo = {bar}",
            '@preamble{ "\\newcommand{\\x}{" }',
            "@article{nokey_only}",
            "@article{, title={No key}}",
            "@misc{dup, title = {One}, title = {Two}}",
            "% a comment line with { brace",
            "---\nlayout: none\n---",
            "\x00\x01binary",
            "@string{undefined_use = missingmacro}",
        ]
    ),
)

_KEY = st.from_regex(r"[A-Za-z][A-Za-z0-9_:\-]{0,14}", fullmatch=True)


@st.composite
def bib_text(draw: st.DrawFn) -> tuple[str, set[str]]:
    keys = draw(st.lists(_KEY, max_size=6, unique_by=str.lower))
    keys = [k for k in keys if not k.lower().startswith(("broken", "dup", "nokey"))]
    chunks: list[str] = ["@string{jml = {Journal of Machine Learning}}"]
    for key in keys:
        chunks.extend(draw(st.lists(_GARBAGE, max_size=2)))
        chunks.append(draw(well_formed_entry(key)))
    chunks.extend(draw(st.lists(_GARBAGE, max_size=2)))
    return "\n\n".join(chunks) + "\n", set(keys)


@settings(max_examples=60, **SETTINGS)
@given(bib_text())
@example(("@string{jml = {J}}\n\n@misc{a1, title = {Only}, year = 2020}\n", {"a1"}))
def test_bibtex_gives_publications_or_located_problems_and_loses_no_entry(
    case: tuple[str, set[str]],
) -> None:
    text, keys = case
    with folder() as tmp:
        path = tmp / "papers.bib"
        path.write_text(text, encoding="utf-8")
        with time_limit():
            pubs, problems = load_publications([path])
    found = {p.key for p in pubs}
    lost = keys - found
    assert not lost, f"well-formed entries lost: {sorted(lost)}; problems: {problems}"
    for problem in problems:
        assert problem.location.file.endswith("papers.bib"), problem
        assert problem.message, problem


@settings(max_examples=40, **SETTINGS)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace")))
def test_any_bytes_as_bibtex_never_raise(data: bytes) -> None:
    with folder() as tmp:
        path = tmp / "any.bib"
        path.write_bytes(data)
        with time_limit():
            pubs, problems = load_publications([path])
    assert isinstance(pubs, list)
    assert all(p.location.file.endswith("any.bib") for p in problems)


# --------------------------------------------------------------------------------- YAML

_VALID = {
    "person": {"name": "Jane Doe", "aliases": ["Doe, J."], "email": "jane@example.org"},
    "sections": [
        {"title": "Education", "entries": [{"title": "PhD", "start": "2020-09", "end": "present"}]},
        {"title": "Publications", "publications": {"bib": "papers.bib", "author_limit": 3}},
        {"title": "Skills", "items": [{"label": "Code", "text": "Python"}]},
        {"title": "About", "text": "Hello *world*"},
    ],
    "variants": {"cv": {}, "short": {"sections": ["Publications"], "selected_only": True}},
    "output": {"dir": "out", "formats": ["md"]},
}
_ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(
        ["2015-13", "present", "papers.bib", "missing.bib", "../../etc/passwd", "", "pdf", "a4"]
    ),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["x", "title", "bib", "name"]), st.integers(), max_size=2),
)


def _paths(value: object, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


@st.composite
def near_valid_config(draw: st.DrawFn) -> object:
    """The valid config with a few mutations: a value replaced, a key dropped or misspelt."""
    import copy

    config = copy.deepcopy(_VALID)
    spots = [p for p in _paths(config) if p]
    for _ in range(draw(st.integers(1, 3))):
        spot = draw(st.sampled_from(spots))
        parent: object = config
        try:
            for step in spot[:-1]:
                parent = parent[step]  # type: ignore[index]
            last = spot[-1]
            action = draw(st.sampled_from(["replace", "drop", "misspell"]))
            if action == "replace":
                parent[last] = draw(_ODD)  # type: ignore[index]
            elif isinstance(parent, dict) and last in parent:
                value = parent.pop(last)
                if action == "misspell":
                    parent[str(last)[:-1] + "x"] = value
        except (KeyError, IndexError, TypeError):
            continue  # the path went away with an earlier mutation
    return config


_YAML_TRICKS = st.sampled_from(
    [
        "person: !!python/object/apply:os.system ['echo hi']\n",
        "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
        "person: {name: [*d, *d, *d, *d, *d, *d, *d, *d]}\nsections: [*d, *d, *d, *d]\n",
        "person: {name: J}\nperson: {name: K}\nsections: []\n",
        "---\nperson: {name: J}\n---\nperson: {name: K}\n",
        "\ufeffperson: {name: J}\nsections: []\n",
        "person:\n\tname: J\n",
        "person: {name: J}\nsections: [{title: X, entries: {<<: *undefined}}]\n",
        "? [complex, key]\n: value\n",
        "person: {name: J}\nsections:\n  - title: P\n    publications: {bib: /dev/zero}\n",
    ]
)


def test_control_character_after_non_ascii_text_is_located(tmp_path: Path) -> None:
    config = tmp_path / "cv.yaml"
    config.write_text("person:\n  name: Jos\u00e9\n  x: \x1f\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_config(config)
    (problem,) = info.value.problems
    assert (problem.location.line, problem.location.col) == (3, 6)


def _check_config(text: str) -> None:
    with folder() as tmp:
        (tmp / "papers.bib").write_text("@misc{a, title={A}, year={2020}}\n", encoding="utf-8")
        config = tmp / "cv.yaml"
        config.write_text(text, encoding="utf-8")
        try:
            with time_limit():
                load_config(config)
        except InputError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.message
                # Located: in the config (or a file it names), with a line number.
                assert problem.location.file, problem
                assert problem.location.line >= 1, f"problem without a line: {problem}"


@settings(max_examples=80, **SETTINGS)
@given(near_valid_config())
def test_near_valid_configs_load_or_give_located_problems(config: object) -> None:
    _check_config(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))


@settings(max_examples=30, **SETTINGS)
@given(_YAML_TRICKS, st.text(max_size=40))
def test_yaml_tricks_load_or_give_located_problems(trick: str, noise: str) -> None:
    _check_config(trick)
    _check_config(trick + noise)


# ---------------------------------------------------------------------------- end to end

_TITLE_WORDS = st.sampled_from(
    ["Deep", "Sparse", "Graphs", "für", "Ökologie", "Nguyễn", "Модели", "under", "5%", "A&B", "x<y"]
)


@st.composite
def project(draw: st.DrawFn) -> tuple[str, str, list[tuple[str, bool]]]:
    count = draw(st.integers(1, 8))
    papers: list[tuple[str, bool]] = []
    entries: list[str] = []
    for index in range(count):
        words = draw(st.lists(_TITLE_WORDS, min_size=1, max_size=6))
        title = f"Paper {index} " + " ".join(words)
        selected = draw(st.booleans())
        year = draw(st.sampled_from(["2018", "2021", "2024", "{in press}"]))
        kind = draw(st.sampled_from(["article", "inproceedings", "misc"]))
        authors = draw(st.sampled_from(["Doe, Jane and Roe, Rick", "Roe*, Rick and Doe*, J."]))
        tex_title = title.replace("%", "\\%").replace("&", "\\&")
        entries.append(
            f"@{kind}{{p{index},\n  title = {{{tex_title}}},\n  author = {{{authors}}},\n"
            f"  year = {year},\n  journal = {{Journal {index}}},\n"
            f"  selected = {{{'true' if selected else 'false'}}}\n}}\n"
        )
        papers.append((title, selected))
    config = {
        "person": {"name": "Jane Doe"},
        "sections": [
            {
                "title": "Publications",
                "publications": {
                    "bib": "papers.bib",
                    "group_by": draw(st.sampled_from(["year", "type", "none"])),
                    "order": draw(st.sampled_from(["newest", "oldest"])),
                    "author_limit": draw(st.integers(0, 3)),
                },
            }
        ],
        "variants": {"cv": {}, "selected": {"selected_only": True}},
        "output": {"dir": "out", "formats": ["md"]},
    }
    return yaml.safe_dump(config, allow_unicode=True), "\n".join(entries), papers


def _plain(markdown: str) -> str:
    """What a reader sees: Markdown backslash escapes and HTML entities undone."""
    import html

    return html.unescape(re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|&%~$^])", r"\1", markdown))


@settings(max_examples=12, **SETTINGS)
@given(project())
def test_random_valid_project_builds_with_every_selected_title(
    case: tuple[str, str, list[tuple[str, bool]]],
) -> None:
    config_text, bib, papers = case
    with folder() as tmp:
        (tmp / "cv.yaml").write_text(config_text, encoding="utf-8")
        (tmp / "papers.bib").write_text(bib, encoding="utf-8")
        with time_limit():
            report = build(tmp / "cv.yaml", BuildOptions(formats=["md"]))
        outputs = {p.parent.name: _plain(p.read_text(encoding="utf-8")) for p in report.written}
    assert set(outputs) == {"cv", "selected"}
    for title, selected in papers:
        assert title in outputs["cv"], title
        assert (title in outputs["selected"]) == selected, title
