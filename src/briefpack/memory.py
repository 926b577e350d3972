"""The segment-level translation memory under translations/.

One YAML file per document (`translations/<briefing-id>.yaml`,
`translations/packs/<pack>.yaml`), entries in a stable order: existing entries keep their
place, new ones are appended. Lookups span all files, so a sentence that occurs in two
briefings is translated once. A reviewed entry always wins over a machine one and is never
overwritten by the machine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from briefpack.errors import InputError, Problem
from briefpack.fsutil import atomic_write_text
from briefpack.schema import MemoryEntry, MemoryFile, Provenance
from briefpack.segment import Segment, segment_key
from briefpack.validate import problems_from_validation
from briefpack.yamlio import load_yaml

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

    def file_for(self, doc_id: str) -> Path:
        """Return the translations/ file that holds new entries of a document."""
        if doc_id.startswith("pack:"):
            return self.root / "packs" / f"{doc_id.removeprefix('pack:')}.yaml"
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
                doc.entries[i] = entry
                doc.dirty = True
                self._invalidate()
                return
        path = self.file_for(segment.doc)
        doc = self.files.setdefault(path, MemoryDoc(path))
        doc.entries.append(entry)
        doc.dirty = True
        self._invalidate()

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
        """Write every changed file atomically; return the paths written."""
        written: list[Path] = []
        for doc in self.files.values():
            if doc.dirty:
                atomic_write_text(doc.path, dump_memory(doc.entries))
                doc.dirty = False
                written.append(doc.path)
        return written


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
            doc = load_yaml(path, display)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if doc.data is None:
            memory.files[path] = MemoryDoc(path)
            continue
        try:
            parsed = MemoryFile.model_validate(doc.data)
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, doc, MemoryFile))
            continue
        memory.files[path] = MemoryDoc(path, list(parsed.entries))
    if problems:
        raise InputError("translation memory is invalid", problems=problems)
    return memory


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
