"""A command limited to packs finds only what concerns those packs; a build counts findings.

`build PACK` looks at the named packs' documents and the project-wide files; a TODO in a
briefing no built pack shows is `check`'s business, not that build's. A build prints how
many findings it has and where to see them; `--verbose` lists them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.commands.noop import UNLISTED, fast_build
from briefpack.errors import ExitCode
from briefpack.prepare import prepare
from briefpack.util.paths import Project
from briefpack.util.request import BuildRequest
from tests.support import DEMO_PACK, copy_project

runner = CliRunner()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The demo with one more briefing, in no pack, whose summary is still a TODO."""
    root = copy_project(tmp_path / "p")
    data = yaml.safe_load((root / "briefings" / "washington-ohnmacht.yaml").read_text("utf-8"))
    data.update(id="entwurf", summary="TODO: Zusammenfassung schreiben")
    (root / "briefings" / "entwurf.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return root


def test_findings_of_named_packs_leave_other_briefings_out(root: Path) -> None:
    project = Project(root)
    everything = prepare(project, translate=False).findings
    scoped = prepare(project, BuildRequest(packs=(DEMO_PACK,)), translate=False).findings
    assert {p.code for p in everything if p.file == "briefings/entwurf.yaml"} >= {
        "todo",
        "unpacked-briefing",
    }
    assert not [p for p in scoped if p.file == "briefings/entwurf.yaml"]
    assert set(scoped) <= set(everything)


@pytest.mark.slow  # renders a PDF
def test_strict_build_of_a_pack_ignores_todos_elsewhere(root: Path) -> None:
    args = ["build", "--format", "html", "--project", str(root)]
    result = runner.invoke(app, [*args, DEMO_PACK, "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    result = runner.invoke(app, [*args, "--strict"])
    assert result.exit_code == ExitCode.VIOLATIONS, result.output
    result = runner.invoke(app, ["check", "--project", str(root)])
    assert "briefings/entwurf.yaml" in result.stderr and "still a TODO" in result.stderr


@pytest.mark.slow  # renders a PDF
def test_build_prints_a_count_of_findings_unless_verbose(root: Path) -> None:
    args = ["build", "--format", "html", "--project", str(root)]
    listed = runner.invoke(app, ["check", "--project", str(root)]).stderr.splitlines()
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [UNLISTED.format(count=len(listed))]
    assert "briefpack check" in result.stderr and "--verbose" in result.stderr
    result = runner.invoke(app, [*args, "--verbose"])  # a no-op lists them just the same
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == listed


@pytest.mark.slow  # renders a PDF
def test_a_no_op_build_prints_the_same_count_or_list(root: Path) -> None:
    args = ["build", "--format", "html", "--project", str(root)]
    listed = runner.invoke(app, ["check", "--project", str(root)]).stderr.splitlines()
    assert runner.invoke(app, args).exit_code == 0
    quiet = fast_build(args)
    assert quiet is not None and quiet.stderr == [UNLISTED.format(count=len(listed))]
    verbose = fast_build([*args, "--verbose"])
    assert verbose is not None and verbose.stderr == listed
