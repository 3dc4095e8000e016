"""Random configs and random bytes at ``cvbuild check`` and ``cvbuild build --format md``.

Whatever the input: no traceback, exit 0, 1 or 3 (never 4, a bug), a bounded time, nothing
written by ``check``, nothing written by a failing build, the inputs untouched. Most cases run
the in-process ``main()`` (fast) under an alarm; a few run the real CLI in a capped child.
``CVBUILD_FUZZ_EXAMPLES=N`` runs N examples per class instead of the quick default.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvbuild.cli import main
from cvbuild.filename import PLACEHOLDERS
from tests.security.conftest import BIB, CV_YAML, fingerprint, run_cli

EXAMPLES = int(os.environ.get("CVBUILD_FUZZ_EXAMPLES", "0")) or None
SECONDS_PER_CASE = 10
ALLOWED = {0, 1, 3}

os.environ.pop("CVBUILD_DEBUG", None)
STATS: dict[str, int] = {}  # "check:1" -> cases, for the closing note (see the module doc)


def _settings(default: int) -> Any:
    return settings(
        max_examples=EXAMPLES or default,
        deadline=None,  # the alarm below bounds each case; CI machines vary too much
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise _Timeout(f"a case ran over {seconds} s (a hang)")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _cli(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with _alarm(SECONDS_PER_CASE), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse only
            code = int(exc.code or 0)
    return code, out.getvalue() + err.getvalue()


def _attack(config_bytes: bytes, bib_bytes: bytes | None = None) -> None:
    """Write the inputs in a fresh folder, run check then build, assert the guarantees."""
    with tempfile.TemporaryDirectory(prefix="cvbuild-fuzz-") as tmp:
        folder = Path(tmp) / "cv"
        folder.mkdir()
        config = folder / "cv.yaml"
        config.write_bytes(config_bytes)
        (folder / "papers.bib").write_bytes(BIB.encode() if bib_bytes is None else bib_bytes)
        before = fingerprint(folder)

        code, text = _cli("check", str(config))
        STATS[f"check:{code}"] = STATS.get(f"check:{code}", 0) + 1
        assert "Traceback" not in text, text
        assert code in ALLOWED, text
        assert fingerprint(folder) == before, "check changed a file"

        out = Path(tmp) / "out"
        code, text = _cli("build", str(config), "--format", "md", "--output", str(out))
        STATS[f"build:{code}"] = STATS.get(f"build:{code}", 0) + 1
        assert "Traceback" not in text, text
        assert code in ALLOWED, text
        inputs_after = {k: v for k, v in fingerprint(folder).items() if "/.cvbuild" not in k}
        assert inputs_after == before, "build changed an input"
        if code != 0:
            assert not out.exists() or fingerprint(out) == {}, "a failed build wrote files"
        assert not list(Path(tmp).rglob("*.tmp")), "a staged .tmp was left"


# ---------------------------------------------------------------- strategies

KNOWN_KEYS = [
    "person", "name", "sections", "title", "publications", "bib", "items", "entries", "text",
    "output", "filename", "dir", "formats", "theme", "variants", "tags", "since", "until",
    "limit", "author_limit", "group_by", "order", "start", "end", "date", "url", "email",
    "aliases", "refresh", "into", "sources", "max_pages", "selected_only", "numbered", "types",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["papers.bib", "/etc/passwd", "../x.bib", "present", "2015-09", "md", "{}"]),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(min_size=1, max_size=12))
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=6)),
    max_leaves=30,
)

PIECES = [f"{{{p}}}" for p in PLACEHOLDERS] + [
    "{", "}", "{{", "}}", "{given.__class__}", "{name:>999999999}", "{name[0]}", "{0}", "{}",
    "{name!r}", "{familly}", "_", "CV", "..", "/", "\\", "\x00", "CON", "é", "\u202e",
]  # fmt: skip
patterns = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=12).map(
    "".join
)


def _valid_base() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(CV_YAML)
    return loaded


@st.composite
def mutated_configs(draw: st.DrawFn) -> bytes:
    """A valid CV with a random output.filename and a few random keys set to random values."""
    config = _valid_base()
    config["output"] = {"filename": draw(patterns)}
    if draw(st.booleans()):
        config["variants"] = {"cv": {}, draw(st.text(min_size=1, max_size=8)): {
            "filename": draw(patterns)
        }}  # fmt: skip
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["top", "person", "output", "section", "publications"]))
        key, value = draw(keys), draw(trees)
        target: Any = config
        with contextlib.suppress(KeyError, IndexError, TypeError):  # an earlier mutation
            target = {  # may have replaced the container with a scalar
                "top": lambda: config,
                "person": lambda: config["person"],
                "output": lambda: config["output"],
                "section": lambda: config["sections"][1],
                "publications": lambda: config["sections"][0]["publications"],
            }[where]()
        if not isinstance(target, dict):
            target = config
        target[key] = value
    return yaml.safe_dump(config, allow_unicode=draw(st.booleans())).encode("utf-8")


# ---------------------------------------------------------------- properties


@_settings(25)
@given(st.dictionaries(keys, trees, max_size=6))
def test_random_yaml_structures(tree: dict[str, Any]) -> None:
    _attack(yaml.safe_dump(tree, allow_unicode=True).encode("utf-8"))


@_settings(40)
@given(mutated_configs())
def test_random_filenames_keys_and_values(config: bytes) -> None:
    _attack(config)


@_settings(25)
@given(st.binary(max_size=2000))
def test_random_bytes_as_cv_yaml(data: bytes) -> None:
    _attack(data)


BIB_PIECES = [
    "@article{", "@string{", "@preamble{", "@comment{", "}", "{", "=", ",", "#", '"', "\\",
    "author", "title", "year", " and ", "$", "^", "\\textbf{", "@", "\x00", "\r\n", "%",
]  # fmt: skip


@_settings(25)
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.lists(st.one_of(st.sampled_from(BIB_PIECES), st.text(max_size=6)), max_size=60).map(
            lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
        ),
    )
)
def test_random_bytes_as_bib(data: bytes) -> None:
    _attack(CV_YAML.encode(), data)


@settings(max_examples=4, deadline=None, database=None)
@given(st.one_of(st.binary(max_size=500), mutated_configs()))
def test_a_few_cases_through_the_real_cli(data: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="cvbuild-fuzz-") as tmp:
        config = Path(tmp) / "cv.yaml"
        config.write_bytes(data)
        (Path(tmp) / "papers.bib").write_text(BIB, encoding="utf-8")
        for args in (["check"], ["build", "--format", "md", "--output", f"{tmp}/out"]):
            done = run_cli(args[0], str(config), *args[1:], memory_mb=400, timeout=30)
            done.assert_no_traceback()
            assert done.code in ALLOWED, done.text
