"""Fetch one source from an http(s) URL, bounded in time, size and redirects.

Written on the standard library's urllib rather than a client library: one GET with a
handful of limits needs no connection pool, and urllib honours the proxy environment
variables (``https_proxy``, ``no_proxy``) users behind a proxy rely on.

- Schemes: only ``http`` and ``https``, for the URL given and for every redirect
  (``file:``, ``ftp:``, ``data:`` … are a usage error, exit 2, that says so; urllib itself
  turns a redirect to ``file:`` into an HTTP error, which is looked at for this).
- Time: one deadline, ``timeout`` seconds, for the whole download: connecting, the TLS
  handshake, the status line and headers and the body. Every read from the socket gets
  only the time left as its socket timeout (`_DeadlineSocket`), so a server trickling one
  byte a second, in the headers or in the body, is cut off when the deadline passes.
- Completeness: a body shorter than its ``Content-Length`` (the connection dropped) is a
  `NetworkError`, never a truncated seed.
- Size: a ``Content-Length`` over ``limit`` is refused before reading; the body is read in
  chunks and refused once it passes ``limit`` (servers may lie or send none).
- Redirects: at most ``max_redirects``.
- Content type: web pages, PDF, DOCX and plain text; anything else is refused (exit 3).
- Failures to connect, HTTP errors and timeouts are `NetworkError` (exit 6).

Callers other than `new` (the press intake) pass the content types they read (`kinds`) and
extra request headers; a conditional request (``If-None-Match`` / ``If-Modified-Since``)
answered ``304 Not Modified`` returns a `Fetched` with ``not_modified`` set and no body.
"""

from __future__ import annotations

import http.client
import io
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from briefpack.errors import InputError, NetworkError, UsageError
from briefpack.source.extract import CONTENT_TYPES, SUFFIXES
from briefpack.util.versions import __version__

TIMEOUT = 20.0
MAX_FETCH_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Fetched:
    """The body of a fetched URL, its kind and where it ended up after redirects."""

    url: str
    data: bytes
    kind: str
    content_type: str
    etag: str | None = None  # the validators a later conditional request sends back
    last_modified: str | None = None
    not_modified: bool = False  # a conditional request was answered 304: `data` is empty


def is_url(text: str) -> bool:
    """Return whether `text` looks like a URL (has a scheme) rather than a file name."""
    scheme = urlsplit(text).scheme
    # One letter is a Windows drive ("C:\\x.txt"), not a scheme.
    return len(scheme) > 1 and text[len(scheme) : len(scheme) + 1] == ":"


def check_url(url: str) -> None:
    """Raise `UsageError` unless `url` is an http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in _SCHEMES:
        raise UsageError(
            f"{url}: only http:// and https:// URLs can be fetched (not {parts.scheme}:); "
            "for a local file give its path"
        )
    if not parts.hostname:
        raise UsageError(f"{url}: the URL has no host")


def _redirects(limit: int) -> urllib.request.HTTPRedirectHandler:
    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = limit
        max_repeats = limit

        def redirect_request(
            self,
            req: urllib.request.Request,
            fp: IO[bytes],
            code: int,
            msg: str,
            headers: http.client.HTTPMessage,
            newurl: str,
        ) -> urllib.request.Request | None:
            # urllib would also follow a redirect to ftp:; the first URL's rules hold here.
            check_url(newurl)
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return Redirects()


def fetch(
    url: str,
    *,
    timeout: float = TIMEOUT,
    limit: int = MAX_FETCH_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    kinds: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """GET `url` within the limits above; return its body and kind.

    `kinds` maps the content types the caller reads to kinds (default: `new`'s sources);
    `headers` are added to the request (``Accept``, conditional-request validators).
    """
    check_url(url)
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_redirects(max_redirects), *_deadline_handlers(deadline))
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"briefpack/{__version__} (+source fetch for `briefpack new`)",
            "Accept": "text/html,application/xhtml+xml,application/pdf,"
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.9,"
            "text/plain;q=0.5",
            **(headers or {}),
        },
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            final = response.geturl()
            content_type = response.headers.get_content_type()
            kind = _kind(final, content_type, kinds)
            length = response.headers.get("Content-Length")
            declared = int(length) if length and length.isdigit() else None
            if declared is not None and declared > limit:
                raise _too_large(url, limit)
            data = _read(response, url, limit=limit)
            etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    except urllib.error.HTTPError as exc:
        if exc.code == 304 and headers and _CONDITIONAL & {h.lower() for h in headers}:
            return Fetched(
                exc.geturl() or url,
                b"",
                "",
                "",
                exc.headers.get("ETag"),
                exc.headers.get("Last-Modified"),
                not_modified=True,
            )
        if 300 <= exc.code < 400:
            target = exc.headers.get("Location") if exc.headers else None
            if target:
                check_url(urljoin(exc.url or url, target))  # a redirect to file:, data: …
            raise NetworkError(f"{url}: more than {max_redirects} redirects") from None
        raise NetworkError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except (OSError, http.client.HTTPException) as exc:
        # URLError, timeouts and refused connections are all OSError.
        reason = getattr(exc, "reason", None) or exc
        if isinstance(reason, DeadlineError) or isinstance(exc, DeadlineError):
            raise NetworkError(
                f"{url}: no complete answer within {timeout:g} s (the limit for a download)"
            ) from None
        raise NetworkError(f"{url}: could not fetch ({reason})") from None
    if declared is not None and len(data) < declared:
        raise NetworkError(
            f"{url}: the connection closed after {len(data):,} of {declared:,} bytes; try again"
        )
    return Fetched(final, data, kind, content_type, etag, modified)


class DeadlineError(TimeoutError):
    """The deadline of a whole download passed."""


class _DeadlineReader(io.RawIOBase):
    """A socket's reading side that gives each read only the time left to the deadline."""

    def __init__(self, owner: _DeadlineSocket) -> None:
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        sock = self._owner.sock
        left = self._owner.deadline - time.monotonic()
        if left <= 0:
            raise DeadlineError("the download's deadline passed")
        sock.settimeout(left)
        try:
            return sock.recv_into(buffer)
        except TimeoutError:
            raise DeadlineError("the download's deadline passed") from None

    def close(self) -> None:
        if not self.closed:
            self._owner.release()
        super().close()


class _DeadlineSocket:
    """A connected socket whose `makefile` (how http.client reads) honours a deadline.

    Like `socket.socket`, it really closes only when its readers are closed too: urllib
    closes the connection's socket before the response body is read.
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock, self.deadline = sock, deadline
        self._readers, self._closed = 0, False

    def makefile(self, mode: str = "r", *args: Any, **kwargs: Any) -> io.BufferedReader:
        self._readers += 1
        return io.BufferedReader(_DeadlineReader(self))

    def release(self) -> None:
        self._readers -= 1
        if self._closed and not self._readers:
            self.sock.close()

    def close(self) -> None:
        self._closed = True
        if not self._readers:
            self.sock.close()

    def __getattr__(self, name: str) -> Any:  # sendall, setsockopt …
        return getattr(self.sock, name)


def _deadline_handlers(deadline: float) -> list[urllib.request.BaseHandler]:
    """Return HTTP and HTTPS handlers whose connections honour `deadline` throughout."""

    def left(timeout: float | None) -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlineError("the download's deadline passed")
        return min(timeout, remaining) if timeout is not None else remaining

    class HTTPConnection(http.client.HTTPConnection):
        def connect(self) -> None:
            self.timeout = left(self.timeout)
            super().connect()
            self.sock = _DeadlineSocket(self.sock, deadline)

    class HTTPSConnection(http.client.HTTPSConnection):
        def connect(self) -> None:
            self.timeout = left(self.timeout)  # connect and TLS handshake
            super().connect()
            self.sock = _DeadlineSocket(self.sock, deadline)

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(HTTPConnection, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(HTTPSConnection, req)  # the default, verifying context

    return [HTTPHandler(), HTTPSHandler()]


_CONDITIONAL = {"if-none-match", "if-modified-since"}


def _kind(url: str, content_type: str, kinds: Mapping[str, str] | None = None) -> str:
    if kinds is not None:
        if content_type not in kinds:
            raise InputError(
                f"{url}: cannot use content of type {content_type!r} here "
                f"(expected {', '.join(sorted(set(kinds.values())))})"
            )
        return kinds[content_type]
    kind = CONTENT_TYPES.get(content_type)
    if kind is None and content_type in ("application/octet-stream", "binary/octet-stream"):
        # Some servers label every download so; the name then says what it is.
        kind = SUFFIXES.get("." + urlsplit(url).path.rsplit(".", 1)[-1].lower())
    if kind is None:
        raise InputError(
            f"{url}: cannot use content of type {content_type!r}; "
            "briefpack reads web pages, PDF, DOCX and plain text"
        )
    return kind


def _too_large(url: str, limit: int) -> InputError:
    return InputError(f"{url}: larger than the {limit / 1048576:.0f} MiB limit for a source")


def _read(response: IO[bytes], url: str, *, limit: int) -> bytes:
    # Time is bounded by the socket (`_DeadlineSocket`), size here.
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_large(url, limit)
