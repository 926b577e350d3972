"""`briefpack build`: prepare the project, then write each pack output that is not up to date.

Prepare (load, translate, find, fingerprint) runs once, in this process; then the packs
with outputs out of date are rendered, in parallel worker processes with `jobs > 1` (each
pack is independent; see output.render). Workers are started with the `spawn` method: a
forked child would inherit the parent's threads and locks (CTranslate2's thread pool after
translating). The parent alone writes the files and the manifest, in pack order, so the
output does not depend on `jobs`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from briefpack.errors import OutputError, Problem, UsageError, ViolationsError
from briefpack.output.changes import change_log, digest, pack_state
from briefpack.output.html import render_html
from briefpack.output.manifest import Manifest, load_manifest
from briefpack.output.pdf import epoch_for
from briefpack.output.render import FORMATS, Rendered, RenderJob, render_job, warm_up
from briefpack.output.variants import DEFAULT_PDF_VARIANT, PDF_VARIANTS
from briefpack.output.view import ChangeLog
from briefpack.prepare import BuildOptions, Prepared, PreparedPack, prepare, used_memory_name
from briefpack.translation.machine import EngineFactory
from briefpack.util.fsutil import atomic_write_bytes
from briefpack.util.paths import Project

__all__ = [
    "FORMATS",
    "BuildOptions",
    "BuildReport",
    "PackResult",
    "Step",
    "build",
    "default_jobs",
    "output_name",
    "parse_formats",
    "used_memory_name",
]


@dataclass(frozen=True)
class Step:
    """A progress report: `stage` reached `done` of `total`.

    Stages, in order: "prepare" (load, check, fingerprint), "translate" (segments), "render"
    (packs), and per pack "pack" (`item` names it; 0 of 1 when queued, 1 of 1 when written).
    """

    stage: str
    done: int
    total: int
    item: str = ""  # the pack just rendered


BuildProgress = Callable[[Step], None]


@dataclass
class OutputResult:
    """What happened to one output file of a pack."""

    format: str
    path: Path
    status: str  # "built" or "skipped"

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {"format": self.format, "path": str(self.path), "status": self.status}


@dataclass
class PackResult:
    """What happened to one pack."""

    name: str
    path: Path  # the first requested format's file
    status: str  # "built" (any output written) or "skipped"
    fingerprint: str
    pages: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    pdf_variant: str = DEFAULT_PDF_VARIANT
    attachments: list[str] = field(default_factory=list)  # names of the embedded files
    outputs: list[OutputResult] = field(default_factory=list)
    changes: ChangeLog | None = None

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "name": self.name,
            "path": str(self.path),
            "status": self.status,
            "fingerprint": self.fingerprint,
            "pages": self.pages,
            "segments": self.counts,
            "pdf_variant": self.pdf_variant,
            "outputs": [o.to_dict() for o in self.outputs],
            "changes_since": self.changes.since.isoformat() if self.changes else None,
            "changes": [c.to_dict() for c in self.changes.items] if self.changes else [],
        }


@dataclass
class BuildReport:
    """The outcome of a build, for the CLI and for --report."""

    packs: list[PackResult] = field(default_factory=list)
    findings: list[Problem] = field(default_factory=list)
    translated: int = 0
    memory: int = 0  # segments filled from the project memory
    segments: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. "manifest was corrupt"


def parse_formats(value: str | Sequence[str]) -> tuple[str, ...]:
    """Return the formats of `--format pdf,docx,html` (order kept, duplicates dropped)."""
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
    names = [p.strip().lower() for p in parts if p.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise UsageError(
            f"unknown format {', '.join(map(repr, unknown)) or repr(value)}"
            f" (choose from {', '.join(FORMATS)}, comma-separated)"
        )
    return tuple(dict.fromkeys(names))


def default_jobs() -> int:
    """Return the default of `--jobs`: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def output_name(pack: str, fmt: str, *, draft: bool) -> str:
    """Return the file name of a pack's output: `<pack>.pdf`, or `<pack>.draft.pdf`."""
    return f"{pack}.draft.{fmt}" if draft else f"{pack}.{fmt}"


def build_date() -> dt.date:
    """Return today's date (UTC), or that of SOURCE_DATE_EPOCH when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def build(
    project: Project,
    packs: Sequence[str] = (),
    *,
    out_dir: Path | None = None,
    options: BuildOptions = BuildOptions(),
    engine_factory: EngineFactory | None = None,
    formats: Sequence[str] = ("pdf",),
    jobs: int = 1,
    progress: BuildProgress | None = None,
) -> BuildReport:
    """Build the named packs (default: all) into `out_dir` (default: the project's out/)."""
    _check_out_dir(out_dir or project.out_dir, project)
    formats = parse_formats(formats)
    if jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, not {jobs}")
    workers = _Workers(jobs, project, packs)
    try:
        return _build(project, packs, out_dir, options, engine_factory, formats, progress, workers)
    finally:
        workers.close()


def _build(
    project: Project,
    packs: Sequence[str],
    out_dir: Path | None,
    options: BuildOptions,
    engine_factory: EngineFactory | None,
    formats: tuple[str, ...],
    progress: BuildProgress | None,
    workers: _Workers,
) -> BuildReport:

    def on_translate(done: int, total: int) -> None:
        if progress is not None:
            progress(Step("translate", done, total))

    if progress is not None:
        progress(Step("prepare", 0, 1))
    prepared = prepare(
        project,
        packs,
        options=options,
        engine_factory=engine_factory,
        progress=on_translate if progress is not None else None,
    )
    if progress is not None:
        progress(Step("prepare", 1, 1))
    report = BuildReport(
        findings=prepared.findings,
        translated=prepared.translated,
        memory=prepared.memory,
        segments=prepared.segments,
    )
    if options.strict and report.findings:
        raise ViolationsError(
            f"--strict: {len(report.findings)} finding(s); nothing was built",
            problems=report.findings,
        )

    target = out_dir or project.out_dir
    manifest, note = load_manifest(target)
    if note:
        report.notes.append(note)
    before = (dict(manifest.outputs), dict(manifest.packs))
    plans: list[tuple[PreparedPack, RenderJob | None, dict[str, Path], ChangeLog | None]] = []
    today = build_date()
    for pack in prepared.packs:
        state = pack_state(prepared.content, pack.pack, pack.fields, today)
        log, record = change_log(manifest.packs.get(pack.name), state, pack.pack.doc_id)
        if not options.draft:  # a draft never becomes what the next build compares with
            manifest.packs[pack.name] = record
        paths = {f: target / output_name(pack.name, f, draft=options.draft) for f in formats}
        stale = tuple(
            f
            for f in formats
            if options.force or not manifest.up_to_date(pack.fingerprint, paths[f], digest(log))
        )
        job = _job(prepared, pack, stale, log) if stale else None
        plans.append((pack, job, paths, log))

    todo = [job for _, job, _, _ in plans if job is not None]
    rendered: dict[str, Rendered] = {}
    if progress is not None and todo:
        progress(Step("render", 0, len(todo)))
        for job in todo:
            progress(Step("pack", 0, 1, job.pack))

    def done(result: Rendered) -> None:
        rendered[result.pack] = result
        if progress is not None:
            progress(Step("pack", 1, 1, result.pack))
            progress(Step("render", len(rendered), len(todo), result.pack))

    workers.render(todo, done)

    for pack, job, paths, log in plans:
        result = rendered.get(pack.name)
        report.packs.append(_result(prepared, pack, job, result, paths, log, report, manifest))
    if (manifest.outputs, manifest.packs) != before:
        manifest.save()

    if options.strict and report.findings:
        raise ViolationsError(
            f"--strict: {len(report.findings)} finding(s)", problems=report.findings
        )
    return report


def _check_out_dir(target: Path, project: Project) -> None:
    """Raise OutputError now, before minutes of rendering, if `target` cannot be a folder."""
    for folder in (target, *target.parents):
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                raise OutputError(
                    f"{project.rel(folder)}: is a file, not a folder; nothing was built "
                    f"(move it away or choose another --out)"
                )
            return


def _job(
    prepared: Prepared, pack: PreparedPack, formats: tuple[str, ...], log: ChangeLog | None
) -> RenderJob:
    options = prepared.options
    view, attachments = prepared.view(pack)
    view = replace(view, draft=options.draft, changes=log)
    return RenderJob(
        pack=pack.name,
        view=view,
        formats=formats,
        templates_dir=prepared.content.project.templates_dir,
        epoch=epoch_for(pack.pack.model.date),
        pdf_variant=PDF_VARIANTS[options.pdf_variant].weasyprint,
        attachments=tuple(attachments),
    )


class _Workers:
    """Worker processes for `--jobs N`, started when the build starts.

    Started only when more than one pack may need rendering, at the start of the build, so
    that their start-up overlaps with loading and preparing the project. Where the platform
    has it, the workers fork from a fork server that has imported WeasyPrint once (about a
    second of CPU), instead of each importing it: on two cores that import is what separates
    a parallel build from twice as fast. Never forked from this process itself: a fork of a
    process with CTranslate2 or Pango threads is not safe; the fork server has none.
    """

    def __init__(self, jobs: int, project: Project, packs: Sequence[str]) -> None:
        self.pool: Any = None
        count = len(set(packs)) if packs else _pack_files(project)
        if jobs <= 1 or count <= 1:
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if "forkserver" in multiprocessing.get_all_start_methods():
            context: Any = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["briefpack.output.render", "weasyprint"])
        else:  # Windows
            context = multiprocessing.get_context("spawn")
        self.size = min(jobs, count)
        self.pool = ProcessPoolExecutor(max_workers=self.size, mp_context=context)
        for _ in range(self.size):  # one task each makes the pool start every worker now
            self.pool.submit(warm_up)

    def render(self, todo: list[RenderJob], done: Callable[[Rendered], None]) -> None:
        """Render the jobs, in the workers when there are any and more than one job."""
        if self.pool is None or len(todo) <= 1:
            for job in todo:
                done(render_job(job))
            return
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        try:
            futures = [self.pool.submit(render_job, job) for job in todo]
            try:
                for future in as_completed(futures):
                    done(future.result())
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        except BrokenProcessPool:
            # A worker died (killed, out of memory): nothing of this build was written.
            raise OutputError(
                "a render worker process ended abruptly; nothing was written "
                "(rerun, or build with --jobs 1)"
            ) from None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _pack_files(project: Project) -> int:
    folder = project.packs_dir
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


def _result(
    prepared: Prepared,
    pack: PreparedPack,
    job: RenderJob | None,
    result: Rendered | None,
    paths: dict[str, Path],
    log: ChangeLog | None,
    report: BuildReport,
    manifest: Manifest,
) -> PackResult:
    """Write a pack's rendered outputs, record them, and return what happened."""
    project, options = prepared.content.project, prepared.options
    outputs: list[OutputResult] = []
    for fmt, path in paths.items():
        if result is None or fmt not in result.data:
            outputs.append(OutputResult(fmt, path, "skipped"))
            continue
        atomic_write_bytes(path, result.data[fmt])
        manifest.record(pack.name, pack.fingerprint, path, result.data[fmt], digest(log))
        outputs.append(OutputResult(fmt, path, "built"))
    for message in result.warnings if result else []:
        report.findings.append(
            Problem(
                project.rel(project.templates_dir / "pack.html.j2"),
                message=f"PDF renderer ({pack.name}): {message}",
                code="render-warning",
                severity="warning",
            )
        )
    built = result is not None and job is not None
    counts: dict[str, int] = {}
    if built and job is not None:
        stats = job.view.stats
        counts = {"reviewed": stats.reviewed, "machine": stats.machine, "missing": stats.missing}
    return PackResult(
        pack.name,
        outputs[0].path,
        "built" if built else "skipped",
        pack.fingerprint,
        result.pages if result else None,
        counts,
        pdf_variant=options.pdf_variant,
        attachments=[a.name for a in job.attachments] if job else [],
        outputs=outputs,
        changes=log,
    )


def render_pack_html(
    project: Project, pack_name: str, *, options: BuildOptions = BuildOptions()
) -> str:
    """Return the HTML of one pack without rendering a PDF (golden tests, debugging)."""
    prepared = prepare(project, [pack_name], options=options, translate=False)
    view, _ = prepared.view(prepared.packs[0])
    view = replace(view, draft=options.draft)
    return render_html(view.context(), project.templates_dir)
