"""DOCX through pandoc: Markdown (pandoc flavor) + our reference.docx → reproducible .docx bytes.

Pandoc comes from the ``pypandoc-binary`` wheel, so no system install is needed; a newer
pandoc on PATH is preferred when present. Pandoc runs in a temporary folder with raw
HTML/LaTeX disabled and, where supported, ``--sandbox``. The result is post-processed:
our tab marker becomes a real Word tab, the document properties come from ``Meta``, the
owner's name goes into the reference document's running footer ("Name … Page x of y"), and
the zip is rewritten with sorted entries and fixed timestamps: ``SOURCE_DATE_EPOCH``, else
the document's own date, never the wall clock (see ``source_date_epoch``).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
import zipfile
from datetime import date
from functools import lru_cache
from pathlib import Path

from cvbuild import clock
from cvbuild.bib.dates import parse_month
from cvbuild.document import Meta
from cvbuild.errors import ExternalError
from cvbuild.render.markdown import TAB
from cvbuild.resources import styles_dir

# Our Markdown is escaped at every leaf; the reader is narrowed as a second guard so that
# nothing in it can become raw HTML, raw LaTeX, math, citations or metadata.
READER = "markdown" + "".join(
    f"-{ext}"
    for ext in (
        "raw_html",
        "raw_tex",
        "raw_attribute",
        "tex_math_dollars",
        "latex_macros",
        "markdown_in_html_blocks",
        "native_divs",
        "native_spans",
        "smart",
        "citations",
        "yaml_metadata_block",
        "pandoc_title_block",
        "auto_identifiers",
        "implicit_header_references",
        "implicit_figures",
        "definition_lists",
        "example_lists",
        "fancy_lists",
        "task_lists",
        "line_blocks",
        "pipe_tables",
        "grid_tables",
        "multiline_tables",
        "simple_tables",
        "subscript",
        "strikeout",
    )
)
SANDBOX_SINCE = (2, 15)
# Stands for the owner's name in the reference documents' footer; filled in from ``Meta``.
FOOTER_NAME = "CVBUILD-FOOTER-NAME"
TIMEOUT_SECONDS = 120

_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


def reference_docx_path(theme: str, paper: str) -> Path:
    """Our reference document for a theme and paper size, most specific first.

    ``styles/reference-<theme>-<paper>.docx``, ``reference-<theme>.docx`` (A4 only),
    ``reference-<paper>.docx``, then ``reference.docx`` (A4).
    """
    paper = paper.lower()
    folder = styles_dir()
    names = [f"reference-{theme}-{paper}.docx"]
    if paper == "a4":
        names.append(f"reference-{theme}.docx")
    names.append(f"reference-{paper}.docx")
    if paper == "a4":
        names.append("reference.docx")
    for name in names:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise ExternalError(
        f"no reference document for theme {theme!r} and paper {paper!r} in {folder} "
        f"(regenerate them with scripts/make_reference_docx.py)"
    )


# --------------------------------------------------------------------------- pandoc


def xml_escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities (``xml.sax.saxutils.escape``'s rule, without
    importing it: it pulls in ``urllib.request``, ``http`` and ``ssl`` at start-up)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


VERSIONS_FILE = "pandoc-versions.json"  # in the per-user cache (cvbuild.usercache)
MAX_VERSIONS = 16  # executables remembered; the least recently probed are forgotten
_MAX_VERSIONS_BYTES = 64 * 1024


def _version(executable: str) -> tuple[int, ...] | None:
    """The version ``executable --version`` reports (None when it does not run or names
    none), remembered in the per-user cache for that file (its real path, size and time):
    a build then stats a file instead of starting pandoc once more. A changed executable
    is asked again; only a version it reported is remembered."""
    ident = _identity(executable)
    store = _versions_path()
    known = _known_versions(store) if store is not None and ident is not None else {}
    if ident is not None:
        found = known.get(ident[0])
        if isinstance(found, list) and len(found) > 1 and found[0] == ident[1]:
            version = found[1:]
            if all(type(x) is int and x >= 0 for x in version):
                return tuple(version)
    asked = _asked_version(executable)
    if asked is not None and store is not None and ident is not None:
        kept = [(k, v) for k, v in known.items() if k != ident[0]][-(MAX_VERSIONS - 1) :]
        from cvbuild import usercache

        usercache.write_json(store, {**dict(kept), ident[0]: [ident[1], *asked]})
    return asked


def _identity(executable: str) -> tuple[str, str] | None:
    """(real path, "size:mtime_ns") of an executable, or None when it cannot be stat'ed."""
    try:
        real = os.path.realpath(executable)
        st = os.stat(real)
    except (OSError, ValueError):
        return None
    return real, f"{st.st_size}:{st.st_mtime_ns}"


def _versions_path() -> Path | None:
    from cvbuild import usercache

    root = usercache.cache_root()
    return root / VERSIONS_FILE if root is not None else None


def _known_versions(store: Path) -> dict[str, object]:
    from cvbuild import usercache

    known = usercache.read_json(store, _MAX_VERSIONS_BYTES)
    return known if isinstance(known, dict) else {}


def _asked_version(executable: str) -> tuple[int, ...] | None:
    try:
        done = subprocess.run(
            [executable, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    m = re.search(r"pandoc(?:\.exe)?\s+(\d+(?:\.\d+)*)", done.stdout)
    return tuple(int(p) for p in m.group(1).split(".")) if m else None


def _bundled_pandoc() -> str | None:
    """The pandoc inside the ``pypandoc-binary`` wheel, found without importing pypandoc
    (its import pulls in ``urllib.request``, ``http`` and ``ssl``; its search runs every
    pandoc it can find once more)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("pypandoc")
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        for name in ("pandoc", "pandoc.exe"):
            candidate = Path(folder) / "files" / name
            if candidate.is_file():
                return str(candidate)
    return None


@lru_cache(maxsize=1)
def find_pandoc() -> tuple[str, tuple[int, ...]]:
    """The pandoc to run and its version: the wheel's, or a newer one on PATH."""
    candidates: list[str] = []
    bundled = None if os.environ.get("PYPANDOC_PANDOC") else _bundled_pandoc()
    if bundled is not None:
        candidates.append(bundled)
    else:  # pypandoc's own search (PYPANDOC_PANDOC, ~/bin, ...)
        try:
            import pypandoc

            candidates.append(pypandoc.get_pandoc_path())
        except (ImportError, OSError):
            pass
    system = shutil.which("pandoc")
    if system:
        candidates.append(system)
    best: tuple[str, tuple[int, ...]] | None = None
    for exe in candidates:
        version = _version(exe)
        if version is not None and (best is None or version > best[1]):
            best = (exe, version)
    if best is None:
        raise ExternalError(
            "pandoc could not run: it is needed for DOCX output and normally comes with the "
            "'pypandoc-binary' package (pip install pypandoc-binary), or install pandoc "
            "from https://pandoc.org/installing.html"
        )
    return best


def pandoc_command(executable: str, version: tuple[int, ...], reference: Path) -> list[str]:
    cmd = [executable, "--from", READER, "--to", "docx", "--reference-doc", str(reference)]
    if version >= SANDBOX_SINCE:
        cmd.append("--sandbox")
    return cmd + ["--output", "cv.docx", "cv.md"]


def markdown_to_docx(markdown: str, reference_docx: Path, *, meta: Meta) -> bytes:
    """Convert pandoc Markdown to DOCX bytes with our reference document; reproducible."""
    executable, version = find_pandoc()
    reference = Path(reference_docx).resolve()
    if not reference.is_file():
        raise ExternalError(f"the reference document {reference} is missing")
    epoch = source_date_epoch(meta)
    from cvbuild.tempdirs import build_dir

    with build_dir() as folder:
        (folder / "cv.md").write_text(markdown, encoding="utf-8")
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
        try:
            done = subprocess.run(
                pandoc_command(executable, version, reference),
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ExternalError(
                f"pandoc ({executable}) did not finish within {TIMEOUT_SECONDS} s"
            ) from exc
        except OSError as exc:
            raise ExternalError(f"pandoc ({executable}) could not run: {exc}") from exc
        output = folder / "cv.docx"
        if done.returncode != 0 or not output.is_file():
            reason = (done.stderr or done.stdout).strip().splitlines()[-5:]
            raise ExternalError(
                f"pandoc failed (exit {done.returncode}) making the DOCX: "
                + (" | ".join(reason) or "no message")
            )
        data = output.read_bytes()
    return normalize_docx(data, meta=meta, epoch=epoch)


# --------------------------------------------------------------------------- post-processing


def source_date_epoch(meta: Meta | None = None) -> int:
    """The time every stamp in the DOCX carries (core.xml, zip entries): never the wall
    clock, so an unchanged CV gives the same bytes on every rebuild.

    ``SOURCE_DATE_EPOCH`` when set; else midnight UTC of the document's own date
    (``meta.date``: "15 January 2026", "2026-01-15", "January 2026", "2026"); else
    midnight UTC today, as the PDF does.
    """
    return clock.stamp_epoch(date_of(meta.date) if meta is not None else None)


def date_of(text: str) -> date | None:
    """The day a "last updated" text names, or None when it names none."""
    words = re.findall(r"[A-Za-z]+|\d+", text)
    year = next((int(w) for w in words if w.isdigit() and len(w) == 4), None)
    if year is None or not 1980 <= year <= 9999:
        return None
    month = next((m for w in words if not w.isdigit() and (m := parse_month(w))), None)
    numbers = [int(w) for w in words if w.isdigit() and len(w) <= 2]
    iso = re.search(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text)
    if iso:
        month = int(iso.group(2))
        numbers = [int(iso.group(3))] if iso.group(3) else []
    day = numbers[0] if numbers else 1
    try:
        return date(year, month or 1, day)
    except ValueError:  # "31 February 2026", "2026-13-01"
        return None


_WT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def _real_tabs(xml: str) -> str:
    """Our tab marker inside a text run → a ``<w:tab/>`` between two text elements."""

    def split(m: re.Match[str]) -> str:
        if TAB not in m.group(1):
            return m.group(0)
        parts = m.group(1).split(TAB)
        return "<w:tab/>".join(f'<w:t xml:space="preserve">{p}</w:t>' if p else "" for p in parts)

    return _WT.sub(split, xml)


def core_properties(meta: Meta, epoch: int) -> str:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    keywords = ", ".join(meta.keywords)
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in _NS.items())
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<cp:coreProperties {ns}>"
        f"<dc:title>{xml_escape(meta.title)}</dc:title>"
        f"<dc:creator>{xml_escape(meta.author)}</dc:creator>"
        f"<cp:keywords>{xml_escape(keywords)}</cp:keywords>"
        f"<cp:lastModifiedBy>{xml_escape(meta.author)}</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def rezip(files: dict[str, bytes], epoch: int) -> bytes:
    """A zip with ``[Content_Types].xml`` first, the rest sorted, fixed times and attributes."""
    names = sorted(files, key=lambda n: (n != "[Content_Types].xml", n))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=clock.zip_time(epoch))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            out.writestr(info, files[name], compresslevel=6)
    return buffer.getvalue()


def normalize_docx(data: bytes, *, meta: Meta | None, epoch: int) -> bytes:
    """Real tabs, document properties from ``meta``, and reproducible zip bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        files = {info.filename: source.read(info) for info in source.infolist()}
    name = "word/document.xml"
    if name in files:
        files[name] = _real_tabs(files[name].decode("utf-8")).encode("utf-8")
    if meta is not None:
        files["docProps/core.xml"] = core_properties(meta, epoch).encode("utf-8")
    name = xml_escape(meta.author) if meta is not None else ""
    for part in [n for n in files if re.fullmatch(r"word/footer\d*\.xml", n)]:
        files[part] = files[part].replace(FOOTER_NAME.encode(), name.encode("utf-8"))
        if meta is not None:
            files[part] = localized_footer(files[part].decode("utf-8"), meta).encode("utf-8")
    if meta is not None and meta.locale != "en":
        declare_language(files, meta.locale)
    return rezip(files, epoch)


_LANG_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")
_CJK_LANGS = ("zh", "ja", "ko")


def declare_language(files: dict[str, bytes], locale: str) -> None:
    """``w:lang`` of the document: the default run properties in styles.xml and every run
    of the body carry the CV's language (Word's spelling, hyphenation, screen readers)."""
    if not _LANG_TAG.fullmatch(locale):
        return
    east = locale if locale.split("-")[0] in _CJK_LANGS else None
    if "word/styles.xml" in files:
        styles = files["word/styles.xml"].decode("utf-8")

        def lang(m: re.Match[str]) -> str:
            tag = re.sub(r'w:val="[^"]*"', f'w:val="{locale}"', m.group(0))
            return re.sub(r'w:eastAsia="[^"]*"', f'w:eastAsia="{east}"', tag) if east else tag

        files["word/styles.xml"] = re.sub(r"<w:lang\b[^>]*/>", lang, styles).encode("utf-8")
    if "word/document.xml" in files:
        body = files["word/document.xml"].decode("utf-8")
        mark = f'<w:lang w:val="{locale}"' + (f' w:eastAsia="{east}"' if east else "") + "/>"
        body = re.sub(r"(<w:r>\s*<w:rPr>(?:(?!</w:rPr>).)*?)</w:rPr>", rf"\1{mark}</w:rPr>", body)
        body = re.sub(r"<w:r>(?!\s*<w:rPr>)", f"<w:r><w:rPr>{mark}</w:rPr>", body)
        files["word/document.xml"] = body.encode("utf-8")


def localized_footer(xml: str, meta: Meta) -> str:
    """The reference footer's "Page " … " of " … in the CV's language (``meta.page_label``:
    "Seite {page} von {total}"); the PAGE and NUMPAGES fields stay."""
    label = meta.page_label
    if label == "Page {page} of {total}" or "{page}" not in label or "{total}" not in label:
        return xml
    before, rest = label.split("{page}", 1)
    if "{total}" in before:  # a language that names the total first: keep English order
        return xml
    middle, after = rest.split("{total}", 1)
    keep = 'xml:space="preserve">'
    xml = xml.replace(f"{keep}Page </w:t>", f"{keep}{xml_escape(before)}</w:t>", 1)
    xml = xml.replace(f"{keep} of </w:t>", f"{keep}{xml_escape(middle)}</w:t>", 1)
    if after:
        run = re.findall(r"<w:r>(?:(?!</w:r>).)*?" + re.escape(keep), xml)
        start = run[-1] if run else f"<w:r><w:t {keep}"
        xml = xml.replace(
            "</w:p></w:ftr>", f"{start}{xml_escape(after)}</w:t></w:r></w:p></w:ftr>", 1
        )
    return xml
