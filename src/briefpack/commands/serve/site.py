"""The pages `serve` shows: rendered once per change from one prepare, served until the next.

`Site.rebuild` runs the prepare phase once and renders the preview and the review page to
bytes; requests only look the bytes up. Each rebuild gets a new *epoch* (milliseconds of the
wall clock, so a restarted server never repeats one); an open tab long-polls `wait` with the
epoch its page was rendered at and reloads when the answer differs — mkdocs' livereload scheme.
The markup is in the Jinja templates under `templates/`, the CSS and JS under `static/`.

Every pack served has both pages; `?pack=NAME` chooses one (a query, not a path: the
preview's theme links are relative, `style.css`), and no query means the first pack.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

import jinja2

from briefpack.errors import BriefpackError, UsageError
from briefpack.qa.review import PackProgress, ReviewItem, pack_progress, review_items
from briefpack.translation.exchange.tm.leverage import Leverage, Match
from briefpack.util.paths import Project

if TYPE_CHECKING:
    from briefpack.glossary.match import TermMatch
    from briefpack.prepare import Prepared, PreparedPack

log = logging.getLogger(__name__)

PAGES = ("/", "/review")
# A page module's routes (the editor's, the Inbox view's): the server looks a request's path
# up in its tables — a path, or a prefix ending in `/` that an id follows — and sends the reply.
Reply = tuple[int, bytes, str]  # status, body, content type
GetRoute = Callable[[str, str], Reply]  # (the path after the route's prefix, the query)
PostRoute = Callable[[str, object], Reply]  # (the path after the route's prefix, the JSON)
CHARS_PER_ROW = 48  # about what one line of a review box holds at the page's usual width
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    """A review item as the page shows it."""

    item: ReviewItem
    de: list[tuple[str, str | None]]  # German pieces; a glossary term carries its English
    match: Match | None = None  # the project memory's best match (≥ 75) for an open segment

    @property
    def label(self) -> str:
        return "MT" if self.item.status == "machine" else self.item.status

    @property
    def rows(self) -> int:
        """Return the edit box's height in lines: the whole sentence, never under two.

        The page's script then fits each box to its text exactly; this is the height
        without scripts, and what the box starts at.
        """
        return max(2, -(-len(self.item.en) // CHARS_PER_ROW))


@dataclass
class Site:
    """The rendered pages of one project's packs, and the epoch they were rendered at.

    `packs` are the packs served (none: all); `pages` holds each page by path and pack,
    the first pack's also under the pack `""`. While the project has errors, `error` is the
    page shown at every path of `PAGES`, for every pack.
    """

    project: Project
    packs: tuple[str, ...]
    token: str
    epoch: int = field(default=0, init=False)
    pages: dict[tuple[str, str], bytes] = field(default_factory=dict, init=False, repr=False)
    error: bytes | None = field(default=None, init=False, repr=False)
    _changed: threading.Condition = field(default_factory=threading.Condition, init=False)
    _building: threading.Lock = field(default_factory=threading.Lock, init=False)
    _closed: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self._env = jinja2.Environment(
            loader=jinja2.PackageLoader("briefpack.commands.serve", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # --- building -------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Prepare the project once, render every page, then tell the waiting tabs."""
        with self._building:
            epoch = max(time.time_ns() // 1_000_000, self.epoch + 1)
            error = None
            try:
                pages = self._render(epoch)
            except BriefpackError as exc:
                log.info("the project has problems: %s", exc.message)
                error = self._page("error.html.j2", epoch, error=exc, lines=exc.lines())
                pages = {}
            with self._changed:
                self.epoch, self.pages, self.error = epoch, pages, error
                self._changed.notify_all()

    def wait(self, since: int, timeout: float) -> int:
        """Return the current epoch once it differs from `since` (or after `timeout` s)."""
        with self._changed:
            self._changed.wait_for(lambda: self.epoch != since or self._closed, timeout)
            return self.epoch

    def close(self) -> None:
        """Answer every waiting tab now (the server is stopping)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def page(self, path: str, pack: str = "") -> bytes | None:
        """Return the last rendered page at `path` of `pack` (`""`: the first), or None.

        While the project has errors, every page of every pack is the error page.
        """
        with self._changed:
            if self.error is not None and path in PAGES:
                return self.error
            return self.pages.get((path, pack))

    # --- rendering ------------------------------------------------------------------------

    def _render(self, epoch: int) -> dict[tuple[str, str], bytes]:
        from briefpack.prepare import prepare
        from briefpack.util.request import BuildRequest

        prepared = prepare(self.project, BuildRequest(packs=self.packs), translate=False)
        if not prepared.packs:
            raise UsageError("no pack to show")
        names = [p.name for p in prepared.packs]
        progress = pack_progress(prepared.content, prepared.content.select_packs(names))
        pages: dict[tuple[str, str], bytes] = {}
        for pack in prepared.packs:
            pages["/", pack.name] = self._preview(prepared, pack, names, epoch)
            pages["/review", pack.name] = self._review(prepared, pack, names, progress, epoch)
        for path in PAGES:
            pages[path, ""] = pages[path, names[0]]
        return pages

    def _preview(
        self, prepared: Prepared, pack: PreparedPack, names: list[str], epoch: int
    ) -> bytes:
        """Return the pack in the PDF's own view and template, with the screen additions."""
        from briefpack.output.html import render_html

        view, _ = prepared.view(pack)
        html = render_html(view.context(), self.project.templates_dir)
        context = {
            "epoch": epoch,
            "pack": pack.name,
            "packs": names,
            "mode": "preview",
            "token": self.token,
        }
        head = self._env.get_template("preview_head.html.j2").render(context)
        bar = self._env.get_template("bar.html.j2").render(context)
        html = html.replace("</head>", head + "</head>", 1) if "</head>" in html else head + html
        found = _BODY.search(html)
        at = found.end() if found else len(head)
        return (html[:at] + bar + html[at:]).encode("utf-8")

    def _review(
        self,
        prepared: Prepared,
        pack: PreparedPack,
        names: list[str],
        progress: list[PackProgress],
        epoch: int,
    ) -> bytes:
        """Return the review page: the pack's segments as a queue, and each pack's progress."""
        content = prepared.content
        items = review_items(content, pack.fields)
        leverage = Leverage(content)
        queue = [
            Row(
                i,
                _pieces(i.de, content.terms_in(i.de)),
                None if i.status == "reviewed" else leverage.best(i.de),
            )
            for i in sorted(items, key=ReviewItem.queue_key)
        ]
        return self._page(
            "review.html.j2",
            epoch,
            pack=pack.name,
            packs=names,
            rows=queue,
            progress=progress,
            left=sum(1 for i in items if i.status != "reviewed"),
        )

    def render(self, template: str, epoch: int, **context: Any) -> bytes:
        """Render a page of serve's own that is made per request (the Inbox view)."""
        return self._page(template, epoch, **context)

    def _page(self, template: str, epoch: int, **context: Any) -> bytes:
        context.setdefault("pack", "")
        context.setdefault("packs", [])
        mode = template.removesuffix(".html.j2")  # "review", "error", "inbox"
        html = self._env.get_template(template).render(
            epoch=epoch, token=self.token, mode=mode, **context
        )
        return html.encode("utf-8")


def _pieces(text: str, matches: Sequence[TermMatch]) -> list[tuple[str, str | None]]:
    """Split German text into (piece, glossary English or None) for highlighting."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for m in sorted(matches, key=lambda m: (m.start, -m.end)):
        if m.start < pos:
            continue
        if m.start > pos:
            out.append((text[pos : m.start], None))
        out.append((text[m.start : m.end], m.entry.de if m.entry.keep else m.entry.en))
        pos = m.end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def static_asset(name: str) -> bytes | None:
    """Return one of serve's own CSS/JS files (package data), or None."""
    if name not in _ASSETS:
        return None
    return (resources.files("briefpack.commands.serve") / "static" / name).read_bytes()


_ASSETS = frozenset(
    {
        "api.js",
        "bar.css",
        "preview.css",
        "review.css",
        "reload.js",
        "review.js",
        "inbox.css",
        "inbox.js",
        "editor.css",
        "editor.js",
    }
)
