"""`briefpack review list|approve`: review machine translations from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from briefpack.cli._common import ProjectOption, echo_err, handled
from briefpack.cli._dialect import App

app = App(name="review", help="List machine translations with their findings and approve them.")


@app.command("list")
def list_(
    packs: Annotated[
        list[str] | None, typer.Argument(metavar="PACK", help="Packs (default: all).")
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Show every machine segment (key, file, field, German, English, the best memory match
    of 75 or more, findings), then each pack's progress: the packs with most findings first."""
    from briefpack.commands.review import review_list
    from briefpack.util.paths import find_project

    with handled():
        listed = review_list(find_project(project), packs or [])
        for item in listed.items:
            typer.echo(f"{item.key}  {item.file} {item.field}")
            typer.echo(f"  de: {item.de}")
            typer.echo(f"  en: {item.en}")
            match = listed.matches.get(item.key)
            if match is not None:
                typer.echo(
                    f"  memory {match.score} ({match.kind}, {match.unit.status}, "
                    f"{match.unit.origin}): {match.en}"
                )
            for f in item.findings:
                typer.echo(f"  finding: {f}")
        clean = sum(1 for i in listed.items if not i.findings)
        typer.echo(f"{len(listed.items)} machine segment(s), {clean} without findings")
        for p in listed.progress:
            c = p.counts
            typer.echo(
                f"pack {p.name}: {p.left} of {p.total} left ({c['machine']} machine, "
                f"{c['missing']} missing, {c['reviewed']} reviewed), {p.findings} finding(s)"
            )


@app.command("approve")
def approve(
    keys: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="KEY",
            help="Segment keys to approve (see `review list`); with --clean: packs.",
        ),
    ] = None,
    clean: Annotated[
        bool, typer.Option("--clean", help="Approve every machine entry with no findings.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """Mark machine entries reviewed, removing provenance: KEY... (or --clean [PACK]...)."""
    from briefpack.commands.review import approve as run_approve
    from briefpack.util.paths import find_project

    with handled():
        args = keys or []
        result = run_approve(
            find_project(project),
            [] if clean else args,
            clean=clean,
            packs=args if clean else [],
        )
        for item in result.held:
            echo_err(f"kept for review: {item.key} ({len(item.findings)} finding(s))")
        typer.echo(f"approved {len(result.approved)} segment(s); wrote {result.written} file(s)")
