"""cvbuild's own fixed phrases, one gettext catalog per locale.

A phrase has a key (its ``msgctxt`` in the catalog and its name in ``output.labels``), the
English text (``msgid``) and, for a count, an English plural (``msgid_plural``). The
catalogs are the ``.po`` files under ``cvbuild/locales``, read at run time with babel's
``read_po`` (no compile step, so the wheel ships only the sources); what it parsed is kept
in the per-user cache (``cvbuild.usercache``) under a digest of the file's bytes, so a build
reads babel only when a catalog changed. Plural forms follow
each catalog's ``Plural-Forms`` header, which babel writes from CLDR's plural rules.
Placeholders are ``{n}``, ``{page}``, ``{total}``, ``{pages}``, ``{venue}`` and the few the
metrics and al-folio phrases name (``{h}``, ``{i10}``, ``{source}``, ``{date}``, ``{degree}``,
``{area}``): replaced, never formatted, so a brace in a translation cannot break anything.
A count is written with the locale's digits grouping (``Phrases.counted``: "1,234", "1.234",
"1 234").
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cvbuild.i18n.locales import DEFAULT_LOCALE, canonical

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "cvbuild"


@dataclass(frozen=True)
class Phrase:
    key: str
    english: str
    plural: str = ""  # the English plural of a counted phrase
    placeholders: tuple[str, ...] = ()
    doc: str = ""


PLACEHOLDERS: tuple[str, ...] = ("n", "page", "total", "pages", "venue", "h", "i10", "source")
PLACEHOLDERS += ("date", "degree", "area")


def _p(key: str, english: str, plural: str = "", doc: str = "") -> Phrase:
    marks = tuple(name for name in PLACEHOLDERS if "{" + name + "}" in english + plural)
    return Phrase(key, english, plural, marks, doc)


PHRASES: tuple[Phrase, ...] = (
    _p("present", "present", doc="the open end of a date range"),
    _p("et_al", "et al.", doc="ends an author list that the file cut short"),
    _p("more_authors", "and {n} more author", "and {n} more authors", "after the last name shown"),
    _p("equal", "Equal contribution", doc="legend of the * mark"),
    _p("corresponding", "Corresponding author", doc="legend of the † mark"),
    _p("student", "Student or mentee", doc="legend of the student mark"),
    _p("updated", "Last updated", doc="before the date in the footer"),
    _p("page_of", "Page {page} of {total}", doc="the page number in the footer"),
    _p("undated", "Undated", doc="the group of papers without a year"),
    _p("submitted", "Submitted", doc="a year written as 'submitted'"),
    _p("in_press", "In press"),
    _p("accepted", "Accepted"),
    _p("under_review", "Under review"),
    _p("forthcoming", "Forthcoming"),
    _p("to_appear", "To appear"),
    _p("preprint", "Preprint", doc="a year written as 'preprint'"),
    _p("cat_journal", "Journal Articles", doc="group_by: type titles"),
    _p("cat_conference", "Conference Papers"),
    _p("cat_workshop", "Workshop Papers"),
    _p("cat_preprint", "Preprints"),
    _p("cat_book", "Books and Chapters"),
    _p("cat_thesis", "Theses"),
    _p("cat_patent", "Patents"),
    _p("cat_other", "Other"),
    _p("phd_thesis", "PhD thesis"),
    _p("masters_thesis", "Master's thesis"),
    _p("tech_report", "Technical report"),
    _p("arxiv_preprint", "arXiv preprint", doc="before an arXiv id"),
    _p("editor", "ed.", doc="after one editor's name"),
    _p("editors", "eds.", doc="after several editors' names"),
    _p("pages", "pp. {pages}", doc="a page range"),
    _p("page", "p. {page}", doc="one page"),
    _p("cv_title", "Curriculum Vitae", doc="the document title: 'Name — Curriculum Vitae'"),
    _p("in_venue", "in {venue}", doc="a chapter's or paper's book or proceedings (capitalized "
       "at a sentence's start)"),
    _p("in_nlm", "In: {venue}", doc="the same in the Vancouver (NLM) style"),
    _p("volume", "vol. {n}", doc="a volume of a book series or proceedings"),
    _p("number", "no. {n}", doc="a number in a series or an issue"),
    # metrics and links
    _p("cited", "cited once", "cited {n} times", "a paper's citation count, after its reference"),
    _p("metrics_summary", "Citations: {n}; h-index {h}; i10-index {i10} ({source})",
       doc="the citation summary under a publications section; {source} is the counting "
       "source, or the as_of phrase"),
    _p("as_of", "{source}, as of {date}", doc="the counting source and the date of its counts"),
    _p("link_code", "Code", doc="a link after a publication"),
    _p("link_website", "Website", doc="a link after a publication; a person's website"),
    _p("link_video", "Video", doc="a link after a publication"),
    _p("link_poster", "Poster", doc="a link after a publication"),
    _p("link_slides", "Slides", doc="a link after a publication"),
    _p("degree_in", "{degree} in {area}", doc="a degree and its field (al-folio export)"),
    _p("al_experience", "Experience", doc="al-folio export: section title"),
    _p("al_education", "Education", doc="al-folio export: section title"),
    _p("al_awards", "Awards", doc="al-folio export: section title"),
    _p("al_volunteer", "Volunteering", doc="al-folio export: section title"),
    _p("al_projects", "Projects", doc="al-folio export: section title"),
    _p("al_certificates", "Certificates", doc="al-folio export: section title"),
    _p("al_general", "General Information", doc="al-folio export: section title"),
    _p("al_summary", "Summary", doc="al-folio export: section title"),
    _p("al_publications", "Publications", doc="al-folio export: section title"),
    _p("al_skills", "Skills", doc="al-folio export: section title"),
    _p("al_interests", "Interests", doc="al-folio export: section title"),
    _p("al_languages", "Languages", doc="al-folio export: section title"),
    _p("al_full_name", "Full Name", doc="al-folio export: a field of General Information"),
    _p("al_position", "Position", doc="al-folio export: a field of General Information"),
    _p("al_email", "Email", doc="al-folio export: a field of General Information"),
    _p("al_location", "Location", doc="al-folio export: a field of General Information"),
    _p("html_contact", "Contact", doc="HTML: what a screen reader calls the contact list"),
    _p("html_notes", "Notes", doc="HTML: what a screen reader calls the legend notes"),
    _p("html_back", "Back to the first mark", doc="HTML: the link from a note back to the "
       "first mark that refers to it, as a screen reader says it"),
    _p("contact_phone", "Phone", doc="plain text: the label before a phone number (e-mail, "
       "place and web site use al_email, al_location and link_website)"),
)  # fmt: skip
BY_KEY: dict[str, Phrase] = {p.key: p for p in PHRASES}
# a year label as BibTeX files write it -> the phrase that names it
YEAR_LABELS: dict[str, str] = {
    "submitted": "submitted",
    "in press": "in_press",
    "inpress": "in_press",
    "accepted": "accepted",
    "under review": "under_review",
    "in review": "under_review",
    "forthcoming": "forthcoming",
    "to appear": "to_appear",
    "preprint": "preprint",
    "undated": "undated",
    "n.d.": "undated",
}
# group_by: type titles in English (cvbuild.bib.model.CATEGORY_TITLES) -> phrase keys
CATEGORY_KEYS: dict[str, str] = {
    "journal": "cat_journal",
    "conference": "cat_conference",
    "workshop": "cat_workshop",
    "preprint": "cat_preprint",
    "book": "cat_book",
    "thesis": "cat_thesis",
    "patent": "cat_patent",
    "other": "cat_other",
}


@dataclass(frozen=True)
class Catalog:
    """One locale's phrases: key -> its forms (one, or one per plural form)."""

    locale: str
    forms: Mapping[str, tuple[str, ...]]
    plural_index: Callable[[int], int]
    # What :meth:`Phrases._forms` worked out, per (output.labels, key): a build asks for
    # the same few keys thousands of times (one "et al." per reference).
    looked_up: dict[
        tuple[tuple[tuple[str, str], ...], str], tuple[tuple[str, ...], Callable[[int], int]]
    ] = field(default_factory=dict, compare=False, repr=False)

    def missing(self) -> list[str]:
        """Keys of ``PHRASES`` this catalog does not translate (empty form included)."""
        return [p.key for p in PHRASES if not all(self.forms.get(p.key, ("",)))]


def catalog_path(locale: str) -> Path:
    return LOCALES_DIR / locale.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=64)
def load_catalog(locale: str) -> Catalog:
    """The parsed catalog of a shipped locale (``canonical`` tag); cached per process, and
    across processes in the per-user cache (:func:`_cached_parse`)."""
    data = catalog_path(locale).read_bytes()
    forms, nplurals, plural = _cached_parse(locale, data)
    index = gettext.c2py(plural) if nplurals > 1 else (lambda n: 0)
    return Catalog(locale, forms, index)


CACHE_FOLDER = "catalogs"  # under the per-user cache (cvbuild.usercache)
MAX_CACHED = 1024 * 1024  # bytes of one cached catalog; a catalog's JSON is some 10 kB
MAX_FILES = 64  # cached catalogs kept (the most recently written): 27 locales shipped
_Parsed = tuple[dict[str, tuple[str, ...]], int, str]


def _cached_parse(locale: str, data: bytes) -> _Parsed:
    """:func:`_parse` of a catalog's bytes, remembered in the per-user cache under a digest
    of those bytes: babel and its ``.po`` reader (with ``email``, which it imports) are
    loaded only when a catalog changed. A damaged or foreign cache file is parsed again."""
    from cvbuild import usercache

    where = usercache.folder(CACHE_FOLDER)
    path = where / f"{usercache.key_of(locale, data)}.json" if where is not None else None
    if path is not None:
        found = _from_json(usercache.read_json(path, MAX_CACHED))
        if found is not None:
            return found
    parsed = _parse(locale, data)
    if path is not None and b"Plural-Forms:" in data:  # else babel's own table decides
        forms, nplurals, plural = parsed
        value = {"forms": {k: list(v) for k, v in forms.items()}, "n": nplurals, "p": plural}
        if usercache.write_json(path, value):
            usercache.prune(path.parent, MAX_FILES, "*.json")
    return parsed


def _from_json(value: object) -> _Parsed | None:
    if not isinstance(value, dict):
        return None
    forms, nplurals, plural = value.get("forms"), value.get("n"), value.get("p")
    if not (isinstance(forms, dict) and type(nplurals) is int and isinstance(plural, str)):
        return None
    out: dict[str, tuple[str, ...]] = {}
    for key, parts in forms.items():
        if not (isinstance(parts, list) and all(isinstance(x, str) for x in parts)):
            return None
        out[key] = tuple(parts)
    if nplurals > 1:
        try:
            gettext.c2py(plural)
        except (ValueError, RecursionError):
            return None
    return out, nplurals, plural


def _parse(locale: str, data: bytes) -> _Parsed:
    """A catalog's phrases (``msgctxt`` -> its forms), plural count and plural expression,
    read with babel."""
    import io

    from babel.messages.pofile import read_po

    po = read_po(io.BytesIO(data), locale=locale.replace("-", "_"))
    forms: dict[str, tuple[str, ...]] = {}
    for message in po:
        if not message.id or not message.context:
            continue
        string = message.string
        parts = string if isinstance(string, (tuple, list)) else (string,)
        forms[message.context] = tuple(str(part or "") for part in parts)
    return forms, int(po.num_plurals), str(po.plural_expr)


@dataclass(frozen=True)
class Phrases:
    """The phrases one build writes: its locale's catalog with the user's ``output.labels``
    on top. Unknown keys give their English text."""

    locale: str = DEFAULT_LOCALE
    overrides: tuple[tuple[str, str], ...] = ()

    def _forms(self, key: str) -> tuple[tuple[str, ...], Callable[[int], int]]:
        catalog = load_catalog(self.locale)
        found = catalog.looked_up.get((self.overrides, key))
        if found is None:
            found = catalog.looked_up[(self.overrides, key)] = self._look_up(key, catalog)
        return found

    def _look_up(self, key: str, catalog: Catalog) -> tuple[tuple[str, ...], Callable[[int], int]]:
        for name, text in self.overrides:
            if name == key:
                return (text,), lambda n: 0
        forms = catalog.forms.get(key, ())
        if forms and all(forms):
            return forms, catalog.plural_index
        phrase = BY_KEY.get(key)
        english = (phrase.english, phrase.plural or phrase.english) if phrase else (key,)
        return english, lambda n: 0 if n == 1 else 1

    def __call__(self, key: str, **values: object) -> str:
        forms, _ = self._forms(key)
        return _fill(forms[0], values)

    def plural(self, key: str, n: int, **values: object) -> str:
        return _fill(self._form(key, n), {"n": n, **values})

    def counted(self, key: str, n: int, **values: object) -> str:
        """``plural`` with ``{n}`` written as this language groups digits ("1,234" in
        English, "1.234" in German, "1 234" with a no-break space in French)."""
        return _fill(self._form(key, n), {**values, "n": self.number(n)})

    def number(self, n: int) -> str:
        from cvbuild.i18n.numbers import format_count

        return format_count(n, self.locale)

    def _form(self, key: str, n: int) -> str:
        forms, index = self._forms(key)
        i = int(index(n))
        return forms[i] if 0 <= i < len(forms) else forms[-1]

    def year_label(self, label: str) -> str:
        """A non-numeric year ("in press", "submitted") in this language, else as written."""
        key = YEAR_LABELS.get(label.strip().casefold())
        return self(key) if key else label

    def category(self, category: str, english: str) -> str:
        key = CATEGORY_KEYS.get(category)
        return self(key) if key else english


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _fill(text: str, values: Mapping[str, object]) -> str:
    """``text`` with each ``{name}`` of ``values`` replaced, in one pass: a value that holds
    a brace (a degree written "{area}") stays as it is."""

    if not values or "{" not in text:
        return text  # nothing to fill in: every placeholder stays as written

    def put(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return _PLACEHOLDER.sub(put, text)


def phrases_for(locale: str, labels: Sequence[tuple[str, str]] = ()) -> Phrases:
    return Phrases(canonical(locale) or DEFAULT_LOCALE, tuple(labels))


ENGLISH = Phrases()
