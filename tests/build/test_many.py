"""Many CVs at once: one failing CV never stops the others."""

from __future__ import annotations

from pathlib import Path

import pytest

import cvbuild.build.many as batch
import cvbuild.build.run as pipeline
from cvbuild.build import BuildOptions, BuildReport
from cvbuild.build.many import BatchResult, build_many, output_folders, summarise
from cvbuild.errors import ExternalError
from cvbuild.starter import init_project


def _good(folder: Path, name: str = "Jane Doe") -> Path:
    init_project(folder, name=name)
    return folder / "cv.yaml"


def _broken(folder: Path) -> Path:
    folder.mkdir(parents=True)
    config = folder / "cv.yaml"
    config.write_text("person:\n  nme: Bob\nsections: []\n", encoding="utf-8")
    return config


def test_good_and_broken_cv_in_a_pool_both_reported_good_one_built(tmp_path: Path) -> None:
    good = _good(tmp_path / "alice", "Alice Martin")
    broken = _broken(tmp_path / "bob")
    seen: list[Path] = []
    results = build_many(
        [broken, good],
        BuildOptions(formats=["md"]),
        jobs=2,
        on_done=lambda r: seen.append(r.config),
    )
    assert [r.config for r in results] == [broken, good]  # input order
    assert sorted(seen) == sorted([broken, good])  # on_done once per CV
    bad, ok = results
    assert ok.ok and ok.exit_code == 0 and ok.report is not None
    md = tmp_path / "alice" / "output" / "cv" / "Martin_Alice_CV.md"
    assert md.read_text(encoding="utf-8").startswith("# Alice Martin")
    assert not bad.ok and bad.exit_code == 1 and bad.report is None
    assert any(str(p).startswith(f"{broken}:2:3: error: unknown key 'nme'") for p in bad.problems)
    lines = summarise(results)
    assert lines[0].endswith("failed (exit 1): 1 problem found") and "bob" in lines[0]
    assert any("unknown key 'nme'" in line and line.startswith("    ") for line in lines)
    assert any("alice" in line and ": ok, built 2 variant(s)" in line for line in lines)
    assert lines[-1] == "2 CV(s): 1 built, 1 failed (exit 1)"


def test_a_bug_in_one_cv_is_kept_with_its_traceback_and_others_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _good(tmp_path / "a")
    buggy = _good(tmp_path / "b")
    external = _good(tmp_path / "c")
    real_build = pipeline.build

    def build(config: Path, opts: BuildOptions | None = None) -> BuildReport:
        if config == buggy:
            raise KeyError("oops")
        if config == external:
            raise ExternalError("xelatex failed on entry 'doe2024'")
        return real_build(config, opts)

    monkeypatch.setattr(pipeline, "build", build)
    results = build_many([good, buggy, external], BuildOptions(formats=["md"]), jobs=1)
    assert [r.exit_code for r in results] == [0, batch.INTERNAL_EXIT, 3]
    assert "KeyError: 'oops'" in results[1].message
    assert "Traceback" in results[1].traceback and "raise KeyError" in results[1].traceback
    assert results[2].message == "xelatex failed on entry 'doe2024'"
    lines = summarise(results)
    assert "internal error (a bug in cvbuild; please report it): KeyError: 'oops'" in lines[1]
    assert not any("Traceback" in line for line in lines)
    assert any("Traceback" in line for line in summarise(results, tracebacks=True))
    assert "exit 3" in lines[2]
    assert batch.batch_exit_code(results) == batch.INTERNAL_EXIT
    assert lines[-1] == "3 CV(s): 1 built, 2 failed (exit 4)"


def test_shared_output_folder_gives_each_cv_its_own_folder(tmp_path: Path) -> None:
    a = _good(tmp_path / "dept" / "alice", "Alice Martin")
    b = _good(tmp_path / "dept" / "bob", "Bob Stone")
    out = tmp_path / "site"
    results = build_many([a, b], BuildOptions(formats=["md"], output_dir=out), jobs=1)
    assert all(r.ok for r in results)
    assert (out / "alice" / "cv" / "Martin_Alice_CV.md").is_file()
    assert (out / "bob" / "cv" / "Stone_Bob_CV.md").is_file()
    # Each CV keeps its own build state, beside its own config.
    assert (tmp_path / "dept" / "alice" / ".cvbuild-cache" / "build.json").is_file()
    assert (tmp_path / "dept" / "bob" / ".cvbuild-cache" / "build.json").is_file()


def test_output_folder_names_are_distinct() -> None:
    configs = [
        Path("/d/x/alice/cv.yaml"),
        Path("/d/y/alice/cv.yaml"),
        Path("/d/bob/cv.yaml"),
        Path("/d/bob/cv-short.yaml"),
    ]
    folders = output_folders(configs, Path("/out"))
    assert folders[configs[0]] == Path("/out/x-alice")
    assert folders[configs[1]] == Path("/out/y-alice")
    assert folders[configs[2]] == Path("/out/bob")
    assert folders[configs[3]] == Path("/out/cv-short")
    assert len(set(folders.values())) == 4


def test_a_config_named_twice_is_built_once(tmp_path: Path) -> None:
    config = _good(tmp_path / "a")
    done: list[BatchResult] = []
    results = build_many([config, config], BuildOptions(formats=["md"]), on_done=done.append)
    assert len(results) == 2 and results[0] is results[1] and results[0].ok
    assert len(done) == 1


def test_md_only_batches_stay_in_process_unless_large() -> None:
    assert not batch.batch_worth_pool(3, BuildOptions(formats=["md"]))
    assert batch.batch_worth_pool(batch.CHEAP_BATCH, BuildOptions(formats=["md", "tex"]))
    assert batch.batch_worth_pool(2, BuildOptions(formats=["pdf"]))
    assert batch.batch_worth_pool(2, BuildOptions())  # each CV's own formats: maybe PDF
    assert not batch.batch_worth_pool(1, BuildOptions())
