"""Print what an XLIFF or TMX import did (shared by `xliff import` and `tm import`)."""

from __future__ import annotations

from collections import Counter

import typer

from briefpack.cli._common import echo_err
from briefpack.translation.exchange.units import ImportReport


def print_import(report: ImportReport) -> None:
    """Print each skipped unit and QA finding to stderr, then a summary with skip counts."""
    for unit, reason in report.skipped:
        echo_err(f"skipped: {unit.where} unit {unit.id}: {reason} ({unit.de[:60]!r})")
    for unit, findings in report.accepted:
        for f in findings:
            echo_err(f"warning: {unit.where} unit {unit.id}: {f}")
    reviewed = sum(1 for u, _ in report.accepted if u.landing == "reviewed")
    reasons = Counter(_kind(reason) for _, reason in report.skipped)
    why = "; ".join(f"{reason}: {n}" for reason, n in reasons.most_common())
    typer.echo(
        f"imported {len(report.accepted)} segment(s) ({reviewed} reviewed, "
        f"{len(report.accepted) - reviewed} unreviewed), skipped {len(report.skipped)}"
        f"{f' ({why})' if why else ''}, "
        f"{report.findings} terminology/QA finding(s); wrote {report.written} file(s)"
    )
    if report.remembered:
        typer.echo(
            f"kept {len(report.remembered)} unit(s) no briefing uses in the project memory "
            f"({report.memory_file})"
        )


def _kind(reason: str) -> str:
    """Return a skip reason without its unit-specific details, for the summary's counts."""
    return reason.split(" (", 1)[0]
