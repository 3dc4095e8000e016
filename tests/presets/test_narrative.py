"""Issue 14, the narrative parts: citations by key in the example, NIH identifiers,
outputs by tag, item limits, and the preset cache."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cvbuild.cli import main
from cvbuild.config.presets import load_preset
from cvbuild.errors import Location
from tests.presets.test_presets import EXAMPLE, _example, _fails, _outputs


@pytest.fixture(scope="module")
def built_md(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("funders")
    assert main(["build", str(EXAMPLE / "cv.yaml"), "--format", "md", "--output", str(out)]) == 0
    return {p.parent.name: p.read_text(encoding="utf-8") for p in out.glob("*/*.md")}


def _part(md: str, heading: str) -> str:
    return md.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_sciencv_lists_the_cited_works_after_each_module(built_md: dict[str, str]) -> None:
    part = _part(built_md["sciencv"], "Contributions to science")
    assert "satellite data \\[1, 2\\]." in part and "surveys \\[3, 4\\]." in part
    cited = [line for line in part.splitlines() if line.startswith("- \\[")]
    assert len(cited) == 4
    assert "**Léa Marchetti** and Jean Dupont" in cited[0]
    assert "**Lea Marchetti**<sup>†</sup>" in cited[3]  # the corresponding mark kept


def test_r4ri_cites_inline(built_md: dict[str, str]) -> None:
    part = _part(
        built_md["r4ri"], "Contributions to the generation of new ideas, tools and knowledge"
    )
    assert "alpine biodiversity (María José García, **Léa Marchetti**, Marco Bianchi" in part
    assert "*Ecology Letters*, 27(4), e14402, 2024)" in part
    assert "\\[1\\]" not in part and "[@" not in part


def test_pmid_and_pmcid_for_sciencv_only(built_md: dict[str, str]) -> None:
    products = _outputs(built_md["sciencv"], "Products")
    garcia = next(p for p in products if "Upslope shifts" in p)
    assert "2024. PMID: 38587027; PMCID: PMC11002191" in garcia
    keller = next(p for p in products if "pan-European survey" in p)
    assert "PMID: 37012345" in keller and "PMCID" not in keller
    assert not any("PMID" in p for p in products if "Scaling laws" in p)
    for name in ("erc", "dfg", "dfg-en", "r4ri"):
        assert "PMID" not in built_md[name], name


def test_erc_outputs_by_key_then_by_tag(built_md: dict[str, str]) -> None:
    shown = _outputs(built_md["erc"], "Research outputs")
    titles = ["Scaling laws", "Learning Species", "Foundation models", "Upslope shifts"]
    assert [next(t for t in titles if t in line) for line in shown] == titles


# ------------------------------------------------------------------ outputs by tag: errors


def test_a_tag_no_entry_carries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _example(tmp_path, replace=("tags: [erc]}", "tags: [ercc]}"))
    _fails(
        config,
        capsys,
        "outputs: tag 'ercc' is in the keywords of no entry of publications.bib",
        "tags: [ercc]",
    )
    main(["check", str(config)])
    assert "did you mean 'erc'?" in capsys.readouterr().err


def test_too_many_outputs_by_tag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _example(tmp_path)
    (config.parent / "mine.yaml").write_text(
        (EXAMPLE.parents[1] / "cvbuild/config/presets/erc.yaml")
        .read_text(encoding="utf-8")
        .replace("max: 10", "max: 3"),
        encoding="utf-8",
    )
    text = config.read_text(encoding="utf-8").replace(
        "    preset: erc\n", "    preset: mine.yaml\n"
    )
    config.write_text(text, encoding="utf-8")
    _fails(config, capsys, "4 outputs chosen; ERC allows 3", "tags: [erc]")
    main(["check", str(config)])
    assert "2 by key and 2 by tags [erc]" in capsys.readouterr().err


def test_outputs_must_be_keys_or_keys_and_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _example(tmp_path, replace=("tags: [erc]}", "tag: [erc]}"))
    _fails(config, capsys, "unknown key 'tag'", "tag: [erc]")
    config = _example(
        tmp_path / "b",
        replace=("{keys: [marchetti2022scaling, marchetti2024neurips], tags: [erc]}", "erc"),
    )
    _fails(config, capsys, "'outputs': expected a list of strings or a mapping", "outputs: erc")


# ------------------------------------------------------------------ item limits (NIH)


def _contributions(tmp_path: Path, paragraphs: list[str]) -> Path:
    config = _example(tmp_path)
    text = config.read_text(encoding="utf-8")
    body = "\n\n".join(f"      {p}" for p in paragraphs)
    text = re.sub(
        r"(  - title: Contributions to science\n    text: \|\n)(      .*\n|\n)+?(?=  - title)",
        lambda m: f"{m.group(1)}{body}\n\n",
        text,
    )
    config.write_text(text, encoding="utf-8")
    return config


def test_more_than_five_contributions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _contributions(tmp_path, [f"Contribution {i}." for i in range(6)])
    _fails(
        config,
        capsys,
        "contributions to science has 6 paragraphs; the NIH supplement allows 5",
        "- title: Contributions to science",
    )


def test_a_contribution_over_2000_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _contributions(tmp_path, ["Short one.", "y" * 2100])
    _fails(
        config,
        capsys,
        "contributions to science 2 is 2,100 characters; the NIH supplement allows 2,000 each",
        "- title: Contributions to science",
    )


def test_more_than_fifteen_honors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    honors = "".join(f"      - title: Prize {i}\n        date: 2020\n" for i in range(16))
    config = _example(
        tmp_path,
        replace=(
            "  - title: Grants and Awards\n    entries:\n",
            f"  - title: Grants and Awards\n    entries:\n{honors}",
        ),
    )
    _fails(
        config,
        capsys,
        "honors has 18 items; the NIH supplement allows 15",
        "- title: Grants and Awards",
    )


# ------------------------------------------------------------------ the preset cache


def test_a_preset_file_is_read_once_until_it_changes(tmp_path: Path) -> None:
    here = Location("cv.yaml", 1, 1)
    path = tmp_path / "mine.yaml"
    base = "name: mine\ntitle: {t}\nsource: s\nread_on: 2026-12-01\n"
    base += "sections:\n  - {{id: a, label: A, match: [A]}}\n"
    path.write_text(base.format(t="One"), encoding="utf-8")
    first = load_preset("mine.yaml", tmp_path, here)
    assert load_preset("mine.yaml", tmp_path, here) is first
    path.write_text(base.format(t="Two"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime even on a coarse clock
    second = load_preset("mine.yaml", tmp_path, here)
    assert second is not first and second.title == "Two"
    assert load_preset("sciencv", tmp_path, here) is load_preset("sciencv", tmp_path, here)


# ------------------------------------------------------------------ per-preset templates


def test_sciencv_is_marked_a_preparation_draft(built_md: dict[str, str]) -> None:
    sciencv = built_md["sciencv"]
    mark = "> *Preparation draft for internal review, in the order of the SciENcv common form"
    assert mark in sciencv
    assert sciencv.index(mark) < sciencv.index("## Personal statement")
    assert not any("Preparation draft" in md for name, md in built_md.items() if name != "sciencv")


def test_sciencv_docx_and_tex_carry_the_mark(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", str(EXAMPLE / "cv.yaml"), "--variant", "sciencv", "--output", str(out)]
    assert main([*args, "--format", "tex", "--format", "docx"]) == 0
    tex = next(out.glob("sciencv/*.tex")).read_text(encoding="utf-8")
    assert tex.startswith("% !TEX program = xelatex\n")
    assert "{\\small\\itshape Preparation draft for internal review" in tex
    import docx

    word = docx.Document(str(next(out.glob("sciencv/*.docx"))))
    texts = [p.text for p in word.paragraphs]
    draft = next(i for i, t in enumerate(texts) if t.startswith("Preparation draft"))
    assert draft < texts.index("Personal statement")


def test_a_preset_template_must_be_a_file_name(tmp_path: Path) -> None:
    from cvbuild.config.presets import preset_from_text
    from cvbuild.errors import InputError

    text = (
        "name: mine\ntitle: Mine\nsource: s\nread_on: 2026-12-01\n"
        "sections:\n  - {id: a, label: A, match: [A]}\n"
        "templates:\n  latex: ../../etc/passwd.tex\n  markdown: mine.md\n"
    )
    with pytest.raises(InputError) as caught:
        preset_from_text(text, "mine.yaml")
    shown = [str(p) for p in caught.value.problems]
    assert any(
        s.startswith("mine.yaml:8:10") and "'templates.latex': ../../etc/passwd.tex" in s
        for s in shown
    ), shown
    assert any(s.startswith("mine.yaml:9:13") and "ending in .j2" in s for s in shown), shown


def test_no_citations_in_the_nih_personal_statement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _example(
        tmp_path,
        replace=(
            "remote sensing and Bayesian hierarchical models.",
            "remote sensing [@keller2023long].",
        ),
    )
    _fails(
        config,
        capsys,
        "personal statement cites [@keller2023long]; the NIH supplement allows no citations in it",
        "remote sensing [@keller2023long].",
    )
