"""The one declaration of build options: what derives from it, and a throw-away option."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.cli import build as cli_build
from briefpack.commands.noop import BuildTarget, fast_build
from briefpack.prepare import prepare
from briefpack.util import request as declared
from briefpack.util.paths import Project
from briefpack.util.request import BuildRequest, Option, option, parse_argv
from tests.support import copy_project


def test_roles_say_what_enters_the_fingerprint_and_the_key() -> None:
    request = BuildRequest(
        packs=("a",), out=Path("o"), formats=("pdf", "html"), draft=True, jobs=3, force=True
    )
    # The fingerprint (shown in each PDF's colophon) holds exactly these two.
    assert request.shaping() == {"draft": True, "pdf_variant": "ua-1"}
    assert request.key_options() == {
        "draft": True,
        "pdf_variant": "ua-1",
        "formats": ["pdf", "html"],
        "strict": False,
    }
    assert {o.name for o in declared.OPTIONS if o.role == declared.POLICY} == {
        "force",
        "jobs",
        "report",
        "device",
        "verbose",  # a no-op prints the count or the list from the same record
    }


def test_every_declared_option_is_a_typed_attribute_and_back() -> None:
    names = [o.name for o in declared.OPTIONS]
    assert sorted(names) == sorted(BuildRequest.__annotations__)
    assert len(set(names)) == len(names)
    flags = [f for o in declared.OPTIONS for f in o.flags]
    assert len(set(flags)) == len(flags)
    with pytest.raises(TypeError, match="unknown build option"):
        BuildRequest(colour="red")
    with pytest.raises(TypeError, match="not the string"):
        BuildRequest(formats="pdf")
    request = BuildRequest()
    with pytest.raises(AttributeError):
        request.draft = True
    assert request.replace(draft=True).draft and not request.draft


def test_invalid_values_are_named() -> None:
    assert BuildRequest().invalid() is None
    assert "choose ua-1, a-3b, none" in str(BuildRequest(pdf_variant="pdf/ua-1").invalid())
    assert "unknown format 'odt'" in str(BuildRequest(formats=("pdf", "odt")).invalid())
    assert "--jobs must be 1 or more" in str(BuildRequest(jobs=0).invalid())


def test_command_line_and_no_op_parser_agree() -> None:
    argv = ["build", "p1", "p2", "--draft", "-f", "HTML,pdf", "--pdf-variant=none", "-j", "2"]
    fast = parse_argv(argv)
    assert fast is not None
    seen: list[BuildRequest] = []

    def command(**values: Any) -> None:
        seen.append(cli_build.request_of(values))

    result = CliRunner().invoke(_app(command), argv[1:])
    assert result.exit_code == 0, result.output
    assert seen == [fast]
    assert fast.packs == ("p1", "p2") and fast.formats == ("html", "pdf") and fast.jobs == 2


def _app(command: Any) -> typer.Typer:
    """A one-command app whose parameters are derived from the declaration as it is now."""
    command.__signature__ = inspect.Signature(cli_build.parameters(declared.OPTIONS))
    app = typer.Typer()
    app.command()(command)
    return app


WATERMARK = Option(
    "watermark",
    ("--watermark",),
    kind=declared.CHOICE,
    role=declared.SHAPES,
    default="none",
    choices=("none", "confidential"),
    help="A throw-away option of these tests.",
)


def test_a_new_output_shaping_option_reaches_cli_key_and_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Declaring an option is all it takes: nothing else is edited."""
    project = Project(copy_project(tmp_path / "p"))
    monkeypatch.setattr(declared, "OPTIONS", (*declared.OPTIONS, WATERMARK))

    # The no-op parser and the Typer command both know it, and agree.
    fast = parse_argv(["build", "--watermark", "confidential"])
    assert fast is not None and fast.values()["watermark"] == "confidential"
    seen: list[BuildRequest] = []
    result = CliRunner().invoke(
        _app(lambda **values: seen.append(cli_build.request_of(values))),
        ["--watermark", "confidential"],
    )
    assert result.exit_code == 0, result.output
    assert seen == [fast]
    assert parse_argv(["build", "--watermark", "red"]) is None  # Typer would refuse it

    # Its value reaches the no-op snapshot key and every pack's fingerprint.
    default = BuildRequest()
    assert default.shaping()["watermark"] == "none"
    assert BuildTarget.for_request(project.root, fast).key != (
        BuildTarget.for_request(project.root, default).key
    )
    marked = prepare(project, fast, translate=False).packs[0].fingerprint
    assert marked != prepare(project, default, translate=False).packs[0].fingerprint


def test_a_policy_option_stays_out_of_key_and_fingerprint() -> None:
    assert option("jobs").role == declared.POLICY
    a, b = BuildRequest(jobs=1, device="cpu"), BuildRequest(jobs=4, device="cuda")
    assert a.key_options() == b.key_options() and a.shaping() == b.shaping()


@pytest.mark.slow
def test_a_new_option_is_recorded_by_the_build_and_answered_by_the_no_op(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "p")
    monkeypatch.setattr(declared, "OPTIONS", (*declared.OPTIONS, WATERMARK))
    # The real `briefpack build`, its parameters derived again from the declaration.
    monkeypatch.setattr(
        cli_build.build, "__signature__", inspect.Signature(cli_build.parameters(declared.OPTIONS))
    )
    args = ["build", "--project", str(root), "--format", "html", "--watermark", "confidential"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    answer = fast_build(args)
    assert answer is not None and answer.stdout[0].startswith("up to date: ")
    assert fast_build(args[:-2]) is None  # the default watermark is another target
