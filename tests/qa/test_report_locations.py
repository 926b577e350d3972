"""QA findings about translations/ files carry the entry's line and column (`check --report`)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.errors import ExitCode
from briefpack.source.memory import TranslationMemory, load_memory, machine_entry
from briefpack.source.schema import MemoryEntry, Provenance
from briefpack.source.segment import segment_field
from tests.support import copy_project

runner = CliRunner()
BRIEFING = "briefings/washington-ohnmacht.yaml"
MEMORY = "translations/washington-ohnmacht.yaml"
OLD_DE = "Russland nahm an den Gesprächen nicht teil."
NEW_DE = "Russland nahm am 4. März an den Gesprächen nicht teil."
NEW_EN = "Russia did not take part in the talks on 4 May."


def entry_line(path: Path, german: str) -> int:
    """Return the 1-based line of the `- de:` line of the entry for `german`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(
        i for i, line in enumerate(lines, 1) if line.startswith("- de: ") and german in line
    )


def test_translation_findings_name_line_and_column_of_the_entry(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    briefing, memory = root / BRIEFING, root / MEMORY
    text = briefing.read_text(encoding="utf-8")
    assert OLD_DE in text
    briefing.write_text(text.replace(OLD_DE, NEW_DE), encoding="utf-8")
    text = memory.read_text(encoding="utf-8")
    old_en = '"Russia did not take part in the talks."'
    assert old_en in text
    text = text.replace(OLD_DE, NEW_DE).replace(old_en, json.dumps(NEW_EN))
    # Entries no briefing uses any more, at the end of the file: a machine one is a finding,
    # a reviewed one is a unit of the project memory (none).
    text += '- de: Dieser Satz steht in keinem Briefing.\n  en: "Not used."\n  status: machine\n'
    text += '- de: Auch dieser Satz nicht.\n  en: "Nor this one."\n  status: reviewed\n'
    memory.write_text(text, encoding="utf-8")

    report = tmp_path / "check.json"
    result = runner.invoke(app, ["check", "--strict", "--report", str(report), "-p", str(root)])
    assert result.exit_code == ExitCode.VIOLATIONS
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    month = [f for f in findings if f["code"] == "month-mismatch"]
    assert [(f["file"], f["line"], f["column"]) for f in month] == [
        (MEMORY, entry_line(memory, NEW_DE), 3)
    ]
    assert month[0]["message"].startswith("'4. März' is March; the English has 'May'")
    unused = [f for f in findings if f["code"] == "unused-translation"]
    assert [(f["line"], f["column"]) for f in unused] == [
        (entry_line(memory, "Dieser Satz steht in keinem Briefing."), 3)
    ]
    # The printed form is file:line:column, as for every other finding.
    assert f"{MEMORY}:{entry_line(memory, NEW_DE)}:3: '4. März' is March" in result.output
    assert all(f["line"] is not None for f in findings)


def test_positions_follow_the_file_after_a_save(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path)
    prov = Provenance(engine="scripted", package="test", version="1", beam=4)
    segs = [segment_field("brief", "summary", t).segments[0] for t in ("Eins.", "Zwei.")]
    memory.put(segs[0], MemoryEntry(de="Eins.", en="One.", status="reviewed"))
    entry = machine_entry("Zwei.", "Two.", prov)
    memory.put(segs[1], entry)
    path = tmp_path / "brief.yaml"
    assert memory.position(path, entry) == (None, None)  # not on disk yet
    memory.save()
    line = entry_line(path, "Zwei.")
    assert memory.position(path, entry) == (line, 3)
    again = load_memory(tmp_path, display_root=tmp_path)
    assert again.position(path, entry) == (line, 3)
    assert again.position(path, MemoryEntry(de="Eins.", en="", status="reviewed")) == (
        entry_line(path, "Eins."),
        3,
    )
