"""Issue #17's targets in one interleaved run: cvbuild side by side with RenderCV, one bare
engine pass, pandoc alone and a bare ``bibtexparser.parse_file``.

Every measured command is a fresh process and its wall time is what a user waits for (start-up
included on both sides). Rounds alternate the tools (the order rotates each round) so that the
shared machine's noise hits all of them alike; each figure is the median over the rounds, each
ratio the median of the per-round ratios.
"""

from __future__ import annotations

import functools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from measure import ENV, Run, checked, cvbuild_cmd, one_engine_pass, run_child, run_measured
from rendercv_input import install_icon_stand_in, typst_environment, write_rendercv_yaml
from synth import OWNER, write_cv

EMAIL = "lea@example.org"


@dataclass
class Series:
    """One measured thing over the rounds: seconds and peak memory per round."""

    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    def add(self, run: Run | float) -> None:
        if isinstance(run, Run):
            self.seconds.append(run.seconds)
            self.peak_mb.append(run.peak_mb)
        else:
            self.seconds.append(run)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb) if self.peak_mb else float("nan")


def ratios(a: Series, b: Series) -> list[float]:
    """a/b per round (both measured in the same round)."""
    return [x / y for x, y in zip(a.seconds, b.seconds, strict=True)]


def median_ratio(a: Series, b: Series) -> float:
    return statistics.median(ratios(a, b))


def spread(a: Series, b: Series) -> str:
    """The per-round ratios' range: how much the machine's noise moved them."""
    each = ratios(a, b)
    return f"{min(each):.2f}–{max(each):.2f}"


@dataclass(frozen=True)
class Verdict:
    name: str
    measured: str
    target: str
    passed: bool

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.measured} (target {self.target})"


# ------------------------------------------------------------------------------ setup


def rendercv_available() -> bool:
    return shutil.which("rendercv") is not None or _has_module("rendercv")


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def rendercv_cmd(yaml_file: Path) -> list[str]:
    # PDF only: no Markdown, HTML or PNG (RenderCV's own flags).
    return [sys.executable, "-m", "rendercv", "render", yaml_file.name,
            "-nomd", "-nohtml", "-nopng"]  # fmt: skip


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


@dataclass
class PdfCase:
    size: int
    config: Path
    tex_dir: Path
    rcv_yaml: Path
    rcv_env: dict[str, str]
    passes: int = 0
    python_peak_mb: float = 0.0
    pages: tuple[int, int] = (0, 0)  # cvbuild, RenderCV
    build: Series = field(default_factory=Series)
    rendercv: Series = field(default_factory=Series)
    engine: Series = field(default_factory=Series)

    def clean(self) -> None:
        shutil.rmtree(self.config.parent / "out", ignore_errors=True)
        shutil.rmtree(self.config.parent / ".cvbuild-cache", ignore_errors=True)

    def run_build(self) -> None:
        self.clean()  # from scratch: no cache, no seeded .aux
        cmd = cvbuild_cmd("-q", "build", "--format", "pdf", str(self.config))
        self.build.add(checked(run_measured(cmd, cwd=self.config.parent), "cvbuild build"))

    def run_rendercv(self) -> None:
        shutil.rmtree(self.rcv_yaml.parent / "rendercv_output", ignore_errors=True)
        run = run_measured(rendercv_cmd(self.rcv_yaml), cwd=self.rcv_yaml.parent, env=self.rcv_env)
        self.rendercv.add(checked(run, "rendercv render"))

    def run_engine(self) -> None:
        self.engine.add(one_engine_pass(self.tex_dir))


def make_pdf_case(root: Path, size: int, cache_home: Path) -> PdfCase:
    config = write_cv(root / f"pdf{size}", size, formats=("pdf",))
    run_child("build", str(config), "tex")
    tex_dir = root / f"tex{size}"
    shutil.copytree(config.parent / "out" / "cv", tex_dir)
    rcv_dir = root / f"rendercv{size}"
    rcv_dir.mkdir()
    rcv_yaml = write_rendercv_yaml(config.parent / "papers.bib", rcv_dir / "cv.yaml", OWNER, EMAIL)
    case = PdfCase(size, config, tex_dir, rcv_yaml, typst_environment(cache_home, ENV))
    case.clean()
    first = run_child("build", str(config), "pdf")  # also warms TeX's font caches
    case.passes, case.python_peak_mb = first["passes"], first["peak_mb"]
    case.run_rendercv()  # warms Typst's font scan; checks the offline stand-in works
    case.rendercv = Series()
    ours = next((config.parent / "out" / "cv").glob("*.pdf"))
    theirs = next((rcv_dir / "rendercv_output").glob("*.pdf"))
    case.pages = (pdf_pages(ours), pdf_pages(theirs))
    return case


@dataclass
class PairCase:
    """cvbuild against one outside tool on the same input (DOCX: pandoc; Markdown: parse)."""

    label: str
    ours: Callable[[], Run]
    theirs: Callable[[], Run]
    # The least any build could take here (DOCX: see ``make_docx_case``), or None.
    least: Callable[[], Run] | None = None
    build: Series = field(default_factory=Series)
    reference: Series = field(default_factory=Series)
    floor: Series = field(default_factory=Series)

    def run_ours(self) -> None:
        self.build.add(checked(self.ours(), f"{self.label} build"))

    def run_theirs(self) -> None:
        self.reference.add(checked(self.theirs(), f"{self.label} reference"))

    def run_floor(self) -> None:
        if self.least is not None:
            self.floor.add(checked(self.least(), f"{self.label} floor"))

    def steps(self, round_number: int) -> list[Callable[[], None]]:
        order = [self.run_ours, self.run_theirs, self.run_floor]
        shift = round_number % len(order)
        return order[shift:] + order[:shift]


def make_docx_case(root: Path, size: int) -> PairCase:
    from cvbuild.build.job import prepare
    from cvbuild.build.meter import Meter
    from cvbuild.build.run import load, load_bibliographies
    from cvbuild.compile.pandoc import find_pandoc, pandoc_command, reference_docx_path
    from cvbuild.render.markdown import render_markdown

    config = write_cv(root / f"docx{size}", size, formats=("docx",))
    cv = load(config)
    view = prepare(cv, cv.variants[0], load_bibliographies(cv)[0], "", Meter())
    alone = root / f"pandoc{size}"
    alone.mkdir()
    (alone / "cv.md").write_text(render_markdown(view.doc, flavor="pandoc"), encoding="utf-8")
    ref = reference_docx_path(view.resolved.theme, view.resolved.paper)
    pandoc = pandoc_command(*find_pandoc(), ref)  # the same reader, options and sandbox

    def ours() -> Run:
        shutil.rmtree(config.parent / "out", ignore_errors=True)
        shutil.rmtree(config.parent / ".cvbuild-cache", ignore_errors=True)
        return run_measured(cvbuild_cmd("-q", "build", "--format", "docx", str(config)),
                            cwd=config.parent)  # fmt: skip

    # The floor: a Python process that only imports the readers the design names (PyYAML,
    # bibtexparser, Jinja2), reads this cv.yaml and .bib with them and runs the same pandoc
    # on the Markdown already written. Any build that reads the CV in Python pays this much.
    floor = [sys.executable, "-c",
             "import subprocess, sys, yaml, bibtexparser, jinja2\n"
             f"yaml.safe_load(open({str(config)!r}, encoding='utf-8'))\n"
             f"bibtexparser.parse_file({str(config.parent / 'papers.bib')!r})\n"
             f"subprocess.run({pandoc!r}, check=True)"]  # fmt: skip
    return PairCase(f"docx {size}", ours, lambda: run_measured(pandoc, cwd=alone),
                    lambda: run_measured(floor, cwd=alone))  # fmt: skip


def make_markdown_case(root: Path, size: int) -> PairCase:
    config = write_cv(root / f"md{size}", size, formats=("md",))
    bib = config.parent / "papers.bib"
    parse = [sys.executable, "-c", "import sys, bibtexparser; bibtexparser.parse_file(sys.argv[1])",
             str(bib)]  # fmt: skip

    def ours() -> Run:
        shutil.rmtree(config.parent / "out", ignore_errors=True)
        shutil.rmtree(config.parent / ".cvbuild-cache", ignore_errors=True)
        return run_measured(cvbuild_cmd("-q", "build", "--format", "md", str(config)),
                            cwd=config.parent)  # fmt: skip

    return PairCase(f"md {size}", ours, lambda: run_measured(parse))


# ------------------------------------------------------------------- single measurements


def fit_passes(root: Path, size: int, pages: int) -> dict[str, Any]:
    """A ``size``-paper CV fitted to ``pages`` (compact theme, 5% selected): the engine
    passes and compiles the build reports for that variant alone."""
    config = write_cv(root / f"fit{size}", size, formats=("pdf",), selected=0.05)
    plain = run_child("build", str(config), "pdf")
    text = config.read_text(encoding="utf-8")
    config.write_text(text + f"variants:\n  short: {{theme: compact, max_pages: {pages}}}\n",
                      encoding="utf-8")  # fmt: skip
    fitted = run_child("build", str(config), "pdf", "1", "short")
    fit = fitted["fits"].get("short", {})
    return {"passes": fitted["passes"], "compiles": fit.get("compiles", fitted["compiles"]),
            "dropped": fit.get("dropped", 0), "pages": fit.get("pages", pages),
            "seconds": fitted["total"], "plain_seconds": plain["total"]}  # fmt: skip


def markdown_memory(root: Path, size: int) -> dict[str, Any]:
    """Peak memory of the Python side of a ``size``-paper Markdown build."""
    config = write_cv(root / f"mem{size}", size, formats=("md",))
    result = run_child("build", str(config), "md")
    return {"peak_mb": result["peak_mb"], "seconds": result["total"]}


def watch_latency(root: Path, size: int, saves: int) -> tuple[Series, Series]:
    """``cvbuild watch`` in a child: each save of cv.yaml (a new e-mail address, so the PDF
    changes) until the PDF's modification time moves; a bare engine pass after each save."""
    config = write_cv(root / f"watch{size}", size, formats=("pdf",))
    run_child("build", str(config), "tex")
    tex_dir = root / f"watchtex{size}"
    shutil.copytree(config.parent / "out" / "cv", tex_dir)
    shutil.rmtree(config.parent / "out")
    proc = subprocess.Popen(
        cvbuild_cmd("watch", "--format", "pdf", str(config)), cwd=config.parent, env=ENV,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")),  # type: ignore[union-attr]
                              daemon=True)  # fmt: skip
    reader.start()
    latency, engine = Series(), Series()
    try:
        pdf_dir = config.parent / "out" / "cv"
        pdf = _wait_for(lambda: next(pdf_dir.glob("*.pdf"), None) if pdf_dir.is_dir() else None,
                        120, lines)  # fmt: skip
        time.sleep(1.0)  # the first build settled; watching
        text = config.read_text(encoding="utf-8")
        for i in range(saves):
            before = os.stat(pdf).st_mtime_ns
            config.write_text(text.replace(EMAIL, f"lea{i}@example.org"), encoding="utf-8")
            start = time.perf_counter()
            _wait_for(functools.partial(_moved, pdf, before), 120, lines)
            latency.add(time.perf_counter() - start)
            time.sleep(0.7)  # let the watcher go back to polling
            engine.add(one_engine_pass(tex_dir))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return latency, engine


def _moved(pdf: Path, before: int) -> bool | None:
    try:
        return os.stat(pdf).st_mtime_ns != before or None
    except OSError:
        return None


def _wait_for(probe: Callable[[], Any], timeout: float, lines: list[str]) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.005)
    raise SystemExit("cvbuild watch did not write the PDF in time:\n" + "".join(lines[-20:]))


# ------------------------------------------------------------------------------ the run


def compare(rounds: int, pdf_sizes: list[int], *, saves: int, memory_size: int,
            md_size: int, fit_size: int, fit_pages: int) -> dict[str, Any]:  # fmt: skip
    if not rendercv_available():
        raise SystemExit("RenderCV is not installed: pip install -e '.[bench]'")
    results: dict[str, Any] = {"rounds": rounds}
    verdicts: list[Verdict] = []
    with tempfile.TemporaryDirectory(prefix="cvbuild-bench-") as tmp:
        root = Path(tmp)
        cache_home = root / "typst-cache"
        package = install_icon_stand_in(cache_home)
        print(f"RenderCV's icon package @preview/fontawesome:0.5.0 is a local stand-in "
              f"(no network): {package}")  # fmt: skip
        print("setting up (and one warm-up run of each tool) ...", flush=True)
        pdfs = [make_pdf_case(root, n, cache_home) for n in pdf_sizes]
        pairs = [
            make_docx_case(root, 20),
            make_docx_case(root, 200),
            make_markdown_case(root, md_size),
        ]
        for pair in pairs:  # one warm-up run each
            for step in pair.steps(0):
                step()
            pair.build, pair.reference, pair.floor = Series(), Series(), Series()
        for r in range(rounds):
            print(f"round {r + 1}/{rounds}", flush=True)
            for case in pdfs:
                steps = [case.run_build, case.run_rendercv, case.run_engine]
                for step in steps[r % 3 :] + steps[: r % 3]:
                    step()
            for pair in pairs:
                for step in pair.steps(r):
                    step()
        print("max_pages, memory, watch ...", flush=True)
        fit = fit_passes(root, fit_size, fit_pages)
        memory = markdown_memory(root, memory_size) if memory_size else None
        latency, watch_engine = watch_latency(root, 200, saves)

    print(f"\n{rounds} interleaved rounds; medians (wall time of a fresh process each)\n")
    print(f"{'PDF from scratch':<18}{'cvbuild':>10}{'RenderCV':>10}{'RenderCV/cvbuild':>18}"
          f"{'1 engine pass':>15}{'cvbuild/pass':>14}{'peak MB cvbuild | RenderCV':>29}{'pages':>9}")  # fmt: skip
    for c in pdfs:
        vs_rcv, vs_pass = median_ratio(c.rendercv, c.build), median_ratio(c.build, c.engine)
        print(f"{c.size:>6} papers     {c.build.median:>9.2f}s{c.rendercv.median:>9.2f}s{vs_rcv:>17.2f}×"
              f"{c.engine.median:>14.2f}s{vs_pass:>13.2f}×{c.build.peak:>14.0f} | {c.rendercv.peak:<12.0f}"
              f"{c.pages[0]:>4} | {c.pages[1]}")  # fmt: skip
        results[f"pdf{c.size}"] = {
            "cvbuild": c.build.seconds, "rendercv": c.rendercv.seconds, "engine": c.engine.seconds,
            "cvbuild_peak_mb": c.build.peak, "rendercv_peak_mb": c.rendercv.peak,
            "python_peak_mb": c.python_peak_mb, "passes": c.passes, "pages": c.pages,
            "rendercv_over_cvbuild": vs_rcv, "cvbuild_over_pass": vs_pass,
        }  # fmt: skip
        if c.size <= 200:
            verdicts.append(Verdict(f"PDF {c.size} papers vs RenderCV",
                                    f"{vs_rcv:.2f}× faster (rounds {spread(c.rendercv, c.build)})",
                                    "≥ 1.50×", vs_rcv >= 1.5))  # fmt: skip
            verdicts.append(Verdict(f"PDF {c.size} papers vs one bare engine pass",
                                    f"{vs_pass:.2f}× a pass (rounds {spread(c.build, c.engine)})",
                                    "≤ 1.00×", vs_pass <= 1.0))  # fmt: skip
        else:
            verdicts.append(Verdict(f"PDF {c.size} papers vs RenderCV",
                                    f"{vs_rcv:.2f}× faster (rounds {spread(c.rendercv, c.build)})",
                                    "ahead: > 1.00×", vs_rcv > 1.0))  # fmt: skip
    print(
        "peak MB: the largest process of each tool's tree (cvbuild: its Python side "
        + ", ".join(f"{c.python_peak_mb:.0f}" for c in pdfs)
        + " MB; the engine is a separate process); RenderCV runs Typst in-process."
    )
    print(f"engine passes per cvbuild build: {', '.join(str(c.passes) for c in pdfs)}")
    print(f"\n{'':<18}{'cvbuild':>10}{'reference':>11}{'ratio':>8}")
    targets = {"docx 20": 2.0, "docx 200": 1.3, f"md {md_size}": 3.0}
    names = {"docx": "pandoc alone on the same Markdown", "md": "bare bibtexparser.parse_file"}
    for p in pairs:
        ratio = median_ratio(p.build, p.reference)
        kind = p.label.split()[0]
        print(f"{p.label:<18}{p.build.median:>9.2f}s{p.reference.median:>10.2f}s{ratio:>7.2f}×"
              f"   (reference: {names[kind]})")  # fmt: skip
        results[p.label.replace(" ", "")] = {"cvbuild": p.build.seconds,
                                              "reference": p.reference.seconds, "ratio": ratio}  # fmt: skip
        if p.floor.seconds:
            least = median_ratio(p.floor, p.reference)
            print(f"{'':<18}{p.floor.median:>9.2f}s{'':>10} {least:>7.2f}×   (the floor: Python "
                  "importing PyYAML, bibtexparser and Jinja2, reading the CV, then that pandoc)")  # fmt: skip
            results[p.label.replace(" ", "")].update(floor=p.floor.seconds, floor_ratio=least)
        if p.label in targets:
            floor_note = (f"; the floor {median_ratio(p.floor, p.reference):.2f}×"
                          if p.floor.seconds else "")  # fmt: skip
            verdicts.append(Verdict(f"{p.label} papers vs {names[kind]}",
                                    f"{ratio:.2f}× (rounds {spread(p.build, p.reference)}){floor_note}",
                                    f"≤ {targets[p.label]:.1f}×", ratio <= targets[p.label]))  # fmt: skip
    print(f"\nmax_pages: {fit_size} papers fitted to {fit_pages} pages (compact): "
          f"{fit['passes']} engine passes in {fit['compiles']} compiles, {fit['dropped']} dropped, "
          f"{fit['seconds']:.2f}s (the same CV unfitted: {fit['plain_seconds']:.2f}s)")  # fmt: skip
    results["fit"] = fit
    verdicts.append(Verdict(f"max_pages, {fit_size} papers to {fit_pages} pages",
                            f"{fit['passes']} engine passes", "≤ 3", fit["passes"] <= 3))  # fmt: skip
    w_ratio = median_ratio(latency, watch_engine)
    print(f"watch: save → updated PDF {latency.median:.2f}s (range {min(latency.seconds):.2f}–"
          f"{max(latency.seconds):.2f}s, {len(latency.seconds)} saves), one bare engine pass "
          f"{watch_engine.median:.2f}s, ratio {w_ratio:.2f}× (serve rebuilds through the same loop)")  # fmt: skip
    results["watch"] = {
        "latency": latency.seconds,
        "engine": watch_engine.seconds,
        "ratio": w_ratio,
    }
    verdicts.append(Verdict("watch/serve save → updated PDF vs one bare engine pass",
                            f"{w_ratio:.2f}× (saves {spread(latency, watch_engine)})", "≤ 1.00×",
                            w_ratio <= 1.0))  # fmt: skip
    if memory is not None:
        print(f"memory: {memory_size} papers to Markdown, Python peak {memory['peak_mb']:.0f} MB "
              f"({memory['seconds']:.2f}s)")  # fmt: skip
        results["memory"] = memory
        verdicts.append(Verdict(f"memory, {memory_size} papers to Markdown",
                                f"{memory['peak_mb']:.0f} MB", "< 150 MB", memory["peak_mb"] < 150))  # fmt: skip
    print("\nissue #17 targets:")
    for v in verdicts:
        print("  " + v.line())
    results["verdicts"] = [v.__dict__ for v in verdicts]
    return results
