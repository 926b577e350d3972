"""The report: the machine measured on, and the Markdown table of the figures."""

from __future__ import annotations

import os
import platform
from typing import Any

from harness.verdict import Figure, Record, r


def machine() -> dict[str, Any]:
    """Describe the machine and the versions measured."""
    import ctypes.util
    from importlib import metadata

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "-"

    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "memory_gb": r(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            name: version(name)
            for name in ("briefpack", "weasyprint", "ctranslate2", "argostranslate", "pydantic")
        },
        # WeasyPrint subsets fonts with HarfBuzz when it finds this library (faster).
        "harfbuzz_subset": ctypes.util.find_library("harfbuzz-subset") is not None,
        "load_average": [r(x, 2) for x in os.getloadavg()],
    }


def show_value(fig: Record) -> str:
    if not fig["available"]:
        return "—"
    if fig["unit"] == "ratio":
        return f"{fig['value']:.2f}x"
    return f"{fig['value']:g} {fig['unit']}"


def show_verdict(fig: Record) -> str:
    if not fig["available"]:
        return "not available"
    if fig["meets"] is None:
        return "information"
    return "meets" if fig["meets"] else "**misses**"


def table(specs: dict[str, Figure], figures: dict[str, Record]) -> str:
    """Return the results as a Markdown table."""
    lines = [
        "| figure | value | target | verdict | detail |",
        "|---|---|---|---|---|",
    ]
    for name, fig in figures.items():
        lines.append(
            f"| `{name}` | {show_value(fig)} | {specs[name].show_target()} | "
            f"{show_verdict(fig)} | {fig['detail']} |"
        )
    return "\n".join(lines)
