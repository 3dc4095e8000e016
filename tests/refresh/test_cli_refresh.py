"""`cvbuild refresh` as a user runs it: a real cv.yaml, the loopback replay server, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from cvbuild.cli import main
from tests.refresh.conftest import CURATED, DBLP_PID, Replay


def write_project(root: Path, replay: Replay) -> Path:
    (root / "publications.bib").write_text(CURATED, encoding="utf-8")
    config = root / "cv.yaml"
    config.write_text(
        "person:\n  name: Di Xu\n"
        "sections:\n  - title: Publications\n    publications:\n"
        "      bib: [publications.bib, publications.fetched.bib]\n"
        "refresh:\n  into: publications.fetched.bib\n  mailto: owner@example.org\n"
        "  sources:\n"
        f"    - dblp: {{pid: '{DBLP_PID}', base_url: '{replay.base}/dblp', pace: '0'}}\n"
        "output:\n  dir: out\n  formats: [md]\n",
        encoding="utf-8",
    )
    return config


def test_refresh_fetches_merges_builds_then_is_a_no_op(
    tmp_path: Path, replay: Replay, capsys
) -> None:
    config = write_project(tmp_path, replay)
    curated = (tmp_path / "publications.bib").read_bytes()
    assert main(["refresh", str(config)]) == 0
    out = capsys.readouterr().out
    assert "dblp" in out
    md = next((tmp_path / "out" / "cv").glob("*.md"))
    text = md.read_text(encoding="utf-8")
    assert "Verification of Cascade OCT" in text  # the curated entry survives
    fetched = (tmp_path / "publications.fetched.bib").read_text(encoding="utf-8")
    assert fetched.count("@") > 1
    before = (md.stat().st_mtime_ns, (tmp_path / "publications.fetched.bib").stat().st_mtime_ns)
    assert main(["refresh", str(config), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["changed"] is False
    assert (
        md.stat().st_mtime_ns,
        (tmp_path / "publications.fetched.bib").stat().st_mtime_ns,
    ) == before
    assert (tmp_path / "publications.bib").read_bytes() == curated


def test_refresh_source_failure_exits_3_and_keeps_files(
    tmp_path: Path, replay: Replay, capsys
) -> None:
    config = write_project(tmp_path, replay)
    replay.fault("/dblp", "html")  # a bot page where BibTeX was expected
    assert main(["refresh", str(config)]) == 3
    captured = capsys.readouterr()
    assert "dblp" in (captured.out + captured.err)
    assert not (tmp_path / "publications.fetched.bib").exists()
    assert not (tmp_path / "out").exists()


def test_build_before_first_refresh_reads_managed_file_as_empty(
    tmp_path: Path, replay: Replay
) -> None:
    config = write_project(tmp_path, replay)
    assert main(["build", str(config)]) == 0
    assert "Cascade" in next((tmp_path / "out" / "cv").glob("*.md")).read_text(encoding="utf-8")
