"""Realistic synthetic bibliographies for benchmarks: 3–12 authors, the owner at random
places under varying spellings, equal-contribution marks, accents, every entry type."""

from __future__ import annotations

import random
from pathlib import Path

OWNER = "Léa Marchetti"
OWNER_SPELLINGS = (
    "Marchetti, L{\\'e}a",
    "Marchetti, L.",
    "L. Marchetti",
    "Lea Marchetti",
    "Marchetti, Léa",
    "Marchetti*, L{\\'e}a",
    "Marchetti\\textsuperscript{*}, L.",
)
GIVEN = ("Ana", "Jörg", "Søren", "Chinedu", "Giulia", "Zoë", "Ming", "Priya", "José", "Ingrid",
         "Tomasz", "Eleni", "Thị Hoa", "Andreas", "Claire", "Niklaus E.", "J. M.", "Björn")  # fmt: skip
FAMILY = ("Okonkwo", "Rossi", "Schmidt", "Dubois", "Keller", "Novák", "Svensson", "M{\\\"u}ller",
          "Kowalski", "Papadopoulos", "Garc{\\'\\i}a", "Nguyễn", "Zhang", "Patel", "van der Berg",
          "O'Neil", "Łukasiewicz", "Ferreira")  # fmt: skip
VENUES = {
    "article": ("journal", ("Ecology Letters", "Nature Ecology \\& Evolution",
                            "Methods in Ecology and Evolution", "arXiv preprint arXiv:2401.01234")),
    "inproceedings": ("booktitle", ("Proceedings of NeurIPS", "ICML Workshop on Climate Change AI",
                                    "Proceedings of the AAAI Conference")),
    "incollection": ("booktitle", ("Handbook of Ecological Modelling",)),
    "phdthesis": ("school", ("Sorbonne Universit{\\'e}",)),
    "book": ("publisher", ("Springer",)),
    "misc": ("howpublished", ("Zenodo",)),
    "techreport": ("institution", ("ETH Z{\\\"u}rich",)),
}  # fmt: skip
WORDS = ("alpine", "species", "distribution", "Bayesian", "models", "climate", "diversity",
         "learning", "networks", "sparse", "$\\mathcal{O}(n^2)$", "{DNA}", "robust", "scaling",
         "grassland", "camera-trap", "interactions", "uncertainty", "remote", "sensing")  # fmt: skip
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def entry(i: int, rng: random.Random, selected: float = 0.2) -> str:
    kind = rng.choice(tuple(VENUES))
    field, venues = VENUES[kind]
    n = rng.randint(3, 12)
    authors = [
        f"{rng.choice(FAMILY)}{'*' if j < 2 and rng.random() < 0.1 else ''}, {rng.choice(GIVEN)}"
        for j in range(n)
    ]
    if rng.random() < 0.9:
        authors[rng.randrange(n)] = rng.choice(OWNER_SPELLINGS)
    if rng.random() < 0.05:
        authors.append("others")
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12))).capitalize()
    year = "{submitted}" if rng.random() < 0.02 else str(rng.randint(1995, 2026))
    lines = [
        f"@{kind}{{key{i},",
        f"  title = {{{title}}},",
        f"  author = {{{' and '.join(authors)}}},",
        f"  {field} = {{{rng.choice(venues)}}},",
        f"  year = {year},",
        f"  month = {rng.choice(MONTHS)},",
        f"  pages = {{{rng.randint(1, 400)}--{rng.randint(401, 900)}}},",
    ]
    if rng.random() < 0.6:
        lines.append(f"  doi = {{10.{rng.randint(1000, 9999)}/synth.{i}}},")
    if rng.random() < selected:
        lines.append("  selected = {true},")
    lines.append("}")
    return "\n".join(lines)


def write_bib(path: Path, count: int, seed: int = 7, selected: float = 0.2) -> Path:
    """``count`` entries; ``selected`` is the share marked al-folio ``selected``."""
    rng = random.Random(seed)
    path.write_text(
        "\n\n".join(entry(i, rng, selected) for i in range(count)) + "\n", encoding="utf-8"
    )
    return path


def write_cv(
    folder: Path, count: int, *, formats: tuple[str, ...] = ("md",), selected: float = 0.2
) -> Path:
    """A cv.yaml with one publications section over a synthetic ``count``-entry bibliography."""
    folder.mkdir(parents=True, exist_ok=True)
    write_bib(folder / "papers.bib", count, selected=selected)
    config = folder / "cv.yaml"
    config.write_text(
        "person:\n"
        f"  name: {OWNER}\n"
        "  aliases: ['Marchetti, L.']\n"
        "  email: lea@example.org\n"
        "sections:\n"
        "  - title: Publications\n"
        "    publications:\n"
        "      bib: papers.bib\n"
        "      author_limit: 10\n"
        "output:\n"
        "  dir: out\n"
        f"  formats: [{', '.join(formats)}]\n",
        encoding="utf-8",
    )
    return config
