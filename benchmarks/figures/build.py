"""Figures of `briefpack build`: cold, no-op, `--help`, incremental, `--jobs`, HTML rebuild."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from harness.child import BARE_PYTHON, ChildRun, briefpack_cmd, log, run_child, versus
from harness.project import Bench, four_packs, pack_briefings, report_of, reset, write_pack
from harness.verdict import Record, median, r, ratio_of

SHORT_RUNS = 7  # runs of the sub-second figures (cheap, and noisy on a shared machine)

# A bare WeasyPrint render of an HTML file, as a user of WeasyPrint alone would run it.
WEASYPRINT = """
import sys, weasyprint
html, base_url, target, variant = sys.argv[1:5]
options = {"pdf_variant": variant} if variant != "-" else {}
weasyprint.HTML(filename=html, base_url=base_url).write_pdf(target, **options)
"""


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


def cold_vs_weasyprint(b: Bench) -> Record:
    """Cold `briefpack build --force` vs bare WeasyPrint on the same HTML, interleaved."""
    from briefpack.output.theme import PACKAGED  # the demo overrides no theme file

    root = b.project("cold")
    html = write_html(root, b.pack, b.home / "cold.html")
    variant = default_variant()
    ours: list[ChildRun] = []
    theirs: list[ChildRun] = []
    for i in range(b.runs):
        reset(root)
        run = run_child(briefpack_cmd("build", "--force", "--report", "r.json"), cwd=root)
        ours.append(run.check())
        bare = weasyprint_cmd(html, PACKAGED, b.home / "bare.pdf", variant)
        theirs.append(run_child(bare, cwd=root).check())
        log(f"cold {i + 1}/{b.runs}: briefpack {run.wall:.2f} s, bare {theirs[-1].wall:.2f} s")
    # The same with the content caches warm (an analyst's rebuild after changing templates).
    warm = [
        run_child(briefpack_cmd("build", "--force"), cwd=root).check()
        for _ in range(0 if b.quick else b.runs)
    ]
    b.built = root
    ours_s, theirs_s = median([a.wall for a in ours]), median([w.wall for w in theirs])
    warm_s = median([w.wall for w in warm]) if warm else None
    pages = report_of(root / "r.json")["packs"][0]["pages"]
    return {
        "value": ours_s / theirs_s,
        "pages": pages,
        "pdf_variant": variant,
        "briefpack_s": r(ours_s),
        "weasyprint_s": r(theirs_s),
        "briefpack_cpu_s": r(median([a.cpu for a in ours])),
        "weasyprint_cpu_s": r(median([w.cpu for w in theirs])),
        "cpu_ratio": r(median([a.cpu for a in ours]) / median([w.cpu for w in theirs])),
        "warm_cache_s": None if warm_s is None else r(warm_s),
        "warm_cache_ratio": None if warm_s is None else r(warm_s / theirs_s),
        "briefpack_peak_rss_mb": r(max(a.maxrss_mb for a in ours), 1),
        "weasyprint_peak_rss_mb": r(max(w.maxrss_mb for w in theirs), 1),
        "runs_s": {
            "briefpack": [r(a.wall) for a in ours],
            "weasyprint": [r(w.wall) for w in theirs],
        },
        "detail": f"briefpack {ours_s:.2f} s vs WeasyPrint {theirs_s:.2f} s "
        f"({pages} pages, {variant})",
    }


def noop_vs_python(b: Bench) -> Record:
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
    return ratio_of(ours, theirs, "python -c pass", command=briefpack_cmd())


def help_vs_python(b: Bench) -> Record:
    """`briefpack --help` vs a bare `python -c pass`, interleaved."""
    ours, theirs = versus(
        lambda: run_child(briefpack_cmd("--help"), cwd=b.home),
        lambda: run_child(BARE_PYTHON, cwd=b.home),
        max(b.runs, SHORT_RUNS),
    )
    return ratio_of(ours, theirs, "python -c pass")


def incremental(b: Bench) -> Record:
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
    runs: list[Record] = []
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
        runs.append(
            {
                "wall_s": r(run.wall),
                "cpu_s": r(run.cpu),
                "translated": rep["translated"],
                "built": sorted(p["name"] for p in rep["packs"] if p["status"] == "built"),
                "skipped": sorted(p["name"] for p in rep["packs"] if p["status"] == "skipped"),
            }
        )
        log(f"incremental {i + 1}/{b.runs}: {run.wall:.2f} s, {rep['translated']} translated")
    translated = max(x["translated"] for x in runs)
    rebuilt = max(len(x["built"]) for x in runs)
    total = len(runs[-1]["built"]) + len(runs[-1]["skipped"])
    wall = median([x["wall_s"] for x in runs])
    return {
        "value": translated,
        "unit": "segments",
        "holds": all(x["translated"] == 1 and x["built"] == [b.pack] for x in runs),
        "packs_rebuilt": rebuilt,
        "packs_total": total,
        "wall_s": r(wall),
        "cpu_s": r(median([x["cpu_s"] for x in runs])),
        "runs": runs,
        "detail": f"{translated} segment(s) translated, {rebuilt} of {total} packs "
        f"re-rendered, {wall:.1f} s",
    }


def jobs(b: Bench) -> Record:
    """`build --jobs 1` vs `build --jobs 2` of four packs, cold."""
    root = four_packs(b, "jobs")

    def build(n: int) -> ChildRun:
        reset(root)
        return run_child(briefpack_cmd("build", "--jobs", str(n)), cwd=root)

    one, two = versus(lambda: build(1), lambda: build(2), b.runs)
    # The figure is how much faster two jobs are: time(1) / time(2).
    fig = ratio_of(one, two, "--jobs 2")
    fig["detail"] = "4 packs: --jobs 1 " + fig["detail"]
    return fig


def _font_files(root: Path) -> dict[str, int]:
    """Return the font cache's files by name, with their inode (a rewrite makes a new one)."""
    folder = root / ".briefpack-cache" / "fonts"
    return {p.name: p.stat().st_ino for p in folder.glob("*.woff2")} if folder.is_dir() else {}


def html_force_rebuild(b: Bench) -> Record:
    """An unchanged HTML pack rebuilt with `--force`: fonts subset again (0), and its time.

    A subset written is a new file (or a new inode: writes are atomic renames) in
    `.briefpack-cache/fonts/`; a cache hit only touches its file.
    """
    root = b.project("html")
    cmd = briefpack_cmd("build", "--force", "--format", "html")
    first = run_child(cmd, cwd=root).check()
    made = _font_files(root)
    if not made:
        raise RuntimeError(f"the first HTML build cached no font subset under {root}")
    again: list[ChildRun] = []
    redone = 0
    for _ in range(b.runs):
        before = _font_files(root)
        again.append(run_child(cmd, cwd=root).check())
        after = _font_files(root)
        redone = max(redone, sum(1 for k, v in after.items() if before.get(k) != v))
    rebuild_s = median([x.wall for x in again])
    return {
        "value": redone,
        "unit": "subsets",
        "fonts": len(made),
        "first_build_s": r(first.wall),
        "rebuild_s": r(rebuild_s),
        "time_ratio": r(rebuild_s / first.wall),
        "runs_s": [r(x.wall) for x in again],
        "detail": f"{redone} of {len(made)} font subsets made again; rebuild {rebuild_s:.2f} s "
        f"vs first build {first.wall:.2f} s ({rebuild_s / first.wall:.2f}x)",
    }
