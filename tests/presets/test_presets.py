"""Funder presets (issue 14): the shipped data, the loader's located errors, the example
built with every preset, and every rule violation as the user sees it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cvbuild.cli import main
from cvbuild.config.presets import load_preset, preset_from_text, shipped
from cvbuild.errors import InputError, Location

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "funders"


def _example(tmp_path: Path, edit: str = "", replace: tuple[str, str] | None = None) -> Path:
    """A copy of the funders example, its cv.yaml edited."""
    folder = tmp_path / "cv"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("output"))
    config = folder / "cv.yaml"
    text = config.read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    config.write_text(text + edit, encoding="utf-8")
    return config


def _line_of(config: Path, needle: str) -> int:
    lines = config.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def _build(config: Path, *extra: str) -> int:
    out = config.parent / "out"
    return main(["build", str(config), "--output", str(out), *extra])


# ------------------------------------------------------------------ the data


def test_every_preset_ships_with_its_source_and_date() -> None:
    assert shipped() == ["dfg", "erc", "r4ri", "sciencv"]
    for name in shipped():
        preset = load_preset(name, REPO, Location("x"))
        assert preset.source and re.fullmatch(r"\d{4}-\d{2}-\d{2}", preset.read_on)
        assert preset.author_limit == 0 and not preset.metrics


def test_erc_rules() -> None:
    erc = load_preset("erc", REPO, Location("x"))
    assert (erc.max_pages, erc.max_outputs, erc.may_drop) == (4, 10, False)


def test_dfg_labels_in_german_and_english() -> None:
    dfg = load_preset("dfg", REPO, Location("x"))
    pubs = next(s for s in dfg.sections if s.id == "outputs")
    assert (pubs.label("de"), pubs.label("en")) == ("Publikationen", "Publications")
    assert [(c.id, c.max) for c in dfg.categories] == [("A", 10), ("B", 10)]


def test_presets_command_lists_rules_source_and_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["presets"]) == 0
    out = capsys.readouterr().out
    assert "erc: ERC CV and track record" in out
    assert "at most 4 pages (nothing is dropped to fit)" in out
    assert "Personal statement: at most 3,500 characters" in out
    assert "NOT-OD-26-018" in out and "(read 2026-12-01)" in out


def test_a_bad_preset_file_is_located() -> None:
    text = "name: mine\ntitle: Mine\nsource: me\nread_on: soon\nsections: []\npages: 3\n"
    with pytest.raises(InputError) as info:
        preset_from_text(text, "mine.yaml")
    shown = str(info.value)
    assert "mine.yaml:4" in shown and "not a date" in shown
    assert "mine.yaml:6" in shown and "'pages'" in shown
    assert "mine.yaml:5" in shown


def test_a_users_preset_file_works_like_a_shipped_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = (REPO / "cvbuild" / "config" / "presets" / "erc.yaml").read_text(encoding="utf-8")
    config = _example(
        tmp_path, replace=("    preset: erc\n", "    preset: mine.yaml\n    formats: [md]\n")
    )
    (config.parent / "mine.yaml").write_text(own.replace("max: 10", "max: 2"), encoding="utf-8")
    assert _build(config, "--variant", "erc") == 1
    assert "4 outputs chosen; ERC allows 2" in capsys.readouterr().err
    assert not (config.parent / "out").exists()


def test_an_unknown_preset_name_says_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _example(tmp_path, replace=("preset: erc", "preset: ercc"))
    assert main(["check", str(config)]) == 1
    err = capsys.readouterr().err
    line = _line_of(config, "preset: ercc")
    assert f"cv.yaml:{line}" in err and "no preset named 'ercc'" in err
    assert "did you mean 'erc'?" in err


# ------------------------------------------------------------------ rule violations


def _fails(config: Path, capsys: pytest.CaptureFixture[str], message: str, needle: str) -> None:
    assert main(["check", str(config)]) == 1
    err = capsys.readouterr().err
    assert message in err, err
    assert f"cv.yaml:{_line_of(config, needle)}" in err, err
    assert _build(config, "--format", "md") == 1
    assert not (config.parent / "out").exists()


def test_too_many_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = ", ".join(["marchetti2022scaling"] + [f"k{i}" for i in range(12)])
    config = _example(
        tmp_path,
        replace=(
            "outputs: {keys: [marchetti2022scaling, marchetti2024neurips], tags: [erc]}",
            f"outputs: [{keys}]",
        ),
    )
    _fails(config, capsys, "13 outputs chosen; ERC allows 10", "outputs: [marchetti2022scaling, k0")


def test_unknown_output_key_says_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _example(
        tmp_path, replace=("garcia2024climate, keller2023long", "garcia2024clim, keller2023long")
    )
    _fails(
        config,
        capsys,
        "output 'garcia2024clim' is in no bibliography of the CV",
        "garcia2024clim, keller2023long",
    )
    assert "did you mean 'garcia2024climate'?" in _err_of_check(config, capsys)


def _err_of_check(config: Path, capsys: pytest.CaptureFixture[str]) -> str:
    main(["check", str(config)])
    return capsys.readouterr().err


def test_personal_statement_over_the_nih_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = "x" * 3812
    config = _example(tmp_path)
    text = config.read_text(encoding="utf-8")
    text = re.sub(
        r"(  - title: Personal statement\n    text: \|\n)(      .*\n)+",
        lambda m: f"  - title: Personal statement\n    text: {long}\n",
        text,
    )
    config.write_text(text, encoding="utf-8")
    _fails(
        config,
        capsys,
        "personal statement is 3,812 characters; the NIH supplement allows 3,500",
        "- title: Personal statement",
    )


def test_orcid_missing_for_sciencv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _example(
        tmp_path,
        replace=("    - network: ORCID\n      username: 0000-0002-1825-0097\n", ""),
    )
    _fails(config, capsys, "ORCID missing: person.profiles", "preset: sciencv")


def test_too_many_words_for_r4ri(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    words = " ".join(["word"] * 1100)
    config = _example(
        tmp_path,
        replace=(
            "      I supervise three PhD students",
            f"      {words}\n      I supervise three PhD students",
        ),
    )
    _fails(config, capsys, "words in all; R4RI allows 1,000", "preset: r4ri")


def test_too_many_in_a_dfg_category(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _example(
        tmp_path,
        replace=(
            "    preset: dfg\n    locale: de\n",
            "    preset: dfg\n    locale: de\n    outputs: [marchetti2025preprint, "
            "marchetti2026submitted]\n",
        ),
    )
    bib = config.parent / "publications.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace(
            "@article{marchetti2025preprint,",
            "@article{marchetti2025preprint,\n  output_category = {B},",
        ),
        encoding="utf-8",
    )
    dfg = config.parent / "mine.yaml"
    dfg.write_text(
        (REPO / "cvbuild/config/presets/dfg.yaml")
        .read_text(encoding="utf-8")
        .replace("      max: 10\n      from: [preprint", "      max: 1\n      from: [preprint"),
        encoding="utf-8",
    )
    text = config.read_text(encoding="utf-8").replace(
        "    preset: dfg\n    locale: de\n", "    preset: mine.yaml\n    locale: de\n"
    )
    config.write_text(text, encoding="utf-8")
    _fails(
        config,
        capsys,
        "2 outputs chosen in category B; the DFG allows 1",
        "outputs: [marchetti2025preprint, marchetti2026submitted]",
    )


# ------------------------------------------------------------------ the example, in md


@pytest.fixture(scope="module")
def built_md(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("funders")
    assert main(["build", str(EXAMPLE / "cv.yaml"), "--format", "md", "--output", str(out)]) == 0
    return {p.parent.name: p.read_text(encoding="utf-8") for p in out.glob("*/*.md")}


def _outputs(md: str, heading: str) -> list[str]:
    part = md.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in part.splitlines() if line.startswith("- ")]


def test_erc_shows_the_chosen_outputs_in_order_with_notes(built_md: dict[str, str]) -> None:
    md = built_md["erc"]
    shown = _outputs(md, "Research outputs")
    assert len(shown) == 4
    assert "Scaling laws of plant community" in shown[0] and "Role: lead author" in shown[0]
    assert "Learning Species Interactions" in shown[1]
    assert "## Positions held" in md and "## Peer recognition" in md
    assert "cited" not in md.lower()


def test_full_author_lists(built_md: dict[str, str]) -> None:
    # the example section shows 8 authors; the presets show all 12 of garcia2024climate
    for name in ("erc", "sciencv", "dfg-en"):
        assert "Giulia Rossi, and Niklaus E. Zimmermann" in built_md[name], name


def test_dfg_categories_and_german_labels(built_md: dict[str, str]) -> None:
    de, en = built_md["dfg"], built_md["dfg-en"]
    assert "## Publikationen" in de and "### A: Veröffentlichte oder angenommene Arbeiten" in de
    assert "### B: Andere Arbeiten" in de
    b_part = de.split("### B: Andere Arbeiten", 1)[1].split("\n## ", 1)[0]
    assert "arXiv" in b_part and "Submitted" in b_part
    assert "### A: published or accepted works" in en and "## Publications" in en


def test_sciencv_order_and_limits(built_md: dict[str, str]) -> None:
    md = built_md["sciencv"]
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings == [
        "Personal statement",
        "Professional preparation",
        "Appointments and positions",
        "Products",
        "Honors",
        "Contributions to science",
    ]
    assert len(_outputs(md, "Products")) == 4


def test_r4ri_has_the_four_modules(built_md: dict[str, str]) -> None:
    headings = re.findall(r"^## (.+)$", built_md["r4ri"], flags=re.M)
    assert headings == [
        "Contributions to the generation of new ideas, tools and knowledge",
        "Contributions to the development of others",
        "Contributions to the wider research and innovation community",
        "Contributions to broader society",
    ]


# ------------------------------------------------------------------ pages


@pytest.mark.tex
def test_every_preset_builds_to_pdf_within_its_pages(tmp_path: Path) -> None:
    from cvbuild.build.fit import count_pages

    out = tmp_path / "out"
    assert main(["build", str(EXAMPLE / "cv.yaml"), "--output", str(out)]) == 0
    pdfs = {p.parent.name: p for p in out.glob("*/*.pdf")}
    assert sorted(pdfs) == ["dfg", "dfg-en", "erc", "r4ri", "sciencv"]
    assert count_pages(pdfs["erc"].read_bytes()) <= 4


@pytest.mark.tex
def test_erc_page_overflow_is_an_error_saying_by_how_much(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filler = " ".join(["Significance beyond measure."] * 700)
    config = _example(
        tmp_path,
        replace=("Role: lead author; data and code released openly.", filler),
    )
    assert _build(config, "--variant", "erc", "--format", "pdf") == 1
    err = capsys.readouterr().err
    assert re.search(r"variant 'erc' is \d+ pages; ERC allows 4 \(\d+ pages? too many\)", err), err
    assert f"cv.yaml:{_line_of(config, 'preset: erc')}" in err
    assert not (config.parent / "out").exists()


def test_the_variants_own_keys_win_over_its_preset(tmp_path: Path) -> None:
    from cvbuild.config.reader import load_config

    config = _example(
        tmp_path,
        replace=("    preset: erc\n", "    preset: erc\n    author_limit: 3\n    max_pages: 6\n"),
    )
    erc = next(v for v in load_config(config).variants if v.name == "erc")
    assert (erc.author_limit, erc.max_pages, erc.keep_all) == (3, 6, False)
    dfg = next(v for v in load_config(config).variants if v.name == "dfg")
    assert (dfg.author_limit, dfg.locale, dfg.max_pages) == (0, "de", None)
    assert dfg.metrics is not None and not dfg.metrics.shown


def test_presets_without_metrics_ignore_every_request_with_a_located_warning(
    tmp_path: Path,
) -> None:
    from cvbuild.config.reader import load_config
    from cvbuild.metrics.shown import display_for, metrics_key, shows_metrics

    config = _example(
        tmp_path,
        replace=(
            "      author_limit: 8\n",
            "      author_limit: 8\n      metrics: {per_paper: true, summary: true}\n",
        ),
    )
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "    preset: erc\n", "    preset: erc\n    metrics: {summary: true, source: openalex}\n"
    ).replace("  r4ri:\n    preset: r4ri\n", "  r4ri:\n    preset: r4ri\n  web: {}\n")
    config.write_text(text, encoding="utf-8")
    cv = load_config(config)
    warnings = [str(p) for p in cv.warnings if "metrics ignored" in p.message]
    section_line = _line_of(config, "metrics: {per_paper: true")
    variant_line = _line_of(config, "metrics: {summary: true, source")
    for name in ("erc", "dfg", "sciencv"):
        said = [w for w in warnings if f"the {name} preset leaves out citation counts" in w]
        assert any(f"cv.yaml:{section_line}:" in w for w in said), (name, warnings)
    assert not any("r4ri" in w for w in warnings)  # its narrative modules list no papers
    erc = [w for w in warnings if "the erc preset" in w]
    assert any(f"cv.yaml:{variant_line}:" in w for w in erc), erc
    assert all(": warning: metrics ignored: " in w for w in warnings)
    section = next(s for s in cv.sections if s.title == "Publications")
    by_name = {v.name: v for v in cv.variants}
    for name in ("erc", "dfg", "dfg-en", "sciencv", "r4ri"):
        assert display_for(section.publications, by_name[name]) is None
        assert not shows_metrics(cv, by_name[name]) and metrics_key(cv, by_name[name]) == ""
    assert display_for(section.publications, by_name["web"]) is not None  # no preset: shown
    assert metrics_key(cv, by_name["web"]).startswith(":metrics:")


def test_cited_works_count_where_the_text_is_pasted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """R4RI's 1,000 words are those pasted: the narrative as written stays under them
    (60 words + 920), the works it cites inline take it over (about 50 more)."""
    words = " ".join(["word"] * 920)
    config = _example(
        tmp_path,
        replace=(
            "      I supervise three PhD students",
            f"      {words}\n      I supervise three PhD students",
        ),
    )
    _fails(config, capsys, "words in all with its cited works written out; R4RI allows 1,000",
           "preset: r4ri")  # fmt: skip
    assert "words in all; R4RI allows" not in capsys.readouterr().err  # not counted twice
    # and export refuses it too, writing nothing
    assert main(["export", str(config), "--variant", "r4ri", "--output", str(tmp_path / "x")]) == 1
    assert not (tmp_path / "x").exists()
