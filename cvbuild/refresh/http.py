"""A small polite HTTP client over urllib: timeouts, retries with backoff, ``Retry-After``.

Every wait goes through an injectable ``sleep`` (tests pass a recorder, so nothing sleeps), and
the sum of all waits of one client is capped (``max_total_wait``): a server asking for a longer
wait makes the request fail at once rather than hang a cron job. Bodies are checked against
what the caller expects, so an HTML rate-limit or bot-wall page never reads as "no papers".
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from cvbuild import __version__

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
EXPECT_TYPES = {
    "bibtex": ("x-bibtex", "text/plain", "bibtex", "octet-stream"),
    "json": ("json",),
    "xml": ("xml", "atom"),
    "any": (),
}


class FetchError(Exception):
    """A request that failed for good; ``str()`` says why, for a person."""

    def __init__(self, message: str, url: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-case names
    text: str

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


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


@dataclass
class HttpClient:
    mailto: str = ""
    timeout: float = 20.0
    retries: int = 3  # attempts after the first
    backoff: float = 1.0  # first wait; doubles each retry
    max_total_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    waited: float = 0.0
    requests: int = 0
    _last: dict[str, float] = field(default_factory=dict)

    def pace(self, key: str, interval: float) -> None:
        """Keep ``interval`` seconds between requests that share ``key`` (arXiv: 3 s)."""
        now = self.clock()
        last = self._last.get(key)
        if last is not None and now - last < interval:
            self.sleep(interval - (now - last))
        self._last[key] = self.clock()

    def _wait(self, seconds: float, url: str, why: str) -> None:
        if self.waited + seconds > self.max_total_wait:
            raise FetchError(
                f"{why}; giving up instead of waiting {seconds:.0f} s more "
                f"(the cap on waiting is {self.max_total_wait:.0f} s)",
                url,
            )
        self.waited += seconds
        self.sleep(seconds)

    def get(self, url: str, *, accept: str = "*/*", expect: str = "any") -> Response:
        """GET ``url``; retries timeouts, resets, truncated bodies, 429 and 5xx."""
        headers = {"User-Agent": user_agent(self.mailto), "Accept": accept}
        attempt = 0
        while True:
            try:
                response = self._once(url, headers)
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

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        self.requests += 1
        request = urllib.request.Request(url, headers=headers, method="GET")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as raw:
                body = raw.read()
                status = raw.status
                final = raw.geturl()
                got = {k.lower(): v for k, v in raw.headers.items()}
        except urllib.error.HTTPError as exc:
            got = {k.lower(): v for k, v in (exc.headers or {}).items()}
            try:
                body_text = exc.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                body_text = ""
            html = " (the server sent an HTML page)" if looks_like_html(body_text) else ""
            reason = f"HTTP {exc.code} {exc.reason}{html}"
            if exc.code in RETRY_STATUSES:
                wait = parse_retry_after(got.get("retry-after"), time.time())
                raise _Retryable(reason, exc.code, wait) from None
            raise FetchError(reason, url, exc.code) from None
        except http.client.IncompleteRead as exc:
            raise _Retryable(
                f"truncated response: got {len(exc.partial)} bytes, "
                f"{exc.expected} more were announced",
                None,
                None,
            ) from None
        except TimeoutError:
            raise _Retryable(f"no answer within {self.timeout:g} s (timeout)", None, None) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise _Retryable(
                    f"no answer within {self.timeout:g} s (timeout)", None, None
                ) from None
            raise _Retryable(f"cannot connect: {exc.reason}", None, None) from None
        except (ConnectionError, http.client.HTTPException) as exc:
            raise _Retryable(f"connection failed: {exc.__class__.__name__}", None, None) from None
        charset = "utf-8"
        for part in got.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            text = body.decode(charset, "replace")
        except LookupError:
            text = body.decode("utf-8", "replace")
        return Response(final, status, got, text)


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
