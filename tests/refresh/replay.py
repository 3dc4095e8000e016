"""A loopback HTTP server that replays ../shared/fixtures/sources and injects faults.

Plain code (no pytest), so that the refresh tests and bench/ can both start it."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

ORCID = "0000-0002-0613-2229"
DBLP_PID = "95/7448-1"
INSPIRE_BAI = "J.M.Maldacena.1"
INSPIRE_CITATIONS = 17_500  # served in the INSPIRE JSON route for Maldacena:1997re
OPENALEX_ORCID = "0000-0002-7363-531X"  # the author in openalex/authors_orcid_…json
OPENALEX_AUTHOR = "A5015603191"
OPENALEX_CURSOR2 = "cGFnZTI="  # the second page (synthesized: a work of the same author)
S2_AUTHOR = "1723755"
PUBMED_ORCID = OPENALEX_ORCID
# The PMIDs the PubMed esearch route returns: the three recorded efetch records and one
# synthesized record (41476450, from the idconv recording) whose PMCID only idconv knows.
PUBMED_IDS = ("29963580", "12091962", "9997", "41476450")
SYNTH_RECORD = (
    '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">41476450'
    "</PMID><Article><Journal><JournalIssue><Volume>31</Volume><PubDate><Year>2026</Year>"
    "<Month>Feb</Month></PubDate></JournalIssue><Title>Oncology letters</Title></Journal>"
    "<ArticleTitle>A synthesized record for the PMC ID converter.</ArticleTitle>"
    "<AuthorList><Author><LastName>Scalfani</LastName><ForeName>Vincent F</ForeName></Author>"
    "</AuthorList></Article></MedlineCitation><PubmedData><ArticleIdList>"
    '<ArticleId IdType="pubmed">41476450</ArticleId><ArticleId IdType="doi">'
    "10.3892/ol.2025.15437</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"
)
DOIS_WITH_BIBTEX = {
    "10.1126/science.169.3946.635": "crossref/doi_10.1126_science.169.3946.635.x-bibtex.bib",
    "10.1139/cjc-2022-0282": "crossref/doi_10.1139_cjc-2022-0282.x-bibtex.bib",
}
CURATED = """@article{xu2021verification,
  author = {Di Xu* and Zhenkun Wen* and Andres {Garcia Coleto} and Michael Pomerantz and John C. Lambropoulos and Jannick P. Rolland},
  title = {Verification of Cascade {OCT} for Freeform Optics Form Metrology},
  journal = {Optics Express},
  year = {2021},
  doi = {10.1364/OE.413844},
  note = {* = equal contribution},
  selected = {true},
}
"""


@dataclass
class Fault:
    kind: str  # timeout | status | html | truncated | redirect | junk | body | huge | trickle ...
    times: int = 1_000_000  # how many requests it hits before the path behaves again
    status: int = 500
    retry_after: str | None = None
    body: str = ""  # "body": the text served instead of the recording
    size: int = 0  # "huge": bytes streamed (generated, never held in memory)
    declare_length: bool = True  # "huge": announce the size in Content-Length
    location: str = ""  # "redirect-to": where the 302 points
    interval: float = 1.0  # "trickle", "trickle-headers": seconds between two bytes


@dataclass
class Replay:
    root: Path
    faults: dict[str, Fault] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    accepts: list[tuple[str, str]] = field(default_factory=list)
    port: int = 0
    stall: float = 0.5  # how long a "timeout" fault keeps the client waiting
    bump: int = 0  # added to every synthetic citation count (counts "ticking up")
    # The synthetic author with the ids spread out: OpenAlex gives only PMIDs (and its own
    # titles), S2 only DOIs, PubMed both; one work then links only through its PMID.
    synth_mix: bool = False
    headers_seen: list[dict[str, str]] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fault(self, prefix: str, kind: str, **kwargs: object) -> None:
        self.faults[prefix] = Fault(kind, **kwargs)  # type: ignore[arg-type]

    def count(self, prefix: str) -> int:
        return sum(1 for h in self.hits if h.startswith(prefix))

    # --- the recorded answers -------------------------------------------------------------
    def route(self, path: str, query: dict[str, list[str]], accept: str) -> tuple:
        src = self.root
        if path == f"/dblp/pid/{DBLP_PID}.bib":
            body = "\n".join(p.read_text() for p in sorted(src.glob("dblp/rec_*.bib")))
            return 200, "application/x-bibtex; charset=utf-8", body, {}
        if path == f"/orcid/v3.0/{ORCID}/works":
            if "json" not in accept:
                return 406, "text/plain", "Not Acceptable", {}
            return 200, "application/json", (src / f"orcid/v3.0_{ORCID}_works.json").read_text(), {}
        if path.startswith(f"/orcid/v3.0/{ORCID}/works/"):
            name = f"orcid/v3.0_{ORCID}_works_bulk_89975745_76065020.json"
            return 200, "application/json", (src / name).read_text(), {}
        if path == "/crossref/works":
            if query.get("cursor") != ["*"]:
                empty = {"status": "ok", "message": {"items": [], "total-results": 3}}
                return 200, "application/json", json.dumps(empty), {}
            data = json.loads(
                (src / "crossref/works_query.author_carl_boettiger_TRIMMED.json").read_text()
            )
            message = data["message"]
            for doi in DOIS_WITH_BIBTEX:
                message["items"].append(
                    {"DOI": doi, "title": ["placeholder"], "type": "journal-article"}
                )
            message["total-results"] = len(message["items"])
            message["next-cursor"] = "page2"
            return 200, "application/json", json.dumps(data), {"x-rate-limit-limit": "5"}
        if path.startswith("/doi/"):
            doi = unquote(path[len("/doi/") :])
            target = f"/crossref/v1/works/{quote(doi, safe='')}/transform"
            return 302, "text/html", "<html><body>redirect</body></html>", {"Location": target}
        match = re.match(r"^/crossref/v1/works/(.+)/transform$", path)
        if match:
            doi = unquote(match.group(1))
            if "x-bibtex" not in accept:
                return 406, "text/plain", "Not Acceptable", {}
            if doi not in DOIS_WITH_BIBTEX:
                return 404, "text/plain", "Resource not found.", {}
            return 200, "application/x-bibtex", (src / DOIS_WITH_BIBTEX[doi]).read_text(), {}
        if path == "/arxiv/api/query":
            text = (
                src / "arxiv/query_search_query_au_del_maestro_start0_max10.atom.xml"
            ).read_text()
            if query.get("start", ["0"]) != ["0"]:
                text = re.sub(r"<entry>.*?</entry>\s*", "", text, flags=re.DOTALL)
            return 200, "application/atom+xml", text, {}
        if path == "/arxiv/bibtex/1706.03762":
            return (
                200,
                "text/plain",
                (src / "arxiv/arxiv.org_bibtex_1706.03762.bib").read_text(),
                {},
            )
        if path == "/inspire/api/literature":
            if query.get("q") != [f"a {INSPIRE_BAI}"]:
                return 400, "application/json", '{"message": "bad query"}', {}
            if query.get("format") != ["bibtex"]:
                # The recorded JSON envelope, its one hit re-labelled as the BibTeX record.
                data = json.loads((src / "inspire/api_literature_search_TRIMMED.json").read_text())
                meta = data["hits"]["hits"][0]["metadata"]
                meta["texkeys"] = ["Maldacena:1997re"]
                meta["dois"] = [{"value": "10.1023/A:1026654312961"}]
                meta["citation_count"] = INSPIRE_CITATIONS + self.bump
                return 200, "application/json", json.dumps(data), {}
            body = (src / "inspire/bibtex_Maldacena1997re_SHAPE.bib").read_text()
            return 200, "application/x-bibtex", body, {}
        if path.startswith("/openalex/"):
            return self.openalex(path, query)
        if path.startswith("/s2/"):
            return self.s2(path, query)
        if path.startswith("/pubmed/"):
            return self.pubmed(path, query)
        match = re.match(r"^/synth/(\d+)/(\w+)(/.*)$", path)
        if match:
            return synth_route(
                int(match.group(1)),
                match.group(2),
                match.group(3),
                query,
                self.bump,
                self.synth_mix,
            )
        return 404, "text/plain", f"no route for {path}", {}

    def openalex(self, path: str, query: dict[str, list[str]]) -> tuple:
        src = self.root / "openalex"
        if path in (
            f"/openalex/authors/https://orcid.org/{OPENALEX_ORCID}",
            f"/openalex/authors/{OPENALEX_AUTHOR}",
        ):
            body = (src / f"authors_orcid_{OPENALEX_ORCID}_TRIMMED.json").read_text()
            return 200, "application/json", body, {}
        if path == "/openalex/works":
            if query.get("filter") != [f"author.id:{OPENALEX_AUTHOR}"]:
                return 400, "application/json", '{"error": "Invalid query parameters"}', {}
            data = json.loads(
                (src / "works_filter_author.id_cursor_page1_SYNTHESIZED_ENVELOPE.json").read_text()
            )
            cursor = query.get("cursor", [""])[0]
            if cursor == "*":
                data["meta"]["next_cursor"] = OPENALEX_CURSOR2
                return 200, "application/json", json.dumps(data), {}
            if cursor == OPENALEX_CURSOR2:
                work = data["results"][0]
                work.update(
                    id="https://openalex.org/W2560386744",
                    doi="https://doi.org/10.1186/s13321-016-0181-z",
                    display_name="Programmatic conversion of crystal structures into 3D "
                    "printable files using Jmol",
                    publication_year=2016,
                    publication_date="2016-11-23",
                    cited_by_count=41 + self.bump,
                    ids={
                        "pmid": "https://pubmed.ncbi.nlm.nih.gov/27933103",
                        "pmcid": "https://www.ncbi.nlm.nih.gov/pmc/articles/5122160",
                    },
                )
                work["authorships"] = [
                    {
                        "author_position": "first",
                        "author": {
                            "id": f"https://openalex.org/{OPENALEX_AUTHOR}",
                            "display_name": "Vincent F. Scalfani",
                        },
                    },
                ]
                data["meta"]["next_cursor"] = None
                return 200, "application/json", json.dumps(data), {}
            return 200, "application/json", '{"meta": {"next_cursor": null}, "results": []}', {}
        return 404, "application/json", '{"error": "not found"}', {}

    def s2(self, path: str, query: dict[str, list[str]]) -> tuple:
        src = self.root / "s2"
        if path == f"/s2/graph/v1/author/{S2_AUTHOR}":
            body = {
                "authorId": S2_AUTHOR,
                "name": "L. Cantley",
                "hIndex": 4,
                "citationCount": 1028 + self.bump,
                "paperCount": 879,
            }
            return 200, "application/json", json.dumps(body), {}
        if path == f"/s2/graph/v1/author/{S2_AUTHOR}/papers":
            offset = query.get("offset", ["0"])[0]
            name = (
                f"graph_v1_author_{S2_AUTHOR}_papers_offset0_limit100_TRIMMED.json"
                if offset == "0"
                else f"graph_v1_author_{S2_AUTHOR}_papers_offset800_limit100_lastpage_TRIMMED.json"
            )
            return 200, "application/json", (src / name).read_text(), {}
        return 404, "application/json", '{"error": "Author not found"}', {}

    def pubmed(self, path: str, query: dict[str, list[str]]) -> tuple:
        src = self.root / "pubmed"
        if path == "/pubmed/esearch.fcgi":
            if query.get("term") != [f"{PUBMED_ORCID}[auid]"]:
                empty = {
                    "esearchresult": {"count": "0", "retmax": "0", "retstart": "0", "idlist": []}
                }
                return 200, "application/json", json.dumps(empty), {}
            start = int(query.get("retstart", ["0"])[0])
            size = int(query.get("retmax", ["20"])[0])
            data = json.loads((src / "esearch_term_ydenberg_ca_retmode_json.json").read_text())
            result = data["esearchresult"]
            result.update(
                count=str(len(PUBMED_IDS)),
                retmax=str(size),
                retstart=str(start),
                idlist=list(PUBMED_IDS[start : start + size]),
            )
            return 200, "text/plain", json.dumps(data), {}  # NCBI's own content type varies
        if path == "/pubmed/efetch.fcgi":
            wanted = query.get("id", [""])[0].split(",")
            found: dict[str, str] = {"41476450": SYNTH_RECORD}
            for name in (
                "efetch_db_pubmed_id_29963580_retmode_xml.xml",
                "efetch_db_pubmed_id_12091962_9997_retmode_xml.xml",
            ):
                text = (src / name).read_text()
                for record in re.findall(r"<PubmedArticle>.*?</PubmedArticle>", text, re.DOTALL):
                    pmid = re.search(r"<PMID[^>]*>(\d+)</PMID>", record)
                    if pmid:
                        found[pmid.group(1)] = record
            head = '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
            body = (
                head
                + "<PubmedArticleSet>"
                + "".join(found[i] for i in wanted if i in found)
                + "</PubmedArticleSet>"
            )
            return 200, "text/xml", body, {}
        if path.rstrip("/") == "/pubmed/idconv":
            data = json.loads((src / "idconv_v1.0_idtype_pmid_10ids_format_json.json").read_text())
            known = {r["requested-id"]: r for r in data["records"]}
            ids = query.get("ids", [""])[0].split(",")
            data["records"] = [known.get(i, {"pmid": i, "requested-id": i}) for i in ids]
            return 200, "application/json", json.dumps(data), {}
        return 404, "text/plain", "no such E-utility", {}


def _handler(replay: Replay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def _send(
            self, status: int, ctype: str, body: str, headers: dict, length: int | None = None
        ) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data) if length is None else length))
            for name, value in headers.items():
                self.send_header(name, value)
            if length is not None:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def _stream(self, size: int, declare_length: bool) -> None:
            """``size`` bytes of valid-looking BibTeX, written a chunk at a time."""
            self.send_response(200)
            self.send_header("Content-Type", "application/x-bibtex")
            if declare_length:
                self.send_header("Content-Length", str(size))
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            chunk = (b"@misc{k, title = {" + b"x" * 65_000 + b"}}\n")[:65_536]
            sent = 0
            while sent < size:
                part = chunk[: size - sent]
                self.wfile.write(part)
                sent += len(part)

        def _trickle(self, in_headers: bool, interval: float) -> None:
            """One byte every ``interval`` seconds, for as long as the client listens."""
            if in_headers:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            else:
                self.send_response(200)
                self.send_header("Content-Type", "application/x-bibtex")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"@misc{k, title = {")
            self.wfile.flush()
            for _ in range(100_000):
                time.sleep(interval)
                self.wfile.write(b"a")
                self.wfile.flush()

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            path, query = parts.path, parse_qs(parts.query)
            accept = self.headers.get("Accept", "")
            replay.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
            replay.hits.append(path)
            replay.accepts.append((path, accept))
            fault = next(
                (f for p, f in replay.faults.items() if path.startswith(p) and f.times > 0), None
            )
            if fault is not None:
                fault.times -= 1
                if fault.kind == "timeout":
                    time.sleep(replay.stall)
                    with_body = replay.route(path, query, accept)
                    with contextlib.suppress(OSError):  # the client has gone
                        self._send(*with_body)
                    return
                if fault.kind == "status":
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    page = (
                        replay.root / "dblp/error_429_too_many_requests_PARTIAL.html"
                    ).read_text()
                    self._send(fault.status, "text/html", page, headers)
                    return
                if fault.kind == "html":
                    page = "<!DOCTYPE html><html><head><title>Making sure you're not a bot!</title></head><body>Anubis</body></html>"
                    self._send(200, "text/html; charset=utf-8", page, {})
                    return
                if fault.kind == "html-as-json":
                    page = "<html><body>Service temporarily unavailable</body></html>"
                    self._send(200, "application/json", page, {})
                    return
                if fault.kind == "truncated":
                    status, ctype, body, headers = replay.route(path, query, accept)
                    cut = body[: len(body) // 2]
                    self._send(status, ctype, cut, headers, length=len(body.encode()))
                    return
                if fault.kind == "truncated-json":  # no Content-Length lie: a cut body
                    status, ctype, body, headers = replay.route(path, query, accept)
                    self._send(status, ctype, body[: len(body) // 2], headers)
                    return
                if fault.kind == "redirect":
                    self._send(302, "text/html", "moved", {"Location": "/moved" + self.path})
                    return
                if fault.kind == "redirect-to":
                    self._send(302, "text/html", "moved", {"Location": fault.location})
                    return
                if fault.kind == "body":
                    self._send(200, "application/x-bibtex; charset=utf-8", fault.body, {})
                    return
                if fault.kind == "huge":
                    with contextlib.suppress(OSError):  # the client hangs up at its cap
                        self._stream(fault.size, fault.declare_length)
                    return
                if fault.kind in ("trickle", "trickle-headers"):
                    with contextlib.suppress(OSError):
                        self._trickle(fault.kind == "trickle-headers", fault.interval)
                    return
            if path.startswith("/moved/"):
                self.path = self.path[len("/moved") :]
                parts = urlsplit(self.path)
                path, query = parts.path, parse_qs(parts.query)
            self._send(*replay.route(path, query, accept))

    return Handler


@contextlib.contextmanager
def serve(root: Path) -> Iterator[Replay]:
    """Serve ``root`` (the sources fixtures) on 127.0.0.1 at a free port until the block ends."""
    state = Replay(root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


# --- a synthetic author: the same N works seen by OpenAlex, S2, PubMed and INSPIRE --------


def synth_count(i: int, source: str, bump: int) -> int:
    base = (i * 37) % 200
    return max(0, base + {"openalex": 0, "s2": 2, "inspire": -1}.get(source, 0) + bump)


def synth_doi(i: int) -> str:
    return f"10.5555/synth.{i}"


def synth_title(i: int) -> str:
    return f"Synthetic study {i} of citation metrics"


def synth_openalex_title(i: int) -> str:
    """OpenAlex's title of work ``i`` when ids are spread out: too far from the others' for
    the title fallback (and another first word, so another cite key): only the PMID links it."""
    return f"Worded by OpenAlex: {synth_title(i).lower()}, with a long subtitle of its own"


def synth_route(
    n: int, source: str, rest: str, query: dict[str, list[str]], bump: int, mix: bool = False
) -> tuple:
    """Routes of the synthetic N-work author (``/synth/N/{openalex,s2,pubmed,inspire}/…``)."""
    ok = "application/json"
    if source == "openalex":
        if rest.startswith("/authors/"):
            counts = [synth_count(i, "openalex", bump) for i in range(n)]
            h = sum(1 for r, c in enumerate(sorted(counts, reverse=True), 1) if c >= r)
            body = {
                "id": "https://openalex.org/A5000000001",
                "cited_by_count": sum(counts),
                "summary_stats": {"h_index": h, "i10_index": sum(c >= 10 for c in counts)},
            }
            return 200, ok, json.dumps(body), {}
        page = (
            int(query.get("cursor", ["*"])[0].lstrip("p") or 0)
            if query.get("cursor") != ["*"]
            else 0
        )
        per = int(query.get("per_page", ["100"])[0])
        results = [
            {
                "id": f"https://openalex.org/W{9000000 + i}",
                "doi": None if mix else f"https://doi.org/{synth_doi(i)}",
                "display_name": synth_openalex_title(i) if mix else synth_title(i),
                "publication_year": 2000 + i % 25,
                "type": "article",
                "cited_by_count": synth_count(i, "openalex", bump),
                "ids": {"pmid": f"https://pubmed.ncbi.nlm.nih.gov/{30000000 + i}"},
                "authorships": [
                    {"author": {"display_name": "Ada Lovelace"}},
                    {"author": {"display_name": "Bo Li"}},
                ],
                "primary_location": {
                    "source": {"display_name": "Journal of Tests", "type": "journal"}
                },
            }
            for i in range(page * per, min(n, (page + 1) * per))
        ]
        more = (page + 1) * per < n
        body = {"meta": {"next_cursor": f"p{page + 1}" if more else None}, "results": results}
        return 200, ok, json.dumps(body), {}
    if source == "s2":
        if not rest.endswith("/papers"):
            return 200, ok, json.dumps({"authorId": "1", "hIndex": 0, "citationCount": 0}), {}
        offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["100"])[0])
        data = [
            {
                "paperId": f"s2{i}",
                "title": synth_title(i),
                "year": 2000 + i % 25,
                "externalIds": {"DOI": synth_doi(i).upper()}
                if mix
                else {"DOI": synth_doi(i).upper(), "PubMed": str(30000000 + i)},
                "citationCount": synth_count(i, "s2", bump),
                "venue": "Journal of Tests",
                "authors": [
                    {"authorId": "1", "name": "Ada Lovelace"},
                    {"authorId": "2", "name": "Bo Li"},
                ],
            }
            for i in range(offset, min(n, offset + limit))
        ]
        body: dict[str, object] = {"offset": offset, "data": data}
        if offset + limit < n:
            body["next"] = offset + limit
        return 200, ok, json.dumps(body), {}
    if source == "pubmed":
        if rest == "/esearch.fcgi":
            start, size = int(query.get("retstart", ["0"])[0]), int(query.get("retmax", ["20"])[0])
            ids = [str(30000000 + i) for i in range(start, min(n, start + size))]
            body = {"esearchresult": {"count": str(n), "idlist": ids}}
            return 200, ok, json.dumps(body), {}
        if rest == "/efetch.fcgi":
            records = []
            for pmid in query.get("id", [""])[0].split(","):
                i = int(pmid) - 30000000
                pmc = f'<ArticleId IdType="pmc">PMC{100000 + i}</ArticleId>' if i % 2 == 0 else ""
                records.append(
                    f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal>"
                    f"<JournalIssue><PubDate><Year>{2000 + i % 25}</Year></PubDate></JournalIssue>"
                    f"<Title>Journal of Tests</Title></Journal><ArticleTitle>{synth_title(i)}."
                    "</ArticleTitle><AuthorList><Author><LastName>Lovelace</LastName><ForeName>Ada"
                    "</ForeName></Author><Author><LastName>Li</LastName><ForeName>Bo</ForeName>"
                    "</Author></AuthorList></Article></MedlineCitation><PubmedData><ArticleIdList>"
                    f'<ArticleId IdType="pubmed">{pmid}</ArticleId><ArticleId IdType="doi">'
                    f"{synth_doi(i)}</ArticleId>{pmc}</ArticleIdList></PubmedData></PubmedArticle>"
                )
            return (
                200,
                "text/xml",
                "<PubmedArticleSet>" + "".join(records) + "</PubmedArticleSet>",
                {},
            )
        if rest.rstrip("/") == "/idconv":
            ids = query.get("ids", [""])[0].split(",")
            records = [
                {"pmid": i, "pmcid": f"PMC{100000 + int(i) - 30000000}", "requested-id": i}
                for i in ids
            ]
            return 200, ok, json.dumps({"status": "ok", "records": records}), {}
    if source == "inspire":
        if query.get("format") == ["bibtex"]:
            entries = [
                f'@article{{Lovelace:{i},\n    author = "Lovelace, Ada and Li, Bo",\n'
                f'    title = "{{{synth_title(i)}}}",\n    doi = "{synth_doi(i)}",\n'
                f'    journal = "Journal of Tests",\n    year = "{2000 + i % 25}"\n}}\n'
                for i in range(n)
            ]
            return 200, "application/x-bibtex", "\n".join(entries), {}
        hits = [
            {
                "metadata": {
                    "texkeys": [f"Lovelace:{i}"],
                    "citation_count": synth_count(i, "inspire", bump),
                    "dois": [{"value": synth_doi(i)}],
                }
            }
            for i in range(n)
        ]
        return 200, ok, json.dumps({"hits": {"hits": hits, "total": n}}), {}
    return 404, "text/plain", f"no synthetic route for {source}{rest}", {}
