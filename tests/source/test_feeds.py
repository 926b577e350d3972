"""feeds.yaml (model, located problems, comment-keeping edits) and reading feeds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from briefpack.errors import InputError, UsageError
from briefpack.source.feeds import Feed, add_feed, load_feeds, remove_feed
from briefpack.source.syndication import (
    FEED,
    JSON_FEED,
    MAX_ITEMS,
    PAGE,
    discover_feeds,
    parse_feed,
)
from tests.support import REPO

FIXTURES = REPO / "tests" / "fixtures" / "intake"
BASE = "https://feeds.example"


def feed_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes().replace(b"@BASE@", BASE.encode())


# --- reading feeds -------------------------------------------------------------------------


def test_rss2_items_with_and_without_links_and_dates() -> None:
    parsed = parse_feed(feed_bytes("rundschau-rss2.xml"), "rss", kind=FEED, url=f"{BASE}/f.rss")
    assert parsed.kind == "RSS 2.0" and parsed.notes == []
    assert parsed.title == "Rheinische Rundschau – Nachrichten"
    story, local, ticker = parsed.items
    assert story.link is not None and story.link.endswith(
        "-102.html?utm_source=rss&utm_medium=feed&utm_campaign=politik"
    )
    assert (story.guid, story.published) == ("rr-102", dt.date(2026, 1, 12))
    assert local.published is None  # no pubDate
    assert ticker.link is None and ticker.title == "Liveticker: Die Lage am Abend"


def test_rdf_atom_and_json_feed() -> None:
    rdf = parse_feed(feed_bytes("rundschau-rdf.xml"), "rdf", kind=FEED, url=f"{BASE}/p.rdf")
    assert rdf.kind == "RSS 1.0" and len(rdf.items) == 1
    assert rdf.items[0].published == dt.date(2026, 1, 12)
    atom = parse_feed(feed_bytes("nordkurier-atom.xml"), "atom", kind=FEED, url=f"{BASE}/nk/w.atom")
    assert atom.kind == "Atom 1.0"
    assert [i.guid for i in atom.items] == [
        "tag:nordkurier.example,2026:4471",
        "tag:nordkurier.example,2026:4468",
    ]
    assert atom.items[1].link == f"{BASE}/nk/welt/charkiw-ohne-strom-4468.html"  # relative
    js = parse_feed(feed_bytes("tageszeitung.json"), "json", kind=JSON_FEED, url=f"{BASE}/f.json")
    assert js.kind == "JSON Feed 1.1" and js.title == "Tageszeitung am Main"
    assert [(i.link, i.published) for i in js.items] == [
        (f"{BASE}/tz/politik/wehretat.html", dt.date(2026, 1, 10)),
        (None, None),
    ]


def test_json_feed_is_recognised_by_its_content_too() -> None:
    parsed = parse_feed(feed_bytes("tageszeitung.json"), "j", kind=FEED, url=f"{BASE}/f")
    assert parsed.kind == "JSON Feed 1.1"


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [
        ((FIXTURES / "startseite.html").read_bytes(), PAGE, "serves a web page, not a feed"),
        ((FIXTURES / "startseite.html").read_bytes(), FEED, "serves a web page, not a feed"),
        ((FIXTURES / "kaputt.xml").read_bytes(), FEED, "not an RSS, Atom or JSON feed"),
        (b"", FEED, "the feed is empty"),
        (b'{"version": "1", "items": []', JSON_FEED, "not valid JSON"),
        (b'{"version": "https://example.org/x", "items": []}', JSON_FEED, "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1"}', JSON_FEED, "items: Field required"),
    ],
)
def test_what_is_not_a_feed_is_one_clear_error(data: bytes, kind: str, words: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_feed(data, "https://x.example/feed", kind=kind, url="https://x.example/feed")
    assert exc.value.message.startswith("https://x.example/feed: ")
    assert words in exc.value.message


def test_an_archive_of_100000_items_is_refused_before_parsing() -> None:
    items = "".join(f"<item><link>/a/{i}</link></item>" for i in range(100_000))
    data = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()
    with pytest.raises(InputError, match=f"100,000 items, more than the {MAX_ITEMS:,}"):
        parse_feed(data, "big", kind=FEED, url=BASE)
    many = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": i} for i in range(5000)],
    }
    with pytest.raises(InputError, match="5,000 items"):
        parse_feed(json.dumps(many).encode(), "big", kind=JSON_FEED, url=BASE)


def test_truncated_xml_is_read_leniently_and_said() -> None:
    data = feed_bytes("rundschau-rss2.xml")
    cut = data[: data.index(b"<item>", data.index(b"</item>"))] + b"<item><title>Abgebroch"
    parsed = parse_feed(cut, "rss", kind=FEED, url=BASE)
    assert parsed.items[0].guid == "rr-102"
    assert parsed.notes and parsed.notes[0].startswith("not well-formed XML, read leniently")


def test_discovery_finds_the_feed_a_home_page_links_to() -> None:
    page = (FIXTURES / "startseite.html").read_bytes()
    assert discover_feeds(page, f"{BASE}/") == [f"{BASE}/feeds/rundschau.rss"]


# --- feeds.yaml ----------------------------------------------------------------------------


def test_missing_file_is_no_feeds(tmp_path: Path) -> None:
    assert load_feeds(tmp_path / "feeds.yaml") == ()


def test_problems_are_located(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "feeds:\n"
        "  - url: https://a.example/rss\n    name: A\n    tag: [x]\n"
        "  - url: https://a.example/rss\n    name: A2\n"
        "  - url: https://b.example/rss\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_feeds(path, root=tmp_path)
    lines = exc.value.lines()
    assert "feeds.yaml:4:5: feeds[0].tag: unknown key 'tag' (did you mean 'tags'?)" in lines
    assert "feeds.yaml:7:5: feeds[2]: missing required key 'name'" in lines


def test_duplicate_urls_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "feeds:\n  - {url: 'https://a.example/rss', name: A}\n"
        "  - {url: 'https://a.example/rss', name: B}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_feeds(path, root=tmp_path)
    assert exc.value.lines() == [
        "feeds.yaml:3:6: feeds[1].url: the feed https://a.example/rss is listed twice "
        "(first as feeds[0])"
    ]


def test_edits_keep_comments_and_refuse_what_would_not_load(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    add_feed(path, Feed(url="https://a.example/rss", name="Anzeiger"), root=tmp_path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# News feeds read by `briefpack intake`")
    path.write_text(
        text.replace(
            "  - url: https://a.example/rss",
            "  # the morning paper\n  - url: https://a.example/rss",
        ),
        encoding="utf-8",
    )
    add_feed(
        path,
        Feed(
            url="https://b.example/feed.json", name="Bote", keywords=["Wehretat"], tags=["inland"]
        ),
        root=tmp_path,
    )
    text = path.read_text(encoding="utf-8")
    assert "  # the morning paper\n" in text
    assert "keywords: [Wehretat]" in text and "tags: [inland]" in text
    assert [f.name for f in load_feeds(path)] == ["Anzeiger", "Bote"]
    with pytest.raises(UsageError, match="is already a feed"):
        add_feed(path, Feed(url="https://b.example/feed.json", name="X"), root=tmp_path)
    removed = remove_feed(path, "bote", root=tmp_path)
    assert removed.feed.url == "https://b.example/feed.json"
    assert "# the morning paper" in path.read_text(encoding="utf-8")
    assert [f.name for f in load_feeds(path)] == ["Anzeiger"]
    with pytest.raises(UsageError, match="no feed has the URL or name 'Bote'"):
        remove_feed(path, "Bote", root=tmp_path)


def test_an_invalid_file_is_not_edited(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - url: https://a.example/rss\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(InputError):
        add_feed(path, Feed(url="https://b.example/rss", name="B"), root=tmp_path)
    assert path.read_bytes() == before


def test_an_item_is_dated_the_day_its_outlet_wrote() -> None:
    # Half past midnight in Berlin is the day before in UTC, where feedparser's dates are.
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><link>https://a.example/1</link><pubDate>Mon, 12 Jan 2026 00:30:00 +0100"
        b"</pubDate></item></channel></rss>"
    )
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>x</id>'
        b'<link href="https://a.example/2"/><updated>2026-01-12T00:30:00+01:00</updated>'
        b"</entry></feed>"
    )
    for data in (rss, atom):
        (item,) = parse_feed(data, "f", kind=FEED, url=f"{BASE}/f").items
        assert item.published == dt.date(2026, 1, 12)
