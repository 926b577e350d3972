"""What a person decides about the inbox: the ranked list, accept and dismiss.

One definition for both front ends: `briefpack inbox list|accept|dismiss` and the Inbox view
of `briefpack serve` call these functions and show the lines they return; neither has a copy.

`accept` is `new` on the item's link with the article bytes the intake kept
(`source.scaffold.new_briefing`, the one code path of `new`), then the item marked accepted,
all under the inbox's lock: an item accepted in the browser and the terminal at once makes
one briefing, and the second caller is told that it was accepted already. Nothing is written
when the briefing cannot be made (its id exists, the article cannot be read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from briefpack.errors import UsageError
from briefpack.source.fetch import MAX_FETCH_BYTES
from briefpack.source.inbox import (
    MIN_SCORE,
    InboxItem,
    cached_article,
    inbox_dir,
    load_inbox,
    write_item,
)
from briefpack.source.scaffold import NewBriefing, new_briefing
from briefpack.util.fsutil import file_lock
from briefpack.util.paths import Project

_HEX = frozenset("0123456789abcdef")


class NoSuchItemError(UsageError):
    """No inbox item has the id given (or the id given is not an item id at all)."""


@dataclass(frozen=True)
class Decision:
    """What `accept` or `dismiss` did, and the lines saying so (printed, or shown on the page)."""

    item: InboxItem  # as written, with its new status
    lines: tuple[str, ...]
    made: NewBriefing | None = None  # `accept`: the briefing and seed written


def rank_key(item: InboxItem) -> tuple[float, int, str]:
    """Order items most relevant first, then newest, then by id (stable across runs)."""
    return (-item.score, -(item.date or dt.date.min).toordinal(), item.id)


def is_relevant(item: InboxItem) -> bool:
    """Whether an item scores at least `MIN_SCORE` (the others are listed only on request)."""
    return item.score >= MIN_SCORE


def waiting(items: Iterable[InboxItem]) -> list[InboxItem]:
    """Return those of `items` waiting for a decision, best first."""
    return sorted((i for i in items if i.status == "new"), key=rank_key)


def waiting_items(project: Project, *, show_all: bool = False) -> list[InboxItem]:
    """Return the items waiting for a decision, best first (below `MIN_SCORE` only if all)."""
    return [i for i in waiting(load_inbox(project.root)) if show_all or is_relevant(i)]


def find_item(project: Project, item_id: str) -> InboxItem:
    """Return the waiting item `item_id` names (its id or a unique start of it)."""
    if not item_id or not all(c in _HEX for c in item_id):
        raise NoSuchItemError(f"{item_id!r} is not an inbox item id (see `briefpack inbox list`)")
    hits = [i for i in load_inbox(project.root) if i.id.startswith(item_id)]
    if not hits:
        raise NoSuchItemError(f"no inbox item {item_id!r} (see `briefpack inbox list --all`)")
    if len(hits) > 1:
        raise UsageError(f"{item_id!r} starts several inbox item ids; give more of it")
    item = hits[0]
    if item.status == "accepted":
        raise UsageError(f"inbox item {item.id} was accepted already (briefing {item.briefing})")
    if item.status == "dismissed":
        raise UsageError(f"inbox item {item.id} was dismissed")
    return item


def accept(project: Project, item_id: str, *, briefing_id: str | None = None) -> Decision:
    """Make the briefing and seed `new` makes from an item's link, then mark it accepted.

    The article bytes the intake kept are used (no second download); without them (or when
    they are unusable) `new` downloads the link as it always does.
    """
    root = project.root
    with file_lock(inbox_dir(root)):
        item = find_item(project, item_id)
        kept = cached_article(root, item.id, limit=MAX_FETCH_BYTES)
        made = new_briefing(project, item.link, briefing_id=briefing_id, fetched=kept)
        done = item.model_copy(update={"status": "accepted", "briefing": made.id})
        write_item(root, done)
    lines = (
        f"extracted the text of {item.link} to {made.seed}",
        f"wrote {project.rel(made.path)} for {made.seed}",
        f"next: replace the TODOs, add {made.id!r} to a pack in "
        f"{project.rel(project.packs_dir)}/, run `briefpack check`",
    )
    return Decision(done, lines, made)


def dismiss(project: Project, item_id: str) -> Decision:
    """Mark an item dismissed: its file stays, so the intake does not offer the story again."""
    with file_lock(inbox_dir(project.root)):
        done = find_item(project, item_id).model_copy(update={"status": "dismissed"})
        write_item(project.root, done)
    return Decision(done, (f"dismissed {done.id}: {done.title or done.url}",))
