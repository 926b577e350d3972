"""`briefpack xliff export|import`: hand segments to a CAT tool and take the work back."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from briefpack.cli._common import ProjectOption, handled
from briefpack.cli._dialect import App, choices
from briefpack.errors import UsageError

app = App(
    name="xliff",
    help="Exchange segments with CAT tools (Trados, memoQ, Phrase, OmegaT) as XLIFF 2.1 or 1.2.",
)


class XliffVersion(StrEnum):
    """The XLIFF versions `xliff export --version` writes."""

    v2_1 = "2.1"
    v1_2 = "1.2"


@app.command("export")
def export(
    packs: Annotated[
        list[str] | None, typer.Argument(metavar="PACK", help="Packs (default: all).")
    ] = None,
    out: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", help="The XLIFF file to write.", dir_okay=False
        ),
    ] = Path("briefpack.xlf"),
    all_: Annotated[bool, typer.Option("--all", help="Every segment, reviewed ones too.")] = False,
    machine: Annotated[bool, typer.Option("--machine", help="Only machine translations.")] = False,
    missing: Annotated[bool, typer.Option("--missing", help="Only untranslated segments.")] = False,
    version: Annotated[
        XliffVersion,
        typer.Option("--version", metavar=choices(XliffVersion), help="XLIFF version to write."),
    ] = XliffVersion.v2_1,
    project: ProjectOption = None,
) -> None:
    """Write the packs' segments (default: machine and missing ones) as one XLIFF file."""
    from briefpack.translation.exchange.project import export_xliff
    from briefpack.translation.exchange.units import Which
    from briefpack.translation.exchange.xliff import Version
    from briefpack.util.paths import find_project

    with handled():
        if all_ + machine + missing > 1:
            raise UsageError("choose one of --all, --machine, --missing")
        which: Which = "all" if all_ else "machine" if machine else "missing" if missing else "open"
        ver: Version = "2.1" if version is XliffVersion.v2_1 else "1.2"
        n = export_xliff(find_project(project), packs or [], out, which=which, version=ver)
        if n:
            typer.echo(f"wrote {out} (XLIFF {version.value}, {n} unit(s))")
        else:
            wanted = {"open": "unreviewed or untranslated", "all": ""}.get(which, which)
            typer.echo(
                f"nothing to export: no {wanted + ' ' if wanted else ''}segment in the packs "
                f"chosen; {out} not written (--all exports reviewed segments too)"
            )


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="An XLIFF 2.x or 1.2 file.", dir_okay=False)
    ],
    project: ProjectOption = None,
) -> None:
    """Take translated XLIFF back: current segments land in translations/, others are listed."""
    from briefpack.cli._exchange import print_import
    from briefpack.translation.exchange.project import import_xliff
    from briefpack.util.paths import find_project

    with handled():
        print_import(import_xliff(find_project(project), file))
