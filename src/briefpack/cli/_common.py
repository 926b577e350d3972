"""Shared CLI plumbing: turn library errors into one line each and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import typer

from briefpack.errors import BriefpackError

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


def project_option_default() -> Path | None:
    """Default for `--project`: search upward from the current directory."""
    return None


def is_tty() -> bool:
    """Whether standard error is an interactive terminal (for progress bars)."""
    return sys.stderr.isatty()
