"""The benchmark's bookkeeping: a child's time, exit code and peak memory; per-round ratios
and the PASS/FAIL lines the compare command prints."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import compare  # noqa: E402
import measure  # noqa: E402


def test_a_child_reports_its_exit_code_its_stderr_and_its_peak_memory() -> None:
    grow = "import sys; b = bytearray(64 * 1024 * 1024); sys.stderr.write('done'); sys.exit(3)"
    run = measure.run_measured([sys.executable, "-c", grow])
    assert run.code == 3
    assert run.stderr == "done"
    assert run.peak_mb >= 64
    assert run.seconds > 0


def test_a_failed_child_stops_the_benchmark_with_its_message() -> None:
    run = measure.Run(0.1, 10.0, 2, "rendercv: no such file")
    try:
        measure.checked(run, "rendercv render")
    except SystemExit as stop:
        assert "rendercv render failed (exit 2)" in str(stop)
        assert "no such file" in str(stop)
    else:
        raise AssertionError("a failed child was accepted")


def test_ratios_pair_the_rounds_and_take_the_median() -> None:
    ours, theirs = compare.Series(), compare.Series()
    for a, b in ((1.0, 2.0), (3.0, 3.0), (1.0, 4.0)):
        ours.add(a)
        theirs.add(b)
    assert compare.median_ratio(theirs, ours) == 2.0  # per round: 2, 1, 4
    assert compare.spread(theirs, ours) == "1.00–4.00"
    assert ours.median == 1.0


def test_a_verdict_line_says_pass_or_fail_and_the_target() -> None:
    line = compare.Verdict("PDF 20 papers vs RenderCV", "1.20× faster", "≥ 1.50×", False).line()
    assert line == "FAIL  PDF 20 papers vs RenderCV: 1.20× faster (target ≥ 1.50×)"
    assert compare.Verdict("memory", "90 MB", "< 150 MB", True).line().startswith("PASS  ")


def test_the_docx_pair_times_cvbuild_pandoc_alone_and_the_floor(tmp_path: Path) -> None:
    case = compare.make_docx_case(tmp_path, 5)
    assert case.least is not None
    for step in case.steps(1):  # the floor first this round, then cvbuild, then pandoc
        step()
    assert [len(s.seconds) for s in (case.build, case.reference, case.floor)] == [1, 1, 1]
    assert (tmp_path / "pandoc5" / "cv.docx").stat().st_size > 5000  # pandoc really ran
    assert list((tmp_path / "docx5" / "out").rglob("*.docx"))
    assert compare.make_markdown_case(tmp_path, 5).least is None  # no floor there
