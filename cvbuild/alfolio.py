"""The al-folio companion: what an al-folio site's CV page reads, written into the site.

``cvbuild export cv.yaml --alfolio SITE`` writes exactly three files below ``SITE``:

- ``assets/json/resume.json`` — the variant as JSON Resume (``cvbuild.jsonresume``); the
  CV page of current al-folio versions reads it;
- ``_data/cv.yml`` — the same data in the older al-folio format: a YAML list of sections,
  each with a ``title``, a ``type`` (``map``, ``time_table``, ``list`` or
  ``nested_list``) and its ``contents``;
- ``assets/pdf/<stem>.pdf`` — the PDF, when the variant's TeX engine is installed.

Every other file of the site is left alone. The files are written together
(``cvbuild.outputs.write_atomically``); a symbolic link on the way to a target, or in
place of one, is refused, so nothing is written outside ``SITE``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from cvbuild.config.model import PartialDate
from cvbuild.errors import PathError
from cvbuild.format.dates import format_range
from cvbuild.i18n.phrases import Phrases, phrases_for

__all__ = ["JSON_PATH", "YAML_PATH", "cv_yml", "site_files", "write_site"]

JSON_PATH = "assets/json/resume.json"
YAML_PATH = "_data/cv.yml"
PDF_DIR = "assets/pdf"

# JSON Resume key → the phrase of its cv.yml section title (in the resume's language:
# ``meta.language``; "Experience", "Berufserfahrung", "職歴").
_TIMED = (
    ("work", "al_experience"),
    ("education", "al_education"),
    ("awards", "al_awards"),
    ("volunteer", "al_volunteer"),
    ("projects", "al_projects"),
    ("certificates", "al_certificates"),
)


def _year(value: object) -> PartialDate | None:
    text = str(value or "")[:4]
    return PartialDate(int(text)) if len(text) == 4 and text.isdigit() else None


def _years(record: Mapping[str, Any], phrases: Phrases, *keys: str) -> str:
    """``2019 – 2022``, ``2022 – present`` or ``2021`` from ISO dates, in the CV's language
    (CLDR's range, the catalog's "present": ``2022 – heute``, ``2022年～現在``)."""
    start = _year(record.get(keys[0]))
    if len(keys) == 1:
        return format_range(None, None, start, phrases=phrases)
    end = _year(record.get(keys[1]))
    if start is not None and end is None:
        end = PartialDate(present=True)  # JSON Resume: no end date, still going
    return format_range(start, end, phrases=phrases)


def _timed(key: str, record: Mapping[str, Any], phrases: Phrases) -> dict[str, Any]:
    if key == "education":
        degree, area = (str(record.get(k) or "") for k in ("studyType", "area"))
        title = (
            phrases("degree_in", degree=degree, area=area) if degree and area else degree or area
        )
        org = record.get("institution", "")
    elif key == "awards":
        title, org = record.get("title", ""), record.get("awarder", "")
    elif key == "certificates":
        title, org = record.get("name", ""), record.get("issuer", "")
    elif key == "projects":
        title, org = record.get("name", ""), ", ".join(record.get("roles", []))
    else:  # work, volunteer
        title = record.get("position", "")
        org = record.get("name", "") or record.get("organization", "")
    if "date" in record:
        year = _years(record, phrases, "date")
    else:
        year = _years(record, phrases, "startDate", "endDate")
    description = [str(record["summary"])] if record.get("summary") else []
    description += [str(h) for h in record.get("highlights", []) if h]
    out: dict[str, Any] = {"title": str(title)}
    if org:
        out["institution"] = str(org)
    if year:
        out["year"] = year
    if description:
        out["description"] = description
    return out


def cv_sections(resume: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The cv.yml sections of a JSON Resume document, in the order a CV reads."""
    basics: Mapping[str, Any] = resume.get("basics", {})
    meta = resume.get("meta")
    language = meta.get("language") if isinstance(meta, Mapping) else None
    phrases = phrases_for(language if isinstance(language, str) and language else "en")
    general = [
        {"name": name, "value": str(basics[key])}
        for key, name in (
            ("name", phrases("al_full_name")),
            ("label", phrases("al_position")),
            ("email", phrases("al_email")),
        )
        if basics.get(key)
    ]
    if basics.get("url"):
        general.append({"name": phrases("link_website"), "value": str(basics["url"])})
    place = basics.get("location", {})
    where = ", ".join(str(place[k]) for k in ("city", "region", "countryCode") if place.get(k))
    if where:
        general.append({"name": phrases("al_location"), "value": where})
    for profile in basics.get("profiles", []):
        value = profile.get("url") or profile.get("username")
        if profile.get("network") and value:
            general.append({"name": str(profile["network"]), "value": str(value)})
    sections: list[dict[str, Any]] = []
    if general:
        sections.append({"title": phrases("al_general"), "type": "map", "contents": general})
    if basics.get("summary"):
        paragraphs = [p for p in str(basics["summary"]).split("\n\n") if p.strip()]
        sections.append({"title": phrases("al_summary"), "type": "list", "contents": paragraphs})
    for key, title in _TIMED:
        records = resume.get(key, [])
        if records:
            contents = [_timed(key, r, phrases) for r in records]
            sections.append({"title": phrases(title), "type": "time_table", "contents": contents})
    papers = [str(p.get("summary") or p.get("name", "")) for p in resume.get("publications", [])]
    if papers:
        sections.append({"title": phrases("al_publications"), "type": "list", "contents": papers})
    for key, title in (("skills", "al_skills"), ("interests", "al_interests")):
        nested = [
            {"title": str(r.get("name", "")), "items": [str(k) for k in r.get("keywords", [])]}
            for r in resume.get(key, [])
        ]
        if nested:
            sections.append({"title": phrases(title), "type": "nested_list", "contents": nested})
    languages = [
        {"name": str(r.get("language", "")), "value": str(r.get("fluency", ""))}
        for r in resume.get("languages", [])
    ]
    if languages:
        sections.append({"title": phrases("al_languages"), "type": "map", "contents": languages})
    return sections


def cv_yml(resume: Mapping[str, Any]) -> bytes:
    """``_data/cv.yml`` for ``resume``: plain YAML that any YAML reader loads back."""
    header = "# Written by cvbuild from cv.yaml: edit cv.yaml, not this file.\n"
    body = yaml.safe_dump(
        cv_sections(resume),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )
    return (header + body).encode("utf-8")


def site_files(bundle: Mapping[str, bytes], stem: str) -> dict[str, bytes]:
    """The site's files (path relative to SITE → bytes) from an export bundle that holds
    ``<stem>.json`` and, when TeX made it, ``<stem>.pdf``."""
    resume_bytes = bundle[f"{stem}.json"]
    files = {JSON_PATH: resume_bytes, YAML_PATH: cv_yml(json.loads(resume_bytes))}
    if f"{stem}.pdf" in bundle:
        files[f"{PDF_DIR}/{stem}.pdf"] = bundle[f"{stem}.pdf"]
    return files


def check_site(site: Path) -> Path:
    """The site folder, resolved; a PathError for anything that is not an existing folder."""
    if site.is_symlink() and not site.is_dir():
        raise PathError(f"the al-folio site {site} is a broken symbolic link; give the site folder")
    if not site.exists():
        raise PathError(
            f"the al-folio site {site} does not exist; give the folder of your al-folio "
            "site (the one that holds _config.yml)"
        )
    if not site.is_dir():
        raise PathError(f"the al-folio site {site} is a file, not a folder; give the site folder")
    return site.resolve()


def _target(root: Path, relative: str) -> Path:
    """``root / relative``, refusing a symbolic link anywhere below ``root``."""
    path = root
    for part in relative.split("/"):
        path = path / part
        if path.is_symlink():
            raise PathError(
                f"{path} is a symbolic link; cvbuild writes only real files inside the site "
                "and never follows a link out of it: remove the link or replace it by a folder"
            )
    if os.path.commonpath([root, os.path.realpath(path)]) != str(root):  # belt and braces
        raise PathError(f"{path} lies outside the site {root}")
    return path


def write_site(site: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (relative path → bytes) below the folder ``site``, all or none.
    Returns every target path, in the order given (unchanged files are left as they are)."""
    from cvbuild.outputs import write_atomically

    root = check_site(site)
    targets = {_target(root, rel): body for rel, body in files.items()}
    write_atomically(targets)
    return list(targets)


def pdf_engine_missing(config: Path, variant: str | None) -> str | None:
    """The TeX engine the variant needs when it is not installed, else None."""
    import shutil

    from cvbuild.build.plan import choose_variants
    from cvbuild.config.reader import load_config
    from cvbuild.select import resolve_variant

    cv = load_config(config)
    chosen = choose_variants(cv, [variant] if variant else [])[0]
    engine = resolve_variant(cv, chosen).engine
    return None if shutil.which(engine) else engine


def site_parts(engine_missing: str | None) -> Sequence[str]:
    """The bundle parts the site needs: the PDF only when it can be made."""
    return ("json",) if engine_missing else ("pdf", "json")
