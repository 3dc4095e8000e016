"""cvbuild benchmarks: per-stage wall time and peak memory, and ratios against the tools
we cannot beat (a bare ``bibtexparser.parse_file``, one TeX engine pass over the same .tex).

    python bench/bench.py markdown --sizes 20 200 2000 10000
    python bench/bench.py pdf --size 200
    python bench/bench.py all            # what docs/benchmarks.md quotes

Each measurement runs in a fresh subprocess so that imports, caches and peak memory are
those of a real ``cvbuild build``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_build(config: str, fmt: str) -> None:
    """Runs inside the subprocess: one build, prints timings as JSON."""
    start = time.perf_counter()
    from cvbuild.pipeline import BuildOptions, build

    report = build(Path(config), BuildOptions(formats=[fmt], force=True))
    total = time.perf_counter() - start
    print(json.dumps({
        "total": total, "stages": report.timings, "passes": report.engine_passes,
        "peak_mb": _peak_mb(), "publications": report.publications,
    }))  # fmt: skip


def child_parse(bib: str) -> None:
    start = time.perf_counter()
    import bibtexparser

    library = bibtexparser.parse_file(bib)
    print(json.dumps({"total": time.perf_counter() - start, "entries": len(library.entries),
                      "peak_mb": _peak_mb()}))  # fmt: skip


def run_child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "_child", *args], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def best_of(runs: int, *args: str) -> dict:
    results = [run_child(*args) for _ in range(runs)]
    return min(results, key=lambda r: r["total"])


def bench_markdown(sizes: list[int], runs: int) -> list[dict]:
    from synth import write_cv

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            config = write_cv(Path(tmp) / f"n{size}", size, formats=("md",))
            build = best_of(runs, "build", str(config), "md")
            parse = best_of(runs, "parse", str(config.parent / "papers.bib"))
            rows.append({"entries": size, "build_s": build["total"], "parse_s": parse["total"],
                         "ratio": build["total"] / parse["total"], "peak_mb": build["peak_mb"],
                         "stages": build["stages"]})  # fmt: skip
            print(f"md  {size:>6} entries: build {build['total']:.3f}s  bare parse "
                  f"{parse['total']:.3f}s  ratio {build['total'] / parse['total']:.2f}  "
                  f"peak {build['peak_mb']:.0f} MB  stages "
                  + " ".join(f"{k}={v:.3f}" for k, v in build["stages"].items()))  # fmt: skip
    return rows


def one_engine_pass(tex_dir: Path, engine: str) -> float:
    """One plain engine run (PDF included) over the .tex that ``--format tex`` wrote, in
    the same environment cvbuild gives the engine (paranoid file access, no font making)."""
    from cvbuild.compile.latex import engine_environment

    tex = next(tex_dir.glob("*.tex"))
    with tempfile.TemporaryDirectory() as tmp:
        for f in tex_dir.iterdir():
            shutil.copy(f, tmp)
        env = engine_environment(Path(tmp))
        start = time.perf_counter()
        subprocess.run([engine, "-interaction=nonstopmode", "-no-shell-escape", tex.name],
                       cwd=tmp, capture_output=True, check=False, env=env)  # fmt: skip
        return time.perf_counter() - start


def bench_pdf(size: int, runs: int) -> dict:
    from synth import write_cv

    with tempfile.TemporaryDirectory() as tmp:
        config = write_cv(Path(tmp) / f"n{size}", size, formats=("pdf",))
        build = best_of(runs, "build", str(config), "pdf")
        run_child("build", str(config), "tex")
        tex_dir = config.parent / "out" / "cv"
        single = min(one_engine_pass(tex_dir, "xelatex") for _ in range(runs))
    row = {"entries": size, "build_s": build["total"], "engine_pass_s": single,
           "ratio": build["total"] / single, "passes": build["passes"], "stages": build["stages"]}  # fmt: skip
    print(f"pdf {size:>6} entries: build {build['total']:.2f}s  one xelatex pass {single:.2f}s  "
          f"ratio {row['ratio']:.2f}  engine passes {build['passes']}")  # fmt: skip
    return row


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {cpu}"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        kind, *rest = sys.argv[2:]
        child_build(*rest) if kind == "build" else child_parse(*rest)
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("what", choices=("markdown", "pdf", "all"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000])
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    if args.what in ("markdown", "all"):
        bench_markdown(args.sizes, args.runs)
    if args.what in ("pdf", "all"):
        bench_pdf(args.size, args.runs)


if __name__ == "__main__":
    main()
