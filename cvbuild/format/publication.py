"""One publication → a ``PubItem``: the reference as rich text, its links and its note.

The reference is laid out by a ``format.styles.Style`` (a table of blocks and parts, read by
``_interpret``: one formatter for every style). The default style reads as sentences:

    Authors. Title. *Venue*, volume(number), pages, year. Note.

- Authors: ``format_authors`` (owner in ``Strong``, marks as ``Mark``, truncation); an entry
  with editors only shows them followed by "(ed.)"/"(eds.)".
- Title: plain text (the venue carries the emphasis).
- Venue, in ``Emph``: journal; "In *booktitle*" for proceedings and chapters; "PhD thesis,
  *school*"/"Master's thesis, *school*"; "Technical report, *institution*"; the publisher for
  books; howpublished for the rest; "arXiv preprint arXiv:ID" for a preprint with no venue (or a
  venue that only says "arXiv preprint"). Then, in a journal, volume(number) (``issue`` if no
  ``number``) and pages with an en dash: "27(4), 210–224"; anywhere else (proceedings, books,
  chapters) the series, "vol. N", "no. N" and "pp. 439–450": "In *ICCVG*, Lecture Notes in
  Computer Science, vol. 9972, pp. 439–450". Last the year (or its label: "in press",
  "Preprint").
- Note: ``note`` unless ``pub.legend_note`` (it only explains the marks).

``PubItem.links``: DOI, arXiv, PDF, Code, HTML, URL, Website, Video, Poster, Slides (the
words among them in the build's language, ``link_*`` phrases) — only absolute http(s) URLs; DOIs and arXiv ids normalised. ``PubItem.note``: the award
(``award_name``, else ``award``) and al-folio's ``highlight``, as plain text.
"""

from __future__ import annotations

import re

from cvbuild.bib.ids import arxiv_url, doi_url, normalize_doi, publication_arxiv
from cvbuild.bib.model import Publication
from cvbuild.document import PubItem
from cvbuild.format.authors import STUDENT_SYMBOL, format_authors
from cvbuild.format.owner import OwnerMatcher
from cvbuild.format.styles import DEFAULT as DEFAULT_STYLE
from cvbuild.format.styles import WORDS, Block, Style
from cvbuild.format.urls import safe_url
from cvbuild.i18n.phrases import ENGLISH, Phrases
from cvbuild.richtext import (
    Emph,
    Link,
    Mark,
    Node,
    RichText,
    Strong,
    Sup,
    Text,
    merge_text,
    plain,
    walk,
)

__all__ = [
    "format_publication",
    "used_marks",
    "publication_links",
]

_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_MD_EMPH_RE = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_PAGE_RANGE_RE = re.compile(r"^\s*([^\s\-–—]+)\s*(?:-{1,3}|–|—)\s*([^\s\-–—]+)\s*$")


def used_marks(text: RichText) -> list[str]:
    """Mark kinds in ``text``, in order of first use."""
    kinds: list[str] = []
    for node in walk(text):
        if isinstance(node, Mark) and node.kind not in kinds:
            kinds.append(node.kind)
    return kinds


def format_publication(
    pub: Publication,
    owner: OwnerMatcher | None,
    author_limit: int = 0,
    number: int | str | None = None,
    style: Style = DEFAULT_STYLE,
    students: OwnerMatcher | None = None,
    student_symbol: str = STUDENT_SYMBOL,
    note: str = "",
    *,
    phrases: Phrases = ENGLISH,
) -> PubItem:
    """One reference in ``style`` (a table of ``format.styles``, read here and nowhere else).

    ``note``: the cv.yaml note for this entry, printed with the award after the reference."""
    rule = style.authors
    fields: dict[str, RichText] = {}
    if pub.authors or pub.et_al:
        fields["authors"] = format_authors(
            pub.authors, pub.et_al, owner, author_limit, rule, students, student_symbol, phrases
        )
    elif pub.editors:
        eds = format_authors(
            pub.editors, False, owner, author_limit, rule, students, student_symbol, phrases
        )
        suffix = f" ({phrases('editor' if len(pub.editors) == 1 else 'editors')})"
        fields["authors"] = (*eds, Text(suffix))

    kind, lead = _venue_lead(pub, style.venue_emph, phrases)
    fields.update(_fields(pub, kind, lead, style, phrases))
    blocks = {"journal": style.journal, "proceedings": style.proceedings}.get(kind, style.other)
    text = _interpret(blocks, fields, style, phrases)

    extra = _award_note(pub)
    own = _clean(note)
    if own:
        extra = (*extra, Text("; ")) + (Text(own),) if extra else (Text(own),)
    return PubItem(
        key=pub.key,
        text=text,  # merged by _interpret
        number=number,
        links=publication_links(pub, phrases),
        note=merge_text(extra) if len(extra) > 1 else extra,
        title=plain(fields.get("title", ())),
        authors=plain(_unmarked(fields.get("authors", ()))),
        venue=plain(lead),
        year=pub.year,
        month=pub.month,
        doi=normalize_doi(pub.get("doi")),
        url=safe_url(pub.get("url")),
    )


def _unmarked(text: RichText) -> RichText:
    """``text`` without its author marks (a plain-text list has no footnotes for them)."""
    out: list[Node] = []
    for node in text:
        if isinstance(node, Mark):
            continue
        if isinstance(node, Strong | Emph | Sup):
            out.append(type(node)(_unmarked(node.children)))
        elif isinstance(node, Link):
            out.append(Link(node.url, _unmarked(node.children)))
        else:
            out.append(node)
    return tuple(out)


def _fields(
    pub: Publication, kind: str, lead: RichText, style: Style, phrases: Phrases = ENGLISH
) -> dict[str, RichText]:
    """Every field a style's parts may name, as rich text (absent ones left out)."""
    out: dict[str, RichText] = {}

    def put(name: str, value: str) -> None:
        if value:
            out[name] = (Text(value),)

    put("title", _clean(pub.title))
    if lead:
        out["venue"] = lead
    lead_text = plain(lead)
    if kind != "journal":
        series = _clean(pub.get("series"))
        if series and series.casefold() not in lead_text.casefold():
            put("series", series)
    put("volume", _clean(pub.get("volume")))
    if pub.entry_type != "techreport":
        put("number", _clean(pub.get("number") or pub.get("issue")))
    pages = _pages(_clean(pub.get("pages")))
    if pages:
        put("pp", _pp(pages, phrases).replace("–", style.page_dash))
        put("pages", pages.replace("–", style.page_dash))
    year = str(pub.year) if pub.year is not None else (pub.year_label or _clean(pub.get("year")))
    if pub.year is None and year and phrases.locale != "en":
        year = phrases.year_label(year)
    if year and not (lead and lead_text.casefold() == year.casefold()):
        put("year", year)  # "Preprint, Preprint" says it once
    note = _clean(pub.get("note"))
    if note and not pub.legend_note:
        put("note", note)
    return out


_HOLE = re.compile(r"\{(?:n|venue|page|pages)\}")


def _word(prefix: str, phrases: Phrases) -> tuple[str, str]:
    """A part's text before and after its value: ``prefix`` itself, or for a word in braces
    (``styles.WORDS``) the phrase's text around its placeholder ("{Vol}" → "Bd. ", "")."""
    if not (prefix.startswith("{") and prefix.endswith("}")):
        return prefix, ""
    name = prefix[1:-1]
    key = WORDS.get(name.lower())
    if key is None:
        return prefix, ""
    text = phrases(key)
    hole = _HOLE.search(text)
    before, after = (text[: hole.start()], text[hole.end() :]) if hole else (text + " ", "")
    if name[:1].isupper():
        before = before[:1].upper() + before[1:]
    return before, after


def _interpret(
    blocks: tuple[Block, ...],
    fields: dict[str, RichText],
    style: Style,
    phrases: Phrases = ENGLISH,
) -> RichText:
    """The reference: each block's present parts joined, the block ended by its ``end``
    unless it already ends in ".", "?" or "!"; blocks joined by a space."""
    out: list[Node] = []
    for block in blocks:
        seg: list[Node] = []
        previous_absent = False
        for i, part in enumerate(block.parts):
            value = fields.get(part.field, ())
            if not value:
                previous_absent = True
                continue
            prefix, wrap = part.prefix, part.wrap
            join = part.join if part.join is not None else block.sep
            if part.solo_prefix is not None and i > 0 and previous_absent:
                prefix, wrap, join = part.solo_prefix, ("", ""), block.sep
            prefix, suffix = _word(prefix, phrases)
            body: RichText = value
            if part.capitalize and isinstance(value[0], Text):
                first = value[0].value
                body = (Text(first[:1].upper() + first[1:]), *value[1:])
            if part.style == "emph":
                body = (Emph(body),)
            elif part.style == "strong":
                body = (Strong(body),)
            if seg and join:
                seg.append(Text(join))
            # Only the pieces with text: empty ones would be dropped by merge_text anyway.
            if prefix or wrap[0]:
                seg.append(Text(prefix + wrap[0]))
            seg.extend(body)
            if wrap[1] or suffix:
                seg.append(Text(wrap[1] + suffix))
            previous_absent = False
        if not seg:
            continue
        if out:
            out.append(Text(" "))
        out.extend(seg)
        if not _ends_sentence(seg):
            out.append(Text(block.end))
    merged = merge_text(out)
    if style.quote_punct_inside:
        merged = tuple(Text(_quotes_in(n.value)) if isinstance(n, Text) else n for n in merged)
    return merged


_EMPTY = Text("")


def _ends_sentence(nodes: list[Node]) -> bool:
    """Ends in ".", "?" or "!" (before any trailing marks and closing quote)."""
    i = len(nodes)
    while i and (isinstance(nodes[i - 1], Mark) or nodes[i - 1] == _EMPTY):
        i -= 1
    # Read back from the end only as far as the first character that decides.
    tail = ""
    while i:
        i -= 1
        node = nodes[i]
        tail = (node.value if type(node) is Text else plain(node)) + tail
        end = tail.rstrip().rstrip("\u201d")
        if end:
            return end.endswith((".", "?", "!"))
    return False


def _quotes_in(value: str) -> str:
    """American quotes: "“Title”," → "“Title,”"; "“Why?”," → "“Why?”"."""
    for mark in "?!":
        value = value.replace(f"{mark}\u201d,", f"{mark}\u201d").replace(
            f"{mark}\u201d.", f"{mark}\u201d"
        )
    return value.replace("\u201d,", ",\u201d").replace("\u201d.", ".\u201d")


# ------------------------------------------------------------------------------------ pieces


def _clean(value: str) -> str:
    """Field text as a reader should see it: HTML tags dropped, whitespace collapsed."""
    if not value:
        return ""
    return " ".join(drop_tags(value).split())


def _strip_markdown(value: str) -> str:
    return _MD_EMPH_RE.sub(lambda m: m.group(2) or m.group(3), value)


_PROCEEDINGS = {"inproceedings", "conference", "incollection", "inbook", "proceedings"}


def _venue_lead(
    pub: Publication, emph: bool = True, phrases: Phrases = ENGLISH
) -> tuple[str, RichText]:
    """The entry's kind (journal | proceedings | other) and its venue as rich text."""
    t = pub.entry_type
    journal = _clean(pub.get("journal") or pub.get("journaltitle"))
    booktitle = _clean(pub.get("booktitle"))
    arxiv_id = publication_arxiv(pub)

    def em(value: str) -> Node:
        return Emph((Text(value),)) if emph else Text(value)

    def is_bare_arxiv(v: str) -> bool:
        return bool(re.fullmatch(r"(?i)arxiv(\s+preprint)?|preprint", v.strip(" .")))

    if journal and not (arxiv_id and is_bare_arxiv(journal)):
        return "journal", (em(journal),)
    if booktitle and not (arxiv_id and is_bare_arxiv(booktitle)):
        return ("proceedings" if t in _PROCEEDINGS else "other"), (em(booktitle),)
    if t in ("phdthesis", "mastersthesis", "thesis"):
        label = phrases("masters_thesis" if t == "mastersthesis" else "phd_thesis")
        school = _clean(pub.get("school") or pub.get("institution"))
        return "other", (Text(label), *((Text(", "), em(school)) if school else ()))
    if t == "techreport":
        inst = _clean(pub.get("institution"))
        num = _clean(pub.get("number"))
        label = phrases("tech_report") + (f" {num}" if num else "")
        return "other", (Text(label), *((Text(", "), em(inst)) if inst else ()))
    if arxiv_id:
        return "other", (em(f"{phrases('arxiv_preprint')} arXiv:{arxiv_id}"),)
    # books name their publisher as the venue; for others, a publisher is not repeated
    other = _clean(pub.get("howpublished") or pub.get("publisher") or pub.get("organization"))
    return "other", ((em(other),) if other else ())


def page_span(value: str) -> tuple[str, str] | None:
    """The first and last page of a range ("439--450", "439 – 450"), or None."""
    m = _PAGE_RANGE_RE.match(value)
    return (m.group(1), m.group(2)) if m else None


def drop_tags(value: str) -> str:
    """``value`` with its HTML tags each replaced by a space."""
    return _TAG_RE.sub(" ", value) if "<" in value else value


def _pages(value: str) -> str:
    span = page_span(value)
    return f"{span[0]}–{span[1]}" if span else value


def _pp(pages: str, phrases: Phrases = ENGLISH) -> str:
    """ "pp. 439–450" for a range, "p. 12" for one page, as written otherwise."""
    if "–" in pages:
        return phrases("pages", pages=pages)
    if pages.isdigit():
        return phrases("page", page=pages)
    return pages


def _award_note(pub: Publication) -> RichText:
    parts: list[str] = []
    award = _clean(pub.get("award_name")) or _strip_markdown(_clean(pub.get("award")))
    if award:
        parts.append(award)
    highlight = _strip_markdown(_clean(pub.get("highlight")))
    if highlight and highlight.casefold() != award.casefold():
        parts.append(highlight)
    return (Text("; ".join(parts)),) if parts else ()


# ------------------------------------------------------------------------------------ links

_LINK_FIELDS: tuple[tuple[str, str], ...] = (
    ("PDF", "pdf"),
    ("Code", "code"),
    ("HTML", "html"),
    ("URL", "url"),
    ("Website", "website"),
    ("Video", "video"),
    ("Poster", "poster"),
    ("Slides", "slides"),
)
# the labels that are words, in the build's language; DOI, arXiv, PDF, HTML, URL are names
_LINK_PHRASES = {
    "Code": "link_code",
    "Website": "link_website",
    "Video": "link_video",
    "Poster": "link_poster",
    "Slides": "link_slides",
}


def publication_links(pub: Publication, phrases: Phrases = ENGLISH) -> tuple[tuple[str, str], ...]:
    links: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(label: str, url: str) -> None:
        if url and url not in seen:
            seen.add(url)
            links.append((label, url))

    add("DOI", doi_url(pub.get("doi")))
    add("arXiv", arxiv_url(publication_arxiv(pub)))
    for label, field_name in _LINK_FIELDS:
        value = pub.get(field_name)
        if not value:
            continue  # most entries have none of these: no label to look up
        key = _LINK_PHRASES.get(label)
        add(phrases(key) if key else label, safe_url(value))
    return tuple(links)
