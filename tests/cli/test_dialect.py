"""Every command's `--help` speaks one dialect (briefpack.cli._dialect), old spellings too.

The walk goes through the Click command tree Typer builds, so a command added later is held
to the same table without being named here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.cli._dialect import DEPRECATED, SHORT_FLAGS, Command, Group, choices
from briefpack.errors import ExitCode
from tests.support import DEMO_PACK, copy_project

runner = CliRunner()

# An upper-case word (`PACK`, `FILE`, `DIR`, `N`, `TEXT`), or choices `[a|b|c]`; a
# comma-separated list of choices ends in `,...`.
METAVAR = re.compile(r"^(?:[A-Z][A-Z0-9_]*|\[[a-z0-9.-]+(?:\|[a-z0-9.-]+)+\](?:,\.\.\.)?)$")
OUTPUTS = {"--output": {"FILE", "DIR"}, "--report": {"FILE"}}


def commands() -> list[tuple[str, Any]]:
    """Return every command and group with its path, e.g. ("glossary add", <Command>)."""
    out: list[tuple[str, Any]] = []

    def walk(cmd: Any, path: list[str]) -> None:
        out.append((" ".join(path), cmd))
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*path, name])

    walk(get_command(app), [])
    return out


COMMANDS = commands()


def _help(path: str) -> str:
    result = runner.invoke(app, [*path.split(), "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_walk_finds_every_level() -> None:
    paths = {p for p, _ in COMMANDS}
    assert {"", "build", "serve", "glossary", "glossary add", "pack move"} <= paths


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=lambda x: x or "briefpack")
def test_every_command_speaks_the_dialect(path: str, cmd: Any) -> None:
    assert isinstance(cmd, Group if hasattr(cmd, "commands") else Command), (
        f"`briefpack {path}` is not made by briefpack.cli._dialect.App"
    )
    assert (cmd.help or "").strip(), f"`briefpack {path}` has no help text"
    for param in cmd.params:
        what = f"`briefpack {path}` {param.opts}"
        if getattr(param, "hidden", False):
            spellings = param.opts if param.param_type_name == "option" else [param.metavar]
            assert all((path, s) in DEPRECATED for s in spellings), f"{what}: hidden, not old"
            continue
        assert (param.help or "").strip(), f"{what} has no help text"
        if param.param_type_name == "argument" or not param.is_flag:
            assert param.metavar and METAVAR.match(param.metavar), f"{what}: {param.metavar!r}"
        names = [*param.opts, *param.secondary_opts] if param.param_type_name == "option" else []
        for name in names:
            if not name.startswith("--"):
                meant = SHORT_FLAGS.get(name)
                assert meant in names, f"{what}: {name} means {meant}"
            elif name in SHORT_FLAGS.values():
                short = next(s for s, long in SHORT_FLAGS.items() if long == name)
                assert short in names, f"{what}: {name} without {short}"
            if name in OUTPUTS:
                assert param.metavar in OUTPUTS[name], f"{what}: {param.metavar}"
            if name == "--json":
                assert param.is_flag, f"{what}: --json prints JSON; a file is --report FILE"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda x: x or "briefpack")
def test_the_help_shows_only_the_dialect(path: str) -> None:
    text = _help(path)
    assert not re.search(r"<[a-z][^>]*>|\{[a-zA-Z]", text), text  # `<list[str]>`, `{folder}`
    for (where, old), _new in DEPRECATED.items():
        if where == path and old.startswith("-"):
            assert not re.search(rf"(^|[\s,]){re.escape(old)}\b", text), text


def test_the_schema_choices_are_the_schemas() -> None:
    from briefpack.source.json_schema import NAMES

    (schema,) = [c for p, c in COMMANDS if p == "schema"]
    assert schema.params[0].metavar == choices(NAMES)


def test_usage_lines() -> None:
    assert "Usage: briefpack build [OPTIONS] [PACK]...\n" in _help("build")
    assert "Usage: briefpack serve [OPTIONS] [PACK]...\n" in _help("serve")
    assert "Usage: briefpack pack add [OPTIONS] PACK BRIEFING...\n" in _help("pack add")
    assert "Usage: briefpack glossary add [OPTIONS] DE [EN]\n" in _help("glossary add")
    assert "Usage: briefpack glossary export [OPTIONS]\n" in _help("glossary export")


# --- the old spellings, for one release ---------------------------------------------------

NOTE = "note: {old} is deprecated and goes in the next release; use {new}\n"


def test_every_old_spelling_is_tested() -> None:
    assert set(DEPRECATED) == {
        ("build", "--out"),
        ("eval", "--json"),
        ("models install", "-f"),
        ("glossary export", "FILE"),
        ("tm export", "FILE"),
    }


def test_build_out(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    old = runner.invoke(app, ["build", "no-such-pack", "--out", "x", "-p", str(root)])
    new = runner.invoke(app, ["build", "no-such-pack", "--output", "x", "-p", str(root)])
    assert old.exit_code == new.exit_code == ExitCode.USAGE
    assert old.output == NOTE.format(old="--out", new="--output") + new.output
    both = runner.invoke(app, ["build", "--out", "x", "-o", "y", "-p", str(root)])
    assert both.exit_code == ExitCode.USAGE
    assert both.output == "error: --out is the old spelling of --output: give only --output\n"
    assert not (root / "x").exists() and not (root / "y").exists()


def test_eval_json(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    old = runner.invoke(app, ["eval", "nope", "--json", "e.json", "-p", str(root)])
    new = runner.invoke(app, ["eval", "nope", "--report", "e.json", "-p", str(root)])
    assert old.exit_code == new.exit_code != 0
    assert old.output == NOTE.format(old="--json", new="--report") + new.output


def test_models_install_f(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.argosmodel")
    old = runner.invoke(app, ["models", "install", "-f", missing])
    new = runner.invoke(app, ["models", "install", "--file", missing])
    assert old.exit_code == new.exit_code == ExitCode.INVALID_INPUT
    assert old.output == NOTE.format(old="-f", new="--file") + new.output


@pytest.mark.parametrize(("command", "name"), [("glossary", "terms.csv"), ("tm", "memory.tmx")])
def test_export_file_argument(tmp_path: Path, command: str, name: str) -> None:
    root = copy_project(tmp_path / "p")
    new = runner.invoke(app, [command, "export", "-o", str(tmp_path / name), "-p", str(root)])
    assert new.exit_code == 0, new.output
    old = runner.invoke(app, [command, "export", str(tmp_path / f"old-{name}"), "-p", str(root)])
    assert old.exit_code == 0, old.output
    assert old.output.startswith(NOTE.format(old="a FILE argument", new="--output"))
    assert (tmp_path / name).read_bytes() == (tmp_path / f"old-{name}").read_bytes()
    neither = runner.invoke(app, [command, "export", "-p", str(root)])
    assert neither.exit_code == ExitCode.USAGE
    assert neither.output == "error: say where to write: -o/--output FILE\n"


def test_serve_takes_several_packs(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    result = runner.invoke(
        app, ["serve", DEMO_PACK, "no-such-pack", "--port", "0", "-p", str(root)]
    )
    assert result.exit_code == ExitCode.USAGE
    assert "unknown pack(s): no-such-pack" in result.output
