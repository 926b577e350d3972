"""briefpack's benchmark harness: every figure of the performance targets, with its verdict.

    ./dev bench [--runs N] [--quick] [--json FILE] [--only NAME[,NAME…]]
                [--rss-sizes 50,500] [--workdir DIR] [--keep]

Each figure is a ratio measured side by side in one run (interleaved, fresh processes):

cold_vs_weasyprint  cold `build --force` of the demo ÷ bare WeasyPrint on the same HTML (≤ 1.2)
noop_vs_python      a no-op `build` ÷ bare `python -c pass`, same interpreter (≤ 5)
help_vs_python      `briefpack --help` ÷ bare `python -c pass` (≤ 10)
incremental         one German sentence edited: segments translated (1) and packs re-rendered (1)
glossary_add        `glossary add` on a 5,000-term glossary ÷ on the 106-term demo glossary
                    (≤ 2, and each under a second); the first add after a hand edit is reported
                    beside it (it parses the whole file once)
check_5000          cold `check` of the demo with a 5,000-term glossary ÷ with the demo's (≤ 1.5)
jobs                `build --jobs 1` ÷ `build --jobs 2`, 4 packs, cold (≥ 1.7); "not available"
                    while `briefpack build --help` shows no --jobs
engine_vs_ct2       ArgosEngine ÷ raw `ctranslate2.Translator.translate_batch` on the same
                    segments, model and beam (≤ 1.1; base-size model, tiny with --quick)
mt_vs_argos         argostranslate's translate() ÷ ArgosEngine, same package, segments and beam
                    (≥ 5; base-size model and ≥ 100 seed sentences, tiny with --quick)
serve_preview       `briefpack serve PACK --port N`: seconds from saving a briefing until the
                    preview page changes ÷ a PDF build of the same pack (≤ 0.1); "not
                    available" while `briefpack --help` lists no serve command
rss_per_page        peak RSS per page of a 500-source pack ÷ of a 50-source pack (≤ 1.1; the
                    absolute figures and s/page beside it)
memory_lookup       seconds for the project-memory look-ups of 500 segments in a 100,000-unit
                    memory, once indexed (≤ 1.5 s; benchmarks/memory_lookup.py): side by side
                    the same look-ups in the demo's own memory, and the TMX import, index
                    build and peak RSS beside it (5,000 units with --quick)

Every timed figure is the median of `--runs` runs (default 3; 7 for the sub-second ones).
Wall times are what a user waits; CPU times (user + system of the child) are recorded beside
them because on a shared machine they move less. Everything happens in a temporary copy of
the demo project, with argostranslate's folders (XDG_*, ARGOS_PACKAGES_DIR) pointed at
temporary folders before anything can import it: the repository and the user's models are
never touched. `--quick` (the smoke test) does one run with small packs and the tiny model.
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
FIGURES = (
    "cold_vs_weasyprint",
    "noop_vs_python",
    "help_vs_python",
    "incremental",
    "glossary_add",
    "check_5000",
    "jobs",
    "engine_vs_ct2",
    "mt_vs_argos",
    "serve_preview",
    "rss_per_page",
    "memory_lookup",
)
# (operator, target): the value must be <= or >= the target.
TARGETS: dict[str, tuple[str, float]] = {
    "cold_vs_weasyprint": ("<=", 1.2),
    "noop_vs_python": ("<=", 5.0),
    "help_vs_python": ("<=", 10.0),
    "incremental": ("==", 1),
    "glossary_add": ("<=", 2.0),
    "check_5000": ("<=", 1.5),
    "jobs": (">=", 1.7),
    "engine_vs_ct2": ("<=", 1.1),
    "mt_vs_argos": (">=", 5.0),
    "serve_preview": ("<=", 0.1),
    "rss_per_page": ("<=", 1.1),
    "memory_lookup": ("<=", 1.5),
}
MEMORY_UNITS, QUICK_MEMORY_UNITS = 100_000, 5_000
GLOSSARY_TERMS = 5000
RSS_SIZES, QUICK_RSS_SIZES = (50, 500), (2, 4)
MT_SEGMENTS, QUICK_MT_SEGMENTS = 120, 12
SHORT_RUNS = 7  # runs of the sub-second figures (cheap, and noisy on a shared machine)
PREVIEW_TIMEOUT = 120.0
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


def entry_point() -> str:
    """Return the console script's entry point as pyproject.toml declares it."""
    import tomllib

    data = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    return str(data["project"]["scripts"]["briefpack"])


def briefpack_cmd(*args: str) -> list[str]:
    """Return the command line of the `briefpack` script (what users run).

    The installed script if it calls the entry point pyproject.toml declares; otherwise
    (an editable install made before the entry point moved) exactly what that script
    would run once reinstalled.
    """
    module, _, func = entry_point().partition(":")
    script = Path(sys.executable).with_name("briefpack")
    if script.is_file() and f"from {module} import {func}" in script.read_text("utf-8"):
        return [str(script), *args]
    code = f"import sys; from {module} import {func}; sys.exit({func}())"
    return [sys.executable, "-c", code, *args]


BARE_PYTHON = [sys.executable, "-c", "pass"]


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
    from briefpack.commands.build import render_pack_html
    from briefpack.util.paths import Project

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
    mt: list[dict[str, Any]] | None = field(init=False, default=None)  # mt_vs_argos.py runs

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
    from briefpack.output.theme import PACKAGED  # the demo overrides no theme file

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
                weasyprint_cmd(html, PACKAGED, b.home / "bare.pdf", variant), cwd=root
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
        **figure("cold_vs_weasyprint", ratio),
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


def verdict(name: str, value: float) -> bool:
    """Whether `value` meets the target of figure `name`."""
    op, target = TARGETS[name]
    if op == "<=":
        return value <= target
    if op == ">=":
        return value >= target
    return value == target


def figure(name: str, value: float, unit: str = "ratio", **extra: Any) -> dict[str, Any]:
    """Return a figure's record: value, target, verdict and details."""
    return {
        "value": r(value),
        "target": TARGETS[name][1],
        "op": TARGETS[name][0],
        "meets": verdict(name, value),
        "available": True,
        "unit": unit,
        **extra,
    }


def not_available(name: str, reason: str) -> dict[str, Any]:
    """Return the record of a figure whose command or option does not exist (yet)."""
    return {
        "value": None,
        "target": TARGETS[name][1],
        "op": TARGETS[name][0],
        "meets": None,
        "available": False,
        "unit": "ratio",
        "detail": f"not available: {reason}",
    }


def versus(
    ours: Callable[[], ChildRun], theirs: Callable[[], ChildRun], runs: int
) -> tuple[list[ChildRun], list[ChildRun]]:
    """Run two commands alternately `runs` times each; return both lists of runs."""
    a, b = [], []
    for _ in range(runs):
        a.append(ours().check())
        b.append(theirs().check())
    return a, b


def ratio_figure(
    name: str, ours: list[ChildRun], theirs: list[ChildRun], label: str, **extra: Any
) -> dict[str, Any]:
    """Return the figure median(ours) / median(theirs), with CPU times beside it."""
    wall_a, wall_b = median([x.wall for x in ours]), median([x.wall for x in theirs])
    cpu_a, cpu_b = median([x.cpu for x in ours]), median([x.cpu for x in theirs])
    return figure(
        name,
        wall_a / wall_b,
        ours_s=r(wall_a, 4),
        theirs_s=r(wall_b, 4),
        ours_cpu_s=r(cpu_a, 4),
        theirs_cpu_s=r(cpu_b, 4),
        cpu_ratio=r(cpu_a / cpu_b) if cpu_b else None,
        runs_s={"ours": [r(x.wall, 4) for x in ours], "theirs": [r(x.wall, 4) for x in theirs]},
        detail=f"{wall_a * 1000:.0f} ms vs {label} {wall_b * 1000:.0f} ms "
        f"(CPU {cpu_a * 1000:.0f} vs {cpu_b * 1000:.0f} ms)",
        **extra,
    )


def fig_noop(b: Bench) -> dict[str, Any]:
    """A no-op `briefpack build` vs a bare `python -c pass`, interleaved."""
    root = b.built_project("noop")
    run_child(briefpack_cmd("build"), cwd=root).check()  # one no-op first, like any rebuild
    time.sleep(1.2)  # let the outputs age past the snapshot's racy window, as any rebuild does

    def noop() -> ChildRun:
        run = run_child(briefpack_cmd("build"), cwd=root)
        if "built " in run.stdout or "up to date" not in run.stdout:
            raise RuntimeError(f"not a no-op build:\n{run.stdout}\n{run.stderr}")
        return run

    noop()
    ours, theirs = versus(noop, lambda: run_child(BARE_PYTHON, cwd=root), max(b.runs, SHORT_RUNS))
    return ratio_figure("noop_vs_python", ours, theirs, "python -c pass", command=briefpack_cmd())


def fig_help(b: Bench) -> dict[str, Any]:
    """`briefpack --help` vs a bare `python -c pass`, interleaved."""
    ours, theirs = versus(
        lambda: run_child(briefpack_cmd("--help"), cwd=b.home),
        lambda: run_child(BARE_PYTHON, cwd=b.home),
        max(b.runs, SHORT_RUNS),
    )
    return ratio_figure("help_vs_python", ours, theirs, "python -c pass")


def big_glossary(root: Path) -> None:
    """Grow the project's glossary to GLOSSARY_TERMS entries (benchmarks/bigglossary.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bigglossary import grow

    path = root / "glossary.yaml"
    path.write_text(grow(path.read_text("utf-8"), GLOSSARY_TERMS), encoding="utf-8")


def fig_glossary_add(b: Bench) -> dict[str, Any]:
    """`glossary add` on a 5,000-term glossary vs on the demo's, each adding a new term."""
    small, big = b.project("gloss-small"), b.project("gloss-big")
    big_glossary(big)
    counter = iter(range(10_000))

    def add(root: Path) -> ChildRun:
        i = next(counter)
        cmd = briefpack_cmd("glossary", "add", f"Prüfbegriff{i}", f"test entry {i}")
        return run_child(cmd, cwd=root)

    # The first edit of a file the editor has not seen (a fresh checkout, a hand edit)
    # parses it whole; later ones use the index it left.
    first_small, first_big = add(small).check(), add(big).check()
    runs = max(b.runs, SHORT_RUNS // 2)
    ours, theirs = versus(lambda: add(big), lambda: add(small), runs)
    fig = ratio_figure(
        "glossary_add",
        ours,
        theirs,
        f"{small_terms(small)} terms",
        terms=small_terms(big),
        first_add_s={"big": r(first_big.wall), "small": r(first_small.wall)},
    )
    under = max(fig["ours_s"], fig["theirs_s"]) < 1.0
    fig["meets"] = bool(fig["meets"] and under)
    fig["detail"] = (
        f"{fig['terms']} terms {fig['detail']}; the first add after a hand edit (whole-file "
        f"parse) {first_big.wall:.2f} s vs {first_small.wall:.2f} s"
        + ("" if under else "; not under a second")
    )
    return fig


def small_terms(root: Path) -> int:
    """Return the number of entries of a project's glossary (as the layout counts them)."""
    return (root / "glossary.yaml").read_text("utf-8").count("\n  - de: ")


def fig_check(b: Bench) -> dict[str, Any]:
    """Cold `check` of the demo with a 5,000-term glossary vs with the demo glossary."""
    small, big = b.project("check-small"), b.project("check-big")
    big_glossary(big)

    def check(root: Path) -> ChildRun:
        reset(root)  # cold: no content caches
        return run_child(briefpack_cmd("check"), cwd=root)

    ours, theirs = versus(lambda: check(big), lambda: check(small), b.runs)
    fig = ratio_figure("check_5000", ours, theirs, f"{small_terms(small)} terms")
    fig["detail"] = f"{small_terms(big)} terms " + fig["detail"]
    return fig


def has_option(args: Sequence[str], option: str, cwd: Path) -> bool:
    """Whether `briefpack ARGS --help` succeeds and mentions `option`."""
    run = run_child(briefpack_cmd(*args, "--help"), cwd=cwd, timeout=120)
    return run.code == 0 and option in run.stdout


def four_packs(b: Bench, name: str) -> Path:
    """Return a demo copy with four packs (the demo's briefings in different selections)."""
    root = b.project(name)
    briefings = pack_briefings(root, b.pack)
    for k in range(4):
        chosen = [x for i, x in enumerate(briefings) if i % 4 != k] or briefings
        write_pack(root, b.pack, f"pack-{k + 1}", chosen)
    (root / "briefings" / "packs" / f"{b.pack}.yaml").unlink()
    return root


def fig_jobs(b: Bench) -> dict[str, Any]:
    """`build --jobs 1` vs `build --jobs 2` of four packs, cold."""
    if not has_option(["build"], "--jobs", b.home / "demo"):
        return not_available("jobs", "`briefpack build --help` shows no --jobs option")
    root = four_packs(b, "jobs")

    def build(jobs: int) -> ChildRun:
        reset(root)
        return run_child(briefpack_cmd("build", "--jobs", str(jobs)), cwd=root)

    one, two = versus(lambda: build(1), lambda: build(2), b.runs)
    # The figure is how much faster two jobs are: time(1) / time(2).
    fig = ratio_figure("jobs", one, two, "--jobs 2")
    fig["detail"] = "4 packs: --jobs 1 " + fig["detail"]
    return fig


def with_marker(briefing: str, marker: str) -> str:
    """Return the briefing's YAML with `marker` appended to its title, inside its quotes."""

    def add(m: re.Match[str]) -> str:
        title = m[2] if m[2] is not None else m[3]
        return f'{m[1]}"{title} {marker}"'

    return re.sub(r'(?m)^(title: )(?:"(.*)"|(.*))$', add, briefing, count=1)


def fig_serve(b: Bench) -> dict[str, Any]:
    """`serve`: saving a briefing → the preview page changes, vs a PDF build of the pack."""
    import socket
    import urllib.error
    import urllib.request

    demo = b.home / "demo"
    if not has_option([], "serve", demo):
        return not_available("serve_preview", "`briefpack --help` lists no serve command")
    if not has_option(["serve"], "--port", demo):
        return not_available("serve_preview", "`briefpack serve --help` shows no --port")
    root = b.built_project("serve")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log_file = (b.home / "serve.log").open("wb")
    proc = subprocess.Popen(
        briefpack_cmd("serve", b.pack, "--port", str(port)),
        cwd=root,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def page() -> str | None:
        for path in ("/", f"/{b.pack}", f"/packs/{b.pack}"):
            try:
                url = f"http://127.0.0.1:{port}{path}"
                with urllib.request.urlopen(url, timeout=5) as response:
                    body: str = response.read().decode("utf-8", "replace")
                if b.pack in body or "<html" in body.lower():
                    return body
            except (urllib.error.URLError, OSError):
                continue
        return None

    def wait_for(test: Callable[[str], bool], limit: float) -> float | None:
        start = time.perf_counter()
        while time.perf_counter() - start < limit:
            body = page()
            if body is not None and test(body):
                return time.perf_counter() - start
            time.sleep(0.02)
        return None

    briefing = pack_briefings(root, b.pack)[0]
    path = root / "briefings" / f"{briefing}.yaml"
    original = path.read_text("utf-8")  # restored below: the PDF build needs its English
    try:
        if wait_for(lambda body: True, PREVIEW_TIMEOUT) is None:
            return not_available("serve_preview", f"no page on port {port} after start")
        updates = []
        for i in range(b.runs):
            marker = f"Vorschaumarke{i}x{os.getpid()}"
            text = path.read_text("utf-8")
            text = with_marker(text, marker)
            path.write_text(text, encoding="utf-8")
            seconds = wait_for(lambda body, m=marker: m in body, PREVIEW_TIMEOUT)
            if seconds is None:
                return not_available(
                    "serve_preview",
                    f"the page did not show an edited title in {PREVIEW_TIMEOUT:.0f} s",
                )
            updates.append(seconds)
    finally:
        path.write_text(original, encoding="utf-8")
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log_file.close()
    builds = [
        run_child(briefpack_cmd("build", "--force", b.pack), cwd=root).check()
        for _ in range(b.runs)
    ]
    preview_s, build_s = median(updates), median([x.wall for x in builds])
    return figure(
        "serve_preview",
        preview_s / build_s,
        preview_s=r(preview_s),
        build_s=r(build_s),
        detail=f"preview updated after {preview_s:.2f} s vs PDF build {build_s:.2f} s",
    )


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
        **figure("incremental", translated, "segments"),
        "meets": ok,
        "packs_rebuilt": rebuilt,
        "packs_total": len(runs[-1]["built"]) + len(runs[-1]["skipped"]),
        "wall_s": r(median([x["wall_s"] for x in runs])),
        "cpu_s": r(median([x["cpu_s"] for x in runs])),
        "runs": runs,
        "detail": f"{translated} segment(s) translated, {rebuilt} of "
        f"{len(runs[-1]['built']) + len(runs[-1]['skipped'])} packs re-rendered, "
        f"{median([x['wall_s'] for x in runs]):.1f} s",
    }


def mt_results(b: Bench, runs: int) -> list[dict[str, Any]]:
    """Run benchmarks/mt_vs_argos.py `runs` times (fresh processes); return their figures."""
    if b.mt is not None:
        return b.mt
    limit = QUICK_MT_SEGMENTS if b.quick else MT_SEGMENTS
    size = "tiny" if b.quick else "base"
    script = Path(__file__).with_name("mt_vs_argos.py")
    # The script leaves its package and argostranslate folders in a temporary folder of
    # its own: put those under ours, so that they go when we do.
    scratch = b.home / "mt-tmp"
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(scratch)}
    results = []
    for i in range(runs):
        out = b.home / f"mt-{i}.json"
        args = [sys.executable, str(script), "--size", size, "--limit", str(limit)]
        # Best of two per path: the first decode in a process also pays for reading the
        # model and warming CTranslate2's thread pool, which would count against the path
        # that happens to run first.
        args += ["--repeat", "1" if b.quick else "2"]
        run_child([*args, "--json", str(out)], cwd=b.home, env=env).check()
        results.append(json.loads(out.read_text("utf-8")))
        log(
            f"mt {i + 1}/{runs}: {results[-1]['speedup']}x argostranslate, "
            f"{results[-1]['engine_vs_raw']}x raw CTranslate2"
        )
    b.mt = results
    return results


def fig_engine_vs_ct2(b: Bench, runs: int) -> dict[str, Any]:
    """ArgosEngine vs raw translate_batch on the same segments, model and beam."""
    results = mt_results(b, runs)
    value = median([x["engine_vs_raw"] for x in results])
    last = results[-1]
    return figure(
        "engine_vs_ct2",
        value,
        cpu_ratio=r(median([x["engine_vs_raw_cpu"] for x in results])),
        engine_s=r(median([x["briefpack_seconds"] for x in results])),
        raw_s=r(median([x["raw_ctranslate2_seconds"] for x in results])),
        model_size=last["model_size"],
        segments=last["segments"],
        runs=[x["engine_vs_raw"] for x in results],
        detail=f"engine {median([x['briefpack_seconds'] for x in results]):.2f} s vs "
        f"translate_batch {median([x['raw_ctranslate2_seconds'] for x in results]):.2f} s "
        f"({last['segments']} segments, {last['model_size']} model, beam {last['beam_size']}; "
        f"model load and SentencePiece included in both)",
    )


def fig_mt_vs_argos(b: Bench, runs: int) -> dict[str, Any]:
    """ArgosEngine vs argostranslate's translate(), same package, segments and beam."""
    results = mt_results(b, runs)
    speedup = median([x["speedup"] for x in results])
    keys = ("briefpack_segments_per_second", "argostranslate_segments_per_second", "cpu_speedup")
    summary = {k: r(median([x[k] for x in results]), 2) for k in keys}
    last = results[-1]
    return figure(
        "mt_vs_argos",
        speedup,
        **summary,
        segments=last["segments"],
        model_size=last.get("model_size"),
        beam_size=last.get("beam_size"),
        # Everything else the script reports (threads, CPU seconds, …), from the last run.
        script={k: v for k, v in last.items() if k not in summary},
        runs=[r(x["speedup"], 2) for x in results],
        detail=f"{summary['briefpack_segments_per_second']} vs "
        f"{summary['argostranslate_segments_per_second']} segments/s "
        f"({last['segments']} segments, {last.get('model_size')} model, "
        f"beam {last.get('beam_size')}; CPU {summary['cpu_speedup']}x)",
    )


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


def fig_memory_lookup(b: Bench) -> dict[str, Any]:
    """500 memory look-ups in a 100,000-unit memory vs in the demo's, in a fresh process."""
    root = b.project("memory")
    out = b.home / "memory.json"
    units = QUICK_MEMORY_UNITS if b.quick else MEMORY_UNITS
    script = str(REPO / "benchmarks" / "memory_lookup.py")
    run = run_child(
        [
            sys.executable,
            script,
            "--project",
            str(root),
            "--units",
            str(units),
            "--runs",
            str(b.runs),
            "--json",
            str(out),
        ],
        cwd=b.home,
    ).check()
    data = json.loads(out.read_text(encoding="utf-8"))
    return figure(
        "memory_lookup",
        data["lookups_s"],
        unit="s",
        **data,
        child_peak_rss_mb=r(run.maxrss_mb, 1),
        detail=f"{data['segments']} look-ups: {data['lookups_s']} s in {data['units']:,} units "
        f"vs {data['demo_lookups_s']} s in the demo's {data['demo_units']}; import "
        f"{data['import_s']} s, index {data['index_s']} s, peak RSS {run.maxrss_mb:.0f} MB "
        f"(a look-up process alone: {data['fresh_process_peak_rss_mb']:.0f} MB)",
    )


def fig_rss(b: Bench, sizes: Sequence[int]) -> dict[str, Any]:
    """Peak RSS per page (and seconds per page) of a large pack vs a small one, cold."""
    rows: dict[str, dict[str, Any]] = {}
    for sources in sizes:
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
    small, large = rows[str(min(sizes))], rows[str(max(sizes))]
    ratio = large["rss_mb_per_page"] / small["rss_mb_per_page"]
    return figure(
        "rss_per_page",
        ratio,
        sizes=rows,
        s_per_page_ratio=r(large["s_per_page"] / small["s_per_page"]),
        detail=", ".join(
            f"{k} sources: {v['pages']} p, {v['peak_rss_mb']:.0f} MB "
            f"({v['rss_mb_per_page']:.2f} MB/p), {v['build_s']:.0f} s ({v['s_per_page']:.3f} s/p)"
            for k, v in rows.items()
        ),
    )


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
    if not fig["available"]:
        return "—"
    if fig["unit"] == "ratio":
        return f"{fig['value']:.2f}x"
    return f"{fig['value']} {fig['unit']}"


def show_target(name: str, fig: dict[str, Any]) -> str:
    if name == "incremental":
        return "1 seg, 1 pack"
    extra = ", each < 1 s" if name == "glossary_add" else ""
    unit = " s" if fig.get("unit") == "s" else "x"
    return f"{fig['op']} {fig['target']}{unit}{extra}"


def show_verdict(fig: dict[str, Any]) -> str:
    if not fig["available"]:
        return "not available"
    return "meets" if fig["meets"] else "**misses**"


def table(figures: dict[str, dict[str, Any]]) -> str:
    """Return the results as a Markdown table."""
    lines = [
        "| figure | value | target | verdict | detail |",
        "|---|---|---|---|---|",
    ]
    for name, fig in figures.items():
        lines.append(
            f"| `{name}` | {show_value(fig)} | {show_target(name, fig)} | {show_verdict(fig)} | "
            f"{fig['detail']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the figures; print the table; write JSON if asked."""
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
    runs = args.runs or (1 if args.quick else 3)
    only = [x.strip() for x in args.only.split(",") if x.strip()] or list(FIGURES)
    unknown = sorted(set(only) - set(FIGURES))
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(unknown)}")
    sizes = [int(x) for x in args.rss_sizes.split(",") if x.strip()] or list(
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
    bench = Bench(home, runs, args.quick)
    mt_runs = 1 if args.quick else args.mt_runs
    steps: dict[str, Callable[[], dict[str, Any]]] = {
        "cold_vs_weasyprint": lambda: fig_cold_vs_weasyprint(bench),
        "noop_vs_python": lambda: fig_noop(bench),
        "help_vs_python": lambda: fig_help(bench),
        "incremental": lambda: fig_incremental(bench),
        "glossary_add": lambda: fig_glossary_add(bench),
        "check_5000": lambda: fig_check(bench),
        "jobs": lambda: fig_jobs(bench),
        "engine_vs_ct2": lambda: fig_engine_vs_ct2(bench, mt_runs),
        "mt_vs_argos": lambda: fig_mt_vs_argos(bench, mt_runs),
        "serve_preview": lambda: fig_serve(bench),
        "rss_per_page": lambda: fig_rss(bench, sizes),
        "memory_lookup": lambda: fig_memory_lookup(bench),
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
    info["load_average_before"] = load_before
    print(
        f"briefpack benchmarks, {started}: {info['cpus']} CPUs, Python {info['python']}, "
        + ", ".join(f"{k} {v}" for k, v in info["versions"].items())
        + f"; median of {runs} run(s); load average {load_before} before, "
        f"{info['load_average']} after"
    )
    print(table(figures))
    if args.json:
        body = {
            **figures,
            "machine": info,
            "config": {
                "runs": runs,
                "mt_runs": mt_runs,
                "quick": args.quick,
                "started": started,
                "rss_sizes": sizes,
                "command": briefpack_cmd(),
            },
        }
        args.json.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
