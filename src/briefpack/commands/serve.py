"""`briefpack serve`: a live HTML preview of a pack and a review page, on 127.0.0.1 only.

Stack: the standard library's `ThreadingHTTPServer`. The server has four routes and one
user; Starlette/uvicorn would add two dependencies and an event loop for nothing. The
browser polls `/api/stamp` every 300 ms (a hash of the mtimes of every input file) and
reloads when it changes: no long-lived connections to drain on shutdown, and a reload
within a second of any change to briefings/, glossary.yaml, translations/, templates/
or seeds/.

The preview is the PDF's own view and template (`prepare` → `Prepared.view` →
`render_html`) with a screen stylesheet added, so no paging. The review page shows each
segment of the pack: German with glossary terms highlighted, English (editable), MT
marked, QA findings beside it. Security model: bound to 127.0.0.1; every write is a POST
carrying the per-server random token (in the page) in a header, with a JSON body, a Host
header naming this server (against DNS rebinding) and a size limit; static files come from
the theme only (templates/, then the packaged theme), resolved and checked to stay inside
it; all text is escaped. Writes go
through `TranslationMemory.put_reviewed` + `save` (atomic, locked, merge-on-save), so a
concurrent `translate` or hand edit loses nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import mimetypes
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup, escape

from briefpack.errors import BriefpackError, UsageError
from briefpack.util.paths import Project
from briefpack.util.text import normalize

HOST = "127.0.0.1"
MAX_BODY = 256 * 1024
WATCHED = ("briefings", "translations", "templates", "seeds")
POLL_MS = 300

SCREEN_CSS = """
@media screen {
  html { background: #e9e9e6; }
  body { max-width: 60rem; margin: 3.5rem auto 2rem; padding: 2rem 2.5rem; background: #fff;
         box-shadow: 0 0 0.6rem rgba(0,0,0,.15); }
  .running-marking { display: none; }
  section, .cover { break-before: auto !important; page-break-before: auto !important;
                    min-height: 0 !important; height: auto !important; }
  /* Placed at the foot of the printed cover page; on screen it follows the facts. */
  .cover-note { position: static !important; margin-top: 8mm; }
}
#bp-bar { position: fixed; top: 0; left: 0; right: 0; z-index: 10; font: 14px/1.4 sans-serif;
          background: #1f3a5f; color: #fff; padding: .5rem 1rem; display: flex; gap: 1rem; }
#bp-bar a { color: #fff; }
"""

RELOAD_JS = """
(function () {
  let stamp = null;
  async function poll() {
    try {
      const r = await fetch('/api/stamp', {cache: 'no-store'});
      const s = (await r.json()).stamp;
      const dirty = document.querySelector('textarea[data-dirty="1"]');
      if (stamp !== null && s !== stamp && !dirty) { location.reload(); return; }
      if (!dirty) stamp = s;
    } catch (e) { /* server restarting: try again */ }
    setTimeout(poll, POLL_MS);
  }
  poll();
})();
""".replace("POLL_MS", str(POLL_MS))

REVIEW_CSS = """
body { font: 15px/1.45 "Inter", sans-serif; margin: 3.5rem 1rem 2rem; color: #222; }
table { border-collapse: collapse; width: 100%; }
td, th { border-top: 1px solid #ccc; padding: .5rem; vertical-align: top; text-align: left; }
td.de { width: 36%; } td.en { width: 36%; }
textarea { width: 100%; min-height: 4.5rem; font: inherit; box-sizing: border-box; }
mark.term { background: #fff1a8; border-bottom: 2px solid #d9b400; }
.badge { font-size: 12px; padding: 0 .35rem; border-radius: .2rem; color: #fff; }
.badge.machine { background: #b3541e; } .badge.reviewed { background: #2e7d32; }
.badge.missing { background: #777; }
.where { color: #666; font-size: 12px; }
ul.findings { margin: 0; padding-left: 1.1rem; color: #a11; font-size: 13px; }
.saved { color: #2e7d32; font-size: 13px; } .err { color: #a11; font-size: 13px; }
"""

REVIEW_JS = """
const TOKEN = document.querySelector('meta[name=briefpack-token]').content;
document.querySelectorAll('textarea').forEach(t => t.addEventListener('input',
  () => { t.dataset.dirty = '1'; }));
document.querySelectorAll('button.approve').forEach(b => b.addEventListener('click', async () => {
  const row = b.closest('tr'); const area = row.querySelector('textarea');
  const msg = row.querySelector('.msg');
  msg.textContent = 'saving…'; msg.className = 'msg';
  const r = await fetch('/api/approve', {method: 'POST',
    headers: {'Content-Type': 'application/json', 'X-Briefpack-Token': TOKEN},
    body: JSON.stringify({key: row.dataset.key, en: area.value})});
  const data = await r.json();
  if (r.ok) {
    area.dataset.dirty = '0';
    row.querySelector('.badge').textContent = 'reviewed';
    row.querySelector('.badge').className = 'badge reviewed';
    row.dataset.status = 'reviewed';
    msg.textContent = 'approved, saved to ' + data.file; msg.className = 'msg saved';
  } else { msg.textContent = data.error; msg.className = 'msg err'; }
}));
"""


@dataclass
class PreviewServer:
    """A running preview: its URL, write token and a way to stop it."""

    project: Project
    pack: str | None
    httpd: ThreadingHTTPServer
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    write_lock: threading.Lock = field(default_factory=threading.Lock)

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
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- pages ----------------------------------------------------------------------------

    def stamp(self) -> str:
        """Return a hash of every watched input file's path, size and mtime."""
        root = self.project.root
        h = hashlib.sha256()
        paths = [root / "glossary.yaml"]
        for name in WATCHED:
            folder = root / name
            if folder.is_dir():
                paths += sorted(p for p in folder.rglob("*") if p.is_file())
        for p in paths:
            try:
                st = p.stat()
            except OSError:
                continue
            h.update(f"{p}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
        return h.hexdigest()[:16]

    def _prepared(self) -> tuple[Any, Any]:
        from briefpack.prepare import prepare

        prepared = prepare(self.project, [self.pack] if self.pack else [], translate=False)
        if not prepared.packs:
            raise UsageError("no pack to show")
        return prepared, prepared.packs[0]

    def preview_html(self) -> str:
        """Return the pack as HTML: the PDF's view and template, with a screen stylesheet."""
        from briefpack.output.html import render_html

        prepared, pack = self._prepared()
        view, _ = prepared.view(pack)
        html = render_html(view.context(), self.project.templates_dir)
        return _inject(html, self._bar("preview", pack.name), self.token)

    def review_html(self) -> str:
        """Return the review page: every segment of the pack side by side, editable."""
        from briefpack.qa.pair import check_pair
        from briefpack.source.content import unique_segments

        prepared, pack = self._prepared()
        content = prepared.content
        rows = []
        for f, seg in unique_segments(pack.fields):
            entry = content.memory.lookup(seg.key)
            status = "missing" if entry is None else entry.status
            en = "" if entry is None else entry.en
            matches = content.terms_in(seg.text)
            findings = check_pair(seg.text, en, content.glossary, matches=matches) if en else []
            rows.append(
                Markup(
                    '<tr data-key="{key}" data-status="{status}"><td class="where">{key}<br>'
                    '{file}<br>{field}</td><td class="de" lang="de">{de}</td>'
                    '<td class="en" lang="en"><span class="badge {status}">{label}</span>'
                    '<textarea>{en}</textarea><button class="approve">Approve</button> '
                    '<span class="msg"></span></td><td><ul class="findings">{findings}</ul>'
                    "</td></tr>"
                ).format(
                    key=seg.key,
                    status=status,
                    label="MT" if status == "machine" else status,
                    file=content.file_of(seg.doc),
                    field=f.field,
                    de=_highlight(seg.text, matches),
                    en=en,
                    findings=Markup("").join(
                        Markup("<li>{}</li>").format(str(x)) for x in findings
                    ),
                )
            )
        body = Markup(
            '<table id="segments"><thead><tr><th>Segment</th><th>German</th><th>English</th>'
            "<th>Findings</th></tr></thead><tbody>{}</tbody></table>"
        ).format(Markup("").join(rows))
        return _page(
            f"Review: {pack.name}",
            self._bar("review", pack.name),
            body,
            self.token,
            REVIEW_CSS,
            REVIEW_JS,
        )

    def error_html(self, exc: BriefpackError) -> str:
        """Return a page listing the problems; it reloads when the files change."""
        items = Markup("").join(Markup("<li>{}</li>").format(line) for line in exc.lines())
        body = Markup("<h1>{}</h1><ul>{}</ul>").format(exc.message, items)
        return _page(
            "briefpack: error",
            self._bar("error", self.pack or ""),
            body,
            self.token,
            REVIEW_CSS,
            "",
        )

    def _bar(self, mode: str, pack: str) -> Markup:
        return Markup(
            '<div id="bp-bar"><strong>briefpack serve</strong> <span>{}</span>'
            '<a href="/">Preview</a><a href="/review">Review</a><span id="bp-mode">{}</span></div>'
        ).format(pack, mode)

    # --- writes ---------------------------------------------------------------------------

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
        """Return the theme file a URL path names (a stylesheet or an asset), or None.

        The project's templates/ first, then the packaged theme (output.theme); never a
        path outside them, never a template's source.
        """
        from briefpack.output.theme import Theme

        theme = Theme(self.project.templates_dir)
        name = unquote(path).lstrip("/")
        return theme.stylesheet(name) or theme.asset(name)


def _highlight(text: str, matches: list[Any]) -> Markup:
    """Return the German escaped, each glossary term in <mark> with its approved English."""
    out, pos = Markup(""), 0
    for m in sorted(matches, key=lambda m: (m.start, -m.end)):
        if m.start < pos:
            continue
        english = m.entry.de if m.entry.keep else m.entry.en
        out += escape(text[pos : m.start])
        out += Markup('<mark class="term" title="glossary: {}">{}</mark>').format(
            english, text[m.start : m.end]
        )
        pos = m.end
    return out + escape(text[pos:])


def _inject(html: str, bar: Markup, token: str) -> str:
    head = Markup(
        '<meta name="briefpack-token" content="{}"><style>{}</style><script>{}</script>'
    ).format(token, Markup(SCREEN_CSS), Markup(RELOAD_JS))
    html = html.replace("</head>", f"{head}</head>", 1)
    return html.replace("<body>", f"<body>{bar}", 1)


def _page(title: str, bar: Markup, body: Markup, token: str, css: str, js: str) -> str:
    return str(
        Markup(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{}</title>'
            '<meta name="briefpack-token" content="{}"><style>{}{}</style>'
            "<script>{}</script></head><body>{}{}<script>{}</script></body></html>"
        ).format(
            title, token, Markup(SCREEN_CSS), Markup(css), Markup(RELOAD_JS), bar, body, Markup(js)
        )
    )


def _handler(server: PreviewServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "briefpack"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the terminal shows the URL and errors only

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data: dict[str, object]) -> None:
            self._send(status, json.dumps(data).encode(), "application/json")

        def _host_ok(self) -> bool:
            host = self.headers.get("Host", "")
            return host in (f"{HOST}:{server.port}", f"localhost:{server.port}")

        def do_GET(self) -> None:
            if not self._host_ok():
                self._send(HTTPStatus.FORBIDDEN, b"wrong host", "text/plain")
                return
            path = urlsplit(self.path).path
            if path == "/api/stamp":
                self._json(HTTPStatus.OK, {"stamp": server.stamp()})
                return
            page: Callable[[], str] | None = {
                "/": server.preview_html,
                "/review": server.review_html,
            }.get(path)
            if page is not None:
                try:
                    html = page()
                except BriefpackError as exc:
                    html = server.error_html(exc)
                self._send(HTTPStatus.OK, html.encode("utf-8"), "text/html; charset=utf-8")
                return
            file = server.static(path)
            if file is None:
                self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
                return
            ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            self._send(HTTPStatus.OK, file.read_bytes(), ctype)

        def do_POST(self) -> None:
            if not self._host_ok():
                self._json(HTTPStatus.FORBIDDEN, {"error": "wrong host"})
                return
            token = self.headers.get("X-Briefpack-Token", "")
            if not hmac.compare_digest(token.encode(), server.token.encode()):
                self._json(HTTPStatus.FORBIDDEN, {"error": "missing or wrong token"})
                return
            if urlsplit(self.path).path != "/api/approve":
                self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
                return
            if not self.headers.get("Content-Type", "").startswith("application/json"):
                self._json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "send JSON"})
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = -1
            if not 0 < length <= MAX_BODY:
                self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "bad body size"})
                return
            try:
                data = json.loads(self.rfile.read(length))
                key, en = data["key"], data["en"]
                if not isinstance(key, str) or not isinstance(en, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError):
                self._json(HTTPStatus.BAD_REQUEST, {"error": "expected {key, en} strings"})
                return
            try:
                self._json(HTTPStatus.OK, server.approve(key, en))
            except BriefpackError as exc:
                self._json(HTTPStatus.CONFLICT, {"error": "; ".join(exc.lines())})

    return Handler


def start(project: Project, pack: str | None = None, *, port: int = 0) -> PreviewServer:
    """Bind the preview server on 127.0.0.1 (port 0: any free port); call `serve_forever`."""
    if pack is not None:
        from briefpack.source.load import load_content

        load_content(project).select_packs([pack])  # unknown pack: UsageError now, not later

    class Server(ThreadingHTTPServer):
        daemon_threads = True

    try:
        httpd = Server((HOST, port), BaseHTTPRequestHandler)
    except OSError as exc:
        raise UsageError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None
    server = PreviewServer(project, pack, httpd)
    httpd.RequestHandlerClass = _handler(server)
    return server
