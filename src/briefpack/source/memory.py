"""The segment-level translation memory under translations/.

One YAML file per document (`translations/<briefing-id>.yaml`,
`translations/packs/<pack>.yaml`), entries in a stable order: existing entries keep their
place, new ones are appended. Lookups span all files, so a sentence that occurs in two
briefings is translated once. A reviewed entry always wins over a machine one and is never
overwritten by the machine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from pydantic import ValidationError

from briefpack.errors import InputError, OutputError, Problem
from briefpack.source.fields import pack_of
from briefpack.source.schema import MemoryEntry, MemoryFile, Provenance
from briefpack.source.segment import Segment, segment_key
from briefpack.util.fsutil import atomic_write_text, file_lock
from briefpack.util.locate import problems_from_validation
from briefpack.util.paths import Input
from briefpack.util.yamlio import MAX_YAML_BYTES, YamlDoc, parse_yaml, read_text

HEADER = (
    "# briefpack translation memory: one entry per German sentence.\n"
    "# status: reviewed = written or approved by a person; machine = filled by the MT engine.\n"
    "# To approve a machine translation, edit `en` if needed, set `status: reviewed` and\n"
    "# delete the `provenance` block. Entries are matched by their German text.\n"
)


@dataclass
class MemoryDoc:
    """The entries of one translations/ file, in file order."""

    path: Path
    entries: list[MemoryEntry] = field(default_factory=list)
    dirty: bool = False
    # The file as it was when loaded (None: it did not exist) and its entries then, so that
    # `save` can tell whether a person edited it meanwhile and merge instead of overwriting.
    disk_text: str | None = None
    base: list[MemoryEntry] = field(default_factory=list)
    # Where each entry (by segment key) starts in the file on disk, as (line, column):
    # findings about a translation point there.
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class TranslationMemory:
    """All translations/ files of a project."""

    root: Path  # the translations/ folder
    files: dict[Path, MemoryDoc] = field(default_factory=dict)

    def _index(self) -> dict[str, list[tuple[MemoryDoc, int]]]:
        index: dict[str, list[tuple[MemoryDoc, int]]] = {}
        for doc in self.files.values():
            for i, entry in enumerate(doc.entries):
                index.setdefault(segment_key(entry.de), []).append((doc, i))
        return index

    def lookup(self, key: str) -> MemoryEntry | None:
        """Return the best usable entry for a segment key: reviewed first, then machine."""
        best: MemoryEntry | None = None
        for doc, i in self._index_cache().get(key, ()):
            entry = doc.entries[i]
            if not entry.en.strip():
                continue
            if best is None or (entry.status == "reviewed" and best.status != "reviewed"):
                best = entry
        return best

    def entries_for(self, key: str) -> list[tuple[Path, MemoryEntry]]:
        """Return every entry for a key with its file (for reports)."""
        return [(doc.path, doc.entries[i]) for doc, i in self._index_cache().get(key, ())]

    def _index_cache(self) -> dict[str, list[tuple[MemoryDoc, int]]]:
        cache = getattr(self, "_cache", None)
        if cache is None:
            cache = self._index()
            object.__setattr__(self, "_cache", cache)
        return cache

    def _invalidate(self) -> None:
        object.__setattr__(self, "_cache", None)

    def position(self, path: Path, entry: MemoryEntry) -> tuple[int | None, int | None]:
        """Return the (line, column) where `entry` starts in `path` on disk, if known."""
        doc = self.files.get(path)
        pos = doc.positions.get(segment_key(entry.de)) if doc is not None else None
        return pos if pos is not None else (None, None)

    def file_for(self, doc_id: str) -> Path:
        """Return the translations/ file that holds new entries of a document."""
        pack = pack_of(doc_id)
        if pack is not None:
            return self.root / "packs" / f"{pack}.yaml"
        return self.root / f"{doc_id}.yaml"

    def put(self, segment: Segment, entry: MemoryEntry) -> None:
        """Store a translation for a segment; a reviewed entry is never replaced by machine."""
        existing = self._index_cache().get(segment.key, [])
        for doc, i in existing:
            old = doc.entries[i]
            if old.status == "reviewed" and old.en.strip() and entry.status == "machine":
                return
        # Replace an existing machine/empty entry in place (keeps file order), else append.
        for doc, i in existing:
            old = doc.entries[i]
            if old.status == "machine" or not old.en.strip():
                doc.entries[i] = entry  # same German, same key: the index stays valid
                doc.dirty = True
                return
        path = self.file_for(segment.doc)
        doc = self.files.setdefault(path, MemoryDoc(path))
        doc.entries.append(entry)
        doc.dirty = True
        # Extend the index instead of dropping it: a run stores thousands of entries, and
        # rebuilding the index after each one made storing them quadratic.
        self._index_cache().setdefault(segment_key(entry.de), []).append(
            (doc, len(doc.entries) - 1)
        )

    def put_reviewed(self, segment: Segment, en: str, *, note: str | None = None) -> MemoryEntry:
        """Store a person's translation (an approval or a correction) as the reviewed entry.

        Unlike `put`, this replaces reviewed entries too: every entry of the segment's key,
        in whichever file it lives, becomes the new reviewed entry without provenance (so no
        older entry can win a lookup); with none, it is appended to the document's file.
        """
        entry = MemoryEntry(de=segment.text, en=en, status="reviewed", note=note)
        existing = self._index_cache().get(segment.key, [])
        for doc, i in existing:
            if doc.entries[i] != entry:
                doc.entries[i] = entry
                doc.dirty = True
        if not existing:
            path = self.file_for(segment.doc)
            doc = self.files.setdefault(path, MemoryDoc(path))
            doc.entries.append(entry)
            doc.dirty = True
        self._invalidate()
        return entry

    def remove_keys(self, keys: Iterable[str], *, status: str = "machine") -> int:
        """Remove entries with these keys and status; return how many were removed."""
        wanted = set(keys)
        removed = 0
        for doc in self.files.values():
            kept = [
                e for e in doc.entries if not (e.status == status and segment_key(e.de) in wanted)
            ]
            if len(kept) != len(doc.entries):
                removed += len(doc.entries) - len(kept)
                doc.entries = kept
                doc.dirty = True
        self._invalidate()
        return removed

    def all_entries(self) -> list[tuple[Path, MemoryEntry]]:
        """Return every entry with its file, in file order."""
        return [(doc.path, e) for doc in self.files.values() for e in doc.entries]

    def save(self) -> list[Path]:
        """Write every changed file atomically; return the paths written.

        A translation run can take minutes, and reviewers edit translations/ by hand
        meanwhile. A file that changed on disk since it was loaded is merged, not
        overwritten: every entry the other side added or changed is kept, ours are added.
        A file that is now invalid is left alone and reported (InputError).
        """
        written: list[Path] = []
        problems: list[Problem] = []
        too_big: list[str] = []
        dirty = [doc for doc in self.files.values() if doc.dirty]
        if not dirty:
            return written
        # One lock for the folder: two briefpack runs saving at once merge, one after the other.
        with file_lock(self.root / "memory"):
            for doc in dirty:
                display = _display(doc.path, self.root.parent)
                try:
                    text, theirs, _ = _read_entries(doc.path, display)
                except InputError as exc:
                    unsaved = sum(1 for e in doc.entries if e not in doc.base)
                    problems += [
                        replace(
                            p,
                            message=f"{p.message} (the file changed while briefpack ran; "
                            f"{unsaved} new translation(s) were not saved to it: fix it, rerun)",
                        )
                        for p in exc.problems
                    ]
                    continue
                # A file missing now (an editor mid-rename, or deleted) is written whole:
                # restoring a deleted file is better than dropping translations.
                if theirs is not None and text != doc.disk_text:
                    doc.entries = merge_entries(doc.base, doc.entries, theirs)
                    self._invalidate()
                body = _edited(doc) or dump_memory(doc.entries)
                size = len(body.encode("utf-8"))
                if size > MAX_YAML_BYTES:
                    # Never write a file the loader then refuses: it would lock out the
                    # reviewed entries in it too. What was saved before stays.
                    too_big.append(
                        f"{display}: not saved: it would be {size:,} bytes, over the read "
                        f"limit of {MAX_YAML_BYTES:,} bytes (split the briefing)"
                    )
                    continue
                atomic_write_text(doc.path, body, edits=Input.TRANSLATIONS)
                doc.dirty, doc.disk_text, doc.base = False, body, list(doc.entries)
                doc.positions = _reparsed_positions(body, doc.path, display)
                written.append(doc.path)
        if problems:
            raise InputError("translation memory changed on disk and is invalid", problems=problems)
        if too_big:
            raise OutputError("; ".join(too_big))
        return written


def _edited(doc: MemoryDoc) -> str | None:
    """Return the file on disk with only the changed entries rewritten, or None.

    A hand-kept translations/ file (its own quoting, comments between entries) keeps every
    byte of the entries nobody changed: an import or approval of one entry is a one-entry
    diff. None (write the whole file in briefpack's layout) when the file cannot be edited
    in place safely: it changed on disk meanwhile, entries moved, the layout is not
    `- de:` blocks at column 1, or the edited text would not read back as `doc.entries`.
    """
    text, positions = doc.disk_text, doc.positions
    if not text or not doc.base or len(positions) != len(doc.base):
        return None
    lines = text.splitlines(keepends=True)
    starts = sorted(line for line, column in positions.values())
    if any(col != 3 or not lines[line - 1].startswith("- ") for line, col in positions.values()):
        return None
    bounds = dict(zip(starts, [*starts[1:], len(lines) + 1], strict=True))
    blocks = {
        key: "".join(lines[line - 1 : bounds[line] - 1]) for key, (line, _) in positions.items()
    }
    base = {segment_key(e.de): e for e in doc.base}
    old_order = [k for k in base if k in {segment_key(e.de) for e in doc.entries}]
    new_keys = [segment_key(e.de) for e in doc.entries]
    if [k for k in new_keys if k in base] != old_order or len(set(new_keys)) != len(new_keys):
        return None
    out = ["".join(lines[: starts[0] - 1])]
    for key, entry in zip(new_keys, doc.entries, strict=True):
        if base.get(key) == entry:
            block = blocks[key]
            out.append(block if block.endswith("\n") else block + "\n")
        else:
            out.append(_entry_block(entry))
    body = "".join(out)
    try:
        again = MemoryFile.model_validate(yaml.safe_load(body)).entries
    except (yaml.YAMLError, ValidationError):
        return None
    return body if list(again) == doc.entries else None


def _entry_block(entry: MemoryEntry) -> str:
    """Return one entry as `dump_memory` writes it inside the entries list."""
    return yaml.safe_dump(
        [entry.model_dump(exclude_none=True, exclude_defaults=False)],
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        default_flow_style=False,
    )


def merge_entries(
    base: list[MemoryEntry], ours: list[MemoryEntry], theirs: list[MemoryEntry]
) -> list[MemoryEntry]:
    """Three-way merge by German sentence: whatever changed on disk since loading wins.

    Entries on disk keep their order; an entry nobody touched on disk takes our version
    (or goes, if we removed it); entries only we added are appended; an entry deleted on
    disk stays deleted.
    """
    base_k = {segment_key(e.de): e for e in base}
    ours_k = {segment_key(e.de): e for e in ours}
    out: list[MemoryEntry] = []
    emitted: set[str] = set()
    for entry in theirs:
        key = segment_key(entry.de)
        untouched = base_k.get(key) == entry
        if untouched and key in ours_k:
            if key not in emitted:
                out.append(ours_k[key])
        elif not untouched:
            out.append(entry)
        emitted.add(key)
    known = emitted | base_k.keys()
    out += [e for e in ours if segment_key(e.de) not in known]
    return out


Positions = dict[str, tuple[int, int]]


def _read_entries(
    path: Path, display: str
) -> tuple[str | None, list[MemoryEntry] | None, Positions]:
    """Return a translations/ file's text, entries and entry positions (None, None if absent)."""
    if not path.exists():
        return None, None, {}
    text = read_text(path, display, limit=MAX_YAML_BYTES, what="YAML file")
    doc = parse_yaml(text, path=path, display=display)
    if doc.data is None:
        return text, [], {}
    try:
        return text, list(MemoryFile.model_validate(doc.data).entries), _positions(doc)
    except ValidationError as exc:
        raise InputError(
            f"{display}: invalid", problems=problems_from_validation(exc, doc, MemoryFile)
        ) from None


def _reparsed_positions(body: str, path: Path, display: str) -> Positions:
    """Return the entry positions of a body just written (none if it cannot be parsed back)."""
    try:
        return _positions(parse_yaml(body, path=path, display=display))
    except InputError:  # e.g. over the node limit: the file is saved, positions are a bonus
        return {}


def _positions(doc: YamlDoc) -> Positions:
    """Return where each entry of a parsed translations/ file starts, by segment key."""
    entries = doc.data.get("entries") if isinstance(doc.data, dict) else None
    out: Positions = {}
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        pos = doc.positions.get(("entries", i))
        if isinstance(entry, dict) and isinstance(entry.get("de"), str) and pos is not None:
            out.setdefault(segment_key(entry["de"]), pos)
    return out


def machine_entry(de: str, en: str, provenance: Provenance) -> MemoryEntry:
    """Return a new machine entry."""
    return MemoryEntry(de=de, en=en, status="machine", provenance=provenance)


def dump_memory(entries: Iterable[MemoryEntry]) -> str:
    """Serialise entries as diff-friendly YAML (fixed key order, no line folding)."""
    data = {
        "version": 1,
        "entries": [e.model_dump(exclude_none=True, exclude_defaults=False) for e in entries],
    }
    body = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
    )
    return HEADER + body


def load_memory(folder: Path, *, display_root: Path) -> TranslationMemory:
    """Load every YAML file under `folder`; raise InputError listing all problems."""
    memory = TranslationMemory(folder)
    problems: list[Problem] = []
    if not folder.is_dir():
        return memory
    for path in sorted(folder.rglob("*.yaml")):
        display = _display(path, display_root)
        try:
            text, entries, positions = _read_entries(path, display)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if text is None or entries is None:  # deleted since the folder was listed
            continue
        memory.files[path] = MemoryDoc(
            path, entries, disk_text=text, base=list(entries), positions=positions
        )
    if problems:
        raise InputError("translation memory is invalid", problems=problems)
    return memory


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
