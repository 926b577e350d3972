"""Progress on a terminal: the library reports steps through a callback, this draws them.

Drawn with rich (a dependency of Typer) on standard error, and only when standard error
is an interactive terminal and not in CI (`CI=true`, as GitHub Actions and most CI
services set): logs and pipes get no control characters. The bars are transient: when
the command ends they disappear and only its result lines remain.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from briefpack.cli._common import is_tty

if TYPE_CHECKING:
    from briefpack.commands.build import Step

_LABELS = {"prepare": "loading and checking", "translate": "translating", "render": "rendering"}


def enabled() -> bool:
    """Whether to draw progress: standard error is a terminal and this is not CI."""
    ci = os.environ.get("CI", "").strip().lower()
    return is_tty() and ci not in ("true", "1", "yes")


@contextmanager
def _bars() -> Iterator[Any]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bars:
        yield bars


@contextmanager
def build_progress() -> Iterator[Callable[[Step], None] | None]:
    """Yield a callback drawing build steps (one bar per stage, one line per pack), or None."""
    if not enabled():
        yield None
        return
    with _bars() as bars:
        tasks: dict[tuple[str, str], Any] = {}

        def update(step: Step) -> None:
            key = (step.stage, step.item if step.stage == "pack" else "")
            if key not in tasks:
                label = f"  {step.item}" if step.stage == "pack" else _LABELS.get(step.stage, "")
                tasks[key] = bars.add_task(label or step.stage, total=step.total or None)
            bars.update(tasks[key], completed=step.done, total=step.total or None)

        yield update


@contextmanager
def count_progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """Yield a `(done, total)` callback drawing one bar, or None."""
    if not enabled():
        yield None
        return
    with _bars() as bars:
        task = bars.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bars.update(task, completed=done, total=total or None)

        yield update
