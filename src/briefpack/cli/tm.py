"""`briefpack tm export|import`: the translation memory as TMX 1.4b."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from briefpack.cli._common import ProjectOption, handled, prefer
from briefpack.cli._dialect import App, choices
from briefpack.errors import UsageError

app = App(name="tm", help="Exchange the translation memory with translators' TM tools as TMX 1.4b.")


class Landing(StrEnum):
    """What imported TMX units become."""

    reviewed = "reviewed"
    machine = "machine"


@app.command("export")
def export(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The .tmx file to write (required).",
            dir_okay=False,
        ),
    ] = None,
    reviewed_only: Annotated[
        bool, typer.Option("--reviewed-only", help="Leave machine translations out.")
    ] = False,
    project: ProjectOption = None,
    file: Annotated[  # the old spelling of --output (briefpack.cli._dialect.DEPRECATED)
        Path | None, typer.Argument(metavar="FILE", dir_okay=False, hidden=True)
    ] = None,
) -> None:
    """Write the translation memory (each German sentence once) as TMX 1.4b to -o FILE."""
    from briefpack.translation.exchange.project import export_tmx
    from briefpack.util.paths import find_project

    with handled():
        file = prefer(output, file, command="tm export", spelling="FILE")
        if file is None:
            raise UsageError("say where to write: -o/--output FILE")
        n = export_tmx(find_project(project), file, reviewed_only=reviewed_only)
        typer.echo(f"wrote {file} (TMX 1.4b, {n} unit(s))")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A TMX 1.4 file.", dir_okay=False)],
    as_: Annotated[
        Landing | None,
        typer.Option(
            "--as",
            metavar=choices(Landing),
            help="Status of imported entries (default: the status briefpack "
            "exported, else reviewed).",
        ),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Import German→English units whose German is a current segment into translations/."""
    from briefpack.cli._exchange import print_import
    from briefpack.translation.exchange.project import import_tmx
    from briefpack.util.paths import find_project

    with handled():
        landing = None if as_ is None else as_.value
        print_import(import_tmx(find_project(project), file, landing=landing))  # type: ignore[arg-type]
