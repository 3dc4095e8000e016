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
# output.locale and a variant's locale: BCP 47 tags with a shipped catalog (cvbuild.i18n)
LOCALES = (
    "en", "de", "fr", "es", "it", "pt", "pt-BR", "nl", "pl", "ru", "uk", "tr", "cs", "sv",
    "da", "nb", "fi", "el", "hu", "ro", "ca", "id", "vi", "zh-CN", "zh-TW", "ja", "ko",
)  # fmt: skip
# other spellings of the shipped tags (case and "_" do not matter): "zh-Hans" is zh-CN
LOCALE_ALIASES = {
    "zh": "zh-CN", "zh-hans": "zh-CN", "zh-hans-cn": "zh-CN", "zh-sg": "zh-CN",
    "zh-hant": "zh-TW", "zh-hant-tw": "zh-TW", "zh-hk": "zh-TW", "pt-pt": "pt", "no": "nb",
    "nb-no": "nb", "en-us": "en", "en-gb": "en", "de-de": "de", "de-at": "de", "de-ch": "de",
    "fr-fr": "fr", "es-es": "es", "it-it": "it", "ja-jp": "ja", "ko-kr": "ko",
}  # fmt: skip


def canonical_locale(tag: str) -> str | None:
    """The shipped tag ``tag`` means ("pt_br" -> "pt-BR", "zh-Hans" -> "zh-CN"), else None."""
    folded = tag.strip().replace("_", "-").lower()
    for known in LOCALES:
        if known.lower() == folded:
            return known
    return LOCALE_ALIASES.get(folded)


# output.labels: the phrases a user may reword (cvbuild.i18n.phrases.PHRASES; a test keeps
# the two equal)
LABEL_KEYS = (
    "present", "et_al", "more_authors", "equal", "corresponding", "student", "updated",
    "page_of", "undated", "submitted", "in_press", "accepted", "under_review", "forthcoming",
    "to_appear", "preprint", "cat_journal", "cat_conference", "cat_workshop", "cat_preprint",
    "cat_book", "cat_thesis", "cat_patent", "cat_other", "phd_thesis", "masters_thesis",
    "tech_report", "arxiv_preprint", "editor", "editors", "pages", "page", "cv_title",
    "in_venue", "in_nlm", "volume", "number", "cited", "metrics_summary", "as_of",
    "link_code", "link_website", "link_video", "link_poster", "link_slides", "degree_in",
    "al_experience", "al_education", "al_awards", "al_volunteer", "al_projects",
    "al_certificates", "al_general", "al_summary", "al_publications", "al_skills",
    "al_interests", "al_languages", "al_full_name", "al_position", "al_email", "al_location",
    "html_contact", "html_notes", "html_back", "contact_phone",
)  # fmt: skip
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
    "LABEL_KEYS",
    "LOCALES",
    "LOCALE_ALIASES",
    "canonical_locale",
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
