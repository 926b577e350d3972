"""Shared CLI plumbing: turn library errors into one line each and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import typer

from briefpack.errors import BriefpackError, ExitCode

T = TypeVar("T")


def echo_err(message: str) -> None:
    """Print one line to standard error."""
    typer.echo(message, err=True)


@contextmanager
def handled() -> Iterator[None]:
    """Run a command body; print a `BriefpackError` as lines and exit with its code."""
    try:
        yield
    except BriefpackError as exc:
        for problem in exc.problems:
            echo_err(f"{problem.severity}: {problem}")
        echo_err(f"error: {exc.message}")
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        echo_err("interrupted")
        raise typer.Exit(130) from None


def call(fn: Callable[[], T]) -> T:
    """Call `fn` under `handled()` and return its result."""
    with handled():
        return fn()
    raise AssertionError("unreachable")  # pragma: no cover - handled() exits or returns


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


def project_option_default() -> Path | None:
    """Default for `--project`: search upward from the current directory."""
    return None


def is_tty() -> bool:
    """Whether standard error is an interactive terminal (for progress bars)."""
    return sys.stderr.isatty()
