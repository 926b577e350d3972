"""Real-world feeds (tests/fixtures/feeds-corpus, see its README) through the feed server.

The corpus files are served as they are; only their item links are moved to this server
while serving (`Server.edits`), so that intake fetches the German pages of
tests/fixtures/intake instead of the publishers' sites.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefpack.source.inbox import load_inbox
from briefpack.source.syndication import fetch_feed, parse_feed
from tests.commands.intake.feedserver import CORPUS, Server, inbox_json, invoke
from tests.support import snapshot

# The sites the corpus links to; served, each becomes a folder of the test server.
ORIGINS = (
    "http://liftoff.msfc.nasa.gov",
    "http://xml.com",
    "https://www.record.pt",
    "https://pikabu.ru",
    "https://tech.slashdot.org",
    "https://science.slashdot.org",
    "https://yro.slashdot.org",
    "https://news.google.com",
    "https://adactio.com",
    "https://yjernite.github.io",  # the one absolute guid of the Hugging Face feed
)

_GOOGLE = (
    "https://news.google.com/__i/rss/rd/articles/CBMiWWh0dHBzOi8vd3d3LmNubi5jb20vMjAyMi8wNy8y"
    "Ny9wb2xpdGljcy9zY2h1bWVyLW1hbmNoaW4tZGVhbC1idWlsZC1iYWNrLWJldHRlci9pbmRleC5odG1s0gFdaHR0c"
    "HM6Ly9hbXAuY25uLmNvbS9jbm4vMjAyMi8wNy8yNy9wb2xpdGljcy9zY2h1bWVyLW1hbmNoaW4tZGVhbC1idWlsZC"
    "1iYWNrLWJldHRlci9pbmRleC5odG1s?oc=5"
)
# file: kind, items, the first item as the file gives it (title, date, link), items without
# a title, items without a date. Links starting with "/" are relative in the file.
EXPECT: dict[str, tuple[str, int, tuple[str, dt.date | None, str], int, int]] = {
    "rust-syndication-rss/rss2sample.xml": (
        "RSS 2.0",
        4,
        (
            "Star City",
            dt.date(2003, 6, 3),
            "http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp",
        ),
        1,
        0,
    ),
    "rust-syndication-rss/rss1.xml": (
        "RSS 1.0",
        2,
        ("Processing Inclusions with XSLT", None, "http://xml.com/pub/2000/08/09/xslt/xslt.html"),
        0,
        2,
    ),
    "rust-syndication-rss/record-pt.rss": (
        "RSS 2.0",
        20,
        (
            "Resultados da NBA",
            dt.date(2024, 11, 22),
            "https://www.record.pt/modalidades/basquetebol/nba/detalhe/20241024-1041-resultados-da-nba",
        ),
        0,
        0,
    ),
    "rust-syndication-rss/pikabu.xml": (
        "RSS 2.0",
        40,
        (
            "Будни Кошкиного Дома",
            dt.date(2020, 6, 4),
            "https://pikabu.ru/story/budni_koshkinogo_doma_7498334",
        ),
        0,
        0,
    ),
    "feed-extractor/rdf-standard.xml": (
        "RSS 1.0",
        3,
        (
            "SpaceX Working With Cloudflare To Speed Up Starlink Service",
            dt.date(2023, 8, 24),
            "https://tech.slashdot.org/story/23/08/23/2238246/spacex-working-with-cloudflare-to-"
            "speed-up-starlink-service?utm_source=rss1.0mainlinkanon&utm_medium=feed",
        ),
        0,
        0,
    ),
    "feed-extractor/rss-feed-miss-base-url.xml": (
        "RSS 2.0",
        175,
        ("Introduction to Graph Machine Learning", dt.date(2023, 1, 3), "/blog/intro-graphml"),
        0,
        0,
    ),
    "feed-extractor/atom-feed-standard-realworld.xml": (
        "Atom 1.0",
        38,
        (
            "In a major boost to Democrats, Manchin and Schumer announce deal for energy and "
            "health care bill - CNN",
            dt.date(2022, 7, 28),
            _GOOGLE,
        ),
        0,
        0,
    ),
    "feed-extractor/json-feed-standard-realworld.json": (
        "JSON Feed 1",
        10,
        (
            "The line-up for dConstruct 2022 …revealed!",
            dt.date(2022, 7, 26),
            "https://adactio.com/journal/19317",
        ),
        0,
        0,
    ),
    "feed-extractor/json-feed-miss-base-url.json": (
        "JSON Feed 1",
        2,
        ("JSON Feed version 1.1", dt.date(2020, 8, 7), "/2020/08/07/json-feed-version.html"),
        0,
        0,
    ),
}


def moved(url: str, base: str) -> str:
    """Return where `url` of the corpus leads once served: a folder of the test server."""
    if url.startswith("/"):
        return base + url  # relative in the file: resolved against the feed's URL
    for origin in ORIGINS:
        if url.startswith(origin):
            return f"{base}/{origin.split('://')[1]}{url[len(origin) :]}"
    return url


def serve_corpus(server: Server) -> list[str]:
    """Have the server move every corpus link to itself; return the corpus feeds' URLs."""
    for name in EXPECT:
        server.edits[f"/corpus/{name}"] = [
            (origin.encode(), moved(origin, server.base).encode()) for origin in ORIGINS
        ]
    return [f"{server.base}/corpus/{name}" for name in EXPECT]


def test_the_corpus_is_every_file_of_the_folder() -> None:
    files = {
        p.relative_to(CORPUS).as_posix()
        for p in CORPUS.glob("*/*")
        if not p.name.startswith("LICENSE")
    }
    assert files == set(EXPECT)
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in EXPECT)


@pytest.mark.parametrize("name", list(EXPECT))
def test_each_feed_reads_as_the_file_says(name: str, server: Server) -> None:
    kind, count, (title, date, link), untitled, undated = EXPECT[name]
    url = serve_corpus(server)[list(EXPECT).index(name)]
    got = fetch_feed(url)
    feed = parse_feed(got.data, url, kind=got.kind, url=got.url, content_type=got.content_type)
    assert (feed.kind, len(feed.items), feed.notes) == (kind, count, [])
    # Counted without a feed parser: the file's <item>/<entry> elements or JSON items.
    raw = (CORPUS / name).read_bytes()
    elements = re.findall(rb"<item[\s>]|<entry>|\"date_published\"", raw)
    assert len(elements) == count
    first = feed.items[0]
    assert (first.title, first.published, first.link) == (title, date, moved(link, server.base))
    assert sum(1 for i in feed.items if i.title is None) == untitled
    assert sum(1 for i in feed.items if i.published is None) == undated
    assert all(i.link and i.link.startswith(server.base) for i in feed.items)  # none left behind


def test_what_is_odd_in_real_feeds_is_read_right(server: Server) -> None:
    urls = dict(zip(EXPECT, serve_corpus(server), strict=True))

    def titles(name: str) -> list[str | None]:
        got = fetch_feed(urls[name])
        parsed = parse_feed(
            got.data, name, kind=got.kind, url=got.url, content_type=got.content_type
        )
        return [i.title for i in parsed.items]

    # ISO-8859-1 and windows-1251 declared in the prolog; the server names no charset.
    assert "Divórcio limita felicidade caseira do Vizela" in titles(
        "rust-syndication-rss/record-pt.rss"
    )
    # HTML escaped inside CDATA: the reader sees quotes, not "&quot;".
    assert 'Ответ на пост "Клиент не всегда прав. Клиент бывает разный"' in titles(
        "rust-syndication-rss/pikabu.xml"
    )
    assert "Using & Mixing Hugging Face Models with Gradio 2.0" in titles(
        "feed-extractor/rss-feed-miss-base-url.xml"
    )
    # The RSS 2.0 sample's second item: no title, no link; its guid is the permalink.
    got = fetch_feed(urls["rust-syndication-rss/rss2sample.xml"])
    second = parse_feed(got.data, "rss2sample", kind=got.kind, url=got.url).items[1]
    assert (second.title, second.link) == (
        None,
        f"{server.base}/liftoff.msfc.nasa.gov/2003/05/30.html#item572",
    )


@pytest.mark.slow  # ~300 articles fetched and extracted: the heaviest test of the intake
def test_intake_reads_the_whole_corpus(project: Path, server: Server) -> None:
    urls = serve_corpus(server)
    b = server.base
    # Five items lead to the German pages; one story (the agency copy) is carried by a
    # second feed at another URL, one page by a third feed; every other link is a 404.
    server.pages.update(
        {
            "/liftoff.msfc.nasa.gov/news/2003/news-starcity.asp": "rr-verhandlungsrunde.html",
            "/tech.slashdot.org/story/23/08/23/2238246/spacex-working-with-cloudflare-to-speed-up-"
            "starlink-service": "nk-gespraeche.html",
            "/www.record.pt/modalidades/basquetebol/nba/detalhe/20241024-1041-resultados-da-nba": (
                "nk-charkiw.html"
            ),
            "/pikabu.ru/story/budni_koshkinogo_doma_7498334": "tz-haushalt.html",
            "/2020/08/07/json-feed-version.html": "rr-weihnachtsmarkt.html",
            "/blog/intro-graphml": "tz-haushalt.html",
        }
    )
    lines = ["feeds:\n"] + [f"  - url: {u}\n    name: Corpus {i}\n" for i, u in enumerate(urls)]
    (project / "feeds.yaml").write_text("".join(lines), encoding="utf-8")
    code, out = invoke("intake", "--max-articles", "400", "--project", project)
    assert code == 0, out
    for (name, (_, count, *_)), i in zip(EXPECT.items(), range(len(urls)), strict=True):
        assert f"Corpus {i} ({urls[i]}): {count} item(s), {count} new, 0 known" in out, name

    items = inbox_json(project, "--all")
    assert sorted(str(i["title"])[:30] for i in items) == [
        "Bundestag streitet über den We",
        "Kiew und Kreml: Neue Verhandlu",
        "Nach Angriffen auf Kraftwerke:",
        "Weihnachtsmarkt am Rheinufer ö",
    ]
    story = next(i for i in items if str(i["title"]).startswith("Kiew"))
    assert story["duplicates"] == [
        f"{b}/tech.slashdot.org/story/23/08/23/2238246/spacex-working-with-cloudflare-to-speed"
        "-up-starlink-service?utm_source=rss1.0mainlinkanon&utm_medium=feed"
    ]
    budget = next(i for i in items if str(i["title"]).startswith("Bundestag"))
    assert budget["url"] == f"{b}/pikabu.ru/story/budni_koshkinogo_doma_7498334"
    assert budget["duplicates"] == [f"{b}/blog/intro-graphml"]
    # Every other item is one line naming its link; the feeds still count as read.
    total = sum(e[1] for e in EXPECT.values())
    skipped = [line for line in out.splitlines() if line.startswith("skipped: ")]
    assert len(skipped) == total - 6, out
    assert all(
        re.fullmatch(rf"skipped: {re.escape(b)}/\S+: the server answered HTTP 404 Not Found", line)
        for line in skipped
    )
    # Nothing half-written: every file in inbox/ is a whole, valid item.
    assert len(load_inbox(project)) == 4
    assert sorted(p.suffix for p in (project / "inbox").iterdir()) == [".yaml"] * 4

    # A second run adds nothing and changes no item (the missing pages are asked for again).
    before = snapshot(project / "inbox")
    code, out = invoke("intake", "--max-articles", "400", "--project", project)
    assert code == 0 and "added 0 item(s)" in out and "0 known item(s) seen in another" in out
    assert snapshot(project / "inbox") == before
