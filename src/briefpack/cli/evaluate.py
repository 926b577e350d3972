"""`briefpack eval`: measure the installed model on the project's reviewed translations.

Exit codes: 0 success; 2 bad usage, no project, or nothing reviewed to measure against;
3 invalid project files; 4 no usable translation model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from briefpack.cli._common import (
    Device,
    DeviceOpt,
    ProjectOption,
    engine_factory,
    handled,
    prefer,
)


def eval_command(
    packs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PACK",
            help="Packs whose reviewed translations to measure on (default: all briefings "
            "and packs).",
        ),
    ] = None,
    report_file: Annotated[
        Path | None,
        typer.Option(
            "--report", metavar="FILE", dir_okay=False, help="Also write every figure as JSON."
        ),
    ] = None,
    json_file: Annotated[  # the old spelling of --report (briefpack.cli._dialect.DEPRECATED)
        Path | None, typer.Option("--json", metavar="FILE", dir_okay=False, hidden=True)
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", metavar="N", min=1, help="Measure on the first N reviewed segments only."
        ),
    ] = None,
    project: ProjectOption = None,
    device: DeviceOpt = Device.auto,
) -> None:
    """Measure the installed model on the reviewed translations: chrF, BLEU, term accuracy."""
    from briefpack.commands.evaluate import evaluate, table, write_json
    from briefpack.util.fsutil import check_target
    from briefpack.util.paths import find_project

    with handled():
        json_file = prefer(report_file, json_file, command="eval", spelling="--json")
        if json_file is not None:
            check_target(json_file)  # refused before minutes of decoding, not after
        report = evaluate(
            find_project(project), packs or [], engine_factory=engine_factory(device), limit=limit
        )
        if json_file is not None:
            write_json(json_file, report)
        for line in table(report):
            typer.echo(line)
