"""Citation metrics through the real CLI and the loopback replay server: new counts never
rebuild a CV that does not print them, never reach a .bib, and a key in cv.yaml is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.refresh.replay import Replay, serve, synth_count
from tests.security.conftest import fingerprint, run_cli

N = 8
CURATED = """@article{mine2001,
  author = {Ada Lovelace and Bo Li},
  title = {Synthetic study 1 of citation metrics},
  journal = {Journal of Tests},
  year = {2001},
  doi = {10.5555/synth.1},
}
"""


@pytest.fixture
def server(sources_dir: Path) -> Iterator[Replay]:
    with serve(sources_dir) as state:
        yield state


def write_project(root: Path, replay: Replay, *, cited_variant: bool) -> Path:
    base = f"{replay.base}/synth/{N}"
    (root / "publications.bib").write_text(CURATED, encoding="utf-8")
    variants = "variants:\n  plain: {}\n"
    if cited_variant:
        variants += "  cited: {metrics: {per_paper: true, summary: true, source: openalex}}\n"
    config = root / "cv.yaml"
    config.write_text(
        "person: {name: Ada Lovelace}\n"
        "sections:\n  - title: Publications\n    publications:\n"
        "      bib: [publications.bib, publications.fetched.bib]\n"
        f"{variants}"
        "output: {dir: out, formats: [md, html]}\n"
        "refresh:\n  into: publications.fetched.bib\n  sources:\n"
        f"    - openalex: {{id: A5000000001, base_url: '{base}/openalex', pace: '0'}}\n"
        f"    - semanticscholar: {{id: '1', base_url: '{base}/s2', pace: '0'}}\n"
        f"    - pubmed: {{query: 'Lovelace A[au]', base_url: '{base}/pubmed', "
        f"idconv_base_url: '{base}/pubmed/idconv', pace: '0'}}\n"
        f"    - inspire: {{id: A.Lovelace.1, base_url: '{base}/inspire', pace: '0'}}\n",
        encoding="utf-8",
    )
    return config


def test_new_counts_do_not_rebuild_a_cv_without_metrics(tmp_path: Path, server: Replay) -> None:
    config = write_project(tmp_path, server, cited_variant=False)
    first = run_cli("refresh", str(config))
    assert first.code == 0, first.text
    first.assert_no_traceback()
    assert (tmp_path / "publications.fetched.metrics.json").is_file()
    bib = (tmp_path / "publications.fetched.bib").read_text(encoding="utf-8")
    assert "citation_count" not in bib and "10.5555/synth.7" in bib
    outputs = fingerprint(tmp_path / "out")
    mtimes = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*") if p.is_file()}
    server.bump = 5  # every count ticks up
    second = run_cli("refresh", str(config), "--json")
    assert second.code == 0, second.text
    report = json.loads(second.out)
    assert report["changed"] is False and report["metrics_written"] is True
    assert fingerprint(tmp_path / "out") == outputs  # not one byte of any output
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes  # and not even rewritten
    build = run_cli("build", str(config))
    assert build.code == 0 and "1 up to date" in build.out and "nothing changed" in build.out
    assert fingerprint(tmp_path / "out") == outputs
    curated = (tmp_path / "publications.bib").read_text(encoding="utf-8")
    assert curated == CURATED  # the curated file is never touched


def test_new_counts_rebuild_only_the_variant_that_prints_them(
    tmp_path: Path, server: Replay
) -> None:
    config = write_project(tmp_path, server, cited_variant=True)
    assert run_cli("refresh", str(config)).code == 0
    cited = next((tmp_path / "out" / "cited").glob("*.md"))
    text = cited.read_text(encoding="utf-8")
    # the curated entry and its four fetched twins: one entry, one set of metrics
    assert text.count("Synthetic study 1 of citation metrics") == 1
    assert f"cited {synth_count(1, 'openalex', 0)} times" in text
    assert "h-index" in text and "(OpenAlex, as of " in text
    plain = fingerprint(tmp_path / "out" / "plain")
    server.bump = 5
    again = run_cli("refresh", str(config))
    assert again.code == 0, again.text
    assert fingerprint(tmp_path / "out" / "plain") == plain
    assert f"cited {synth_count(1, 'openalex', 5)} times" in cited.read_text(encoding="utf-8")
    build = run_cli("build", str(config))
    assert "2 up to date" in build.out


def test_an_api_key_in_cv_yaml_is_a_located_error(tmp_path: Path, server: Replay) -> None:
    config = write_project(tmp_path, server, cited_variant=False)
    text = config.read_text(encoding="utf-8").replace(
        "id: A5000000001,", "id: A5000000001, api_key: sekrit-123,"
    )
    config.write_text(text, encoding="utf-8")
    before = fingerprint(tmp_path)
    run = run_cli("refresh", str(config))
    assert run.code == 1
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "api_key" in t)
    assert f"cv.yaml:{line}:" in run.err and "OPENALEX_API_KEY" in run.err
    assert "sekrit" not in run.text  # the secret itself is not echoed
    assert server.hits == [] and fingerprint(tmp_path) == before


def test_a_failing_source_never_shows_its_key(tmp_path: Path, server: Replay) -> None:
    config = write_project(tmp_path, server, cited_variant=False)
    server.fault(f"/synth/{N}/openalex", "status", status=500)
    run = run_cli(
        "refresh", str(config), "--json", env={"OPENALEX_API_KEY": "sekrit-456"}, timeout=120
    )
    assert run.code == 3
    assert "sekrit" not in run.text and "api_key=***" in run.out
