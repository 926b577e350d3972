"""The project memory's units: memory/*.tmx on disk plus the reviewed entries of translations/.

Two places hold de→en units, and together they are the project memory:

- translations/*.yaml: every reviewed entry (an approval, a reviewed edit, an imported
  reviewed unit whose German is a current segment) is a memory unit where it stands; it is
  not copied. Its origin is its file, it has no date (git has it).
- memory/*.tmx: units no briefing uses (`tm import` of an organisation's TMX puts the
  units whose German is no current segment here). TMX 1.4b, because every CAT tool reads it
  and it is text: one file per imported file (`memory/<name>.tmx`), units sorted by their
  German (case-folded, then English) so that a re-import or a merge is a small diff. Each
  unit keeps its status (`x-briefpack-status`), its origin (`x-briefpack-origin`: the file
  it was imported from) and its date (`changedate`: from the imported unit, else the day of
  the import).

Machine entries of translations/ are not memory units: leverage is reuse of a person's work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.errors import InputError, Problem
from briefpack.source.content import Content
from briefpack.translation.exchange.tmx import CODES, ORIGIN_PROP, STATUS_PROP, TmxUnit, write_tmx
from briefpack.translation.exchange.units import SOURCE_LANG, TARGET_LANG, ReturnedUnit, primary
from briefpack.util.fsutil import atomic_write_bytes, file_lock
from briefpack.util.paths import Input, Project
from briefpack.util.text import normalize
from briefpack.util.xmlio import MAX_XML_BYTES, forget, iter_xml, lang_of, text_of

if TYPE_CHECKING:
    from lxml import etree

# memory/ files are written by briefpack and read as a stream: a bound well above an import's
# (16 imports' worth), against a runaway file, not a parse that would hold it all.
MAX_MEMORY_FILE_BYTES = 16 * MAX_XML_BYTES


@dataclass(frozen=True, slots=True)  # slots: an import or an index holds 100,000 of them
class MemoryUnit:
    """One de→en unit of the project memory with its provenance."""

    de: str
    en: str
    status: str  # reviewed | machine
    origin: str  # project-relative file it lives in, or the file it was imported from
    date: str = ""  # YYYY-MM-DD when known
    # The segment key of the German (`de` is normalised already: it is hashed).
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        key = hashlib.sha256(self.de.encode("utf-8")).hexdigest()[:16]
        object.__setattr__(self, "key", key)

    def to_dict(self) -> dict[str, str]:
        """Return a JSON-ready mapping."""
        return {
            "de": self.de,
            "en": self.en,
            "status": self.status,
            "origin": self.origin,
            "date": self.date,
        }


def memory_files(project: Project) -> list[Path]:
    """Return the TMX files of memory/, sorted by name."""
    folder = project.memory_dir
    return sorted(folder.glob("*.tmx")) if folder.is_dir() else []


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a memory/ file's bytes, read in chunks (a FIFO is not waited for).

    A file that cannot be read gets a digest naming why: reading it reports the problem.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return "not a regular file"
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"


def read_memory_file(project: Project, path: Path) -> list[MemoryUnit]:
    """Return the usable units of one memory/ file (InputError if it is not well-formed).

    memory/ files are briefpack's own TMX, so they are read as a stream (`iter_xml`: the
    hardening of every XML input, each <tu> freed once read, so memory stays bounded for
    any size) and not validated against the DTD as an imported file is; a unit without
    German or English is passed over.
    """
    display = project.rel(path)
    out = []
    last = None
    for event, tu in iter_xml(
        path, display, ("tu",), limit=MAX_MEMORY_FILE_BYTES, regular_only=True
    ):
        if event == "end":
            unit = _memory_unit(tu, display)
            if unit is not None:
                out.append(unit)
            forget(tu, last)
            last = tu
    return out


def _memory_unit(tu: etree._Element, display: str) -> MemoryUnit | None:
    segs: dict[str, str] = {}
    for tuv in tu.iter("tuv"):
        seg = tuv.find("seg")
        if seg is not None:
            segs.setdefault(primary(lang_of(tuv)), text_of(seg, skip=CODES))
    de, en = normalize(segs.get(SOURCE_LANG, "")), normalize(segs.get(TARGET_LANG, ""))
    if not de or not en:
        return None
    props = {p.get("type"): p.text or "" for p in tu.iter("prop")}
    status = "machine" if props.get(STATUS_PROP) == "machine" else "reviewed"
    stamp = tu.get("changedate") or tu.get("creationdate") or ""
    date = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}" if len(stamp) >= 8 else ""
    return MemoryUnit(de, en, status, props.get(ORIGIN_PROP) or display, date)


def folder_units(project: Project) -> list[MemoryUnit]:
    """Return every unit of memory/*.tmx; raise InputError listing every invalid file."""
    units: list[MemoryUnit] = []
    problems: list[Problem] = []
    for path in memory_files(project):
        try:
            units += read_memory_file(project, path)
        except InputError as exc:
            problems += exc.as_problems(project.rel(path))
    if problems:
        raise InputError("the project memory (memory/) is invalid", problems=problems)
    return units


def reviewed_units(content: Content, *, machine: bool = False) -> list[MemoryUnit]:
    """Return the reviewed (and, if asked, machine) entries of translations/ as units."""
    rel = content.project.rel
    return [
        MemoryUnit(normalize(e.de), normalize(e.en), e.status, rel(path))
        for path, e in content.memory.all_entries()
        if e.is_memory_unit or (machine and e.status == "machine" and e.en.strip())
    ]


def all_units(content: Content, *, machine: bool = False) -> list[MemoryUnit]:
    """Return the whole project memory, each German sentence once (what `tm export` writes).

    Where both hold a sentence, translations/ wins (it is what the briefings show), then a
    reviewed unit over a machine one, then the first file in name order. `machine` adds
    the machine entries of translations/ (not memory units, but part of an export).
    """
    best: dict[str, MemoryUnit] = {}
    for unit in [*reviewed_units(content, machine=machine), *folder_units(content.project)]:
        old = best.get(unit.key)
        if old is None or (unit.status == "reviewed" and old.status != "reviewed"):
            best[unit.key] = unit
    return list(best.values())


def remember(project: Project, name: str, units: Sequence[ReturnedUnit]) -> Path | None:
    """Add imported units to `memory/<name>.tmx` (merged by German, sorted); return the path.

    A unit already in the file with the same German is replaced (the newer import wins).
    Nothing is written when there is nothing to add; the write is atomic and locked.
    """
    if not units:
        return None
    path = project.memory_dir / f"{_safe_name(name)}.tmx"
    today = dt.date.today().isoformat()
    with file_lock(path):
        merged: dict[str, MemoryUnit] = {}
        if path.exists():
            merged = {u.key: u for u in read_memory_file(project, path)}
        for unit in units:
            de, en = normalize(unit.de), normalize(unit.en)
            new = MemoryUnit(de, en, unit.landing, unit.origin or name, unit.date or today)
            merged[new.key] = new
        atomic_write_bytes(path, write_tmx(_tmx_units(merged.values())), edits=Input.MEMORY)
    return path


def _tmx_units(units: Iterable[MemoryUnit]) -> list[TmxUnit]:
    """Return units in the deterministic order memory/ files keep (German, then English)."""
    ordered = sorted(units, key=lambda u: (u.de.casefold(), u.de, u.en))
    return [TmxUnit(u.de, u.en, u.status, u.origin, u.date) for u in ordered]


def export_units(units: Iterable[MemoryUnit]) -> bytes:
    """Return the memory as one TMX 1.4b document (what `tm export` writes)."""
    return write_tmx(_tmx_units(units))


def _safe_name(name: str) -> str:
    stem = Path(name).stem
    cleaned = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem).strip(".-")
    return cleaned or "imported"
