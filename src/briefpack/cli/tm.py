"""`briefpack tm export|import|lookup`: the project memory as TMX 1.4b, and its matches."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from briefpack.cli._common import ProjectOption, handled, prefer
from briefpack.cli._dialect import App, choices
from briefpack.errors import UsageError

app = App(
    name="tm", help="The project memory: exchange it with TM tools as TMX 1.4b, look matches up."
)


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
    """Write the whole project memory (translations/ and memory/, each German sentence once)
    as TMX 1.4b to -o FILE."""
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
    """Import German→English units: current segments into translations/, the others into
    the project memory (memory/NAME.tmx)."""
    from briefpack.cli._exchange import print_import
    from briefpack.translation.exchange.project import import_tmx
    from briefpack.util.paths import find_project

    with handled():
        landing = None if as_ is None else as_.value
        print_import(import_tmx(find_project(project), file, landing=landing))  # type: ignore[arg-type]


@app.command("lookup")
def lookup(
    text: Annotated[
        str,
        typer.Argument(metavar="TEXT", help="A German sentence, or - to read it from stdin."),
    ],
    minimum: Annotated[
        int,
        typer.Option(
            "--min", metavar="N", min=1, max=100, help="Lowest match score shown (1-100)."
        ),
    ] = 75,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", min=1, help="Most matches shown.")
    ] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the matches as JSON.")] = False,
    project: ProjectOption = None,
) -> None:
    """Show the project memory's best matches for a German sentence, highest score first."""
    import json

    from briefpack.cli._common import read_stdin_text
    from briefpack.translation.exchange.project import lookup as run_lookup
    from briefpack.util.paths import find_project

    with handled():
        sentence = read_stdin_text(1024 * 1024) if text == "-" else text  # 1 MiB: sentences
        found = run_lookup(find_project(project), sentence, minimum=minimum, limit=limit)
        if as_json:
            typer.echo(json.dumps([m.to_dict() for m in found], ensure_ascii=False, indent=2))
            return
        for m in found:
            date = f", {m.unit.date}" if m.unit.date else ""
            typer.echo(f"{m.score}  {m.kind}  {m.unit.status}  {m.unit.origin}{date}")
            typer.echo(f"  de: {m.unit.de}")
            typer.echo(f"  en: {m.en}")
        typer.echo(f"{len(found)} match(es) of {minimum} or more")
