"""Citation metrics, link labels and the HTML's screen-reader labels in the CV's language:
each language's plural forms, its digit grouping, CLDR's long date; English unchanged."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from cvbuild.bib import load_publications
from cvbuild.bib.model import Publication
from cvbuild.build import BuildOptions, build
from cvbuild.format.metrics import cited_text, summary_text
from cvbuild.format.publication import format_publication
from cvbuild.i18n.numbers import format_count
from cvbuild.i18n.phrases import Phrases
from cvbuild.metrics.store import parse_metrics

from .helpers import LINKS_BIB, METRICS


@pytest.mark.parametrize(
    ("locale", "one", "two", "five", "twenty_two"),
    [
        ("pl", "cytowano 1 raz", "cytowano 2 razy", "cytowano 5 razy", "cytowano 22 razy"),
        ("ru", "процитировано 1 раз", "процитировано 2 раза", "процитировано 5 раз",
         "процитировано 22 раза"),
        ("uk", "процитовано 1 раз", "процитовано 2 рази", "процитовано 5 разів",
         "процитовано 22 рази"),
        ("cs", "citováno 1krát", "citováno 2krát", "citováno 5krát", "citováno 22krát"),
        ("ro", "citat o dată", "citat de 2 ori", "citat de 5 ori", "citat de 22 de ori"),
        ("de", "einmal zitiert", "2-mal zitiert", "5-mal zitiert", "22-mal zitiert"),
        ("fr", "cité 1 fois", "cité 2 fois", "cité 5 fois", "cité 22 fois"),
        ("ja", "被引用 1 回", "被引用 2 回", "被引用 5 回", "被引用 22 回"),
        ("en", "cited once", "cited 2 times", "cited 5 times", "cited 22 times"),
    ],
)  # fmt: skip
def test_cited_follows_each_languages_plural_forms(
    locale: str, one: str, two: str, five: str, twenty_two: str
) -> None:
    words = Phrases(locale)
    assert [words.counted("cited", n) for n in (1, 2, 5, 22)] == [one, two, five, twenty_two]


def test_russian_and_ukrainian_21_is_singular_and_japanese_has_one_form() -> None:
    assert Phrases("ru").counted("cited", 21) == "процитировано 21 раз"
    assert Phrases("uk").counted("cited", 111) == "процитовано 111 разів"
    assert Phrases("pl").counted("cited", 12) == "cytowano 12 razy"
    from cvbuild.i18n.phrases import load_catalog

    assert len(load_catalog("ja").forms["cited"]) == 1
    assert len(load_catalog("pl").forms["cited"]) == 3


@pytest.mark.parametrize(
    ("locale", "shown"),
    [
        ("en", "1,234,567"),
        ("de", "1.234.567"),
        ("fr", "1\u00a0234\u00a0567"),
        ("ru", "1\u00a0234\u00a0567"),
        ("ja", "1,234,567"),
        ("zh-CN", "1,234,567"),
    ],
)
def test_counts_are_grouped_as_the_language_groups_them(locale: str, shown: str) -> None:
    assert format_count(1234567, locale) == shown
    assert format_count(7, locale) == "7"
    assert "\u202f" not in format_count(1234567, locale)  # no font lacks the no-break space


def test_a_count_inside_the_phrase_is_grouped() -> None:
    assert Phrases("de").counted("cited", 1234) == "1.234-mal zitiert"
    assert Phrases("fr").counted("cited", 1234) == "cité 1\u00a0234 fois"
    assert Phrases("en").counted("cited", 1234) == "cited 1,234 times"


def _bib(tmp_path: Path) -> dict[str, Publication]:
    path = tmp_path / "links.bib"
    path.write_text(LINKS_BIB, encoding="utf-8")
    pubs, problems = load_publications([path])
    assert not problems
    return {p.key: p for p in pubs}


@pytest.mark.parametrize(
    ("locale", "summary"),
    [
        ("en", "Citations: 1,257; h-index 2; i10-index 2 (OpenAlex, as of 2026-05-28)"),
        ("de", "Zitationen: 1.257; h-Index 2; i10-Index 2 (OpenAlex, Stand: 28. Mai 2026)"),
        ("fr", "Citations\u00a0: 1\u00a0257\u00a0; indice h 2\u00a0; indice i10 2 "
               "(OpenAlex, au 28 mai 2026)"),
        ("ja", "被引用数：1,257、h 指数：2、i10 指数：2（OpenAlex、2026年5月28日現在）"),
        ("pl", "Cytowania: 1\u00a0257; indeks h 2; indeks i10 2 (OpenAlex, stan na 28 maja 2026)"),
    ],
)  # fmt: skip
def test_the_summary_line_in_each_language(tmp_path: Path, locale: str, summary: str) -> None:
    metrics = parse_metrics(json.dumps(METRICS))
    assert summary_text(metrics, "openalex", Phrases(locale)) == summary
    talk = _bib(tmp_path)["marchetti2023talk"]
    assert cited_text(talk, metrics, "openalex", Phrases(locale)) == Phrases(locale).counted(
        "cited", 1234
    )


def test_a_date_that_is_not_iso_is_kept_as_written() -> None:
    data = {
        "version": 1,
        "sources": {"openalex": {"fetched": "spring 2026"}},
        "works": {"doi:10.1/x": {"ids": ["doi:10.1/x"], "counts": {"openalex": 3}}},
    }
    metrics = parse_metrics(json.dumps(data))
    assert metrics.as_of("openalex") == "spring 2026"
    shown = summary_text(metrics, "openalex", Phrases("de"))
    assert shown == "Zitationen: 3; h-Index 1; i10-Index 0 (OpenAlex, Stand: spring 2026)"


def test_link_labels_in_the_cvs_language_and_names_as_they_are(tmp_path: Path) -> None:
    talk = _bib(tmp_path)["marchetti2023talk"]
    english = [label for label, _ in format_publication(talk, None).links]
    assert english == ["DOI", "PDF", "Code", "Website", "Video", "Poster", "Slides"]
    german = [label for label, _ in format_publication(talk, None, phrases=Phrases("de")).links]
    assert german == ["DOI", "PDF", "Code", "Webseite", "Video", "Poster", "Folien"]
    japanese = format_publication(talk, None, phrases=Phrases("ja")).links
    assert [label for label, _ in japanese] == [
        "DOI",
        "PDF",
        "コード",
        "ウェブサイト",
        "動画",
        "ポスター",
        "スライド",
    ]
    assert [url for _, url in japanese] == [url for _, url in format_publication(talk, None).links]
    mine = Phrases("de", (("link_slides", "Vortragsfolien"),))
    assert format_publication(talk, None, phrases=mine).links[-1][0] == "Vortragsfolien"


def test_a_german_build_shows_metrics_links_and_screen_reader_labels_in_german(
    tmp_path: Path,
) -> None:
    (tmp_path / "links.bib").write_text(LINKS_BIB, encoding="utf-8")
    (tmp_path / "fetched.metrics.json").write_text(json.dumps(METRICS), encoding="utf-8")
    config = tmp_path / "cv.yaml"
    config.write_text(
        "person: {name: Léa Marchetti, email: lea@example.org}\n"
        "sections:\n  - title: Vorträge\n    publications: {bib: links.bib}\n"
        "variants:\n  cv: {metrics: {per_paper: true, summary: true, source: openalex}}\n"
        "output: {dir: out, formats: [md, html, docx], locale: de}\n"
        "refresh: {into: fetched.bib, sources: [{openalex: A5000000001}]}\n",
        encoding="utf-8",
    )
    build(config, BuildOptions(date="Mai 2026"))
    out = {p.suffix: p for p in (tmp_path / "out" / "cv").iterdir()}
    md = out[".md"].read_text(encoding="utf-8")
    html = out[".html"].read_text(encoding="utf-8")
    from docx import Document

    docx = "\n".join(p.text for p in Document(io.BytesIO(out[".docx"].read_bytes())).paragraphs)
    summary = "Zitationen: 1.257; h-Index 2; i10-Index 2 (OpenAlex, Stand: 28. Mai 2026)"
    for text in (md, html, docx):
        assert "1.234-mal zitiert" in text and summary in text
        assert "Folien" in text and "Webseite" in text
        assert not re.search(r"\b(cited|times|Slides|Website|h-index|as of)\b", text)
    assert 'aria-label="Kontakt"' in html and "Contact" not in html


def test_english_html_keeps_its_screen_reader_labels(tmp_path: Path) -> None:
    config = tmp_path / "cv.yaml"
    config.write_text(
        "person: {name: Ada Lovelace, email: ada@example.org}\n"
        "sections:\n  - title: About\n    text: Hello.\n"
        "output: {dir: out, formats: [html]}\n",
        encoding="utf-8",
    )
    build(config, BuildOptions())
    html = next((tmp_path / "out").rglob("*.html")).read_text(encoding="utf-8")
    assert 'aria-label="Contact"' in html
