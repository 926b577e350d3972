"""Figures of the project memory: look-ups in a 100,000-unit memory (memory_lookup.py) and
the peak RSS of importing a 100,000-unit TMX."""

from __future__ import annotations

import json
import sys

from harness.child import REPO, briefpack_cmd, run_child
from harness.project import Bench
from harness.verdict import Record, r

MEMORY_UNITS, QUICK_MEMORY_UNITS = 100_000, 5_000


def memory_lookup(b: Bench) -> Record:
    """500 memory look-ups in a 100,000-unit memory vs in the demo's, in a fresh process."""
    root = b.project("memory")
    out = b.home / "memory.json"
    units = QUICK_MEMORY_UNITS if b.quick else MEMORY_UNITS
    script = str(REPO / "benchmarks" / "memory_lookup.py")
    args = ["--project", str(root), "--units", str(units), "--runs", str(b.runs)]
    run = run_child([sys.executable, script, *args, "--json", str(out)], cwd=b.home).check()
    data = json.loads(out.read_text(encoding="utf-8"))
    return {
        **data,
        "value": data["lookups_s"],
        "unit": "s",
        "child_peak_rss_mb": r(run.maxrss_mb, 1),
        "detail": f"{data['segments']} look-ups: {data['lookups_s']} s in {data['units']:,} "
        f"units vs {data['demo_lookups_s']} s in the demo's {data['demo_units']}; import "
        f"{data['import_s']} s, index {data['index_s']} s, peak RSS {run.maxrss_mb:.0f} MB "
        f"(a look-up process alone: {data['fresh_process_peak_rss_mb']:.0f} MB)",
    }


def tmx_import_rss(b: Bench) -> Record:
    """Peak RSS of `tm import` of a 100,000-unit TMX (memory_lookup's synthetic memory)."""
    import memory_lookup

    root = b.project("tmx-import")
    units = QUICK_MEMORY_UNITS if b.quick else MEMORY_UNITS
    tmx = b.home / "import.tmx"
    memory_lookup.write_synthetic_tmx(root, units, tmx)
    run = run_child(briefpack_cmd("tm", "import", str(tmx)), cwd=root).check()
    kept = f"kept {units} unit(s) no briefing uses" in run.stdout
    return {
        "value": r(run.maxrss_mb, 1),
        "unit": "MB",
        "holds": kept,  # every unit imported, else the figure fails whatever its size
        "wall_s": r(run.wall),
        "cpu_s": r(run.cpu),
        "detail": f"{units:,} units ({tmx.stat().st_size / 1e6:.0f} MB of TMX): peak RSS "
        f"{run.maxrss_mb:.0f} MB, {run.wall:.1f} s (CPU {run.cpu:.1f} s)"
        + ("" if kept else "; NOT every unit was kept"),
    }
