"""Figures of pack size: peak RSS and seconds per page of a large pack vs a small one."""

from __future__ import annotations

import shutil
from typing import Any

from harness.child import briefpack_cmd, log, run_child
from harness.project import Bench, report_of, reset, scale_project
from harness.verdict import Record, median, r


def rss_per_page(b: Bench) -> Record:
    """Peak RSS per page (and seconds per page) of a large pack vs a small one, cold."""
    rows: dict[str, dict[str, Any]] = {}
    for sources in b.rss_sizes:
        root, _ = scale_project(b, sources)
        runs = []
        for _ in range(1 if sources >= 200 else b.runs):
            reset(root)
            runs.append(run_child(briefpack_cmd("build", "--report", "r.json"), cwd=root).check())
        pages = int(report_of(root / "r.json")["packs"][0]["pages"])
        peak = max(x.maxrss_mb for x in runs)
        wall = median([x.wall for x in runs])
        rows[str(sources)] = {
            "pages": pages,
            "build_s": r(wall),
            "s_per_page": r(wall / pages, 4),
            "cpu_s_per_page": r(median([x.cpu for x in runs]) / pages, 4),
            "peak_rss_mb": r(peak, 1),
            "rss_mb_per_page": r(peak / pages, 3),
            "runs_s": [r(x.wall) for x in runs],
        }
        log(f"rss {sources}: {pages} pages, {wall:.1f} s, {peak:.0f} MB")
        shutil.rmtree(root, ignore_errors=True)
    small, large = rows[str(min(b.rss_sizes))], rows[str(max(b.rss_sizes))]
    return {
        "value": large["rss_mb_per_page"] / small["rss_mb_per_page"],
        "sizes": rows,
        "s_per_page_ratio": r(large["s_per_page"] / small["s_per_page"]),
        "detail": ", ".join(
            f"{k} sources: {v['pages']} p, {v['peak_rss_mb']:.0f} MB "
            f"({v['rss_mb_per_page']:.2f} MB/p), {v['build_s']:.0f} s ({v['s_per_page']:.3f} s/p)"
            for k, v in rows.items()
        ),
    }
