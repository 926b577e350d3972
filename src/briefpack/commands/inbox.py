"""The inbox's commands: list (ranked), dismiss, and the bookkeeping of `inbox accept`.

`inbox accept` is `new` on the item's link with the article bytes the intake kept: the CLI
calls `source.scaffold.new_briefing` (with `cached_fetch`'s bytes) and then `mark_accepted`
here, so `new`'s code path is that one call, not a copy.
"""

from __future__ import annotations

import datetime as dt

from briefpack.errors import UsageError
from briefpack.source.fetch import MAX_FETCH_BYTES, Fetched
from briefpack.source.inbox import (
    MIN_SCORE,
    InboxItem,
    cached_article,
    inbox_dir,
    load_inbox,
    write_item,
)
from briefpack.util.fsutil import file_lock
from briefpack.util.paths import Project


def inbox_items(project: Project, *, show_all: bool = False) -> list[InboxItem]:
    """Return the items waiting for a decision, best first (below `MIN_SCORE` only if all)."""
    waiting = [i for i in load_inbox(project.root) if i.status == "new"]
    if not show_all:
        waiting = [i for i in waiting if i.score >= MIN_SCORE]
    return sorted(waiting, key=lambda i: (-i.score, -(i.date or dt.date.min).toordinal(), i.id))


def find_item(project: Project, item_id: str) -> InboxItem:
    """Return the waiting item `item_id` names (its id or a unique start of it)."""
    if not item_id or not all(c in "0123456789abcdef" for c in item_id):
        raise UsageError(f"{item_id!r} is not an inbox item id (see `briefpack inbox list`)")
    hits = [i for i in load_inbox(project.root) if i.id.startswith(item_id)]
    if not hits:
        raise UsageError(f"no inbox item {item_id!r} (see `briefpack inbox list --all`)")
    if len(hits) > 1:
        raise UsageError(f"{item_id!r} starts several inbox item ids; give more of it")
    item = hits[0]
    if item.status == "accepted":
        raise UsageError(f"inbox item {item.id} was accepted already (briefing {item.briefing})")
    if item.status == "dismissed":
        raise UsageError(f"inbox item {item.id} was dismissed")
    return item


def cached_fetch(project: Project, item: InboxItem) -> Fetched | None:
    """Return the article bytes the intake kept for `item` (None: `new` downloads it)."""
    return cached_article(project.root, item.id, limit=MAX_FETCH_BYTES)


def _set_status(project: Project, item_id: str, **update: object) -> InboxItem:
    with file_lock(inbox_dir(project.root)):
        item = find_item(project, item_id).model_copy(update=update)
        write_item(project.root, item)
    return item


def dismiss(project: Project, item_id: str) -> InboxItem:
    """Mark an item dismissed: its file stays, so the intake does not offer it again."""
    return _set_status(project, item_id, status="dismissed")


def mark_accepted(project: Project, item_id: str, briefing: str) -> InboxItem:
    """Record that `briefing` was made from an item (after `new` wrote it)."""
    return _set_status(project, item_id, status="accepted", briefing=briefing)


def markdown(items: list[InboxItem], *, hidden: int = 0) -> str:
    """Return the ranked inbox as a Markdown table (for a CI job summary)."""
    lines = ["### Inbox", ""]
    if not items:
        lines.append("No new items.")
    else:
        lines += ["| score | id | date | outlet | title | terms |", "|---:|---|---|---|---|---|"]
        for i in items:
            title = _md(i.title or i.url)
            places = f" (+{len(i.duplicates())})" if i.duplicates() else ""
            lines.append(
                f"| {i.score:g} | `{i.id}` | {i.date or ''} | {_md(i.outlet or '')}{places} "
                f"| [{title}]({i.url}) | {_md(', '.join(i.terms[:6]))} |"
            )
    if hidden:
        lines += ["", f"{hidden} item(s) below the score {MIN_SCORE:g} hidden."]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")
