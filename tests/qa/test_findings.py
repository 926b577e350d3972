"""Unused translations: a reviewed entry with English is project memory, not a finding.

Entries no briefing uses that nothing can reuse either stay warnings (`--strict` fails):
machine entries (`translate --prune` removes them) and reviewed ones without usable text.
"""

from __future__ import annotations

from pathlib import Path

from briefpack.commands.check import check
from briefpack.errors import ExitCode
from briefpack.source.load import load_content
from briefpack.translation.exchange.project import lookup
from briefpack.translation.exchange.tm.store import reviewed_units
from briefpack.util.paths import Project
from tests.support import PACK_FILE, REVIEWED_DE, REVIEWED_EN, cli_in, copy_project


def _entry(de: str, en: str, status: str) -> str:
    return f'- de: "{de}"\n  en: "{en}"\n  status: {status}\n'


# Entries no briefing uses, appended to the pack's translations/ file.
KEPT = _entry(
    "Die Gespräche wurden auf März vertagt.", "The talks were postponed to March.", "reviewed"
)
NO_ENGLISH = _entry("Ein Satz ohne Übersetzung.", "", "reviewed")
INVISIBLE = _entry("Noch ein Satz ohne Übersetzung.", "\\u200b\\u00ad", "reviewed")
MACHINE = _entry("Ein maschinell übersetzter Satz.", "A machine-translated sentence.", "machine")


def _project(tmp_path: Path, *added: str) -> Project:
    root = copy_project(tmp_path / "p")
    path = root / PACK_FILE
    path.write_text(path.read_text(encoding="utf-8") + "".join(added), encoding="utf-8")
    return Project(root)


def _unused(project: Project) -> list[str]:
    return [p.message for p in check(project).problems if p.code == "unused-translation"]


def test_an_unused_reviewed_entry_is_memory_reused_by_look_ups(tmp_path: Path) -> None:
    project = _project(tmp_path, KEPT)
    assert _unused(project) == []
    code, out, err = cli_in(project.root, "check", "--strict")
    assert (code, out.strip()) == (0, "ok: no errors"), err
    # It is a memory unit: a look-up of a similar sentence offers it.
    units = reviewed_units(load_content(project))
    assert "The talks were postponed to March." in {u.en for u in units}
    (match,) = lookup(project, "Die Gespräche wurden auf April vertagt.", minimum=75, limit=1)
    assert match.unit.en == "The talks were postponed to March." and match.kind == "repaired"
    assert match.en == "The talks were postponed to April."


def test_a_reworded_sentence_leaves_memory_not_a_warning(tmp_path: Path) -> None:
    project = _project(tmp_path)
    pack = project.packs_dir / "ukraine-sicherheitsgarantien.yaml"
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace("Gespräche über", "Verhandlungen über"), encoding="utf-8")
    codes = {p.code for p in check(project).problems}
    assert "missing-translation" in codes and "unused-translation" not in codes
    (match,) = lookup(project, REVIEWED_DE, minimum=100, limit=1)
    assert match.unit.en == REVIEWED_EN and match.unit.origin == PACK_FILE


def test_unused_entries_nothing_can_reuse_are_warnings_strict_counts(tmp_path: Path) -> None:
    project = _project(tmp_path, KEPT, NO_ENGLISH, INVISIBLE, MACHINE)
    found = [p for p in check(project).problems if p.code == "unused-translation"]
    assert [(p.file, p.severity) for p in found] == [(PACK_FILE, "warning")] * 3
    text = (project.root / PACK_FILE).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert [p.line for p in found] == [
        lines.index(f"- de: {d}") + 1
        for d in (
            '"Ein Satz ohne Übersetzung."',
            '"Noch ein Satz ohne Übersetzung."',
            '"Ein maschinell übersetzter Satz."',
        )
    ]
    assert found[0].message.endswith(
        "its English is empty, so the project memory cannot reuse it: write or delete it"
    )
    assert "its English is empty" in found[1].message  # only invisible characters
    assert found[2].message.endswith("`briefpack translate --prune` removes it")
    code, _, err = cli_in(project.root, "check", "--strict")
    assert code == ExitCode.VIOLATIONS, err
    assert err.count("unused") == 3 and "postponed" not in err
    # `translate --prune` removes the machine one and lists only what nothing reuses.
    code, out, err = cli_in(project.root, "translate", "--prune")
    assert code == 0, err
    assert "pruned 1 unused machine entry" in out
    kept = [line for line in err.splitlines() if "unused reviewed entry" in line]
    assert len(kept) == 2 and "Ein Satz ohne Übersetzung." in kept[0]
    assert [p.code for p in check(project).problems] == ["unused-translation"] * 2


def test_a_reviewed_entry_without_english_conflicts_with_nothing(tmp_path: Path) -> None:
    # Two reviewed entries for one sentence: an empty one is no memory unit, so no conflict.
    project = _project(tmp_path, _entry(REVIEWED_DE, "", "reviewed"))
    assert "conflicting-translation" not in {p.code for p in check(project).problems}
