"""Figure records: a figure's measured value, its target and whether it meets it.

A figure function returns its value and details (`measured`, `ratio_of`), or raises
`NotAvailable`; `Figure.record` adds the target and the verdict. A figure with no target
(`op=None`) is information: shown with its value, no verdict.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from harness.child import ChildRun

Record = dict[str, Any]


class NotAvailable(Exception):
    """The figure cannot be measured here; the message says why."""


@dataclass(frozen=True)
class Figure:
    """One figure of the report: its name, target and how to measure it."""

    name: str
    op: str | None  # "<=", ">=", "==" or None (information only)
    target: float | None
    measure: Callable[..., Record]
    shown_target: str = ""  # the target as the table shows it, when not "op target"x

    def record(self, measured: Record) -> Record:
        """Return the figure's record: the measured values with the target and verdict."""
        value = measured["value"]
        meets = None if self.op is None else self.meets(value) and measured.pop("holds", True)
        return {
            "target": self.target,
            "op": self.op,
            "meets": meets,
            "available": True,
            "unit": "ratio",
            **measured,
            "value": r(value),
        }

    def unavailable(self, reason: str) -> Record:
        """Return the record of a figure that could not be measured."""
        return {
            "value": None,
            "target": self.target,
            "op": self.op,
            "meets": None,
            "available": False,
            "unit": "ratio",
            "detail": f"not available: {reason}",
        }

    def meets(self, value: float) -> bool:
        """Whether `value` meets the target."""
        assert self.target is not None
        if self.op == "<=":
            return value <= self.target
        if self.op == ">=":
            return value >= self.target
        return value == self.target

    def show_target(self) -> str:
        if self.shown_target:
            return self.shown_target
        if self.op is None:
            return "information"
        return f"{self.op} {self.target}x"


def median(values: Sequence[float]) -> float:
    """Return the median (of at least one value)."""
    return float(statistics.median(values))


def r(value: float, digits: int = 3) -> float:
    """Round for the JSON file."""
    return round(value, digits)


def ratio_of(ours: list[ChildRun], theirs: list[ChildRun], label: str, **extra: Any) -> Record:
    """Return the measured ratio median(ours) / median(theirs), with CPU times beside it."""
    wall_a, wall_b = median([x.wall for x in ours]), median([x.wall for x in theirs])
    cpu_a, cpu_b = median([x.cpu for x in ours]), median([x.cpu for x in theirs])
    return {
        "value": wall_a / wall_b,
        "ours_s": r(wall_a, 4),
        "theirs_s": r(wall_b, 4),
        "ours_cpu_s": r(cpu_a, 4),
        "theirs_cpu_s": r(cpu_b, 4),
        "cpu_ratio": r(cpu_a / cpu_b) if cpu_b else None,
        "runs_s": {"ours": [r(x.wall, 4) for x in ours], "theirs": [r(x.wall, 4) for x in theirs]},
        "detail": f"{wall_a * 1000:.0f} ms vs {label} {wall_b * 1000:.0f} ms "
        f"(CPU {cpu_a * 1000:.0f} vs {cpu_b * 1000:.0f} ms)",
        **extra,
    }
