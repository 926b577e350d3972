"""Exchange commands on a project: XLIFF and TMX export and import (one call each)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from briefpack.errors import rel
from briefpack.source.load import load_content
from briefpack.translation.exchange.tm.leverage import Leverage, Match
from briefpack.translation.exchange.tm.store import all_units, remember
from briefpack.translation.exchange.tm.store import export_units as memory_tmx
from briefpack.translation.exchange.tmx import read_tmx
from briefpack.translation.exchange.units import (
    NOT_CURRENT,
    Candidate,
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
    leverage = Leverage(content)
    units = [
        replace(u, matches=tuple(_candidate(m) for m in leverage.matches(u.de)))
        if u.status != "reviewed"
        else u
        for u in units
    ]
    if units:
        atomic_write_bytes(out, write_xliff(units, version))
    return len(units)


def import_xliff(project: Project, file: Path) -> ImportReport:
    """Take a translator's XLIFF back into the memory (see `units.apply_units`)."""
    units = read_xliff(file, rel(file, project.root))
    return apply_units(load_content(project), units, engine="xliff-import")


def _candidate(match: Match) -> Candidate:
    return Candidate(match.score, match.unit.de, match.en, match.unit.origin, match.kind)


def export_tmx(project: Project, out: Path, *, reviewed_only: bool) -> int:
    """Write the whole project memory as TMX 1.4b; return how many units.

    That is every reviewed entry of translations/, every unit of memory/ and (unless
    `reviewed_only`) the machine entries of translations/, each German sentence once.
    """
    content = load_content(project)
    units = all_units(content, machine=not reviewed_only)
    if reviewed_only:
        units = [u for u in units if u.status == "reviewed"]
    atomic_write_bytes(out, memory_tmx(units))
    return len(units)


def import_tmx(project: Project, file: Path, *, landing: Landing | None) -> ImportReport:
    """Import a TMX file: current segments into translations/, every other unit into memory/.

    A unit whose German no briefing uses is not skipped: it lands in `memory/<name>.tmx`
    (the project memory), from which a briefing that later contains the sentence is filled.
    """
    units = read_tmx(file, rel(file, project.root), landing=landing)
    report = apply_units(load_content(project), units, engine="tmx-import")
    keep = [u for u, reason in report.skipped if reason == NOT_CURRENT]
    report.skipped = [(u, reason) for u, reason in report.skipped if reason != NOT_CURRENT]
    path = remember(project, file.name, keep)
    if path is not None:
        report.remembered, report.memory_file = keep, project.rel(path)
    return report


def lookup(project: Project, text: str, *, minimum: int, limit: int) -> list[Match]:
    """Return the project memory's best matches for a German sentence."""
    return Leverage(load_content(project)).matches(text, minimum=minimum, limit=limit)
