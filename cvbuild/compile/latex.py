"""Compile step for PDF: a TeX engine in a temporary folder, locked down and timed.

``compile_pdf`` runs xelatex (default), lualatex or pdflatex directly, as few times as
the document needs: once for our themes (they hold pages back until the total is known,
so "Page x of y" and the per-page legends are right in one pass), again only when LaTeX
asks for a rerun (a user's own template with cross-references).

Every run has shell escape off, kpathsea's paranoid read and write rules
(``openin_any=p``, ``openout_any=p``), a time limit, ``-interaction=nonstopmode`` and
``-halt-on-error``; ``SOURCE_DATE_EPOCH`` with ``FORCE_SOURCE_DATE=1`` fixes every date,
and the ``.tex`` fixes the PDF ID, so equal inputs give byte-identical PDFs.

A LaTeX error becomes an ``ExternalError`` sentence naming the section, entry or BibTeX
key whose text was being read (from the ``% cvbuild-src:`` lines the renderer writes);
"Missing character" lines become warnings naming the entry.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cvbuild.compile.sandbox import ENGINE_ARGS, JOBNAME, engine_environment, source_date_epoch
from cvbuild.compile.spawn import new_warm as _new_warm
from cvbuild.config.choices import ENGINES
from cvbuild.errors import ExternalError, Location, Problem, os_failure, warning
from cvbuild.i18n.texlang import lacks_message
from cvbuild.render.latex import LatexSource, source_markers

if TYPE_CHECKING:
    from cvbuild.compile.warm import WarmEngine

MAX_PASSES = 5
_PACKAGES = {
    "xelatex": "texlive-xetex",
    "lualatex": "texlive-luatex",
    "pdflatex": "texlive-latex-base",
}
_LATEXMK_MODE = {"pdflatex": 1, "lualatex": 4, "xelatex": 5}
# Files whose change between two passes means the next pass would typeset differently.
_RERUN_EXTENSIONS = (".aux", ".out")


@dataclass(frozen=True)
class CompileResult:
    pdf: bytes
    passes: int  # engine passes run
    warnings: list[Problem] = field(default_factory=list)
    log: str = ""  # the last pass's log
    # The settled .aux/.out files: hand them back as ``seed`` next time, and an unchanged
    # layout needs a single pass.
    aux: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class _Place:
    """What a line of the .tex belongs to, said for a person."""

    description: str
    key: str = ""
    section: str = ""


def describe(fields: Mapping[str, str]) -> _Place:
    section = fields.get("section", "")
    if "key" in fields:
        text = f"the publication with BibTeX key “{fields['key']}” (section “{section}”)"
        return _Place(text, fields["key"], section)
    if "entry" in fields:
        return _Place(f"the entry “{fields['entry']}” (section “{section}”)", "", section)
    if "item" in fields:
        return _Place(f"the item “{fields['item']}” (section “{section}”)", "", section)
    if section == "header":
        return _Place("the header (name, headline and contacts)", "", "header")
    return _Place(f"the title of section “{section}”", "", section)


class _SourceIndex:
    """Maps lines of the .tex to the section, entry or key they render."""

    def __init__(self, tex: str) -> None:
        self.lines = tex.splitlines()
        markers = source_markers(tex)
        self._starts = [line for line, _ in markers]
        self._places = [describe(fields) for _, fields in markers]
        self.body_start = next(
            (i for i, line in enumerate(self.lines, 1) if line.startswith(r"\begin{document}")),
            1,
        )

    def place(self, line: int) -> _Place | None:
        i = bisect.bisect_right(self._starts, line) - 1
        return self._places[i] if i >= 0 else None

    def places_with(self, char: str) -> list[tuple[int, _Place | None]]:
        """(line, place) of the body lines that contain ``char``, one per place."""
        seen: set[str] = set()
        found: list[tuple[int, _Place | None]] = []
        for number in range(self.body_start, len(self.lines) + 1):
            if char in self.lines[number - 1]:
                place = self.place(number)
                ident = place.description if place else ""
                if ident not in seen:
                    seen.add(ident)
                    found.append((number, place))
        return found


def _missing_engine(engine: str) -> ExternalError:
    return ExternalError(
        f"{engine} is not installed or not on PATH, so no PDF can be made. "
        f"On Debian/Ubuntu run `bash scripts/setup.sh` (it installs {_PACKAGES[engine]} and "
        "the other TeX Live packages the themes use); on macOS install MacTeX, elsewhere "
        f"TeX Live, and make sure `{engine}` runs from a terminal. "
        "Or build --format tex and compile the folder on Overleaf."
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.suffix in _RERUN_EXTENSIONS and p.is_file()
    }


_RERUN = re.compile(
    r"Rerun to get|Label\(s\) may have changed|There were undefined references|"
    r"Please rerun LaTeX|\(rerunfilecheck\).*Rerun"
)


def wants_rerun(log: str) -> bool:
    """Does the pass just run need another? Only when the log asks for one (a label, a
    reference or an outline changed). Our themes need none: pages are held back until
    the last is known, so "Page x of y" and per-page legends are right in one pass.
    A user's template that uses \\label/\ref gets the reruns LaTeX asks for."""
    return bool(_RERUN.search(log))


def _run(cmd: list[str], folder: Path, env: dict[str, str], deadline: float) -> int:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise subprocess.TimeoutExpired(cmd, 0)
    proc = subprocess.Popen(
        cmd,
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # A timer kills the process group at the deadline; a plain blocking wait notices the
    # engine's exit at once (wait(timeout=...) polls, and would add up to 50 ms a pass).
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(remaining, stop)
    timer.start()
    try:
        code = proc.wait()
    finally:
        timer.cancel()
    if expired.is_set():
        raise subprocess.TimeoutExpired(cmd, remaining)
    return code


def _read_log(folder: Path) -> str:
    path = folder / f"{JOBNAME}.log"
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


_ERROR_LINE = re.compile(r"^(?:\./)?([^:\n]*?\.(?:tex|sty|cls|def|cfg)):(\d+): (.*)$", re.M)
_BANG_LINE = re.compile(r"^! (.*)$", re.M)
_CONTEXT = re.compile(r"^l\.(\d+) (.*)$", re.M)
_MISSING_FILE = re.compile(r"File [`'](.+?)' not found")
_MISSING_FONT = re.compile(r'The font "(.+?)" cannot be found')


def explain_error(
    log: str,
    index: _SourceIndex,
    engine: str,
    source_map: Mapping[str, Location] | None = None,
) -> str:
    """The first error of a LaTeX log as a sentence that names what caused it."""
    if "module 'luaotfload-main' not found" in log:  # the lualatex binary without its fonts
        return (
            "lualatex is installed without luaotfload, so it cannot load any font. "
            "On Debian/Ubuntu install texlive-luatex (`bash scripts/setup.sh` does), or use "
            "engine: xelatex"
        )
    match = _ERROR_LINE.search(log)
    bang = _BANG_LINE.search(log)
    if match and (bang is None or match.start() <= bang.start()):
        file, line, message = match.group(1), int(match.group(2)), match.group(3)
        after = log[match.end() :]
    elif bang:
        file, line, message = "", 0, bang.group(1)
        after = log[bang.end() :]
    else:
        return _silent_failure(index, engine, source_map)
    message = message.strip().rstrip(".")
    message = re.sub(r"^(?:LaTeX|Package \S+) Error: ", "", message)
    context = _CONTEXT.search(after[:2000])
    if context and not file:
        line = int(context.group(1))
        file = f"{JOBNAME}.tex"
    snippet = ""
    if context:
        snippet = context.group(2).strip()
        if len(snippet) > 60:
            snippet = "…" + snippet[-60:]
    hint = ""
    if (m := _MISSING_FILE.search(message)) is not None:
        message = f"the LaTeX file {m.group(1)} is not installed"
        hint = (
            " Run `bash scripts/setup.sh` on Debian/Ubuntu (texlive-latex-extra has most "
            "packages), or install it with your TeX distribution's package manager."
        )
    elif (m := _MISSING_FONT.search(log)) is not None:
        message = f"the font “{m.group(1)}” is not installed"
        hint = " Install it, or remove `font:` from cv.yaml to use the theme's font."
    elif "TeX capacity exceeded" in message:
        hint = " A text in this entry is too long or nested too deeply for TeX."
    base = Path(file).name if file else ""
    if base == f"{JOBNAME}.tex":
        place = index.place(line)
        if place is None:
            where = f"the preamble of the generated .tex (line {line})"
        else:
            where = place.description
            if source_map:
                loc = source_map.get(place.key) or source_map.get(place.section)
                if loc is not None:
                    where += f" at {loc}"
    elif base:
        where = f"the LaTeX file {base}, line {line}"
    else:
        where = "the document"
    text = f"{engine} failed while typesetting {where}: {message}"
    if snippet:
        text += f" (at “{snippet}”)"
    return text + "." + hint


# TeX Live's buf_size: a longer source line stops TeX before it can say why.
TEX_LINE_LIMIT = 200_000


def _silent_failure(
    index: _SourceIndex, engine: str, source_map: Mapping[str, Location] | None
) -> str:
    """A failure with no error in the log, said as well as the .tex allows: a source line
    TeX cannot read whole is named with the entry it belongs to."""
    for number, line in enumerate(index.lines, start=1):
        if len(line) >= TEX_LINE_LIMIT:
            place = index.place(number)
            where = place.description if place else f"line {number} of the generated .tex"
            if place is not None and source_map:
                loc = source_map.get(place.key) or source_map.get(place.section)
                if loc is not None:
                    where += f" at {loc}"
            return (
                f"{engine} stopped without an error message while reading {where}: its "
                f"line of the .tex is {len(line):,} characters long, and TeX reads at most "
                f"{TEX_LINE_LIMIT:,}. Shorten that text."
            )
    return f"{engine} stopped without an error message (see the log)"


_MISSING_CHAR = re.compile(
    r"Missing character: There is no (.+?)(?: \(U\+([0-9A-Fa-f]{4,6})\))?"
    r" in (?:font )?(.*?)!?\.?$",
    re.M,
)


def _font_label(raw: str) -> str:
    name = re.split(r"[/:;]", raw.strip().strip('"'), maxsplit=1)[0]
    if name.startswith("name"):
        name = raw.split(":", 2)[1] if raw.count(":") >= 1 else raw
    return name.strip('"') or raw


def _is_cjk(code: int) -> bool:
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
        or 0x3000 <= code <= 0x30FF
    )


def missing_characters(
    log: str,
    index: _SourceIndex,
    engine: str,
    source_map: Mapping[str, Location] | None = None,
) -> list[Problem]:
    """One warning per missing character and entry that uses it."""
    problems: list[Problem] = []
    done: set[str] = set()
    for m in _MISSING_CHAR.finditer(log):
        char = m.group(1)
        if m.group(2):
            char = chr(int(m.group(2), 16))
        if char in done or len(char) != 1:
            continue
        done.add(char)
        code = ord(char)
        font = _font_label(m.group(3))
        if engine == "pdflatex":
            hint = "pdflatex has no font for it; set `engine: xelatex` (the default)"
        elif _is_cjk(code):
            hint = "install a CJK font (Debian/Ubuntu: apt-get install fonts-noto-cjk) and rebuild"
        else:
            hint = "install a font that has it (e.g. fonts-dejavu-core) or replace the character"
        places = index.places_with(char) or [(0, None)]
        for line, place in places:
            where = place.description if place else "the document"
            location = Location(f"{JOBNAME}.tex", line)
            if place and source_map:
                location = source_map.get(place.key) or source_map.get(place.section) or location
            problems.append(
                warning(
                    location,
                    f"the PDF lacks the character {char} (U+{code:04X}) in {where}: "
                    f"no installed font has it (main font {font})",
                    hint,
                )
            )
    return problems


class TexMemoryError(ExternalError):
    """TeX ran out of main memory holding every page until the last (a very long CV).
    The caller renders the document again in two-pass mode (``render_latex(...,
    twopass=True)``) and compiles that; compile never edits the source itself."""


def compile_pdf(
    source: LatexSource,
    *,
    timeout: float = 120,
    keep_build: Path | None = None,
    source_map: Mapping[str, Location] | None = None,
    seed: Mapping[str, bytes] | None = None,
) -> CompileResult:
    """Typeset ``source`` (its text, with its style files beside it, by its engine) into
    PDF bytes.

    ``seed``: the ``aux`` of an earlier result for the same document. The first pass
    reads it, so a document that needs a second pass only for what the ``.aux`` carries
    (a user's cross-references, the page total of a very long CV) needs one when that
    did not change.

    ``source_map`` maps BibTeX keys (or section titles) to where they are defined, so
    that warnings and errors can point at the user's file instead of the .tex.
    Raises ExternalError when the engine is missing, fails or runs out of time, and
    TexMemoryError (an ExternalError) when a one-pass document exhausts TeX's memory.
    """
    engine = source.engine
    if engine not in ENGINES:  # the config stage checked it: anything else is a bug
        raise AssertionError(f"compile got an unchecked engine {engine!r}")
    exe = shutil.which(engine)
    if exe is None:
        raise _missing_engine(engine)
    lacking = lacks_message(source.locale, engine)  # a language package missing: say which
    if lacking is not None:
        raise ExternalError(lacking)
    try:
        return _compile(
            source.text, source.support_files, engine, exe, timeout, keep_build, source_map, seed
        )
    except ExternalError as exc:
        if not source.twopass and "main memory size" in str(exc):
            raise TexMemoryError(str(exc)) from None
        raise


def _compile(
    tex: str,
    support_files: Sequence[Path],
    engine: str,
    exe: str,
    timeout: float,
    keep_build: Path | None,
    source_map: Mapping[str, Location] | None,
    seed: Mapping[str, bytes] | None,
) -> CompileResult:
    index = _SourceIndex(tex)
    from cvbuild.compile import warm
    from cvbuild.tempdirs import make_build_dir

    seeds = {
        name: data
        for name, data in (seed or {}).items()
        if Path(name).suffix in _RERUN_EXTENSIONS and Path(name).name == name
    }
    started = warm.take(engine, tex, support_files, source_date_epoch())
    folder = started.folder if started is not None else make_build_dir()
    try:
        if started is None:
            for name, data in seeds.items():
                (folder / name).write_bytes(data)
        return _compile_in(
            folder, tex, support_files, engine, exe, index, timeout, source_map, started, seeds
        )
    finally:
        try:
            if keep_build is not None:
                keep_build.mkdir(parents=True, exist_ok=True)
                shutil.copytree(folder, keep_build, dirs_exist_ok=True)
        except OSError as exc:
            raise os_failure(exc, "keep the build folder in", keep_build) from exc
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            if warm.wants_spare():  # watch / serve: the next save finds an engine waiting
                prefix = spare_prefix(tex)
                if prefix is not None:
                    start_warm(engine, prefix, support_files)


# What every engine run gets besides the executable and the file (see the module text).
# Kept with the .aux: the preamble of the last compile, the best guess for the next one.
PREAMBLE_SEED = f"{JOBNAME}.preamble"


def warm_start(
    engine: str,
    theme: str,
    paper: str,
    support_files: Sequence[Path],
    seeds: Mapping[str, Mapping[str, bytes]] | None = None,
) -> None:
    """Start ``engine`` now on the preamble the config decides (``theme``, ``paper``), so
    that it loads while the BibTeX is read and the body rendered; the compile of a
    ``.tex`` that starts that way takes it (:mod:`cvbuild.compile.warm`). ``seeds``: the
    kept files of the last compiles; the preamble one of them used, when it is this
    theme's on this paper (it knows whether the text needed fallback fonts). Never fails:
    whatever goes wrong here, the compile runs cold."""
    from cvbuild.compile import warm

    if not warm.enabled():
        return
    prefix = warm.predicted_prefix(engine, theme, paper)
    if prefix is None:
        return
    for kept in (seeds or {}).values():
        try:
            last = kept.get(PREAMBLE_SEED, b"").decode("utf-8")
        except UnicodeDecodeError:
            continue
        if last.replace(",fallbacks]", "]", 1).startswith(prefix):
            prefix = last
            break
    start_warm(engine, prefix, support_files)


def spare_prefix(tex: str) -> str | None:
    """The preamble of ``tex`` a spare engine can load ahead: its lines before the first
    that depends on the document's content (the PDF ID)."""
    at = tex.find("\n\\cvbtrailerid{")
    return tex[: at + 1] if at > 0 else None


def start_warm(engine: str, prefix: str, support_files: Sequence[Path]) -> None:
    """An engine waiting on ``prefix``: a blank one given it, else a new one."""
    from cvbuild.compile import warm

    if engine not in warm.WARM_ENGINES or warm.waiting(engine, prefix):
        return
    exe = shutil.which(engine)
    key = _format_key(engine, exe, prefix, support_files) if exe else None
    started = warm.blank(engine, key)  # one started from the same format
    if started is None:
        warm.discard_blank()  # from another format, or TeX Live's when this one has its own
        started = _new_warm(engine, key)
    if started is not None:
        try:
            started.load(prefix, support_files)
        except OSError:
            started.prefix = None  # never taken; the build's end kills it


def _format_key(
    engine: str, exe: str, tex: str, support_files: Sequence[Path], *, stored: bool = True
) -> str | None:
    """The key of the cached preamble format for ``tex`` (:mod:`cvbuild.compile.fmtcache`),
    when formats are on, the text starts with a head a format can hold and (``stored``)
    one is stored for it."""
    from cvbuild.compile import fmtcache

    if engine not in fmtcache.FMT_ENGINES or not fmtcache.enabled():
        return None
    head = fmtcache.head_of(tex)
    if head is None:
        return None
    key = fmtcache.format_key(engine, exe, head, support_files, source_date_epoch())
    if key is None or (stored and fmtcache.cached(key) is None):
        return None
    return key


def _compile_in(
    folder: Path,
    tex: str,
    support_files: Sequence[Path],
    engine: str,
    exe: str,
    index: _SourceIndex,
    timeout: float,
    source_map: Mapping[str, Location] | None,
    started: WarmEngine | None = None,
    seeds: Mapping[str, bytes] | None = None,
) -> CompileResult:
    if started is None:
        (folder / f"{JOBNAME}.tex").write_text(tex, encoding="utf-8")
        for path in support_files:
            shutil.copyfile(path, folder / Path(path).name)
        env = engine_environment(folder)
    else:
        env = started.env
    from cvbuild.compile import fmtcache

    deadline = time.monotonic() + timeout
    fmt_key = started.fmt_key if started is not None else None
    base = [exe, *ENGINE_ARGS]
    if started is None:
        fmt_key = _format_key(engine, exe, tex, support_files)
        fmt_arg = fmtcache.place(fmt_key, folder) if fmt_key is not None else None
        if fmt_arg is None:
            fmt_key = None
        else:
            base.append(fmt_arg)
    elif fmt_key is not None:
        base.append(f"-fmt={fmtcache.FORMAT_NAME}")  # already in the engine's folder
    warnings: list[Problem] = []
    passes = 0
    settled = False
    try:
        while passes < MAX_PASSES:
            if started is not None and passes == 0:  # the engine has read the preamble
                code = started.finish(tex, seeds or {}, deadline)
            else:
                code = _run([*base, f"{JOBNAME}.tex"], folder, env, deadline)
            log = _read_log(folder)
            if code != 0 and fmt_key is not None and fmtcache.load_failed(log):
                # A format TeX cannot load (damaged, or from another TeX): drop it, and
                # the pass runs as if there had been none.
                fmtcache.forget(fmt_key)
                fmt_key = None
                base = [exe, *ENGINE_ARGS]
                started = None
                continue
            passes += 1
            if code != 0:
                raise ExternalError(explain_error(log, index, engine, source_map))
            if not wants_rerun(log):
                settled = True
                break
        if not settled:
            warnings.append(
                warning(
                    Location(f"{JOBNAME}.tex"),
                    f"LaTeX still asked for a rerun after {MAX_PASSES} {engine} passes",
                    "a cross-reference in your own template may not have settled",
                )
            )
    except subprocess.TimeoutExpired:
        raise ExternalError(
            f"{engine} did not finish within {timeout:g} seconds and was stopped "
            f"(after {passes} pass{'es' if passes != 1 else ''}); the CV may be very long, "
            "or a font cache is being built on the first run — try again, or raise the limit"
        ) from None
    pdf_path = folder / f"{JOBNAME}.pdf"
    if not pdf_path.is_file():
        raise ExternalError(
            f"{engine} finished but wrote no PDF. " + explain_error(log, index, engine)
        )
    warnings.extend(missing_characters(log, index, engine, source_map))
    pdf = pdf_path.read_bytes()
    if fmt_key is None and passes == 1:  # the next build starts from a format
        key = _format_key(engine, exe, tex, support_files, stored=False)
        if key is not None:
            fmtcache.schedule_dump(
                fmtcache.DumpRequest(
                    engine, exe, key, tex, support_files, env["SOURCE_DATE_EPOCH"], pdf, seeds
                )
            )
    kept = _snapshot(folder)
    preamble = spare_prefix(tex)
    if preamble is not None:  # what the next build's warm engine loads (never given to TeX)
        kept[PREAMBLE_SEED] = preamble.encode("utf-8")
    return CompileResult(pdf, passes, warnings, log, kept)


def tex_folder_files(source: LatexSource, name: str = JOBNAME) -> dict[str, bytes]:
    """The files of a folder that compiles on its own (``latexmk``, or upload to Overleaf):
    ``<name>.tex``, its style files and a ``latexmkrc`` that picks the source's engine.
    File name → bytes; the caller writes them."""
    files = {f"{name}.tex": source.text.encode("utf-8")}
    for path in source.support_files:
        files[Path(path).name] = Path(path).read_bytes()
    engine = source.engine if source.engine in _LATEXMK_MODE else "xelatex"
    files["latexmkrc"] = (
        f"# Made by cvbuild: compile {name}.tex with {engine} (Overleaf reads this too).\n"
        f"$pdf_mode = {_LATEXMK_MODE[engine]};\n"
    ).encode()
    return files
