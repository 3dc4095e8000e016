"""Regenerate cvbuild's DOCX reference documents in ``styles/`` from pandoc's default one.

    python scripts/make_reference_docx.py            # all themes and paper sizes
    python scripts/make_reference_docx.py --check    # fail if a committed file is stale

Starts from ``pandoc --print-default-data-file reference.docx`` (the pandoc cvbuild runs)
and rewrites its styles: fonts present on Windows and macOS with metric-compatible
LibreOffice fallbacks, compact spacing, real Heading styles, right-aligned date tab stops,
hanging indents for publications; the page size and margins of the one section; and a
running footer, as the PDF has: the owner's name (a placeholder that
``cvbuild.compile.pandoc`` fills in) and "Page x of y" from Word's PAGE and NUMPAGES fields.
The outputs are reproducible byte for byte. Needs lxml (a dependency of python-docx).
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cvbuild.compile.pandoc import FOOTER_NAME, find_pandoc, rezip  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WNS = f'xmlns:w="{W}"'
EPOCH = 315532800  # 1980-01-01: fixed, so the committed files never change by themselves


@dataclass(frozen=True)
class Paper:
    name: str
    width: int  # twips (1/1440 inch)
    height: int
    margin_x: int
    margin_top: int
    margin_bottom: int

    @property
    def text_width(self) -> int:
        return self.width - 2 * self.margin_x


PAPERS = {
    "a4": Paper("a4", 11906, 16838, 1077, 964, 964),  # 1.9 cm sides, 1.7 cm top/bottom
    "letter": Paper("letter", 12240, 15840, 1080, 1008, 1008),  # 0.75 in, 0.7 in
}


@dataclass(frozen=True)
class Theme:
    """Fonts are ones Windows and macOS both ship; LibreOffice substitutes by family."""

    name: str
    body_font: str = "Georgia"
    heading_font: str = "Georgia"
    size: int = 19  # half-points: 9.5 pt
    accent: str = "1F3A5F"  # headings and rules
    muted: str = "595959"  # details, contacts


THEMES = {
    "academic": Theme("academic"),
    # As cvbuild-compact.sty: sans-serif headings in a dark red, a denser body.
    "compact": Theme("compact", heading_font="Arial", size=18, accent="7A1F1F"),
}

# Georgia, Windows and macOS; LibreOffice maps it to Gelasio (metric-compatible) or a serif.
FONT_TABLE_ENTRY = """<w:font {ns} w:name="Georgia"><w:altName w:val="Gelasio"/>
<w:panose1 w:val="02040502050405020303"/><w:charset w:val="00"/><w:family w:val="roman"/>
<w:pitch w:val="variable"/></w:font>"""


def _rpr(
    theme: Theme,
    *,
    size: int | None = None,
    bold: bool = False,
    italic: bool = False,
    color: str = "",
    caps: bool = False,
    font: str = "",
    spacing: int = 0,
) -> str:
    parts = []
    if font:
        parts.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if caps:
        parts.append("<w:smallCaps/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if spacing:
        parts.append(f'<w:spacing w:val="{spacing}"/>')
    if size:
        parts.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def _para_style(
    style_id: str,
    name: str,
    *,
    based_on: str = "Normal",
    next_: str = "",
    ppr: str = "",
    rpr: str = "",
    custom: bool = True,
    extra: str = "",
) -> str:
    custom_attr = ' w:customStyle="1"' if custom else ""
    nxt = f'<w:next w:val="{next_}"/>' if next_ else ""
    return (
        f'<w:style {WNS} w:type="paragraph"{custom_attr} w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/>{nxt}{extra}<w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr>{rpr}</w:style>"
    )


def _char_style(style_id: str, name: str, rpr: str) -> str:
    return (
        f'<w:style {WNS} w:type="character" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="DefaultParagraphFont"/>{rpr}</w:style>'
    )


def styles_for(theme: Theme, paper: Paper) -> list[str]:
    right = paper.text_width
    hang = 284  # 0.5 cm
    num = 510  # room for "[123]"
    s = theme.size
    return [
        _para_style(
            "Normal",
            "Normal",
            based_on="",
            custom=False,
            ppr='<w:spacing w:before="0" w:after="0" w:line="252" w:lineRule="auto"/>',
        ),
        _para_style(
            "BodyText", "Body Text", custom=False, ppr='<w:spacing w:before="0" w:after="80"/>'
        ),
        _para_style("FirstParagraph", "First Paragraph", based_on="BodyText", next_="BodyText"),
        _para_style(
            "Compact", "Compact", based_on="BodyText", ppr='<w:spacing w:before="0" w:after="20"/>'
        ),
        _para_style(
            "Title",
            "Title",
            custom=False,
            next_="BodyText",
            ppr='<w:spacing w:before="0" w:after="40"/><w:jc w:val="center"/>',
            rpr=_rpr(theme, size=44, color=theme.accent, font=theme.heading_font, spacing=10),
        ),
        _para_style(
            "Subtitle",
            "Subtitle",
            custom=False,
            next_="BodyText",
            ppr='<w:spacing w:before="0" w:after="60"/><w:jc w:val="center"/>',
            rpr=_rpr(theme, size=s + 3, italic=True, color=theme.muted),
        ),
        _para_style(
            "Contact",
            "Contact",
            ppr='<w:spacing w:before="0" w:after="120"/><w:jc w:val="center"/>',
            rpr=_rpr(theme, size=s - 1, color=theme.muted),
        ),
        _para_style(
            "Heading1",
            "heading 1",
            custom=False,
            next_="BodyText",
            ppr=(
                '<w:keepNext/><w:keepLines/><w:pBdr><w:bottom w:val="single" w:sz="6" '
                f'w:space="1" w:color="{theme.accent}"/></w:pBdr>'
                '<w:spacing w:before="220" w:after="80"/><w:outlineLvl w:val="0"/>'
            ),
            rpr=_rpr(
                theme,
                size=s + 5,
                bold=True,
                caps=True,
                color=theme.accent,
                font=theme.heading_font,
                spacing=6,
            ),
        ),
        _para_style(
            "Heading2",
            "heading 2",
            custom=False,
            next_="BodyText",
            ppr=(
                '<w:keepNext/><w:keepLines/><w:spacing w:before="100" w:after="40"/>'
                '<w:outlineLvl w:val="1"/>'
            ),
            rpr=_rpr(theme, size=s + 1, bold=True, color=theme.accent, font=theme.heading_font),
        ),
        _para_style(
            "Heading3",
            "heading 3",
            custom=False,
            next_="BodyText",
            ppr=(
                '<w:keepNext/><w:keepLines/><w:spacing w:before="80" w:after="20"/>'
                '<w:outlineLvl w:val="2"/>'
            ),
            rpr=_rpr(theme, size=s, bold=True, italic=True, color=theme.accent),
        ),
        _para_style(
            "EntryHeading",
            "Entry Heading",
            next_="EntryDetail",
            ppr=(
                f'<w:keepNext/><w:keepLines/><w:tabs><w:tab w:val="right" w:pos="{right}"/>'
                '</w:tabs><w:spacing w:before="100" w:after="0"/>'
            ),
            rpr=_rpr(theme, size=s + 1),
        ),
        _para_style(
            "EntryDetail",
            "Entry Detail",
            next_="EntryBody",
            ppr='<w:keepNext/><w:spacing w:before="0" w:after="20"/>',
            rpr=_rpr(theme, color=theme.muted),
        ),
        _para_style("EntryBody", "Entry Body", ppr='<w:spacing w:before="0" w:after="20"/>'),
        _para_style(
            "Publication",
            "Publication",
            ppr=(
                f'<w:keepLines/><w:spacing w:before="0" w:after="70"/>'
                f'<w:ind w:left="{hang}" w:hanging="{hang}"/>'
            ),
        ),
        _para_style(
            "PublicationNumbered",
            "Publication Numbered",
            ppr=(
                f'<w:keepLines/><w:tabs><w:tab w:val="left" w:pos="{num}"/></w:tabs>'
                f'<w:spacing w:before="0" w:after="70"/><w:ind w:left="{num}" '
                f'w:hanging="{num}"/>'
            ),
        ),
        _para_style(
            "Item",
            "Item",
            ppr=(
                f'<w:spacing w:before="0" w:after="40"/><w:ind w:left="{hang}" w:hanging="{hang}"/>'
            ),
        ),
        _para_style(
            "Updated",
            "Updated",
            ppr='<w:spacing w:before="240" w:after="0"/><w:jc w:val="right"/>',
            rpr=_rpr(theme, size=s - 3, italic=True, color=theme.muted),
        ),
        _para_style(
            "FootnoteText",
            "footnote text",
            custom=False,
            ppr='<w:spacing w:before="0" w:after="0"/>',
            rpr=_rpr(theme, size=s - 3),
        ),
        _char_style(
            "FootnoteReference",
            "footnote reference",
            '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>',
        ),
        _char_style("Hyperlink", "Hyperlink", f'<w:rPr><w:color w:val="{theme.accent}"/></w:rPr>'),
    ]


def _styles_xml(data: bytes, theme: Theme, paper: Paper) -> bytes:
    root = etree.fromstring(data)
    w = f"{{{W}}}"
    # Explicit fonts everywhere: theme font attributes would override them.
    for el in root.iter(f"{w}rFonts"):
        for attr in ("asciiTheme", "hAnsiTheme", "cstheme"):
            el.attrib.pop(f"{w}{attr}", None)
    for el in root.iter(f"{w}color"):
        for attr in ("themeColor", "themeShade", "themeTint"):
            el.attrib.pop(f"{w}{attr}", None)
    rpr = root.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr")
    fonts = rpr.find(f"{w}rFonts")
    for attr in ("ascii", "hAnsi", "cs"):
        fonts.set(f"{w}{attr}", theme.body_font)
    for tag in ("sz", "szCs"):
        rpr.find(f"{w}{tag}").set(f"{w}val", str(theme.size))
    ppr = root.find(f"{w}docDefaults/{w}pPrDefault/{w}pPr")
    ppr.find(f"{w}spacing").set(f"{w}after", "0")
    for snippet in styles_for(theme, paper):
        new = etree.fromstring(snippet)
        based = new.find(f"{w}basedOn")
        if based is not None and not based.get(f"{w}val"):
            new.remove(based)
        style_id = new.get(f"{w}styleId")
        old = root.find(f"{w}style[@{w}styleId='{style_id}']")
        if old is not None:
            # Keep Word's link to the "… Char" style and its UI priority, in schema order
            # (name, basedOn, next, link, uiPriority, qFormat, ...).
            anchor = new.find(f"{w}qFormat")
            for keep in ("link", "uiPriority"):
                el = old.find(f"{w}{keep}")
                if el is not None:
                    anchor.addprevious(el)
            old.addprevious(new)
            root.remove(old)
        else:
            root.append(new)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _font_table(data: bytes) -> bytes:
    root = etree.fromstring(data)
    root.insert(0, etree.fromstring(FONT_TABLE_ENTRY.format(ns=WNS)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FOOTER_REL = f"{R}/footer"
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
FOOTER_ID = "rIdCvbFooter"


def _field(instruction: str, shown: str, rpr: str) -> str:
    """A simple field: Word (and LibreOffice) compute it; ``shown`` until they do."""
    return (
        f'<w:fldSimple w:instr=" {instruction} \\* MERGEFORMAT "><w:r>{rpr}<w:t>{shown}</w:t>'
        "</w:r></w:fldSimple>"
    )


def footer_xml(theme: Theme, paper: Paper) -> bytes:
    """Name on the left, "Page x of y" at a right tab stop, small and muted."""
    rpr = _rpr(theme, size=theme.size - 3, color=theme.muted)
    run = f'<w:r>{rpr}<w:t xml:space="preserve">{{}}</w:t></w:r>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:ftr {WNS} xmlns:r="{R}"><w:p><w:pPr>'
        f'<w:tabs><w:tab w:val="right" w:pos="{paper.text_width}"/></w:tabs>'
        f'<w:spacing w:before="0" w:after="0"/></w:pPr>'
        + run.format(FOOTER_NAME)
        + f"<w:r>{rpr}<w:tab/></w:r>"
        + run.format("Page ")
        + _field("PAGE", "1", rpr)
        + run.format(" of ")
        + _field("NUMPAGES", "1", rpr)
        + "</w:p></w:ftr>"
    ).encode("utf-8")


def _add_footer(files: dict[str, bytes], theme: Theme, paper: Paper) -> None:
    files["word/footer1.xml"] = footer_xml(theme, paper)
    rels = etree.fromstring(files["word/_rels/document.xml.rels"])
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    rel = etree.SubElement(rels, f"{{{pkg}}}Relationship")
    rel.set("Id", FOOTER_ID)
    rel.set("Type", FOOTER_REL)
    rel.set("Target", "footer1.xml")
    files["word/_rels/document.xml.rels"] = etree.tostring(
        rels, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    types = etree.fromstring(files["[Content_Types].xml"])
    ct = "http://schemas.openxmlformats.org/package/2006/content-types"
    override = etree.SubElement(types, f"{{{ct}}}Override")
    override.set("PartName", "/word/footer1.xml")
    override.set("ContentType", FOOTER_TYPE)
    files["[Content_Types].xml"] = etree.tostring(
        types, xml_declaration=True, encoding="UTF-8", standalone=True
    )


def _document_xml(data: bytes, paper: Paper) -> bytes:
    """pandoc reads only the section properties from the reference body: set the page."""
    root = etree.fromstring(data)
    w = f"{{{W}}}"
    body = root.find(f"{w}body")
    for child in list(body):
        body.remove(child)
    body.append(etree.fromstring(f"<w:p {WNS}/>"))
    body.append(
        etree.fromstring(
            f'<w:sectPr {WNS} xmlns:r="{R}">'
            f'<w:footerReference w:type="default" r:id="{FOOTER_ID}"/>'
            '<w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>'
            f'<w:pgSz w:w="{paper.width}" w:h="{paper.height}"/>'
            f'<w:pgMar w:top="{paper.margin_top}" w:right="{paper.margin_x}" '
            f'w:bottom="{paper.margin_bottom}" w:left="{paper.margin_x}" w:header="567" '
            f'w:footer="567" w:gutter="0"/></w:sectPr>'
        )
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def default_reference() -> bytes:
    executable, _ = find_pandoc()
    done = subprocess.run(
        [executable, "--print-default-data-file", "reference.docx"],
        capture_output=True,
        check=True,
    )
    return done.stdout


def reference_docx(default: bytes, theme: Theme, paper: Paper) -> bytes:
    with zipfile.ZipFile(io.BytesIO(default)) as source:
        files = {i.filename: source.read(i) for i in source.infolist()}
    files["word/styles.xml"] = _styles_xml(files["word/styles.xml"], theme, paper)
    files["word/fontTable.xml"] = _font_table(files["word/fontTable.xml"])
    files["word/document.xml"] = _document_xml(files["word/document.xml"], paper)
    _add_footer(files, theme, paper)
    return rezip(files, EPOCH)


def output_name(theme: str, paper: str) -> str:
    """``reference.docx`` / ``reference-letter.docx`` for the default theme."""
    stem = "reference" if theme == "academic" else f"reference-{theme}"
    return f"{stem}.docx" if paper == "a4" else f"{stem}-{paper}.docx"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "styles")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    default = default_reference()
    stale = []
    for theme in THEMES.values():
        for paper in PAPERS.values():
            data = reference_docx(default, theme, paper)
            target = args.out / output_name(theme.name, paper.name)
            if args.check:
                if not target.is_file() or target.read_bytes() != data:
                    stale.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            print(f"wrote {target}")
    for target in stale:
        print(f"stale: {target}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
