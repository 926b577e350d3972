"""The `briefpack` command line: parse, load the project, one library call, exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from briefpack import __version__
from briefpack.cli._common import (
    Device,
    DeviceOpt,
    ProjectOption,
    ReportOption,
    echo_err,
    handled,
    reporting,
    run_usage_checked,
)
from briefpack.cli._common import (
    engine_factory as _engine_factory,
)
from briefpack.cli._dialect import App, choices
from briefpack.cli.build import build as build_command
from briefpack.errors import InputError, ViolationsError

app = App(
    name="briefpack",
    help="Bilingual German/English PDF briefing packs from curated YAML.",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefpack {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Bilingual German/English PDF briefing packs from curated YAML."""


app.command("build")(build_command)

StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Fail (exit 5) on any finding: warnings, missing or unused "
        "translations, terminology violations.",
    ),
]


@app.command()
def translate(
    packs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PACK",
            help="Packs whose segments to translate (default: all briefings and packs).",
        ),
    ] = None,
    project: ProjectOption = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Only show how many segments per file would be translated; change nothing.",
        ),
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Also remove machine entries no "
            "briefing uses any more (reviewed ones are listed).",
        ),
    ] = False,
    device: DeviceOpt = Device.auto,
) -> None:
    """Machine-translate German segments that have no English yet into translations/."""
    from briefpack.cli.progress import count_progress
    from briefpack.translation.machine import translate_project
    from briefpack.util.paths import find_project

    with handled():
        proj = find_project(project)
        with count_progress("translating") as progress:
            result = translate_project(
                proj,
                packs or [],
                engine_factory=_engine_factory(device),
                dry_run=dry_run,
                prune=prune,
                progress=progress,
            )
        for name, n in result.pending.items():
            typer.echo(f"{name}: {n} segment(s)")
        if result.pruned:
            typer.echo(
                f"pruned {result.pruned} unused machine entr{'y' if result.pruned == 1 else 'ies'}"
            )
        for de in result.unused_reviewed:
            echo_err(
                "warning: unused reviewed entry without English kept (write its English or "
                f"delete it by hand): {de[:70]!r}"
            )
        if dry_run:
            typer.echo(f"{result.total} segment(s) to translate")
        else:
            if result.memory:
                typer.echo(f"filled {result.memory} segment(s) from the project memory")
            via = f" with {result.engine}" if result.engine else ""
            typer.echo(f"translated {result.translated} segment(s){via}")


@app.command()
def check(
    project: ProjectOption = None, strict: StrictOpt = False, report: ReportOption = None
) -> None:
    """Validate briefings, packs, glossary, translations, feeds and inbox; print every problem."""
    from briefpack.commands.check import check as run_check
    from briefpack.util.paths import find_project

    with handled() as logged, reporting(report, "check", project, logged) as rep:
        result = run_check(find_project(project))
        warnings = [*result.warnings, *logged.take()]
        rep.update(findings=[*result.problems, *warnings[len(result.warnings) :]])
        for p in warnings:
            echo_err(f"warning: {p}")
        if result.errors:
            raise InputError(f"{len(result.errors)} error(s)", problems=result.errors)
        n = len(warnings)
        if strict and n:
            raise ViolationsError(f"--strict: {n} finding(s)")
        typer.echo(f"ok: no errors{f', {n} warning(s)' if n else ''}")


@app.command()
def init(
    folder: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="New or empty folder for the project.", file_okay=False),
    ],
) -> None:
    """Create a working example project (briefing, pack, glossary, templates, CI) in DIR."""
    from briefpack.commands.scaffold import init_project

    with handled():
        written = init_project(folder)
        typer.echo(f"created {len(written)} files in {folder}")
        typer.echo(
            f"next: cd {folder} && briefpack build   (writes out/beispiel.pdf; no model needed)"
        )


@app.command()
def new(
    seed: Annotated[
        str,
        typer.Argument(
            help="The German source: a text file (UTF-8), .html/.htm, .pdf, .docx, or an "
            "http(s):// URL. A text file is copied into seeds/; the others are extracted "
            "to seeds/NNN-ID.txt.",
            metavar="SOURCE",
        ),
    ],
    briefing_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="Briefing id (default: from the file name, e.g. 001-x-y.txt → x-y, or from "
            "the headline of a page, PDF or DOCX).",
        ),
    ] = None,
    pack: Annotated[
        str | None,
        typer.Option("--pack", metavar="PACK", help="Also add the briefing to this pack."),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Scaffold briefings/ID.yaml for a source; the parts to write are marked TODO."""
    from briefpack.source.packs import add_briefings, show_pack
    from briefpack.source.scaffold import new_briefing
    from briefpack.util.paths import find_project

    with handled():
        proj = find_project(project)
        if pack is not None:  # an unknown or invalid pack is refused before anything is written
            show_pack(proj, pack)
        made = new_briefing(proj, seed, briefing_id=briefing_id)
        if made.extracted:
            typer.echo(f"extracted the text of {seed} to {made.seed}")
        elif made.copied:
            typer.echo(f"copied {seed} to {made.seed}")
        found = made.facts.found()
        what = {"html": "page", "pdf": "PDF", "docx": "document"}.get(made.facts.origin, "text")
        names = ", ".join(found[:-1]) + f" and {found[-1]}" if len(found) > 1 else "".join(found)
        read = f"; read {names} from the {what}" if found else ""
        typer.echo(f"wrote {proj.rel(made.path)} for {made.seed}{read}")
        if pack is not None:
            add_briefings(proj, pack, [made.id])
            typer.echo(f"added {made.id!r} to pack {pack!r}")
            typer.echo("next: replace the TODOs, run `briefpack check`")
        else:
            typer.echo(
                f"next: replace the TODOs, add {made.id!r} to a pack "
                f"(`briefpack pack add PACK {made.id}`), run `briefpack check`"
            )


@app.command()
def schema(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="The schemas to print (default: all, keyed by name).",
            # source.json_schema.NAMES (pydantic: not imported for --help; a test compares)
            metavar=choices(
                ("briefing", "pack", "glossary", "translations", "settings", "feeds", "inbox")
            ),
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of briefing, pack, glossary, translation-memory, project, feeds
    or inbox files."""
    import json

    from briefpack.source.json_schema import schemas

    with handled():
        typer.echo(json.dumps(schemas(names or []), indent=2, ensure_ascii=False))


def _mount() -> None:
    # Sub-apps keep their heavy imports inside their commands, so mounting them is cheap.
    from briefpack.cli import (
        doctor,
        evaluate,
        feeds,
        glossary,
        inbox,
        pack,
        packages,
        review,
        serve,
        tm,
        xliff,
    )

    app.add_typer(packages.app, name="models")
    app.add_typer(glossary.app, name="glossary")
    app.add_typer(pack.app, name="pack")
    app.add_typer(xliff.app, name="xliff")
    app.add_typer(tm.app, name="tm")
    app.add_typer(review.app, name="review")
    app.command("serve")(serve.serve)
    app.command("eval")(evaluate.eval_command)
    app.add_typer(feeds.app, name="feeds")
    app.add_typer(inbox.app, name="inbox")
    app.command("intake")(inbox.intake)
    app.command("doctor")(doctor.doctor)


_mount()


def main() -> None:
    """Run the CLI: a no-op build is answered from the input snapshot before typer runs.

    (The console script's entry is `briefpack.entry`, which does the same without importing
    this module; `main` serves `python -m briefpack.cli` and older console scripts.)
    """
    if sys.argv[1:2] == ["build"]:
        from briefpack.commands.noop import fast_build

        output = fast_build(sys.argv[1:])
        if output is not None:
            for line in output.stderr:
                echo_err(line)
            for line in output.stdout:
                typer.echo(line)
            raise SystemExit(0)
    run()


def run() -> None:
    """Run the Typer CLI; usage errors are one `error:` line, exit 2."""
    sys.exit(run_usage_checked(app))
