"""Each style's author form and shortening, with the owner late in a long list."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvbuild.bib.model import Publication
from cvbuild.bib.names import parse_names
from cvbuild.config.choices import STYLES as CONFIG_STYLES
from cvbuild.config.reader import load_config
from cvbuild.errors import InputError
from cvbuild.format.authors import format_authors, initials
from cvbuild.format.owner import OwnerMatcher
from cvbuild.format.publication import format_publication
from cvbuild.format.styles import STYLE_NAMES, STYLES
from cvbuild.richtext import Strong, plain, walk

OWNER = OwnerMatcher("Léa Marchetti")


def authors(raw: str, style: str, limit: int = 0, owner: OwnerMatcher | None = OWNER) -> str:
    names, et_al = parse_names(raw)
    return plain(format_authors(names, et_al, owner, limit, STYLES[style].authors))


def bold(raw: str, style: str) -> list[str]:
    names, et_al = parse_names(raw)
    rt = format_authors(names, et_al, OWNER, 0, STYLES[style].authors)
    return [plain(n.children) for n in walk(rt) if isinstance(n, Strong)]


def many(n: int, owner_at: int) -> str:
    """``n`` authors "Family{i}, Given Mary"; the owner at 1-based ``owner_at``."""
    names = [f"Family{i}, Given Mary" for i in range(1, n + 1)]
    names[owner_at - 1] = "Marchetti, Léa"
    return " and ".join(names)


THREE = "Dupont, Jean-Pierre and Marchetti, Léa and van Dalen, Joost"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("default", "Jean-Pierre Dupont, Léa Marchetti, and Joost van Dalen"),
        ("apa", "Dupont, J.-P., Marchetti, L., & van Dalen, J."),
        ("ieee", "J.-P. Dupont, L. Marchetti, and J. van Dalen"),
        ("chicago", "Dupont, Jean-Pierre, Léa Marchetti, and Joost van Dalen"),
        ("vancouver", "Dupont JP, Marchetti L, van Dalen J"),
        ("nature", "Dupont, J.-P., Marchetti, L. & van Dalen, J."),
    ],
)
def test_author_form_of_each_style(style: str, expected: str) -> None:
    assert authors(THREE, style) == expected
    assert bold(THREE, style) == [
        {"default": "Léa Marchetti", "chicago": "Léa Marchetti", "ieee": "L. Marchetti",
         "vancouver": "Marchetti L"}.get(style, "Marchetti, L.")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("default", "Jean Dupont and Léa Marchetti"),
        ("apa", "Dupont, J., & Marchetti, L."),
        ("ieee", "J. Dupont and L. Marchetti"),
        ("chicago", "Dupont, Jean, and Léa Marchetti"),
        ("vancouver", "Dupont J, Marchetti L"),
        ("nature", "Dupont, J. & Marchetti, L."),
    ],
)
def test_two_authors(style: str, expected: str) -> None:
    assert authors("Dupont, Jean and Marchetti, Léa", style) == expected


def test_initials() -> None:
    assert initials("Jean-Pierre Marie") == "J.-P. M."
    assert initials("J. M.") == initials("JM") == initials("J.M.") == "J. M."
    assert initials("Jean-Pierre", "", "", keep_hyphen=False) == "JP"
    assert initials("Émile") == "É."
    assert initials("") == ""


def test_jr_follows_the_style() -> None:
    raw = "King, Jr., Martin Luther"
    assert authors(raw, "default", owner=None) == "Martin Luther King Jr."
    assert authors(raw, "apa", owner=None) == "King, M. L., Jr."
    assert authors(raw, "vancouver", owner=None) == "King ML Jr."


# --- shortening: the list lengths at which each style shortens, and the owner late in it


@pytest.mark.parametrize(
    ("style", "full_up_to"),
    [("apa", 20), ("ieee", 6), ("chicago", 10), ("vancouver", 6), ("nature", 5)],  # fmt: skip
)
def test_each_style_shortens_just_past_its_limit(style: str, full_up_to: int) -> None:
    listed = authors(many(full_up_to, 1), style)
    assert "et al." not in listed and "…" not in listed
    assert f"Family{full_up_to}" in listed
    # APA's ellipsis would stand for one name at 21: that name is printed (never "…" for one)
    over = full_up_to + (2 if style == "apa" else 1)
    shortened = authors(many(over, 1), style)
    assert "et al." in shortened or "…" in shortened
    if style == "apa":
        assert "Family20" not in shortened and shortened.endswith("…, Family22, G. M.")
        assert "Family21, G. M., & Family21" not in authors(many(21, 1), style)
    else:
        assert f"Family{over}" not in shortened


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        # APA: the first 19, an ellipsis, the owner (never hidden), an ellipsis, the last
        ("apa", None),
        ("ieee", "G. M. Family1, …, **L. Marchetti** et al."),
        (
            "chicago",
            "Family1, Given Mary, Given Mary Family2, Given Mary Family3, Given Mary Family4, "
            "Given Mary Family5, Given Mary Family6, Given Mary Family7, …, "
            "**Léa Marchetti**, et al.",
        ),
        (
            "vancouver",
            "Family1 GM, Family2 GM, Family3 GM, Family4 GM, Family5 GM, Family6 GM, …, "
            "**Marchetti L**, et al.",
        ),
        ("nature", "Family1, G. M., …, **Marchetti, L.** et al."),
        ("default", None),
    ],
)
def test_owner_late_in_a_long_list_is_never_hidden(style: str, expected: str | None) -> None:
    raw = many(30, 25)  # the owner 25th of 30
    names, _ = parse_names(raw)
    rt = format_authors(names, False, OWNER, 0, STYLES[style].authors)
    text = plain(rt)
    strong = [plain(n.children) for n in walk(rt) if isinstance(n, Strong)]
    assert len(strong) == 1 and "Marchetti" in strong[0]
    if expected is not None:
        marked = text.replace(strong[0], f"**{strong[0]}**")
        assert marked == expected
    if style == "apa":
        assert text.startswith("Family1, G. M., Family2, G. M.")
        assert "Family19, G. M., …, Marchetti, L., …, Family30, G. M." in text
        assert "Family20" not in text and "&" not in text
    if style == "default":  # no author_limit: all 30
        assert "Family30" in text


def test_owner_second_to_last_in_apa_prints_the_last_without_ellipsis() -> None:
    text = authors(many(25, 24), "apa")
    assert text.endswith("Family19, G. M., …, Marchetti, L., Family25, G. M.")


def test_author_limit_overrides_the_style_rule() -> None:
    text = authors(many(8, 7), "ieee", limit=3)
    # an "et al." style says "et al." even for one name after the owner
    assert text == "G. M. Family1, G. M. Family2, G. M. Family3, …, L. Marchetti et al."
    text = authors(many(12, 11), "nature", limit=2)
    assert text == "Family1, G. M., Family2, G. M., …, Marchetti, L. et al."
    text = authors(many(12, 11), "default", limit=2)  # the default style prints the one name
    assert (
        text == "Given Mary Family1, Given Mary Family2, …, Léa Marchetti, and Given Mary Family12"
    )


def test_and_others_reads_et_al_in_every_style() -> None:
    raw = "Dupont, Jean and Marchetti, Léa and others"
    assert authors(raw, "apa") == "Dupont, J., Marchetti, L., et al."
    assert authors(raw, "ieee") == "J. Dupont, L. Marchetti et al."
    assert authors(raw, "vancouver") == "Dupont J, Marchetti L, et al."


# --- whole references


def article(**fields: str) -> Publication:
    names, _ = parse_names(fields.pop("author", "Marchetti, Léa and Dupont, Jean"))
    base = {"title": "Scaling laws", "journal": "The American Naturalist", "volume": "199",
            "number": "2", "pages": "210--224"}  # fmt: skip
    base.update(fields)
    return Publication("k", "article", base, authors=names, year=2022, category="journal")


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("default", "Léa Marchetti and Jean Dupont. Scaling laws. The American Naturalist, "
                    "199(2), 210–224, 2022."),
        ("apa", "Marchetti, L., & Dupont, J. (2022). Scaling laws. The American Naturalist, "
                "199(2), 210–224."),
        ("ieee", "L. Marchetti and J. Dupont, “Scaling laws,” The American Naturalist, "
                 "vol. 199, no. 2, pp. 210–224, 2022."),
        ("chicago", "Marchetti, Léa, and Jean Dupont. 2022. “Scaling laws.” "
                    "The American Naturalist 199 (2): 210–224."),
        ("vancouver", "Marchetti L, Dupont J. Scaling laws. The American Naturalist. "
                      "2022;199(2):210-224."),
        ("nature", "Marchetti, L. & Dupont, J. Scaling laws. The American Naturalist 199, "
                   "210–224 (2022)."),
    ],
)  # fmt: skip
def test_journal_article_in_each_style(style: str, expected: str) -> None:
    item = format_publication(article(), OWNER, style=STYLES[style])
    assert plain(item.text) == expected


def test_ieee_question_mark_title_takes_no_comma() -> None:
    item = format_publication(article(title="Why scale?"), OWNER, style=STYLES["ieee"])
    assert "“Why scale?” The American" in plain(item.text)


def test_config_style_names_are_the_format_tables() -> None:
    assert CONFIG_STYLES == STYLE_NAMES


def test_unknown_style_is_a_located_error_with_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "p.bib").write_text("", encoding="utf-8")
    config = tmp_path / "cv.yaml"
    config.write_text(
        "person: {name: A B}\nsections:\n  - title: P\n    publications:\n"
        "      bib: p.bib\n      style: vancuver\nvariants:\n  v: {style: apa7}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_config(config)
    shown = [(str(p.location), p.message, p.hint) for p in info.value.problems]
    assert (
        f"{config}:6:14",
        "'style': 'vancuver' is not one of default, apa, ieee, chicago, vancouver, nature",
        "did you mean 'vancouver'?",
    ) in shown
    assert any(loc == f"{config}:8:14" and hint == "did you mean 'apa'?" for loc, _, hint in shown)
