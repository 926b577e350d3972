"""The CLI through Typer's CliRunner: help everywhere, exit codes, one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from briefpack import __version__
from briefpack.cli import app
from briefpack.errors import ExitCode
from tests.support import DEMO_PACK, copy_project

runner = CliRunner()


def all_commands() -> list[list[str]]:
    """Return the path of every command and group, e.g. ["glossary", "add"]."""
    out: list[list[str]] = []

    # Typer bundles its own click, so test for groups by shape, not by class.
    def walk(cmd: Any, path: list[str]) -> None:
        out.append(path)
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*path, name])

    walk(get_command(app), [])
    return out


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "briefpack")
def test_every_command_has_help(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command: Any = get_command(app)
    for name in path:
        command = command.commands[name]
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"


def test_walk_finds_subcommands() -> None:
    assert ["build"] in all_commands() and ["check"] in all_commands()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"briefpack {__version__}\n"


def test_check_demo_ok(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    result = runner.invoke(app, ["check", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "ok: no errors"


def test_check_reports_problems_without_traceback(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    (root / "briefings" / "mearsheimer-diplomatie.yaml").write_text("id: [unclosed\n")
    result = runner.invoke(app, ["check", "--project", str(root)])
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "Traceback" not in result.output
    first = result.output.splitlines()[0]
    assert first.startswith("error: briefings/mearsheimer-diplomatie.yaml:2:1: YAML syntax error")


def test_no_project_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == ExitCode.USAGE
    assert "no briefpack project found" in result.output


def test_unknown_pack_is_a_usage_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    result = runner.invoke(app, ["build", "nope", "--project", str(root)])
    assert result.exit_code == ExitCode.USAGE
    assert f"unknown pack(s): nope (defined: {DEMO_PACK})" in result.output


def test_bad_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["build", "--no-such-flag"])
    assert result.exit_code == ExitCode.USAGE


def test_declared_choices_are_the_one_lists() -> None:
    from briefpack.cli._common import Device
    from briefpack.output.variants import DEFAULT_PDF_VARIANT, PDF_VARIANTS
    from briefpack.util.request import DEVICES, option

    assert option("pdf_variant").choices == tuple(PDF_VARIANTS)
    assert option("pdf_variant").default == DEFAULT_PDF_VARIANT
    assert tuple(d.value for d in Device) == DEVICES == option("device").choices
