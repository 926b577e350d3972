"""`briefpack pack new|add|remove|move|list|show`: packs without hand-edited YAML."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from briefpack.cli._common import ProjectOption, handled
from briefpack.cli._dialect import App

if TYPE_CHECKING:
    from briefpack.source.packs import PackInfo

app = App(
    name="pack",
    help="Create packs and choose their briefings (every other byte of a pack file is kept).",
)

NameArg = Annotated[
    str, typer.Argument(metavar="PACK", help="The pack's name (briefings/packs/PACK.yaml).")
]
BriefingsArg = Annotated[
    list[str], typer.Argument(help="Briefing ids (briefings/ID.yaml).", metavar="BRIEFING")
]


def _line(info: PackInfo) -> str:
    count = len(info.briefings)
    return f"{info.name}: {info.title} ({count} briefing{'' if count == 1 else 's'})"


@app.command("new")
def new(
    name: NameArg,
    briefings: Annotated[
        list[str] | None,
        typer.Argument(help="Briefing ids to start with.", metavar="BRIEFING"),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The German title.")
    ] = None,
    title_en: Annotated[
        str | None, typer.Option("--title-en", metavar="TEXT", help="The English title.")
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Create briefings/packs/PACK.yaml, dated today; what is not given is marked TODO."""
    from briefpack.source.packs import new_pack
    from briefpack.util.paths import find_project

    with handled():
        proj = find_project(project)
        path = new_pack(proj, name, title=title, title_en=title_en, briefings=briefings or [])
        typer.echo(f"wrote {proj.rel(path)}")
        typer.echo("next: replace the TODOs, `briefpack pack add` briefings, `briefpack check`")


@app.command("add")
def add(
    name: NameArg,
    briefings: BriefingsArg,
    at: Annotated[
        int | None,
        typer.Option("--at", metavar="N", help="Insert before position N (1 = first)."),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Add briefings to a pack (at the end, or before position N)."""
    from briefpack.source.packs import add_briefings
    from briefpack.util.paths import find_project

    with handled():
        info = add_briefings(find_project(project), name, briefings, at=at)
        typer.echo(f"{info.name}: {', '.join(info.briefings)}")


@app.command("remove")
def remove(name: NameArg, briefings: BriefingsArg, project: ProjectOption = None) -> None:
    """Remove briefings from a pack (their files stay)."""
    from briefpack.source.packs import remove_briefings
    from briefpack.util.paths import find_project

    with handled():
        info = remove_briefings(find_project(project), name, briefings)
        typer.echo(f"{info.name}: {', '.join(info.briefings) or '(no briefings)'}")


@app.command("move")
def move(
    name: NameArg,
    briefing: Annotated[str, typer.Argument(help="The briefing to move.", metavar="BRIEFING")],
    to: Annotated[int, typer.Option("--to", metavar="N", help="Its new position (1 = first).")],
    project: ProjectOption = None,
) -> None:
    """Move one briefing of a pack to position N."""
    from briefpack.source.packs import move_briefing
    from briefpack.util.paths import find_project

    with handled():
        info = move_briefing(find_project(project), name, briefing, to)
        typer.echo(f"{info.name}: {', '.join(info.briefings)}")


@app.command("list")
def list_(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON list: name, title, briefings, path.")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """List the packs: name, German title and how many briefings."""
    from briefpack.source.packs import list_packs
    from briefpack.util.paths import find_project

    with handled():
        proj = find_project(project)
        packs = list_packs(proj)
        if as_json:
            data = [info.as_json(proj) for info in packs]
            typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
            return
        for info in packs:
            typer.echo(_line(info))
        if not packs:
            typer.echo(f"no packs in {proj.rel(proj.packs_dir)}/; `briefpack pack new NAME`")


@app.command("show")
def show(name: NameArg, project: ProjectOption = None) -> None:
    """Show one pack: titles, file and its briefings in order."""
    from briefpack.source.packs import show_pack
    from briefpack.util.paths import find_project

    with handled():
        proj = find_project(project)
        info = show_pack(proj, name)
        typer.echo(f"{info.name} ({proj.rel(info.path)})")
        typer.echo(f"  de: {info.title}")
        typer.echo(f"  en: {info.title_en}")
        for i, bid in enumerate(info.briefings, 1):
            typer.echo(f"  {i}. {bid}")
        if not info.briefings:
            typer.echo("  (no briefings)")
