"""The `briefpack` command line: parse, load the project, one library call, exit code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefpack import __version__
from briefpack.cli._common import echo_err, handled
from briefpack.engines.base import Engine
from briefpack.errors import ExitCode

if TYPE_CHECKING:
    from briefpack.build import EngineFactory

app = typer.Typer(
    name="briefpack",
    help="Bilingual German/English PDF briefing packs from curated YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ProjectOpt = Annotated[
    Path | None,
    typer.Option(
        "--project",
        "-p",
        help="Project folder (default: search upward from here).",
        file_okay=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefpack {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Bilingual German/English PDF briefing packs from curated YAML."""


@app.command()
def build(
    packs: Annotated[
        list[str] | None, typer.Argument(help="Packs to build (default: all).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder (default: out/).", file_okay=False),
    ] = None,
    project: ProjectOpt = None,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="Render missing English as a visible placeholder instead of translating.",
        ),
    ] = False,
) -> None:
    """Build PDF briefing packs into out/<pack>.pdf."""
    from briefpack.build import build as run_build
    from briefpack.project import find_project

    with handled():
        proj = find_project(project)
        report = run_build(
            proj, packs or [], out_dir=out, draft=draft, engine_factory=_engine_factory()
        )
        for w in report.warnings:
            echo_err(f"warning: {w}")
        if report.translated:
            typer.echo(f"translated {report.translated} segment(s)")
        for p in report.packs:
            c = p.counts
            note = f", {c.get('missing', 0)} missing (draft)" if c.get("missing") else ""
            typer.echo(
                f"built {_show(p.path)} ({p.pages} pages; {c.get('reviewed', 0)} reviewed,"
                f" {c.get('machine', 0)} machine segments{note})"
            )


def _engine_factory() -> EngineFactory:
    """Return a factory for the installed Argos engine (imported only when needed)."""

    def factory() -> Engine:
        from briefpack.engines.argos import load_engine

        return load_engine("de", "en")

    return factory


def _show(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


@app.command()
def check(project: ProjectOpt = None) -> None:
    """Validate briefings, packs and translations; print every problem."""
    from briefpack.check import check as run_check
    from briefpack.project import find_project

    with handled():
        report = run_check(find_project(project))
        for p in report.problems:
            echo_err(f"{p.severity}: {p}")
        if report.errors:
            raise typer.Exit(int(ExitCode.INVALID_INPUT))
        n = len(report.warnings)
        typer.echo(f"ok: no errors{f', {n} warning(s)' if n else ''}")


def main() -> None:
    """Run the CLI (console-script entry point)."""
    app()
