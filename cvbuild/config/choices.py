"""The one table of choices: every closed set of words cv.yaml and the command line accept.

The config stage checks values against these tuples, argparse offers them, and render,
compile and build import them rather than keeping copies. Where a key has a default, it
is the first word of its tuple.
"""

from __future__ import annotations

FORMATS = ("pdf", "docx", "md", "tex", "html")  # what a build writes (output.formats, --format)
HEAVY_FORMATS = ("pdf", "docx")  # the formats that run an outside tool (TeX, pandoc)
THEMES = ("academic", "compact")  # a theme is a cvbuild-<theme>.sty and a reference .docx
ENGINES = ("xelatex", "pdflatex", "lualatex")  # output.engine
PAPERS = ("a4", "letter")  # output.paper, a variant's paper
GROUP_BY = ("year", "type", "none")  # a publications section's group_by
ORDERS = ("newest", "oldest")  # a publications section's order
NAME_DISPLAYS = ("as_written", "canonical")  # person.display: how the owner is printed
SECTION_KINDS = ("entries", "publications", "items", "text")  # what a section holds
# the citation styles of cvbuild.format.styles (a test keeps the two lists equal)
STYLES = ("default", "apa", "ieee", "chicago", "vancouver", "nature")
NUMBER_ORDERS = ("reverse", "ascending")  # numbered: true is reverse
NUMBERINGS = ("continuous", "per_group")  # a publications section's numbering
SOURCE_KINDS = (
    "dblp",
    "orcid",
    "arxiv",
    "crossref",
    "inspire",
    "openalex",
    "semanticscholar",
    "pubmed",
)  # refresh.sources
METRICS_SOURCES = ("openalex", "semanticscholar", "inspire")  # metrics.source: who counts

__all__ = [
    "ENGINES",
    "FORMATS",
    "GROUP_BY",
    "HEAVY_FORMATS",
    "NAME_DISPLAYS",
    "NUMBERINGS",
    "NUMBER_ORDERS",
    "ORDERS",
    "PAPERS",
    "SECTION_KINDS",
    "METRICS_SOURCES",
    "SOURCE_KINDS",
    "STYLES",
    "THEMES",
]
