"""`briefpack doctor`: what this installation has and what each missing piece costs."""

from __future__ import annotations

from typing import Annotated

import typer

from briefpack.cli._common import ProjectOption, handled


def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False,
    project: ProjectOption = None,
) -> None:
    """Check the installation: model, lexicon, PDF libraries, fonts, device, folders.

    One line per check; exit 1 when something briefpack needs is missing.
    """
    import json

    from briefpack.commands.doctor import diagnose
    from briefpack.errors import ProjectNotFoundError
    from briefpack.util.paths import find_project

    with handled():
        try:
            found = find_project(project)
        except ProjectNotFoundError:
            if project is not None:
                raise
            found = None
        report = diagnose(found)
        if as_json:
            typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        else:
            for line in report.lines():
                typer.echo(line)
    if not report.ok:
        raise typer.Exit(1)
