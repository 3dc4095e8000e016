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

A variant whose preset names a ``pack`` (``sciencv``, ``r4ri``) gets those parts instead
(``cvbuild.build.pack``): the PDF and DOCX with the preset's ``pack_note`` first and each
text module's count under it; ``<stem>.txt`` holds each text field with its characters,
words and limits, for pasting; ``<stem>_products.ris``, ``<stem>_products.nbib``
(MEDLINE/PubMed format) and ``<stem>_products.bib`` hold the chosen products for import
(NCBI MyBibliography, reference managers).
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cvbuild import __version__
from cvbuild.build.fit import FitResult
from cvbuild.build.job import publications_only
from cvbuild.build.plan import BUNDLE_PARTS
from cvbuild.errors import Problem

__all__ = ["MANIFEST", "PARTS", "Bundle", "export_bundle", "make_bundle", "publications_only"]

MANIFEST = "manifest.json"
PARTS = BUNDLE_PARTS


@dataclass(frozen=True)
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


def make_bundle(
    config: Path, variant: str | None, *, date: str = "", parts: Sequence[str] | None = None
) -> Bundle:
    """Build one variant's bundle in memory: a plan of one job, run as ``build`` runs jobs.

    ``parts`` chooses among ``pdf``, ``docx``, ``txt``, ``publications`` (the
    publications-only PDF) and ``json`` (and a pack's ``ris``, ``medline``, ``bibtex``);
    None: the variant's preset's ``pack``, else :data:`PARTS`. Raises InputError (1), UsageError (2, e.g. an
    unknown variant) or ExternalError (3, TeX or pandoc failed) like ``build``.
    """
    from cvbuild.build.options import BuildOptions, unique
    from cvbuild.build.plan import choose_variants, plan_bundle
    from cvbuild.build.run import load, load_bibliographies, run_plan

    cv = load(Path(config))
    chosen = choose_variants(cv, [variant] if variant else [])[0]  # None: the first
    job = plan_bundle(cv, chosen, parts)
    pubs, _count, problems = load_bibliographies(cv)
    (result,) = run_plan(cv, [job], pubs, BuildOptions(date=date), workers=1)
    warnings = unique([*cv.warnings, *problems, *result.warnings])
    return Bundle(
        dict(result.files), result.variant, result.date, result.stem, warnings, result.fit,
        result.engine_passes, cv.output.dir,
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


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip of ``files`` in name order with fixed times and modes: same files, same bytes."""
    from cvbuild.clock import stamp_epoch, zip_time

    stamp = zip_time(stamp_epoch())
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
