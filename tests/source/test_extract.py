"""`briefpack new` on web pages (file and URL), PDF and DOCX; bounded fetching; bad sources."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.errors import ExitCode, InputError, NetworkError, UsageError
from briefpack.source.fetch import fetch, is_url
from briefpack.source.load import load_content
from briefpack.util.paths import Project
from tests.support import REPO, copy_project, snapshot

runner = CliRunner()
FIXTURES = REPO / "tests" / "fixtures" / "sources"
ARTICLE = FIXTURES / "artikel.html"
ARTICLE_URL = "https://www.rheinische-rundschau.example/politik/ausland/waffenruhe-sicherheitsgarantien-100.html"
PDF_HTML = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Abschreckung an der Ostflanke: Was die NATO jetzt braucht</title>
<meta name="author" content="Dr. Jörg Weißenberger">
<meta name="dcterms.created" content="2025-11-28T09:00:00+01:00">
<style>@page { size: A5; margin: 15mm } body { font-size: 11pt; hyphens: auto }</style>
</head><body>
<h1>Abschreckung an der Ostflanke: Was die NATO jetzt braucht</h1>
<p>Die Bündnispartner an der Ostflanke verlangen mehr Präsenz. Seit dem Gipfel von Vilnius
ist die Brigade in Litauen im Aufbau; bis 2027 soll sie voll einsatzfähig sein. Doch
Munition, Luftverteidigung und Infrastruktur bleiben knapp, und die Beschaffung dauert Jahre.</p>
<p>Die Bundesregierung verweist auf das Sondervermögen der Bundeswehr. Kritiker halten
dagegen, dass ohne eine dauerhafte Erhöhung des Verteidigungshaushalts keine glaubwürdige
Abschreckung möglich sei.</p>
</body></html>"""


def invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def briefing(project: Path, bid: str) -> dict[str, object]:
    data = yaml.safe_load((project / "briefings" / f"{bid}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# --- a local web server ------------------------------------------------------------------

Route = tuple[int, dict[str, str], bytes | Callable[[http.server.BaseHTTPRequestHandler], None]]


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, Route]]]:
    """Serve `routes` (path -> status, headers, body) on 127.0.0.1 from a thread."""
    routes: dict[str, Route] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = routes.get(self.path, (404, {}, b"not found"))
            if callable(body):
                body(self)
                return
            self.send_response(status)
            for key, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", routes
    finally:
        httpd.shutdown()
        httpd.server_close()


HTML_TYPE = {"Content-Type": "text/html; charset=utf-8"}


# --- web pages ---------------------------------------------------------------------------


def test_new_from_a_url_prefills_every_fact_the_page_states(
    project: Path, server: tuple[str, dict[str, Route]]
) -> None:
    base, routes = server
    routes["/artikel"] = (200, HTML_TYPE, ARTICLE.read_bytes())
    routes["/kurz"] = (301, {"Location": "/artikel"}, b"")
    code, out = invoke("new", f"{base}/kurz", "--project", project)
    assert code == 0, out
    assert "read title, date, outlet, author and url from the page" in out
    bid = "waffenruhe-in-weiter-ferne-europa-ringt"
    source = briefing(project, bid)["source"]
    assert source == {
        "file": f"seeds/005-{bid}.txt",
        "title": "Waffenruhe in weiter Ferne: Europa ringt um Sicherheitsgarantien",
        "outlet": "Rheinische Rundschau",
        "author": "Katrin Müller-Lüdenscheidt",
        "published": dt.date(2026, 1, 7),
        "url": ARTICLE_URL,  # the canonical URL, not the 127.0.0.1 one fetched
    }
    seed = (project / "seeds" / f"005-{bid}.txt").read_text(encoding="utf-8")
    paragraphs = seed.split("\n\n")
    assert paragraphs[0] == "Waffenruhe in weiter Ferne: Europa ringt um Sicherheitsgarantien"
    assert paragraphs[1].startswith("Nach dem Treffen der „Koalition der Willigen“ in Paris")
    assert "ringt um Sicherheitsgarantien" not in seed.split("\n", 1)[1]  # headline once
    for boilerplate in ("Cookies", "Impressum", "Jetzt abonnieren", "Mehr zum Thema"):
        assert boilerplate not in seed
    assert "„ein Versprechen ohne Deckung“" in seed
    content = load_content(Project(project))
    assert bid in content.briefings
    code, out = invoke("check", "--project", project)
    assert code == 0, out
    todos = [line for line in out.splitlines() if "still a TODO" in line]
    assert len(todos) == 8, out  # outlet and author are filled in: two TODOs fewer than a .txt
    assert f"briefing {bid!r} is in no pack" in out


def test_new_from_a_saved_page_without_og_site_name(project: Path, tmp_path: Path) -> None:
    page = tmp_path / "Seite.htm"
    html = ARTICLE.read_text(encoding="utf-8")
    html = html.replace('<meta property="og:site_name" content="Rheinische Rundschau">', "")
    page.write_text(html, encoding="utf-8")
    code, out = invoke("new", page, "--id", "seite", "--project", project)
    assert code == 0, out
    source = briefing(project, "seite")["source"]
    assert isinstance(source, dict)
    # JSON-LD still names the publisher; the date and author come from the metadata.
    assert (source["outlet"], source["published"]) == ("Rheinische Rundschau", dt.date(2026, 1, 7))
    assert source["file"] == "seeds/005-seite.txt"


def test_a_page_with_no_article_is_an_error_naming_it(project: Path, tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(
        "<html><head><title>Startseite</title></head><body><nav><a href='/a'>Politik</a>"
        "<a href='/b'>Sport</a></nav><p>Willkommen!</p></body></html>",
        encoding="utf-8",
    )
    before = snapshot(project)
    code, out = invoke("new", page, "--project", project)
    assert code == ExitCode.INVALID_INPUT, out
    assert out.startswith(f"error: {page}: no article text found")
    assert snapshot(project) == before


# --- PDF and DOCX ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import weasyprint

    path = tmp_path_factory.mktemp("pdf") / "2025-11 Ostflanke.pdf"
    weasyprint.HTML(string=PDF_HTML).write_pdf(path)
    return path


@pytest.mark.slow  # renders a PDF with WeasyPrint
def test_new_from_a_weasyprint_pdf(project: Path, pdf_file: Path) -> None:
    code, out = invoke("new", pdf_file, "--project", project)
    assert code == 0, out
    assert "read title, date and author from the PDF" in out
    bid = "abschreckung-an-der-ostflanke-was-die"
    data = briefing(project, bid)
    source = data["source"]
    assert isinstance(source, dict)
    assert source["title"] == "Abschreckung an der Ostflanke: Was die NATO jetzt braucht"
    assert source["author"] == "Dr. Jörg Weißenberger"
    assert source["published"] == dt.date(2025, 11, 28)
    assert source["outlet"].startswith("TODO")  # a PDF has no outlet field
    raw = (project / "briefings" / f"{bid}.yaml").read_text(encoding="utf-8")
    assert "read from the PDF's /CreationDate: check it" in raw
    seed = (project / str(source["file"])).read_text(encoding="utf-8")
    paragraphs = seed.split("\n\n")
    assert paragraphs[0] == "Abschreckung an der Ostflanke: Was die NATO jetzt braucht"
    assert paragraphs[1].startswith("Die Bündnispartner an der Ostflanke verlangen")
    assert paragraphs[2].endswith("keine glaubwürdige Abschreckung möglich sei.\n")
    assert "Verteidigungshaushalts" in seed  # hyphenated line breaks are rejoined
    assert len(paragraphs) == 3


def test_a_date_in_the_text_beats_the_pdf_creation_date(project: Path, tmp_path: Path) -> None:
    import weasyprint

    path = tmp_path / "bericht.pdf"
    html = PDF_HTML.replace("</h1>", "</h1><p>Berlin, 26. November 2025</p>")
    weasyprint.HTML(string=html).write_pdf(path)
    code, out = invoke("new", path, "--id", "bericht", "--project", project)
    assert code == 0, out
    assert briefing(project, "bericht")["source"]["published"] == dt.date(2025, 11, 26)  # type: ignore[index]


@pytest.mark.slow  # renders a PDF with WeasyPrint
def test_a_corrupt_pdf_is_an_error_naming_it(project: Path, pdf_file: Path, tmp_path: Path) -> None:
    broken = tmp_path / "kaputt.pdf"
    broken.write_bytes(pdf_file.read_bytes()[:400])
    before = snapshot(project)
    code, out = invoke("new", broken, "--project", project)
    assert code == ExitCode.INVALID_INPUT, out
    assert out.startswith(f"error: {broken}: ")
    assert len(out.strip().splitlines()) == 1
    assert snapshot(project) == before
    fake = tmp_path / "bild.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 50)
    code, out = invoke("new", fake, "--project", project)
    assert code == ExitCode.INVALID_INPUT and "not a PDF file" in out, out


def test_new_from_a_docx_with_core_properties(project: Path, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Sicherheitsgarantien für die Ukraine: Optionen für Berlin"
    document.core_properties.author = "Referat 201"
    document.core_properties.created = dt.datetime(2026, 1, 9, 8, 15)
    document.add_heading("Sicherheitsgarantien für die Ukraine: Optionen für Berlin", level=1)
    document.add_paragraph(
        "Die Koalition der Willigen berät über eine Friedenstruppe. Deutschland hat eine "
        "Beteiligung nicht ausgeschlossen, knüpft sie aber an ein Mandat des Bundestages."
    )
    document.add_paragraph("")
    document.add_paragraph("Drei Optionen stehen im Raum: Ausbildung, Luftverteidigung, Reserve.")
    path = tmp_path / "Vermerk.docx"
    document.save(str(path))
    code, out = invoke("new", path, "--project", project)
    assert code == 0, out
    bid = "sicherheitsgarantien-fuer-die-ukraine-optionen-fuer"
    source = briefing(project, bid)["source"]
    assert isinstance(source, dict)
    assert (source["title"], source["author"], source["published"]) == (
        "Sicherheitsgarantien für die Ukraine: Optionen für Berlin",
        "Referat 201",
        dt.date(2026, 1, 9),
    )
    seed = (project / str(source["file"])).read_text(encoding="utf-8")
    assert seed.split("\n\n")[1].startswith("Die Koalition der Willigen berät")
    assert seed.endswith("Ausbildung, Luftverteidigung, Reserve.\n")


def test_a_docx_that_is_no_zip_is_an_error(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "alt.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)  # an old .doc
    code, out = invoke("new", path, "--project", project)
    assert code == ExitCode.INVALID_INPUT, out
    assert out.startswith(f"error: {path}: cannot read the DOCX")
    odt = tmp_path / "text.odt"
    odt.write_bytes(b"PK\3\4")
    code, out = invoke("new", odt, "--project", project)
    assert code == ExitCode.USAGE and "cannot be read" in out, out


def test_seed_numbers_follow_the_highest(project: Path) -> None:
    (project / "seeds" / "0042-alt.txt").write_text("Alt.\n", encoding="utf-8")
    code, out = invoke("new", ARTICLE, "--id", "neu", "--project", project)
    assert code == 0, out
    assert (project / "seeds" / "0043-neu.txt").is_file()


# --- fetching: schemes, limits, redirects, types -----------------------------------------


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/x.html", "data:text/html,<p>x</p>"]
)
def test_only_http_urls_are_fetched(project: Path, url: str) -> None:
    code, out = invoke("new", url, "--project", project)
    assert code == ExitCode.USAGE, out
    assert out.startswith(f"error: {url}: only http:// and https:// URLs")


def test_is_url() -> None:
    assert is_url("https://x.example/a") and is_url("file:///x")
    assert not is_url("seeds/a.txt") and not is_url("C:\\quellen\\a.txt")


def test_http_errors_and_types(project: Path, server: tuple[str, dict[str, Route]]) -> None:
    base, routes = server
    code, out = invoke("new", f"{base}/fehlt", "--project", project)
    assert code == ExitCode.NETWORK, out
    assert "HTTP 404" in out
    routes["/bild"] = (200, {"Content-Type": "image/png"}, b"\x89PNG")
    code, out = invoke("new", f"{base}/bild", "--project", project)
    assert code == ExitCode.INVALID_INPUT, out
    assert "'image/png'" in out
    routes["/text"] = (200, {"Content-Type": "text/plain; charset=utf-8"}, ARTICLE.read_bytes())
    routes["/ftp"] = (302, {"Location": "ftp://127.0.0.1/x"}, b"")
    with pytest.raises(UsageError, match="only http"):
        fetch(f"{base}/ftp")


def test_redirect_loops_are_bounded(server: tuple[str, dict[str, Route]]) -> None:
    base, routes = server
    for i in range(10):
        routes[f"/r{i}"] = (302, {"Location": f"/r{i + 1}"}, b"")
    routes["/r10"] = (200, HTML_TYPE, ARTICLE.read_bytes())
    with pytest.raises(NetworkError, match="more than 3 redirects"):
        fetch(f"{base}/r0", max_redirects=3)
    assert fetch(f"{base}/r6").data == ARTICLE.read_bytes()  # 4 hops: within the default


def test_size_limit_with_and_without_content_length(server: tuple[str, dict[str, Route]]) -> None:
    base, routes = server
    routes["/gross"] = (200, HTML_TYPE, b"x" * 5000)

    def no_length(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(100):  # more than the limit, with no Content-Length to warn of it
            handler.wfile.write(b"y" * 100)

    routes["/strom"] = (200, {}, no_length)
    with pytest.raises(InputError, match="limit"):
        fetch(f"{base}/gross", limit=1000)
    with pytest.raises(InputError, match="limit"):
        fetch(f"{base}/strom", limit=1000)
    assert len(fetch(f"{base}/gross", limit=5000).data) == 5000


def test_a_silent_server_times_out(server: tuple[str, dict[str, Route]]) -> None:
    base, routes = server
    release = threading.Event()

    def silent(handler: http.server.BaseHTTPRequestHandler) -> None:
        release.wait(10)

    routes["/still"] = (200, {}, silent)
    try:
        with pytest.raises(NetworkError, match=r"no complete answer within 0\.5 s"):
            fetch(f"{base}/still", timeout=0.5)
    finally:
        release.set()
        time.sleep(0.05)


# --- unpacked briefings ------------------------------------------------------------------


def test_the_demo_has_no_unpacked_briefing(project: Path) -> None:
    code, out = invoke("check", "--strict", "--project", project)
    assert (code, out.strip()) == (0, "ok: no errors")
    pack = project / "briefings" / "packs" / "ukraine-sicherheitsgarantien.yaml"
    text = pack.read_text(encoding="utf-8")
    assert "  - mearsheimer-diplomatie\n" in text
    pack.write_text(text.replace("  - mearsheimer-diplomatie\n", ""), encoding="utf-8")
    code, out = invoke("check", "--project", project)
    assert code == 0, out
    [line] = [x for x in out.splitlines() if "in no pack" in x]
    assert line.startswith("warning: briefings/mearsheimer-diplomatie.yaml:1:1: id: briefing")
    code, out = invoke("check", "--strict", "--project", project)
    assert code == ExitCode.VIOLATIONS
