"""`feeds.yaml`: the news feeds a project's press intake reads, and its edits.

Read like every other project YAML file (`yamlio` positions, a pydantic model, located
problems). `feeds add` and `feeds remove` edit it through a ruamel.yaml round trip, so the
comments and layout people gave the file stay; every edit runs under `fsutil.file_lock`,
re-reads the file inside the lock, checks that the result loads, and replaces it atomically.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from briefpack.errors import InputError, UsageError, rel
from briefpack.util.fsutil import atomic_write_text, file_lock
from briefpack.util.locate import problems_from_validation
from briefpack.util.paths import Input
from briefpack.util.yamlio import MAX_YAML_BYTES, parse_yaml, read_text

FEEDS_FILE = "feeds.yaml"
NEW_FILE_HEADER = (
    "# News feeds read by `briefpack intake` (RSS, RDF, Atom or JSON Feed).\n"
    "# Edit by hand or with `briefpack feeds add/remove`; comments are kept.\n"
    "# keywords: extra words that make an item relevant; tags: your own labels.\n"
)

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Feed(BaseModel):
    """One feed: where it is, which outlet publishes it, what makes its items relevant."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: NonEmpty = Field(description="http(s) URL of the feed (RSS, RDF, Atom or JSON Feed)")
    name: NonEmpty = Field(description="The outlet's name, as the briefing's source.outlet")
    keywords: list[NonEmpty] = Field(
        default=[], description="Words that make an item relevant besides the glossary's terms"
    )
    tags: list[NonEmpty] = Field(default=[], description="Labels of your own")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value


class FeedsFile(BaseModel):
    """The whole of feeds.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    feeds: list[Feed] = Field(default=[], description="The feeds, in reading order")


def feeds_path(root: Path) -> Path:
    """Return the path of the feeds file of the project at `root`."""
    return root / FEEDS_FILE


def load_feeds(path: Path, *, root: Path | None = None) -> tuple[Feed, ...]:
    """Return the feeds of `path` (none if it does not exist); raise InputError listing all."""
    if not path.exists():
        return ()
    display = rel(path, root)
    return _parse(read_text(path, display, limit=MAX_YAML_BYTES, what="feeds file"), path, display)


def _parse(text: str, path: Path, display: str) -> tuple[Feed, ...]:
    doc = parse_yaml(text, path=path, display=display)
    try:
        parsed = FeedsFile.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as exc:
        problems = problems_from_validation(exc, doc, FeedsFile)
        raise InputError(f"{display}: invalid", problems=problems) from None
    seen: dict[str, int] = {}
    dupes = []
    for i, feed in enumerate(parsed.feeds):
        if feed.url in seen:
            dupes.append(
                doc.problem(
                    ("feeds", i, "url"),
                    f"the feed {feed.url} is listed twice (first as feeds[{seen[feed.url]}])",
                    code="duplicate-feed",
                )
            )
        seen.setdefault(feed.url, i)
    if dupes:
        raise InputError(f"{display}: invalid", problems=dupes)
    return tuple(parsed.feeds)


# --- edits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEdit:
    """What an edit did: the feed added or removed."""

    feed: Feed
    path: Path


def add_feed(path: Path, feed: Feed, *, root: Path | None = None) -> FeedEdit:
    """Append `feed` to the file (created if missing); refuse a URL that is there already."""

    def change(data: Any, feeds: tuple[Feed, ...]) -> Feed:
        if any(f.url == feed.url for f in feeds):
            raise UsageError(f"{rel(path, root)}: {feed.url} is already a feed")
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        entry = CommentedMap(url=feed.url, name=feed.name)
        for key in ("keywords", "tags"):
            if values := getattr(feed, key):
                seq = CommentedSeq(values)
                seq.fa.set_flow_style()
                entry[key] = seq
        if not isinstance(data.get("feeds"), list):
            data["feeds"] = CommentedSeq()
        data["feeds"].append(entry)
        return feed

    return FeedEdit(_edit(path, root, change), path)


def remove_feed(path: Path, which: str, *, root: Path | None = None) -> FeedEdit:
    """Remove the feed whose URL or name is `which`; raise UsageError if none or several."""

    def change(data: Any, feeds: tuple[Feed, ...]) -> Feed:
        index = find_feed(feeds, which, file=rel(path, root))
        del data["feeds"][index]
        return feeds[index]

    if not path.exists():
        raise UsageError(f"{rel(path, root)}: no feeds yet; add one with `briefpack feeds add`")
    return FeedEdit(_edit(path, root, change), path)


def find_feed(feeds: tuple[Feed, ...], which: str, *, file: str) -> int:
    """Return the index of the feed whose URL or name (case-insensitive) is `which`."""
    wanted = which.casefold()
    hits = [i for i, f in enumerate(feeds) if which == f.url or f.name.casefold() == wanted]
    if not hits:
        raise UsageError(f"{file}: no feed has the URL or name {which!r}")
    if len(hits) > 1:
        raise UsageError(f"{file}: several feeds are named {which!r}; give the URL")
    return hits[0]


def _edit(path: Path, root: Path | None, change: Callable[[Any, tuple[Feed, ...]], Feed]) -> Feed:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    display = rel(path, root)
    with file_lock(path):
        if path.exists():
            text = read_text(path, display, limit=MAX_YAML_BYTES, what="feeds file")
            feeds = _parse(text, path, display)  # refuse to edit an invalid file
        else:
            text, feeds = NEW_FILE_HEADER, ()
        yaml = YAML()  # round trip: comments, order and quoting stay
        yaml.indent(mapping=2, sequence=4, offset=2)
        yaml.width = 4096
        try:
            data = yaml.load(text)
        except YAMLError as exc:  # pragma: no cover - _parse read it already
            raise InputError(f"{display}: cannot edit: {exc}") from None
        header = ""
        if data is None:  # an empty file, or only comments: keep them above the new content
            data = CommentedMap()
            header = text if not text or text.endswith("\n") else text + "\n"
        result = change(data, feeds)
        out = io.StringIO()
        yaml.dump(data, out)
        new_text = header + out.getvalue()
        _parse(new_text, path, display)  # what is written loads, or nothing is written
        atomic_write_text(path, new_text, edits=Input.FEEDS)
    return result
