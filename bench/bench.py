"""cvbuild benchmarks: per-stage wall time and peak memory, and ratios against the tools we
cannot beat (a bare ``bibtexparser.parse_file``, one TeX engine pass, pandoc alone).

    python bench/bench.py markdown --sizes 20 200 2000 10000
    python bench/bench.py pdf --size 200       # from scratch, and a rebuild seeded with its .aux
    python bench/bench.py noop                 # an unchanged rebuild, and `cvbuild --help`
    python bench/bench.py docx --size 200
    python bench/bench.py fit --size 200 --pages 2
    python bench/bench.py refresh              # needs ../shared/fixtures/sources
    python bench/bench.py metrics --size 500   # OpenAlex+S2+PubMed+INSPIRE, one synthetic author
    python bench/bench.py compare              # issue #17: side by side with RenderCV (needs
                                               #   the bench extra), PASS/FAIL per target
    python bench/bench.py compare --quick      # 3 rounds, no 2,000-paper PDFs
    python bench/bench.py all                  # the stage-by-stage figures

Each build runs in a fresh subprocess so that imports, caches and peak memory are those of
a real ``cvbuild build``. Times are the best of ``--runs``; ``compare`` takes medians of
``--rounds`` interleaved rounds instead.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

from measure import ENV, cvbuild_cmd, one_engine_pass, run_child  # noqa: E402

# ----------------------------------------------------------------------------- children


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_build(config: str, fmt: str, force: str = "1", variant: str = "") -> None:
    """Runs inside the subprocess: one build, prints timings as JSON."""
    start = time.perf_counter()
    from cvbuild.build import BuildOptions, build

    formats = [f for f in fmt.split(",") if f]
    report = build(
        Path(config),
        BuildOptions(formats=formats, force=force == "1", variants=[variant] if variant else ()),
    )
    total = time.perf_counter() - start
    fits = {k: {"compiles": v.compiles, "dropped": len(v.dropped), "pages": v.pages}
            for k, v in report.fits.items()}  # fmt: skip
    print(json.dumps({
        "total": total, "stages": report.timings, "peak_by_stage": report.peak_mb,
        "passes": report.engine_passes, "compiles": report.compiles, "peak_mb": _peak_mb(),
        "publications": report.publications, "fits": fits,
    }))  # fmt: skip


def child_parse(bib: str) -> None:
    start = time.perf_counter()
    import bibtexparser

    library = bibtexparser.parse_file(bib)
    print(json.dumps({"total": time.perf_counter() - start, "entries": len(library.entries),
                      "peak_mb": _peak_mb()}))  # fmt: skip


def best(results: list[dict]) -> dict:
    return min(results, key=lambda r: r["total"])


def timed(cmd: list[str], runs: int, **kw) -> float:
    kw.setdefault("env", ENV)
    subprocess.run(cmd, capture_output=True, check=False, **kw)  # warm the byte-code cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, **kw)
        times.append(time.perf_counter() - start)
    return min(times)


# ----------------------------------------------------------------------------- benchmarks


def bench_markdown(sizes: list[int], runs: int) -> list[dict]:
    from synth import write_cv

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            config = write_cv(Path(tmp) / f"n{size}", size, formats=("md",))
            build = best([run_child("build", str(config), "md") for _ in range(runs)])
            parse = best([run_child("parse", str(config.parent / "papers.bib"))
                          for _ in range(runs)])  # fmt: skip
            ratio = build["total"] / parse["total"]
            rows.append({"entries": size, "build": build, "parse": parse, "ratio": ratio})
            stages = " ".join(f"{k}={v:.3f}s" for k, v in build["stages"].items())
            memory = " ".join(f"{k}={v:.0f}" for k, v in build["peak_by_stage"].items())
            print(f"md {size:>6}: build {build['total']:.3f}s, bare parse_file {parse['total']:.3f}s, "
                  f"ratio {ratio:.2f}, peak {build['peak_mb']:.0f} MB\n"
                  f"           stages: {stages}\n           peak MB after stage: {memory}")  # fmt: skip
    if len(rows) > 1:
        a, b = rows[-2], rows[-1]
        growth = (b["build"]["total"] / a["build"]["total"]) / (b["entries"] / a["entries"])
        print(f"md growth {a['entries']}→{b['entries']}: time ×{b['build']['total'] / a['build']['total']:.2f} "
              f"for ×{b['entries'] / a['entries']:.0f} entries (1.00 = linear: {growth:.2f})")  # fmt: skip
    return rows


def bench_pdf(size: int, runs: int) -> dict:
    """From-scratch builds and plain engine passes, interleaved so that a noisy machine
    slows both alike; the ratio is the median of the per-round ratios."""
    import statistics

    from synth import write_cv

    with tempfile.TemporaryDirectory() as tmp:
        config = write_cv(Path(tmp) / f"n{size}", size, formats=("pdf",))
        out = config.parent / "out"
        tex_dir = Path(tmp) / "tex"
        run_child("build", str(config), "tex")
        shutil.copytree(out / "cv", tex_dir)
        rounds = []
        for _ in range(max(runs, 5)):
            shutil.rmtree(out, ignore_errors=True)  # from scratch: no cache, no seeded .aux
            shutil.rmtree(config.parent / ".cvbuild-cache", ignore_errors=True)
            build = run_child("build", str(config), "pdf")
            single = one_engine_pass(tex_dir)
            rounds.append((build, single))
    ratios = [b["total"] / s for b, s in rounds]
    best = min(rounds, key=lambda r: r[0]["total"])[0]
    row = {"entries": size, "ratio_median": statistics.median(ratios), "rounds": len(rounds)}
    print(f"pdf {size}: from scratch {min(b['total'] for b, _ in rounds):.2f}–"
          f"{max(b['total'] for b, _ in rounds):.2f}s ({best['passes']} pass), one xelatex pass "
          f"{min(s for _, s in rounds):.2f}–{max(s for _, s in rounds):.2f}s; ratio median "
          f"{row['ratio_median']:.2f} (range {min(ratios):.2f}–{max(ratios):.2f}, {len(rounds)} rounds)\n"
          f"        stages (fastest build): " + " ".join(f"{k}={v:.2f}s" for k, v in best["stages"].items()))  # fmt: skip
    return row


def bench_noop(runs: int) -> dict:
    from synth import write_cv

    with tempfile.TemporaryDirectory() as tmp:
        config = write_cv(Path(tmp) / "n200", 200, formats=("pdf", "docx", "md"))
        subprocess.run(cvbuild_cmd("build", str(config)), capture_output=True, check=True, cwd=REPO)
        noop = timed(cvbuild_cmd("-q", "build", str(config)), max(runs, 5), cwd=REPO)
    helptime = timed(cvbuild_cmd("--help"), max(runs, 5), cwd=REPO)
    print(
        f"unchanged rebuild (200 papers, pdf+docx+md): {noop:.3f}s; cvbuild --help: {helptime:.3f}s"
    )
    return {"noop": noop, "help": helptime}


def bench_docx(size: int, runs: int) -> dict:
    from synth import write_cv

    from cvbuild.build.job import prepare
    from cvbuild.build.meter import Meter
    from cvbuild.build.run import load, load_bibliographies
    from cvbuild.compile.pandoc import find_pandoc, pandoc_command, reference_docx_path
    from cvbuild.render.markdown import render_markdown

    with tempfile.TemporaryDirectory() as tmp:
        config = write_cv(Path(tmp) / f"n{size}", size, formats=("docx",))
        build = best([run_child("build", str(config), "docx") for _ in range(runs)])
        cv = load(config)
        view = prepare(cv, cv.variants[0], load_bibliographies(cv)[0], "", Meter())
        (Path(tmp) / "cv.md").write_text(
            render_markdown(view.doc, flavor="pandoc"), encoding="utf-8"
        )
        ref = reference_docx_path(view.resolved.theme, view.resolved.paper)
        cmd = pandoc_command(*find_pandoc(), ref)  # the same reader, options and sandbox
        alone = timed(cmd, runs, cwd=tmp)
    print(f"docx {size}: build {build['total']:.2f}s, pandoc alone on the same Markdown {alone:.2f}s, "
          f"ratio {build['total'] / alone:.2f}")  # fmt: skip
    return {"build": build, "pandoc": alone}


def bench_fit(size: int, pages: int, runs: int) -> dict:
    from synth import write_cv

    with tempfile.TemporaryDirectory() as tmp:
        # 5% selected (10 of 200): what a two-page résumé keeps at the least.
        config = write_cv(Path(tmp) / f"n{size}", size, formats=("pdf",), selected=0.05)
        plain = best([run_child("build", str(config), "pdf") for _ in range(runs)])
        text = config.read_text(encoding="utf-8")
        config.write_text(text + f"variants:\n  short: {{theme: compact, max_pages: {pages}}}\n",
                          encoding="utf-8")  # fmt: skip
        fitted = best([run_child("build", str(config), "pdf") for _ in range(runs)])
    fit = fitted["fits"]["short"]
    print(f"fit {size} papers into {pages} pages: {fit['compiles']} compiles ({fitted['passes']} "
          f"engine passes), dropped {fit['dropped']}, {fitted['total']:.2f}s; plain build "
          f"{plain['total']:.2f}s, ratio {fitted['total'] / plain['total']:.2f}")  # fmt: skip
    return {"plain": plain, "fitted": fitted}


def bench_refresh(runs: int) -> dict:
    shared = REPO.parent / "shared" / "fixtures" / "sources"
    if not shared.is_dir():
        print("refresh: skipped (../shared/fixtures/sources is not beside the repository)")
        return {}
    from tests.refresh.replay import CURATED, DBLP_PID, ORCID, serve

    with tempfile.TemporaryDirectory() as tmp, serve(shared) as replay:
        root = Path(tmp)
        (root / "publications.bib").write_text(CURATED, encoding="utf-8")
        base = replay.base
        (root / "cv.yaml").write_text(
            "person:\n  name: Di Xu\nsections:\n  - title: Publications\n    publications:\n"
            "      bib: [publications.bib, publications.fetched.bib]\n"
            "refresh:\n  into: publications.fetched.bib\n  mailto: owner@example.org\n  sources:\n"
            f"    - dblp: {{pid: '{DBLP_PID}', base_url: '{base}/dblp', pace: '0'}}\n"
            f"    - orcid: {{orcid: '{ORCID}', base_url: '{base}/orcid', pace: '0'}}\n"
            f"    - crossref: {{orcid: '{ORCID}', base_url: '{base}/crossref', "
            f"doi_base_url: '{base}/doi', pace: '0'}}\n"
            f"    - arxiv: {{query: 'au:del_maestro', base_url: '{base}/arxiv', pace: '0', "
            "max_results: 10}\n"
            "output:\n  dir: out\n  formats: [pdf, md]\n",
            encoding="utf-8",
        )
        config = str(root / "cv.yaml")
        subprocess.run(cvbuild_cmd("refresh", config), capture_output=True, cwd=REPO, check=False)
        nochange = timed(cvbuild_cmd("-q", "refresh", config), max(runs, 3), cwd=REPO)
        plain = best([run_child("build", config, "pdf,md") for _ in range(runs)])
    print(
        f"refresh with nothing new (4 sources, loopback): {nochange:.2f}s; "
        f"a plain build of the same CV (pdf+md): {plain['total']:.2f}s"
    )
    return {"refresh": nochange, "build": plain}


def bench_metrics(size: int, runs: int, mix: bool = False) -> dict:
    """A synthetic ``size``-work author through OpenAlex, S2, PubMed and INSPIRE (loopback,
    pacing 0): the first refresh, one with nothing new, and one where only counts changed.
    ``mix``: the ids spread out (OpenAlex PMIDs only, S2 DOIs only), works link by PMID."""
    shared = REPO.parent / "shared" / "fixtures" / "sources"
    from tests.refresh.replay import serve

    with tempfile.TemporaryDirectory() as tmp, serve(shared) as replay:
        replay.synth_mix = mix
        root = Path(tmp)
        (root / "publications.bib").write_text("", encoding="utf-8")
        base = f"{replay.base}/synth/{size}"
        (root / "cv.yaml").write_text(
            "person: {name: Ada Lovelace}\nsections:\n  - title: Publications\n"
            "    publications:\n      bib: [publications.bib, publications.fetched.bib]\n"
            "output: {dir: out, formats: [md]}\n"
            "refresh:\n  into: publications.fetched.bib\n  sources:\n"
            f"    - openalex: {{id: A5000000001, base_url: '{base}/openalex', pace: '0'}}\n"
            f"    - semanticscholar: {{id: '1', base_url: '{base}/s2', pace: '0'}}\n"
            f"    - pubmed: {{query: 'Lovelace A[au]', base_url: '{base}/pubmed', "
            f"idconv_base_url: '{base}/pubmed/idconv', pace: '0'}}\n"
            f"    - inspire: {{id: A.Lovelace.1, base_url: '{base}/inspire', pace: '0'}}\n",
            encoding="utf-8",
        )
        config = str(root / "cv.yaml")
        firsts = []
        for _ in range(runs):
            for stale in root.glob("publications.fetched*"):
                stale.unlink()
            shutil.rmtree(root / ".cvbuild-cache", ignore_errors=True)
            start = time.perf_counter()
            subprocess.run(cvbuild_cmd("-q", "refresh", config), capture_output=True, cwd=REPO,
                           env=ENV, check=False)  # fmt: skip
            firsts.append(time.perf_counter() - start)
        nochange = timed(cvbuild_cmd("-q", "refresh", config), max(runs, 3), cwd=REPO)
        counts = []
        for _ in range(runs):
            replay.bump += 1
            start = time.perf_counter()
            subprocess.run(cvbuild_cmd("-q", "refresh", config), capture_output=True, cwd=REPO,
                           env=ENV, check=False)  # fmt: skip
            counts.append(time.perf_counter() - start)
        works = len(json.loads((root / "publications.fetched.metrics.json").read_text())["works"])
        requests = len(replay.hits) // (2 * runs + max(runs, 3) + 1)
    print(
        f"metrics refresh, {size}-work author x 4 sources{' (ids spread out)' if mix else ''} "
        f"(loopback, pace 0): first {min(firsts):.2f}s, nothing new {nochange:.2f}s, only counts "
        f"changed {min(counts):.2f}s; {works} works with counts, ~{requests} requests a run"
    )
    return {"first": min(firsts), "nochange": nochange, "counts": min(counts)}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    tex = subprocess.run(["xelatex", "--version"], capture_output=True, text=True, check=False)
    engine = tex.stdout.splitlines()[0] if tex.returncode == 0 and tex.stdout else "no xelatex"
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"Python {platform.python_version()}, {engine}")  # fmt: skip


def versions() -> str:
    """cvbuild, RenderCV, typst-py and pandoc versions (what ``compare`` runs)."""
    from importlib.metadata import PackageNotFoundError, version

    def of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    from cvbuild.compile.pandoc import find_pandoc

    pandoc = ".".join(map(str, find_pandoc()[1]))
    return (f"cvbuild {of('cvbuild')}, RenderCV {of('rendercv')}, typst (typst-py) {of('typst')}, "
            f"pandoc {pandoc}, bibtexparser {of('bibtexparser')}")  # fmt: skip


def warm_up() -> None:
    """Compile cvbuild's modules to byte-code once, as ``pip install`` does."""
    import compileall

    compileall.compile_dir(str(REPO / "cvbuild"), quiet=1)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        kind, *rest = sys.argv[2:]
        child_build(*rest) if kind == "build" else child_parse(*rest)
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "what",
        choices=("markdown", "pdf", "noop", "docx", "fit", "refresh", "metrics", "compare", "all"),
    )
    parser.add_argument(
        "--rounds", type=int, default=None, help="compare: interleaved rounds (7; --quick: 3)"
    )
    parser.add_argument("--quick", action="store_true",
                        help="compare: 3 rounds unless --rounds, PDFs at 20 and 200 papers only")  # fmt: skip
    parser.add_argument("--saves", type=int, default=0,
                        help="compare: saves timed under watch (default: the rounds)")  # fmt: skip
    parser.add_argument("--json", type=Path, help="compare: write every figure here")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000, 10000])
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--mix", action="store_true", help="metrics: ids spread out, works linked by PMID"
    )
    args = parser.parse_args()
    warm_up()
    print(machine())
    if args.what == "compare":
        from compare import compare

        print(versions())
        rounds = args.rounds or (3 if args.quick else 7)
        results = compare(
            rounds, [20, 200] if args.quick else [20, 200, 2000], saves=args.saves or rounds,
            memory_size=10000, md_size=2000, fit_size=200, fit_pages=2,
        )  # fmt: skip
        results["machine"], results["versions"] = machine(), versions()
        if args.json:
            args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
        return
    todo = (
        ("markdown", "pdf", "noop", "docx", "fit", "refresh", "metrics")
        if args.what == "all"
        else (args.what,)
    )
    for what in todo:
        if what == "markdown":
            bench_markdown(args.sizes, args.runs)
        elif what == "pdf":
            bench_pdf(args.size, args.runs)
        elif what == "noop":
            bench_noop(args.runs)
        elif what == "docx":
            bench_docx(args.size, args.runs)
        elif what == "fit":
            bench_fit(args.size, args.pages, args.runs)
        elif what == "refresh":
            bench_refresh(args.runs)
        elif what == "metrics":
            bench_metrics(args.size if args.what == "metrics" else 500, args.runs, args.mix)


if __name__ == "__main__":
    main()
