"""Compare briefpack's batched ArgosEngine with argostranslate's own translate(), offline.

Both paths use the same random-weight package (built with briefpack.testing.tinyargos, so
no download is needed), the same segments, beam 4 and int8. Each path runs with its own
thread set-up: ArgosEngine with its defaults (one call, sub-batches decoded in parallel, one
core each); argostranslate with its defaults, or `--argos-intra-threads N` cores per call
(it decodes one paragraph per call, so parallel sub-batches cannot help it). By
default the package has the compute shape of a real Argos model (Transformer base: 6+6
layers, width 512, 32 000 output tokens); `--size tiny` uses the 1-layer test model, whose
cost is mostly per-call overhead. The output is garbage but exactly as long as the input,
like a translation, so both paths do the same decoding work.

    .venv/bin/python benchmarks/mt_vs_argos.py [--segments-file FILE] [--json OUT.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BEAM_SIZE = 4
TARGET_RATIO = 5.0


def isolate_argos(home: Path, *, intra_threads: int) -> None:
    """Point argostranslate at `home` and make its sentence splitter work offline.

    Must run before anything imports argostranslate: its settings are read at import.
    """
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / var.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(home / "packages")
    # MiniSBD (the default) and Stanza download models at first use; spaCy works offline
    # with the blank German pipeline the package carries in spacy/.
    os.environ["ARGOS_CHUNK_TYPE"] = "SPACY"
    # With SPACY, argostranslate fetches a multilingual spaCy model at import unless this
    # folder exists; the package's own spacy/ is what it will actually load.
    (home / "xdg_cache_home" / "argos-translate" / "spacy" / "senter" / "model").mkdir(
        parents=True, exist_ok=True
    )
    # Same decoding set-up as ArgosEngine, so only batching and threading differ.
    os.environ["ARGOS_DEVICE_TYPE"] = "cpu"
    os.environ["ARGOS_COMPUTE_TYPE"] = "int8"
    os.environ["ARGOS_INTRA_THREADS"] = str(intra_threads)
    os.environ["ARGOS_BEAM_SIZE"] = str(BEAM_SIZE)


def seed_texts() -> list[str]:
    """Return the German seed texts (seeds/ in the repo, else the shared copy)."""
    for folder in (REPO / "seeds", Path("/work/shared/seeds")):
        files = sorted(folder.glob("*.txt"))
        if files:
            return [f.read_text(encoding="utf-8") for f in files]
    raise SystemExit(f"no seed texts under {REPO / 'seeds'}; pass --segments-file")


def split_segments(texts: list[str]) -> list[str]:
    """Split texts into sentences with briefpack's segmenter, or a simple regex without it."""
    try:
        from briefpack.source.segment import split_paragraphs, split_sentences
    except ImportError:
        pieces = (
            s.strip()
            for text in texts
            for para in re.split(r"\n\s*\n", text)
            for s in re.split(r"(?<=[.!?“])\s+(?=[A-ZÄÖÜ„])", " ".join(para.split()))
        )
        return [p for p in pieces if p]
    return [s for text in texts for p in split_paragraphs(text) for s in split_sentences(p)]


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run `fn`; return its result, wall-clock seconds and process CPU seconds (all threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run `fn` `repeat` times; keep the fastest run (the machine may be shared)."""
    runs = [timed(fn) for _ in range(max(repeat, 1))]
    return min(runs, key=lambda run: run[1])


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and optionally write) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--segments-file",
        type=Path,
        help="UTF-8 file with one German segment per line (default: the seed sentences)",
    )
    parser.add_argument("--limit", type=int, default=0, help="use only the first N segments")
    parser.add_argument(
        "--size",
        choices=["base", "tiny"],
        default="base",
        help="model shape: Transformer base (realistic cost, default) or the tiny test model",
    )
    parser.add_argument(
        "--argos-intra-threads",
        type=int,
        default=0,
        help="CTranslate2 threads per argostranslate call (default 0: argostranslate's own "
        "default, CTranslate2's choice)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="run each path N times and keep the fastest"
    )
    parser.add_argument(
        "--skip-argos",
        action="store_true",
        help="time only the engine and raw CTranslate2 (argostranslate is the slow path)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="briefpack-bench-"))
    isolate_argos(home, intra_threads=args.argos_intra_threads)
    try:
        return run(args, home)
    finally:
        # The base package is ~90 MB, installed once more; leave nothing behind.
        shutil.rmtree(home, ignore_errors=True)


def run(args: argparse.Namespace, home: Path) -> int:
    """Build the package, time both paths, print and write the figures."""

    if args.segments_file:
        lines = args.segments_file.read_text(encoding="utf-8").splitlines()
        segments = [line.strip() for line in lines if line.strip()]
    else:
        segments = split_segments(seed_texts())
    if args.limit:
        segments = segments[: args.limit]
    if not segments:
        raise SystemExit("no segments to translate")

    from briefpack.testing.tinyargos import build_package
    from briefpack.translation.engines.argos import ArgosEngine
    from briefpack.translation.packages import install_from_file

    package_file, build_s, _ = timed(
        lambda: build_package(
            home / "build",
            kind="random",
            texts=seed_texts(),
            name="bench-de_en",
            size=args.size,
            with_spacy=True,
        )
    )
    model = install_from_file(package_file)  # imports argostranslate.translate (torch, …)

    # (a) briefpack: one engine, one batched decode for every segment.
    def run_engine() -> list[str]:
        engine = ArgosEngine(model.path, beam_size=BEAM_SIZE)
        results = engine.translate(segments)
        assert engine.decode_calls == 1
        return [r[0].text for r in results]

    engine_out, engine_s, engine_cpu = best_of(args.repeat, run_engine)

    # (c) raw CTranslate2: what a user of the library writes, with the engine's best set-up
    # (same model, int8, threads, beam, token batches, length limit), tokenised and
    # detokenised with the package's SentencePiece model. The engine's overhead over this
    # is its own work per segment (placeholders, checks, hypotheses).
    import ctranslate2
    import sentencepiece

    from briefpack.translation.engines.argos import (
        LENGTH_PENALTY,
        batch_tokens,
        max_decoding_length,
    )

    def run_raw() -> list[str]:
        sp = sentencepiece.SentencePieceProcessor(
            model_file=str(model.path / "sentencepiece.model")
        )
        workers = os.cpu_count() or 1
        translator = ctranslate2.Translator(
            str(model.path / "model"),
            device="cpu",
            compute_type="int8",
            inter_threads=workers,
            intra_threads=1,
        )
        sources = sp.encode(segments, out_type=str)
        results = translator.translate_batch(
            sources,
            beam_size=BEAM_SIZE,
            max_batch_size=batch_tokens(sum(map(len, sources)), workers),
            batch_type="tokens",
            # The engine's decoding options, so that both searches do the same work (with
            # random weights, the length penalty decides how long the garbage runs).
            return_scores=True,
            length_penalty=LENGTH_PENALTY,
            replace_unknowns=True,
            max_decoding_length=max_decoding_length(max(map(len, sources))),
            max_input_length=0,
        )
        return [sp.decode(r.hypotheses[0]) for r in results]

    raw_out, raw_s, raw_cpu = best_of(args.repeat, run_raw)

    # (b) argostranslate's own API, one call per segment as its users write it.
    argos_out: list[str] = []
    argos_s = argos_cpu = float("nan")
    if not args.skip_argos:
        from argostranslate import translate as argos_translate

        def run_argos() -> list[str]:
            translation = argos_translate.get_translation_from_codes("de", "en")
            return [translation.translate(segment) for segment in segments]

        argos_out, argos_s, argos_cpu = best_of(args.repeat, run_argos)

    n = len(segments)
    same = sum(a == b for a, b in zip(engine_out, argos_out, strict=False))
    figures = {
        "segments": n,
        "mean_segment_chars": round(statistics.mean(len(s) for s in segments), 1),
        "model_size": args.size,
        "beam_size": BEAM_SIZE,
        "cpus": os.cpu_count(),
        "argostranslate_intra_threads": args.argos_intra_threads,
        "package_build_seconds": round(build_s, 3),
        "briefpack_seconds": round(engine_s, 3),
        "argostranslate_seconds": round(argos_s, 3),
        "briefpack_segments_per_second": round(n / engine_s, 2),
        "argostranslate_segments_per_second": round(n / argos_s, 2),
        "briefpack_cpu_seconds": round(engine_cpu, 3),
        "argostranslate_cpu_seconds": round(argos_cpu, 3),
        "speedup": round(argos_s / engine_s, 2),
        "cpu_speedup": round(argos_cpu / engine_cpu, 2),
        "target_speedup": TARGET_RATIO,
        "raw_ctranslate2_seconds": round(raw_s, 3),
        "raw_ctranslate2_cpu_seconds": round(raw_cpu, 3),
        # The engine's time over raw translate_batch's (target <= 1.1).
        "engine_vs_raw": round(engine_s / raw_s, 3),
        "engine_vs_raw_cpu": round(engine_cpu / raw_cpu, 3),
        "identical_to_raw": sum(a == b for a, b in zip(engine_out, raw_out, strict=True)),
        "identical_outputs": same,
        # Context for the figures: a busy machine slows both paths, unevenly.
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    print(
        f"segments:        {n} (mean {figures['mean_segment_chars']} chars), beam {BEAM_SIZE}, "
        f"{args.size} model, argostranslate threads {args.argos_intra_threads}"
    )
    print(
        f"briefpack:       {engine_s:8.2f} s  {figures['briefpack_segments_per_second']:8.2f} seg/s"
        f"  CPU {engine_cpu:7.2f} s  (ArgosEngine, one batched decode)"
    )
    print(
        f"argostranslate:  {argos_s:8.2f} s  "
        f"{figures['argostranslate_segments_per_second']:8.2f} seg/s"
        f"  CPU {argos_cpu:7.2f} s  (translate() per segment)"
    )
    print(
        f"raw CTranslate2: {raw_s:8.2f} s  CPU {raw_cpu:7.2f} s  "
        f"(engine takes {figures['engine_vs_raw']:.2f}x the time of translate_batch alone)"
    )
    verdict = "meets" if figures["speedup"] >= TARGET_RATIO else "MISSES"
    print(
        f"speed-up:        {figures['speedup']:.1f}x wall, {figures['cpu_speedup']:.1f}x CPU "
        f"({verdict} the {TARGET_RATIO:.0f}x target)"
    )
    print(f"identical output: {same}/{n} segments (same model and beam; splitting may differ)")
    print(f"load average:    {figures['load_average_1min']} on {os.cpu_count()} CPUs")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
