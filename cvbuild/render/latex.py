"""LaTeX backend: Document → ``.tex`` source for the theme styles in ``styles/``.

This module is the only place that escapes text for a LaTeX document (text written into a
BibTeX field is encoded by :mod:`cvbuild.bib.encode`). Every character that comes from
the input passes through :func:`escape` (text) or :func:`escape_url` (link targets), so
nothing a user or a BibTeX file wrote can become a TeX command, a group, a parameter,
a comment, a ``^^`` sequence or a catcode change. The only markup in the output is our
own: ``\\textbf``/``\\emph``/``\\textsuperscript`` for the rich-text nodes, ``\\cvblink``
for links and ``\\cvbmark`` for author marks (whose legend footnotes the style places).

The templates in ``templates/latex/`` only place the strings of a small view model built
here. Before every section, entry and publication the renderer writes a comment line
``% cvbuild-src: {...}`` naming it; the compile step maps a LaTeX error's line back to
the nearest such line (see :func:`source_markers`).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace as _NS
from urllib.parse import quote, urlsplit

from cvbuild.config.choices import ENGINES, PAPERS, THEMES
from cvbuild.document import (
    Contact,
    Document,
    EntryBlock,
    ItemBlock,
    PubGroup,
    PubItem,
    SectionBlock,
)
from cvbuild.format.urls import safe_url
from cvbuild.i18n.texlang import tex_language
from cvbuild.render.invisible import is_invisible, visible_text
from cvbuild.resources import styles_dir
from cvbuild.richtext import Cite, Emph, Link, Mark, Node, RichText, Strong, Sup, Text, clip

MAIN_TEMPLATE = "cv.tex"
MARKER = "% cvbuild-src: "
_BASE_STYLE = "cvbuild-base.sty"
_CLASS_OPTIONS = {"academic": "11pt", "compact": "10pt"}

# ASCII characters that TeX treats specially, each as a command that prints it.
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "`": r"\textasciigrave{}",  # avoids the !` and ?` ligatures (¡ ¿)
    "\u00ad": r"\-",  # soft hyphen: a hyphenation point
}

# After these (and at the start, or after a space) a straight quote opens.
_OPENERS = "([{<\u2018\u201c\u2013\u2014/"
# pdflatex reads no curly quote from its input safely: the commands that print them.
_PDFTEX_QUOTES = {
    "\u2018": r"\textquoteleft{}",
    "\u2019": r"\textquoteright{}",
    "\u201c": r"\textquotedblleft{}",
    "\u201d": r"\textquotedblright{}",
}

# Unicode ranges every theme font (Linux Libertine O, DejaVu) covers under xelatex and
# lualatex: Latin with all its extensions (Vietnamese too), combining accents, Greek,
# Cyrillic, and common punctuation. Anything else goes through \cvbchar, which finds a
# fallback font at run time (symbols, CJK when a CJK font is installed, math letters).
_UNICODE_SAFE = (
    (0x00A0, 0x024F),
    (0x0300, 0x036F),
    (0x0370, 0x03FF),
    (0x0400, 0x04FF),
    (0x1E00, 0x1EFF),
    (0x2010, 0x2027),
    (0x2030, 0x203A),
)
# pdflatex with T1/TS1 and utf8 inputenc: Latin-1 and Latin Extended-A are set up.
_PDFTEX_SAFE = ((0x00A0, 0x017F),)


def _in(ranges: tuple[tuple[int, int], ...], code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in ranges)


def _drop(ch: str) -> bool:
    """Characters no link target should hold: the shared invisible set, joiners, soft hyphens."""
    return is_invisible(ch) or ch in "\u200c\u200d\u00ad"


def _curly(ch: str, before: str, engine: str) -> str:
    """A straight quote as the curly one it stands for. The fonts' TeX ligatures would make
    every ``'`` a closing quote (’Teacher of the Month’ with both ends closing), so
    each is decided here: opening at the start or after a space or an opening bracket,
    closing (an apostrophe too) everywhere else."""
    opening = not before or before.isspace() or before in _OPENERS
    curly = {"'": "‘’", '"': "“”"}[ch][0 if opening else 1]
    return _PDFTEX_QUOTES[curly] if engine == "pdflatex" else curly


def escape(
    value: str,
    engine: str = "xelatex",
    *,
    fallbacks: bool = True,
    before: str = "",
    extra: tuple[tuple[int, int], ...] = (),
) -> str:
    """A text leaf as LaTeX that typesets exactly ``value`` on one line.

    ``fallbacks=False`` is for PDF metadata (hyperref strings): no font switching.
    ``before``: the character just before this leaf in the running text ("" at its start),
    which decides whether a straight quote opens or closes.
    ``extra``: ranges the document's language setup sets itself (CJK under xeCJK,
    Cyrillic under pdflatex's T2A), so they need no fallback.
    """
    value = visible_text(unicodedata.normalize("NFC", value))
    if fallbacks and engine != "pdflatex" and _RTL_RUN.search(value):
        # Hebrew and Arabic names: each run set right to left in a box (\cvbrtl), so the
        # words keep their order and the name never breaks across lines
        out_parts: list[str] = []
        last = 0
        for m in _RTL_RUN.finditer(value):
            piece = value[last : m.start()]
            out_parts.append(_escape_run(piece, engine, fallbacks, extra, before))
            out_parts.append(r"\cvbrtl{" + " ".join(m.group(0).split()) + "}")
            before, last = m.group(0)[-1], m.end()
        out_parts.append(_escape_run(value[last:], engine, fallbacks, extra, before))
        return _breakable_spaces("".join(out_parts))
    return _breakable_spaces(_escape_run(value, engine, fallbacks, extra, before))


_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_RTL_RUN = re.compile(f"[{_RTL}]+(?:[ \u00a0]+[{_RTL}]+)*")


def _escape_run(
    value: str, engine: str, fallbacks: bool, extra: tuple[tuple[int, int], ...], before: str
) -> str:
    safe = (_PDFTEX_SAFE if engine == "pdflatex" else _UNICODE_SAFE) + extra
    out: list[str] = []
    for ch in value:
        code = ord(ch)
        if ch in "'\"":
            out.append(_curly(ch, before, engine))
        elif ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch in "\t\n\r\v\f\u2028\u2029\x85":
            out.append(" ")
        elif code < 0x80:
            if 0x20 <= code < 0x7F:
                out.append(ch)
        elif ch in "\u200c\u200d":  # kept by visible_text where a script needs it
            if engine != "pdflatex":
                out.append(ch)
        elif _in(safe, code) or not fallbacks:
            if engine == "pdflatex" and not _in(safe, code):
                out.append("?")
            else:
                out.append(ch)
        else:
            out.append(r"\cvbchar{" + ch + "}")
        before = ch
    return "".join(out)


def _breakable_spaces(text: str) -> str:
    # Runs of spaces collapse in TeX anyway; keep the source tidy.
    return re.sub(r" {2,}", " ", text)


_URL_SAFE = "-._:/?#[]@!&'()*+,;=%"  # not $ (TeX math); quote() always keeps ~


def escape_url(url: str) -> str | None:
    """A link target for ``\\href``, or None when it is not a web, mail or phone link.

    Everything outside the URI character set is percent-encoded (spaces, braces,
    backslashes, non-ASCII); then the characters hyperref reads specially are escaped.
    """
    url = "".join(ch for ch in url.strip() if not _drop(ch) and ch not in "\t\n\r")
    if not url:
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not scheme:
        if re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", url, re.IGNORECASE):
            url, scheme = "https://" + url, "https"
        else:
            return None
    # The one URL rule (cvbuild.format.urls), plus the phone link of the header.
    if scheme != "tel" and not safe_url(url):
        return None
    # Percent-encode what is not a URI character; keep existing %XX escapes.
    url = quote(url, safe=_URL_SAFE)
    url = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url)
    return re.sub(r"([#%])", r"\\\1", url)


@dataclass
class _Renderer:
    """Maps rich text to LaTeX for one document (knows its legend ids and engine)."""

    engine: str
    legend_ids: dict[str, int]
    fallbacks: bool = False  # some character needs a fallback font (\cvbchar)
    last: str = ""  # the last character of the rich text being rendered, for quotes
    extra: tuple[tuple[int, int], ...] = ()  # ranges the language setup sets (CJK)

    def text(self, value: str, before: str = "") -> str:
        escaped = escape(value, self.engine, before=before, extra=self.extra)
        if not self.fallbacks and (r"\cvbchar{" in escaped or r"\cvbrtl{" in escaped):
            self.fallbacks = True
        return escaped

    def rich(self, nodes: RichText) -> str:
        self.last = ""
        return self._rich(clip(nodes))

    def _rich(self, nodes: RichText) -> str:
        # Recursive over a clipped tree: at most MAX_DEPTH levels.
        return "".join(self.node(n) for n in nodes)

    def node(self, node: Node) -> str:
        if isinstance(node, Text):
            shown = self.text(node.value, before=self.last)
            self.last = node.value[-1:] or self.last
            return shown
        if isinstance(node, Strong):
            return r"\textbf{" + self._rich(node.children) + "}"
        if isinstance(node, Emph):
            return r"\emph{" + self._rich(node.children) + "}"
        if isinstance(node, Sup):
            return r"\textsuperscript{" + self._rich(node.children) + "}"
        if isinstance(node, Link):
            inner = self._rich(node.children)
            target = escape_url(node.url)
            return inner if target is None else r"\cvblink{" + target + "}{" + inner + "}"
        if isinstance(node, Cite):  # a citation: what the format stage resolved it to
            return self._rich(node.children)
        if isinstance(node, Mark):
            ident = self.legend_ids.get(node.kind)
            if ident is None:  # a mark without a legend: just the symbol
                return r"\textsuperscript{" + self.text(node.symbol) + "}"
            return r"\cvbmark{" + str(ident) + "}"
        raise TypeError(f"unknown rich-text node {node!r}")

    def link(self, url: str, label: str) -> str:
        target = escape_url(url)
        shown = self.text(label)
        return shown if target is None else r"\cvblink{" + target + "}{" + shown + "}"


def _marker(**fields: str) -> str:
    """A comment line naming what follows; pure ASCII, so it cannot end early."""
    return MARKER + json.dumps(fields, ensure_ascii=True, sort_keys=True)


def source_markers(tex: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, fields) of every ``% cvbuild-src:`` line in ``tex``, in order."""
    found: list[tuple[int, dict[str, str]]] = []
    for number, line in enumerate(tex.splitlines(), start=1):
        if line.startswith(MARKER):
            try:
                fields = json.loads(line[len(MARKER) :])
            except ValueError:
                continue
            if isinstance(fields, dict):
                found.append((number, {str(k): str(v) for k, v in fields.items()}))
    return found


def _contact(r: _Renderer, contact: Contact) -> str:
    url = contact.url
    if not url and contact.kind == "email":
        url = "mailto:" + quote(contact.text.strip(), safe="@.+-_")
    if not url and contact.kind == "phone":
        url = "tel:" + re.sub(r"[^0-9+]", "", contact.text)
    return r.link(url, contact.text) if url else r.text(contact.text)


def _entry(r: _Renderer, section: SectionBlock, entry: EntryBlock) -> _NS:
    return _NS(
        src=_marker(section=section.title, entry=_plain_short(entry.title)),
        title=r.rich(entry.title),
        organization=r.rich(entry.organization),
        location=r.text(entry.location),
        dates=r.text(entry.dates),
        summary=r.rich(entry.summary),
        highlights=[r.rich(h) for h in entry.highlights],
    )


def _item(r: _Renderer, section: SectionBlock, item: ItemBlock) -> _NS:
    return _NS(
        src=_marker(section=section.title, item=_plain_short(item.text)),
        text=r.rich(item.text),
        label=r.text(item.label),
    )


def _pub(r: _Renderer, section: SectionBlock, pub: PubItem) -> _NS:
    return _NS(
        src=_marker(section=section.title, key=pub.key),
        label="" if pub.number is None else f"[{pub.number}]",
        text=r.rich(pub.text),
        links=[r.link(url, label) for label, url in pub.links],
        note=r.rich(pub.note),
    )


def _plain_short(nodes: RichText, limit: int = 60) -> str:
    from cvbuild.richtext import plain

    value = " ".join(plain(nodes).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _section(r: _Renderer, section: SectionBlock) -> _NS:
    groups = []
    widest = ""
    for group in _groups(section):
        pubs = [_pub(r, section, p) for p in group.items]
        for p in pubs:
            if len(p.label) > len(widest):
                widest = p.label
        groups.append(_NS(label=r.text(group.label), pubs=pubs))
    return _NS(
        src=_marker(section=section.title),
        title=r.text(section.title),
        kind=section.kind
        if section.kind in ("entries", "items", "text", "publications")
        else "text",
        entries=[_entry(r, section, e) for e in section.entries],
        items=[_item(r, section, i) for i in section.items],
        paragraphs=[r.rich(p) for p in section.paragraphs],
        groups=groups,
        widest=widest,
    )


def _groups(section: SectionBlock) -> tuple[PubGroup, ...]:
    """The section's publication groups; a text section's cited works as one group."""
    if section.references and not section.groups:
        return (PubGroup("", section.references),)
    return section.groups


def _font_name(name: str) -> str:
    """A font family name as fontspec reads it: letters, digits, spaces, - and . only."""
    return re.sub(r"[^A-Za-z0-9 .\-]", "", name).strip()


def _trusted(value: str, allowed: tuple[str, ...], what: str) -> str:
    """A choice the config stage has checked (the first of ``allowed`` when unset); one
    outside ``allowed`` is a bug in cvbuild, never the user's input."""
    value = value or allowed[0]
    if value not in allowed:
        raise AssertionError(f"render got an unchecked {what} {value!r}")
    return value


# Past this many publications and entries a CV runs to well over a hundred pages, more
# than TeX can hold in memory at once to number them "x of y" in one pass: such a CV
# ships pages as they come and takes the total from a second pass.
LONG_DOCUMENT = 1500


def _page_of(r: _Renderer, label: str, locale: str = "en") -> str:
    """ "Page {page} of {total}" as the body of a macro: "Page #1 of #2". A label without
    both placeholders (a user's ``output.labels``) gives way to the locale's catalog phrase."""
    if "{page}" not in label or "{total}" not in label:
        from cvbuild.i18n.phrases import phrases_for

        label = phrases_for(locale)("page_of")
    if "{page}" not in label or "{total}" not in label:
        label = "Page {page} of {total}"  # a catalog keeps both (tests/i18n/test_catalogs)
    before, rest = label.split("{page}", 1)
    if "{total}" in before:  # "{total} pages, page {page}": total first
        first, middle = before.split("{total}", 1)
        return r.text(first) + "#2" + r.text(middle) + "#1" + r.text(rest)
    middle, after = rest.split("{total}", 1)
    return r.text(before) + "#1" + r.text(middle) + "#2" + r.text(after)


def is_long(doc: Document) -> bool:
    count = sum(len(g.items) for s in doc.sections for g in s.groups)
    count += sum(len(s.entries) + len(s.items) for s in doc.sections)
    return count > LONG_DOCUMENT


@dataclass(frozen=True)
class LatexSource:
    """What render hands to compile: the ``.tex`` text and what it was made for, so that
    compile never reads the text back to learn them.

    ``text`` starts with ``% !TEX program = <engine>`` (for latexmk, Overleaf and people);
    ``support_files`` are the style files it needs beside it; ``twopass``: the document
    ships its pages as they come and takes "page x of y" from a second pass (long CVs)."""

    text: str
    engine: str
    support_files: tuple[Path, ...]
    twopass: bool
    locale: str = "en"  # the language the text is set in (compile checks its packages)


def render_latex(
    doc: Document, user_templates: Path | None = None, *, twopass: bool | None = None
) -> LatexSource:
    """The ``.tex`` source of ``doc`` with its engine and style files. ``twopass``: force
    the two-pass mode on or off (default: on for a document past ``LONG_DOCUMENT`` items;
    compile asks for it when TeX ran out of memory)."""
    from cvbuild.render.environment import make_environment, render_template

    meta = doc.meta
    engine = _trusted(meta.engine, ENGINES, "engine")
    theme = _trusted(meta.theme, THEMES, "theme")
    paper = _trusted(meta.paper, PAPERS, "paper size")
    ids = {kind: i for i, kind in enumerate(doc.legends, start=1)}
    language = tex_language(meta.locale, engine)
    r = _Renderer(engine, ids, extra=language.extra_ranges)
    long_mode = is_long(doc) if twopass is None else twopass

    def meta_text(value: str) -> str:
        return escape(value, engine, fallbacks=False, extra=language.extra_ranges)

    legends = [
        _NS(
            id=ident,
            symbol=r.text(doc.legend_symbols.get(kind, "*")),
            text=r.text(doc.legends[kind]),
        )
        for kind, ident in ids.items()
    ]
    sections = [_section(r, s) for s in doc.sections]
    header = _NS(
        src=_marker(section="header"),
        name=r.text(doc.header.name),
        headline=r.rich(doc.header.headline),
        contacts=[_contact(r, c) for c in doc.header.contacts],
    )
    view = _NS(
        engine=engine,
        theme=theme,
        paper=paper,
        class_options=_CLASS_OPTIONS.get(theme, "11pt"),
        font=_font_name(meta.font),
        meta=_NS(
            title=meta_text(meta.title),
            author=meta_text(meta.author),
            keywords=meta_text(", ".join(meta.keywords)),
            date=r.text(meta.date),
        ),
        legends=legends,
        header=header,
        sections=sections,
        language=language.preamble,
        updated=r.text(meta.updated_label),
        page_of=_page_of(r, meta.page_label, meta.locale or "en"),
        trailer_id="0" * 32,
        fallbacks=",fallbacks" if r.fallbacks else "",
        twopass=long_mode,
    )
    env = make_environment("latex", user_templates, latex=True)
    main = dict(meta.templates).get("latex", MAIN_TEMPLATE)  # a preset's own, else ours
    tex = render_template(env, main, doc=view)
    tex = wrap_long_lines(tex)
    # A PDF ID that depends on the content only, so that equal inputs give equal bytes.
    digest = hashlib.md5(tex.encode(), usedforsecurity=False).hexdigest()
    text = tex.replace("0" * 32, digest, 1)
    support = tuple(latex_support_files(theme, user_templates))
    return LatexSource(text, engine, support, long_mode, meta.locale or "en")


# TeX reads a source line into a buffer of 200,000 characters (TeX Live's buf_size) and
# stops without a word past it. A long reference is broken at spaces well before that;
# for TeX an end of line is a space, so the typeset text is the same.
WRAP_WIDTH = 4000
_COMMENT = re.compile(r"(?<!\\)%")


def wrap_long_lines(tex: str, width: int = WRAP_WIDTH) -> str:
    """Lines longer than ``width`` broken at spaces (never inside a comment)."""
    if all(len(line) <= width for line in tex.split("\n")):
        return tex
    out: list[str] = []
    for line in tex.split("\n"):
        if len(line) <= width or line.lstrip().startswith("%"):
            out.append(line)
            continue
        comment = _COMMENT.search(line)
        body, tail = (line[: comment.start()], line[comment.start() :]) if comment else (line, "")
        pieces: list[str] = []
        while len(body) > width:
            cut = body.rfind(" ", width // 2, width)
            if cut < 0:
                cut = body.find(" ", width)
                if cut < 0:
                    break
            pieces.append(body[:cut])
            body = body[cut + 1 :]
        out.extend(pieces)
        out.append(body + tail)
    return "\n".join(out)


def latex_support_files(theme: str, user_templates: Path | None = None) -> list[Path]:
    """The style files a ``.tex`` of ``theme`` needs beside it (a user's own first)."""
    theme = _trusted(theme, THEMES, "theme")
    name = f"cvbuild-{theme}.sty"
    folders = []
    if user_templates is not None:
        folders += [user_templates / "latex", user_templates]
    folders.append(styles_dir())
    files: list[Path] = []
    for wanted in (_BASE_STYLE, name):
        for folder in folders:
            if (folder / wanted).is_file():
                files.append(folder / wanted)
                break
        else:
            raise FileNotFoundError(f"cvbuild's {wanted} is missing from the installation")
    return files
