"""Figures of machine translation: the engine vs raw CTranslate2, and vs argostranslate."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from typing import Any

from harness.child import REPO, log, run_child
from harness.project import Bench
from harness.verdict import NotAvailable, Record, median, r

MT_SEGMENTS, QUICK_MT_SEGMENTS = 120, 12


def mt_results(b: Bench) -> list[dict[str, Any]]:
    """Run benchmarks/mt_vs_argos.py `b.mt_runs` times (fresh processes); return its figures.

    The script compares with argostranslate, which is a dev dependency only (briefpack keeps
    its package folders without it): without it, neither figure can be measured.
    """
    if b.mt is not None:
        return b.mt
    if importlib.util.find_spec("argostranslate") is None:
        raise NotAvailable("argostranslate (the dev extra) is not installed")
    limit = QUICK_MT_SEGMENTS if b.quick else MT_SEGMENTS
    size = "tiny" if b.quick else "base"
    script = REPO / "benchmarks" / "mt_vs_argos.py"
    # The script leaves its package and argostranslate folders in a temporary folder of
    # its own: put those under ours, so that they go when we do.
    scratch = b.home / "mt-tmp"
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(scratch)}
    results = []
    for i in range(b.mt_runs):
        out = b.home / f"mt-{i}.json"
        args = [sys.executable, str(script), "--size", size, "--limit", str(limit)]
        # Best of two per path: the first decode in a process also pays for reading the
        # model and warming CTranslate2's thread pool, which would count against the path
        # that happens to run first.
        args += ["--repeat", "1" if b.quick else "2"]
        run_child([*args, "--json", str(out)], cwd=b.home, env=env).check()
        results.append(json.loads(out.read_text("utf-8")))
        log(
            f"mt {i + 1}/{b.mt_runs}: {results[-1]['speedup']}x argostranslate, "
            f"{results[-1]['engine_vs_raw']}x raw CTranslate2"
        )
    b.mt = results
    return results


def engine_vs_ct2(b: Bench) -> Record:
    """ArgosEngine vs raw translate_batch on the same segments, model and beam."""
    results = mt_results(b)
    last = results[-1]
    engine_s = median([x["briefpack_seconds"] for x in results])
    raw_s = median([x["raw_ctranslate2_seconds"] for x in results])
    return {
        "value": median([x["engine_vs_raw"] for x in results]),
        "cpu_ratio": r(median([x["engine_vs_raw_cpu"] for x in results])),
        "engine_s": r(engine_s),
        "raw_s": r(raw_s),
        "model_size": last["model_size"],
        "segments": last["segments"],
        "runs": [x["engine_vs_raw"] for x in results],
        "detail": f"engine {engine_s:.2f} s vs translate_batch {raw_s:.2f} s "
        f"({last['segments']} segments, {last['model_size']} model, beam {last['beam_size']}; "
        f"model load and SentencePiece included in both)",
    }


def mt_vs_argos(b: Bench) -> Record:
    """ArgosEngine vs argostranslate's translate(), same package, segments and beam.

    Information only: the engine decodes at raw CTranslate2's speed (`engine_vs_ct2`), so
    this ratio measures argostranslate's overheads, not briefpack.
    """
    results = mt_results(b)
    keys = ("briefpack_segments_per_second", "argostranslate_segments_per_second", "cpu_speedup")
    summary = {k: r(median([x[k] for x in results]), 2) for k in keys}
    last = results[-1]
    return {
        "value": median([x["speedup"] for x in results]),
        **summary,
        "segments": last["segments"],
        "model_size": last.get("model_size"),
        "beam_size": last.get("beam_size"),
        # Everything else the script reports (threads, CPU seconds, …), from the last run.
        "script": {k: v for k, v in last.items() if k not in summary},
        "runs": [r(x["speedup"], 2) for x in results],
        "detail": f"{summary['briefpack_segments_per_second']} vs "
        f"{summary['argostranslate_segments_per_second']} segments/s "
        f"({last['segments']} segments, {last.get('model_size')} model, "
        f"beam {last.get('beam_size')}; CPU {summary['cpu_speedup']}x)",
    }
