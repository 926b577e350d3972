"""Hostile content: markup pasted into YAML stays text; a hostile template reads nothing.

Two builds run in this process (so the socket layer can be watched): one of a project whose
YAML strings and translation memory are full of HTML, scripts, CSS and `file:`/`http:` URLs,
one of a project whose *template* tries to pull in local files and network resources. Each
test then looks at the rendered HTML, the PDF read back with pypdf (text, attachments, link
annotations and every decompressed stream) and what was fetched or connected to.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from pypdf import PdfReader
from pypdf.generic import StreamObject
from typer.testing import CliRunner

import briefpack.output.pdf
from briefpack.cli import app
from briefpack.output.theme import PACKAGED
from tests.badinput.cases import B, P, rewrite
from tests.support import DEMO_PACK, copy_project, override, squash

pytestmark = pytest.mark.slow

PASSWD_MARK = b"root:x:0:0"  # the first line of /etc/passwd on every Linux
SECRET = "MARKER-SECRET-4711"  # a file outside templates/ a hostile template tries to read
CSS_SECRET = "MARKER-CSS-0815"  # generated content of a stylesheet outside templates/
FONT_SECRET = "MARKER-FONT-2342"  # a "font" outside templates/


@dataclass
class Watch:
    """What a build did: HTML rendered, URLs requested, connections and lookups tried."""

    html: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    connects: list[object] = field(default_factory=list)
    lookups: list[object] = field(default_factory=list)


@dataclass
class Built:
    """One in-process build of a hostile project."""

    root: Path
    pdf: Path
    exit_code: int
    output: str
    watch: Watch
    port: int
    accepted: list[object]

    @property
    def html(self) -> str:
        assert len(self.watch.html) == 1, "expected exactly one rendered document"
        return self.watch.html[0]


@pytest.fixture(scope="module")
def listener() -> Iterator[socket.socket]:
    """A loopback TCP listener that hostile URLs point at; it must never see a connection."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.setblocking(False)
    yield srv
    srv.close()


def _accepted(srv: socket.socket) -> list[object]:
    got: list[object] = []
    while True:
        try:
            conn, addr = srv.accept()
        except BlockingIOError:
            return got
        conn.close()
        got.append(addr)


def _build(root: Path, srv: socket.socket, *args: str) -> Built:
    """Build `root` in-process while recording HTML, fetches, connects and DNS lookups."""
    import weasyprint

    watch = Watch()
    real_html, real_make_fetcher = weasyprint.HTML, briefpack.output.pdf.make_fetcher
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def html(*a: Any, **kw: Any) -> Any:
        if isinstance(kw.get("string"), str):
            watch.html.append(kw["string"])
        return real_html(*a, **kw)

    def make_fetcher(templates_dir: Path) -> Any:
        fetcher = real_make_fetcher(templates_dir)
        fetch = fetcher.fetch

        def recording(url: str, headers: Any = None) -> Any:
            watch.fetched.append(url)
            return fetch(url, headers)

        fetcher.fetch = recording
        return fetcher

    def connect(self: socket.socket, address: Any) -> None:
        watch.connects.append(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        watch.connects.append(address)
        return real_connect_ex(self, address)

    def getaddrinfo(*a: Any, **kw: Any) -> Any:
        watch.lookups.append(a)
        raise OSError("name lookups are not allowed while rendering")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(weasyprint, "HTML", html)
        mp.setattr(briefpack.output.pdf, "make_fetcher", make_fetcher)
        mp.setattr(socket.socket, "connect", connect)
        mp.setattr(socket.socket, "connect_ex", connect_ex)
        mp.setattr(socket, "getaddrinfo", getaddrinfo)
        # --jobs 1: the pack renders in this process, where the socket layer is watched
        # (on two cores the CLI would render it in a worker process).
        result = CliRunner().invoke(app, ["build", "--project", str(root), "--jobs", "1", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Built(
        root,
        # a --draft build writes <pack>.draft.pdf (never the final name)
        root / "out" / (f"{DEMO_PACK}.draft.pdf" if "--draft" in args else f"{DEMO_PACK}.pdf"),
        result.exit_code,
        result.stdout + result.stderr,
        watch,
        srv.getsockname()[1],
        _accepted(srv),
    )


def pdf_text(path: Path) -> str:
    """Return the text of every page, squashed (line breaks and hyphenation removed)."""
    return squash("".join(page.extract_text() or "" for page in PdfReader(path).pages))


def pdf_everything(path: Path) -> bytes:
    """Return the raw PDF followed by every stream object decompressed."""
    reader = PdfReader(path)
    chunks = [path.read_bytes()]
    for num in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(num)
        except Exception:  # free or missing object numbers: nothing to read
            continue
        if isinstance(obj, StreamObject):
            chunks.append(obj.get_data())
    assert len(chunks) > 10, "no streams found: the scan would prove nothing"
    return b"\n".join(chunks)


def link_targets(path: Path) -> list[str]:
    """Return every URI or file target of link annotations in the PDF."""
    out: list[str] = []
    for page in PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            for key in ("/URI", "/F"):
                if key in action:
                    out.append(str(action[key]))
    return out


def secrets() -> list[bytes]:
    """Byte strings that must never appear in a PDF: local file contents and our markers."""
    found = [PASSWD_MARK, SECRET.encode(), CSS_SECRET.encode(), FONT_SECRET.encode()]
    hostname = Path("/etc/hostname").read_bytes().strip() if Path("/etc/hostname").exists() else b""
    if len(hostname) >= 8:  # a short name like "vm" occurs in any PDF by chance
        found.append(hostname)
    return found


# --- hostile YAML content ----------------------------------------------------------------------


def hostile_strings(port: int) -> dict[str, str]:
    """Return the pasted-from-the-web text put into each field."""
    url = f"http://127.0.0.1:{port}"
    return {
        "title": 'Titel <script>alert("t")</script> <b>fett</b> &amp; &lt;',
        "summary_tail": (
            '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/hostname"> '
            f'<img src="{url}/x.png"> <style>@import url(file:///etc/passwd);</style>'
        ),
        "quote": (
            "</blockquote><script>document.write(1)</script>"
            f'<div style="background:url({url}/q)">Zitat</div>'
        ),
        "key_point": "</td><style>body{background:url(file:///etc/passwd)}</style> Punkt",
        "source_url": 'https://example.org/"><img src="file:///etc/passwd">',
        "source_title": "file:///etc/passwd",
        "author": f'<link rel="stylesheet" href="{url}/a.css">',
        "outlet": '<a href="file:///etc/passwd">Klick</a>',
        "executive": f'<iframe src="file:///etc/passwd"></iframe> <img src="{url}/e.png">',
        "english": f'<img src="{url}/en.png"> <b>English</b> file:///etc/passwd',
        "pack_title": '</title><link rel="attachment" href="file:///etc/hostname"><title>',
    }


@pytest.fixture(scope="module")
def hostile_content(
    tmp_path_factory: pytest.TempPathFactory, listener: socket.socket
) -> tuple[Built, dict[str, str]]:
    root = copy_project(tmp_path_factory.mktemp("hostile-yaml") / "p")
    s = hostile_strings(listener.getsockname()[1])

    def briefing(data: dict[str, Any]) -> None:
        data["title"] = s["title"]
        data["summary"] = data["summary"] + " " + s["summary_tail"]
        data["quotes"][0]["text"] = s["quote"]
        data["key_points"][0] = s["key_point"]
        data["source"].update(
            url=s["source_url"], title=s["source_title"], author=s["author"], outlet=s["outlet"]
        )

    def pack(data: dict[str, Any]) -> None:
        data["executive_summary"] = s["executive"] + "\n\n" + data["executive_summary"]
        data["title"]["en"] = s["pack_title"]

    def memory(data: dict[str, Any]) -> None:
        data["entries"][0]["en"] = s["english"]

    rewrite(root, B, briefing)
    rewrite(root, P, pack)
    rewrite(root, "translations/washington-ohnmacht.yaml", memory)
    # --draft: the changed German has no English yet; it is shown as a placeholder.
    return _build(root, listener, "--draft"), s


def test_hostile_yaml_builds(hostile_content: tuple[Built, dict[str, str]]) -> None:
    built, _ = hostile_content
    assert built.exit_code == 0, built.output
    assert built.pdf.read_bytes().startswith(b"%PDF-")


def test_hostile_yaml_is_escaped_in_the_html(hostile_content: tuple[Built, dict[str, str]]) -> None:
    built, s = hostile_content
    html = built.html
    for name, text in s.items():
        if name == "summary_tail":  # the summary is split into sentences; check the pieces
            for piece in text.split("> "):
                assert str(escape(piece)) in html, piece
            continue
        assert str(escape(text)) in html, name
    for raw in ("<script", "<img", "<iframe", '<link rel="attachment"', "<b>", '<a href="file'):
        assert raw not in html, f"{raw} reached the HTML unescaped"
    assert html.count("<style") == 0 and html.count("<link") == 1  # only the template's CSS
    assert html.count("</title>") == 1


def test_hostile_yaml_is_shown_as_text_in_the_pdf(
    hostile_content: tuple[Built, dict[str, str]],
) -> None:
    built, s = hostile_content
    text = pdf_text(built.pdf)
    for name in ("title", "quote", "key_point", "source_url", "source_title", "author", "outlet"):
        assert squash(s[name]) in text, f"{name} is not shown verbatim"
    assert squash(s["english"]) in text
    assert squash('<iframe src="file:///etc/passwd"></iframe>') in text
    assert squash(s["pack_title"]) in text
    meta = PdfReader(built.pdf).metadata
    assert meta is not None and s["pack_title"] in (meta.title or "")  # text in /Title too


def test_hostile_yaml_fetches_and_embeds_nothing(
    hostile_content: tuple[Built, dict[str, str]],
) -> None:
    built, _ = hostile_content
    theme = ((built.root / "templates").resolve().as_uri() + "/", PACKAGED.as_uri() + "/")
    assert [u for u in built.watch.fetched if not u.startswith(theme)] == []
    assert built.watch.connects == [] and built.watch.lookups == []
    assert built.accepted == []
    reader = PdfReader(built.pdf)
    assert list(reader.attachments) == []
    assert link_targets(built.pdf) == []  # source.url and <a href> stayed text, not links
    everything = pdf_everything(built.pdf)
    for secret in secrets():
        assert secret not in everything, secret
    assert "render-warning" not in built.output and "blocked" not in built.output


# --- hostile template -------------------------------------------------------------------------


def hostile_template(root: Path, port: int) -> list[str]:
    """Make the copy's template and assets try every way out; return the URLs it names."""
    outside = root.parent
    (outside / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (outside / "font.ttf").write_text(FONT_SECRET + "\n", encoding="utf-8")
    (root / "secret.css").write_text(f'body::before {{ content: "{CSS_SECRET}" }}\n')
    tpl = override(root, "pack.html.j2")  # the project's own copy of the packaged template
    assets = root / "templates" / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "leak.txt").symlink_to(outside / "secret.txt")
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
    # An external entity (XXE) must not be resolved; the parser refuses the whole image.
    (assets / "xxe.svg").write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE svg [<!ENTITY xxe SYSTEM "{(outside / "secret.txt").as_uri()}">]>\n'
        f"{svg}<text x='0' y='20'>&xxe;</text></svg>\n",
        encoding="utf-8",
    )
    # An SVG inside assets/ is allowed; the resources it names in turn are not.
    (assets / "nested.svg").write_text(
        f'{svg}<image href="file:///etc/passwd" width="10" height="10"/>'
        f'<image href="http://127.0.0.1:{port}/svg.png" width="10" height="10"/></svg>\n',
        encoding="utf-8",
    )
    net = f"http://127.0.0.1:{port}"
    font = (outside / "font.ttf").as_uri()
    head = (
        '<link rel="attachment" href="file:///etc/hostname">\n'
        '<link rel="attachment" href="../../secret.txt">\n'
        '<link rel="attachment" href="assets/leak.txt">\n'
        '<link rel="stylesheet" href="../secret.css">\n'
        f'<link rel="stylesheet" href="{net}/s.css">\n'
        "<style>@import url(file:///etc/passwd); "
        f'@import url("{net}/i.css"); '
        f".cover {{ background: url({net}/bg) }} "
        f"@font-face {{ font-family: Evil; src: url({font}) }} "
        "h1 { font-family: Evil }</style>\n"
    )
    body = (
        '<img src="file:///etc/passwd"><img src="../../../etc/passwd">'
        f'<img src="{net}/x.png"><img src="assets/xxe.svg"><img src="assets/nested.svg">'
        '<img src="file://example.invalid/etc/passwd">\n'
    )
    text = tpl.read_text(encoding="utf-8")
    anchor = '<link rel="stylesheet" href="style.css">'
    assert anchor in text and "<body>\n" in text, "the template changed; update this test"
    tpl.write_text(
        text.replace(anchor, anchor + "\n" + head).replace("<body>\n", "<body>\n" + body),
        encoding="utf-8",
    )
    resolved = root.resolve()
    return [
        "file:///etc/hostname",
        (resolved.parent / "secret.txt").as_uri(),
        (resolved / "templates" / "assets" / "leak.txt").as_uri(),
        (resolved / "secret.css").as_uri(),
        f"{net}/s.css",
        "file:///etc/passwd",
        f"{net}/i.css",
        f"{net}/bg",
        font,
        f"{net}/x.png",
        (resolved.parent.parent / "etc" / "passwd").as_uri(),  # ../../../ from templates/
        f"{net}/svg.png",
        (resolved / "templates" / "assets" / "xxe.svg").as_uri(),  # refused by the XML parser
        "file://example.invalid/etc/passwd",
    ]


@pytest.fixture(scope="module")
def hostile_tpl(
    tmp_path_factory: pytest.TempPathFactory, listener: socket.socket
) -> tuple[Built, list[str]]:
    # Deep enough that ../../../etc/passwd from templates/ does not reach the real /etc.
    root = copy_project(tmp_path_factory.mktemp("hostile-template") / "a" / "b" / "p")
    urls = hostile_template(root, listener.getsockname()[1])
    # --verbose: a build lists each finding (a blocked resource among them), not their count.
    return _build(root, listener, "--verbose"), urls


def test_hostile_template_still_builds(hostile_tpl: tuple[Built, list[str]]) -> None:
    built, _ = hostile_tpl
    assert built.exit_code == 0, built.output
    assert built.pdf.read_bytes().startswith(b"%PDF-")


def test_hostile_template_reads_no_local_file(hostile_tpl: tuple[Built, list[str]]) -> None:
    built, _ = hostile_tpl
    assert list(PdfReader(built.pdf).attachments) == []
    everything = pdf_everything(built.pdf)
    for secret in secrets():
        assert secret not in everything, f"{secret!r} leaked into the PDF"
    assert CSS_SECRET not in pdf_text(built.pdf)


def test_hostile_template_touches_no_network(hostile_tpl: tuple[Built, list[str]]) -> None:
    built, _ = hostile_tpl
    assert built.watch.connects == []
    assert built.watch.lookups == []
    assert built.accepted == []


def test_every_blocked_resource_is_reported(hostile_tpl: tuple[Built, list[str]]) -> None:
    built, urls = hostile_tpl
    warnings = [line for line in built.output.splitlines() if line.startswith("warning:")]
    fetched = set(built.watch.fetched)
    for url in urls:
        assert url in fetched, f"{url} was never requested: the test would prove nothing"
        assert any(url in w for w in warnings), f"no warning names {url}:\n" + "\n".join(warnings)
    assert all("templates/pack.html.j2" in w for w in warnings), warnings
