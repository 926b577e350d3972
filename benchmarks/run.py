"""briefpack's benchmark harness: every figure of the performance targets, with its verdict.

    ./dev bench [--runs N] [--quick] [--json FILE] [--only NAME[,NAME…]]
                [--mt-runs N] [--rss-sizes 50,500] [--workdir DIR] [--keep]

Each figure is a ratio (or a count) measured side by side in one run (interleaved, fresh
processes); `benchmarks/figures/__init__.py` lists them with their targets, and
docs/performance.md says what each measures. Every timed figure is the median of `--runs`
runs (default 3; 7 for the sub-second ones). Wall times are what a user waits; CPU times
(user + system of the child) are recorded beside them because on a shared machine they move
less. Everything happens in a temporary copy of the demo project, with argostranslate's
folders (XDG_*, ARGOS_PACKAGES_DIR) pointed at temporary folders before anything can import
it: the repository and the user's models are never touched. `--quick` (the smoke test) does
one run with small packs and the tiny model.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import BY_NAME
from harness.child import briefpack_cmd, isolate, log
from harness.project import Bench
from harness.report import machine, show_value, table
from harness.verdict import NotAvailable, Record, r

FIGURES = tuple(BY_NAME)
RSS_SIZES, QUICK_RSS_SIZES = (50, 500), (2, 4)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 3)")
    parser.add_argument(
        "--mt-runs", type=int, default=1, help="runs of the (slow, base-size) MT script"
    )
    parser.add_argument(
        "--quick", action="store_true", help="one run, small packs, tiny model (the smoke test)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument(
        "--only", default="", help=f"comma-separated subset of: {', '.join(FIGURES)}"
    )
    parser.add_argument(
        "--rss-sizes",
        default="",
        help="comma-separated pack sizes for `rss_per_page` (default 50,500; quick 2,4)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--workdir", type=Path, help="make the temporary folder here (default: the system's)"
    )
    args = parser.parse_args(argv)
    args.only = [x.strip() for x in args.only.split(",") if x.strip()] or list(FIGURES)
    unknown = sorted(set(args.only) - set(FIGURES))
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(unknown)}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the figures; print the table; write JSON if asked."""
    args = parse(argv)
    runs = args.runs or (1 if args.quick else 3)
    sizes = tuple(int(x) for x in args.rss_sizes.split(",") if x.strip()) or (
        QUICK_RSS_SIZES if args.quick else RSS_SIZES
    )
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    # Not "briefpack-bench-": mt_vs_argos.py's folders use that prefix, and whoever tidies
    # those up must not pull the floor from under a running harness.
    home = Path(tempfile.mkdtemp(prefix="briefpack-harness-", dir=args.workdir))
    isolate(home)  # before anything imports argostranslate, here or in a child
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    load_before = [r(x, 2) for x in os.getloadavg()]
    log(f"working in {home}; {runs} run(s) per figure; load average {load_before}")
    mt_runs = 1 if args.quick else args.mt_runs
    bench = Bench(home, runs, args.quick, mt_runs=mt_runs, rss_sizes=sizes)
    figures: dict[str, Record] = {}
    try:
        for name in [n for n in FIGURES if n in args.only]:
            spec = BY_NAME[name]
            log(f"{name} …")
            start = time.perf_counter()
            try:
                figures[name] = spec.record(spec.measure(bench))
            except NotAvailable as why:
                figures[name] = spec.unavailable(str(why))
            figures[name]["load_average_after"] = r(os.getloadavg()[0], 2)
            log(f"{name}: {show_value(figures[name])} ({time.perf_counter() - start:.0f} s)")
    finally:
        if args.keep:
            log(f"kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)
    info = machine()
    info["load_average_before"] = load_before
    print(
        f"briefpack benchmarks, {started}: {info['cpus']} CPUs, Python {info['python']}, "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items())
        + f"; median of {runs} run(s); load average {load_before} before, "
        f"{info['load_average']} after"
    )
    print(table(BY_NAME, figures))
    if args.json:
        config = {
            "runs": runs,
            "mt_runs": mt_runs,
            "quick": args.quick,
            "started": started,
            "rss_sizes": list(sizes),
            "command": briefpack_cmd(),
        }
        body = {**figures, "machine": info, "config": config}
        args.json.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
