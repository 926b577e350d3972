"""`briefpack tm export|import|lookup`: the project memory as TMX 1.4b, and its matches."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from briefpack.cli._common import ProjectOption, handled

app = typer.Typer(
    name="tm",
    help="The project memory: exchange it with TM tools as TMX 1.4b, look matches up.",
    no_args_is_help=True,
    add_completion=False,
)


class Landing(StrEnum):
    """What imported TMX units become."""

    reviewed = "reviewed"
    machine = "machine"


@app.command("export")
def export(
    file: Annotated[Path, typer.Argument(help="The .tmx file to write.", dir_okay=False)],
    reviewed_only: Annotated[
        bool, typer.Option("--reviewed-only", help="Leave machine translations out.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Write the whole project memory (translations/ and memory/, each German sentence once)
    as TMX 1.4b."""
    from briefpack.translation.exchange.project import export_tmx
    from briefpack.util.paths import find_project

    with handled():
        n = export_tmx(find_project(project), file, reviewed_only=reviewed_only)
        typer.echo(f"wrote {file} (TMX 1.4b, {n} unit(s))")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A TMX 1.4 file.", dir_okay=False)],
    as_: Annotated[
        Landing | None,
        typer.Option(
            "--as",
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
    text: Annotated[str, typer.Argument(help="A German sentence, or - to read it from stdin.")],
    minimum: Annotated[
        int, typer.Option("--min", min=1, max=100, help="Lowest match score shown (1-100).")
    ] = 75,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most matches shown.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the matches as JSON.")] = False,
    project: ProjectOption = None,
) -> None:
    """Show the project memory's best matches for a German sentence, highest score first."""
    import json
    import sys

    from briefpack.translation.exchange.project import lookup as run_lookup
    from briefpack.util.paths import find_project

    with handled():
        sentence = sys.stdin.read() if text == "-" else text
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
