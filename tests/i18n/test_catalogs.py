"""Every shipped catalog is complete, keeps its placeholders and has CLDR's plural forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvbuild.config.choices import LABEL_KEYS, LOCALES
from cvbuild.i18n import locales as loc
from cvbuild.i18n import phrases as ph
from cvbuild.i18n.phrases import PHRASES, Phrases, catalog_path, load_catalog

SHIPPED = [tag for tag in LOCALES]
REQUIRED = ["de", "fr", "es", "it", "pt", "pt-BR", "nl", "pl", "ru", "uk", "tr"]
REQUIRED += ["zh-CN", "zh-TW", "ja", "ko", "vi"]


def test_at_least_24_locales_besides_english_and_the_required_ones() -> None:
    assert len([t for t in LOCALES if t != "en"]) >= 24
    assert set(REQUIRED) <= set(LOCALES)


def test_the_tables_agree() -> None:
    assert list(loc.INFO) == list(LOCALES)
    assert [p.key for p in PHRASES] == list(LABEL_KEYS)


@pytest.mark.parametrize("tag", SHIPPED)
def test_catalog_is_complete(tag: str) -> None:
    assert catalog_path(tag).is_file(), f"no catalog for {tag}"
    catalog = load_catalog(tag)
    assert catalog.missing() == [], f"{tag} misses {catalog.missing()}"


@pytest.mark.parametrize("tag", SHIPPED)
def test_catalog_keeps_placeholders_and_plural_forms(tag: str) -> None:
    from babel.messages.plurals import get_plural

    catalog = load_catalog(tag)
    only_one = _forms_only_for_one(catalog.plural_index)
    for phrase in PHRASES:
        for i, form in enumerate(catalog.forms[phrase.key]):
            for name in phrase.placeholders:
                if name == "n" and phrase.plural and i in only_one:
                    continue  # the form of exactly one may say it in words ("cited once")
                assert "{" + name + "}" in form, (tag, phrase.key, form)
        if phrase.plural:
            assert len(catalog.forms[phrase.key]) == get_plural(loc.info(tag).cldr).num_plurals


def _forms_only_for_one(index: object) -> set[int]:
    """Plural forms a rule gives to n == 1 alone (German's "einmal"), not to 0, 21 or 101."""
    assert callable(index)
    used_by_others = {int(index(n)) for n in range(1000) if n != 1}
    return {int(index(1))} - used_by_others


# Words some languages write as English does, each with the languages that do.
SAME_AS_ENGLISH = {
    "link_code": {"de", "fr", "nl"},
    "link_website": {"nl"},
    "link_video": {"de", "it", "nl", "tr", "cs", "sv", "da", "nb", "fi", "ro", "id", "vi"},
    "link_poster": {"de", "fr", "it", "nl", "tr", "cs", "sv", "da", "nb", "ro", "id"},
    "link_slides": {"pt-BR"},
    "degree_in": {"de", "it", "nl"},  # "Promotion in Biologie"
    "al_position": {"de"},
    "al_publications": {"fr"},
    "html_contact": {"fr", "nl", "ro"},
    "html_notes": {"fr", "ca"},
}


@pytest.mark.parametrize("tag", [t for t in SHIPPED if t != "en"])
def test_translations_are_not_the_english_left_in(tag: str) -> None:
    """Words must differ from English (a catalog copied from English fails); the Latin and
    international abbreviations (et al., ed., pp.) and "Preprint" may stay, and the few
    words a language shares with English (``SAME_AS_ENGLISH``)."""
    catalog = load_catalog(tag)
    shared = {"et_al", "editor", "editors", "pages", "page", "preprint", "cat_preprint"}
    shared |= {"in_venue", "in_nlm", "volume", "number"}  # "in", "In:", "vol.", "no." are common
    shared |= {key for key, tags in SAME_AS_ENGLISH.items() if tag in tags}
    same = [p.key for p in PHRASES if catalog.forms[p.key][0] == p.english]
    assert [k for k in same if k not in shared] == [], f"{tag}: still English: {same}"


def test_the_same_as_english_list_is_exact() -> None:
    """Each language listed there does write the word as English does (no stale entry)."""
    for key, tags in SAME_AS_ENGLISH.items():
        for tag in tags:
            assert load_catalog(tag).forms[key][0] == ph.BY_KEY[key].english, (key, tag)


def test_a_catalog_missing_a_phrase_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = catalog_path("de").read_text(encoding="utf-8")
    start = source.index('msgctxt "undated"')
    end = source.index("\n\n", start)
    broken = source[:start] + source[end + 2 :]
    target = tmp_path / "de" / "LC_MESSAGES" / "cvbuild.po"
    target.parent.mkdir(parents=True)
    target.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(ph, "LOCALES_DIR", tmp_path)
    load_catalog.cache_clear()
    try:
        assert load_catalog("de").missing() == ["undated"]
        assert Phrases("de")("undated") == "Undated"  # falls back to English
    finally:
        load_catalog.cache_clear()


def test_plural_rules_follow_cldr() -> None:
    ru = Phrases("ru")
    assert ru.plural("more_authors", 1) == "и ещё 1 автор"
    assert ru.plural("more_authors", 3) == "и ещё 3 автора"
    assert ru.plural("more_authors", 5) == "и ещё 5 авторов"
    assert ru.plural("more_authors", 21) == "и ещё 21 автор"
    pl = Phrases("pl")
    assert pl.plural("more_authors", 22) == "i 22 innych autorów"
    assert Phrases("en").plural("more_authors", 1) == "and 1 more author"
    assert Phrases("de").plural("more_authors", 4) == "und 4 weitere Autoren"
    assert Phrases("ja").plural("more_authors", 4) == "ほか 4 名"


def test_labels_override_any_phrase() -> None:
    phrases = Phrases("de", (("present", "jetzt"), ("more_authors", "+{n}")))
    assert phrases("present") == "jetzt"
    assert phrases.plural("more_authors", 3) == "+3"
    assert phrases("updated") == "Stand"


def test_locale_tags_are_read_in_any_spelling() -> None:
    assert loc.canonical("pt_br") == "pt-BR"
    assert loc.canonical("ZH-hans") == "zh-CN"
    assert loc.canonical("zh-TW") == "zh-TW"
    assert loc.canonical("xx") is None


def test_a_phrase_looked_up_again_follows_each_builds_labels() -> None:
    plain, relabelled = Phrases("de"), Phrases("de", (("et_al", "und andere"),))
    for _ in range(3):  # the second and third answers come from the catalog's memo
        assert plain("et_al") == "u. a."
        assert relabelled("et_al") == "und andere"
    assert Phrases("de", (("et_al", "usw."),))("et_al") == "usw."
    assert plain.plural("more_authors", 1) != plain.plural("more_authors", 2)
