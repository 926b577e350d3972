"""The inbox: one YAML file per candidate source under `inbox/`, and the intake's state.

An item file is small and stable, so the inbox diffs well in git. Accepted and dismissed
items keep their file (with `status` set), so that a later intake does not offer the same
story again. The files are read like every other project YAML file (`yamlio` positions, a
pydantic model, located problems) and written whole and atomically.

The intake's state (each feed's ``ETag`` / ``Last-Modified``, articles that could not be
read) and the article bytes `inbox accept` reuses live in `.briefpack-cache/intake/`: losing
them costs one full fetch of every feed, never an item (the inbox files de-duplicate).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from briefpack.errors import InputError, OutputError, Problem, rel
from briefpack.source.extract import DOCX, HTML, PDF, TEXT
from briefpack.source.fetch import Fetched
from briefpack.source.schema import IsoDate
from briefpack.util.cache import cache_dir, sha256_hex
from briefpack.util.fsutil import atomic_write_bytes, atomic_write_text, read_bounded
from briefpack.util.locate import problems_from_validation
from briefpack.util.paths import Input
from briefpack.util.yamlio import load_yaml

log = logging.getLogger(__name__)

INBOX_DIR = "inbox"
# Items scoring below this are kept but hidden from `inbox list` (`--all` shows them).
MIN_SCORE = 3.0
ItemId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{10}$")]
Status = Literal["new", "accepted", "dismissed"]
_KINDS = {HTML, PDF, DOCX, TEXT}  # what `new` extracts; anything else in the cache is ignored


class Place(BaseModel):
    """One place an item appeared: a feed's link to it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(description="The link as the feed gave it")
    outlet: str | None = Field(default=None, description="The feed's outlet name")
    feed: str | None = Field(default=None, description="The feed's URL")
    guid: str | None = Field(default=None, description="The feed's id of the item")


class InboxItem(BaseModel):
    """A candidate source the intake found, ranked by the glossary terms it contains."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: ItemId
    status: Status = "new"
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    date: IsoDate | None = None
    url: str = Field(description="The article's canonical URL (the page's, else the link)")
    link: str = Field(description="The URL that was fetched; `inbox accept` passes it to new")
    score: float = 0.0
    terms: tuple[str, ...] = ()
    fingerprint: str = Field(default="", description="SimHash of the text, 16 hex digits")
    seen_in: tuple[Place, ...] = ()
    found: IsoDate | None = Field(default=None, description="When the intake first found it")
    briefing: str | None = Field(default=None, description="The briefing `accept` made")

    def duplicates(self) -> list[str]:
        """Return the other places (URLs) the story appeared, besides `url` and `link`."""
        own = {self.url, self.link}
        return list(dict.fromkeys(p.url for p in self.seen_in if p.url not in own))

    def to_json(self) -> dict[str, object]:
        """Return the object `inbox list --json` prints (its keys are a contract)."""
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "date": self.date.isoformat() if self.date else None,
            "url": self.url,
            "score": self.score,
            "terms": list(self.terms),
            "duplicates": self.duplicates(),
        }


def inbox_dir(root: Path) -> Path:
    """Return the inbox folder of the project at `root`."""
    return root / INBOX_DIR


def item_path(root: Path, item_id: str) -> Path:
    """Return the file of inbox item `item_id`."""
    return inbox_dir(root) / f"{item_id}.yaml"


def load_inbox(root: Path) -> list[InboxItem]:
    """Return every inbox item (any status); raise InputError listing every invalid file."""
    folder = inbox_dir(root)
    if not folder.is_dir():
        return []
    items: list[InboxItem] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        display = rel(path, root)
        try:
            doc = load_yaml(path, display)
            item = InboxItem.model_validate(doc.data)
        except InputError as exc:
            problems.extend(exc.as_problems(display))
            continue
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, doc, InboxItem))
            continue
        if item.id != path.stem:
            problems.append(doc.problem(("id",), f"the id must be the file's name ({path.stem})"))
            continue
        items.append(item)
    if problems:
        raise InputError(f"{rel(folder, root)}: invalid inbox item(s)", problems=problems)
    return items


def write_item(root: Path, item: InboxItem) -> Path:
    """Write (or replace) one item's file atomically; return its path."""
    data: dict[str, Any] = item.model_dump(mode="json", exclude_defaults=False)
    data["seen_in"] = [
        {k: v for k, v in place.items() if v is not None} for place in data["seen_in"]
    ]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path = item_path(root, item.id)
    atomic_write_text(
        path,
        "# briefpack inbox item: `briefpack inbox accept|dismiss ID`\n" + text,
        edits=Input.INBOX,
    )
    return path


# --- the intake's state and article cache (.briefpack-cache/intake/) -------------------------


_STATE_KEYS = ("feeds", "unreadable", "retries")


def _state_dir(root: Path) -> Path:
    return cache_dir(root) / "intake"


def read_state(root: Path) -> dict[str, Any]:
    """Return the intake state (fails soft: anything unreadable is an empty state)."""
    try:
        data = json.loads(read_bounded(_state_dir(root) / "state.json", 8 * 1024 * 1024))
    except (OSError, ValueError, InputError) as exc:
        log.debug("starting without intake state: %s", exc)
        data = {}
    if not isinstance(data, dict):
        data = {}
    # feeds: URL -> validators; unreadable: article key -> why; retries: article key -> runs
    return {k: data[k] if isinstance(data.get(k), dict) else {} for k in _STATE_KEYS}


def write_state(root: Path, state: dict[str, Any]) -> None:
    """Write the intake state atomically; a failure costs a full fetch next time, no more."""
    text = json.dumps(state, ensure_ascii=False, sort_keys=True, indent=1)
    try:
        atomic_write_text(_state_dir(root) / "state.json", text + "\n")
    except OutputError as exc:  # a read-only checkout: the cache fails soft
        log.debug("could not write the intake state: %s", exc)


def cache_article(root: Path, item_id: str, got: Fetched) -> None:
    """Keep a fetched article's bytes for `inbox accept` (fails soft: it then downloads)."""
    folder = _state_dir(root) / "articles"
    meta = {
        "url": got.url,
        "kind": got.kind,
        "content_type": got.content_type,
        "sha256": sha256_hex(got.data),  # checked on reading: the writes are not durable
    }
    # A cache: written atomically but without fsync (two per file, most of the time of an
    # intake's writes); a power cut may lose or empty a file, which the SHA-256 catches.
    try:
        atomic_write_bytes(folder / f"{item_id}.body", got.data, durable=False)
        atomic_write_text(folder / f"{item_id}.json", json.dumps(meta) + "\n", durable=False)
    except OutputError as exc:
        log.debug("could not keep the article of %s: %s", item_id, exc)


def cached_article(root: Path, item_id: str, *, limit: int) -> Fetched | None:
    """Return the article bytes kept for `item_id`, or None (then `accept` downloads it)."""
    folder = _state_dir(root) / "articles"
    try:
        meta = json.loads((folder / f"{item_id}.json").read_text(encoding="utf-8"))
        data = read_bounded(folder / f"{item_id}.body", limit, regular_only=True)
    except (OSError, ValueError, InputError):
        return None
    if not (isinstance(meta, dict) and all(isinstance(meta.get(k), str) for k in meta)):
        return None
    if set(meta) != {"url", "kind", "content_type", "sha256"} or meta["kind"] not in _KINDS:
        return None
    if sha256_hex(data) != meta["sha256"]:  # cut short by a crash, or edited
        return None
    return Fetched(meta["url"], data, meta["kind"], meta["content_type"])
