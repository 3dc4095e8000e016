"""The benchmark's RenderCV input: the same synthetic bibliography, valid for RenderCV's own
model, every paper kept, the owner (and only the owner) bolded with ``**``; and the offline
stand-in for the Typst icon package RenderCV's themes import."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import rendercv_input  # noqa: E402
import synth  # noqa: E402


def _bib(tmp_path: Path, count: int) -> Path:
    return synth.write_bib(tmp_path / "papers.bib", count)


def _owner_entries(bib: Path) -> int:
    """Entries whose author list holds one of the owner's spellings (synth puts it there)."""
    return sum("Marchetti" in block for block in bib.read_text(encoding="utf-8").split("\n\n"))


def test_plain_text_turns_bibtex_latex_into_what_a_reader_sees() -> None:
    assert rendercv_input.plain_text("L{\\'e}a") == "Léa"
    assert rendercv_input.plain_text('M{\\"u}ller') == "Müller"
    assert rendercv_input.plain_text("Garc{\\'\\i}a") == "García"
    assert rendercv_input.plain_text("Nature Ecology \\& Evolution") == "Nature Ecology & Evolution"
    assert rendercv_input.plain_text("Fast {DNA} in $\\mathcal{O}(n^2)$") == "Fast DNA in O(n^2)"


def test_names_are_given_then_family_and_only_the_owner_is_bolded() -> None:
    field = "Marchetti\\textsuperscript{*}, L. and Okonkwo, Ana and Lea Marchetti and others"
    assert rendercv_input.authors_for_rendercv(field, "Marchetti") == [
        "**L. Marchetti**", "Ana Okonkwo", "**Lea Marchetti**", "et al."
    ]  # fmt: skip


def test_dates_are_year_month_or_the_bibtex_text() -> None:
    assert rendercv_input.entry_date({"year": "2021", "month": "mar"}) == "2021-03"
    assert rendercv_input.entry_date({"year": "2021"}) == "2021"
    assert rendercv_input.entry_date({"year": "{submitted}"}) == "submitted"


def test_the_converted_yaml_keeps_every_paper_and_bolds_the_owner(tmp_path: Path) -> None:
    bib = _bib(tmp_path, 60)
    out = rendercv_input.write_rendercv_yaml(bib, tmp_path / "cv.yaml", synth.OWNER, "a@b.org")
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    papers = data["cv"]["sections"]["Publications"]
    assert len(papers) == 60
    bolded = [a for p in papers for a in p["authors"] if a.startswith("**")]
    assert len(bolded) == _owner_entries(bib) > 0
    assert all(re.fullmatch(r"\*\*[^*]*Marchetti\*\*", a) for a in bolded)
    text = out.read_text(encoding="utf-8")
    assert "\\" not in text and "{" not in text  # no LaTeX left for RenderCV to print
    assert all(str(p["doi"]).startswith("10.") for p in papers if "doi" in p)


def test_rendercv_accepts_the_converted_yaml(tmp_path: Path) -> None:
    pytest.importorskip("rendercv", reason="RenderCV is not installed (pip install -e '.[bench]')")
    from rendercv.api.functions import read_a_yaml_string_and_return_a_data_model

    bib = _bib(tmp_path, 40)
    out = rendercv_input.write_rendercv_yaml(bib, tmp_path / "cv.yaml", synth.OWNER, "a@b.org")
    model = read_a_yaml_string_and_return_a_data_model(out.read_text(encoding="utf-8"))
    assert model is not None, "RenderCV refused the converted YAML"
    sections = model.cv.sections_input
    entries = sections["Publications"]
    assert len(entries) == 40
    assert type(entries[0]).__name__ == "PublicationEntry"
    bolded = sum(a.startswith("**") for e in entries for a in e.authors)
    assert bolded == _owner_entries(bib)


def test_the_icon_stand_in_is_a_typst_package_rendercv_templates_can_import(
    tmp_path: Path,
) -> None:
    folder = rendercv_input.install_icon_stand_in(tmp_path / "cache")
    assert folder == tmp_path / "cache" / "typst" / "packages" / "preview" / "fontawesome" / "0.5.0"
    assert 'name = "fontawesome"' in (folder / "typst.toml").read_text(encoding="utf-8")
    env = rendercv_input.typst_environment(tmp_path / "cache", {"PATH": "/bin"})
    assert env["XDG_CACHE_HOME"] == str(tmp_path / "cache")
    typst = pytest.importorskip(
        "typst", reason="typst-py is not installed (pip install -e '.[bench]')"
    )
    doc = tmp_path / "doc.typ"
    doc.write_text(
        '#import "@preview/fontawesome:0.5.0": fa-icon\n'
        '#fa-icon("envelope", size: 0.9em) Mail\n#fa-icon("external-link")\n',
        encoding="utf-8",
    )
    pdf = typst.compile(str(doc), package_cache_path=str(tmp_path / "cache" / "typst" / "packages"))
    assert pdf[:5] == b"%PDF-"
