"""The plain-text backend: a ``Document`` as clean, ATS-friendly UTF-8 text.

Made to be pasted into an application portal's text box or read by an applicant
tracking system:

- No markup of any kind: no Markdown symbols (``**``, ``#``, ``[..](..)``), no HTML.
  Strong/Emph/Sup are flattened to their text; a link becomes its text followed by
  the address in parentheses (unless the text already is the address).
- One paragraph, entry line or reference per line, never hard-wrapped: web forms
  reflow text themselves, and hard line breaks pasted into a form make ragged lines.
- Section headings in capitals on their own line, a blank line around them.
- Bullets are ``•`` (a character, not Markdown's ``-``/``*``).
- Author marks stay as ``*`` and ``†``; each publications section that uses them
  ends with its legend lines (``* Equal contribution``).
- Control characters, bidirectional overrides and soft hyphens from any input are
  removed; whitespace inside a paragraph collapses to single spaces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cvbuild.document import Contact, Document, EntryBlock, PubItem, SectionBlock
from cvbuild.render.invisible import drop_soft_hyphens, visible_text
from cvbuild.richtext import Cite, Emph, Link, Mark, Node, RichText, Strong, Sup, Text, clip

BULLET = "\u2022"
DASH = "\u2014"

CONTACT_KINDS = ("email", "phone", "location", "website")  # worded in the CV's language
CONTACT_LABELS = {  # the names of networks and identifiers, the same in every language
    "orcid": "ORCID",
    "github": "GitHub",
    "gitlab": "GitLab",
    "scholar": "Google Scholar",
    "google scholar": "Google Scholar",
    "linkedin": "LinkedIn",
    "twitter": "Twitter",
    "x": "X",
    "researchgate": "ResearchGate",
    "mastodon": "Mastodon",
    "bluesky": "Bluesky",
}

_SPACE = re.compile(r"\s+")


def clean(value: str) -> str:
    """One line of text: NFC, no control or direction characters, single spaces."""
    value = drop_soft_hyphens(visible_text(unicodedata.normalize("NFC", value)))
    return _SPACE.sub(" ", value).strip()


def inline_text(nodes: RichText) -> str:
    """Rich text as one clean line."""
    return clean("".join(_node(n) for n in clip(nodes)))


def _node(node: Node) -> str:
    # Recursive over a clipped tree: at most MAX_DEPTH levels.
    if isinstance(node, Text):
        return node.value
    if isinstance(node, Mark):
        return node.symbol
    if isinstance(node, Link):
        inner = "".join(_node(c) for c in node.children)
        return _with_url(inner, node.url)
    if isinstance(node, Strong | Emph | Sup | Cite):
        return "".join(_node(c) for c in node.children)
    raise TypeError(f"unknown rich-text node {node!r}")  # pragma: no cover


def _bare(url: str) -> str:
    bare = re.sub(r"^(https?://|mailto:|tel:)", "", url.strip(), flags=re.IGNORECASE)
    return bare.removeprefix("www.").rstrip("/")


def _with_url(label: str, url: str) -> str:
    url = clean(url)
    if not url.lower().startswith(("http://", "https://")):
        return label  # mailto:, tel: and anything unsafe: the text says enough
    if not label.strip():
        return url
    if _bare(label).lower() == _bare(url).lower():
        return url
    return f"{label} ({url})"


def contact_line(
    contact: Contact, words: tuple[str, ...] = ("Email", "Phone", "Location", "Website")
) -> str:
    """ "Label: text (url)" for one contact; ``words`` name the CONTACT_KINDS (the
    document's ``meta.contact_labels``)."""
    kind = contact.kind.lower()
    if kind in CONTACT_KINDS:
        label = words[CONTACT_KINDS.index(kind)]
    else:
        label = CONTACT_LABELS.get(kind, contact.kind.strip().title())
    shown = clean(contact.text)
    url = clean(contact.url)
    if contact.kind not in ("email", "phone", "location") and url.lower().startswith(
        ("http://", "https://")
    ):
        shown = url
    if not shown:
        return ""
    label = clean(label)
    if _starts_with_word(shown, label):  # "Mastodon @me@x.social", not "Mastodon: Mastodon …"
        return shown
    return f"{label}: {shown}"


def _starts_with_word(text: str, word: str) -> bool:
    """``text`` begins with ``word`` as a whole word (any case, any kind of space after)."""
    head = text[: len(word)]
    rest = text[len(word) : len(word) + 1]
    return bool(word) and head.lower() == word.lower() and (not rest or rest.isspace())


def _entry(entry: EntryBlock) -> list[str]:
    lines = [inline_text(entry.title)]
    where = ", ".join(x for x in (inline_text(entry.organization), clean(entry.location)) if x)
    if where:
        lines.append(where)
    if entry.dates:
        lines.append(clean(entry.dates))
    summary = inline_text(entry.summary)
    if summary:
        lines.append(summary)
    lines.extend(f"{BULLET} {h}" for h in map(inline_text, entry.highlights) if h)
    return [line for line in lines if line]


def _pub(item: PubItem) -> str:
    line = inline_text(item.text)
    if item.number is not None:
        line = f"{item.number}. {line}"
    note = inline_text(item.note)
    if note:
        line = f"{line} {DASH} {note}" if line else note
    links = []
    for label, url in item.links:
        url = clean(url)
        if url.lower().startswith(("http://", "https://")):
            links.append(f"{clean(label)}: {url}" if clean(label) else url)
    if links:
        line = f"{line} ({'; '.join(links)})"
    return line


def _section(section: SectionBlock, doc: Document) -> list[str]:
    """The section's blocks; each block is a list of lines, blocks separated by a blank line."""
    blocks: list[list[str]] = [[clean(section.title).upper()]]
    if section.kind == "entries":
        blocks.extend(lines for lines in map(_entry, section.entries) if lines)
    elif section.kind == "items":
        lines = []
        for item in section.items:
            body = inline_text(item.text)
            label = clean(item.label)
            if label:
                lines.append(f"{label}: {body}" if body else label)
            elif body:
                lines.append(f"{BULLET} {body}")
        if lines:
            blocks.append(lines)
    elif section.kind == "text":
        blocks.extend([p] for p in map(inline_text, section.paragraphs) if p)
        cited = [line for line in map(_pub, section.references) if line]
        if cited:
            blocks.append(cited)
    elif section.kind == "publications":
        for group in section.groups:
            items = [line for line in map(_pub, group.items) if line]
            if not items:
                continue
            label = clean(group.label)
            blocks.append(([label] if label else []) + items)
        blocks.extend([p] for p in map(inline_text, section.paragraphs) if p)
        legend = []
        for kind in section.marks:
            symbol = doc.legend_symbols.get(kind, "")
            text = clean(doc.legends.get(kind, ""))
            if symbol and text:
                legend.append(f"{clean(symbol)} {text}")
        if legend:
            blocks.append(legend)
    return ["\n".join(block) for block in blocks]


def render_text(doc: Document) -> str:
    """The whole document as plain text, ending in one newline."""
    head = [clean(doc.header.name), inline_text(doc.header.headline)]
    head.extend(contact_line(c, doc.meta.contact_labels) for c in doc.header.contacts)
    blocks = ["\n".join(line for line in head if line)]
    for section in doc.sections:
        body = _section(section, doc)
        if len(body) > 1:  # a heading with nothing under it is left out
            blocks.append("\n".join([body[0], "", *_join_blocks(body[1:])]))
    if doc.meta.date:
        blocks.append(f"{clean(doc.meta.updated_label)}: {clean(doc.meta.date)}")
    return "\n\n".join(b for b in blocks if b).strip("\n") + "\n"


def _join_blocks(blocks: list[str]) -> list[str]:
    out: list[str] = []
    for i, block in enumerate(blocks):
        if i:
            out.append("")
        out.append(block)
    return out


# ----------------------------------------------------------------- counted text fields


@dataclass(frozen=True)
class FieldLimit:
    """The limits on one text field (0: none) and who sets them, for the counted text."""

    max_chars: int = 0
    max_words: int = 0
    who: str = ""  # "the NIH supplement"
    item_chars: int = 0  # each paragraph its own field of at most this many characters


def field_text(section: SectionBlock) -> str:
    """A text section's paste text: its paragraphs, each one line, a blank line between."""
    return "\n\n".join(p for p in map(inline_text, section.paragraphs) if p)


def count_chars(text: str) -> int:
    """Characters as a web form counts them: code points of the NFC text, spaces and line
    breaks included."""
    return len(unicodedata.normalize("NFC", text))


def count_words(text: str) -> int:
    """Words: runs of non-space characters."""
    return len(text.split())


def counted(n: int, unit: str, limit: int) -> str:
    if unit and n == 1:
        unit = unit.removesuffix("s")  # "1 word"
    said = f"{n:,} {unit}" if unit else f"{n:,}"
    if not limit:
        return said
    if n > limit:
        return f"{said} of at most {limit:,}: OVER THE LIMIT by {n - limit:,}"
    return f"{said} of at most {limit:,}"


def count_line(text: str, limit: FieldLimit | None = None) -> str:
    """ "312 characters of at most 3,500; 52 words" — the over-limit one says so."""
    limit = limit or FieldLimit()
    chars = counted(count_chars(text), "characters", limit.max_chars)
    words = counted(count_words(text), "words", limit.max_words)
    line = f"{chars}; {words}"
    if limit.who and (limit.max_chars or limit.max_words):
        line += f" (limit set by {limit.who})"
    return line


def text_fields(doc: Document) -> list[tuple[SectionBlock, str]]:
    """The document's text sections with their paste text, in order (empty ones left out)."""
    return [(s, t) for s in doc.sections if s.kind == "text" for t in [field_text(s)] if t]


def render_fields(
    doc: Document,
    limits: dict[str, FieldLimit] | None = None,
    *,
    title: str = "",
    max_words: int = 0,
    who: str = "",
) -> str:
    """Each text field of ``doc`` to paste into a form, with its counts under its heading:

        PERSONAL STATEMENT
        Count: 312 characters of at most 3,500; 52 words

        I build statistical models …

    ``limits`` by section title (as the document shows it); ``max_words`` over all fields
    (``who`` sets it), counted and flagged in a closing ``ALL FIELDS`` block. Ends in one
    newline."""
    limits = limits or {}
    head = [clean(doc.header.name)]
    if title:
        head.append(clean(title))
    head.append(
        "Each field below is the text to paste, between its count line and the next "
        "heading. Characters are Unicode characters (NFC), spaces and line breaks "
        "included; words are runs of non-space characters."
    )
    blocks = ["\n".join(head)]
    total = 0
    for section, text in text_fields(doc):
        total += count_words(text)
        limit = limits.get(section.title)
        heading = clean(section.title).upper()
        if limit is not None and limit.item_chars:  # one field per paragraph (contribution)
            each = FieldLimit(limit.item_chars, 0, limit.who)
            for n, item in enumerate(text.split("\n\n"), 1):
                blocks.append(f"{heading} {n}\nCount: {count_line(item, each)}\n\n{item}")
            continue
        blocks.append(f"{heading}\nCount: {count_line(text, limit)}\n\n{text}")
    if max_words or len(blocks) > 2:
        summary = counted(total, "words", max_words)
        if who and max_words:
            summary += f" (limit set by {who})"
        blocks.append(f"ALL FIELDS\nCount: {summary}")
    return "\n\n".join(blocks) + "\n"
