"""The items of a news feed (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed), and feed discovery.

- RSS and Atom: feedparser, the long-maintained parser that copes with the mess real feeds
  have (undeclared encodings, RSS 0.9x dialects, dates in a dozen formats). It is given the
  bytes already fetched (`source.fetch`), never a URL, so it never downloads anything.
- JSON Feed: feedparser 6.0 (the current release) does not read it; it is plain JSON with a
  documented shape (https://jsonfeed.org/version/1.1), validated by the pydantic model below.
- Discovery: trafilatura's `determine_feed` finds the ``<link rel="alternate">`` feeds of a
  home page that `source.fetch` downloaded.

Every failure is an `InputError` naming the feed: a web page served where a feed should be,
XML no parser could read, a feed with more items than `MAX_ITEMS` (checked before parsing).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import io
import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError

from briefpack.errors import InputError, NetworkError, UsageError
from briefpack.source.fetch import Fetched, fetch

# Kinds of body a feed URL may serve (for `source.fetch`'s `kinds`).
FEED, JSON_FEED, PAGE = "feed", "json", "page"
FEED_CONTENT_TYPES = {
    "application/rss+xml": FEED,
    "application/atom+xml": FEED,
    "application/rdf+xml": FEED,
    "application/xml": FEED,
    "text/xml": FEED,
    "application/x-rss+xml": FEED,
    "text/plain": FEED,  # some servers label every file so; the content says what it is
    "application/octet-stream": FEED,
    "application/feed+json": JSON_FEED,
    "application/json": JSON_FEED,
    "text/html": PAGE,
    "application/xhtml+xml": PAGE,
}
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"
)
FEED_TIMEOUT = 20.0
FEED_LIMIT = 5 * 1024 * 1024
MAX_ITEMS = 2_000  # a news feed carries tens of items; an archive of thousands is no feed
_ITEM_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?(?:item|entry)[\s>/]")
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed; `link` None: the item names no web page (it is skipped)."""

    link: str | None
    guid: str | None
    title: str | None
    published: dt.date | None


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's items and what was odd about it (said in the run's report)."""

    items: list[FeedItem]
    kind: str  # "RSS 2.0", "Atom 1.0", "JSON Feed 1.1", ...
    notes: list[str] = field(default_factory=list)
    title: str | None = None  # the feed's own title


def parse_feed(
    data: bytes, label: str, *, kind: str, url: str, content_type: str = "application/xml"
) -> ParsedFeed:
    """Return the items of a feed's bytes; raise `InputError` naming `label` if it is none."""
    if looks_like_html(data):
        raise InputError(
            f"{label}: the URL serves a web page, not a feed; `briefpack feeds add` with the "
            "page's URL finds the feeds it links to"
        )
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise InputError(f"{label}: the feed is empty")
    if kind == JSON_FEED or stripped.startswith(b"{"):
        return _json_feed(stripped, label, url)
    count = len(_ITEM_TAG.findall(data))
    if count > MAX_ITEMS:
        raise InputError(
            f"{label}: {count:,} items, more than the {MAX_ITEMS:,} a news feed may have "
            "(an archive?); refusing to read it"
        )
    return _xml_feed(data, label, url, content_type)


def looks_like_html(data: bytes) -> bool:
    """Whether `data` starts like a web page (a feed served as text/html does not)."""
    return bool(_HTML_START.match(data[:4096]))


def _xml_feed(data: bytes, label: str, url: str, content_type: str) -> ParsedFeed:
    import feedparser

    parsed: Any = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-location": url, "content-type": content_type},
        sanitize_html=False,
    )
    version = str(parsed.get("version") or "")
    entries = list(parsed.get("entries") or [])
    if not version and not entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({_one_line(reason)})" if reason else ""
        raise InputError(f"{label}: not an RSS, Atom or JSON feed{detail}")
    notes = []
    # Only damage counts: not a declared encoding or an odd content type, which feedparser
    # also reports as "bozo".
    benign = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), benign):
        notes.append(f"not well-formed XML, read leniently ({_one_line(parsed.bozo_exception)})")
    items = [
        FeedItem(
            link=_http(entry.get("link"), url),
            guid=_text(entry.get("id")),
            title=_title(entry.get("title")),
            published=_entry_date(entry),
        )
        for entry in entries
    ]
    title = _text((parsed.get("feed") or {}).get("title"))
    return ParsedFeed(items, _VERSIONS.get(version, version or "unknown"), notes, title)


_VERSIONS = {
    "rss20": "RSS 2.0",
    "rss10": "RSS 1.0",
    "rss090": "RSS 0.90",
    "rss091u": "RSS 0.91",
    "rss091n": "RSS 0.91",
    "rss092": "RSS 0.92",
    "rss093": "RSS 0.93",
    "rss094": "RSS 0.94",
    "rss": "RSS",
    "atom10": "Atom 1.0",
    "atom03": "Atom 0.3",
    "atom": "Atom",
}


class _JsonItem(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | int | None = None
    url: str | None = None
    external_url: str | None = None
    title: str | None = None
    date_published: str | None = None
    date_modified: str | None = None


class _JsonFeed(BaseModel):
    model_config = ConfigDict(extra="ignore")

    version: str
    title: str | None = None
    items: list[_JsonItem]


def _json_feed(data: bytes, label: str, url: str) -> ParsedFeed:
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{label}: not valid JSON ({_one_line(exc)})") from None
    many = raw.get("items") if isinstance(raw, dict) else None
    if isinstance(many, list) and len(many) > MAX_ITEMS:
        raise InputError(
            f"{label}: {len(many):,} items, more than the {MAX_ITEMS:,} a news "
            "feed may have (an archive?); refusing to read it"
        )
    try:
        feed = _JsonFeed.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{label}: not a JSON Feed ({where}: {first['msg']})") from None
    if not feed.version.startswith("https://jsonfeed.org/version/"):
        raise InputError(f"{label}: not a JSON Feed (version {feed.version[:60]!r})")
    items = [
        FeedItem(
            link=_http(item.url or item.external_url, url),
            guid=None if item.id is None else str(item.id),
            title=_text(item.title),
            published=_iso_date(item.date_published or item.date_modified),
        )
        for item in feed.items
    ]
    version = feed.version.rsplit("/", 1)[-1]
    return ParsedFeed(items, f"JSON Feed {version}", title=_text(feed.title))


def discover_feeds(html: bytes, url: str) -> list[str]:
    """Return the feed URLs a web page links to (trafilatura's feed finder), absolute."""
    from trafilatura.feeds import FeedParameters, determine_feed

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    host = urlsplit(url).hostname or ""
    text = html.decode("utf-8", "replace")
    found = determine_feed(text, FeedParameters(url, host, url))
    return [link for link in (_http(u, url) for u in found) if link]


def _http(value: object, base: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    link = urljoin(base, value.strip())
    return link if urlsplit(link).scheme in ("http", "https") else None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _title(value: object) -> str | None:
    """Return an RSS/Atom title as text: entities a feed escaped twice are decoded.

    Feeds often put HTML-escaped text inside CDATA (``<![CDATA[Antwort auf &quot;…&quot;]]>``,
    as pikabu.ru's feed in the test corpus does); feedparser keeps CDATA as it is.
    """
    text = _text(value)
    return html.unescape(text) if text and "&" in text else text


def _entry_date(entry: Any) -> dt.date | None:
    """Return the day an entry says it was published (else updated), in its own time zone.

    feedparser's ``*_parsed`` dates are in UTC: "Mon, 12 Jan 2026 00:30:00 +0100" would be
    11 January there, a day before the date the outlet printed. The written date is read
    first (RFC 822 or ISO 8601), the UTC one only when that fails.
    """
    for key in ("published", "updated"):
        raw = entry.get(key)
        if isinstance(raw, str) and (day := _written_date(raw)):
            return day
        if day := _struct_date(entry.get(f"{key}_parsed")):
            return day
    return None


def _written_date(raw: str) -> dt.date | None:
    if parts := email.utils.parsedate_tz(raw.strip()):
        try:
            return dt.date(parts[0], parts[1], parts[2])
        except ValueError:
            return None
    return _iso_date(raw.strip())


def _struct_date(value: object) -> dt.date | None:
    if isinstance(value, time.struct_time):
        try:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
        except ValueError:
            return None
    return None


def _iso_date(value: str | None) -> dt.date | None:
    if value and (m := re.match(r"(\d{4})-(\d{2})-(\d{2})", value)):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:160]


def fetch_feed(url: str, headers: dict[str, str] | None = None) -> Fetched:
    """GET a feed with `source.fetch` and the limits for feeds (conditional `headers`)."""
    return fetch(
        url,
        timeout=FEED_TIMEOUT,
        limit=FEED_LIMIT,
        kinds=FEED_CONTENT_TYPES,
        headers=headers or {"Accept": FEED_ACCEPT},
    )


# --- finding a feed (`feeds add`) ---------------------------------------------------------


@dataclass(frozen=True)
class FoundFeed:
    """The feed a URL leads to: itself, or the first feed its web page links to."""

    url: str
    title: str | None
    kind: str
    items: int
    discovered: bool


def find_feed_at(url: str) -> FoundFeed:
    """Return the feed at `url`, or the first working feed the web page at `url` links to."""
    got = fetch_feed(url)
    if not looks_like_html(got.data):
        parsed = parse_feed(
            got.data, url, kind=got.kind, url=got.url, content_type=got.content_type
        )
        return FoundFeed(got.url, parsed.title, parsed.kind, len(parsed.items), False)
    links = discover_feeds(got.data, got.url)
    if not links:
        raise InputError(f"{url}: a web page that links to no RSS, Atom or JSON feed")
    problems = []
    for link in links[:5]:
        try:
            feed = fetch_feed(link)
            parsed = parse_feed(
                feed.data, link, kind=feed.kind, url=feed.url, content_type=feed.content_type
            )
        except (InputError, NetworkError, UsageError) as exc:
            problems.append(exc.message)
            continue
        return FoundFeed(feed.url, parsed.title, parsed.kind, len(parsed.items), True)
    raise InputError(
        f"{url}: none of the feeds the page links to can be read: " + "; ".join(problems)
    )
