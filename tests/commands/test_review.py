"""`briefpack review list|approve`: exactly the finding-free machine entries are approved."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from briefpack.cli import app
from tests.support import MACHINE_FILE, NSS_DE, entries, machine_project

runner = CliRunner()


def test_review_list_shows_machine_segments_with_findings(tmp_path: Path) -> None:
    root = machine_project(tmp_path / "p")
    result = runner.invoke(app, ["review", "list", "-p", str(root)])
    assert result.exit_code == 0, result.output
    n = len(entries(root))
    assert f"machine segment(s), {n - 1} without findings" in result.output
    assert "term-missing" in result.output and "National Security Strategy" in result.output
    assert f"{MACHINE_FILE.replace('translations', 'briefings')} assessment" in result.output


def test_approve_clean_approves_exactly_the_clean_entries(tmp_path: Path) -> None:
    root = machine_project(tmp_path / "p")
    before = entries(root)
    result = runner.invoke(app, ["review", "approve", "--clean", "-p", str(root)])
    assert result.exit_code == 0, result.output
    after = entries(root)
    assert set(after) == set(before)
    machine = [de for de, e in after.items() if e["status"] == "machine"]
    assert len(machine) == 1 and machine[0].startswith(NSS_DE)
    for de, e in after.items():
        if e["status"] == "reviewed":
            assert "provenance" not in e and e["en"] == before[de]["en"]
    assert "kept for review" in result.output
    # Nothing left to approve: a second run changes nothing.
    again = runner.invoke(app, ["review", "approve", "--clean", "-p", str(root)])
    assert "approved 0 segment(s)" in again.output


def test_approve_keys_and_unknown_key(tmp_path: Path) -> None:
    root = machine_project(tmp_path / "p")
    listing = runner.invoke(app, ["review", "list", "-p", str(root)]).output
    key = next(line.split()[0] for line in listing.splitlines() if "assessment" in line)
    result = runner.invoke(app, ["review", "approve", key, "-p", str(root)])
    assert result.exit_code == 0, result.output
    assert "approved 1 segment(s)" in result.output
    reviewed = [e for e in entries(root).values() if e["status"] == "reviewed"]
    assert len(reviewed) == 1
    bad = runner.invoke(app, ["review", "approve", "0000000000000000", "-p", str(root)])
    assert bad.exit_code == 2 and "not a machine-translated segment" in bad.output
    both = runner.invoke(app, ["review", "approve", key, "--clean", "-p", str(root)])
    assert both.exit_code == 2


PROGRESS = re.compile(
    r"^pack (\S+): (\d+) of (\d+) left \((\d+) machine, (\d+) missing, (\d+) reviewed\), "
    r"(\d+) finding\(s\)$",
    re.MULTILINE,
)


def test_review_list_says_what_is_left_per_pack(tmp_path: Path) -> None:
    root = machine_project(tmp_path / "p")
    result = runner.invoke(app, ["review", "list", "-p", str(root)])
    assert result.exit_code == 0, result.output
    (pack, left, total, machine, missing, reviewed, findings), *more = PROGRESS.findall(
        result.output
    )
    assert pack == "ukraine-sicherheitsgarantien" and more == []
    assert int(machine) == len(entries(root)) and int(missing) == 0
    assert int(left) == int(machine) and int(total) == int(machine) + int(reviewed)
    assert int(findings) == 1  # the spoiled NSS_DE entry
    assert result.output.rstrip().endswith(f"{findings} finding(s)")  # after the segments
    key = next(line.split()[0] for line in result.output.splitlines() if "assessment" in line)
    assert runner.invoke(app, ["review", "approve", key, "-p", str(root)]).exit_code == 0
    again = runner.invoke(app, ["review", "list", pack, "-p", str(root)])
    assert PROGRESS.findall(again.output) == [
        (
            pack,
            str(int(left) - 1),
            total,
            str(int(machine) - 1),
            "0",
            str(int(reviewed) + 1),
            findings,  # approving keeps the English, and so its finding
        )
    ]
    unknown = runner.invoke(app, ["review", "list", "no-such-pack", "-p", str(root)])
    assert unknown.exit_code == 2 and "unknown pack" in unknown.output
