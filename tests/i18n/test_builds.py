"""The example CV built in de, fr, zh-CN and ja, with citation metrics and every link label
shown: no English fixed phrase left in any format, the language declared in each, CJK set
without missing glyphs."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from cvbuild.i18n.phrases import PHRASES, Phrases, load_catalog

from .helpers import build_example, example_config, run_cvbuild
from .test_style_words import STYLE_BIB, english_style_words

pytestmark = [pytest.mark.tex, pytest.mark.slow]
LOCALES = ["de", "fr", "zh-CN", "ja"]
needs_tex = pytest.mark.skipif(shutil.which("xelatex") is None, reason="no xelatex")


# English the example's own .bib writes (a venue "Submitted to ...", a journal field
# "arXiv preprint arXiv:..."): the user's words, which cvbuild does not translate
USER_TEXT = re.compile(r"Submitted\s+to|arXiv preprint arXiv(?:\\)?:")


# Phrases only the al-folio export writes ("Education", "Skills"): in a CV those words are
# the user's own section titles (tests/test_alfolio.py checks the export's words)
ALFOLIO_ONLY = {p.key for p in PHRASES if p.key.startswith("al_")} | {"degree_in"}
# the HTML's screen-reader labels ("Contact", "Notes") are common words of user text too:
# checked as the attributes they are (test_no_english_fixed_phrase_in_any_format)
ALFOLIO_ONLY |= {p.key for p in PHRASES if p.key.startswith("html_")}
NUMBER = r"\d[\d,.\u00a0\u202f ]*"


def english_left(text: str, locale: str) -> list[str]:
    """English phrases (whose translation differs) that appear in ``text``."""
    text = USER_TEXT.sub(" ", text)
    catalog = load_catalog(locale)
    found = []
    for phrase in PHRASES:
        if phrase.key in ALFOLIO_ONLY:
            continue
        for english in {phrase.english, phrase.plural} - {""}:
            if english in catalog.forms[phrase.key]:
                continue  # the language writes it the same ("et al.", "pp.")
            words = re.escape(english).replace(r"\{n\}", NUMBER)
            words = re.sub(r"\\\{(page|total|pages|h|i10)\\\}", r"\\S+", words)
            # {venue} stays as written: "in {venue}" is the style words' test's to check
            words = re.sub(r"\\\{(source|date)\\\}", lambda _: r".+?", words)
            if re.search(rf"(?<![\w-]){words}(?![\w-])", text):
                found.append(english)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for locale in LOCALES:
        folder = tmp_path_factory.mktemp(locale.replace("-", "_"))
        out[locale] = build_example(
            folder, locale, "pdf", "docx", "md", "tex", "html", metrics_and_links=True
        )
    return out


@needs_tex
@pytest.mark.parametrize("locale", LOCALES)
def test_no_english_fixed_phrase_in_any_format(built: dict[str, Path], locale: str) -> None:
    folder = built[locale]
    md = (folder / "Marchetti_Lea_CV.md").read_text(encoding="utf-8")
    tex = (folder / "Marchetti_Lea_CV.tex").read_text(encoding="utf-8")
    html = (folder / "Marchetti_Lea_CV.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(folder / "Marchetti_Lea_CV.docx") as docx:
        xml = " ".join(
            docx.read(n).decode("utf-8") for n in docx.namelist() if n.startswith("word/")
        )
    docx_text = " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    import pdfplumber

    with pdfplumber.open(folder / "Marchetti_Lea_CV.pdf") as pdf:
        pdf_text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    tex_body = "\n".join(line for line in tex.splitlines() if not line.startswith("%"))
    for name, text in [("md", md), ("tex", tex_body), ("html", html), ("docx", docx_text)]:
        assert english_left(text, locale) == [], f"{locale} {name}"
    assert english_left(pdf_text, locale) == [], f"{locale} pdf"
    # the catalog's words are there instead
    catalog = load_catalog(locale)
    assert catalog.forms["present"][0] in md
    assert catalog.forms["submitted"][0] in md
    words = Phrases(locale)
    shown = {
        "cited 22": words.counted("cited", 22),
        "cited 1,234": words.counted("cited", 1234),
        "slides": words("link_slides"),
        "website": words("link_website"),
        "summary": words("metrics_summary", n=words.number(1257), h="2", i10="2", source=""),
    }
    shown["summary"] = shown["summary"].split("(")[0].split("\uff08")[0].strip()
    for name, text in [("md", md), ("html", html), ("docx", docx_text), ("pdf", pdf_text)]:
        squeezed = "".join(text.replace("&#160;", " ").split())  # pdfplumber drops spaces
        for what, words_shown in shown.items():
            assert "".join(words_shown.split()) in squeezed, (locale, name, what)
    for key in ("html_contact", "html_notes", "html_back"):
        assert f'aria-label="{words(key)}"' in html, (locale, key)
    same = {
        form for key, forms in catalog.forms.items() if key.startswith("html_") for form in forms
    }
    for english in {"Contact", "Notes", "Back to the first mark"} - same:
        assert f'aria-label="{english}"' not in html, (locale, english)
    for english in ("cited", "times", "h-index", "as of", "Slides", "Citations:"):
        for name, text in [("md", md), ("html", html), ("docx", docx_text), ("pdf", pdf_text)]:
            assert not re.search(rf"(?<![\w-]){re.escape(english)}(?![\w-])", text), (
                locale,
                name,
                english,
            )


@needs_tex
@pytest.mark.parametrize("locale", LOCALES)
def test_language_is_declared_everywhere(built: dict[str, Path], locale: str) -> None:
    folder = built[locale]
    md = (folder / "Marchetti_Lea_CV.md").read_text(encoding="utf-8")
    assert md.startswith(f"---\nlang: {locale}\n")
    html = (folder / "Marchetti_Lea_CV.html").read_text(encoding="utf-8")
    assert f'<html lang="{locale}">' in html
    with zipfile.ZipFile(folder / "Marchetti_Lea_CV.docx") as docx:
        styles = docx.read("word/styles.xml").decode("utf-8")
        body = docx.read("word/document.xml").decode("utf-8")
    assert re.search(rf'<w:lang\b[^>]*w:val="{locale}"', styles)
    runs = body.count("<w:r>")
    assert runs and body.count(f'<w:lang w:val="{locale}"') == runs
    import pdfplumber

    with pdfplumber.open(folder / "Marchetti_Lea_CV.pdf") as pdf:
        assert pdf.doc.catalog["Lang"] == locale.encode()


@needs_tex
@pytest.mark.parametrize("locale", ["zh-CN", "ja"])
def test_cjk_is_set_by_xecjk_in_noto(built: dict[str, Path], locale: str) -> None:
    folder = built[locale]
    tex = (folder / "Marchetti_Lea_CV.tex").read_text(encoding="utf-8")
    assert r"\usepackage{xeCJK}" in tex and "Noto Serif CJK" in tex
    # CJK goes to xeCJK, not to per-character fallbacks (the € sign still may)
    assert not re.search(r"\\cvbchar\{[\u3000-\u9fff\uff00-\uffef]\}", tex)
    import pdfplumber

    with pdfplumber.open(folder / "Marchetti_Lea_CV.pdf") as pdf:
        page = pdf.pages[0]
        fonts = {c["fontname"] for c in page.chars if ord(c["text"][0]) >= 0x3000}
        text = page.extract_text() or ""
        apostrophes = {c["fontname"] for c in page.chars if c["text"] == "\u2019"}
    assert fonts and all("NotoSerifCJK" in f for f in fonts), fonts
    # the apostrophe of "d’Écologie" is the Latin font's, not a full-width CJK mark
    assert apostrophes and not any("CJK" in f for f in apostrophes), apostrophes
    assert load_catalog(locale).forms["present"][0] in text


@needs_tex
def test_page_one_renders(built: dict[str, Path], tmp_path: Path) -> None:
    """Page 1 of each PDF as PNG (what the report looked at)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("no pdftoppm")
    import subprocess

    for locale, folder in built.items():
        stem = tmp_path / locale
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-f",
                "1",
                "-l",
                "1",
                str(folder / "Marchetti_Lea_CV.pdf"),
                str(stem),
            ],
            check=True,
            timeout=60,
        )
        png = next(tmp_path.glob(f"{locale}*.png"))
        assert png.stat().st_size > 20_000


def test_english_left_can_fail() -> None:
    text = "Sep 2020 – present · Page 1 of 2 · and 3 more authors · Submitted to Nature"
    assert set(english_left(text, "de")) == {
        "present",
        "and {n} more authors",
        "Page {page} of {total}",
    }
    assert english_left("Sept. 2020 – heute, und 3 weitere Autoren", "de") == []
    metrics = (
        "Best paper; cited 1,234 times · [Slides](https://x.org) · Citations: 1,257; h-index 2;"
        " i10-index 2 (OpenAlex, as of 2026-05-28) · cited once"
    )
    assert set(english_left(metrics, "de")) == {
        "cited once",
        "cited {n} times",
        "Slides",
        "Citations: {n}; h-index {h}; i10-index {i10} ({source})",
        "{source}, as of {date}",
    }
    german = "1.234-mal zitiert · [Folien](https://x.org) · [Code](https://x.org)"
    assert english_left(german, "de") == []  # "Code" is German too
    assert english_left("[Code](https://x.org)", "ja") == ["Code"]


# One publications section per style, all reading the bib that exercises the style words.
STYLES_CV = """person:
  name: Léa Marchetti
sections:
""" + "".join(
    f"  - title: {name}\n    publications: {{bib: style.bib, style: {name}}}\n"
    for name in ("default", "apa", "ieee", "chicago", "vancouver", "nature")
)


def _texts(folder: Path) -> dict[str, str]:
    """What a reader sees in each format of the variant in ``folder``."""
    stem = folder / "Marchetti_Lea_CV"
    tex = stem.with_suffix(".tex").read_text(encoding="utf-8")
    with zipfile.ZipFile(stem.with_suffix(".docx")) as docx:
        xml = " ".join(
            docx.read(n).decode("utf-8") for n in docx.namelist() if n.startswith("word/")
        )
    import pdfplumber

    with pdfplumber.open(stem.with_suffix(".pdf")) as pdf:
        pdf_text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    return {
        "md": stem.with_suffix(".md").read_text(encoding="utf-8"),
        "tex": "\n".join(line for line in tex.splitlines() if not line.startswith("%")),
        "html": stem.with_suffix(".html").read_text(encoding="utf-8"),
        "docx": " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)),
        "pdf": pdf_text,
    }


@pytest.fixture(scope="module")
def built_styles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for locale in LOCALES:
        folder = tmp_path_factory.mktemp("styles_" + locale.replace("-", "_"))
        (folder / "style.bib").write_text(STYLE_BIB, encoding="utf-8")
        config = folder / "cv.yaml"
        config.write_text(STYLES_CV + f"output:\n  dir: out\n  locale: {locale}\n", "utf-8")
        args = ["build", str(config), "--force"]
        for fmt in ("pdf", "docx", "md", "tex", "html"):
            args += ["--format", fmt]
        done = run_cvbuild(*args, cwd=folder)
        assert done.returncode == 0, done.stderr
        out[locale] = folder / "out" / "cv"
    return out


@needs_tex
@pytest.mark.parametrize("locale", LOCALES)
def test_no_english_style_word_in_any_format(built_styles: dict[str, Path], locale: str) -> None:
    """In, vol., no., pp., p., ed./eds. in every style, in the CV's language in every format."""
    texts = _texts(built_styles[locale])
    for name, text in texts.items():
        assert english_style_words(text, locale) == [], f"{locale} {name}"
        assert english_left(text, locale) == [], f"{locale} {name}"
    volume = load_catalog(locale).forms["volume"][0].replace("{n}", "9972")
    assert volume in texts["md"] and volume in texts["html"]


@pytest.mark.parametrize(("locale", "shown"), [("de", "1. Dezember 2026"), ("ja", "2026年12月1日")])
def test_the_date_given_on_the_command_line_is_worded_in_the_cv_language(
    tmp_path: Path, locale: str, shown: str
) -> None:
    config = example_config(tmp_path, locale)
    for given in ("2026-12-01", "1 December 2026"):
        done = run_cvbuild(
            "build", str(config), "--variant", "cv", "--format", "md", "--force",
            "--date", given, cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        md = (tmp_path / "out" / "cv" / "Marchetti_Lea_CV.md").read_text(encoding="utf-8")
        assert shown in md and "December" not in md, (given, md[-300:])
