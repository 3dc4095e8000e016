"""The plan (variants × formats → jobs, the one max_pages rule) and its jobs run in and out of a pool."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from cvbuild.build import BuildOptions
from cvbuild.build.job import JobInput, run_job
from cvbuild.build.plan import Job, plan_bundle, plan_jobs, worth_parallel
from cvbuild.build.run import load, load_bibliographies, run_jobs, run_plan
from cvbuild.starter import init_project


def _loaded(tmp_path: Path):
    init_project(tmp_path / "cv", name="Jane Doe")
    cv = load(tmp_path / "cv" / "cv.yaml")
    return cv, load_bibliographies(cv)[0]


def _with_max_pages(cv, name: str, pages: int):
    variants = tuple(replace(v, max_pages=pages) if v.name == name else v for v in cv.variants)
    return replace(cv, variants=variants)


def test_plan_splits_heavy_formats_and_keeps_cheap_ones_together(tmp_path: Path) -> None:
    cv, _ = _loaded(tmp_path)
    jobs = plan_jobs(cv, cv.variants, ["pdf", "md", "docx", "tex"])
    assert [(j.variant, j.formats) for j in jobs] == [
        ("cv", ("pdf",)),
        ("cv", ("docx",)),
        ("cv", ("md", "tex")),
        ("resume", ("pdf",)),
        ("resume", ("docx",)),
        ("resume", ("md", "tex")),
    ]
    assert worth_parallel(jobs, 2)
    assert not worth_parallel(jobs, 1)
    md_only = plan_jobs(cv, cv.variants, ["md"])
    assert not worth_parallel(md_only, 8)
    serial = plan_jobs(cv, cv.variants, ["pdf", "md"], split=False)
    assert [(j.variant, j.formats) for j in serial] == [
        ("cv", ("pdf", "md")),
        ("resume", ("pdf", "md")),
    ]


def test_a_max_pages_variant_is_one_job_whatever_the_formats(tmp_path: Path) -> None:
    cv, _ = _loaded(tmp_path)
    cv = _with_max_pages(cv, "resume", 1)
    for formats in (["pdf", "docx", "md"], ["docx", "md"], ["md"]):
        jobs = [j for j in plan_jobs(cv, cv.variants, formats) if j.variant == "resume"]
        assert jobs == [Job("resume", tuple(formats), 1)]
        assert jobs[0].heavy  # it compiles a PDF to fit, even when none is written
    resume = next(v for v in cv.variants if v.name == "resume")
    assert plan_bundle(cv, resume) == Job(
        "resume", ("pdf", "docx", "txt", "publications", "json"), 1
    )
    with pytest.raises(ValueError, match="unknown bundle parts"):
        plan_bundle(cv, resume, ["pdf", "exe"])


def test_jobs_in_a_pool_give_the_serial_bytes(tmp_path: Path) -> None:
    cv, pubs = _loaded(tmp_path)
    opts = BuildOptions(formats=["md", "tex"])
    serial = {
        job.variant: dict(run_job(JobInput(cv, job, pubs)).files)
        for job in plan_jobs(cv, cv.variants, opts.formats, split=False)
    }
    finished: list[str] = []
    plan = plan_jobs(cv, cv.variants, opts.formats)
    results = run_plan(cv, plan, pubs, opts, 2, on_progress=finished.append)
    pooled: dict[str, dict[str, bytes]] = {}
    for result in results:
        pooled.setdefault(result.variant, {}).update(result.files)
    assert pooled == serial
    assert sorted(finished) == ["cv: md, tex", "resume: md, tex"]
    assert all("render" in r.timings for r in results) and all(not r.warnings for r in results)


def test_serially_each_variant_is_one_job(tmp_path: Path) -> None:
    cv, pubs = _loaded(tmp_path)
    finished: list[str] = []
    results = run_jobs(
        cv, ["cv", "resume"], pubs, BuildOptions(formats=["md"], jobs=4), finished.append
    )
    assert finished == ["cv: md", "resume: md"] and len(results) == 2
    assert list(results[1].files) == ["Doe_Jane_CV_resume.md"]


def test_a_worker_failure_is_raised_in_the_parent(tmp_path: Path) -> None:
    cv, pubs = _loaded(tmp_path)
    broken = tmp_path / "tpl"
    (broken / "markdown").mkdir(parents=True)
    (broken / "markdown" / "cv.md.j2").write_text("{{ 1 // 0 }}\n", encoding="utf-8")
    cv = replace(cv, output=replace(cv.output, templates=broken))
    plan = plan_jobs(cv, cv.variants, ["md"])
    with pytest.raises(RuntimeError, match="ZeroDivisionError") as info:
        run_plan(cv, plan, pubs, BuildOptions(formats=["md"]), 2)
    assert "in a worker process" in str(info.value)
