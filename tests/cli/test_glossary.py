"""`briefpack glossary …` through Typer's CliRunner, on a throwaway root app."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from briefpack.cli.glossary import app as glossary_app
from briefpack.errors import ExitCode

REPO = Path(__file__).resolve().parents[2]

SMALL = """\
# test glossary
version: 1
terms:
  - de: Waffenstillstand
    en: ceasefire
    forms: [Waffenruhe]
    avoid: [truce]
    compound: true
    note: Also for Waffenruhe.
  - de: Bundestag
    keep: true
"""


def root_app() -> typer.Typer:
    root = typer.Typer()
    root.add_typer(glossary_app, name="glossary")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "glossary.yaml").write_text(SMALL, encoding="utf-8")
    return tmp_path


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(root_app(), ["glossary", *args, "--project", str(project)])


def test_every_command_has_help() -> None:
    runner = CliRunner()
    names = [str(c.name) for c in glossary_app.registered_commands]
    assert names == [
        "list",
        "show",
        "add",
        "set",
        "remove",
        "check",
        "import",
        "export",
        "scan",
    ]
    for name in names:
        result = runner.invoke(root_app(), ["glossary", name, "--help"])
        assert result.exit_code == 0, name
        assert "--project" in result.output
    for command in glossary_app.registered_commands:
        assert command.callback is not None and command.callback.__doc__


def test_list(project: Path) -> None:
    result = run(project, "list")
    assert result.exit_code == 0
    assert result.output == (
        "Waffenstillstand  →  ceasefire  [compound; avoid: truce]\n"
        "Bundestag         →  Bundestag  [keep]\n"
    )
    grep = run(project, "list", "--grep", "TRUCE")
    assert grep.output.splitlines() == ["Waffenstillstand  →  ceasefire  [compound; avoid: truce]"]
    none = run(project, "list", "--grep", "xyz")
    assert none.exit_code == 0 and none.stdout == ""


def test_show_by_form_and_by_english(project: Path) -> None:
    result = run(project, "show", "waffenruhe")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:6] == [
        "de: Waffenstillstand",
        "en: ceasefire",
        "forms: Waffenruhe",
        "avoid: truce",
        "flags: compound",
        "note: Also for Waffenruhe.",
    ]
    assert lines[6] == "defined: glossary.yaml:4"
    assert lines[7].startswith("fingerprint: ") and len(lines[7]) == len("fingerprint: ") + 16
    assert run(project, "show", "ceasefire").output == result.output


def test_show_unknown_term(project: Path) -> None:
    result = run(project, "show", "Pufferzone")
    assert result.exit_code == ExitCode.USAGE
    assert result.output == "error: glossary.yaml: no entry matches 'Pufferzone'\n"


def test_add_set_remove(project: Path) -> None:
    added = run(
        project,
        "add",
        "Schattenflotte",
        "shadow fleet",
        "--avoid",
        "ghost fleet",
        "--form",
        "Schattenflotten",
        "--note",
        "Russian oil tankers",
    )
    assert added.exit_code == 0, added.output
    assert added.output == (
        "added: Schattenflotte → shadow fleet  [avoid: ghost fleet] (glossary.yaml:12)\n"
    )
    text = (project / "glossary.yaml").read_text()
    assert text == SMALL + (
        "  - de: Schattenflotte\n    en: shadow fleet\n    forms: [Schattenflotten]\n"
        "    avoid: [ghost fleet]\n    note: Russian oil tankers\n"
    )
    updated = run(
        project,
        "set",
        "shadow fleet",
        "--avoid",
        "dark fleet",
        "--avoid",
        "ghost fleet",
        "--compound",
        "--clear-note",
    )
    assert updated.exit_code == 0, updated.output
    assert updated.output == (
        "updated: Schattenflotte → shadow fleet  [compound; avoid: dark fleet, ghost fleet] "
        "(changed: avoid, compound, note)\n"
    )
    removed = run(project, "remove", "Schattenflotte")
    assert removed.output == "removed: Schattenflotte → shadow fleet\n"
    assert (project / "glossary.yaml").read_text() == SMALL


def test_add_keep_without_english(project: Path) -> None:
    result = run(project, "add", "Bundeswehr", "--keep")
    assert result.exit_code == 0
    assert result.output == "added: Bundeswehr → Bundeswehr  [keep] (glossary.yaml:12)\n"
    missing = run(project, "add", "Pufferzone")
    assert missing.exit_code == ExitCode.USAGE
    assert "give the English term" in missing.output


def test_add_refusals_are_one_line_each(project: Path) -> None:
    result = run(project, "add", "Feuerpause", "truce")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.output.splitlines() == [
        "error: glossary.yaml:12:5: terms[2].en: approved English 'truce' is listed under "
        "avoid[0] of 'Waffenstillstand' (line 4)",
        "error: glossary.yaml: not changed: the edit would leave 1 glossary problem(s)",
    ]
    assert (project / "glossary.yaml").read_text() == SMALL


def test_set_option_errors(project: Path) -> None:
    assert run(project, "set", "Bundestag").exit_code == ExitCode.USAGE
    both = run(project, "set", "Bundestag", "--note", "x", "--clear-note")
    assert both.exit_code == ExitCode.USAGE and "contradict" in both.output


def test_check(project: Path) -> None:
    clean = run(project, "check")
    assert (clean.exit_code, clean.output) == (0, "glossary.yaml: 2 terms, no problems\n")
    (project / "glossary.yaml").write_text(
        SMALL + "  - {de: Feuerpause, en: truce, avoid: [Truce]}\n"
    )
    dirty = run(project, "check")
    assert dirty.exit_code == ExitCode.INVALID_INPUT
    assert dirty.output.splitlines() == [
        "error: glossary.yaml:12:5: terms[2].avoid[0]: 'Truce' is the entry's own approved English",
        "error: glossary.yaml:12:5: terms[2].en: approved English 'truce' is listed under "
        "avoid[0] of 'Waffenstillstand' (line 4)",
        "error: glossary.yaml: 2 problems",
    ]


def test_check_reports_load_errors_with_lines(project: Path) -> None:
    (project / "glossary.yaml").write_text(
        "version: 1\nterms:\n  - de: Krim\n    en: Crimea\n    nte: x\n"
    )
    result = run(project, "check")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.output.splitlines()[0].startswith(
        "error: glossary.yaml:5:5: terms[0].nte: unknown key 'nte' (did you mean 'note'?)"
    )


def test_check_demo_glossary(tmp_path: Path) -> None:
    (tmp_path / "briefings").mkdir()
    shutil.copy(REPO / "glossary.yaml", tmp_path / "glossary.yaml")
    result = run(tmp_path, "check")
    assert result.exit_code == 0 and result.output.endswith("no problems\n")


def test_export_and_import(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "terms.tbx"
    exported = run(project, "export", "-o", str(out))
    assert exported.output == f"exported 2 terms to {out} (tbx)\n"
    csv = tmp_path / "in.csv"
    csv.write_text("Pufferzone,buffer zone\nWaffenstillstand,truce\n")
    failed = run(project, "import", str(csv))
    assert failed.exit_code == ExitCode.INVALID_INPUT
    assert "nothing imported (use --on-conflict skip or replace)" in failed.output
    skipped = run(project, "import", str(csv), "--on-conflict", "skip")
    assert skipped.exit_code == 0
    assert skipped.output.splitlines() == [
        "added: Pufferzone",
        "skipped: Waffenstillstand",
        "imported in.csv (CSV: comma-separated, UTF-8, no header row): "
        "1 added, 0 replaced, 0 merged, 1 skipped, 0 unchanged",
    ]


def test_format_errors(project: Path, tmp_path: Path) -> None:
    result = run(project, "export", "-o", str(tmp_path / "terms.xlsx"))
    assert result.exit_code == ExitCode.USAGE
    assert "pass --format" in result.output
    missing = run(project, "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == ExitCode.USAGE


def test_no_project(tmp_path: Path) -> None:
    result = CliRunner().invoke(root_app(), ["glossary", "list", "--project", str(tmp_path)])
    assert result.exit_code == ExitCode.USAGE
    assert result.output.startswith("error: no briefpack project found")


def test_add_of_an_nfd_term_is_the_existing_entry(project: Path) -> None:
    assert run(project, "add", "Rückversicherung", "reinsurance").exit_code == 0
    before = (project / "glossary.yaml").read_bytes()
    result = run(project, "add", unicodedata.normalize("NFD", "Rückversicherung"), "re-insurance")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.stderr.startswith("error: glossary.yaml") and "Traceback" not in result.stderr
    assert "'Rückversicherung' is already in the glossary" in result.stderr
    assert (project / "glossary.yaml").read_bytes() == before
    shown = run(project, "show", "R\u00fcck\u00adversicherung")
    assert shown.exit_code == 0 and "en: reinsurance" in shown.stdout


def test_check_reports_a_hand_written_nfd_duplicate(project: Path) -> None:
    with (project / "glossary.yaml").open("a", encoding="utf-8") as fh:
        fh.write(f"  - de: {unicodedata.normalize('NFD', 'Selenskyj')}x\n    en: a\n")
        fh.write(f"  - de: {unicodedata.normalize('NFD', 'Selenskyjx')}\n    en: b\n")
    result = run(project, "check")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "duplicate entry 'Selenskyjx'" in result.stderr
