"""Markdown backend: Document → GitHub-flavoured Markdown, or pandoc Markdown for the DOCX route.

Every character that comes from the input is escaped here, at the rich-text leaves, so
that nothing a user or a BibTeX file wrote can become Markdown, HTML or LaTeX markup.
The only markup in the output is our own: ``**``/``*`` for Strong/Emph, ``[..](..)`` for
links, ``<sup>`` (GFM) or ``^..^`` (pandoc) for superscripts, and footnotes for legends.

The templates in ``templates/markdown/`` only place the pre-rendered strings of a small
view model built here; they hold no publication logic.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace as _NS

from cvbuild import forking
from cvbuild.document import Document, EntryBlock, PubGroup, PubItem, SectionBlock
from cvbuild.format.urls import safe_url as url_rule
from cvbuild.render.invisible import drop_soft_hyphens, visible_text
from cvbuild.richtext import Cite, Emph, Link, Mark, Node, RichText, Strong, Sup, Text, clip, walk

FLAVORS = ("gfm", "pandoc")
TEMPLATES = {"gfm": "cv.md.j2", "pandoc": "cv.pandoc.md.j2"}

# A character the DOCX route turns into a real tab (``<w:tab/>``) after pandoc has run,
# so that dates can sit at a right-aligned tab stop. Input text never carries it: the
# leaves drop every private-use character.
TAB = "\ue000"

SEPARATOR = " · "

# ASCII punctuation that is Markdown, HTML or pandoc syntax wherever it stands.
_ALWAYS = frozenset("\\`*_[]<>&#|~$^{}@")
# The pandoc flavor is an intermediate nobody reads: escape all ASCII punctuation, which
# also keeps pandoc's typography (``--``, ``...``, quotes) off the input's text.
_PANDOC = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Characters that only matter at the start of a line (list, quote, heading, definition).
_LINE_START = re.compile(r"[-+=:%]")
_LIST_MARKER = re.compile(r"\(?(?:\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+|#|@\w*)(?=[.)])")
_EMOJI_COLON = re.compile(r":(?=[A-Za-z0-9_+-])")
# Control characters (and line/paragraph separators) become spaces; private-use ones go.
_SPACED = (*range(0x20), 0x7F, 0x2028, 0x2029)
_PRIVATE = range(0xE000, 0xF900)
# Their test and their table: rare in text, so the table is only made and run when the
# test finds one.
_RARE = re.compile("[\x00-\x1f\x7f\u2028\u2029\ue000-\uf8ff]")


@functools.cache
def _rare_table() -> dict[int, str | None]:
    return {**dict.fromkeys(_PRIVATE), **dict.fromkeys(_SPACED, " ")}


# The special characters of each flavor, the backslash first (so that no backslash put
# in front of another character is doubled).
_SPECIALS = {
    "gfm": ("\\", *sorted(_ALWAYS - {"\\"})),
    "pandoc": ("\\", *sorted(_PANDOC - {"\\"})),
}


def escape(value: str, flavor: str = "gfm", *, in_sup: bool = False) -> str:
    """A text leaf as Markdown that shows exactly ``value`` (on one line).

    Control characters and line separators become spaces and private-use characters go;
    then a backslash goes before each special character of the flavor (a ``str.replace``
    per character present: in C, where one ``str.translate`` over a table with thousands
    of entries looks every character up in a dict); in a pandoc superscript every space,
    the new ones too, is a ``\\ `` (a bare one cannot stand there).
    """
    text = drop_soft_hyphens(visible_text(value))
    if _RARE.search(text):
        text = text.translate(_rare_table())
    pandoc = flavor == "pandoc"
    for ch in _SPECIALS["pandoc" if pandoc else "gfm"]:
        if ch in text:
            text = text.replace(ch, "\\" + ch)
    if pandoc:
        if in_sup and " " in text:
            text = text.replace(" ", "\\ ")
    elif ":" in text:
        text = _EMOJI_COLON.sub(r"\\:", text)  # ":smile:" is an emoji shortcode on GitHub
    return text


def line_start(rendered: str) -> str:
    """Guard a rendered inline string that will begin a line.

    Our own markup never starts with these characters, so only input text is touched:
    ``- x``, ``+ x``, ``: x``, ``1. x``, ``a) x`` would otherwise start a block.
    """
    rendered = rendered.lstrip(" ")
    if _LINE_START.match(rendered):
        return "\\" + rendered
    m = _LIST_MARKER.match(rendered)
    if m:
        end = m.end()
        return rendered[:end] + "\\" + rendered[end:]
    if rendered.startswith("("):
        return "\\" + rendered
    return rendered


def safe_url(url: str) -> str | None:
    """The URL as a Markdown link destination, or None when the one URL rule
    (:func:`cvbuild.format.urls.safe_url`) refuses it; here it is only percent-encoded."""
    checked = url_rule(url)
    # Percent-encode what would end or confuse a link destination; keep everything else.
    return _encode(checked) if checked else None


# What would end or confuse a link destination: percent-encoded (as UTF-8 bytes).
_URL_UNSAFE = re.compile(r"[ ()<>\"'`\\\[\]{}|^\x00-\x20]")
# An HTML entity in a link destination would be decoded by the Markdown reader.
_URL_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def _percent(m: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in m.group().encode("utf-8"))


def _encode(url: str) -> str:
    return _URL_ENTITY.sub("%26", _URL_UNSAFE.sub(_percent, url))


@dataclass
class _Inline:
    """Renders rich text for one flavor, tracking the legend footnotes of one section."""

    flavor: str
    legends: dict[str, str]
    labels: dict[str, str]
    seen: set[str] = field(default_factory=set)  # mark kinds footnoted in this section
    used: list[str] = field(default_factory=list)  # mark kinds footnoted anywhere, in order

    def new_section(self) -> None:
        self.seen = set()

    def render(self, nodes: RichText, *, in_sup: bool = False) -> str:
        return self._render(clip(nodes), in_sup=in_sup)

    def _render(self, nodes: RichText, *, in_sup: bool = False) -> str:
        # Recursive over a clipped tree: at most MAX_DEPTH levels.
        return "".join(self._node(n, in_sup) for n in nodes)

    def _node(self, node: Node, in_sup: bool) -> str:
        if isinstance(node, Text):
            return escape(node.value, self.flavor, in_sup=in_sup)
        if isinstance(node, Strong):
            return self._wrap("**", node.children, in_sup)
        if isinstance(node, Emph):
            return self._wrap("*", node.children, in_sup)
        if isinstance(node, Sup):
            inner = self._render(node.children, in_sup=True)
            return self._sup(inner) if inner else ""
        if isinstance(node, Link):
            label = self._render(node.children, in_sup=in_sup)
            url = safe_url(node.url)
            if url is None or not label:
                return label
            return f"[{label}]({url})"
        if isinstance(node, Mark):
            return self._mark(node)
        if isinstance(node, Cite):  # a citation: what the format stage resolved it to
            return self._render(node.children, in_sup=in_sup)
        raise TypeError(f"unknown rich-text node {node!r}")

    def _wrap(self, delim: str, children: RichText, in_sup: bool) -> str:
        inner = self._render(children, in_sup=in_sup)
        # Emphasis delimiters must touch non-space text: keep outer spaces outside.
        stripped = inner.strip(" ")
        if not stripped or stripped.endswith("\\"):
            return inner
        lead = inner[: len(inner) - len(inner.lstrip(" "))]
        trail = inner[len(inner.rstrip(" ")) :]
        return f"{lead}{delim}{stripped}{delim}{trail}"

    def _sup(self, inner: str) -> str:
        if self.flavor == "pandoc":
            return f"^{inner}^"
        return f"<sup>{inner}</sup>"

    def _first(self, mark: Mark) -> bool:
        """Whether this mark is its kind's first with a legend in the section (it carries
        the footnote); notes that it was seen."""
        if not self.legends.get(mark.kind, "") or mark.kind in self.seen:
            return False
        self.seen.add(mark.kind)
        if mark.kind not in self.used:
            self.used.append(mark.kind)
        return True

    def pass_over(self, nodes: RichText) -> None:
        """Take note of the marks ``render(nodes)`` would footnote, without rendering."""
        for node in walk(clip(nodes)):
            if isinstance(node, Mark):
                self._first(node)

    def _mark(self, mark: Mark) -> str:
        text = self._sup(escape(mark.symbol, self.flavor, in_sup=True))
        if not self._first(mark):
            return text
        legend = self.legends[mark.kind]
        if self.flavor == "pandoc":
            # An inline note: pandoc makes it a real Word footnote, one per section.
            return f"{text}^[{escape(legend, self.flavor)}]"
        return f"{text}[^{self.labels[mark.kind]}]"


def _footnote_labels(kinds: list[str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for i, kind in enumerate(kinds, 1):
        label = re.sub(r"[^A-Za-z0-9-]", "-", kind).strip("-") or f"note{i}"
        while label in labels.values():
            label = f"{label}-{i}"
        labels[kind] = label
    return labels


def _lang_tag(tag: str) -> str:
    """A BCP 47 tag as written, or "en" when it is anything else."""
    return tag if re.fullmatch(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*", tag) else "en"


def _view(doc: Document, flavor: str) -> dict[str, object]:
    kinds = list(doc.legends)
    inline = _Inline(flavor, dict(doc.legends), _footnote_labels(kinds))

    def r(nodes: RichText) -> str:
        return inline.render(nodes)

    def esc(value: str) -> str:
        return escape(value, flavor)

    def contact(c_text: str, url: str) -> str:
        label = esc(c_text)
        target = safe_url(url) if url else None
        return f"[{label}]({target})" if target and label else label

    header = _NS(
        name=line_start(esc(doc.header.name)),
        headline=line_start(r(doc.header.headline)),
        contacts=line_start(
            SEPARATOR.join(contact(c.text, c.url) for c in doc.header.contacts if c.text)
        ),
    )
    sections = []
    for section in doc.sections:
        inline.new_section()
        sections.append(_section(section, inline, esc))
    footnotes = [
        _NS(label=inline.labels[k], text=line_start(esc(doc.legends[k]))) for k in inline.used
    ]
    return {
        "header": header,
        "sections": sections,
        "footnotes": footnotes,
        "meta": _NS(
            title=esc(doc.meta.title),
            date=esc(doc.meta.date),
            updated=esc(doc.meta.updated_label),
            lang=_lang_tag(doc.meta.locale),
            # YAML front matter: a double-quoted scalar, so any title is safe in it
            front_title=json.dumps(doc.meta.title, ensure_ascii=False),
        ),
        "tab": TAB,
        "sep": SEPARATOR,
    }


def _section(section: SectionBlock, inline: _Inline, esc: Callable[[str], str]) -> _NS:
    entries = [_entry(e, inline, esc) for e in section.entries]
    groups = section.groups or ((PubGroup("", section.references),) if section.references else ())
    rendered = iter(_pubs([p for g in groups for p in g.items], inline, esc))
    return _NS(
        title=line_start(esc(section.title)),
        kind=section.kind,
        entries=entries,
        groups=[
            _NS(
                label=line_start(esc(g.label)),
                numbered=any(p.number is not None for p in g.items),
                items=[next(rendered) for _ in g.items],
            )
            for g in groups
        ],
        items=[
            _NS(label=esc(i.label), text=line_start(inline.render(i.text))) for i in section.items
        ],
        paragraphs=[line_start(inline.render(p)) for p in section.paragraphs if p],
    )


def _entry(entry: EntryBlock, inline: _Inline, esc: Callable[[str], str]) -> _NS:
    return _NS(
        title=line_start(inline.render((Strong(entry.title),) if entry.title else ())),
        organization=inline.render((Emph(entry.organization),) if entry.organization else ()),
        location=esc(entry.location),
        dates=esc(entry.dates),
        summary=line_start(inline.render(entry.summary)),
        highlights=[line_start(inline.render(h)) for h in entry.highlights if h],
    )


# From this many references in one section, half are rendered on the other core.
PARALLEL_ITEMS = 400


def _pubs(items: list[PubItem], inline: _Inline, esc: Callable[[str], str]) -> list[_NS]:
    """Each reference rendered in order; a long list's second half by a forked child
    (:mod:`cvbuild.forking`), which first passes over the first half's marks so that the
    same mark carries the section's footnote."""
    if len(items) < max(PARALLEL_ITEMS, 2):
        return [_pub(p, inline, esc) for p in items]
    middle = forking.split_at(len(items))
    head, tail = items[:middle], items[middle:]

    def second_half() -> tuple[list[_NS], set[str], list[str]]:
        for item in head:
            inline.pass_over(item.text)
            inline.pass_over(item.note)
        return [_pub(p, inline, esc) for p in tail], inline.seen, inline.used

    child = forking.start(second_half)
    if child is None:
        return [_pub(p, inline, esc) for p in items]
    try:
        out = [_pub(p, inline, esc) for p in head]
    except BaseException:
        child.cancel()
        raise
    done = child.result()
    if done is None:
        return out + [_pub(p, inline, esc) for p in tail]
    rendered, inline.seen, inline.used = done
    return out + rendered


def _pub(item: PubItem, inline: _Inline, esc: Callable[[str], str]) -> _NS:
    links = []
    for label, url in item.links:
        target = safe_url(url)
        if target and label:
            links.append(f"[{esc(label)}]({target})")
    return _NS(
        number=esc(f"[{item.number}]") if item.number is not None else "",
        text=line_start(inline.render(item.text)),
        links=SEPARATOR.join(links),
        note=inline.render(item.note),
    )


def _rstrip(line: str) -> str:
    stripped = line.rstrip(" ")
    # Never leave a backslash at the end of a line: that would be a hard line break.
    return line if stripped.endswith("\\") and stripped != line else stripped


def render_markdown(
    doc: Document, user_templates: Path | None = None, *, flavor: str = "gfm"
) -> str:
    """The document as Markdown: ``gfm`` for GitHub and the web, ``pandoc`` for the DOCX route."""
    if flavor not in FLAVORS:
        raise ValueError(f"unknown Markdown flavor {flavor!r}; expected one of {FLAVORS}")
    from cvbuild.render.environment import make_environment, render_template

    env = make_environment("markdown", user_templates)
    name = dict(doc.meta.templates).get("markdown" if flavor == "gfm" else flavor)
    text = render_template(env, name or TEMPLATES[flavor], **_view(doc, flavor))
    # Deterministic layout: no trailing spaces, at most one blank line, one final newline.
    lines = [_rstrip(line) for line in text.splitlines()]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return out + "\n"
