"""``cvbuild export``: one variant's application bundle, in one folder or one zip.

The bundle holds, for a variant whose files are named ``<stem>`` (``Family_Given_CV_…``):

- ``<stem>.pdf`` — the CV (fitted to ``max_pages`` when the variant sets it);
- ``<stem>.docx`` — the same CV for Word-only portals;
- ``<stem>.txt`` — plain text to paste into web forms (``cvbuild.render.plaintext``);
- ``<stem>_Publications.pdf`` — only the variant's publications sections, never
  trimmed by ``max_pages`` (left out when the variant shows no publications);
- ``<stem>.json`` — JSON Resume (``cvbuild.jsonresume``);
- ``manifest.json`` — each file's name, size and SHA-256, the cvbuild version, the
  variant and the "last updated" date. It has no time stamp of its own, so the same
  inputs give the same manifest.

The PDF, DOCX, text and JSON Resume are made from the same selection: when the PDF
had to drop items to fit its pages, the other formats leave them out too.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from cvbuild import __version__
from cvbuild.build.fit import FitResult
from cvbuild.document import Document
from cvbuild.errors import Problem

MANIFEST = "manifest.json"
PARTS = ("pdf", "docx", "txt", "publications", "json")
_ZIP_EPOCH_MIN = 315532800  # 1980-01-01, the earliest time a zip entry can carry


@dataclass
class Bundle:
    """The files of one variant's bundle, in memory, and what to tell the user about it."""

    files: dict[str, bytes]  # file name -> contents (manifest not included)
    variant: str
    date: str  # the "last updated" text the documents show
    stem: str
    warnings: list[Problem] = field(default_factory=list)
    fit: FitResult | None = None  # set when max_pages was applied
    engine_passes: int = 0
    output_dir: Path | None = None  # the config's output folder


def publications_only(doc: Document) -> Document | None:
    """The document with only its publications sections (``None`` if it has none)."""
    sections = tuple(s for s in doc.sections if s.kind == "publications")
    if not sections:
        return None
    used = {kind for s in sections for kind in s.marks}
    meta = replace(
        doc.meta,
        title=f"{doc.header.name} \u2014 Publications",
        keywords=tuple(s.title for s in sections),
    )
    return Document(
        header=doc.header,
        sections=sections,
        meta=meta,
        legends={k: v for k, v in doc.legends.items() if k in used},
        legend_symbols={k: v for k, v in doc.legend_symbols.items() if k in used},
    )


def make_bundle(
    config: Path, variant: str | None, *, date: str = "", parts: Sequence[str] = PARTS
) -> Bundle:
    """Build one variant's bundle in memory with the pipeline's own steps.

    ``parts`` chooses among ``pdf``, ``docx``, ``txt``, ``publications`` (the
    publications-only PDF) and ``json``. Raises InputError (1), UsageError (2, e.g. an
    unknown variant) or ExternalError (3, TeX or pandoc failed) like ``build``.
    """
    from cvbuild.build.run import (
        BuildOptions,
        BuildReport,
        choose_variants,
        docx_bytes,
        fit_pages,
        load,
        load_bibliographies,
        pdf_bytes,
        prepare_variant,
    )
    from cvbuild.jsonresume import to_json_resume
    from cvbuild.render.plaintext import render_text

    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise ValueError(f"unknown bundle parts {unknown}; expected some of {PARTS}")
    opts = BuildOptions(date=date)
    report = BuildReport()
    cv = load(Path(config), report)
    chosen = choose_variants(cv, [variant] if variant else [])[0]  # None: the first
    pubs = load_bibliographies(cv, report)
    view = prepare_variant(cv, chosen, pubs, opts, report)
    full = view.doc
    stem = view.resolved.filename
    files: dict[str, bytes] = {}
    if "pdf" in parts:
        if view.resolved.max_pages:
            fit_pages(view, opts, report)
        files[f"{stem}.pdf"] = view.pdf or pdf_bytes(view, view.doc, opts, report)
    doc = view.doc
    if "docx" in parts:
        files[f"{stem}.docx"] = docx_bytes(view, doc, report)
    if "txt" in parts:
        files[f"{stem}.txt"] = render_text(doc).encode("utf-8")
    if "publications" in parts:
        only = publications_only(full)
        if only is not None:
            files[f"{stem}_Publications.pdf"] = pdf_bytes(view, only, opts, report)
    if "json" in parts:
        everything = [p for section_pubs in pubs.values() for p in section_pubs]
        resume = to_json_resume(cv, doc, publications=everything)
        files[f"{stem}.json"] = (json.dumps(resume, indent=2, ensure_ascii=False) + "\n").encode()
    return Bundle(
        files, view.resolved.name, doc.meta.date, stem, list(report.warnings), view.fit,
        report.engine_passes, cv.output.dir,
    )  # fmt: skip


def make_bundle_files(config: Path, variant: str, *, date: str = "") -> dict[str, bytes]:
    """The bundle's files (name → bytes), without the manifest."""
    return make_bundle(config, variant, date=date).files


# ---------------------------------------------------------------- writing


def manifest(files: Mapping[str, bytes], *, variant: str = "", date: str = "") -> bytes:
    """``manifest.json``: each file's name, size and SHA-256, sorted by name."""
    data = {
        "cvbuild": __version__,
        "variant": variant,
        "date": date,
        "files": [
            {"name": name, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
            for name, body in sorted(files.items())
        ],
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _check_name(name: str) -> None:
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or name != name.strip()
    ):
        raise ValueError(f"not a plain file name for a bundle: {name!r}")


def zip_time() -> tuple[int, int, int, int, int, int]:
    """The time stamp every zip entry carries: the build's date, as the PDF has it —
    ``SOURCE_DATE_EPOCH`` (UTC) when set, else today's midnight UTC. Never the clock's
    time of day, so a zip made again the same day has the same bytes."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw.isdigit():
        epoch = int(raw)
    else:
        now = int(time.time())
        epoch = now - now % 86400
    t = time.gmtime(max(epoch, _ZIP_EPOCH_MIN))
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip of ``files`` in name order with fixed times and modes: same files, same bytes."""
    stamp = zip_time()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so that the mode below is read
            info.external_attr = (0o100644 & 0xFFFF) << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def export_bundle(
    files: Mapping[str, bytes],
    dest: Path,
    *,
    zip_name: str | None = None,
    variant: str = "",
    date: str = "",
) -> list[Path]:
    """Write the bundle plus ``manifest.json`` into the folder ``dest``, or, with
    ``zip_name``, as one zip in ``dest``. All files are staged first and moved into
    place together (``cvbuild.outputs.write_atomically``); files already identical are
    left alone; other files in ``dest`` are never touched. Returns the bundle's paths
    (the zip alone, or every file then the manifest)."""
    from cvbuild.outputs import write_atomically

    for name in files:
        _check_name(name)
        if name == MANIFEST:
            raise ValueError(f"{MANIFEST} is written by export_bundle itself")
    from cvbuild.outputs import check_output_dir

    contents = dict(files)
    contents[MANIFEST] = manifest(files, variant=variant, date=date)
    dest = Path(dest)
    check_output_dir(dest, "bundle folder", "--output DIR")
    if zip_name is not None:
        name = zip_name if zip_name.lower().endswith(".zip") else f"{zip_name}.zip"
        _check_name(name)
        target = dest / name
        write_atomically({target: zip_bytes(contents)})
        return [target]
    paths = {dest / name: body for name, body in contents.items()}
    write_atomically(paths)
    return [dest / name for name in sorted(files)] + [dest / MANIFEST]
