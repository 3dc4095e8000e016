"""JSON Resume (https://jsonresume.org/schema, v1.0.0) both ways.

Export — ``to_json_resume(cv, doc)``: everything shown comes from the variant's formatted
``Document`` (its entries carry ISO 8601 dates and their checked link; its publications the
formatted authors, venue and identifiers); only ``basics`` reads ``cv.person`` (the email,
phone and profile ids a header shows as text).

- ``person`` → ``basics`` (headline → ``label``, website → ``url``, location split
  into ``location.city``, ``region`` and ``countryCode``, profiles with their URLs).
- Text sections → ``basics.summary`` (paragraphs joined by a blank line; a section
  that is not titled like a summary — About, Summary, Profile, Bio, Overview,
  Research statement — is prefixed by its title).
- Entries sections go by a word in their title (case-insensitive, first match wins):

  =================================================== ===============
  title contains                                      JSON Resume key
  =================================================== ===============
  educat, degree, studies, qualification              ``education``
  award, honor, honour, prize, grant, fellowship,     ``awards``
  scholarship, distinction
  publication, paper, article                         ``publications``
  volunteer                                           ``volunteer``
  project                                             ``projects``
  certificat, licen                                   ``certificates``
  anything else (Positions, Experience, Teaching, …)  ``work``
  =================================================== ===============

  An education title ``PhD in Ecology`` splits into ``studyType`` ``PhD`` and ``area``
  ``Ecology``; an end date of ``present`` leaves ``endDate`` out, as JSON Resume means.
- Publications sections → ``publications`` [{name, publisher, releaseDate, url,
  summary}] from the formatted ``PubItem`` alone (title, venue, date, url or DOI as the
  format stage decided them); ``summary`` is the whole reference as a reader sees it, the
  same authors as every other output, followed by the marks' legend when it has marks.
- Items sections → ``languages`` (title has "language"), ``interests`` (interest,
  hobb), else ``skills``: a label is the skill's name and the comma-separated text its
  keywords; an item without a label is a skill name.

Import — ``from_json_resume(data)``: a starting ``cv.yaml`` (text) that ``load_config``
accepts. Every JSON Resume section becomes a cvbuild section with a title the export
maps back to the same key, so import → build → export keeps the data. Fields
cvbuild has no place for (an education's score, a skill's level, a company
description, references, …) are kept as YAML comments for the user to place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from cvbuild.bib.ids import doi_url
from cvbuild.bib.model import Publication
from cvbuild.config.inline import parse_inline
from cvbuild.config.model import CV, PartialDate
from cvbuild.document import Document, EntryBlock, PubItem, SectionBlock
from cvbuild.errors import InputError, Location, error
from cvbuild.format.dates import iso_date
from cvbuild.richtext import Mark, Text, plain, walk

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
CONFIG_SCHEMA_HINT = "./cv.schema.json"

_ENTRY_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("education", ("educat", "degree", "studies", "qualification")),
    (
        "awards",
        ("award", "honor", "honour", "prize", "grant", "fellowship", "scholarship", "distinction"),
    ),
    ("publications", ("publication", "paper", "article")),
    ("volunteer", ("volunteer",)),
    ("projects", ("project",)),
    ("certificates", ("certificat", "licen")),
)
_SUMMARY_TITLES = ("about", "summary", "profile", "bio", "overview", "statement")
# C0/C1 controls (but tab and newline), bidi overrides and isolates: never wanted in a CV.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ISO = re.compile(r"^[12]\d{3}(-[01]\d(-[0-3]\d)?)?$")
_HTTP = re.compile(r"^https?://\S+$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_BARE_HOST = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)+(/\S*)?$")


def entry_kind(title: str) -> str:
    """The JSON Resume key an entries section goes to, by its title."""
    lowered = title.lower()
    for kind, words in _ENTRY_KINDS:
        if any(w in lowered for w in words):
            return kind
    return "work"


def items_kind(title: str) -> str:
    lowered = title.lower()
    if "language" in lowered and "programming" not in lowered:
        return "languages"
    if "interest" in lowered or "hobb" in lowered:
        return "interests"
    return "skills"


# ---------------------------------------------------------------- export


def _http(url: str) -> str:
    url = url.strip()
    if _HTTP.match(url):
        return url
    if _BARE_HOST.match(url):
        return f"https://{url}"
    return ""


def _inline(value: str) -> str:
    """A free-text field's inline Markdown as the text a reader sees."""
    return plain(parse_inline(value)).strip()


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v not in ("", None, [], {})}


def _entry_record(kind: str, block: EntryBlock) -> dict[str, Any]:
    title = plain(block.title).strip()
    org = plain(block.organization).strip()
    summary = plain(block.summary).strip()
    highlights = [h for h in (plain(x).strip() for x in block.highlights) if h]
    url, start, end, single = _http(block.url), block.start, block.end, block.date
    if single and not start:
        start = end = single
    single = single or end or start
    if kind == "education":
        study, _, area = title.partition(" in ")
        return _clean(
            {
                "institution": org,
                "url": url,
                "area": area.strip(),
                "studyType": study.strip(),
                "startDate": start,
                "endDate": end,
                "location": block.location,
                "summary": summary,
                "courses": highlights,
            }
        )
    if kind == "awards":
        return _clean({"title": title, "date": single, "awarder": org, "summary": summary})
    if kind == "publications":
        return _clean(
            {"name": title, "publisher": org, "releaseDate": single, "url": url, "summary": summary}
        )
    if kind == "certificates":
        return _clean({"name": title, "date": single, "issuer": org, "url": url})
    if kind == "projects":
        return _clean(
            {
                "name": title,
                "entity": org,
                "description": summary,
                "highlights": highlights,
                "startDate": start,
                "endDate": end,
                "url": url,
            }
        )
    record = {
        "organization" if kind == "volunteer" else "name": org,
        "position": title,
        "location": block.location,
        "url": url,
        "startDate": start,
        "endDate": end,
        "summary": summary,
        "highlights": highlights,
    }
    if kind == "volunteer":
        record.pop("location")
    return _clean(record)


def _pub_record(item: PubItem, doc: Document) -> dict[str, Any]:
    """One paper, from the formatted item only (the parts the format stage decided)."""
    reference = plain(item.text).strip()
    link = next((u for _, u in item.links if _http(u)), "")
    date = iso_date(PartialDate(item.year, item.month)) if item.year else ""
    legend = _legend(doc, item)
    return _clean(
        {
            "name": item.title or reference,
            "publisher": item.venue,
            "releaseDate": date,
            "url": _http(item.url) or (doi_url(item.doi) if item.doi else "") or link,
            "summary": f"{reference} {legend}" if legend else reference,
        }
    )


def _legend(doc: Document, item: PubItem) -> str:
    """The legend of the marks ``item`` uses, as plain sentences ("* Equal contribution.")."""
    kinds = dict.fromkeys(n.kind for n in walk(item.text) if isinstance(n, Mark))
    return " ".join(
        f"{doc.legend_symbols[kind]} {doc.legends[kind]}."
        for kind in kinds
        if kind in doc.legends and doc.legend_symbols.get(kind)
    )


def _keywords(text: str) -> list[str]:
    return [k.strip() for k in re.split(r"[,;]", text) if k.strip()]


def _items_records(kind: str, section: SectionBlock) -> list[dict[str, Any]]:
    out = []
    for item in section.items:
        body = plain(item.text).strip()
        label = item.label.strip()
        if kind == "languages":
            out.append(_clean({"language": label or body, "fluency": body if label else ""}))
        elif label:
            out.append(_clean({"name": label, "keywords": _keywords(body)}))
        elif body:
            out.append({"name": body})
    return out


# Country names (English and own) → ISO 3166-1 alpha-2, for the countries most CVs name.
COUNTRY_CODES = {
    "argentina": "AR", "australia": "AU", "austria": "AT", "österreich": "AT",
    "belgium": "BE", "brazil": "BR", "brasil": "BR", "canada": "CA", "chile": "CL",
    "china": "CN", "czech republic": "CZ", "czechia": "CZ", "denmark": "DK",
    "egypt": "EG", "estonia": "EE", "finland": "FI", "france": "FR", "germany": "DE",
    "deutschland": "DE", "greece": "GR", "hong kong": "HK", "hungary": "HU",
    "iceland": "IS", "india": "IN", "indonesia": "ID", "iran": "IR", "ireland": "IE",
    "israel": "IL", "italy": "IT", "italia": "IT", "japan": "JP", "kenya": "KE",
    "korea": "KR", "south korea": "KR", "latvia": "LV", "lithuania": "LT",
    "luxembourg": "LU", "malaysia": "MY", "mexico": "MX", "méxico": "MX",
    "netherlands": "NL", "the netherlands": "NL", "new zealand": "NZ", "nigeria": "NG",
    "norway": "NO", "pakistan": "PK", "peru": "PE", "philippines": "PH", "poland": "PL",
    "polska": "PL", "portugal": "PT", "romania": "RO", "russia": "RU", "serbia": "RS",
    "singapore": "SG", "slovakia": "SK", "slovenia": "SI", "south africa": "ZA",
    "spain": "ES", "españa": "ES", "sweden": "SE", "sverige": "SE", "switzerland": "CH",
    "schweiz": "CH", "suisse": "CH", "taiwan": "TW", "thailand": "TH", "turkey": "TR",
    "türkiye": "TR", "ukraine": "UA", "united arab emirates": "AE", "uae": "AE",
    "united kingdom": "GB", "uk": "GB", "u.k.": "GB", "great britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "united states": "US",
    "united states of america": "US", "usa": "US", "u.s.a.": "US", "us": "US",
    "u.s.": "US", "vietnam": "VN", "viet nam": "VN",
}  # fmt: skip


def json_location(text: str) -> dict[str, str]:
    """A location as JSON Resume's ``location``: "Kraków, Poland" is city Kraków and
    countryCode PL, "Cambridge, MA, USA" city, region MA and US. A last part that is no
    country cvbuild knows is the region; a single part is the city."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return {}
    last = parts[-1]
    code = COUNTRY_CODES.get(" ".join(last.lower().split()))
    if code is None and re.fullmatch(r"[A-Z]{2}", last) and len(parts) > 2:
        code = last  # "Cambridge, MA, US": a two-letter code after a region
    out = {"city": parts[0]}
    middle = parts[1:-1] if code else parts[1:]
    if code and len(parts) == 1:
        return {"countryCode": code}
    if middle:
        out["region"] = ", ".join(middle)
    if code:
        out["countryCode"] = code
    return out


def to_json_resume(
    cv: CV, doc: Document, *, publications: Iterable[Publication] = ()
) -> dict[str, Any]:
    """The variant as a JSON Resume document (a dict ready for ``json.dumps``).

    ``publications`` is no longer read (the ``Document`` carries what is needed); it stays
    for the callers that still pass it."""
    from cvbuild.format.assemble import profile_contact

    person = cv.person
    profiles = []
    for profile in person.profiles:
        url = _http(profile_contact(profile).url)
        profiles.append(
            _clean({"network": profile.network, "username": profile.username, "url": url})
        )
    basics: dict[str, Any] = {
        "name": person.name,
        "label": plain(doc.header.headline).strip() or _inline(person.headline),
        "email": person.email if _EMAIL.match(person.email) else "",
        "phone": person.phone,
        "url": _http(person.website),
        "location": json_location(person.location),
        "profiles": profiles,
    }
    result: dict[str, Any] = {"$schema": SCHEMA_URL}
    lists: dict[str, list[dict[str, Any]]] = {}
    summary: list[str] = []
    for block in doc.sections:
        if block.kind == "text":
            paragraphs = [plain(p).strip() for p in block.paragraphs if plain(p).strip()]
            if not paragraphs:
                continue
            if not any(w in block.title.lower() for w in _SUMMARY_TITLES) and block.title:
                paragraphs[0] = f"{block.title}: {paragraphs[0]}"
            summary.extend(paragraphs)
            cited = [(r.number, plain(r.text).strip()) for r in block.references]
            summary.extend(f"[{n}] {text}" if n is not None else text for n, text in cited if text)
        elif block.kind == "entries":
            kind = entry_kind(block.title)
            lists.setdefault(kind, []).extend(_entry_record(kind, b) for b in block.entries)
        elif block.kind == "publications":
            for group in block.groups:
                lists.setdefault("publications", []).extend(
                    _pub_record(item, doc) for item in group.items
                )
        elif block.kind == "items":
            kind = items_kind(block.title)
            lists.setdefault(kind, []).extend(_items_records(kind, block))
    basics["summary"] = "\n\n".join(summary)
    result["basics"] = _clean(basics)
    for key in (
        "work",
        "volunteer",
        "education",
        "awards",
        "certificates",
        "publications",
        "skills",
        "languages",
        "interests",
        "projects",
    ):
        records = [r for r in lists.get(key, []) if r]
        if records:
            result[key] = records
    result["meta"] = {"version": "v1.0.0", "language": doc.meta.locale}  # BCP 47 (cvbuild.i18n)
    from cvbuild.render.invisible import visible_json

    visible_json(result)  # the invisible-character rule every backend shares
    return result


# ---------------------------------------------------------------- import


class _Comment(str):
    """A comment line inside a YAML mapping."""


_Value = Any  # str | list[str] | list[_Map] | _Map
_Map = list[Any]  # list of (key, value) pairs and _Comment lines


def _s(value: Any) -> str:
    """A JSON scalar as text; anything else is dropped."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return _CONTROL.sub("", value).strip()
    if isinstance(value, int | float):
        return str(value)
    return ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def markdown_literal(value: str) -> str:
    """Text for an inline-Markdown field that reads back exactly as ``value``."""
    if not value or parse_inline(value) == (Text(value),):
        return value
    return re.sub(r"([\\*_\[\]`])", r"\\\1", value)


def _date(value: Any) -> str:
    text = _s(value)[:10]
    if not _ISO.match(text):
        return ""
    parts = [int(p) for p in text.split("-")]
    month = parts[1] if len(parts) > 1 else 1
    day = parts[2] if len(parts) > 2 else 1
    import datetime as _dt

    try:
        _dt.date(parts[0], month, day)
    except ValueError:
        return ""
    return text


def _url(value: Any) -> str:
    text = _s(value)
    return text if (_HTTP.match(text) or _BARE_HOST.match(text)) else ""


class _Builder:
    """Collects one cvbuild mapping: keys with values, and comments for the rest."""

    def __init__(self) -> None:
        self.pairs: _Map = []
        self.notes: list[_Comment] = []

    def put(self, key: str, value: _Value) -> None:
        if value not in ("", None, [], ()):
            self.pairs.append((key, value))

    def note(self, key: str, value: Any) -> None:
        if isinstance(value, list):
            value = ", ".join(_s(v) for v in value if _s(v))
        elif isinstance(value, dict):
            value = ", ".join(f"{k}: {_s(v)}" for k, v in value.items() if _s(v))
        text = _s(value) if not isinstance(value, str) else value.strip()
        if text:
            self.notes.append(_Comment(f"{key}: {' '.join(text.split())}"))

    def done(self) -> _Map:
        return [*self.pairs, *self.notes]


def _dates(b: _Builder, record: dict[str, Any], *, single: str = "") -> None:
    if single:
        when = _date(record.get(single))
        b.put("date", when)
        if not when:
            b.note(single, record.get(single))
        return
    start, end = _date(record.get("startDate")), _date(record.get("endDate"))
    if start:
        b.put("start", start)
        b.put("end", end or "present")
    elif end:
        b.put("date", end)
    for key, got in (("startDate", start), ("endDate", end)):
        if not got:
            b.note(key, record.get(key))


def _highlights(b: _Builder, values: Any, key: str = "highlights") -> None:
    b.put(key, [markdown_literal(h) for h in map(_s, _list(values)) if h])


def _entry(record: dict[str, Any], title: Any, org: Any, *, single: str = "") -> _Builder | None:
    b = _Builder()
    title, org = _s(title), _s(org)
    if not title:
        title, org = org, ""
    if not title:
        return None
    b.put("title", markdown_literal(title))
    b.put("organization", markdown_literal(org))
    b.put("location", _s(record.get("location")))
    _dates(b, record, single=single)
    url = _url(record.get("url"))
    b.put("url", url)
    if not url:
        b.note("url", record.get("url"))
    return b


def _work(record: dict[str, Any], org_key: str) -> _Map | None:
    b = _entry(record, record.get("position"), record.get(org_key) or record.get("company"))
    if b is None:
        return None
    b.put("summary", markdown_literal(_s(record.get("summary"))))
    _highlights(b, record.get("highlights"))
    b.note("description", record.get("description"))
    return b.done()


def _education(record: dict[str, Any]) -> _Map | None:
    study, area = _s(record.get("studyType")), _s(record.get("area"))
    title = f"{study} in {area}" if study and area else (study or area)
    b = _entry(record, title, record.get("institution"))
    if b is None:
        return None
    b.note("score", record.get("score"))
    b.note("courses", record.get("courses"))
    return b.done()


def _award(record: dict[str, Any]) -> _Map | None:
    b = _entry(record, record.get("title"), record.get("awarder"), single="date")
    if b is None:
        return None
    b.put("summary", markdown_literal(_s(record.get("summary"))))
    return b.done()


def _publication(record: dict[str, Any]) -> _Map | None:
    b = _entry(record, record.get("name"), record.get("publisher"), single="releaseDate")
    if b is None:
        return None
    b.put("summary", markdown_literal(_s(record.get("summary"))))
    return b.done()


def _certificate(record: dict[str, Any]) -> _Map | None:
    b = _entry(record, record.get("name"), record.get("issuer"), single="date")
    return b.done() if b is not None else None


def _project(record: dict[str, Any]) -> _Map | None:
    b = _entry(record, record.get("name"), record.get("entity"))
    if b is None:
        return None
    b.put("summary", markdown_literal(_s(record.get("description"))))
    _highlights(b, record.get("highlights"))
    for key in ("roles", "keywords", "type"):
        b.note(key, record.get(key))
    return b.done()


def _skill(record: dict[str, Any]) -> _Map | None:
    name = _s(record.get("name"))
    keywords = ", ".join(k for k in map(_s, _list(record.get("keywords"))) if k)
    level = _s(record.get("level"))
    b = _Builder()
    if name and keywords:
        b.put("label", name)
        b.put("text", markdown_literal(keywords))
    elif name or keywords:
        b.put("text", markdown_literal(name or keywords))
    else:
        return None
    b.note("level", level)
    return b.done()


def _language(record: dict[str, Any]) -> _Map | None:
    language, fluency = _s(record.get("language")), _s(record.get("fluency"))
    b = _Builder()
    if language and fluency:
        b.put("label", language)
        b.put("text", markdown_literal(fluency))
    elif language or fluency:
        b.put("text", markdown_literal(language or fluency))
    else:
        return None
    return b.done()


# JSON Resume key → (section title, kind, converter); the titles map back on export.
_SECTIONS: tuple[tuple[str, str, str, Any], ...] = (
    ("work", "Experience", "entries", lambda r: _work(r, "name")),
    ("volunteer", "Volunteering", "entries", lambda r: _work(r, "organization")),
    ("education", "Education", "entries", _education),
    ("awards", "Awards", "entries", _award),
    ("certificates", "Certificates", "entries", _certificate),
    ("publications", "Publications", "entries", _publication),
    ("projects", "Projects", "entries", _project),
    ("skills", "Skills", "items", _skill),
    ("languages", "Languages", "items", _language),
    ("interests", "Interests", "items", _skill),
)


def _person(basics: dict[str, Any]) -> _Map:
    b = _Builder()
    b.put("name", _s(basics.get("name")))
    b.put("headline", markdown_literal(_s(basics.get("label"))))
    email = _s(basics.get("email"))
    if _EMAIL.match(email):
        b.put("email", email)
    else:
        b.note("email", email)
    b.put("phone", _s(basics.get("phone")))
    location = _obj(basics.get("location"))
    parts = [_s(location.get(k)) for k in ("city", "region", "countryCode")]
    b.put("location", ", ".join(p for p in parts if p))
    if _s(location.get("address")) or _s(location.get("postalCode")):
        b.note("address", " ".join(_s(location.get(k)) for k in ("address", "postalCode")))
    website = _url(basics.get("url") or basics.get("website"))
    b.put("website", website)
    if not website:
        b.note("url", basics.get("url"))
    profiles = []
    for record in map(_obj, _list(basics.get("profiles"))):
        network = _s(record.get("network"))
        if not network:
            continue
        p = _Builder()
        p.put("network", network)
        p.put("username", _s(record.get("username")))
        p.put("url", _url(record.get("url")))
        profiles.append(p.done())
    b.put("profiles", profiles)
    b.note("image", basics.get("image"))
    return b.done()


def read_json_resume(path: Path) -> Any:
    """The parsed JSON of a resume file; unreadable or invalid JSON is an ``InputError``
    located at ``file:line:col``."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(
            [error(Location(str(path)), f"cannot read the file: {reason}", "check the path")]
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            [error(Location(str(path)), "the file is not UTF-8 text", "save it as UTF-8")]
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [
                error(
                    Location(str(path), exc.lineno, exc.colno),
                    f"not valid JSON: {exc.msg}",
                    "a JSON Resume file is one JSON object; check commas and quotes here",
                )
            ]
        ) from None


def import_files(data: Any, target: Path, *, source: str = "resume.json") -> dict[Path, bytes]:
    """What ``cvbuild import`` writes: ``target`` (the cv.yaml) and, when the folder has
    none, ``cv.schema.json`` beside it, which the cv.yaml's first line points editors at.
    Raises ``InputError`` as :func:`from_json_resume` does."""
    from cvbuild.config.schema import schema_json

    schema = target.parent / CONFIG_SCHEMA_HINT.removeprefix("./")
    files = {target: from_json_resume(data, source=source, schema=CONFIG_SCHEMA_HINT)}
    if not schema.exists():
        files[schema] = schema_json()
    return {path: text.encode("utf-8") for path, text in files.items()}


def from_json_resume(data: Any, *, source: str = "resume.json", schema: str | None = None) -> str:
    """A starting cv.yaml (text) from a JSON Resume document. ``schema``: the path of a
    cv.schema.json the first line points editors at; None when none is written, and the
    comment says how to make one.

    Raises ``InputError`` when ``data`` is not a JSON Resume object with ``basics.name``.
    """
    where = Location(source)
    if not isinstance(data, dict):
        raise InputError(
            [error(where, "a JSON Resume file holds one JSON object", "check the file")]
        )
    basics = _obj(data.get("basics"))
    if not _s(basics.get("name")):
        raise InputError(
            [
                error(
                    where,
                    "the JSON Resume has no basics.name",
                    'add "basics": {"name": "Your Name", ...}',
                )
            ]
        )
    sections: list[_Map] = []
    summary = _s(basics.get("summary"))
    if summary:
        sections.append([("title", "Summary"), ("text", markdown_literal(summary))])
    for key, title, kind, convert in _SECTIONS:
        records = [convert(_obj(r)) for r in _list(data.get(key))]
        records = [r for r in records if r]
        if records:
            sections.append([("title", title), (kind, records)])
    top: _Map = [("person", _person(basics)), ("sections", sections)]
    left_out = [k for k in ("references", "meta") if data.get(k)]
    if schema is not None:
        lines = [
            f"# yaml-language-server: $schema={_one_line(schema)}",
            f"# Imported from {_one_line(source)} (JSON Resume) by cvbuild.",
        ]
    else:
        lines = [
            f"# Imported from {_one_line(source)} (JSON Resume) by cvbuild. For completion in",
            "# your editor: cvbuild schema > cv.schema.json, then make this the first line:",
            f"#   # yaml-language-server: $schema={CONFIG_SCHEMA_HINT}",
        ]
    lines += [
        "# Fields cvbuild has no place for are kept as comments: move them where they belong.",
        "# Add your BibTeX file with a section such as:",
        "#   - title: Publications",
        "#     publications: {bib: papers.bib}",
    ]
    if left_out:
        lines.append(f"# Left out: {', '.join(left_out)}.")
    _emit_map(top, 0, lines)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- a small YAML writer


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def yaml_scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value``, on one line: plain or
    single-quoted as PyYAML would write it, else a JSON string (always valid YAML)."""
    if value.isprintable():
        dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
        dumped = dumped.removesuffix("\n").removesuffix("\n...")
        try:
            if "\n" not in dumped and yaml.safe_load(dumped) == value:
                return dumped
        except yaml.YAMLError:
            pass
    return _json_string(value)


def _json_string(value: str) -> str:
    """A double-quoted scalar, with every character YAML would refuse escaped."""
    out = []
    for ch in json.dumps(value, ensure_ascii=False):
        if ch.isprintable() or ch in "\t":
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


def _literal_ok(value: str) -> bool:
    lines = value.split("\n")
    return not lines[0][:1].isspace() and all(
        line == line.rstrip() and line.isprintable() for line in lines
    )


def _emit_value(key: str, value: _Value, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, str):
        if "\n" in value and _literal_ok(value):
            lines.append(f"{pad}{key}: |-")
            lines.extend(f"{pad}  {line}" if line else "" for line in value.split("\n"))
        else:
            lines.append(f"{pad}{key}: {yaml_scalar(value)}")
        return
    lines.append(f"{pad}{key}:")
    for element in value:
        if isinstance(element, str):
            lines.append(f"{pad}  - {yaml_scalar(element)}")
        else:
            start = len(lines)
            _emit_map(element, indent + 4, lines)
            lines[start] = f"{pad}  - {lines[start][indent + 4 :]}"


def _emit_map(pairs: _Map, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for pair in pairs:
        if isinstance(pair, _Comment):
            lines.append(f"{pad}# {_one_line(pair)}")
        else:
            key, value = pair
            if isinstance(value, list) and not value:
                lines.append(f"{pad}{key}: []")
            elif isinstance(value, list) and isinstance(value[0], tuple | _Comment):
                lines.append(f"{pad}{key}:")
                _emit_map(value, indent + 2, lines)
            else:
                _emit_value(key, value, indent, lines)
