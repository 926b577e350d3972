"""Exchange commands on a project: XLIFF and TMX export and import (one call each)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefpack.errors import rel
from briefpack.source.load import load_content
from briefpack.source.schema import MemoryEntry
from briefpack.source.segment import segment_key
from briefpack.translation.exchange.tmx import read_tmx, write_tmx
from briefpack.translation.exchange.units import (
    ImportReport,
    Landing,
    Which,
    apply_units,
    export_units,
)
from briefpack.translation.exchange.xliff import Version, read_xliff, write_xliff
from briefpack.util.fsutil import atomic_write_bytes
from briefpack.util.paths import Project


def export_xliff(
    project: Project, packs: Sequence[str], out: Path, *, which: Which, version: Version
) -> int:
    """Write the packs' segments (each once) as one XLIFF file; return how many units.

    With no unit to export nothing is written (an XLIFF file needs at least one `<file>`
    with a unit, and an empty one would only be refused by the CAT tool): 0 is returned
    and a file already at `out` is left as it was.
    """
    content = load_content(project)
    fields = content.fields_of(content.select_packs(packs))
    units = export_units(content, fields, which)
    if units:
        atomic_write_bytes(out, write_xliff(units, version))
    return len(units)


def import_xliff(project: Project, file: Path) -> ImportReport:
    """Take a translator's XLIFF back into the memory (see `units.apply_units`)."""
    units = read_xliff(file, rel(file, project.root))
    return apply_units(load_content(project), units, engine="xliff-import")


def memory_entries(project: Project, *, reviewed_only: bool) -> list[MemoryEntry]:
    """Return the memory's best entry per German sentence, in file order."""
    content = load_content(project)
    out: dict[str, MemoryEntry] = {}
    for _, entry in content.memory.all_entries():
        key = segment_key(entry.de)
        best = content.memory.lookup(key)
        if best is None or key in out or (reviewed_only and best.status != "reviewed"):
            continue
        out[key] = best
    return list(out.values())


def export_tmx(project: Project, out: Path, *, reviewed_only: bool) -> int:
    """Write the translation memory as TMX 1.4b; return how many units."""
    entries = memory_entries(project, reviewed_only=reviewed_only)
    atomic_write_bytes(out, write_tmx(entries))
    return len(entries)


def import_tmx(project: Project, file: Path, *, landing: Landing | None) -> ImportReport:
    """Import a TMX file's German→English units whose German is a current segment."""
    units = read_tmx(file, rel(file, project.root), landing=landing)
    return apply_units(load_content(project), units, engine="tmx-import")
