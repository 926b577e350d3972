"""What changed in a pack since its previous build: the "Changes since" section.

A pack's *state* is what a reader would notice changing: per document (the pack's own
texts and each briefing) a hash of its validated content and source text, its title, and
per segment the status and a hash of the English shown. The manifest keeps the state of
the last two final builds of each pack (`current`, `previous`). A build whose state equals
`current` (a rebuild, another format) shows the same section as the build that recorded
it; a new state shows what differs from `current` and moves it to `previous`. Draft builds
compare the same way but record nothing: the next final build still compares with the last
final one.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from briefpack.output.view import Change, ChangeLog
from briefpack.source.content import Content, FieldsByDoc, LoadedPack
from briefpack.util.cache import sha256_hex

# The kinds of change, in the order the section lists them.
KINDS = (
    "source-added",
    "source-removed",
    "source-changed",
    "pack-changed",
    "translations-redone",
    "newly-reviewed",
)

State = dict[str, Any]


def pack_state(content: Content, pack: LoadedPack, fields: FieldsByDoc, built: dt.date) -> State:
    """Return the state of one pack as a JSON-ready mapping (stored in the manifest)."""
    docs: dict[str, Any] = {}
    for doc in pack.documents:
        if doc == pack.doc_id:
            title = pack.model.title.de
            # The pack's own texts, not its list of briefings: sources added or removed are
            # reported as such, not also as "the pack changed".
            body = pack.model.model_dump_json(exclude={"briefings"})
        else:
            b = content.briefings[doc]
            title = b.model.title
            body = b.model.model_dump_json() + "\0" + b.source_text
        segments: dict[str, str] = {}
        for f in fields[doc]:
            for seg in f.segments:
                entry = content.memory.lookup(seg.key)
                segments[seg.key] = (
                    "missing"
                    if entry is None
                    else f"{entry.status}:{sha256_hex(entry.en.strip())[:16]}"
                )
        docs[doc] = {"title": title, "sha": sha256_hex(body), "segments": segments}
    return {"built": built.isoformat(), "order": list(pack.documents), "docs": docs}


def _same(a: State | None, b: State) -> bool:
    return a is not None and a.get("order") == b["order"] and a.get("docs") == b["docs"]


def diff(previous: State, current: State, pack_doc: str) -> list[Change]:
    """Return the changes from `previous` to `current`, grouped by kind, in reading order."""
    old_docs: dict[str, Any] = previous.get("docs", {})
    new_docs: dict[str, Any] = current["docs"]
    found: list[Change] = []
    for doc in current["order"]:
        new = new_docs[doc]
        old = old_docs.get(doc)
        if old is None:
            found.append(Change("source-added", doc, new["title"]))
            continue
        if old.get("sha") != new["sha"]:
            kind = "pack-changed" if doc == pack_doc else "source-changed"
            found.append(Change(kind, doc, new["title"]))
        redone = reviewed = 0
        old_segments: dict[str, str] = old.get("segments", {})
        for key, now in new["segments"].items():
            before = old_segments.get(key)
            if before is None or before == now or now == "missing":
                continue
            if now.startswith("reviewed:") and not before.startswith("reviewed:"):
                reviewed += 1
            else:
                redone += 1
        if redone:
            found.append(Change("translations-redone", doc, new["title"], redone))
        if reviewed:
            found.append(Change("newly-reviewed", doc, new["title"], reviewed))
    for doc in previous.get("order", []):
        if doc not in new_docs and doc in old_docs:
            found.append(Change("source-removed", doc, str(old_docs[doc].get("title", doc))))
    return sorted(found, key=lambda c: KINDS.index(c.kind))


def change_log(
    record: dict[str, Any] | None, state: State, pack_doc: str
) -> tuple[ChangeLog | None, dict[str, Any]]:
    """Return the pack's change section and the record to keep after a final build.

    `record` is the pack's manifest entry (`current`, `previous`) or None. The section is
    None when there is nothing to compare with.
    """
    current = (record or {}).get("current")
    previous = (record or {}).get("previous")
    if _same(current, state):
        # The inputs a reader sees are those of the last build: show what it showed.
        assert current is not None
        kept = {"current": current, "previous": previous}
        if not isinstance(previous, dict):
            return None, kept
        base = previous
        state = current
    elif isinstance(current, dict):
        base = current
        kept = {"current": state, "previous": current}
    else:
        return None, {"current": state, "previous": None}
    try:
        since = dt.date.fromisoformat(str(base.get("built")))
    except ValueError:
        return None, kept
    return ChangeLog(since, tuple(diff(base, state, pack_doc))), kept


def digest(log: ChangeLog | None) -> str:
    """Return a digest of a change section (part of each output's manifest record)."""
    if log is None:
        return ""
    body = {"since": log.since.isoformat(), "items": [c.to_dict() for c in log.items]}
    return sha256_hex(json.dumps(body, sort_keys=True))
