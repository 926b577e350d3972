"""Print what an XLIFF or TMX import did (shared by `xliff import` and `tm import`)."""

from __future__ import annotations

import typer

from briefpack.cli._common import echo_err
from briefpack.translation.exchange.units import ImportReport


def print_import(report: ImportReport) -> None:
    """Print skipped units and QA findings to stderr, then a one-line summary."""
    for unit, reason in report.skipped:
        echo_err(f"skipped: {unit.where} unit {unit.id}: {reason} ({unit.de[:60]!r})")
    for unit, findings in report.accepted:
        for f in findings:
            echo_err(f"warning: {unit.where} unit {unit.id}: {f}")
    reviewed = sum(1 for u, _ in report.accepted if u.landing == "reviewed")
    typer.echo(
        f"imported {len(report.accepted)} segment(s) ({reviewed} reviewed, "
        f"{len(report.accepted) - reviewed} unreviewed), skipped {len(report.skipped)}, "
        f"{report.findings} terminology/QA finding(s); wrote {report.written} file(s)"
    )
