"""`briefpack intake`: read every feed, fetch what is new, rank it into the inbox.

`intake` lists the stages top to bottom: load (feeds, glossary, inbox, what the project
already has) → fetch every feed once, conditionally (ETag / Last-Modified) and a few at a
time → drop what is known (normalised URL, GUID) → fetch at most `max_articles` new articles
and extract them as `new` does → drop near-duplicates (SimHash) of known stories and of
seeds/, merging the places a story appeared → score → write the inbox items, then the state.

A feed that fails (an HTTP error, a timeout, HTML or broken XML where a feed should be, an
archive of 100,000 items) is one line in the report; the other feeds go on. Everything is
computed before the first file is written, and each file is written atomically.

The inbox's decisions (list, accept, dismiss) are `source.inbox_actions`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.errors import BriefpackError, InputError, NetworkError, UsageError
from briefpack.glossary.load import load_glossary
from briefpack.glossary.model import Glossary
from briefpack.source import extract as ex
from briefpack.source.dedup import near_duplicate, normalise_url, simhash
from briefpack.source.feeds import Feed, feeds_path, load_feeds
from briefpack.source.fetch import Fetched, fetch
from briefpack.source.inbox import (
    InboxItem,
    Place,
    cache_article,
    inbox_dir,
    load_inbox,
    read_state,
    write_item,
    write_state,
)
from briefpack.source.load import MAX_SEED_BYTES
from briefpack.source.syndication import FEED_ACCEPT, FeedItem, fetch_feed, parse_feed
from briefpack.util.fsutil import file_lock, read_bounded
from briefpack.util.paths import Project
from briefpack.util.yamlio import load_yaml

MAX_ARTICLES = 30  # articles fetched per run; the rest wait for the next run
MAX_TRIES = 3  # runs that try an article the network failed to deliver (timeout, HTTP error)
JOBS = 4  # feeds or articles fetched at the same time
# Relevance: each occurrence of a glossary term (or a feed keyword) counts by where it is;
# one term counts at most TERM_CAP, so a text repeating one word does not outrank one that
# touches several of the desk's topics. Items below MIN_SCORE are kept but hidden.
TITLE_WEIGHT, LEAD_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0
TERM_CAP = 6.0
LEAD_CHARS = 400


@dataclass
class FeedOutcome:
    """What happened to one feed in a run: one line of the report."""

    url: str
    name: str
    status: str = "ok"  # "ok", "not-modified" or "failed"
    message: str = ""
    items: int = 0
    new: int = 0
    known: int = 0
    deferred: int = 0
    retry: int = 0  # articles that could not be fetched this time (network): tried again
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        """Return the report line: `name (url): what happened`."""
        if self.status == "failed":
            what = f"failed: {self.message}"
        elif self.status == "not-modified":
            what = "not modified since the last run (304)"
        else:
            what = f"{self.items} item(s), {self.new} new, {self.known} known"
            if self.deferred:
                what += f", {self.deferred} left for the next run (--max-articles)"
            if self.retry:
                what += f", {self.retry} to fetch again next run (network)"
        notes = "".join(f"; {n}" for n in self.notes)
        return f"{self.name} ({self.url}): {what}{notes}"

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "url": self.url,
            "name": self.name,
            "status": self.status,
            "message": self.message or None,
            "items": self.items,
            "new": self.new,
            "known": self.known,
            "deferred": self.deferred,
            "retry": self.retry,
            "notes": self.notes,
            "line": self.line(),
        }


@dataclass
class IntakeReport:
    """What a run did: a line per feed, the items added and the items that gained a place."""

    feeds: list[FeedOutcome] = field(default_factory=list)
    added: list[InboxItem] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # ids of known items seen in a new place
    skipped: list[str] = field(default_factory=list)  # one line per article not taken

    @property
    def ok(self) -> bool:
        """Whether every feed could be read."""
        return all(f.status != "failed" for f in self.feeds)

    def to_dict(self) -> dict[str, object]:
        """Return the JSON report (`intake --json` / `--report`)."""
        return {
            "command": "intake",
            "ok": self.ok,
            "feeds": [f.to_dict() for f in self.feeds],
            "added": [i.to_json() for i in self.added],
            "merged": self.merged,
            "skipped": self.skipped,
        }


@dataclass
class _Candidate:
    feed: Feed
    entry: FeedItem
    outcome: FeedOutcome
    places: list[Place]


@dataclass
class _Article:
    cand: _Candidate
    got: Fetched | None = None
    text: ex.Extracted | None = None
    problem: str = ""
    transient: bool = False  # a network failure, not the article: worth another try


def intake(project: Project, *, max_articles: int = MAX_ARTICLES, jobs: int = JOBS) -> IntakeReport:
    """Read every feed of the project and add what is new and not a duplicate to the inbox."""
    root = project.root
    feeds = load_feeds(feeds_path(root), root=root)
    if not feeds:
        raise UsageError(f"{feeds_path(root).name}: no feeds; add one with `briefpack feeds add`")
    glossary = load_glossary(project.glossary_path, root=root)
    with file_lock(inbox_dir(root)):
        items = {i.id: i for i in load_inbox(root)}
        state = read_state(root)
        known_urls, seed_prints = _project_sources(project)
        report = IntakeReport()
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            fetched = list(pool.map(lambda f: _read_feed(f, state["feeds"].get(f.url)), feeds))
        candidates = _candidates(fetched, items, known_urls, state, report)
        taken, rest = candidates[:max_articles], candidates[max_articles:]
        for cand in rest:
            cand.outcome.deferred += 1
        known = (known_urls, seed_prints)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            # Each article is taken (scored, fingerprinted, kept) as soon as it and those
            # before it are fetched, while the pool fetches the next: the CPU work overlaps
            # the network's waits (the `intake` benchmark figure), in feed order as before.
            articles = pool.map(_read_article, taken)
            new_items = _take(articles, items, known, glossary, state, report, root)
        # Write: the items first, then the state that says their feeds were read. A feed
        # with items left for the next run keeps no validators: it is read whole again.
        for item in new_items:
            write_item(root, item)
        for item_id in report.merged:
            write_item(root, items[item_id])
        for feed, outcome, got, _ in fetched:
            if got is not None and not (outcome.deferred or outcome.retry):
                state["feeds"][feed.url] = {"etag": got.etag, "last_modified": got.last_modified}
        write_state(root, state)
    report.feeds = [outcome for _, outcome, _, _ in fetched]
    report.added = sorted(new_items, key=lambda i: -i.score)
    return report


_Fed = tuple[Feed, FeedOutcome, Fetched | None, list[FeedItem]]


def _read_feed(feed: Feed, validators: object) -> _Fed:
    """Fetch and parse one feed (conditionally); a failure is its outcome, not an error."""
    outcome = FeedOutcome(feed.url, feed.name)
    headers = {"Accept": FEED_ACCEPT}
    if isinstance(validators, dict):
        if isinstance(etag := validators.get("etag"), str):
            headers["If-None-Match"] = etag
        if isinstance(modified := validators.get("last_modified"), str):
            headers["If-Modified-Since"] = modified
    try:
        got = fetch_feed(feed.url, headers)
        if got.not_modified:
            outcome.status = "not-modified"
            return feed, outcome, None, []
        parsed = parse_feed(
            got.data, feed.url, kind=got.kind, url=got.url, content_type=got.content_type
        )
    except BriefpackError as exc:
        outcome.status, outcome.message = "failed", exc.message.removeprefix(f"{feed.url}: ")
        return feed, outcome, None, []
    outcome.items = len(parsed.items)
    outcome.notes.extend(parsed.notes)
    if without := sum(1 for e in parsed.items if e.link is None):
        outcome.notes.append(f"{without} item(s) without a link skipped")
    return feed, outcome, got, parsed.items


def _project_sources(project: Project) -> tuple[set[str], list[tuple[str, int]]]:
    """Return the normalised URLs the briefings cite, and a fingerprint of every seed."""
    urls: set[str] = set()
    for path in sorted(project.briefings_dir.glob("*.yaml")):
        try:
            data = load_yaml(path, project.rel(path)).data
        except InputError:
            continue  # `check` reports broken briefings; here they only cannot match
        source = data.get("source") if isinstance(data, dict) else None
        url = source.get("url") if isinstance(source, dict) else None
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            urls.add(normalise_url(url))
    prints = []
    for path in sorted(project.seeds_dir.glob("*.txt")):
        try:
            text = read_bounded(path, MAX_SEED_BYTES, regular_only=True).decode("utf-8", "replace")
        except (OSError, InputError):
            continue  # `check` reports unreadable seeds
        prints.append((project.rel(path), simhash(text)))
    return urls, prints


def _place(feed: Feed, entry: FeedItem) -> Place:
    assert entry.link is not None
    return Place(url=entry.link, outlet=feed.name, feed=feed.url, guid=entry.guid)


def _urls(item: InboxItem) -> list[str]:
    return [item.url, item.link, *(p.url for p in item.seen_in)]


def _merge(items: dict[str, InboxItem], item_id: str, place: Place) -> bool:
    """Add `place` to an item unless it is listed already; return whether it was added."""
    item = items[item_id]
    key = normalise_url(place.url)
    if any(normalise_url(p.url) == key and p.feed == place.feed for p in item.seen_in):
        return False
    items[item_id] = item.model_copy(update={"seen_in": (*item.seen_in, place)})
    return True


def _merge_known(
    items: dict[str, InboxItem], item_id: str, place: Place, report: IntakeReport
) -> None:
    if _merge(items, item_id, place) and item_id not in report.merged:
        report.merged.append(item_id)


def _guid_key(feed: str, guid: str) -> str:
    """Return what identifies a GUID: a URI (``tag:``, ``urn:``, a URL) is unique everywhere;
    a bare number or word ("4471") only within its feed."""
    return guid if ":" in guid else f"{feed} {guid}"


def _candidates(
    fetched: list[tuple[Feed, FeedOutcome, Fetched | None, list[FeedItem]]],
    items: dict[str, InboxItem],
    known_urls: set[str],
    state: dict[str, dict[str, object]],
    report: IntakeReport,
) -> list[_Candidate]:
    """Return the feed items to fetch, in feed order; merge places of known stories."""
    by_url = {normalise_url(u): i.id for i in items.values() for u in _urls(i)}
    by_guid = {
        _guid_key(p.feed or "", p.guid): i.id for i in items.values() for p in i.seen_in if p.guid
    }
    seen: dict[str, _Candidate] = {}
    out: list[_Candidate] = []
    for feed, outcome, _, entries in fetched:
        for entry in entries:
            if entry.link is None:
                continue
            key = normalise_url(entry.link)
            place = _place(feed, entry)
            guid = _guid_key(feed.url, entry.guid) if entry.guid else None
            known = by_url.get(key) or (by_guid.get(guid) if guid else None)
            same = seen.get(key) or (seen.get(f"guid:{guid}") if guid else None)
            if known is not None:
                outcome.known += 1
                _merge_known(items, known, place, report)
            elif key in known_urls or key in state["unreadable"]:
                outcome.known += 1
            elif same is not None:
                outcome.known += 1
                same.places.append(place)  # one story, carried by another feed in this run
            else:
                outcome.new += 1
                cand = _Candidate(feed, entry, outcome, [place])
                seen[key] = cand
                if guid:
                    seen[f"guid:{guid}"] = cand
                out.append(cand)
    return out


def _read_article(cand: _Candidate) -> _Article:
    """Fetch and extract one article as `new` does; a failure is recorded, not raised."""
    link = cand.places[0].url
    article = _Article(cand)
    try:
        got = fetch(link)
        if got.kind == ex.TEXT:
            try:
                body = got.data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{link}: the text is not valid UTF-8") from None
            article.text = ex.Extracted(body, ex.TEXT, url=got.url)
        else:
            article.text = ex.extract(got.data, got.kind, link, url=got.url)
        article.got = got
    except BriefpackError as exc:
        article.problem = exc.message.removeprefix(f"{link}: ")  # the report line names it
        article.transient = isinstance(exc, NetworkError)
    return article


def _take(
    articles: Iterable[_Article],
    items: dict[str, InboxItem],
    known: tuple[set[str], list[tuple[str, int]]],
    glossary: Glossary,
    state: dict[str, dict[str, object]],
    report: IntakeReport,
    root: Path,
) -> list[InboxItem]:
    """Turn fetched articles into new items, merging near-duplicates; return the new items."""
    today = dt.date.today()
    fresh: dict[str, InboxItem] = {}
    by_url = {normalise_url(u): i.id for i in items.values() for u in _urls(i)}
    for article in articles:
        cand, text = article.cand, article.text
        key = normalise_url(cand.places[0].url)
        if text is None or article.got is None:
            report.skipped.append(f"{cand.places[0].url}: {article.problem}")
            tries = state["retries"].pop(key, 0)
            if article.transient and isinstance(tries, int) and tries + 1 < MAX_TRIES:
                state["retries"][key] = tries + 1
                cand.outcome.retry += 1  # the feed keeps no validators: read whole next time
            else:
                state["unreadable"][key] = article.problem
            continue
        url = text.url or article.got.url
        print_ = simhash(text.text)
        twin = by_url.get(normalise_url(url)) or next(
            (
                i.id
                for i in (*items.values(), *fresh.values())
                if i.fingerprint and near_duplicate(int(i.fingerprint, 16), print_)
            ),
            None,
        )
        if twin is not None:  # a re-published URL or the same text: one story, one more place
            for place in cand.places:
                if twin in items:
                    _merge_known(items, twin, place, report)
                else:
                    _merge(fresh, twin, place)
            continue
        known_urls, seed_prints = known
        seed = next((name for name, p in seed_prints if near_duplicate(p, print_)), None)
        if seed is None and normalise_url(url) in known_urls:
            seed = "a briefing's source.url"
        if seed is not None:
            report.skipped.append(f"{cand.places[0].url}: already in the project as {seed}")
            state["unreadable"][key] = f"already in the project as {seed}"
            continue
        title = text.title or cand.entry.title or ""
        score, terms = relevance(glossary, title, text.text, cand.feed.keywords)
        item = InboxItem(
            id=_item_id(key),
            title=text.title or cand.entry.title,
            outlet=text.outlet or cand.feed.name,
            author=text.author,
            date=text.published or cand.entry.published,
            url=url,
            link=cand.places[0].url,
            score=score,
            terms=terms,
            fingerprint=f"{print_:016x}",
            seen_in=tuple(cand.places),
            found=today,
        )
        cache_article(root, item.id, article.got)
        by_url[normalise_url(url)] = item.id
        fresh[item.id] = item
    return list(fresh.values())


def _item_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:10]


def relevance(
    glossary: Glossary, title: str, text: str, keywords: Iterable[str] = ()
) -> tuple[float, tuple[str, ...]]:
    """Return an article's score and the terms that matched, the weightiest first.

    Glossary terms are found by the matcher `glossary scan` uses (inflected and compound
    forms count); feed keywords by a case-insensitive search for the word.
    """
    import re

    weights: dict[str, float] = {}
    lead = _lead_end(text)

    def add(name: str, where: str, start: int) -> None:
        w = TITLE_WEIGHT if where == "title" else LEAD_WEIGHT if start < lead else BODY_WEIGHT
        weights[name] = weights.get(name, 0.0) + w

    for where, part in (("title", title), ("text", text)):
        for match in glossary.find(part):
            add(match.entry.de, where, match.start)
        for word in keywords:
            pattern = re.compile(rf"(?<!\w){re.escape(word)}", re.IGNORECASE)
            for m in pattern.finditer(part):
                add(word, where, m.start())
    capped = {name: min(w, TERM_CAP) for name, w in weights.items()}
    order = sorted(capped, key=lambda n: (-capped[n], n))
    return round(sum(capped.values()), 1), tuple(order)


def _lead_end(text: str) -> int:
    """Return where the lead ends: after the first paragraph, at most LEAD_CHARS in."""
    first = text.find("\n\n", 1)
    return min(first if first > 0 else len(text), LEAD_CHARS)
