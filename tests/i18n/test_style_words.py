"""The words the publication styles write ("In", "vol.", "no.", "pp.", "p.", "ed."/"eds.")
come from the CV's language, in every style, and ``output.labels`` rewords them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cvbuild.bib import load_publications
from cvbuild.bib.model import Publication
from cvbuild.config.choices import LOCALES
from cvbuild.format.publication import format_publication
from cvbuild.format.styles import STYLE_NAMES, get_style
from cvbuild.i18n.phrases import BY_KEY, Phrases, load_catalog
from cvbuild.richtext import plain

# An inproceedings with series, volume, number and pages; a chapter in an edited book; an
# edited book in a series; a one-page paper (every style word some style writes).
STYLE_BIB = r"""@inproceedings{proc,
  author = {Ann Lee and Bo Lin},
  title = {Sparse widgets},
  booktitle = {Proceedings of Widgetry},
  series = {Lecture Notes in Widgets},
  volume = {9972}, number = {41},
  pages = {439--450},
  year = {2021},
}
@incollection{chapter,
  author = {Ann Lee},
  title = {Widgets in the wild},
  booktitle = {Handbook of Widgetry},
  editor = {Cy Ma and Di Xu},
  volume = {3},
  pages = {17--29},
  publisher = {Springer},
  year = {2020},
}
@book{edited,
  editor = {Cy Ma and Di Xu},
  title = {Collected widgets},
  publisher = {Springer},
  series = {Widget Studies}, volume = {7}, number = {2},
  year = {2019},
}
@book{solo,
  editor = {Cy Ma},
  title = {More widgets},
  publisher = {Springer},
  year = {2018},
}
@inproceedings{onepage,
  author = {Bo Lin},
  title = {A short note on widgets},
  booktitle = {Proceedings of Widgetry},
  pages = {12},
  year = {2022},
}
"""
VENUES = ("Proceedings of Widgetry", "Handbook of Widgetry")
STYLE_KEYS = ("in_venue", "in_nlm", "volume", "number", "pages", "page", "editor", "editors")
OTHER_LOCALES = [t for t in LOCALES if t != "en"]


def english_style_words(text: str, locale: str) -> list[str]:
    """English style words (whose translation differs in ``locale``) found in ``text``, with
    or without a capital, around any markup (``\\emph{``, ``<em>``, ``*``, Word runs)."""
    catalog = load_catalog(locale)
    markup = r"(?:\s|\\[a-zA-Z]+\{|<[^>]+>|[*_{])*"
    found = []
    for key in STYLE_KEYS:
        english = BY_KEY[key].english
        if catalog.forms[key][0] == english:
            continue  # the language writes it the same ("vol.", "In:")
        head = re.split(r"\{\w+\}", english)[0].strip()
        word = f"[{head[0].upper()}{head[0].lower()}]{re.escape(head[1:])}"
        gap = markup
        if "{venue}" in english:
            tail = "(?:" + "|".join(re.escape(v) for v in VENUES) + ")"
        elif key in ("editor", "editors"):
            word, gap, tail = r"\(" + re.escape(head), "", r"\)"
        else:
            tail = r"\d"
        if re.search(rf"(?<![\w-]){word}{gap}{tail}", text):
            found.append(english)
    return found


def _pubs(tmp_path: Path) -> list[Publication]:
    path = tmp_path / "style.bib"
    path.write_text(STYLE_BIB, encoding="utf-8")
    pubs, problems = load_publications([path])
    assert not [p for p in problems if not p.is_warning]
    return pubs


def _references(pubs: list[Publication], locale: str, labels=()) -> str:
    phrases = Phrases(locale, tuple(labels))
    return "\n".join(
        plain(format_publication(p, None, style=get_style(s), phrases=phrases).text)
        for s in STYLE_NAMES
        for p in pubs
    )


def test_the_checker_finds_english_style_words(tmp_path: Path) -> None:
    english = _references(_pubs(tmp_path), "en")
    assert set(english_style_words(english, "de")) == {
        "in {venue}",
        "vol. {n}",
        "no. {n}",
        "pp. {pages}",
        "p. {page}",
        "ed.",
        "eds.",
    }


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_no_english_style_word_in_any_style(tmp_path: Path, locale: str) -> None:
    text = _references(_pubs(tmp_path), locale)
    assert english_style_words(text, locale) == [], text
    catalog = load_catalog(locale)
    for key in ("in_venue", "volume", "number", "pages", "editors"):
        word = re.split(r"\{\w+\}", catalog.forms[key][0])
        assert any(w.strip() and w.strip() in text for w in word), (key, catalog.forms[key])


def test_german_words_in_their_places(tmp_path: Path) -> None:
    pubs = {p.key: p for p in _pubs(tmp_path)}
    de = Phrases("de")

    def ref(key: str, style: str) -> str:
        return plain(format_publication(pubs[key], None, style=get_style(style), phrases=de).text)

    assert (
        "In: Proceedings of Widgetry, Lecture Notes in Widgets, Bd. 9972, Nr. 41, S. 439–450"
        in (ref("proc", "default"))
    )
    assert "in: Proceedings of Widgetry" in ref("proc", "ieee")
    assert "Bd. 3" in ref("chapter", "apa") or "S. 17–29" in ref("chapter", "apa")
    assert "Widget Studies, Bd. 7, Nr. 2" in ref("edited", "apa")
    assert "(Hrsg.)" in ref("edited", "default") and "(Hrsg.)" in ref("solo", "default")
    assert "S. 12" in ref("onepage", "default")
    assert "S. 439-450" in ref("proc", "vancouver")


def test_words_around_the_value_and_capitals(tmp_path: Path) -> None:
    pubs = {p.key: p for p in _pubs(tmp_path)}
    ja = plain(format_publication(pubs["proc"], None, phrases=Phrases("ja")).text)
    assert "Proceedings of Widgetry 所収" in ja and "第 9972 巻" in ja and "第 41 号" in ja
    hu = plain(format_publication(pubs["proc"], None, phrases=Phrases("hu")).text)
    assert "9972. köt., 41. sz." in hu
    fr = plain(format_publication(pubs["proc"], None, phrases=Phrases("fr")).text)
    assert "Dans Proceedings of Widgetry" in fr and "n° 41" in fr  # capital at the start
    fr_ieee = plain(
        format_publication(pubs["proc"], None, style=get_style("ieee"), phrases=Phrases("fr")).text
    )
    assert "dans Proceedings of Widgetry" in fr_ieee


def test_output_labels_reword_the_style_words(tmp_path: Path) -> None:
    labels = (("volume", "Band {n}"), ("number", "Heft {n}"), ("in_venue", "erschienen in {venue}"))
    text = _references(_pubs(tmp_path), "de", labels)
    assert "Band 9972" in text and "Heft 41" in text
    assert "Erschienen in Proceedings of Widgetry" in text
    assert "Bd. 9972" not in text
    # a label without the placeholder is put before the value
    bare = _references(_pubs(tmp_path), "en", (("volume", "Volume"),))
    assert "Volume 9972" in bare
