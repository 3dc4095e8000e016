"""INSPIRE-HEP against the loopback replay server."""

from __future__ import annotations

from cvbuild.config.model import RefreshSource
from cvbuild.refresh.http import HttpClient
from cvbuild.refresh.sources import SourceError, make_source
from tests.refresh.replay import INSPIRE_BAI, Replay


def source(replay: Replay, value: str = INSPIRE_BAI, **options: str) -> object:
    opts = {"base_url": f"{replay.base}/inspire", "pace": "0", **options}
    return make_source(RefreshSource("inspire", value, tuple(opts.items())))


def test_author_list_as_bibtex_with_ids_normalised(replay: Replay, client: HttpClient) -> None:
    result = source(replay).fetch(client)
    (pub,) = result.pubs  # the replay answers only q=a <BAI>, format=bibtex
    assert pub.title == "The Large N limit of superconformal field theories and supergravity"
    assert pub.get("doi") == "10.1023/a:1026654312961"
    assert pub.get("eprint") == "hep-th/9711200"
    assert pub.year == 1999 and pub.authors[0].family == "Maldacena"
    assert replay.count("/inspire/api/literature") == 2  # BibTeX, then the counts
    assert pub.get("citation_count") == "17500"


def test_a_bad_author_id_is_a_clear_error(replay: Replay, client: HttpClient) -> None:
    try:
        source(replay, "Juan Maldacena").fetch(client)
    except SourceError as exc:
        assert "INSPIRE author id" in str(exc)
    else:
        raise AssertionError("expected a SourceError")


def test_html_instead_of_bibtex_fails_the_source(replay: Replay, client: HttpClient) -> None:
    replay.fault("/inspire", "html")
    try:
        source(replay).fetch(client)
    except Exception as exc:  # noqa: BLE001 — any failure, never "no publications"
        assert "HTML" in str(exc) or "BibTeX" in str(exc)
    else:
        raise AssertionError("expected the source to fail")
