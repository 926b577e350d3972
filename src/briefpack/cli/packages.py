"""`briefpack models …`: list, install and remove Argos Translate model packages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefpack.cli._common import handled, prefer
from briefpack.cli._dialect import App
from briefpack.errors import UsageError

if TYPE_CHECKING:
    from briefpack.translation.packages import ModelInfo

app = App(help="Manage the offline translation models (Argos Translate packages).")


@app.command("list")
def list_command() -> None:
    """List the installed translation models."""
    from briefpack.translation.packages import list_models, packages_dir

    with handled():
        models = list_models()
        if not models:
            typer.echo(f"no models installed (in {packages_dir()})")
            typer.echo(
                "hint: `briefpack models install de en`, or offline "
                "`briefpack models install --file PATH.argosmodel`"
            )
            return
        rows = [
            (f"{m.from_code}→{m.to_code}", m.name, m.version or "-", str(m.path)) for m in models
        ]
        header = ("pair", "name", "version", "path")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
        for row in [header, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            typer.echo("  ".join([*cells, row[-1]]))


@app.command("install")
def install_command(
    from_code: Annotated[
        str | None, typer.Argument(metavar="FROM", help="Source language code, e.g. de.")
    ] = None,
    to_code: Annotated[
        str | None, typer.Argument(metavar="TO", help="Target language code, e.g. en.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            metavar="FILE",
            help="Install this .argosmodel file instead of downloading from the package index.",
            dir_okay=False,
        ),
    ] = None,
    file_short: Annotated[  # the old spelling of --file (briefpack.cli._dialect.DEPRECATED)
        Path | None, typer.Option("-f", metavar="FILE", dir_okay=False, hidden=True)
    ] = None,
) -> None:
    """Install a model: download FROM TO from the Argos index, or install --file FILE."""
    from briefpack.translation.packages import install_from_file, install_from_index

    with handled():
        file = prefer(file, file_short, command="models install", spelling="-f")
        if file is not None:
            if from_code or to_code:
                raise UsageError("give either FROM TO or --file FILE, not both")
            info = install_from_file(file)
        elif from_code and to_code:
            info = install_from_index(from_code, to_code)
        else:
            raise UsageError(
                "say what to install: `briefpack models install de en` "
                "or `briefpack models install --file PATH.argosmodel`"
            )
        typer.echo(f"installed {_describe(info)}")


@app.command("remove")
def remove_command(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="Package folder name (see `models list`) or pair code, e.g. de_en.",
        ),
    ],
) -> None:
    """Remove an installed translation model."""
    from briefpack.translation.packages import remove

    with handled():
        info = remove(name)
        typer.echo(f"removed {_describe(info)}")


def _describe(info: ModelInfo) -> str:
    version = f" {info.version}" if info.version else ""
    return f"{info.name}{version} ({info.from_code}→{info.to_code}) at {info.path}"
