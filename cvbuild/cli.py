"""The command line. The only module that prints or exits.

Exit codes: 0 done; 1 invalid input (every problem listed, located; also a path that cannot
serve, such as an output folder that is a file); 2 bad command line; 3 an outside step failed
(LaTeX, pandoc, network, the disk: full, read-only); 4 a bug in cvbuild: one sentence saying so
and asking for a report, the traceback only with ``--debug`` (anywhere on the command line) or
``CVBUILD_DEBUG=1``. Ctrl-C exits 130 without a traceback; a closed output pipe
(``cvbuild schema | head -1``) ends quietly with 0.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import re
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from cvbuild import __version__
from cvbuild.config.choices import FORMATS

if TYPE_CHECKING:
    from cvbuild.build import BuildOptions, BuildReport
    from cvbuild.build.fit import FitResult
    from cvbuild.build.many import BatchResult
    from cvbuild.errors import CvbuildError, Problem

PROG = "cvbuild"
SUPPRESS = argparse.SUPPRESS
BUG = "this is a bug in cvbuild, please report it"


# argparse's words for a choice not allowed ("invalid choice: 'biuld' (choose from ...)"),
# with or without quotes around the word and the choices, as Python versions differ.
_INVALID_CHOICE = re.compile(
    r"^argument (?P<arg>[^:]+): invalid choice: (?P<word>.*?) \(choose from"
)


def _usage(message: str) -> CvbuildError:
    """A bad command line (exit 2). ``cvbuild.errors`` is imported when one is met, so that
    ``--version`` and ``--help`` need neither it nor ``dataclasses``."""
    from cvbuild.errors import UsageError

    return UsageError(message)


class _Parser(argparse.ArgumentParser):
    """argparse's parser with cvbuild's wording of errors. A command's parser made with
    ``unused=True`` (when another command runs) keeps only its name and help line, for
    ``cvbuild --help`` and the "did you mean": it takes no arguments, since it parses none."""

    def __init__(self, *args: Any, unused: bool = False, **kwargs: Any) -> None:
        self.unused = unused
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> Any:
        if self.unused:
            return None
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # exit 2, as DESIGN.md says, with a pointer to help
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {_with_suggestion(self, message)}\n")


def _with_suggestion(parser: argparse.ArgumentParser, message: str) -> str:
    """argparse's message for a word not among the choices, said plainly with a "did you
    mean" (``cvbuild biuld`` -> build; ``--format word`` -> docx); other messages as they are."""
    found = _INVALID_CHOICE.match(message)
    if found is None:
        return message
    word = found.group("word").strip("'\"")
    arg = found.group("arg")
    choices: list[str] = []
    for action in parser._actions:  # argparse keeps no public list of an argument's choices
        if action.choices is not None and (arg in action.option_strings or arg == action.metavar):
            choices = [str(c) for c in action.choices]
    if not choices:
        return message
    from cvbuild.config.types import suggest

    meant = suggest(word, choices)
    hint = f"; did you mean '{meant}'?" if meant else ""
    if arg == "COMMAND":
        return f"unknown command '{word}'{hint} (commands: {', '.join(choices)})"
    return f"{arg} takes one of {', '.join(choices)}, not '{word}'{hint}"


def _config_arg(p: argparse.ArgumentParser, more: str = "") -> None:
    p.add_argument(
        "config",
        nargs="?",
        default="cv.yaml",
        type=Path,
        help=f"the CV file (default: ./cv.yaml){more}",
    )


def _date_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--date",
        default="",
        metavar="YYYY-MM-DD",
        help="the 'last updated' date shown in the CV, e.g. 2026-12-01 (default: today)",
    )


def _shown_date(value: str) -> str:
    """``--date`` as a day, YYYY-MM-DD, from ``2026-12-01`` (or "1 December 2026"): each
    document words it in its own language. Anything else is a bad command line."""
    from datetime import date, datetime

    text = " ".join(value.split())
    if not text:
        return ""
    for pattern in ("%Y-%m-%d", "%d %B %Y"):
        try:
            day: date = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day.isoformat()
    raise _usage(f"--date takes a day as YYYY-MM-DD (for example --date 2026-12-01), not '{value}'")


def make_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, the other commands' parsers are left
    empty (``_Parser(unused=True)``): a run parses one command's arguments, and making every
    command's costs more than parsing them (some 6 ms of argparse's set-up)."""
    parser = _Parser(
        prog=PROG,
        description="Build polished academic CVs (PDF, DOCX, Markdown) from cv.yaml and BibTeX.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback when cvbuild meets a bug"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    # -q works after the command too (cvbuild build -q), without undoing `cvbuild -q build`.
    common = _Parser(add_help=False)
    common.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only problems"
    )
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=SUPPRESS)

    def command(name: str, **kw: object) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return sub.add_parser(name, unused=True, add_help=False, **kw)  # type: ignore[arg-type]
        return sub.add_parser(name, parents=[common], **kw)  # type: ignore[arg-type]

    build = command("build", help="build the CV's variants and formats")
    build.add_argument(
        "config",
        nargs="*",
        type=Path,
        default=[Path("cv.yaml")],
        help="the CV file (default: ./cv.yaml); several for a department's batch",
    )
    build.add_argument(
        "--variant", action="append", default=[], metavar="V", help="only this variant (repeatable)"
    )
    build.add_argument(
        "--format",
        action="append",
        default=[],
        metavar="F",
        choices=FORMATS,
        help=f"only this format: {', '.join(FORMATS)} (repeatable)",
    )
    build.add_argument("--output", type=Path, metavar="DIR", help="output folder")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--keep-build", type=Path, metavar="DIR", help="keep TeX build folders here")
    _date_arg(build)
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    build.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: cores)")
    build.add_argument(
        "--preview", action="store_true", help="write a PNG of each PDF's first page beside it"
    )

    watch = command("watch", help="rebuild whenever the config, BibTeX or templates change")
    _config_arg(watch)
    watch.add_argument(
        "--format",
        action="append",
        default=[],
        metavar="F",
        choices=FORMATS,
        help=f"only this format: {', '.join(FORMATS)} (repeatable; default: the config's)",
    )
    watch.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="V",
        help="only this variant (repeatable; default: every variant)",
    )
    watch.add_argument("--output", type=Path, metavar="DIR", help="output folder")

    serve = command("serve", help="preview a variant in the browser, updated on every save")
    _config_arg(serve)
    serve.add_argument("--variant", metavar="V", help="the variant to show (default: the first)")
    serve.add_argument(
        "--port", type=int, default=8000, metavar="N", help="the port to listen on (default: 8000)"
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="H",
        help="the address to listen on (default: 127.0.0.1, this machine only)",
    )
    serve.add_argument("--output", type=Path, metavar="DIR", help="output folder")

    init = command("init", help="start a new CV: cv.yaml, its schema, a starter .bib")
    init.add_argument(
        "folder", nargs="?", type=Path, default=Path("."), help="where to start (default: here)"
    )
    init.add_argument(
        "--name", default="Your Name", help="your name as it heads the CV (default: 'Your Name')"
    )

    doctor = command("doctor", help="say what this machine lacks to build the config")
    _config_arg(doctor)

    presets = command("presets", help="list the funder presets with their rules and sources")
    presets.add_argument(
        "file", nargs="*", type=Path, help="your own preset files to check and show too"
    )

    check = command("check", help="validate the config and BibTeX; write nothing")
    _config_arg(check, "; a folder means its cv.yaml")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    command("schema", help="print the JSON Schema of cv.yaml (for editors)")

    export = command(
        "export", help="one variant's application bundle: PDF, DOCX, text, JSON Resume, manifest"
    )
    _config_arg(export)
    export.add_argument("--variant", metavar="V", help="the variant (default: the first)")
    export.add_argument("--output", type=Path, metavar="DIR", help="bundle folder")
    export.add_argument("--zip", action="store_true", help="write one .zip instead of a folder")
    export.add_argument(
        "--alfolio",
        type=Path,
        metavar="SITE",
        help="write into an al-folio site instead: assets/json/resume.json, _data/cv.yml "
        "and assets/pdf/<name>.pdf (nothing else of the site is touched)",
    )
    _date_arg(export)

    imp = command("import", help="write a starting cv.yaml from a JSON Resume file")
    imp.add_argument("resume", type=Path, help="the JSON Resume file (resume.json)")
    imp.add_argument(
        "--output",
        type=Path,
        default=Path("cv.yaml"),
        metavar="FILE",
        help="the cv.yaml to write; never overwritten (default: ./cv.yaml)",
    )

    refresh = command("refresh", help="pull new papers from public sources and rebuild")
    _config_arg(refresh)
    refresh.add_argument("--output", type=Path, metavar="DIR", help="output folder")
    refresh.add_argument("--dry-run", action="store_true", help="show what would change")
    refresh.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _relative(path: Path) -> str:
    """A path as a message shows it: relative to the current folder when inside it, else
    absolute (never a climb such as ``../../../tmp/cv.yaml``)."""
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(Path(path).absolute())
    if shown == ".." or shown.startswith(".." + os.sep):
        return str(Path(os.path.abspath(path)))
    return shown


def _build_options(args: argparse.Namespace, **more: object) -> BuildOptions:
    from cvbuild.build import BuildOptions

    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        raise _usage("--jobs takes a whole number of 1 or more")
    return BuildOptions(
        variants=args.variant,
        formats=args.format,
        output_dir=args.output.resolve() if args.output else None,
        strict=getattr(args, "strict", False),
        keep_build=args.keep_build.resolve() if getattr(args, "keep_build", None) else None,
        date=_shown_date(getattr(args, "date", "")),
        force=getattr(args, "force", False),
        jobs=getattr(args, "jobs", None),
        **more,  # type: ignore[arg-type]
    )


def _summary(report: BuildReport) -> str:
    names = ", ".join(_relative(p) for p in report.written) or "nothing changed"
    skipped = f", {len(report.skipped)} up to date" if report.skipped else ""
    return (
        f"built {len(report.variants)} variant(s){skipped}; wrote {len(report.written)} "
        f"file(s), {len(report.unchanged)} unchanged, {len(report.warnings)} warning(s): {names}"
    )


def _previews(report: BuildReport, quiet: bool) -> None:
    from cvbuild.preview import missing_reason, preview_png

    pdfs = [p for p in (*report.written, *report.unchanged) if p.suffix == ".pdf"]
    reason = missing_reason()
    if reason:
        print(f"{PROG}: no preview: {reason}", file=sys.stderr)
        return
    for pdf in pdfs:
        png = preview_png(pdf)
        if png is not None and not quiet:
            print(f"preview: {_relative(png)}")


def _drop_stale_previews(report: BuildReport, quiet: bool) -> None:
    from cvbuild.preview import drop_stale_previews

    for png in drop_stale_previews(report.written):
        if not quiet:
            print(f"removed out-of-date preview: {_relative(png)} (add --preview to remake it)")


def cmd_build(args: argparse.Namespace) -> int:
    if len(args.config) > 1:
        return _build_batch(args)
    from cvbuild.build import build
    from cvbuild.progress import Progress

    progress = Progress(sys.stderr, quiet=args.quiet or not sys.stderr.isatty())
    progress.start(0, "building")
    report = build(args.config[0], _build_options(args), on_progress=progress.advance)
    progress.done()
    _print_problems(report.warnings)
    _print_fit(report.fits, args.quiet)
    if args.preview:
        _previews(report, args.quiet)
    else:
        _drop_stale_previews(report, args.quiet)
    if not args.quiet:
        print(_summary(report))
    return 0


def _build_batch(args: argparse.Namespace) -> int:
    """Many CVs at once (a department): one failing CV never stops the others."""
    from cvbuild.build.many import batch_exit_code, build_many, summarise
    from cvbuild.progress import Progress

    progress = Progress(sys.stdout, quiet=args.quiet)
    progress.start(len(args.config), "building CVs")

    def done(result: BatchResult) -> None:
        state = "ok" if result.ok else f"failed (exit {result.exit_code})"
        progress.advance(f"{_relative(result.config)}: {state}")

    results = build_many(args.config, _build_options(args), jobs=args.jobs, on_done=done)
    progress.done()
    debug = getattr(args, "debug", False) or _debug_wanted([])
    for line in summarise(results, tracebacks=debug):
        print(line, file=sys.stdout if not line.startswith(" ") else sys.stderr)
    if args.preview:
        for result in results:
            if result.report is not None:
                _previews(result.report, args.quiet)
    return batch_exit_code(results)


# watch's event for a finished rebuild: "built: first build in 0.01s".
_BUILT = re.compile(r"^built: (?P<reason>.*) in (?P<time>[0-9.]+s)$")


def _watch_line(text: str, report: BuildReport | None) -> str:
    """watch's event as the user reads it: a problem line without a second "error:" in
    front, and a rebuild that says what it wrote, or that it had nothing to do."""
    if text.startswith("error: ") and (": error: " in text or ": warning: " in text):
        return text.removeprefix("error: ")
    found = _BUILT.match(text)
    if found is None or report is None:
        return text
    when = f"{found.group('reason')}, {found.group('time')}"
    if report.written:
        names = ", ".join(_relative(p) for p in report.written)
        return f"built ({when}): wrote {names}"
    kept = len(report.unchanged) + len(report.skipped)
    return f"up to date ({when}): nothing changed, nothing written ({kept} up to date)"


def cmd_watch(args: argparse.Namespace) -> int:
    from cvbuild.build import build
    from cvbuild.config.files import config_file
    from cvbuild.watch import watch

    opts = _build_options(args)
    args.config = config_file(args.config)
    last: list[BuildReport] = []  # the report of the rebuild that just ended, if it ended well

    def rebuild() -> BuildReport:
        last.clear()
        report = build(args.config, opts)
        _print_problems(report.warnings)
        last.append(report)
        return report

    def event(text: str) -> None:
        stream = sys.stderr if text.startswith(("error", "internal error")) else sys.stdout
        shown = _watch_line(text, last[0] if last else None)
        print(shown, file=stream, flush=True)

    try:
        watch(args.config, rebuild, on_event=event)
    except KeyboardInterrupt:
        print(f"{PROG}: stopped watching", file=sys.stderr)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from cvbuild.starter import init_project

    written = init_project(args.folder, name=args.name)
    if not args.quiet:
        print(f"wrote {', '.join(_relative(p) for p in written)}")
        print(f"next: edit {_relative(written[0])}, then: cvbuild build {_relative(written[0])}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from cvbuild.config.reader import load_config
    from cvbuild.doctor import examine, one_command

    cv = load_config(args.config)
    findings = examine(cv)
    for f in findings:
        print(f"{f.variant}: missing {f.what}: {f.fix}")
    if not findings:
        if not args.quiet:
            print(f"{_relative(args.config)}: this machine has everything its variants need")
        return 0
    command = one_command(findings)
    if command:
        print(f"all at once: {command}")
    return 3


def cmd_check(args: argparse.Namespace) -> int:
    from cvbuild.build import check
    from cvbuild.config.files import config_file

    args.config = config_file(args.config)  # a folder means its cv.yaml
    report = check(args.config, strict=args.strict)
    _print_problems(report.warnings)
    if not args.quiet:
        print(
            f"{_relative(args.config)}: OK, {report.publications} publication(s), "
            f"{len(report.warnings)} warning(s)"
        )
    return 0


def _print_fit(report_fits: dict[str, FitResult], quiet: bool) -> None:
    if quiet:
        return
    for variant, fit in report_fits.items():
        for line in fit.summary():
            print(f"{variant}: {line}")


def cmd_export(args: argparse.Namespace) -> int:
    from cvbuild.build.export import export_bundle, make_bundle
    from cvbuild.config.files import config_file
    from cvbuild.outputs import check_output_dir

    if args.alfolio is not None:
        return _export_alfolio(args)
    if args.output:  # before building anything
        check_output_dir(args.output.resolve(), "bundle folder", "--output DIR")
    args.config = config_file(args.config)
    bundle = make_bundle(args.config, args.variant, date=_shown_date(args.date))
    _print_problems(bundle.warnings)
    if bundle.fit is not None:
        _print_fit({bundle.variant: bundle.fit}, args.quiet)
    base = bundle.output_dir or args.config.resolve().parent / "output"
    dest = args.output.resolve() if args.output else base / "export" / bundle.variant
    zip_name = f"{bundle.stem}.zip" if args.zip else None
    written = export_bundle(
        bundle.files, dest, zip_name=zip_name, variant=bundle.variant, date=bundle.date
    )
    if not args.quiet:
        print(f"exported '{bundle.variant}': {', '.join(_relative(p) for p in written)}")
    return 0


def _export_alfolio(args: argparse.Namespace) -> int:
    from cvbuild.alfolio import check_site, pdf_engine_missing, site_files, site_parts, write_site
    from cvbuild.build.export import make_bundle
    from cvbuild.config.files import config_file

    if args.zip or args.output:
        raise _usage("--alfolio SITE writes into the site: leave out --zip and --output")
    check_site(args.alfolio)  # before building anything
    args.config = config_file(args.config)
    missing = pdf_engine_missing(args.config, args.variant)
    bundle = make_bundle(
        args.config, args.variant, date=_shown_date(args.date), parts=site_parts(missing)
    )
    _print_problems(bundle.warnings)
    written = write_site(args.alfolio, site_files(bundle.files, bundle.stem))
    if not args.quiet:
        print(f"al-folio '{bundle.variant}': {', '.join(_relative(p) for p in written)}")
    if missing:
        print(
            f"{PROG}: no PDF for the site: {missing} is not installed "
            "(bash scripts/setup.sh installs TeX Live); the rest was written",
            file=sys.stderr,
        )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from cvbuild.jsonresume import import_files, read_json_resume
    from cvbuild.outputs import write_atomically

    target: Path = args.output
    if target.exists():
        raise _usage(f"{target} already exists; choose another with --output FILE")
    files = import_files(read_json_resume(args.resume), target.resolve(), source=str(args.resume))
    write_atomically(files)
    if not args.quiet:
        shown = ", ".join(_relative(p) for p in files)  # the cv.yaml first, then its schema
        print(f"wrote {shown} from {_relative(args.resume)}")
        print(f"next: edit {_relative(target)}, then: cvbuild build {_relative(target)}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from cvbuild.config.schema import config_schema

    print(json.dumps(config_schema(), indent=2, ensure_ascii=False))
    return 0


def cmd_presets(args: argparse.Namespace) -> int:
    from cvbuild.config.presets import load_preset, shipped
    from cvbuild.errors import Location

    names = [*shipped(), *(str(f) for f in args.file)]
    for i, name in enumerate(names):
        preset = load_preset(name, Path.cwd(), Location(name))
        if i:
            print()
        print(f"{preset.name}: {preset.title}")
        order = " > ".join(
            s.label(preset.locales[0] if preset.locales else "en") for s in preset.sections
        )
        print(f"  sections: {order}")
        for rule in preset.rules():
            print(f"  - {rule}")
        print(f"  source: {preset.source} (read {preset.read_on})")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    import json

    from cvbuild.config.reader import load_config
    from cvbuild.refresh import run_refresh

    cv = load_config(args.config)
    report = run_refresh(cv, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    elif not args.quiet:
        for line in report.summary_lines():
            print(line)
    # A refresh that wrote nothing leaves outputs and build cache alone; new citation counts
    # rebuild only the variants that print them (the others' build key ignores the counts).
    if report.written or report.metrics_written:
        from cvbuild.build import BuildOptions, build

        build(args.config, BuildOptions(output_dir=args.output.resolve() if args.output else None))
    return 3 if report.failed_sources else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from cvbuild.build.plan import choose_variants
    from cvbuild.config.reader import load_config
    from cvbuild.serve import Server

    config = args.config
    cv = load_config(config)
    variant = choose_variants(cv, [args.variant] if args.variant else [])[0].name
    out = args.output or cv.output.dir
    try:
        server = Server(config, variant=variant, out_dir=out, host=args.host, port=args.port)
    except OSError as exc:
        raise _usage(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    print(f"serving {variant} at {server.url} (Ctrl-C to stop)", flush=True)
    try:
        server.run(lambda text: print(text, flush=True))
    except KeyboardInterrupt:
        print(f"{PROG}: stopped serving", file=sys.stderr)
    return 0


COMMANDS = {
    "build": cmd_build,
    "check": cmd_check,
    "doctor": cmd_doctor,
    "schema": cmd_schema,
    "presets": cmd_presets,
    "refresh": cmd_refresh,
    "export": cmd_export,
    "import": cmd_import,
    "watch": cmd_watch,
    "serve": cmd_serve,
    "init": cmd_init,
}


def _debug_wanted(argv: Sequence[str]) -> bool:
    flag = os.environ.get("CVBUILD_DEBUG", "").strip().lower()
    if flag not in ("", "0", "no", "false", "off"):
        return True
    args = list(argv)
    if "--" in args:
        args = args[: args.index("--")]
    return "--debug" in args


def _report_bug(exc: BaseException, debug: bool) -> int:
    """One sentence for any exception nobody expected; the traceback only when asked."""
    import traceback

    first = (str(exc).strip().splitlines() or [""])[0][:300]
    what = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    if debug:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
        from cvbuild.errors import BugError

        if isinstance(exc, BugError) and exc.traceback:
            print(exc.traceback, file=sys.stderr)
        hint = ""
    else:
        hint = " (run again with --debug to see the details)"
    print(f"{PROG}: internal error ({what}); {BUG}{hint}", file=sys.stderr)
    return 4


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the final flush cannot fail."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _command_word(argv: Sequence[str]) -> str | None:
    """The command a command line runs: its first word not starting with ``-`` (cvbuild's
    own options take no value), when that word is a command; else None (help, version, a
    mistake: the parser needs no command's arguments for those)."""
    word = next((a for a in argv if not a.startswith("-")), None)
    return word if word in COMMANDS else None


def _run(argv: Sequence[str] | None) -> int:
    parser = make_parser(_command_word(sys.argv[1:] if argv is None else argv) or "")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return COMMANDS[args.command](args)


def main(argv: Sequence[str] | None = None) -> int:
    debug = _debug_wanted(sys.argv[1:] if argv is None else argv)
    try:
        code = _run(argv)
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        with contextlib.suppress(OSError):
            print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 — the CLI-wide guarantee: a bug is exit 4
        return _failed(exc, debug)


def entry() -> NoReturn:
    """The ``cvbuild`` command (and ``python -m cvbuild``): :func:`main`, then a quick exit.

    By then every output is written and closed. The exit handlers run (they end idle TeX
    engines) and standard output and error are flushed; then the process ends at once
    instead of freeing, one by one, every object a large bibliography made (some 50 ms at
    2,000 entries). Where that cannot be done cleanly (another thread still running, a
    stream that cannot be flushed, no exit handlers to run), it exits the ordinary way."""
    code = main()  # argparse's own exits (--help, a bad option) leave the ordinary way
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None or threading.active_count() > 1 or not _flushed():
        raise SystemExit(code)
    run_exit_handlers()
    if not _flushed():  # pragma: no cover - a handler that wrote to a closed stream
        os._exit(code or 1)
    os._exit(code)


def _flushed() -> bool:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: let the ordinary exit report it
        return False
    return True


def _failed(exc: Exception, debug: bool) -> int:
    """What a run that raised says and its exit code (cvbuild.errors imported only now)."""
    from cvbuild.errors import BugError, CvbuildError, InputError, os_failure, problems_found

    if isinstance(exc, InputError):
        _print_problems(exc.problems)
        count = sum(1 for p in exc.problems if not p.is_warning) or len(exc.problems)
        print(f"{PROG}: {problems_found(count)}; nothing was written", file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, BugError):
        return _report_bug(exc, debug)
    if isinstance(exc, CvbuildError):
        print(f"{PROG}: {exc}", file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, BrokenPipeError):  # the reader stopped reading (cvbuild schema | head -1)
        _quiet_stdout()
        return 0
    if isinstance(exc, OSError):  # a file-system fault no step named: still said for a person
        failure = os_failure(exc)
        print(f"{PROG}: {failure}", file=sys.stderr)
        return failure.exit_code
    return _report_bug(exc, debug)
