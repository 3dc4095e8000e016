"""A cached preamble format: the class and theme packages loaded once, dumped, reused.

Most of a short CV's engine pass is spent before the body: loading the class and the
theme's packages. That part of the ``.tex`` (its *head*: the comment lines, an optional
``\\PassOptionsToPackage`` line, ``\\documentclass`` and ``\\usepackage{cvbuild-<theme>}``)
depends on the config alone, so it is run once by ``xelatex -ini`` and dumped to a format
file; later passes start from that format and skip it.

XeTeX cannot dump a format that holds OpenType fonts, so the dump differs from a normal
run in three narrow ways, each undone when the format is loaded:

- the theme's ``\\cvbfonts`` call (the last thing a theme does) is recorded instead of run,
  and runs when the loaded format meets ``\\documentclass``, at the same point of the
  preamble as in a run without the format;
- a TU-encoded (OpenType) font the class or packages select while loading is loaded as a
  TFM stand-in whose font parameters (``\\fontdimen`` 1-7: space, x-height, quad...) are
  set to those of the real font, measured by a first, normal run of the same head, so
  lengths given in ``em`` or ``ex`` come out the same; the stand-ins are forgotten when the
  format is loaded and the real fonts load on first use;
- what the packages put on the main vertical list while loading (``\\special``\\ s: the
  PDF version, a colour) is kept in a box and put back.

A format is published only after it made, for the document that caused the dump, the very
PDF (byte for byte) that the run without it made. The key is everything that can change
what the dump holds: the engine and its exact ``--version``, TeX Live's own format file
(path, size, time: a TeX update changes it), the head, the name and bytes of every style
file given to TeX (a user's template folder reaches TeX only through those), the date
stamp (``SOURCE_DATE_EPOCH``) and this module's driver. Formats live in
``$XDG_CACHE_HOME/cvbuild/formats`` (else ``~/.cache/cvbuild/formats``), at most
``MAX_FORMATS`` of them; a missing or read-only folder only means no format. A file that
is not the one recorded for its key is removed and dumped again; a format TeX cannot
load is removed and the pass runs without it. ``CVBUILD_FORMAT=0`` turns it off.

The first build with a new key runs without a format and dumps one afterwards in a
detached background process (:func:`schedule_dump`), so no build waits for a dump.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cvbuild.compile.sandbox import JOBNAME as _JOBNAME

ENV_SWITCH = "CVBUILD_FORMAT"
FMT_ENGINES = ("xelatex",)
FORMAT_NAME = "cvbfmt"  # the file name TeX is given in the build folder (cvbfmt.fmt)
MAX_FORMATS = 6  # about 11 MB each
MAX_HEAD = 4000  # characters: a head is a few lines
DUMP_TIMEOUT_S = 120
_STALE_JOB_S = 600

# Comment lines, then an optional \PassOptionsToPackage line, \documentclass and the theme.
_HEAD = re.compile(
    r"\A(?:%[^\n]*\n)*"
    r"(?:\\PassOptionsToPackage\{[a-z,]*\}\{cvbuild-base\}\n)?"
    r"\\documentclass\[[0-9a-z,]*\]\{article\}\n"
    r"\\usepackage\[(?P<options>[0-9a-z,]*)\]\{cvbuild-[a-z][a-z0-9-]*\}\n"
)

# The stand-in's font parameters, set after it is loaded (dump) or reported (probe).
_DRIVER = r"""\catcode`\@=11
\def\cvb@TU{TU}\edef\cvb@TU{\detokenize\expandafter{\cvb@TU}}
\long\def\cvb@ifTU#1{\edef\cvb@enc{\detokenize\expandafter{\f@encoding}}%
  \ifx\cvb@enc\cvb@TU#1\fi}
\def\cvb@deferfonts#1#2{\gdef\cvb@pendingfonts{\cvb@fontsnow{#1}{#2}}}
\let\cvb@pendingfonts\relax
\AddToHook{package/cvbuild-base/after}{\let\cvb@fontsnow\cvbfonts\let\cvbfonts\cvb@deferfonts}
\let\cvb@definenewfont\define@newfont
\let\cvb@getexternal\get@external@font
\gdef\cvb@fakes{}
"""
# The probe (a normal run): report each OpenType font's parameters as it is loaded.
_PROBE = r"""\def\define@newfont{\cvb@definenewfont
  \cvb@ifTU{\immediate\write17{CVBFONT:\expandafter\string\font@name
    =\the\fontdimen1\font@name,\the\fontdimen2\font@name,\the\fontdimen3\font@name,%
    \the\fontdimen4\font@name,\the\fontdimen5\font@name,\the\fontdimen6\font@name,%
    \the\fontdimen7\font@name;}}}
\catcode`\@=12
"""
# The dump: each OpenType font a TFM stand-in with the probed parameters.
_DUMP = r"""\def\get@external@font{\cvb@getexternal
  \cvb@ifTU{\edef\external@font{cmr10 at \f@size pt}}}
\def\define@newfont{%
  \cvb@ifTU{\g@addto@macro\cvb@fakes{\do}%
    \expandafter\g@addto@macro\expandafter\cvb@fakes\expandafter{\font@name}}%
  \cvb@definenewfont
  \cvb@ifTU{%
    \expandafter\ifx\csname cvb@dims@\expandafter\string\font@name\endcsname\relax
      \errmessage{cvbuild: no font parameters for \expandafter\string\font@name}%
    \else
      \csname cvb@dims@\expandafter\string\font@name\endcsname\font@name
    \fi}}
\catcode`\@=12
"""
_AFTER = r"""\catcode`\@=11
\let\cvbfonts\cvb@fontsnow
\let\get@external@font\cvb@getexternal
\let\define@newfont\cvb@definenewfont
\begingroup
\output={\global\setbox32760\vbox{\unvbox255 \setbox0\lastbox\unskip}}%
\hbox{}\penalty-10000
\endgroup
\def\documentclass{\let\documentclass\@twoclasseserror
  \unvbox32760
  \begingroup\def\do##1{\global\let##1\relax}\cvb@fakes\endgroup
  \global\let\cvb@fakes\@empty
  \selectfont
  \cvb@pendingfonts\global\let\cvb@pendingfonts\relax
  \@ifnextchar[\cvb@gobbleclass{\cvb@gobbleclass[]}}
\def\cvb@gobbleclass[#1]#2{}
\catcode`\@=12
\dump
"""
DRIVER_VERSION = hashlib.sha256((_DRIVER + _PROBE + _DUMP + _AFTER).encode()).hexdigest()[:16]
_FONT_LINE = re.compile(r"CVBFONT:(\\[^=\n]+)=((?:-?[0-9.]+pt,){6}-?[0-9.]+pt);")


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1").strip() != "0"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "cvbuild" / "formats"


def head_of(tex: str) -> str | None:
    """The lines of ``tex`` a format can hold, or None (a user's own ``cv.tex`` that
    starts otherwise, or a document that needs fallback fonts, which load at once)."""
    m = _HEAD.match(tex[:MAX_HEAD])
    if m is None or "fallbacks" in m.group("options").split(","):
        return None
    return m.group(0)


# ------------------------------------------------------------------ the key

_probes: dict[str, tuple[str, str]] = {}
MAX_RECORD = 256 * 1024  # bytes of one of the cache's own JSON files (a record, the probes)


def _read_json(path: Path) -> object:
    """One of the cache's JSON files, read only when it is of a sane size (a larger one is
    foreign: ValueError, as for a damaged one)."""
    with path.open("rb") as f:
        data = f.read(MAX_RECORD + 1)
    if len(data) > MAX_RECORD:
        raise ValueError(f"{path.name} is larger than a record can be")
    return json.loads(data.decode("utf-8"))


_PROBES_FILE = "probes.json"


def _probe(exe: str) -> tuple[str, str]:
    """(``exe --version`` output, path of TeX Live's format for it), remembered in the
    cache folder for this executable (its real path, size and time), so that a build
    stats a file instead of running two programs; a changed executable is probed again."""
    if exe in _probes:
        return _probes[exe]
    real = os.path.realpath(exe)
    st = os.stat(real)
    ident = f"{real}:{st.st_size}:{st.st_mtime_ns}"
    store = cache_dir() / _PROBES_FILE
    try:
        known = _read_json(store)
        found = known.get(ident) if isinstance(known, dict) else None
        if (
            isinstance(found, list)
            and len(found) == 2
            and all(isinstance(x, str) for x in found)
            and found[1]
            and os.path.isfile(found[1])
        ):
            _probes[exe] = (found[0], found[1])
            return _probes[exe]
    except (OSError, ValueError):
        pass
    version = subprocess.run(
        [exe, "--version"], capture_output=True, text=True, timeout=20, check=False
    ).stdout
    engine = Path(exe).name
    base = subprocess.run(
        ["kpsewhich", f"-engine={_KPSE_ENGINES.get(engine, engine)}", f"{engine}.fmt"],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    ).stdout.strip()
    _probes[exe] = (version, base)
    with contextlib.suppress(OSError):
        cache_dir().mkdir(parents=True, exist_ok=True)
        _write_atomic(store, json.dumps({ident: [version, base]}).encode())
    return _probes[exe]


_KPSE_ENGINES = {"xelatex": "xetex"}


def engine_version(exe: str) -> str:
    """The engine's exact ``--version`` output (its build and TeX Live's year)."""
    return _probe(exe)[0]


def base_format(exe: str) -> str:
    """TeX Live's own format for the engine: its path, size and time (a TeX update, or
    ``fmtutil``, changes them)."""
    path = _probe(exe)[1]
    try:
        st = os.stat(path)
    except OSError:
        return ""
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def format_key(
    engine: str, exe: str, head: str, support_files: Sequence[Path], epoch: str
) -> str | None:
    """The cache key (hex), or None when a part of it cannot be read."""
    try:
        version = engine_version(exe)
        base = base_format(exe)
        h = hashlib.sha256()
        for part in (engine, version, base, epoch, DRIVER_VERSION, head):
            h.update(part.encode("utf-8") + b"\0")
        for path in sorted(support_files, key=lambda p: Path(p).name):
            data = Path(path).read_bytes()
            h.update(Path(path).name.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0")
            h.update(data)
    except (OSError, subprocess.SubprocessError):
        return None
    if not version or not base:
        return None
    return h.hexdigest()[:40]


# ------------------------------------------------------------------ the cache


def _fmt(key: str) -> Path:
    return cache_dir() / f"{key}.fmt"


def _meta(key: str) -> Path:
    return cache_dir() / f"{key}.json"


_SAMPLE = 256 * 1024


def _sample(path: Path) -> tuple[int, str]:
    """A file's size and the sha256 of its first and last 256 KiB: cheap enough for every
    build, and a truncated, foreign or rewritten file shows (damage TeX finds while
    loading is handled by the compile: the format is dropped and the pass runs without)."""
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        h = hashlib.sha256(f.read(_SAMPLE))
        f.seek(max(size - _SAMPLE, 0))
        h.update(f.read(_SAMPLE))
    return size, h.hexdigest()


def cached(key: str) -> Path | None:
    """The format file stored for ``key``, when it is the one recorded (size and sampled
    sha256); a foreign or damaged file is removed (it will be dumped again)."""
    path, meta = _fmt(key), _meta(key)
    try:
        record = _read_json(meta)
        if not isinstance(record, dict) or record.get("failed") is True:
            return None
        size, sample = _sample(path)
    except (OSError, ValueError):
        return None
    if record.get("size") != size or record.get("sample") != sample:
        forget(key)
        return None
    return path


def latest() -> str | None:
    """The key of the format used last (the best guess before the theme is known)."""
    try:
        formats = [(p.stat().st_mtime_ns, p.stem) for p in cache_dir().glob("*.fmt")]
    except OSError:
        return None
    return max(formats)[1] if formats else None


def failed(key: str) -> bool:
    """Did a dump for ``key`` fail (a style that loads fonts at once, say)? Then none is
    tried again for that key."""
    try:
        record = _read_json(_meta(key))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and record.get("failed") is True


def any_cached() -> bool:
    """Is any format stored? (Then an engine is not started before its theme is known.)"""
    try:
        return any(cache_dir().glob("*.fmt"))
    except OSError:
        return False


def forget(key: str) -> None:
    for path in (_fmt(key), _meta(key)):
        with contextlib.suppress(OSError):
            path.unlink()


def place(key: str, folder: Path) -> str | None:
    """Put the format for ``key`` in ``folder`` (a link, else a copy) and return the
    ``-fmt=`` argument, or None when there is none."""
    path = cached(key)
    if path is None:
        return None
    target = folder / f"{FORMAT_NAME}.fmt"
    with contextlib.suppress(OSError):
        os.utime(path)  # the last used is kept longest, and guessed first (latest)
    try:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)
    except OSError:
        return None
    return f"-fmt={FORMAT_NAME}"


def load_failed(log: str) -> bool:
    """Did the engine stop while loading its format (no document error in the log)?"""
    return not re.search(r"^! ", log, re.M) and "cv.tex" not in log


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _evict(keep: str) -> None:
    folder = cache_dir()
    formats = sorted(
        (p for p in folder.glob("*.fmt") if p.stem != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in formats[MAX_FORMATS - 1 :]:
        forget(old.stem)


# ------------------------------------------------------------------ dumping


@dataclass(frozen=True)
class DumpRequest:
    """What a dump needs: the engine (its name and executable), the format's key, the
    ``.tex`` whose head becomes the format, the style files, the day's stamp, the PDF the
    run without a format made (which the format must make again before it is published)
    and the ``.aux`` files that run read (``seeds``)."""

    engine: str
    exe: str
    key: str
    tex: str
    support_files: Sequence[Path]
    epoch: str
    pdf: bytes
    seeds: Mapping[str, bytes] | None = None


def schedule_dump(request: DumpRequest) -> None:
    """Dump the format for ``request.key`` in a detached background process, unless one is
    there, failed, or being dumped. Never fails."""
    try:
        job = _prepare(request)
        if job is None:
            return
        subprocess.Popen(
            [sys.executable, "-m", "cvbuild.compile.fmtcache", str(job)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return


def dump_now(request: DumpRequest) -> bool:
    """The same as :func:`schedule_dump`, in this process (tests, benchmarks)."""
    try:
        job = _prepare(request)
    except (OSError, ValueError):
        return False
    return job is not None and run_job(job)


def _prepare(request: DumpRequest) -> Path | None:
    key, tex = request.key, request.tex
    if cached(key) is not None or failed(key):
        return None
    head = head_of(tex)
    if head is None:
        return None
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    job = folder / f"{key}.job"
    with contextlib.suppress(OSError):
        if time.time() - job.stat().st_mtime > _STALE_JOB_S:
            shutil.rmtree(job, ignore_errors=True)
    try:
        job.mkdir(mode=0o700)  # the lock: one dump per key at a time
    except FileExistsError:
        return None
    for path in request.support_files:
        shutil.copyfile(path, job / Path(path).name)
    (job / "document.tex").write_text(tex, encoding="utf-8")
    seed_names = []
    for name, data in (request.seeds or {}).items():
        if Path(name).name == name and Path(name).suffix in (".aux", ".out"):
            (job / f"seed-{name}").write_bytes(data)
            seed_names.append(name)
    (job / "job.json").write_text(
        json.dumps(
            {
                "engine": request.engine,
                "exe": request.exe,
                "key": key,
                "head": head,
                "support": [Path(p).name for p in request.support_files],
                "seeds": seed_names,
                "epoch": request.epoch,
                "pdf_sha256": hashlib.sha256(request.pdf).hexdigest(),
            }
        ),
        encoding="utf-8",
    )
    return job


def _tex(exe: str, args: list[str], folder: Path, env: Mapping[str, str]) -> int:
    proc = subprocess.run(
        [exe, *args],
        cwd=folder,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=DUMP_TIMEOUT_S,
        check=False,
    )
    return proc.returncode


def run_job(job: Path) -> bool:
    """Dump, check and publish the format a job folder describes; True when published."""
    from cvbuild.compile.sandbox import ENGINE_ARGS, engine_environment

    try:
        spec = json.loads((job / "job.json").read_text(encoding="utf-8"))
        key, exe, head = spec["key"], spec["exe"], spec["head"]
        common = [a for a in ENGINE_ARGS if not a.startswith("-jobname")]
        work = job / "work"
        work.mkdir()
        env = engine_environment(work)
        env["SOURCE_DATE_EPOCH"] = spec["epoch"]
        for name in spec["support"]:
            shutil.copyfile(job / name, work / name)
        # 1. A normal run of the head reports the fonts it loads and their parameters.
        probe = _DRIVER + _PROBE + head + "\\csname @@end\\endcsname\n"
        (work / "probe.tex").write_text(probe, "utf-8")
        _tex(exe, [*common, "-jobname=probe", "probe.tex"], work, env)
        log = (work / "probe.log").read_text(encoding="utf-8", errors="replace")
        dims = "".join(
            f"\\expandafter\\def\\csname cvb@dims@\\@backslashchar {name[1:]}\\endcsname#1{{"
            + "".join(f"\\fontdimen{i}#1={v}" for i, v in enumerate(values.split(","), 1))
            + "}\n"
            for name, values in _FONT_LINE.findall(log)
        )
        # 2. The dump, with the fonts as stand-ins of the same parameters.
        dims = "\\catcode`\\@=11\n" + dims + "\\catcode`\\@=12\n"
        (work / "dump.tex").write_text(dims + _DRIVER + _DUMP + head + _AFTER, "utf-8")
        ini = [exe, "-ini", *common, f"-jobname={_JOBNAME}", "&" + spec["engine"], "dump.tex"]
        code = _tex(ini[0], ini[1:], work, env)
        fmt = work / f"{_JOBNAME}.fmt"
        if code != 0 or not fmt.is_file():
            _record_failure(key)
            return False
        # 3. The check: the document that asked for it, typeset from the format.
        check = job / "check"
        check.mkdir()
        for name in spec["support"]:
            shutil.copyfile(job / name, check / name)
        shutil.copyfile(job / "document.tex", check / f"{_JOBNAME}.tex")
        for name in spec["seeds"]:
            shutil.copyfile(job / f"seed-{name}", check / name)
        os.link(fmt, check / f"{FORMAT_NAME}.fmt")
        code = _tex(exe, [*ENGINE_ARGS, f"-fmt={FORMAT_NAME}", f"{_JOBNAME}.tex"], check, env)
        made = check / f"{_JOBNAME}.pdf"
        if code != 0 or not made.is_file():
            _record_failure(key)
            return False
        if hashlib.sha256(made.read_bytes()).hexdigest() != spec["pdf_sha256"]:
            _record_failure(key)
            return False
        data = fmt.read_bytes()
        _write_atomic(_fmt(key), data)
        record = {"size": len(data), "sample": _sample(fmt)[1]}
        _write_atomic(_meta(key), json.dumps(record).encode())
        _evict(key)
        return True
    except (OSError, ValueError, KeyError, TypeError, subprocess.SubprocessError):
        return False
    finally:
        shutil.rmtree(job, ignore_errors=True)


def _record_failure(key: str) -> None:
    with contextlib.suppress(OSError):
        _write_atomic(_meta(key), json.dumps({"failed": True}).encode())


if __name__ == "__main__":  # the background dump (schedule_dump)
    with contextlib.suppress(OSError):
        os.nice(10)
    run_job(Path(sys.argv[1]))
