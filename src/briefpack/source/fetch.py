"""Fetch one source from an http(s) URL, bounded in time, size and redirects.

Written on the standard library's urllib rather than a client library: one GET with a
handful of limits needs no connection pool, and urllib honours the proxy environment
variables (``https_proxy``, ``no_proxy``) users behind a proxy rely on.

- Schemes: only ``http`` and ``https``, for the URL given and for every redirect
  (``file:``, ``ftp:``, ``data:`` … are a usage error, exit 2).
- Time: ``timeout`` seconds per connect/read, and the same again as a deadline for the whole
  body, so a server trickling bytes cannot hold the command.
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
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlsplit

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
    opener = urllib.request.build_opener(_redirects(max_redirects))
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
            if length and length.isdigit() and int(length) > limit:
                raise _too_large(url, limit)
            data = _read(response, url, limit=limit, deadline=time.monotonic() + timeout)
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
            raise NetworkError(f"{url}: more than {max_redirects} redirects") from None
        raise NetworkError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except (OSError, http.client.HTTPException) as exc:
        # URLError, timeouts and refused connections are all OSError.
        reason = getattr(exc, "reason", None) or exc
        raise NetworkError(f"{url}: could not fetch ({reason})") from None
    return Fetched(final, data, kind, content_type, etag, modified)


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


def _read(response: IO[bytes], url: str, *, limit: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise NetworkError(f"{url}: timed out while reading the body")
        chunk = response.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_large(url, limit)
