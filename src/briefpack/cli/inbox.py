"""`briefpack intake` and `briefpack inbox list|accept|dismiss`: the press intake's inbox.

Exit codes: 0 success; 1 `intake` read the feeds it could but at least one failed (each has
its line in the report); 2 bad usage, no project, no feeds, an unknown or decided item id;
3 feeds.yaml, glossary.yaml or an inbox file is invalid (or, for `accept`, the article);
6 `accept` had to download the article and could not; 7 another process held the inbox.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from briefpack.cli._common import ProjectOption, ReportOption, echo_err, handled
from briefpack.cli._dialect import App
from briefpack.errors import ExitCode

_TERMS_SHOWN = 12  # per item in the list; `--json` and the item's file have them all

app = App(
    name="inbox",
    help="The sources `briefpack intake` found, ranked by the glossary terms they contain.",
)


def intake(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the run's report as JSON instead of lines.")
    ] = False,
    report: ReportOption = None,
    max_articles: Annotated[
        int,
        typer.Option("--max-articles", metavar="N", min=0, help="Fetch at most N new articles."),
    ] = 30,
    project: ProjectOption = None,
) -> None:
    """Read every feed in feeds.yaml and rank what is new into inbox/ (one file per item)."""
    from briefpack.commands.intake import intake as run_intake
    from briefpack.source.inbox import MIN_SCORE
    from briefpack.util.fsutil import atomic_write_text
    from briefpack.util.paths import find_project

    with handled():
        proj = find_project(project)
        if report is not None:
            from briefpack.util.fsutil import safe_output_path

            safe_output_path(report, proj.inputs())
        done = run_intake(proj, max_articles=max_articles)
        body = json.dumps(done.to_dict(), ensure_ascii=False, indent=2)
        if report is not None:
            atomic_write_text(report, body + "\n")
        if as_json:
            typer.echo(body)
        else:
            for outcome in done.feeds:
                typer.echo(outcome.line())
            for line in done.skipped:
                typer.echo(f"skipped: {line}")
            shown = sum(1 for i in done.added if i.score >= MIN_SCORE)
            typer.echo(
                f"added {len(done.added)} item(s) to inbox/ ({shown} at or above the score "
                f"{MIN_SCORE:g}); {len(done.merged)} known item(s) seen in another place"
            )
    if not done.ok:
        raise typer.Exit(int(ExitCode.FAILED))


@app.command("list")
def list_items(
    show_all: Annotated[
        bool, typer.Option("--all", help="Also the items below the relevance threshold.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print a Markdown table (for a CI job summary).")
    ] = False,
    project: ProjectOption = None,
) -> None:
    """List the items waiting for a decision, most relevant first, with the terms found."""
    from briefpack.commands.inbox import markdown as as_markdown
    from briefpack.source.inbox_actions import is_relevant, waiting_items
    from briefpack.util.paths import find_project

    with handled():
        everything = waiting_items(find_project(project), show_all=True)
        items = everything if show_all else [i for i in everything if is_relevant(i)]
        hidden = len(everything) - len(items)
        if as_json:
            typer.echo(json.dumps([i.to_json() for i in items], ensure_ascii=False, indent=2))
            return
        if markdown:
            typer.echo(as_markdown(items, hidden=hidden), nl=False)
            return
        for i in items:
            places = f" (+{len(i.duplicates())} more)" if i.duplicates() else ""
            typer.echo(
                f"{i.score:6.1f}  {i.id}  {i.date or '----------'}  {i.outlet or '?'}{places}: "
                f"{i.title or i.url}"
            )
            if i.terms:
                more = (
                    f", … (+{len(i.terms) - _TERMS_SHOWN})" if len(i.terms) > _TERMS_SHOWN else ""
                )
                typer.echo(f"{'':8}{', '.join(i.terms[:_TERMS_SHOWN])}{more}")
        if not items:
            echo_err(
                "the inbox is empty" + (f" ({hidden} item(s) hidden: --all)" if hidden else "")
            )
        elif hidden:
            echo_err(f"{hidden} item(s) below the relevance threshold hidden (--all shows them)")


@app.command("accept")
def accept(
    item_id: Annotated[
        str, typer.Argument(help="The item's id (or a unique start of it).", metavar="ITEM")
    ],
    briefing_id: Annotated[
        str | None,
        typer.Option(
            "--id", metavar="ID", help="Briefing id (default: from the article's headline)."
        ),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Make a briefing and seed from an item, exactly as `briefpack new URL` does."""
    from briefpack.source.inbox_actions import accept as run_accept
    from briefpack.util.paths import find_project

    with handled():
        done = run_accept(find_project(project), item_id, briefing_id=briefing_id)
        for line in done.lines:
            typer.echo(line)


@app.command("dismiss")
def dismiss(
    item_id: Annotated[
        str, typer.Argument(help="The item's id (or a unique start of it).", metavar="ITEM")
    ],
    project: ProjectOption = None,
) -> None:
    """Dismiss an item; its file stays, so the intake does not offer the story again."""
    from briefpack.source.inbox_actions import dismiss as run_dismiss
    from briefpack.util.paths import find_project

    with handled():
        done = run_dismiss(find_project(project), item_id)
        for line in done.lines:
            typer.echo(line)
