"""URL safety: the one rule deciding which link targets a CV may carry.

A link is kept when its target is an absolute ``http``/``https`` URL with a host, or a
``mailto:`` address; anything else (``javascript:``, ``data:``, ``vbscript:``, ``file:``,
relative paths, a scheme split by control or invisible characters) is refused, and the
format stage shows such a link as its plain text (:func:`safe_links`). Backends ask
:func:`safe_url` again for what they are handed and then only escape for their syntax.

Before the check, control and invisible format characters (C0/C1, zero-width, bidi
controls) are removed and surrounding whitespace is dropped, so ``java\\tscript:`` or
``\\u200bjavascript:`` are read as what a browser would read: ``javascript:``. Whitespace
inside the URL is percent-encoded; the characters no URL carries unencoded
(``<>"\\^`{|}``) refuse it.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from cvbuild.richtext import Cite, Emph, Link, Node, RichText, Strong, Sup

__all__ = ["LINK_SCHEMES", "safe_url", "safe_links"]

LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def _visible(url: str) -> str:
    return "".join(ch for ch in url if unicodedata.category(ch) not in ("Cc", "Cf") or ch == " ")


def safe_url(url: str) -> str:
    """``url`` cleaned as above if it is a link a CV may carry, else ""."""
    if not url:
        return ""
    cleaned = _visible(url).strip()
    match = _SCHEME.match(cleaned)
    if not match:
        return ""
    scheme = match.group(1).lower()
    if scheme not in LINK_SCHEMES:
        return ""
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # a malformed IPv6 host and the like
        return ""
    if scheme in ("http", "https"):
        if not cleaned[len(scheme) + 1 :].startswith("//") or not parts.hostname:
            return ""
    elif not parts.path.strip("/"):
        return ""  # "mailto:" with no address
    return cleaned


def safe_links(text: RichText) -> RichText:
    """``text`` with every link whose target :func:`safe_url` refuses replaced by its own
    text (plain, no link), and every kept link pointing at the cleaned target."""
    out: list[Node] = []
    for node in text:
        out.extend(_node(node))
    return tuple(out)


def _node(node: Node) -> list[Node]:
    if isinstance(node, Link):
        children = safe_links(node.children)
        url = safe_url(node.url)
        return [Link(url, children)] if url else list(children)
    if isinstance(node, Emph):
        return [Emph(safe_links(node.children))]
    if isinstance(node, Strong):
        return [Strong(safe_links(node.children))]
    if isinstance(node, Sup):
        return [Sup(safe_links(node.children))]
    if isinstance(node, Cite):
        return [Cite(node.keys, safe_links(node.children))]
    return [node]
