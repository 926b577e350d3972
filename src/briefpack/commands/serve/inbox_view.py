"""The Inbox view of `serve`: the intake's ranked items, accepted or dismissed in the browser.

`GET /inbox` lists the items waiting for a decision as `briefpack inbox list` ranks them
(`source.inbox_actions`): score, title (a link to the article), outlet, date, the glossary
terms found and every other place the story appeared; `?all=1` adds the items below the
relevance threshold. Below them, the items accepted so far and the briefing each one made.

The page is rendered per request: the inbox is a handful of small files and no prepare phase
runs. It carries the epoch read *before* the files are, so any change after that (an accept,
an intake run in a terminal) moves the epoch on through the watcher's rebuild, and the open
tab reloads (`reload.js`) to show it.

`POST /api/inbox/accept` `{"item": ID, "briefing": ID or null}` and `POST /api/inbox/dismiss`
`{"item": ID}` get the server's checks of every write first (Host, token, a JSON body of at
most `MAX_BODY` bytes: `server`), then the text gate here, then call the very functions the
CLI's `inbox accept` and `inbox dismiss` call, under the server's write lock. An error is
answered `{"error": …}` in the CLI's words, with a status by kind: an unknown item 404, a
refused request 400, an unreadable article 422, a failed download 502, the inbox locked 503.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

from briefpack.commands.serve.site import GetRoute, PostRoute, Reply, Site
from briefpack.errors import (
    BriefpackError,
    InputError,
    LockedError,
    NetworkError,
    UsageError,
)
from briefpack.source.inbox import MIN_SCORE, InboxItem, load_inbox
from briefpack.source.inbox_actions import (
    NoSuchItemError,
    accept,
    dismiss,
    is_relevant,
    waiting,
)
from briefpack.util.paths import Project
from briefpack.util.text import text_problem

log = logging.getLogger(__name__)

PAGE = "/inbox"
ACCEPT = "/api/inbox/accept"
DISMISS = "/api/inbox/dismiss"
TERMS_SHOWN = 12  # per item, as `inbox list` shows them; the title of "+N" lists the rest
ACCEPTED_SHOWN = 10
# The first match decides: a subclass before its base.
_STATUS: tuple[tuple[type[BriefpackError], HTTPStatus], ...] = (
    (NoSuchItemError, HTTPStatus.NOT_FOUND),
    (UsageError, HTTPStatus.BAD_REQUEST),
    (InputError, HTTPStatus.UNPROCESSABLE_ENTITY),
    (NetworkError, HTTPStatus.BAD_GATEWAY),
    (LockedError, HTTPStatus.SERVICE_UNAVAILABLE),
)


@dataclass(frozen=True)
class Place:
    """Somewhere a story appeared: the outlet (or the site's host) and the URL."""

    outlet: str
    url: str
    href: str | None  # the URL when it is a web address a browser may open, else None


@dataclass(frozen=True)
class Row:
    """An inbox item as the page shows it."""

    item: InboxItem
    href: str | None
    places: tuple[Place, ...]

    @property
    def relevant(self) -> bool:
        return is_relevant(self.item)

    @property
    def terms(self) -> tuple[str, ...]:
        return self.item.terms[:TERMS_SHOWN]

    @property
    def more_terms(self) -> tuple[str, ...]:
        return self.item.terms[TERMS_SHOWN:]


@dataclass(frozen=True)
class Accepted:
    """An accepted item and the briefing file it made (None: the file is gone since)."""

    item: InboxItem
    file: str | None


@dataclass
class Inbox:
    """The Inbox view's routes over one project; `lock` serialises this server's writes."""

    project: Project
    site: Site
    lock: threading.Lock

    @property
    def gets(self) -> dict[str, GetRoute]:
        """GET routes (see `site.GetRoute`)."""
        return {PAGE: self.show}

    @property
    def posts(self) -> dict[str, PostRoute]:
        """POST routes: accept and dismiss."""
        return {ACCEPT: self.decide(ACCEPT), DISMISS: self.decide(DISMISS)}

    def show(self, rest: str, query: str) -> Reply:
        return HTTPStatus.OK, page(self.site, self.project, query), "text/html"

    def decide(self, path: str) -> PostRoute:
        def route(rest: str, data: object) -> Reply:
            status, answer = post(self.project, self.lock, path, data)
            return status, json.dumps(answer, ensure_ascii=False).encode(), "application/json"

        return route


def page(site: Site, project: Project, query: str) -> bytes:
    """Return the Inbox page (`query`: the request's query string, `all=1`, `pack=NAME`)."""
    epoch = site.epoch  # first: a change while the files are read moves it on, and reloads
    params = parse_qs(query)
    show_all = params.get("all", [""])[0] == "1"
    pack = params.get("pack", [""])[0]
    if site.page("/", pack) is None:
        pack = ""  # only a pack the server serves goes into the bar's links
    context: dict[str, object] = {"pack": pack, "show_all": show_all, "min_score": MIN_SCORE}
    try:
        items = load_inbox(project.root)
    except InputError as exc:  # a hand-edited item file: say where; reloads once fixed
        return site.render("inbox.html.j2", epoch, problems=exc.lines(), **context)
    ranked = waiting(items)
    shown = ranked if show_all else [i for i in ranked if is_relevant(i)]
    accepted = sorted(
        (i for i in items if i.status == "accepted"),
        key=lambda i: (i.found.toordinal() if i.found else 0, i.id),
        reverse=True,
    )
    return site.render(
        "inbox.html.j2",
        epoch,
        problems=[],
        rows=[_row(i) for i in shown],
        waiting=len(ranked),
        hidden=len(ranked) - len(shown),
        below=sum(1 for i in ranked if not is_relevant(i)),
        accepted=[_accepted(project, i) for i in accepted[:ACCEPTED_SHOWN]],
        accepted_more=max(0, len(accepted) - ACCEPTED_SHOWN),
        dismissed=sum(1 for i in items if i.status == "dismissed"),
        **context,
    )


def post(
    project: Project, lock: threading.Lock, path: str, data: object
) -> tuple[HTTPStatus, dict[str, object]]:
    """Accept or dismiss the item a JSON body names; return the status and the answer."""
    fields = data if isinstance(data, dict) else {}
    item = fields.get("item")
    briefing = fields.get("briefing")
    if not isinstance(item, str) or not (briefing is None or isinstance(briefing, str)):
        return HTTPStatus.BAD_REQUEST, {"error": "expected {item, briefing} strings"}
    for name, text in (("item id", item), ("briefing id", briefing or "")):
        problem = text_problem(text)
        if problem is not None:
            return HTTPStatus.BAD_REQUEST, {"error": f"the {name} {problem}; nothing was written"}
    try:
        with lock:
            if path == ACCEPT:
                done = accept(project, item, briefing_id=(briefing or "").strip() or None)
            else:
                done = dismiss(project, item)
    except BriefpackError as exc:
        status = next((s for kind, s in _STATUS if isinstance(exc, kind)), None)
        if status is None:  # an output that could not be written: the terminal says more
            log.error("%s: %s", path, exc.message)
            status = HTTPStatus.INTERNAL_SERVER_ERROR
        return status, {"error": "; ".join(exc.lines())}
    answer: dict[str, object] = {"ok": True, "item": done.item.id, "lines": list(done.lines)}
    if done.made is not None:
        answer |= {
            "briefing": done.made.id,
            "file": project.rel(done.made.path),
            "seed": done.made.seed,
        }
    return HTTPStatus.OK, answer


def _row(item: InboxItem) -> Row:
    own = {item.url, item.link}
    places: dict[str, Place] = {}
    for seen in item.seen_in:
        if seen.url not in own and seen.url not in places:
            outlet = seen.outlet or urlsplit(seen.url).hostname or seen.url
            places[seen.url] = Place(outlet, seen.url, _href(seen.url))
    return Row(item, _href(item.url), tuple(places.values()))


def _accepted(project: Project, item: InboxItem) -> Accepted:
    path = project.briefings_dir / f"{item.briefing}.yaml"
    return Accepted(item, project.rel(path) if item.briefing and path.is_file() else None)


def _href(url: str) -> str | None:
    """Return `url` if a link to it is safe to offer (http or https), else None."""
    return url if urlsplit(url).scheme in ("http", "https") else None
