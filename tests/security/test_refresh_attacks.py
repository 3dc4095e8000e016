"""Attacks on ``cvbuild refresh`` through the real CLI and the loopback replay server.

Each class from issue 10 (items 1, 2 and 9) gets its own test: a wrong ``into`` (curated bib,
the config, a path out of the folder, an absolute path, a foreign file, a symlink), hostile
served text, an over-size body, a trickle, redirects off the host, the managed file's mode,
backup generations, and what a failed refresh leaves on disk. Every failing run must leave
every byte and mode under the project (and outside it) as it was.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cvbuild.bib import load_publications, load_text
from tests.refresh.replay import DBLP_PID, Replay, serve
from tests.security.conftest import fingerprint, run_cli

MEMORY_MB = 400
CURATED = """@article{curated2021,
  author = {Di Xu and Ann Other},
  title = {A Curated Paper},
  journal = {Optics Express},
  year = {2021},
}
"""


def served(n: int, extra: str = "") -> str:
    """A DBLP-like answer with ``n`` records; different ``n`` give different managed files."""
    records = [
        f"@article{{DBLP:journals/x/Xu{2000 + i},\n  author = {{Di Xu and Bo Li}},\n"
        f"  title = {{Fetched Paper {i}}},\n  journal = {{J. Tests}},\n  year = {{{2000 + i}}},\n}}\n"
        for i in range(1, n + 1)
    ]
    return "\n".join(records) + extra


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Replay]:
    with serve(tmp_path) as state:  # every answer below is a fault: no recordings needed
        yield state


def write_config(
    root: Path, replay: Replay, into: str = "publications.fetched.bib", extra: str = ""
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if not (root / "publications.bib").exists():
        (root / "publications.bib").write_text(CURATED, encoding="utf-8")
    config = root / "cv.yaml"
    config.write_text(
        "person:\n  name: Di Xu\n"
        "sections:\n  - title: Publications\n    publications:\n"
        "      bib: [publications.bib, publications.fetched.bib]\n"
        "output:\n  dir: out\n  formats: [md]\n"
        "refresh:\n"
        f"  into: {into}\n"
        "  mailto: owner@example.org\n"
        f"{extra}"
        "  sources:\n"
        f"    - dblp: {{pid: '{DBLP_PID}', base_url: '{replay.base}/dblp', pace: '0'}}\n",
        encoding="utf-8",
    )
    return config


INTO_LINE = 11  # the line of 'into:' in write_config's cv.yaml


def refresh(config: Path, *more: str, timeout: float = 60.0) -> object:
    return run_cli("refresh", str(config), *more, memory_mb=MEMORY_MB, timeout=timeout)


# --- 1. refresh.into -----------------------------------------------------------------------


def _into_cases(root: Path, outside: Path) -> dict[str, tuple[str, str]]:
    """name → (the text after 'into:', a fragment of the expected message)."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / ".bashrc").write_text("export PATH=/usr/bin\n", encoding="utf-8")
    (root / "notes.bib").parent.mkdir(parents=True, exist_ok=True)
    (root / "notes.bib").write_text("@misc{mine, title = {Mine}}\n", encoding="utf-8")
    (root / "escape.bib").symlink_to(outside / ".bashrc")
    (root / "alias.bib").symlink_to(root / "publications.bib")
    return {
        "curated bib": ("publications.bib", "reads it as a curated .bib"),
        "the config": ("cv.yaml", "is the config file itself"),
        "dotdot escape": ("../x/.bashrc", "leads out of the folder of cv.yaml"),
        "absolute path": (str(outside / "abs.bib"), "must be a path relative to the folder"),
        "home path": ("~/.bashrc", "must be a path relative to the folder"),
        "foreign file": ("notes.bib", "would overwrite a file refresh did not write"),
        "symlink escape": ("escape.bib", "goes through a symlink that leads out"),
        "symlink to curated": ("alias.bib", "the same file as 'publications.bib'"),
    }


INTO_NAMES = [
    "curated bib",
    "the config",
    "dotdot escape",
    "absolute path",
    "home path",
    "foreign file",
    "symlink escape",
    "symlink to curated",
]


@pytest.mark.parametrize("case", INTO_NAMES)
@pytest.mark.parametrize("command", ["check", "build", "refresh"])
def test_bad_into_is_a_located_error_and_nothing_is_written(
    tmp_path: Path, server: Replay, case: str, command: str
) -> None:
    root, outside = tmp_path / "cv", tmp_path / "x"
    root.mkdir()
    (root / "publications.bib").write_text(CURATED, encoding="utf-8")
    into, expected = _into_cases(root, outside)[case]
    config = write_config(root, server, into=f"'{into}'")
    server.fault("/dblp/", "body", body=served(2, "@misc{evil, author = {;touch ~/owned;}}\n"))
    before = fingerprint(root, outside)
    run = run_cli(command, str(config), memory_mb=MEMORY_MB)
    run.assert_no_traceback()
    assert run.code == 1, run.text
    assert f"cv.yaml:{INTO_LINE}:9: error: " in run.err, run.err
    assert expected in run.err, run.err
    assert "nothing was written" in run.err
    assert fingerprint(root, outside) == before
    assert not (root / "out").exists() and not (root / ".cvbuild-cache").exists()
    assert server.hits == []  # refused before anything was fetched


def test_a_file_refresh_wrote_is_accepted_and_a_new_name_is_created(
    tmp_path: Path, server: Replay
) -> None:
    config = write_config(tmp_path / "cv", server)
    server.fault("/dblp/", "body", body=served(1))
    assert run_cli("check", str(config)).code == 0  # absent: fine
    run = refresh(config)
    assert run.code == 0, run.text
    managed = tmp_path / "cv" / "publications.fetched.bib"
    assert managed.read_text(encoding="utf-8").startswith("% Written by 'cvbuild refresh'")
    assert run_cli("check", str(config)).code == 0  # its own header: fine


# --- hostile served text --------------------------------------------------------------------

HOSTILE_AUTHOR = "Doe, John and ;touch ~/owned; and Roe, Jane"
HOSTILE = (
    "@article{evil1,\n"
    f"  author = {{{HOSTILE_AUTHOR}}},\n"
    "  title = {Pwn \\input{/etc/passwd} 100\\% $x$ \\{ \\}},\n"
    "  journal = {J. \\& Co.},\n"
    "  year = {2024},\n"
    "  url = {https://example.org/a}b},\n"
    "}\n"
    "@article{evil2,\n"
    "  author = {Mallory, Eve},\n"
    "  title = {}\n@misc{injected, title = {smuggled}},\n"
    "  year = {2023},\n"
    "}\n"
)


def test_hostile_text_lands_only_in_the_managed_file_as_escaped_bibtex(
    tmp_path: Path, server: Replay
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    root = tmp_path / "cv"
    config = write_config(root, server)
    server.fault("/dblp/", "body", body=HOSTILE)
    curated = fingerprint(root / "publications.bib", config)
    run = run_cli("refresh", str(config), env={"HOME": str(home)}, memory_mb=MEMORY_MB)
    run.assert_no_traceback()
    assert run.code == 0, run.text
    assert not (home / "owned").exists() and list(home.iterdir()) == []
    assert fingerprint(root / "publications.bib", config) == curated
    managed = root / "publications.fetched.bib"
    text = managed.read_text(encoding="utf-8")
    assert f"author = {{{HOSTILE_AUTHOR}}}," in text  # braced, as served
    assert "\\input{" not in text  # a command name is escaped text, never a command
    # every value is one braced group per line: nothing can open a new entry
    for line in text.splitlines():
        if line.startswith("  "):
            assert re.match(r"^  [a-z][a-z0-9_\-+.:]* = \{.*\},$", line), line
    # and it reads back as the same text the bib stage made of the answer
    expected, _ = load_text(HOSTILE, "served")
    got, problems = load_publications([managed])
    assert [p for p in problems if not p.is_warning] == []
    by_key = {p.key: p for p in got}
    for pub in expected:
        back = by_key[pub.key]
        for name in ("author", "title", "journal", "url"):
            assert back.get(name) == pub.get(name), (pub.key, name)
    assert {p.key for p in got} <= {p.key for p in expected}  # nothing smuggled in
    md = next((root / "out" / "cv").glob("*.md")).read_text(encoding="utf-8")
    assert "\\input" not in md


# --- 2. network input bounded ---------------------------------------------------------------


def good_state(root: Path, server: Replay, extra: str = "") -> Path:
    """A project after two good refreshes: managed file, a backup, a snapshot, outputs."""
    config = write_config(root, server, extra=extra)
    for n in (1, 2):
        server.fault("/dblp/", "body", body=served(n))
        run = refresh(config)
        assert run.code == 0, run.text
    assert (root / ".cvbuild-cache" / "refresh" / "publications.fetched.bib.bak.1").exists()
    assert list((root / "out").rglob("*.md"))
    return config


def assert_failed_cleanly(run: object, root: Path, before: dict, fragment: str) -> None:
    run.assert_no_traceback()  # type: ignore[attr-defined]
    assert run.code == 3, run.text  # type: ignore[attr-defined]
    assert f"dblp:{DBLP_PID}: FAILED" in run.text, run.text  # type: ignore[attr-defined]
    assert fragment in run.text, run.text  # type: ignore[attr-defined]
    assert fingerprint(root) == before


@pytest.mark.parametrize("declare_length", [True, False], ids=["announced", "streamed"])
def test_a_100_mb_answer_stops_at_the_cap(
    tmp_path: Path, server: Replay, declare_length: bool
) -> None:
    root = tmp_path / "cv"
    config = good_state(root, server)
    before = fingerprint(root)
    server.fault("/dblp/", "huge", size=100 * 1024 * 1024, declare_length=declare_length)
    run = refresh(config)
    assert_failed_cleanly(run, root, before, "over the size limit of 20 MB")
    assert run.peak_kb < MEMORY_MB * 1024
    print(
        f"\n100 MB answer ({'announced' if declare_length else 'streamed'}): "
        f"peak RSS {run.peak_kb / 1024:.0f} MB"
    )


def test_the_size_cap_is_configurable(tmp_path: Path, server: Replay) -> None:
    root = tmp_path / "cv"
    config = good_state(root, server, extra="  max_response_mb: 1\n")
    before = fingerprint(root)
    server.fault("/dblp/", "huge", size=2 * 1024 * 1024, declare_length=False)
    assert_failed_cleanly(refresh(config), root, before, "over the size limit of 1 MB")


@pytest.mark.parametrize("kind", ["trickle", "trickle-headers"])
def test_a_trickle_ends_at_the_deadline(tmp_path: Path, server: Replay, kind: str) -> None:
    root = tmp_path / "cv"
    config = good_state(root, server, extra="  timeout: 2\n")
    before = fingerprint(root)
    server.fault("/dblp/", kind, interval=0.5)  # 2 bytes/s: every read returns in time
    started = time.monotonic()
    run = refresh(config, timeout=30)
    elapsed = time.monotonic() - started
    assert_failed_cleanly(run, root, before, "took longer than its deadline of 2 s")
    assert elapsed < 12, elapsed  # the deadline, plus starting Python twice over
    print(f"\n{kind}: ended after {elapsed:.1f} s (deadline 2 s)")


def test_redirect_to_another_port_is_refused(tmp_path: Path, server: Replay) -> None:
    root = tmp_path / "cv"
    config = good_state(root, server)
    before = fingerprint(root)
    with serve(tmp_path) as other:
        other.fault("/", "body", body=served(5))
        target = f"{other.base}/dblp/pid/{DBLP_PID}.bib"
        server.fault("/dblp/", "redirect-to", location=target)
        run = refresh(config)
        assert other.hits == []
    assert_failed_cleanly(run, root, before, "a redirect to another port or scheme")


@pytest.mark.parametrize(
    ("location", "fragment"),
    [
        ("ftp://127.0.0.1/pub/x.bib", "a redirect to a 'ftp:' address"),
        ("file:///etc/passwd", "a redirect to a 'file:' address"),
        ("http://localhost:1/x.bib", "a redirect to another host"),
        ("https://example.org/x.bib", "a redirect to another host"),
    ],
)
def test_redirect_off_http_or_off_the_host_is_refused(
    tmp_path: Path, server: Replay, location: str, fragment: str
) -> None:
    root = tmp_path / "cv"
    config = good_state(root, server)
    before = fingerprint(root)
    server.fault("/dblp/", "redirect-to", location=location)
    assert_failed_cleanly(refresh(config), root, before, fragment)


def test_a_redirect_on_the_same_host_is_still_followed(tmp_path: Path, server: Replay) -> None:
    root = tmp_path / "cv"
    config = write_config(root, server)
    server.fault("/dblp/", "redirect-to", location="/elsewhere/x.bib", times=1)
    server.fault("/elsewhere/", "body", body=served(1))
    run = refresh(config)
    assert run.code == 0, run.text


# --- the managed file: mode and backups ----------------------------------------------------


def test_the_managed_file_keeps_its_mode(tmp_path: Path, server: Replay) -> None:
    root = tmp_path / "cv"
    config = write_config(root, server)
    managed = root / "publications.fetched.bib"
    old = os.umask(0o022)
    try:
        server.fault("/dblp/", "body", body=served(1))
        assert refresh(config).code == 0
        assert managed.stat().st_mode & 0o7777 == 0o644  # the umask default, not 0600
        for mode, n in ((0o644, 2), (0o640, 3), (0o664, 4)):
            managed.chmod(mode)
            server.fault("/dblp/", "body", body=served(n))
            run = refresh(config)
            assert run.code == 0 and f"Fetched Paper {n}" in managed.read_text(encoding="utf-8")
            assert managed.stat().st_mode & 0o7777 == mode
    finally:
        os.umask(old)


def test_backups_keep_three_generations(tmp_path: Path, server: Replay) -> None:
    root = tmp_path / "cv"
    config = write_config(root, server)
    managed = root / "publications.fetched.bib"
    cache = root / ".cvbuild-cache" / "refresh"
    states: list[bytes] = []
    for n in range(1, 6):
        server.fault("/dblp/", "body", body=served(n))
        assert refresh(config).code == 0
        states.append(managed.read_bytes())
    # the last good state (run 1), then two bad runs (2, 3): run 1 is still there
    backups = {k: (cache / f"publications.fetched.bib.bak.{k}") for k in (1, 2, 3)}
    assert backups[1].read_bytes() == states[3]
    assert backups[2].read_bytes() == states[2]
    assert backups[3].read_bytes() == states[1]
    assert not (cache / "publications.fetched.bib.bak.4").exists()
    assert states[0] not in {b.read_bytes() for b in backups.values()}  # only three kept


def test_two_bad_runs_never_erase_the_last_good_state(tmp_path: Path, server: Replay) -> None:
    root = tmp_path / "cv"
    config = write_config(root, server)
    managed = root / "publications.fetched.bib"
    cache = root / ".cvbuild-cache" / "refresh"
    server.fault("/dblp/", "body", body=served(4))
    assert refresh(config).code == 0
    good = managed.read_bytes()
    for bad in (served(1, "@misc{junk1, title = {junk}}\n"), served(1)):
        server.fault("/dblp/", "body", body=bad)
        assert refresh(config).code == 0
    kept = [p.read_bytes() for p in sorted(cache.glob("publications.fetched.bib.bak.*"))]
    assert good in kept


# --- 9. what a failed refresh leaves, and how warnings are named ---------------------------


def test_a_failed_refresh_without_snapshot_leaves_outputs_and_build_cache(
    tmp_path: Path, server: Replay
) -> None:
    root = tmp_path / "cv"
    config = good_state(root, server)
    for snapshot in (root / ".cvbuild-cache" / "refresh").glob("*.json"):
        snapshot.unlink()  # the managed file exists; the source's snapshot does not
    before = fingerprint(root)
    server.fault("/dblp/", "html")  # a bot-check page where BibTeX was expected
    run = refresh(config)
    assert_failed_cleanly(run, root, before, "HTML page where BibTeX was expected")
    assert "was not written" in run.text


def test_warnings_name_the_source_and_the_record(tmp_path: Path, server: Replay) -> None:
    root = tmp_path / "cv"
    config = write_config(root, server)
    body = served(
        2, "@article{Xu2020,\n  title = {T},\n  journal = nojournal,\n  year = 2020,\n}\n"
    )
    server.fault("/dblp/", "body", body=body)
    run = refresh(config)
    assert run.code == 0, run.text
    assert f"dblp {DBLP_PID}: record 3 (key Xu2020): warning:" in run.text, run.text
    assert "'nojournal' is not a defined @string macro" in run.text
    assert "response.bib" not in run.text and "cvbuild-refresh-" not in run.text
