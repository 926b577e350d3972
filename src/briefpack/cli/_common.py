"""Shared CLI plumbing: errors become one line each and an exit code; logged warnings findings.

Library code logs warnings with `logging.getLogger(__name__)` and never prints. `handled()`
puts a collecting handler on the `briefpack` logger for the length of one command (as
mkdocs' `CountHandler` does for `--strict`): a command that writes a report or counts
findings takes the collected warnings as findings; whatever no command took is printed as
`warning:` lines when the command ends. It also holds every command-line argument to the
one text-validity gate (`briefpack.util.text.text_problem`) before the command runs.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from briefpack.cli._dialect import DEPRECATED
from briefpack.errors import BriefpackError, ExitCode, Problem, UsageError
from briefpack.util.request import option

if TYPE_CHECKING:
    from briefpack.translation.engines.base import Engine
    from briefpack.translation.machine import EngineFactory
    from briefpack.util.paths import Project

LOGGER = "briefpack"
T = TypeVar("T")

# `-p/--project DIR`, the same on every command.
ProjectOption = Annotated[
    Path | None,
    typer.Option(
        *option("project").flags,
        metavar=option("project").metavar,
        file_okay=False,
        help=option("project").help,
    ),
]

# `--report FILE`: the machine-readable JSON report of a run, the same on every command.
ReportOption = Annotated[
    Path | None,
    typer.Option(
        *option("report").flags,
        metavar=option("report").metavar,
        dir_okay=False,
        help=option("report").help,
    ),
]


def prefer(value: T | None, old: T | None, *, command: str, spelling: str) -> T | None:
    """Return the value given in the new spelling, or in the old `spelling` (saying so).

    `(command, spelling)` is a key of `briefpack.cli._dialect.DEPRECATED`, which names the
    new spelling; an argument's old spelling is its metavar. Both at once: a usage error.
    """
    if old is None:
        return value
    name = DEPRECATED[command, spelling]
    old_name = spelling if spelling.startswith("-") else f"a {spelling} argument"
    if value is not None:
        raise UsageError(f"{old_name} is the old spelling of {name}: give only {name}")
    echo_err(f"note: {old_name} is deprecated and goes in the next release; use {name}")
    return old


def echo_err(message: str) -> None:
    """Print one line to standard error."""
    typer.echo(message, err=True)


class LoggedWarnings(logging.Handler):
    """Collect WARNING (and worse) records of briefpack's loggers as findings."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self._records.append(record)

    def take(self) -> list[Problem]:
        """Return the warnings logged so far as findings, and forget them."""
        found, self._records = self.peek(), []
        return found

    def peek(self) -> list[Problem]:
        """Return the warnings logged so far as findings (they stay to be printed)."""
        return [
            Problem(
                str(getattr(record, "file", None) or record.name),
                message=record.getMessage(),
                code=str(getattr(record, "code", None) or "logged-warning"),
                severity="warning",
            )
            for record in self._records
        ]


@contextmanager
def handled() -> Iterator[LoggedWarnings]:
    """Run a command body; print a `BriefpackError` as lines and exit with its code.

    Yields the collector of the warnings logged meanwhile (see the module docstring).
    """
    logger = logging.getLogger(LOGGER)
    logged = LoggedWarnings()
    logger.addHandler(logged)
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        _check_arguments()
        yield logged
    except BriefpackError as exc:
        _print_left(logged)
        for problem in exc.problems:
            echo_err(f"{problem.severity}: {problem}")
        echo_err(f"error: {exc.message}")
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        echo_err("interrupted")
        raise typer.Exit(130) from None
    finally:
        logger.removeHandler(logged)
    _print_left(logged)


def _check_arguments() -> None:
    """Raise UsageError for an argument holding a character no text may hold (a NUL, ESC…).

    Every command's parsed parameters pass here (`handled`), so a new command inherits it.
    """
    from briefpack.util.text import text_problem

    for name, value in command_params().items():
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, str | Path) and (reason := text_problem(str(item))):
                raise UsageError(f"argument {name.replace('_', '-')}: {reason}")


def command_params() -> dict[str, object]:
    """Return the parsed parameters of the command being run (none outside a command)."""
    try:  # the Click this Typer runs on (newer Typers vendor it)
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - older Typer releases use the click package
        from click import get_current_context  # type: ignore[no-redef]
    ctx = get_current_context(silent=True)
    return dict(ctx.params) if ctx is not None else {}


def _print_left(logged: LoggedWarnings) -> None:
    for problem in logged.take():
        echo_err(f"warning: {problem}")


def refuse_inputs(path: Path, proj: Project, *, folder: bool = False) -> None:
    """Raise UsageError if an output `path` is (or lies inside) one of the project's inputs."""
    from briefpack.util.fsutil import safe_output_path

    safe_output_path(path, proj.inputs(), folder=folder)


@contextmanager
def reporting(
    path: Path | None, command: str, project: Path | None, logged: LoggedWarnings
) -> Iterator[dict[str, Any]]:
    """Collect report data in the body; write the JSON report on success and on failure.

    On failure the report also lists the warnings logged so far (they are still printed).
    A report target that is one of the project's inputs (glossary.yaml, translations/…) or
    not a regular file is refused before the command runs.
    """
    data: dict[str, Any] = {"findings": []}
    if path is not None:
        from briefpack.util.fsutil import check_target
        from briefpack.util.paths import find_project

        try:
            proj: Project | None = find_project(project)
        except BriefpackError:
            proj = None  # the command itself reports it
        if proj is not None:
            refuse_inputs(path, proj)
        check_target(path)
    try:
        yield data
    except BriefpackError as exc:
        if path is not None:
            from briefpack.output.report import write_report

            found = [*(exc.problems or data["findings"]), *logged.peek()]
            write_report(
                path,
                command=command,
                ok=False,
                **{**data, "findings": found, "error": exc.message},
            )
        raise
    if path is not None:
        from briefpack.output.report import write_report

        write_report(path, command=command, ok=True, **data)


def run_usage_checked(app: typer.Typer) -> int:
    """Run `app`; print a command-line usage error as one `error:` line; return the exit code.

    Typer's standalone mode draws usage errors as Rich boxes without the `error:` prefix
    that every other failure has; scripts grep for it.
    """
    try:
        from typer import _click as click  # the Click this Typer runs on (newer Typers vendor it)
    except ImportError:  # pragma: no cover - older Typer releases use the click package
        import click  # type: ignore[no-redef]

    exceptions = click.exceptions
    try:
        result = app(standalone_mode=False, prog_name="briefpack")
    except exceptions.NoArgsIsHelpError as exc:  # the help text is already printed
        return int(exc.exit_code)
    except exceptions.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "briefpack"
        echo_err(f"error: {exc.format_message()} (see `{where} --help`)")
        return int(ExitCode.USAGE)
    except typer.Abort:
        echo_err("interrupted")
        return 130
    return result if isinstance(result, int) else 0


def is_tty() -> bool:
    """Whether standard error is an interactive terminal (for progress bars)."""
    return sys.stderr.isatty()


class Device(StrEnum):
    """Where CTranslate2 decodes: the choices of `util.request.DEVICES` (a test checks)."""

    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


DeviceOpt = Annotated[
    Device,
    typer.Option("--device", metavar=option("device").metavar, help=option("device").help),
]


def engine_factory(device: str = "auto") -> EngineFactory:
    """Return a factory for the installed Argos engine on `device` (imported when needed)."""

    def factory() -> Engine:
        from briefpack.translation.device import resolve_device
        from briefpack.translation.engines.argos import load_engine

        choice = resolve_device(str(device))
        return load_engine("de", "en", device=choice.device, compute_type=choice.compute_type)

    return factory


def read_stdin_text(limit: int) -> str:
    """Return standard input as text: the same byte limit as for a file, counted as read."""
    from briefpack.errors import InputError
    from briefpack.util.fsutil import TooLargeError, read_stream_bounded
    from briefpack.util.yamlio import decode_text

    try:
        raw = read_stream_bounded(sys.stdin.buffer, limit, "-")
    except TooLargeError as exc:
        raise InputError(f"standard input: {exc.describe('text')}") from None
    return decode_text(raw, "standard input")
