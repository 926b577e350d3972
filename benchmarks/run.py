"""briefpack's benchmark harness: six figures, each measured against what a user would run.

    ./dev bench [--runs N] [--quick] [--json FILE] [--only NAME[,NAME…]]
                [--scale-sizes 10,50,100] [--workdir DIR] [--keep]

1. cold_vs_weasyprint  cold `briefpack build --force` of the demo pack (fresh process, no
                       caches) ÷ a bare WeasyPrint render of the identical HTML (fresh
                       process, same pdf_variant). Target ≤ 1.2.
2. noop_s              `briefpack build` with nothing to do (fresh process). Target ≤ 0.3 s.
3. incremental         after editing one German sentence of one briefing: segments
                       translated (must be 1, with a tiny copy model) and packs re-rendered
                       (only the one containing it; a second pack does not).
4. mt_vs_argos         briefpack's batched engine ÷ argostranslate's translate(), in
                       segments/s, same tiny package, segments and beam (benchmarks/
                       mt_vs_argos.py). Target ≥ 5.
5. scale               synthetic packs of 10, 50 and 100 sources copied from the demo:
                       seconds per page and the build process's peak RSS. Target: per-page
                       cost at 100 ≤ 1.3 × at 10, peak RSS < 1.5 GB.
6. help_s              `briefpack --help`. Target ≤ 0.25 s.

Every figure is the median of `--runs` runs (default 3), each in a fresh process. Wall
times are what a user waits; CPU times (user + system of the child) are recorded beside
them (in the JSON, and in the table for the short figures) because on a shared machine
they move less. Everything happens in a temporary copy of the
demo project, with argostranslate's folders (XDG_*, ARGOS_PACKAGES_DIR) pointed at temporary
folders before anything can import it: the repository and the user's models are never
touched. `--quick` (the smoke test) does one run with small packs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("briefings", "seeds", "templates", "translations", "glossary.yaml")
FIGURES = ("cold_vs_weasyprint", "noop_s", "incremental", "mt_vs_argos", "scale", "help_s")
TARGETS = {
    "cold_vs_weasyprint": 1.2,
    "noop_s": 0.3,
    "mt_vs_argos": 5.0,
    "scale": 1.3,
    "scale_rss_mb": 1.5 * 1024,
    "help_s": 0.25,
}
SCALE_SIZES, QUICK_SCALE_SIZES = (10, 50, 100), (1, 2)
MT_SEGMENTS, QUICK_MT_SEGMENTS = 120, 12
CHILD_TIMEOUT = 1800.0

# A bare WeasyPrint render of an HTML file, as a user of WeasyPrint alone would run it.
WEASYPRINT = """
import sys, weasyprint
html, base_url, target, variant = sys.argv[1:5]
options = {"pdf_variant": variant} if variant != "-" else {}
weasyprint.HTML(filename=html, base_url=base_url).write_pdf(target, **options)
"""


def log(message: str) -> None:
    """Print progress to stderr (the table goes to stdout)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def isolate(home: Path) -> None:
    """Point argostranslate (here and in every child) at temporary folders.

    argostranslate reads these variables once, at import, and creates folders under them.
    """
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / "argos" / var.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(home / "argos" / "packages")


# --- running children ------------------------------------------------------------------------


@dataclass
class ChildRun:
    """One finished child process: how long it took, what it used, what it said."""

    args: list[str]
    wall: float
    cpu: float
    maxrss_mb: float
    code: int
    stdout: str
    stderr: str

    def check(self) -> ChildRun:
        """Raise with the child's output if it failed."""
        if self.code != 0:
            raise RuntimeError(
                f"{' '.join(self.args)} exited {self.code}\n{self.stdout}\n{self.stderr}"
            )
        return self


# Runs one command and reports its wall time, CPU time and peak RSS. Linux carries a
# process's peak RSS across exec, and a child forked (or vforked) from the harness starts
# with the harness's own peak (a few hundred MB once it has imported briefpack): so the
# command is started from this small launcher, whose peak is ~10 MB, and measured there.
LAUNCHER = """
import json, os, sys, time
report, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(cmd[0], cmd, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(report, "w") as fh:
    json.dump({"wall": wall, "code": os.waitstatus_to_exitcode(status),
               "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}, fh)
"""


def run_child(
    args: Sequence[str],
    *,
    cwd: Path,
    timeout: float = CHILD_TIMEOUT,
    env: dict[str, str] | None = None,
) -> ChildRun:
    """Run `args` in `cwd`; return its wall time, own CPU time and peak RSS."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as tmp,
    ):
        report = Path(tmp) / "run.json"
        launcher = [sys.executable, "-c", LAUNCHER, str(report), *args]
        proc = subprocess.Popen(
            launcher, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True
        )
        killer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
        killer.start()
        try:
            proc.wait()
        finally:
            killer.cancel()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        if proc.returncode != 0 or not report.is_file():
            return ChildRun(list(args), 0.0, 0.0, 0.0, proc.returncode or -1, stdout, stderr)
        data = json.loads(report.read_text("utf-8"))
        return ChildRun(
            list(args),
            data["wall"],
            data["cpu"],
            data["maxrss_kb"] / 1024,  # KiB on Linux
            data["code"],
            stdout,
            stderr,
        )


def briefpack_cmd(*args: str) -> list[str]:
    """Return the command line of the installed `briefpack` script (what users run)."""
    script = Path(sys.executable).with_name("briefpack")
    if script.is_file():
        return [str(script), *args]
    return [sys.executable, "-m", "briefpack", *args]


def median(values: Sequence[float]) -> float:
    """Return the median (of at least one value)."""
    return float(statistics.median(values))


def r(value: float, digits: int = 3) -> float:
    """Round for the JSON file."""
    return round(value, digits)


# --- projects --------------------------------------------------------------------------------


def copy_project(dest: Path) -> Path:
    """Copy the demo project's inputs (never out/ or caches) into `dest`."""
    dest.mkdir(parents=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest


def demo_pack(root: Path) -> str:
    """Return the name of the demo pack (the first pack file)."""
    packs = sorted((root / "briefings" / "packs").glob("*.yaml"))
    if not packs:
        raise SystemExit(f"no pack under {root / 'briefings' / 'packs'}")
    return packs[0].stem


def pack_briefings(root: Path, pack: str) -> list[str]:
    """Return the briefing ids a pack lists, in order."""
    import yaml

    data = yaml.safe_load((root / "briefings" / "packs" / f"{pack}.yaml").read_text("utf-8"))
    return [str(b) for b in data["briefings"]]


def write_pack(root: Path, template: str, name: str, briefings: Sequence[str]) -> None:
    """Write pack `name`: the framing of pack `template` with another list of briefings.

    The pack's own German texts stay the same, so their translations are reused.
    """
    packs = root / "briefings" / "packs"
    text = (packs / f"{template}.yaml").read_text("utf-8")
    head = re.split(r"(?m)^briefings:", text, maxsplit=1)[0]
    body = "".join(f"  - {b}\n" for b in briefings)
    (packs / f"{name}.yaml").write_text(f"{head}briefings:\n{body}", encoding="utf-8")


def reset(root: Path) -> None:
    """Remove everything a build leaves behind: PDFs, manifest, caches."""
    for name in ("out", ".briefpack-cache"):
        shutil.rmtree(root / name, ignore_errors=True)


def write_html(root: Path, pack: str, dest: Path) -> Path:
    """Write the HTML briefpack renders for `pack` (this fills the project's caches)."""
    from briefpack.build import render_pack_html
    from briefpack.paths import Project

    dest.write_text(render_pack_html(Project(root), pack), encoding="utf-8")
    return dest


def default_variant() -> str | None:
    """Return the WeasyPrint pdf_variant `briefpack build` uses by default."""
    from briefpack.output.variants import DEFAULT_PDF_VARIANT, PDF_VARIANTS

    return PDF_VARIANTS[DEFAULT_PDF_VARIANT].weasyprint


def weasyprint_cmd(html: Path, templates: Path, target: Path, variant: str | None) -> list[str]:
    """Return the command line of a bare WeasyPrint render."""
    base_url = templates.resolve().as_uri() + "/"
    return [sys.executable, "-c", WEASYPRINT, str(html), base_url, str(target), variant or "-"]


def report_of(path: Path) -> dict[str, Any]:
    """Read a `--report` file."""
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


# --- the figures -----------------------------------------------------------------------------


@dataclass
class Bench:
    """What every figure needs: where to work, how often to run."""

    home: Path
    runs: int
    quick: bool
    demo: Path = field(init=False)  # a pristine copy of the demo project
    pack: str = field(init=False)

    def __post_init__(self) -> None:
        self.demo = copy_project(self.home / "demo")
        self.pack = demo_pack(self.demo)

    built: Path | None = field(init=False, default=None)  # a demo copy with out/ up to date

    def project(self, name: str) -> Path:
        """Return a fresh copy of the demo project."""
        return copy_project(self.home / name)

    def built_project(self, name: str) -> Path:
        """Return a copy of the demo project whose packs are built (and caches filled)."""
        if self.built is None:
            self.built = self.project("built")
            run_child(briefpack_cmd("build"), cwd=self.built).check()
        dest = self.home / name
        shutil.copytree(self.built, dest)
        return dest


def fig_cold_vs_weasyprint(b: Bench) -> dict[str, Any]:
    """Cold `briefpack build --force` vs bare WeasyPrint on the same HTML, interleaved."""
    root = b.project("cold")
    html = write_html(root, b.pack, b.home / "cold.html")
    variant = default_variant()
    ours: list[ChildRun] = []
    theirs: list[ChildRun] = []
    warm: list[ChildRun] = []
    for i in range(b.runs):
        reset(root)
        run = run_child(briefpack_cmd("build", "--force", "--report", "r.json"), cwd=root)
        ours.append(run.check())
        theirs.append(
            run_child(
                weasyprint_cmd(html, root / "templates", b.home / "bare.pdf", variant), cwd=root
            ).check()
        )
        log(
            f"cold {i + 1}/{b.runs}: briefpack {run.wall:.2f} s, WeasyPrint {theirs[-1].wall:.2f} s"
        )
    # The same with the content caches warm (an analyst's rebuild after changing templates).
    for _ in range(0 if b.quick else b.runs):
        warm.append(run_child(briefpack_cmd("build", "--force"), cwd=root).check())
    b.built = root
    warm_s = median([w.wall for w in warm]) if warm else None
    pages = report_of(root / "r.json")["packs"][0]["pages"]
    ratio = median([a.wall for a in ours]) / median([w.wall for w in theirs])
    return {
        "value": r(ratio),
        "target": TARGETS["cold_vs_weasyprint"],
        "meets": ratio <= TARGETS["cold_vs_weasyprint"],
        "unit": "ratio",
        "pages": pages,
        "pdf_variant": variant,
        "briefpack_s": r(median([a.wall for a in ours])),
        "weasyprint_s": r(median([w.wall for w in theirs])),
        "briefpack_cpu_s": r(median([a.cpu for a in ours])),
        "weasyprint_cpu_s": r(median([w.cpu for w in theirs])),
        "cpu_ratio": r(median([a.cpu for a in ours]) / median([w.cpu for w in theirs])),
        "warm_cache_s": None if warm_s is None else r(warm_s),
        "warm_cache_ratio": None
        if warm_s is None
        else r(warm_s / median([w.wall for w in theirs])),
        "briefpack_peak_rss_mb": r(max(a.maxrss_mb for a in ours), 1),
        "weasyprint_peak_rss_mb": r(max(w.maxrss_mb for w in theirs), 1),
        "runs_s": {
            "briefpack": [r(a.wall) for a in ours],
            "weasyprint": [r(w.wall) for w in theirs],
        },
        "detail": f"briefpack {median([a.wall for a in ours]):.2f} s vs WeasyPrint "
        f"{median([w.wall for w in theirs]):.2f} s ({pages} pages, {variant})",
    }


def fig_noop(b: Bench) -> dict[str, Any]:
    """`briefpack build` when every pack is up to date."""
    root = b.built_project("noop")
    run_child(briefpack_cmd("build"), cwd=root).check()  # one no-op first, like any rebuild
    runs = []
    for _ in range(b.runs):
        run = run_child(briefpack_cmd("build"), cwd=root).check()
        if "built " in run.stdout or "up to date" not in run.stdout:
            raise RuntimeError(f"not a no-op build:\n{run.stdout}\n{run.stderr}")
        runs.append(run)
    wall = median([x.wall for x in runs])
    return {
        "value": r(wall),
        "target": TARGETS["noop_s"],
        "meets": wall <= TARGETS["noop_s"],
        "unit": "s",
        "cpu_s": r(median([x.cpu for x in runs])),
        "runs_s": [r(x.wall) for x in runs],
        "detail": f"CPU {median([x.cpu for x in runs]):.2f} s",
    }


def fig_incremental(b: Bench) -> dict[str, Any]:
    """Edit one German sentence: how many segments are translated, which packs re-render."""
    import yaml

    from briefpack.testing.tinyargos import build_package

    root = b.built_project("incremental")
    briefings = pack_briefings(root, b.pack)
    changed, other = briefings[-1], briefings[0]
    write_pack(root, b.pack, "ohne-" + changed, [other])

    seeds = [p.read_text("utf-8") for p in sorted((root / "seeds").glob("*.txt"))]
    package = build_package(b.home / "model", kind="copy", texts=seeds)
    run_child(briefpack_cmd("models", "install", "--file", str(package)), cwd=root).check()
    run_child(briefpack_cmd("build"), cwd=root).check()

    path = root / "briefings" / f"{changed}.yaml"
    runs: list[dict[str, Any]] = []
    for i in range(b.runs):
        data = yaml.safe_load(path.read_text("utf-8"))
        # One key point is one sentence: rewording it makes exactly one new segment.
        data["key_points"][0] = data["key_points"][0].rstrip(".") + f", so Lesart {i + 1}."
        path.write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000),
            encoding="utf-8",
        )
        run = run_child(briefpack_cmd("build", "--report", "r.json"), cwd=root).check()
        rep = report_of(root / "r.json")
        built = sorted(p["name"] for p in rep["packs"] if p["status"] == "built")
        runs.append(
            {
                "wall_s": r(run.wall),
                "cpu_s": r(run.cpu),
                "translated": rep["translated"],
                "built": built,
                "skipped": sorted(p["name"] for p in rep["packs"] if p["status"] == "skipped"),
            }
        )
        log(f"incremental {i + 1}/{b.runs}: {run.wall:.2f} s, {rep['translated']} translated")
    translated = max(x["translated"] for x in runs)
    rebuilt = max(len(x["built"]) for x in runs)
    ok = all(x["translated"] == 1 and x["built"] == [b.pack] for x in runs)
    return {
        "value": translated,
        "target": 1,
        "meets": ok,
        "unit": "segments",
        "packs_rebuilt": rebuilt,
        "packs_total": len(runs[-1]["built"]) + len(runs[-1]["skipped"]),
        "wall_s": r(median([x["wall_s"] for x in runs])),
        "cpu_s": r(median([x["cpu_s"] for x in runs])),
        "runs": runs,
        "detail": f"{translated} segment(s) translated, {rebuilt} of "
        f"{len(runs[-1]['built']) + len(runs[-1]['skipped'])} packs re-rendered, "
        f"{median([x['wall_s'] for x in runs]):.1f} s",
    }


def fig_mt_vs_argos(b: Bench) -> dict[str, Any]:
    """benchmarks/mt_vs_argos.py on the tiny random package, once per run (fresh process)."""
    limit = QUICK_MT_SEGMENTS if b.quick else MT_SEGMENTS
    script = Path(__file__).with_name("mt_vs_argos.py")
    # The script leaves its package and argostranslate folders in a temporary folder of
    # its own: put those under ours, so that they go when we do.
    scratch = b.home / "mt-tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    results = []
    for i in range(b.runs):
        out = b.home / f"mt-{i}.json"
        args = [sys.executable, str(script), "--size", "tiny", "--limit", str(limit)]
        run_child([*args, "--json", str(out)], cwd=b.home, env=env).check()
        results.append(json.loads(out.read_text("utf-8")))
        log(f"mt_vs_argos {i + 1}/{b.runs}: {results[-1]['speedup']}x")
    speedup = median([x["speedup"] for x in results])
    keys = ("briefpack_segments_per_second", "argostranslate_segments_per_second", "cpu_speedup")
    summary = {k: r(median([x[k] for x in results]), 2) for k in keys}
    last = results[-1]
    return {
        "value": r(speedup, 2),
        "target": TARGETS["mt_vs_argos"],
        "meets": speedup >= TARGETS["mt_vs_argos"],
        "unit": "ratio",
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
        f"beam {last.get('beam_size')})",
    }


def scale_project(b: Bench, sources: int) -> tuple[Path, str]:
    """Return a project whose one pack has `sources` copies of the demo briefings.

    Copies differ only in their id, so every German sentence is one the translation memory
    already has: no machine translation is needed and nothing new is segmented.
    """
    root = b.project(f"scale-{sources}")
    originals = pack_briefings(root, b.pack)
    folder = root / "briefings"
    ids = []
    for k in range(sources):
        src = originals[k % len(originals)]
        new = f"{src}-{k:03d}"
        text = (folder / f"{src}.yaml").read_text("utf-8")
        text = re.sub(r"(?m)^id: .*$", f"id: {new}", text, count=1)
        (folder / f"{new}.yaml").write_text(text, encoding="utf-8")
        ids.append(new)
    for src in originals:
        (folder / f"{src}.yaml").unlink()
    name = f"scale-{sources}"
    write_pack(root, b.pack, name, ids)
    (folder / "packs" / f"{b.pack}.yaml").unlink()
    return root, name


def fig_scale(b: Bench, sizes: Sequence[int]) -> dict[str, Any]:
    """Seconds per page and peak RSS for packs of growing size (briefpack and bare WeasyPrint)."""
    variant = default_variant()
    rows: dict[str, dict[str, Any]] = {}
    for sources in sizes:
        root, name = scale_project(b, sources)
        html = None
        if not b.quick:
            html = write_html(root, name, b.home / f"{name}.html")
            run_child(briefpack_cmd("build"), cwd=root).check()  # fill the caches
        ours, theirs = [], []
        for _ in range(b.runs):
            run = run_child(briefpack_cmd("build", "--force", "--report", "r.json"), cwd=root)
            ours.append(run.check())
            if html is not None:  # the same HTML through WeasyPrint alone, for comparison
                bare = weasyprint_cmd(html, root / "templates", b.home / f"{name}.pdf", variant)
                theirs.append(run_child(bare, cwd=root).check())
        pages = int(report_of(root / "r.json")["packs"][0]["pages"])
        wall = median([x.wall for x in ours])
        bare_wall = median([x.wall for x in theirs]) if theirs else float("nan")
        rows[str(sources)] = {
            "pages": pages,
            "build_s": r(wall),
            "s_per_page": r(wall / pages, 4),
            "cpu_s_per_page": r(median([x.cpu for x in ours]) / pages, 4),
            "peak_rss_mb": r(max(x.maxrss_mb for x in ours), 1),
            "weasyprint_s": r(bare_wall) if theirs else None,
            "weasyprint_s_per_page": r(bare_wall / pages, 4) if theirs else None,
            "weasyprint_peak_rss_mb": r(max(x.maxrss_mb for x in theirs), 1) if theirs else None,
            "runs_s": [r(x.wall) for x in ours],
        }
        log(f"scale {sources}: {pages} pages, {wall:.1f} s, {wall / pages:.3f} s/page")
    small, large = rows[str(min(sizes))], rows[str(max(sizes))]
    ratio = large["s_per_page"] / small["s_per_page"]
    bare_ratio = (
        large["weasyprint_s_per_page"] / small["weasyprint_s_per_page"]
        if small["weasyprint_s_per_page"]
        else None
    )
    peak = max(row["peak_rss_mb"] for row in rows.values())
    return {
        "value": r(ratio),
        "target": TARGETS["scale"],
        "meets": ratio <= TARGETS["scale"] and peak < TARGETS["scale_rss_mb"],
        "unit": "ratio",
        "peak_rss_mb": peak,
        "peak_rss_target_mb": TARGETS["scale_rss_mb"],
        "weasyprint_ratio": None if bare_ratio is None else r(bare_ratio),
        "sizes": rows,
        "detail": ", ".join(
            f"{k}: {v['pages']} p {v['s_per_page']:.3f} s/p" for k, v in rows.items()
        )
        + ("" if bare_ratio is None else f"; WeasyPrint alone {bare_ratio:.2f}x")
        + f"; peak RSS {peak:.0f} MB",
    }


def fig_help(b: Bench) -> dict[str, Any]:
    """`briefpack --help`."""
    runs = [run_child(briefpack_cmd("--help"), cwd=b.home).check() for _ in range(b.runs)]
    wall = median([x.wall for x in runs])
    return {
        "value": r(wall),
        "target": TARGETS["help_s"],
        "meets": wall <= TARGETS["help_s"],
        "unit": "s",
        "cpu_s": r(median([x.cpu for x in runs])),
        "runs_s": [r(x.wall) for x in runs],
        "detail": f"CPU {median([x.cpu for x in runs]):.2f} s",
    }


# --- report ----------------------------------------------------------------------------------


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


def show_value(fig: dict[str, Any]) -> str:
    unit = fig["unit"]
    value = fig["value"]
    if unit == "ratio":
        return f"{value:.2f}x"
    if unit == "s":
        return f"{value:.3f} s"
    return f"{value} {unit}"


def show_target(name: str, fig: dict[str, Any]) -> str:
    if name == "incremental":
        return "1 seg, 1 pack"
    if name == "scale":
        return f"<= {fig['target']}x, RSS < {fig['peak_rss_target_mb'] / 1024:.1f} GB"
    op = ">=" if name == "mt_vs_argos" else "<="
    suffix = "x" if fig["unit"] == "ratio" else " s"
    return f"{op} {fig['target']}{suffix}"


def table(figures: dict[str, dict[str, Any]]) -> str:
    """Return the results as a Markdown table."""
    lines = [
        "| figure | value | target | verdict | detail |",
        "|---|---|---|---|---|",
    ]
    for name, fig in figures.items():
        verdict = "meets" if fig["meets"] else "**misses**"
        lines.append(
            f"| `{name}` | {show_value(fig)} | {show_target(name, fig)} | {verdict} | "
            f"{fig['detail']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the figures; print the table; write JSON if asked."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 3)")
    parser.add_argument(
        "--quick", action="store_true", help="one run, small packs (the smoke test)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument(
        "--only", default="", help=f"comma-separated subset of: {', '.join(FIGURES)}"
    )
    parser.add_argument(
        "--scale-sizes",
        default="",
        help="comma-separated pack sizes for `scale` (default 10,50,100; quick 1,2)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--workdir", type=Path, help="make the temporary folder here (default: the system's)"
    )
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    only = [x.strip() for x in args.only.split(",") if x.strip()] or list(FIGURES)
    unknown = sorted(set(only) - set(FIGURES))
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(unknown)}")
    sizes = [int(x) for x in args.scale_sizes.split(",") if x.strip()] or list(
        QUICK_SCALE_SIZES if args.quick else SCALE_SIZES
    )

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    # Not "briefpack-bench-": mt_vs_argos.py's folders use that prefix, and whoever tidies
    # those up must not pull the floor from under a running harness.
    home = Path(tempfile.mkdtemp(prefix="briefpack-harness-", dir=args.workdir))
    isolate(home)  # before anything imports argostranslate, here or in a child
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    log(f"working in {home}; {runs} run(s) per figure")
    bench = Bench(home, runs, args.quick)
    steps: dict[str, Callable[[], dict[str, Any]]] = {
        "cold_vs_weasyprint": lambda: fig_cold_vs_weasyprint(bench),
        "noop_s": lambda: fig_noop(bench),
        "incremental": lambda: fig_incremental(bench),
        "mt_vs_argos": lambda: fig_mt_vs_argos(bench),
        "scale": lambda: fig_scale(bench, sizes),
        "help_s": lambda: fig_help(bench),
    }
    figures: dict[str, dict[str, Any]] = {}
    try:
        for name in FIGURES:
            if name not in only:
                continue
            log(f"{name} …")
            start = time.perf_counter()
            figures[name] = steps[name]()
            figures[name]["load_average_after"] = r(os.getloadavg()[0], 2)
            log(f"{name}: {show_value(figures[name])} ({time.perf_counter() - start:.0f} s)")
    finally:
        if args.keep:
            log(f"kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)
    info = machine()
    print(
        f"briefpack benchmarks, {started}: {info['cpus']} CPUs, Python {info['python']}, "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items())
        + f"; median of {runs} run(s)"
    )
    print(table(figures))
    if args.json:
        body = {
            **figures,
            "machine": info,
            "config": {"runs": runs, "quick": args.quick, "started": started, "sizes": sizes},
        }
        args.json.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
