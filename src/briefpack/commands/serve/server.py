"""The HTTP side of `serve`: routes, the security checks, and an answer to every request.

Stack: the standard library's `ThreadingHTTPServer` (one user, a handful of routes; an ASGI
stack would add dependencies and an event loop for nothing). Pages come from `Site`, which a
`Watcher` rebuilds once per change; no request runs the prepare phase.

Every request gets one complete answer: a status line, `Content-Length`, `Connection: close`
and the security headers below, or the connection is closed after the socket timeout. Bad
requests (a NUL or control character in the path, a name over 255 bytes, a symlink loop,
non-UTF-8 escapes, deeply nested or malformed JSON, a short body) are answered 400/404/411/
413; a client that goes away is logged at debug level; anything unexpected is logged as one
line (the traceback at debug level) and answered 500. Nothing is printed.

Security model: bound to 127.0.0.1; the `Host` header must name this server (DNS
rebinding); every write is a `POST /api/approve` carrying the per-server random token (in
the review page) in `X-Briefpack-Token`, with a JSON body of at most `MAX_BODY` bytes whose
text passes `text_problem`; pages may not be framed (`frame-ancestors 'none'`,
`X-Frame-Options: DENY`) and run only the server's own scripts; static files come from
the theme (the project's templates/, then the packaged one), never a template's source; all text is
escaped by Jinja. Writes go through `TranslationMemory.put_reviewed` + `save` (atomic,
locked, merge-on-save), so a concurrent `translate` or hand edit loses nothing.

Other pages add routes to the tables `PreviewServer.gets` and `.posts` (a path, or a prefix
ending in `/` that an id follows → a handler returning status, body and content type): the
briefing editor (`editor`: `/edit…`, `POST /api/briefing…`) and the Inbox view
(`inbox_view`: `GET /inbox`, `POST /api/inbox/accept|dismiss`) do. Their writes pass the same
checks as `/api/approve` and go through the same locked, atomic writers as the CLI.
"""

from __future__ import annotations

import hmac
import json
import logging
import mimetypes
import os
import secrets
import stat
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from briefpack.commands.serve.editor import Editor
from briefpack.commands.serve.inbox_view import Inbox
from briefpack.commands.serve.site import GetRoute, PostRoute, Reply, Site, static_asset
from briefpack.commands.serve.watch import Watcher
from briefpack.errors import BriefpackError, UsageError
from briefpack.util.paths import Project
from briefpack.util.text import normalize, text_problem

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
MAX_BODY = 256 * 1024
NAME_MAX = 255  # bytes in one file name (Linux, macOS)
SOCKET_TIMEOUT_S = 20  # a connection idle this long is closed
LONG_POLL_S = 25  # a tab's wait for the next epoch is answered after this at the latest
ASSET_PREFIX = "/_serve/"
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Content-Security-Policy": "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",  # the pages' scripts are files under /_serve/, none inline
            "style-src 'self' 'unsafe-inline'",  # a project's template may style inline
            "img-src 'self' data:",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    ),
    "Connection": "close",
}


class HttpError(Exception):
    """A request answered with an error status and a one-line reason."""

    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class PreviewServer:
    """A running preview: its URL, write token, pages and watcher; `shutdown` stops it."""

    project: Project
    packs: tuple[str, ...]
    httpd: ThreadingHTTPServer
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    write_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.site = Site(self.project, self.packs, self.token)
        self.watcher = Watcher(self.project, self.site.rebuild)
        editor = Editor(self.project, self.site, self.write_lock)
        inbox = Inbox(self.project, self.site, self.write_lock)
        self.gets: dict[str, GetRoute] = {**editor.gets, **inbox.gets}
        self.posts: dict[str, PostRoute] = {
            "/api/approve": self.approve_request,
            **editor.posts,
            **inbox.posts,
        }

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def serve_forever(self) -> None:
        """Serve until `shutdown` (or Ctrl-C in the caller)."""
        self.httpd.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Stop watching, answer the waiting tabs, stop serving and close the socket."""
        self.watcher.stop()
        self.site.close()
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- writes ---------------------------------------------------------------------------

    def approve_request(self, rest: str, data: object) -> Reply:
        """Answer `POST /api/approve` (`{key, en}`): store a reviewed translation."""
        key, en = _approval(data)
        for name, text in (("key", key), ("English", en)):
            problem = text_problem(text)
            if problem is not None:
                raise HttpError(HTTPStatus.BAD_REQUEST, f"the {name} {problem}; nothing was stored")
        try:
            answer = self.approve(key, en)
        except BriefpackError as exc:
            raise HttpError(HTTPStatus.CONFLICT, "; ".join(exc.lines())) from None
        return HTTPStatus.OK, json.dumps(answer).encode(), "application/json"

    def approve(self, key: str, en: str) -> dict[str, object]:
        """Store `en` as the reviewed translation of segment `key`; return what was written."""
        from briefpack.qa.pair import check_pair
        from briefpack.source.load import load_content
        from briefpack.translation.exchange.units import current_segments

        text = normalize(en)
        if not text:
            raise UsageError("the English is empty")
        with self.write_lock:
            content = load_content(self.project)
            seg = current_segments(content).get(key)
            if seg is None:
                raise UsageError(f"no current segment {key}")
            content.memory.put_reviewed(seg, text)
            written = content.memory.save()
        findings = check_pair(seg.text, text, content.glossary, matches=content.terms_in(seg.text))
        file = self.project.rel(written[0]) if written else "(unchanged)"
        return {"ok": True, "key": key, "file": file, "findings": [f.to_dict() for f in findings]}

    def static(self, path: str) -> Path | None:
        """Return the theme file (a stylesheet or an asset) a decoded URL path names, or None.

        The project's templates/ first, then the packaged theme (`output.theme`); never a path
        outside them, never a template's source.
        """
        from briefpack.output.theme import Theme

        parts = [p for p in path.split("/") if p]
        if not parts or any(
            p.startswith(".") or len(p.encode("utf-8", "surrogateescape")) > NAME_MAX for p in parts
        ):
            return None  # `..`, hidden files, names no file system holds
        theme = Theme(self.project.templates_dir)
        name = "/".join(parts)
        return theme.stylesheet(name) or theme.asset(name)


class _Handler(BaseHTTPRequestHandler):
    server_version = "briefpack"
    default_request_version = "HTTP/1.0"  # answer even a garbled request line with headers
    timeout = SOCKET_TIMEOUT_S  # StreamRequestHandler sets it on the socket
    preview: PreviewServer  # set on the per-server subclass

    # --- answers --------------------------------------------------------------------------

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.client_address[0], *args)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a request the standard library refused (bad request line, 501, 414…)."""
        self._send(code, f"{message or HTTPStatus(code).phrase}\n".encode(), "text/plain")

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self._respond_head(status, ctype, len(body))
        self.wfile.write(body)

    def _respond_head(self, status: int, ctype: str, length: int) -> None:
        self._answered = True
        self.close_connection = True
        self.send_response(status)
        if ctype.startswith("text/") and "charset" not in ctype:
            ctype += "; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        for name, value in HEADERS.items():
            self.send_header(name, value)
        self.end_headers()

    def _json(self, status: int, data: dict[str, object]) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    # --- dispatch -------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch(self._get)

    def do_POST(self) -> None:
        self._dispatch(self._post)

    def _dispatch(self, route: Callable[[], None]) -> None:
        self._answered = False
        try:
            if self.headers.get("Host", "") not in (
                f"{HOST}:{self.preview.port}",
                f"localhost:{self.preview.port}",
            ):
                raise HttpError(HTTPStatus.FORBIDDEN, "wrong host")
            route()
        except HttpError as exc:
            log.debug("%s %r: %d %s", self.command, self.path[:200], exc.status, exc.reason)
            self._refuse(exc.status, exc.reason)
        except ConnectionError as exc:
            log.debug("%s %r: the client went away (%s)", self.command, self.path[:200], exc)
            self.close_connection = True
        except TimeoutError:  # a body that stopped coming, or an answer nobody reads
            log.debug("%s %r: timed out", self.command, self.path[:200])
            self._refuse(HTTPStatus.REQUEST_TIMEOUT, "the request took too long")
        except Exception as exc:  # the last line: every request is answered, the server lives
            log.error("%s %r: %s: %s", self.command, self.path[:200], type(exc).__name__, exc)
            log.debug("request failed", exc_info=True)
            self._refuse(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error (see the terminal)")

    def _refuse(self, status: HTTPStatus, reason: str) -> None:
        if self._answered:  # the head is out: nothing more can be said on this connection
            self.close_connection = True
            return
        if self.command == "POST" or self.path.startswith("/api/"):
            self._json(status, {"error": reason})
        else:
            self._send(status, f"{reason}\n".encode(), "text/plain")

    def _path(self) -> str:
        """Return the request's decoded path; refuse NUL, control characters, bad UTF-8."""
        try:
            path = unquote(urlsplit(self.path).path, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise HttpError(HTTPStatus.BAD_REQUEST, "the path is not UTF-8") from None
        if any(ch < " " or ch == "\x7f" for ch in path):
            raise HttpError(HTTPStatus.BAD_REQUEST, "control character in the path")
        return path

    # --- GET ------------------------------------------------------------------------------

    def _get(self) -> None:
        path = self._path()
        site = self.preview.site
        if path == "/api/epoch":
            since = parse_qs(urlsplit(self.path).query).get("since", ["0"])[0]
            if not since.isdigit() or len(since) > 20:
                raise HttpError(HTTPStatus.BAD_REQUEST, "since: expected an epoch number")
            self._json(HTTPStatus.OK, {"epoch": site.wait(int(since), LONG_POLL_S)})
            return
        found = _route(self.preview.gets, path)
        if found is not None:
            self._send(*found[0](found[1], urlsplit(self.path).query))
            return
        pack = parse_qs(urlsplit(self.path).query).get("pack", [""])[0]
        page = site.page(path, pack)
        if page is not None:
            self._send(HTTPStatus.OK, page, "text/html")
            return
        if path.startswith(ASSET_PREFIX):
            asset = static_asset(path.removeprefix(ASSET_PREFIX))
            if asset is None:
                raise HttpError(HTTPStatus.NOT_FOUND, "not found")
            self._send(HTTPStatus.OK, asset, _content_type(path))
            return
        file = self.preview.static(path)
        if file is None:
            raise HttpError(HTTPStatus.NOT_FOUND, "not found")
        self._send_file(file)

    def _send_file(self, file: Path) -> None:
        try:  # O_NONBLOCK: a FIFO put in templates/ must not hang the request
            fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
        except OSError:
            raise HttpError(HTTPStatus.NOT_FOUND, "not found") from None
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(fd)
            size = info.st_size
            if not stat.S_ISREG(info.st_mode):
                raise HttpError(HTTPStatus.NOT_FOUND, "not found")
            self._respond_head(HTTPStatus.OK, _content_type(file.name), size)
            left = size
            while left > 0:  # what fstat said, even if the file grows meanwhile
                chunk = f.read(min(left, 1 << 16))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)

    # --- POST -----------------------------------------------------------------------------

    def _post(self) -> None:
        token = self.headers.get("X-Briefpack-Token", "")
        if not hmac.compare_digest(token.encode(), self.preview.token.encode()):
            raise HttpError(HTTPStatus.FORBIDDEN, "missing or wrong token")
        found = _route(self.preview.posts, self._path())
        if found is None:
            raise HttpError(HTTPStatus.NOT_FOUND, "not found")
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON")
        handler, rest = found
        self._send(*handler(rest, _parse_json(self._body())))

    def _body(self) -> bytes:
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            raise HttpError(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length")
        if not length_header.isdigit() or len(length_header) > 12:
            raise HttpError(HTTPStatus.BAD_REQUEST, "bad Content-Length")
        length = int(length_header)
        if length > MAX_BODY:
            raise HttpError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body is over {MAX_BODY} bytes"
            )
        body = self.rfile.read(length)
        if len(body) != length:
            raise HttpError(HTTPStatus.BAD_REQUEST, "the body is shorter than its Content-Length")
        return body


R = TypeVar("R")


def _route(table: Mapping[str, R], path: str) -> tuple[R, str] | None:
    """Return the handler of `path` and what follows its prefix (`/edit/<id>`), or None."""
    if path in table:
        return table[path], ""
    for prefix, handler in table.items():
        if prefix.endswith("/") and path.startswith(prefix) and len(path) > len(prefix):
            return handler, path[len(prefix) :]
    return None


def _parse_json(body: bytes) -> object:
    """Return a request body's JSON, or refuse it (400)."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise HttpError(HTTPStatus.BAD_REQUEST, "the body is not JSON") from None


def _approval(data: object) -> tuple[str, str]:
    """Return (key, en) from a JSON body, or refuse it (400)."""
    key = data.get("key") if isinstance(data, dict) else None
    en = data.get("en") if isinstance(data, dict) else None
    if not isinstance(key, str) or not isinstance(en, str):
        raise HttpError(HTTPStatus.BAD_REQUEST, "expected {key, en} strings")
    return key, en


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log what escaped a handler (a client gone mid-answer) instead of printing it.

        An OSError here comes from the client's socket (gone, timed out, or closed under a
        handler while the server stops): not the server's fault, so a debug line only.
        """
        exc = sys.exc_info()[1]
        level = logging.DEBUG if isinstance(exc, OSError) else logging.ERROR
        log.log(level, "connection from %s: %s: %s", client_address[0], type(exc).__name__, exc)


def start(project: Project, packs: Sequence[str] = (), *, port: int = 0) -> PreviewServer:
    """Bind the preview server on 127.0.0.1 (port 0: any free port) for `packs` (none: all),
    render the pages once and start watching; then call `serve_forever`."""
    packs = tuple(dict.fromkeys(packs))
    if packs:
        from briefpack.source.load import load_content

        load_content(project).select_packs(packs)  # unknown pack: UsageError now, not later
    try:
        httpd = _Server((HOST, port), BaseHTTPRequestHandler)
    except (OSError, OverflowError) as exc:  # in use, not allowed, not a port number
        reason = exc.strerror if isinstance(exc, OSError) else "not a port number (0-65535)"
        raise UsageError(f"cannot listen on {HOST}:{port}: {reason}") from None
    server = PreviewServer(project, packs, httpd)
    httpd.RequestHandlerClass = type("Handler", (_Handler,), {"preview": server})
    server.watcher.start()  # first: a change during the first render is not missed
    server.site.rebuild()
    return server
