"""Time the project memory at scale: a 100,000-unit TMX import, its index, 500 look-ups.

The memory is synthetic, made from the demo's reviewed sentences and the seeds' sentences:
each unit is one of them with one word replaced by a word from elsewhere in the corpus and
a year-like number (so every German is distinct, and most sentences have near neighbours,
as in a real organisation's memory). The 500 look-ups are the demo's reviewed sentences and
seed sentences with one word changed. Side by side, the same 500 look-ups run against the
demo's own memory (its translations/ only), interleaved, `--runs` times each.

    .venv/bin/python benchmarks/memory_lookup.py --project DIR [--units N] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from briefpack.source.load import load_content  # noqa: E402
from briefpack.translation.exchange.project import import_tmx  # noqa: E402
from briefpack.translation.exchange.tm.leverage import Leverage  # noqa: E402
from briefpack.translation.exchange.tmx import TmxUnit, write_tmx  # noqa: E402
from briefpack.util.paths import Project  # noqa: E402

SEGMENTS = 500
SEED = 20261207


def corpus(root: Path) -> list[tuple[str, str]]:
    """Return (German, English) pairs: reviewed entries, then seed sentences (English = German)."""
    content = load_content(Project(root))
    pairs = [(e.de, e.en) for _, e in content.memory.all_entries() if e.status == "reviewed"]
    for path in sorted((root / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            words = sentence.split()
            if 6 <= len(words) <= 40:
                pairs.append((" ".join(words), " ".join(words)))
    return pairs


def vary(sentence: str, rng: random.Random, vocabulary: list[str], n: int) -> str:
    """Return the sentence with one word replaced and a number added (distinct per n)."""
    words = sentence.split()
    at = rng.randrange(len(words))
    words[at] = rng.choice(vocabulary)
    return f"{' '.join(words)} ({1000 + n})"


def synthetic_tmx(
    pairs: list[tuple[str, str]], vocabulary: list[str], rng: random.Random, n: int
) -> bytes:
    """Return a TMX of `n` units, each a corpus pair with its German varied (see the top)."""
    units = [
        TmxUnit(vary(de, rng, vocabulary, i), en, "reviewed", "synthetic.tmx", "2026-01-01")
        for i, (de, en) in ((i, pairs[i % len(pairs)]) for i in range(n))
    ]
    return write_tmx(units)


def write_synthetic_tmx(root: Path, n: int, out: Path) -> None:
    """Write the synthetic TMX of `n` units made from the project at `root` to `out`."""
    pairs = corpus(root)
    vocabulary = sorted({w for de, _ in pairs for w in de.split() if w.isalpha()})
    out.write_bytes(synthetic_tmx(pairs, vocabulary, random.Random(SEED), n))


def lookup_child(root: Path, queries_file: Path) -> int:
    """In a fresh process: open the cached index, look the queries up, print peak RSS (MB)."""
    queries = json.loads(queries_file.read_text(encoding="utf-8"))
    start = time.perf_counter()
    leverage = Leverage(load_content(Project(root)))
    found = [leverage.best(q) for q in queries]
    elapsed = time.perf_counter() - start
    # VmHWM, not ru_maxrss: the latter carries the parent's peak across fork and exec.
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    found_hwm = re.search(r"VmHWM:\s+(\d+) kB", status)
    rss = int(found_hwm.group(1)) / 1024 if found_hwm else float("nan")
    print(json.dumps({"s": elapsed, "rss_mb": rss, "hits": sum(1 for m in found if m)}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--lookup-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.lookup_child:
        return lookup_child(args.project, args.lookup_child)
    rng = random.Random(SEED)
    big = args.project
    small = big.with_name(big.name + "-small")
    shutil.copytree(big, small)
    pairs = corpus(big)
    vocabulary = sorted({w for de, _ in pairs for w in de.split() if w.isalpha()})
    tmx = big.parent / "synthetic.tmx"
    tmx.write_bytes(synthetic_tmx(pairs, vocabulary, rng, args.units))
    queries = [
        vary(pairs[n % len(pairs)][0], rng, vocabulary, n)[: -len(f" ({1000 + n})")]
        for n in range(SEGMENTS)
    ]

    start = time.perf_counter()
    report = import_tmx(Project(big), tmx, landing=None)
    import_s = time.perf_counter() - start
    assert len(report.remembered) >= args.units * 0.99, len(report.remembered)

    def indexed(root: Path) -> tuple[Leverage, float]:
        start = time.perf_counter()
        leverage = Leverage(load_content(Project(root)))
        size = len(leverage.index)
        return leverage, (time.perf_counter() - start) if size else 0.0

    big_lev, index_s = indexed(big)
    _, cached_s = indexed(big)  # a second process would find the index in the cache
    small_lev, _ = indexed(small)
    big_runs: list[float] = []
    small_runs: list[float] = []
    hits = 0
    for _ in range(args.runs):
        for leverage, runs in ((big_lev, big_runs), (small_lev, small_runs)):
            start = time.perf_counter()
            found = [leverage.best(q) for q in queries]
            runs.append(time.perf_counter() - start)
            if leverage is big_lev:
                hits = sum(1 for m in found if m is not None)
    big_s, small_s = statistics.median(big_runs), statistics.median(small_runs)
    # Bounded memory: a fresh process that only looks up (the index cached on disk).
    queries_file = big.parent / "queries.json"
    queries_file.write_text(json.dumps(queries), encoding="utf-8")
    child = subprocess.run(
        [sys.executable, __file__, "--project", str(big), "--lookup-child", str(queries_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    fresh = json.loads(child.stdout)
    result: dict[str, Any] = {
        "units": len(big_lev.index),
        "demo_units": len(small_lev.index),
        "segments": SEGMENTS,
        "import_s": round(import_s, 3),
        "index_s": round(index_s, 3),
        "cached_index_open_s": round(cached_s, 4),
        "lookups_s": round(big_s, 3),
        "demo_lookups_s": round(small_s, 3),
        "ratio": round(big_s / small_s, 3),
        "matches_75": hits,
        "fresh_process_lookups_s": round(fresh["s"], 3),  # with loading the project
        "fresh_process_peak_rss_mb": round(fresh["rss_mb"], 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "tmx_mb": round(tmx.stat().st_size / 1e6, 1),
        "runs_s": {"memory": [round(x, 3) for x in big_runs], "demo": small_runs},
    }
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
