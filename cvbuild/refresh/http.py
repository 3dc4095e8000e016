"""A small polite HTTP client over ``http.client``: bounded in size, time and where it goes.

- **Size.** Each answer is read in chunks and abandoned as soon as it passes ``max_bytes``
  (``refresh.max_response_mb``, default 20 MB); a ``Content-Length`` over the cap fails before
  the body is read. Nothing asks for compression, so no body grows after it is read.
- **Time.** ``timeout`` bounds each wait for the network (connect, one read); ``deadline()``
  bounds everything one source does (``refresh.timeout``, default 180 s): requests, retries and
  waits. A watchdog closes the connection when the deadline passes, so a server that trickles
  one byte a second (or sends endless headers) ends there.
- **Redirects.** At most ``max_redirects`` hops, each only to ``http``/``https`` (never ``ftp:``,
  ``file:``, ...), on the same host and port as the request that was redirected. Two exceptions:
  ``http`` → ``https`` on the same host (ports 80 → 443), and the hosts in
  :data:`REDIRECT_ALLOW`, reached over ``https`` on the default port: ``doi.org`` hands a DOI on
  to its registration agency (Crossref, DataCite) for BibTeX. Any other redirect fails the
  request and names both addresses.
- **Retries.** Timeouts, resets, truncated bodies, 429 and 5xx are retried with backoff and
  ``Retry-After``. Every wait goes through an injectable ``sleep`` (tests pass a recorder, so
  nothing sleeps), and the sum of all waits of one client is capped (``max_total_wait``): a
  server asking for a longer wait makes the request fail at once rather than hang a cron job.
- Bodies are checked against what the caller expects, so an HTML rate-limit or bot-wall page
  never reads as "no papers". Proxies from ``http_proxy``/``https_proxy`` are honoured.
"""

from __future__ import annotations

import base64
import contextlib
import email.utils
import http.client
import re
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

from cvbuild import __version__

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
EXPECT_TYPES = {
    "bibtex": ("x-bibtex", "text/plain", "bibtex", "octet-stream"),
    "json": ("json",),
    "xml": ("xml", "atom"),
    "any": (),
}
# Cross-host redirects that are allowed (https, default port only): from a host to these.
REDIRECT_ALLOW: Mapping[str, frozenset[str]] = {
    "doi.org": frozenset(
        {"api.crossref.org", "data.crossref.org", "api.datacite.org", "data.datacite.org"}
    ),
    "dx.doi.org": frozenset({"doi.org"}),
}
MB = 1024 * 1024
_CHUNK = 64 * 1024
_ERROR_BODY_CAP = 64 * 1024  # what is read of an error page (to tell HTML from the rest)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class FetchError(Exception):
    """A request that failed for good; ``str()`` says why, for a person."""

    def __init__(self, message: str, url: str = "", status: int | None = None) -> None:
        super().__init__(redact(message))
        self.url = redact(url)
        self.status = status


class DeadlineError(FetchError):
    """The source's overall deadline passed; no later request of that source is tried."""


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-case names
    text: str

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


# Query parameters that carry a secret (OpenAlex ``api_key``, NCBI ``api_key``): never shown.
SECRET_PARAMS = ("api_key", "apikey", "key", "token", "access_token")
_SECRET_RE = re.compile(r"(?i)([?&](?:" + "|".join(SECRET_PARAMS) + r")=)[^&#\s)]*")


def redact(text: str) -> str:
    """``text`` with the values of secret query parameters replaced by ``***``."""
    return _SECRET_RE.sub(r"\1***", text) if text else text


def user_agent(mailto: str = "") -> str:
    text = f"cvbuild/{__version__} (+https://github.com/cvbuild/cvbuild"
    if mailto:
        text += f"; mailto:{mailto}"
    return text + ")"


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body")) or "<html" in head[:100]


def _port(parts: SplitResult) -> int:
    try:
        port = parts.port
    except ValueError:
        port = None
    return port if port is not None else _DEFAULT_PORTS.get(parts.scheme.lower(), 0)


def redirect_refusal(current: str, target: str) -> str | None:
    """Why a redirect from ``current`` to ``target`` is not followed, or None when it may be."""
    here, there = urlsplit(current), urlsplit(target)
    scheme = there.scheme.lower()
    if scheme not in ("http", "https"):
        return f"a redirect to a '{scheme or '?'}:' address ({target}) is not followed"
    host, new_host = (here.hostname or "").lower(), (there.hostname or "").lower()
    port, new_port = _port(here), _port(there)
    if new_host == host:
        if scheme == here.scheme.lower() and new_port == port:
            return None
        if (here.scheme.lower(), port, scheme, new_port) == ("http", 80, "https", 443):
            return None  # the same host, upgraded to https
        return f"a redirect to another port or scheme ({target}) is not followed"
    if new_host in REDIRECT_ALLOW.get(host, ()) and scheme == "https" and new_port == 443:
        return None
    return f"a redirect to another host ({target}) is not followed"


@dataclass
class HttpClient:
    mailto: str = ""
    timeout: float = 20.0  # one wait for the network (connect, a read)
    retries: int = 3  # attempts after the first
    backoff: float = 1.0  # first wait; doubles each retry
    max_total_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    max_bytes: int = 20 * MB  # the largest body accepted
    max_redirects: int = 5
    waited: float = 0.0
    requests: int = 0
    _last: dict[str, float] = field(default_factory=dict)
    _deadline: float | None = None  # on ``clock``; None = no overall deadline
    _deadline_seconds: float = 0.0

    def pace(self, key: str, interval: float) -> None:
        """Keep ``interval`` seconds between requests that share ``key`` (arXiv: 3 s)."""
        now = self.clock()
        last = self._last.get(key)
        if last is not None and now - last < interval:
            self._check_deadline(interval - (now - last), "")
            self.sleep(interval - (now - last))
        self._last[key] = self.clock()

    @contextlib.contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        """Everything done inside the block must end within ``seconds`` (DeadlineError)."""
        saved = (self._deadline, self._deadline_seconds)
        self._deadline, self._deadline_seconds = self.clock() + seconds, seconds
        try:
            yield
        finally:
            self._deadline, self._deadline_seconds = saved

    def remaining(self) -> float | None:
        return None if self._deadline is None else self._deadline - self.clock()

    def _deadline_error(self, url: str) -> DeadlineError:
        return DeadlineError(
            f"took longer than its deadline of {self._deadline_seconds:g} s in all "
            "(refresh.timeout); stopped",
            url,
        )

    def _check_deadline(self, more: float, url: str) -> None:
        left = self.remaining()
        if left is not None and left - more <= 0:
            raise self._deadline_error(url)

    def _wait(self, seconds: float, url: str, why: str) -> None:
        if self.waited + seconds > self.max_total_wait:
            raise FetchError(
                f"{why}; giving up instead of waiting {seconds:.0f} s more "
                f"(the cap on waiting is {self.max_total_wait:.0f} s)",
                url,
            )
        left = self.remaining()
        if left is not None and seconds >= left:
            raise DeadlineError(
                f"{why}; giving up instead of waiting {seconds:.0f} s more: that passes the "
                f"deadline of {self._deadline_seconds:g} s (refresh.timeout)",
                url,
            )
        self.waited += seconds
        self.sleep(seconds)

    def get(
        self,
        url: str,
        *,
        accept: str = "*/*",
        expect: str = "any",
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """GET ``url``; retries timeouts, resets, truncated bodies, 429 and 5xx. ``headers``
        are sent as well (an API key header: it is kept on same-host redirects only, which
        are the only ones followed besides :data:`REDIRECT_ALLOW`)."""
        headers = {**(headers or {}), "User-Agent": user_agent(self.mailto), "Accept": accept}
        attempt = 0
        while True:
            self._check_deadline(0.0, url)
            try:
                response = self._follow(url, headers)
            except _Retryable as exc:
                if attempt >= self.retries:
                    raise FetchError(
                        f"{exc.reason} (after {attempt + 1} attempts)", url, exc.status
                    ) from None
                delay = exc.retry_after
                if delay is None:
                    delay = self.backoff * (2**attempt)
                self._wait(delay, url, exc.reason)
                attempt += 1
                continue
            return _check(response, expect)

    def _follow(self, url: str, headers: dict[str, str]) -> Response:
        """One request and the redirects it is allowed to follow."""
        current = url
        for _ in range(self.max_redirects + 1):
            response = self._once(current, headers)
            if response.status not in REDIRECT_STATUSES:
                return response
            location = response.headers.get("location", "").strip()
            if not location:
                raise FetchError(f"HTTP {response.status} without a Location to go to", current)
            target = urljoin(current, location)
            refusal = redirect_refusal(current, target)
            if refusal is not None:
                raise FetchError(refusal, current, response.status)
            current = target
        raise FetchError(f"more than {self.max_redirects} redirects", url)

    def _connection(
        self, parts: SplitResult, timeout: float
    ) -> tuple[http.client.HTTPConnection, str]:
        """A connection for ``parts`` (through a proxy when the environment names one) and
        the request target to send."""
        scheme = parts.scheme.lower()
        host = parts.hostname or ""
        port = _port(parts)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        proxy = urllib.request.getproxies().get(scheme)
        if proxy and urllib.request.proxy_bypass(host):
            proxy = None
        proxy_headers: dict[str, str] = {}
        if proxy:
            p = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
            if p.username:
                pair = f"{unquote(p.username)}:{unquote(p.password or '')}".encode()
                proxy_headers["Proxy-Authorization"] = "Basic " + base64.b64encode(pair).decode()
            proxy_host, proxy_port = p.hostname or "", p.port or 8080
            if scheme == "https":
                conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                    proxy_host, proxy_port, timeout=timeout, context=ssl.create_default_context()
                )
                conn.set_tunnel(host, port, headers=proxy_headers)
                return conn, target
            conn = http.client.HTTPConnection(proxy_host, proxy_port, timeout=timeout)
            return conn, parts.geturl()
        if scheme == "https":
            context = ssl.create_default_context()
            return http.client.HTTPSConnection(host, port, timeout=timeout, context=context), target
        return http.client.HTTPConnection(host, port, timeout=timeout), target

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        self.requests += 1
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise FetchError(f"only http and https addresses are fetched, not '{url}'", url)
        left = self.remaining()
        timeout = self.timeout if left is None else max(0.001, min(self.timeout, left))
        conn, target = self._connection(parts, timeout)
        killed = threading.Event()
        watchdog: threading.Timer | None = None
        if left is not None:

            def kill() -> None:
                killed.set()
                sock = conn.sock
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)

            watchdog = threading.Timer(left, kill)
            watchdog.daemon = True
            watchdog.start()
        try:
            conn.putrequest("GET", target, skip_accept_encoding=True)
            for name, value in {
                **headers,
                "Accept-Encoding": "identity",
                "Connection": "close",
            }.items():
                conn.putheader(name, value)
            conn.endheaders()
            raw = conn.getresponse()
            got = {k.lower(): v for k, v in raw.getheaders()}
            status = raw.status
            if status >= 400:
                body = self._read(raw, url, min(self.max_bytes, _ERROR_BODY_CAP), killed, cut=True)
                body_text = body.decode("utf-8", "replace")
                html = " (the server sent an HTML page)" if looks_like_html(body_text) else ""
                reason = f"HTTP {status} {raw.reason}{html}"
                if status in RETRY_STATUSES:
                    wait = parse_retry_after(got.get("retry-after"), time.time())
                    raise _Retryable(reason, status, wait)
                raise FetchError(reason, url, status)
            if status in REDIRECT_STATUSES:
                return Response(url, status, got, "")
            declared = got.get("content-length", "").strip()
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(self._too_big(int(declared), announced=True), url, status)
            body = self._read(raw, url, self.max_bytes, killed)
        except (FetchError, _Retryable):
            raise
        except TimeoutError:
            if killed.is_set():
                raise self._deadline_error(url) from None
            raise _Retryable(f"no answer within {self.timeout:g} s (timeout)", None, None) from None
        except ssl.SSLError as exc:
            if killed.is_set():
                raise self._deadline_error(url) from None
            raise FetchError(f"the secure connection failed ({exc.reason or exc})", url) from None
        except (OSError, http.client.HTTPException) as exc:
            if killed.is_set():
                raise self._deadline_error(url) from None
            if isinstance(exc, socket.gaierror):
                raise _Retryable(
                    f"cannot connect: unknown host {parts.hostname}", None, None
                ) from None
            if isinstance(exc, (ConnectionError, http.client.HTTPException)):
                raise _Retryable(
                    f"connection failed: {exc.__class__.__name__}", None, None
                ) from None
            raise _Retryable(f"cannot connect: {exc.strerror or exc}", None, None) from None
        finally:
            if watchdog is not None:
                watchdog.cancel()
            conn.close()
        if killed.is_set():
            raise self._deadline_error(url)
        charset = "utf-8"
        for part in got.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            text = body.decode(charset, "replace")
        except LookupError:
            text = body.decode("utf-8", "replace")
        return Response(url, status, got, text)

    def _too_big(self, size: int, *, announced: bool) -> str:
        what = f"announced {size / MB:.1f} MB" if announced else "sent more than that"
        return (
            f"the answer is over the size limit of {self.max_bytes / MB:g} MB "
            f"(refresh.max_response_mb): the server {what}; stopped reading"
        )

    def _read(
        self,
        raw: http.client.HTTPResponse,
        url: str,
        cap: int,
        killed: threading.Event,
        *,
        cut: bool = False,
    ) -> bytes:
        """The body in chunks: at most ``cap`` bytes (more is an error, or cut off when
        ``cut``), stopping when the watchdog fires."""
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = raw.read1(_CHUNK)
            if killed.is_set():
                raise self._deadline_error(url)
            if not chunk:
                break
            total += len(chunk)
            if total > cap:
                if cut:
                    chunks.append(chunk[: len(chunk) - (total - cap)])
                    return b"".join(chunks)
                raise FetchError(self._too_big(total, announced=False), url, raw.status)
            chunks.append(chunk)
        missing = raw.length
        if not cut and missing:
            raise _Retryable(
                f"truncated response: got {total} bytes, {missing} more were announced",
                None,
                None,
            )
        return b"".join(chunks)


class _Retryable(Exception):
    def __init__(self, reason: str, status: int | None, retry_after: float | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


def _check(response: Response, expect: str) -> Response:
    wanted = {"bibtex": "BibTeX", "json": "JSON", "xml": "XML"}.get(expect)
    if wanted is None:
        return response
    if response.content_type == "text/html" or looks_like_html(response.text):
        raise FetchError(
            f"got an HTML page where {wanted} was expected "
            "(a rate-limit, login or bot-check page?)",
            response.url,
            response.status,
        )
    if not response.text.strip():
        raise FetchError(f"got an empty body where {wanted} was expected", response.url)
    return response
