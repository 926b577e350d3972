"""A real HTTP server on 127.0.0.1 for the press-intake tests, and their CLI helpers.

It serves the German news pages and the RSS 2.0, RSS 1.0/RDF, Atom and JSON feeds of
tests/fixtures/intake (see its README), the real-world feeds of tests/fixtures/feeds-corpus
under /corpus/ (with the byte replacements a test sets in `Server.edits`, so their links can
lead to this server), answers conditional requests with 304, and logs every request, so the
tests can say what was fetched how often.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner

from briefpack.cli import app
from tests.support import REPO

runner = CliRunner()
FIXTURES = REPO / "tests" / "fixtures" / "intake"
CORPUS = REPO / "tests" / "fixtures" / "feeds-corpus"
ARTICLE = "/politik/ausland/verhandlungsrunde-waffenstillstand-102.html"
AGENCY_COPY = "/nk/welt/genf-gespraeche-waffenstillstand-4471.html"
PAGES = {
    ARTICLE: "rr-verhandlungsrunde.html",
    "/lokales/weihnachtsmarkt-rheinufer-77.html": "rr-weihnachtsmarkt.html",
    AGENCY_COPY: "nk-gespraeche.html",
    "/nk/welt/charkiw-ohne-strom-4468.html": "nk-charkiw.html",
    "/tz/politik/wehretat.html": "tz-haushalt.html",
    "/": "startseite.html",
    "/startseite-als-feed": "startseite.html",
}
FEEDS = {
    "/feeds/rundschau.rss": (FIXTURES / "rundschau-rss2.xml", "application/rss+xml; charset=utf-8"),
    "/feeds/politik.rdf": (FIXTURES / "rundschau-rdf.xml", "application/rdf+xml"),
    "/nk/welt.atom": (FIXTURES / "nordkurier-atom.xml", "application/atom+xml"),
    "/tz/feed.json": (FIXTURES / "tageszeitung.json", "application/feed+json"),
    "/kaputt.xml": (FIXTURES / "kaputt.xml", "application/xml"),
}
# The corpus as servers label such files: XML as text/xml without a charset (the prolog
# names the encoding), JSON Feed as application/json.
CORPUS_TYPES = {".xml": "text/xml", ".rss": "application/rss+xml", ".json": "application/json"}
GOOD_FEEDS = ["/feeds/rundschau.rss", "/feeds/politik.rdf", "/nk/welt.atom", "/tz/feed.json"]


@dataclass
class Server:
    base: str
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    answers: list[tuple[str, int]] = field(default_factory=list)
    edits: dict[str, list[tuple[bytes, bytes]]] = field(default_factory=dict)  # path: [(old, new)]
    pages: dict[str, str] = field(default_factory=dict)  # more article paths: a page of FIXTURES

    def count(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p.split("?")[0] == path)


def _corpus_feed(path: str) -> tuple[Path, str] | None:
    """Return the corpus file /corpus/DIR/NAME names, and its content type; else None."""
    parts = path.split("/")
    if len(parts) != 4 or parts[1] != "corpus" or parts[3].startswith("LICENSE"):
        return None
    file = CORPUS / parts[2] / parts[3]
    return (file, CORPUS_TYPES[file.suffix]) if file.is_file() else None


def _archive() -> bytes:
    items = "".join(f"<item><link>/a/{i}</link></item>" for i in range(100_000))
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


@contextlib.contextmanager
def serve() -> Iterator[Server]:
    """Serve the fixtures; feeds carry an ETag (Atom: only Last-Modified) and answer 304."""
    state: dict[str, Server] = {}
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            srv = state["srv"]
            path = self.path.split("?")[0]
            with lock:
                srv.requests.append((self.path, dict(self.headers.items())))
            status, headers, body = self._route(srv, path)
            with lock:
                srv.answers.append((path, status))
            self.send_response(status)
            for key, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(key, value)
            self.end_headers()
            # The client may give up (a timeout, the size limit), as on a real server.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def _route(self, srv: Server, path: str) -> tuple[int, dict[str, str], bytes]:
            page = PAGES.get(path) or srv.pages.get(path)
            if page is not None:
                body = (FIXTURES / page).read_bytes()
                return 200, {"Content-Type": "text/html; charset=utf-8"}, body
            feed = FEEDS.get(path) or _corpus_feed(path)
            if feed is not None:
                name, ctype = feed
                body = name.read_bytes().replace(b"@BASE@", srv.base.encode())
                for old, new in srv.edits.get(path, []):
                    body = body.replace(old, new)
                tag = f'"{hash(body) & 0xFFFFFFFF:x}"'
                modified = "Mon, 12 Jan 2026 07:20:00 GMT"
                if path == "/nk/welt.atom":
                    headers = {"Content-Type": ctype, "Last-Modified": modified}
                    if self.headers.get("If-Modified-Since") == modified:
                        return 304, {}, b""
                else:
                    headers = {"Content-Type": ctype, "ETag": tag}
                    if self.headers.get("If-None-Match") == tag:
                        return 304, {}, b""
                return 200, headers, body
            if path == "/archiv.xml":
                return 200, {"Content-Type": "application/rss+xml"}, _archive()
            if path == "/langsam.xml":
                time.sleep(2.0)  # longer than the feed timeout the test sets
                return 200, {"Content-Type": "application/rss+xml"}, b"<rss/>"
            return 404, {"Content-Type": "text/plain"}, b"not found"

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state["srv"] = Server(f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state["srv"]
    finally:
        httpd.shutdown()
        httpd.server_close()


def invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def write_feeds(project: Path, base: str, paths: list[str]) -> None:
    lines = ["# Feeds of the desk\nfeeds:\n"]
    for i, path in enumerate(paths):
        lines.append(f"  - url: {base}{path}\n    name: Feed {i}\n")
    (project / "feeds.yaml").write_text("".join(lines), encoding="utf-8")


def inbox_json(project: Path, *flags: str) -> list[dict[str, object]]:
    code, out = invoke("inbox", "list", "--json", *flags, "--project", project)
    assert code == 0, out
    items = json.loads(out)
    assert isinstance(items, list)
    return items


def by_title(items: list[dict[str, object]], start: str) -> dict[str, object]:
    return next(i for i in items if str(i["title"]).startswith(start))
