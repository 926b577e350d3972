"""`briefpack build`: its parameters derived from the one declaration of build options.

`briefpack.util.request.OPTIONS` declares every build option; `parameters` turns each into
a Typer argument or option, so an option added there appears here, in the no-op parser,
and (by its role) in the fingerprint and the snapshot key, with no other change.
"""

from __future__ import annotations

import inspect
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from briefpack.cli._common import (
    echo_err,
    engine_factory,
    handled,
    prefer,
    refuse_inputs,
    reporting,
)
from briefpack.errors import UsageError
from briefpack.util import request as declared
from briefpack.util.request import BuildRequest, Option


def parameters(options: tuple[Option, ...]) -> list[inspect.Parameter]:
    """Return the Typer parameters of the declared build options (old spellings hidden)."""
    out = []
    for o in options:
        for name, flags, hidden in [(o.name, o.flags, False)] + (
            [(_alias(o), o.aliases, True)] if o.aliases else []
        ):
            annotation, default = _typer(o, flags, hidden=hidden)
            out.append(
                inspect.Parameter(
                    name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
                )
            )
    return out


def _alias(o: Option) -> str:
    """Return the parameter name of an option's old spellings."""
    return f"{o.name}_old_spelling"


def _typer(o: Option, flags: tuple[str, ...], *, hidden: bool = False) -> tuple[Any, Any]:
    """Return the annotation and Typer default of one declared option."""
    shown: dict[str, Any] = {"help": o.help, "metavar": o.metavar, "hidden": hidden}
    if o.kind == declared.ARGS:
        return list[str] | None, typer.Argument(None, help=o.help, metavar=o.metavar)
    if o.kind == declared.FLAG:
        return bool, typer.Option(o.default, *flags, help=o.help, hidden=hidden)
    if o.kind == declared.CHOICE:
        choices = StrEnum(  # type: ignore[misc]  # an Enum is how Typer offers choices
            o.name.title().replace("_", ""), {c: c for c in o.choices}
        )
        return choices, typer.Option(choices(o.default), *flags, **shown)
    if o.kind == declared.LIST:  # parsed by the declaration, so that errors say the same
        return str, typer.Option(",".join(o.default), *flags, **shown)
    if o.kind == declared.COUNT:
        return int | None, typer.Option(o.default, *flags, min=1, **shown)
    if o.kind in (declared.FOLDER, declared.FILE):
        folder = o.kind == declared.FOLDER
        return Path | None, typer.Option(
            o.default, *flags, file_okay=not folder, dir_okay=folder, **shown
        )
    raise ValueError(f"build option {o.name}: unknown kind {o.kind!r}")  # pragma: no cover


def request_of(values: dict[str, Any]) -> BuildRequest:
    """Return the request of the values Typer parsed (raise UsageError for a bad list)."""
    parsed: dict[str, Any] = {}
    for o in declared.OPTIONS:
        value = values[o.name]
        if o.aliases:
            value = prefer(value, values[_alias(o)], command="build", spelling=o.aliases[0])
        if o.kind == declared.ARGS:
            value = tuple(value or ())
        elif o.kind == declared.CHOICE:
            value = str(value)
        elif o.kind == declared.LIST:
            try:
                value = o.parse_list([value])
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        parsed[o.name] = value
    return BuildRequest(**parsed)


def build(**values: Any) -> None:
    """Build briefing packs into out/PACK.pdf (.docx, .html), skipping what is up to date."""
    from briefpack.cli.progress import build_progress
    from briefpack.commands.build import build as run_build
    from briefpack.commands.noop import (
        UP_TO_DATE,
        BuildTarget,
        finding_lines,
        show,
        skipped_form,
    )
    from briefpack.util.paths import find_project

    with (
        handled() as logged,
        reporting(values["report"], "build", values["project"], logged) as rep,
    ):
        request = request_of(values)  # UsageError (exit 2) before any work
        proj = find_project(request.project)
        if request.out is not None:
            refuse_inputs(request.out, proj, folder=True)
        # Record the inputs' snapshot (briefpack.commands.noop): the next no-op answers from it.
        target = BuildTarget.for_request(proj.root, request)
        before = target.prescan()
        with build_progress() as progress:
            result = run_build(
                proj,
                request,
                engine_factory=engine_factory(request.device),
                progress=progress,
                overlap=True,  # one pack renders in a worker beside the findings (2+ cores)
            )
        extra = logged.take()
        target.record(
            before,
            packs=[skipped_form(p.to_dict()) for p in result.packs],
            findings=result.findings,
            segments=result.segments,
            clean=not (result.translated or result.memory or result.notes or extra),
        )
        rep.update(
            packs=[p.to_dict() for p in result.packs],
            segments=result.segments,
            translated=result.translated,
            memory=result.memory,
            findings=[*result.findings, *extra],
        )
        for note in result.notes:
            echo_err(f"note: {note}")
        lines = [f"{w.severity}: {w}" for w in [*result.findings, *extra]]
        for line in finding_lines(lines, verbose=request.verbose):
            echo_err(line)
        if result.memory:
            typer.echo(f"filled {result.memory} segment(s) from the project memory")
        if result.translated:
            typer.echo(f"translated {result.translated} segment(s)")
        for p in result.packs:
            for o in p.outputs:
                if o.status == "skipped":
                    typer.echo(UP_TO_DATE.format(path=show(o.path)))
                    continue
                c = p.counts
                note = f", {c.get('missing', 0)} missing (draft)" if c.get("missing") else ""
                pages = f"{p.pages} pages; " if o.format == "pdf" else ""
                typer.echo(
                    f"built {show(o.path)} ({pages}{c.get('reviewed', 0)} reviewed,"
                    f" {c.get('machine', 0)} machine segments{note})"
                )
            if p.status == "built" and p.changes is not None and p.changes.items:
                kinds = Counter(c.kind.replace("-", " ") for c in p.changes.items)
                listed = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
                typer.echo(f"  changes since {p.changes.since.isoformat()}: {listed}")


build.__signature__ = inspect.Signature(parameters(declared.OPTIONS))  # type: ignore[attr-defined]
