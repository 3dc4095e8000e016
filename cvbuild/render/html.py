"""HTML backend: Document → one self-contained HTML5 page (CSS inlined, no script needed).

Every character that comes from the input is escaped here, at the rich-text leaves
(:func:`escape`) or as a link target (:func:`safe_href`), so nothing a user or a BibTeX
file wrote can become an element, an attribute or a script. The only markup is our own:
``<strong>``/``<em>``/``<sup>`` for the rich-text nodes, ``<a>`` for http(s)/mailto links,
and ``<sup><a role="doc-noteref">`` for author marks, whose legends form one footnote list
(each legend once). The schema.org JSON-LD comes from :mod:`cvbuild.render.jsonld` and is
serialised here so that it cannot end its ``<script>`` element.

The templates in ``templates/html/`` only place the pre-rendered strings of a small view
model built here; the theme's look is ``styles/html/<theme>.css`` (after ``base.css``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace as _NS
from typing import TYPE_CHECKING, Any

from cvbuild.bib.dates import parse_month
from cvbuild.config.choices import THEMES
from cvbuild.document import Contact, Document, EntryBlock, PubGroup, PubItem, SectionBlock
from cvbuild.format.urls import safe_url as url_rule
from cvbuild.render.invisible import visible_text
from cvbuild.richtext import Cite, Emph, Link, Mark, Node, RichText, Strong, Sup, Text, clip

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication

TEMPLATE = "cv.html.j2"
_PAGE_SIZES = {"a4": "A4", "letter": "letter"}

_SPACES = re.compile("[\t\n\r\v\f\x85\u2028\u2029]")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}


def _strip_invisible(value: str) -> str:
    """The text as a reader should see it: invisible characters removed by the one rule of
    :mod:`cvbuild.render.invisible`, line breaks of any kind read as spaces."""
    return visible_text(_SPACES.sub(" ", value))


def escape(value: str) -> str:
    """A text leaf as HTML that shows exactly ``value`` (also safe in a quoted attribute)."""
    value = unicodedata.normalize("NFC", _strip_invisible(value))
    return "".join(_HTML_SPECIAL.get(ch, ch) for ch in value)


def safe_href(url: str) -> str | None:
    """The URL escaped for an ``href`` attribute, or None when the one URL rule
    (:func:`cvbuild.format.urls.safe_url`) refuses it."""
    url = url_rule(url)
    if not url:
        return None
    encoded = "".join(
        "".join(f"%{b:02X}" for b in ch.encode("utf-8")) if ch in "\"'<>`\\ " else ch for ch in url
    )
    return escape(encoded)


def _visible(data: Any) -> Any:
    if isinstance(data, str):
        return unicodedata.normalize("NFC", _strip_invisible(data))
    if isinstance(data, dict):
        return {_visible(k): _visible(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_visible(v) for v in data]
    return data


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>``, ``&`` or line separators,
    and no invisible characters in its strings."""
    text = json.dumps(_visible(data), ensure_ascii=False, separators=(",", ":"))
    for ch, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(ch, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# ---------------------------------------------------------------- dates as <time>

_DATE = re.compile(r"\b(?:(\d{1,2}) )?(?:([A-Z][a-z]{2,8}) )?(\d{4})\b")


def _times(escaped: str) -> str:
    """Wrap each date in already escaped text ("Sep 2022", "2019", "1 December 2026") in
    ``<time datetime>``; anything else stays as it is."""

    def one(m: re.Match[str]) -> str:
        day, month, year = m.group(1), m.group(2), m.group(3)
        number = parse_month(month) if month is not None else None
        if month is not None and number is None:
            return m.group(0)
        if day and not month:
            return m.group(0)
        value = year
        if month:
            value += f"-{number:02d}"
            if day:
                value += f"-{int(day):02d}"
        return f'<time datetime="{value}">{m.group(0)}</time>'

    return _DATE.sub(one, escaped)


# Between the two dates of a range as CLDR writes it ("2015 – 2019", "2015–2019", "2015～2019").
_RANGE_SEP = re.compile(r"(\s*[\u2013\u2014~\uff5e-]\s*)")


def _time(shown: str, iso: str) -> str:
    """``shown`` in a ``<time>`` for ``iso`` when it shows that date's year, else as it is
    (a user's own wording such as "Summer term" is not a date to claim)."""
    if not iso or iso[:4] not in shown:
        return shown
    return f'<time datetime="{iso}">{shown}</time>'


def _entry_times(escaped: str, entry: EntryBlock) -> str:
    """An entry's shown dates with ``<time>`` from the format stage's ISO dates
    (``EntryBlock.date``, or ``start`` and ``end``): no date is read back from the text."""
    if entry.date:
        return _time(escaped, entry.date)
    pieces = _RANGE_SEP.split(escaped, maxsplit=1)
    if len(pieces) == 3:
        first, sep, last = pieces
        return _time(first, entry.start) + sep + _time(last, entry.end)
    return _time(escaped, entry.start or entry.end)


# ---------------------------------------------------------------- rich text


@dataclass
class _Inline:
    """Renders rich text, linking author marks to the one footnote list."""

    legends: dict[str, str]
    ids: dict[str, str]
    used: list[str] = field(default_factory=list)  # mark kinds footnoted, in order of first use
    first: dict[str, str] = field(default_factory=dict)  # kind -> id of its first reference

    def render(self, nodes: RichText, *, in_link: bool = False) -> str:
        # Recursive over a clipped tree: at most MAX_DEPTH levels, whatever the input.
        return self._render(clip(nodes), in_link)

    def _render(self, nodes: RichText, in_link: bool) -> str:
        return "".join(self._node(n, in_link) for n in nodes)

    def _node(self, node: Node, in_link: bool) -> str:
        if isinstance(node, Text):
            return escape(node.value)
        if isinstance(node, Strong):
            inner = self._render(node.children, in_link)
            return f"<strong>{inner}</strong>" if inner else ""
        if isinstance(node, Emph):
            inner = self._render(node.children, in_link)
            return f"<em>{inner}</em>" if inner else ""
        if isinstance(node, Sup):
            inner = self._render(node.children, in_link)
            return f"<sup>{inner}</sup>" if inner else ""
        if isinstance(node, Link):
            label = self._render(node.children, True)
            href = None if in_link else safe_href(node.url)
            if href is None or not label:
                return label
            return f'<a href="{href}">{label}</a>'
        if isinstance(node, Mark):
            return self._mark(node, in_link)
        if isinstance(node, Cite):  # a citation: what the format stage resolved it to
            inner = self._render(node.children, in_link)
            return f'<span class="cvb-cite">{inner}</span>' if inner else ""
        raise TypeError(f"unknown rich-text node {node!r}")

    def _mark(self, mark: Mark, in_link: bool) -> str:
        symbol = escape(mark.symbol)
        legend = self.legends.get(mark.kind, "")
        if not legend or not symbol or in_link:
            return f"<sup>{symbol}</sup>" if symbol else ""
        note = self.ids[mark.kind]
        attrs = f'href="#{note}" role="doc-noteref" title="{escape(legend)}"'
        if mark.kind not in self.first:
            self.used.append(mark.kind)
            self.first[mark.kind] = f"{note}-ref"
            attrs = f'id="{note}-ref" ' + attrs
        return f'<sup class="mark"><a {attrs}>{symbol}</a></sup>'


def _note_ids(kinds: Iterable[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for i, kind in enumerate(kinds, 1):
        slug = re.sub(r"[^a-z0-9-]", "-", kind.lower()).strip("-")
        ident = f"note-{slug}" if slug else f"note-{i}"
        while ident in ids.values():
            ident = f"{ident}-{i}"
        ids[kind] = ident
    return ids


# ---------------------------------------------------------------- view model


def _contact(c: Contact) -> _NS:
    label = escape(c.text)
    href = safe_href(c.url) if c.url else None
    return _NS(kind=escape(c.kind), html=f'<a href="{href}">{label}</a>' if href else label)


def _entry(entry: EntryBlock, inline: _Inline) -> _NS:
    return _NS(
        title=inline.render(entry.title),
        organization=inline.render(entry.organization),
        location=escape(entry.location),
        dates=_entry_times(escape(entry.dates), entry),
        summary=inline.render(entry.summary),
        highlights=[inline.render(h) for h in entry.highlights if h],
    )


def _pub(item: PubItem, inline: _Inline, index: int) -> _NS:
    links = []
    for label, url in item.links:
        href = safe_href(url)
        if href and label.strip():
            links.append(f'<a href="{href}">{escape(label)}</a>')
    return _NS(
        id=f"pub-{index}",
        number=escape(f"[{item.number}]") if item.number is not None else "",
        text=inline.render(item.text),
        links=links,
        note=inline.render(item.note),
    )


def _section(section: SectionBlock, inline: _Inline, index: int, counter: list[int]) -> _NS:
    groups = []
    cited = (PubGroup("", section.references),) if section.references else ()
    for g in section.groups or cited:
        items = []
        for p in g.items:
            counter[0] += 1
            items.append(_pub(p, inline, counter[0]))
        label = escape(g.label)
        if re.fullmatch(r"\d{4}", g.label.strip()):
            label = f'<time datetime="{g.label.strip()}">{label}</time>'
        groups.append(
            _NS(label=label, numbered=any(p.number is not None for p in g.items), items=items)
        )
    return _NS(
        id=f"section-{index}",
        title=escape(section.title),
        kind=section.kind,
        entries=[_entry(e, inline) for e in section.entries],
        groups=groups,
        items=[_NS(label=escape(i.label), text=inline.render(i.text)) for i in section.items],
        paragraphs=[inline.render(p) for p in section.paragraphs if p],
    )


def _css(theme: str, paper: str) -> str:
    from cvbuild.resources import styles_dir

    folder = styles_dir() / "html"
    theme = theme if theme in THEMES else THEMES[0]
    css = (folder / "base.css").read_text(encoding="utf-8")
    css += "\n" + (folder / f"{theme}.css").read_text(encoding="utf-8")
    size = _PAGE_SIZES.get(paper, "A4")
    # The theme's @page rule names the size as PAGE_SIZE; the variant's paper decides it.
    return css.replace("PAGE_SIZE", size).replace("</", "<\\/")


def _language(lang: str) -> str:
    tag = lang.strip()
    return tag if re.fullmatch(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*", tag) else "en"


def render_html(
    doc: Document,
    user_templates: Path | None = None,
    *,
    publications: Iterable[Publication] = (),
    lang: str = "",
) -> str:
    """The document as one self-contained HTML page.

    ``publications`` (the variant's selected entries, by key) give the JSON-LD its
    structured authors, dates, venues and identifiers; without them each paper is named
    from its formatted reference.
    """
    from cvbuild.render.environment import make_environment, render_template
    from cvbuild.render.jsonld import document_graph

    inline = _Inline(dict(doc.legends), _note_ids(doc.legends))
    header = _NS(
        name=escape(doc.header.name),
        headline=inline.render(doc.header.headline),
        contacts=[_contact(c) for c in doc.header.contacts if c.text.strip()],
    )
    counter = [0]
    sections = [_section(s, inline, i, counter) for i, s in enumerate(doc.sections, 1)]
    notes = [
        _NS(
            id=inline.ids[k],
            ref=inline.first[k],
            symbol=escape(doc.legend_symbols.get(k, "")),
            text=escape(doc.legends[k]),
        )
        for k in inline.used
    ]
    theme = doc.meta.theme if doc.meta.theme in THEMES else THEMES[0]
    graph = document_graph(doc, publications)
    env = make_environment("html", user_templates)
    text = render_template(
        env,
        TEMPLATE,
        lang=_language(lang or doc.meta.locale),
        theme=theme,
        css=_css(theme, doc.meta.paper),
        jsonld=script_json(graph),
        header=header,
        sections=sections,
        notes=notes,
        meta=_NS(
            title=escape(doc.meta.title or doc.header.name),
            author=escape(doc.meta.author),
            keywords=escape(", ".join(doc.meta.keywords)),
            date=_times(escape(doc.meta.date)),
            updated=escape(doc.meta.updated_label),
        ),
        aria=_NS(
            contact=escape(doc.meta.aria_labels[0]),
            notes=escape(doc.meta.aria_labels[1]),
            back=escape(doc.meta.aria_labels[2]),
        ),
    )
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"
