"""`briefpack build`: prepare the project, render what is out of date, decide, then write.

One `BuildRequest` (briefpack.util.request) says what to build. Prepare (load, translate,
fingerprint) runs once, in this process; the packs with outputs out of date are handed to
the renderers, in parallel worker processes with `jobs > 1` (each pack is independent; see
output.render), and the project's findings are computed while they render. Then `--strict`
is decided, once, on everything a build can find (findings, renderer warnings, logged
warnings), before the first write: a strict build that fails writes no translation, no
output and no manifest. The parent alone writes, in pack order, so the output does not
depend on `jobs`. Workers fork from a fork server (see output.workers), never from this
process.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefpack.errors import OutputError, Problem, UsageError, ViolationsError
from briefpack.output.changes import change_log, digest, pack_state
from briefpack.output.fonts import cache_folder
from briefpack.output.html import render_html
from briefpack.output.manifest import Manifest, load_manifest
from briefpack.output.pdf import epoch_for
from briefpack.output.render import Rendered, RenderJob, make_job
from briefpack.output.variants import DEFAULT_PDF_VARIANT, PDF_VARIANTS
from briefpack.output.view import ChangeLog
from briefpack.output.workers import Workers, pool_size
from briefpack.output.workers import cores as default_jobs
from briefpack.prepare import DEFAULT_REQUEST, Prepared, PreparedPack, prepare, used_memory_name
from briefpack.translation.machine import EngineFactory
from briefpack.util.fsutil import atomic_write_bytes
from briefpack.util.paths import Project
from briefpack.util.request import BuildRequest

__all__ = [
    "BuildReport",
    "BuildRequest",
    "PackResult",
    "Step",
    "build",
    "default_jobs",
    "output_name",
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
    request: BuildRequest = DEFAULT_REQUEST,
    *,
    engine_factory: EngineFactory | None = None,
    progress: BuildProgress | None = None,
    overlap: bool = False,
) -> BuildReport:
    """Build the packs `request` names (default: all) into its output folder (default: out/).

    Stages: prepare (load, translate, fingerprint) → hand each pack that is out of date to
    the renderers → findings (while they render) → the strict decision → write. With
    `request.strict`, any finding, renderer warning or warning logged while building fails
    the build (ViolationsError) before anything is written: no translation, no output, no
    manifest; its findings are computed before anything is rendered, so that a strict build
    they fail renders nothing. With `overlap` (the CLI's choice), even a single PDF pack
    renders in a worker when a second core is there, beside this process's findings
    (output.workers.pool_size); without it a single pack renders here, where a caller's
    patches and handlers see it.
    """
    why = request.invalid()
    if why:
        raise UsageError(why)
    _check_out_dir(request.out or project.out_dir, project)
    packs = len(set(request.packs)) if request.packs else _pack_files(project)
    workers = Workers(pool_size(request, packs, overlap=overlap))
    try:
        with _counted_warnings() as logged:
            return _build(project, request, engine_factory, progress, workers, logged)
    finally:
        workers.close()


def _build(
    project: Project,
    request: BuildRequest,
    engine_factory: EngineFactory | None,
    progress: BuildProgress | None,
    workers: Workers,
    logged: _CountedWarnings,
) -> BuildReport:
    def step(stage: str, done: int, total: int, item: str = "") -> None:
        if progress is not None:
            progress(Step(stage, done, total, item))

    step("prepare", 0, 1)
    prepared = prepare(
        project,
        request,
        engine_factory=engine_factory,
        progress=(lambda done, total: step("translate", done, total)) if progress else None,
    )
    step("prepare", 1, 1)
    if request.strict and prepared.findings:  # the build fails: nothing is worth rendering
        raise _violations(prepared.findings, logged.count)

    target = request.out or project.out_dir
    manifest, note = load_manifest(target)
    before = (dict(manifest.outputs), dict(manifest.packs))
    plans = _plan(prepared, manifest, target, workers.submit)  # workers start rendering
    todo = [plan.job for plan in plans if plan.job is not None]
    if todo:
        step("render", 0, len(todo))
        for job in todo:
            step("pack", 0, 1, job.pack)
    findings = prepared.findings  # computed here while the workers render (unless strict)
    rendered: dict[str, Rendered] = {}

    def done(result: Rendered) -> None:
        rendered[result.pack] = result
        step("pack", 1, 1, result.pack)
        step("render", len(rendered), len(todo), result.pack)

    workers.finish(done)
    found = [*findings, *(w for plan in plans for w in _render_warnings(project, plan, rendered))]
    if request.strict and (found or logged.count):
        raise _violations(found, logged.count)

    # Decided: from here on the build writes.
    prepared.save_translations()
    report = BuildReport(
        findings=found,
        translated=prepared.translated,
        memory=prepared.memory,
        segments=prepared.segments,
        notes=[note] if note else [],
    )
    for plan in plans:
        report.packs.append(_write(prepared, plan, rendered.get(plan.pack.name), manifest))
    if (manifest.outputs, manifest.packs) != before:
        manifest.save()
    return report


@dataclass
class _Plan:
    """What to do with one pack: its output paths, its change log, the render job if any."""

    pack: PreparedPack
    paths: dict[str, Path]  # by format
    log: ChangeLog | None
    job: RenderJob | None  # None: every output is up to date
    counts: dict[str, int] = field(default_factory=dict)  # segments by status, if rendered


def _plan(
    prepared: Prepared, manifest: Manifest, target: Path, submit: Callable[[RenderJob], None]
) -> list[_Plan]:
    """Return each pack's plan, submitting its render job at once if it has one.

    Records each pack's change state in the manifest (unless a draft).
    """
    request = prepared.request
    plans = []
    today = build_date()
    for pack in prepared.packs:
        state = pack_state(prepared.content, pack.pack, pack.fields, today)
        log, record = change_log(manifest.packs.get(pack.name), state, pack.pack.doc_id)
        if not request.draft:  # a draft never becomes what the next build compares with
            manifest.packs[pack.name] = record
        paths = {
            f: target / output_name(pack.name, f, draft=request.draft) for f in request.formats
        }
        stale = tuple(
            f
            for f in request.formats
            if request.force or not manifest.up_to_date(pack.fingerprint, paths[f], digest(log))
        )
        job, counts = _job(prepared, pack, stale, log) if stale else (None, {})
        if job is not None:
            submit(job)
        plans.append(_Plan(pack, paths, log, job, counts))
    return plans


def _render_warnings(project: Project, plan: _Plan, rendered: dict[str, Rendered]) -> list[Problem]:
    """Return what the renderers complained about for one pack, as findings."""
    result = rendered.get(plan.pack.name)
    return [
        Problem(
            project.rel(project.templates_dir / "pack.html.j2"),
            message=f"PDF renderer ({plan.pack.name}): {message}",
            code="render-warning",
            severity="warning",
        )
        for message in (result.warnings if result else [])
    ]


def _violations(found: list[Problem], logged: int) -> ViolationsError:
    """Return the error of a strict build that found `found` and saw `logged` warnings."""
    parts = [f"{len(found)} finding(s)"] if found else []
    parts += [f"{logged} warning(s) logged while building"] if logged else []
    return ViolationsError(f"--strict: {' and '.join(parts)}; nothing was written", problems=found)


class _CountedWarnings(logging.Handler):
    """Count the warnings briefpack's modules log (each is a finding `--strict` fails on)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def _counted_warnings() -> Iterator[_CountedWarnings]:
    logger = logging.getLogger("briefpack")
    handler = _CountedWarnings()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _check_out_dir(target: Path, project: Project) -> None:
    """Raise OutputError now, before minutes of rendering, if `target` cannot be a folder."""
    for folder in (target, *target.parents):
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                raise OutputError(
                    f"{project.rel(folder)}: is a file, not a folder; nothing was built "
                    f"(move it away or choose another --output)"
                )
            return


def _job(
    prepared: Prepared, pack: PreparedPack, formats: tuple[str, ...], log: ChangeLog | None
) -> tuple[RenderJob, dict[str, int]]:
    """Return a pack's render job and the counts of its segments by status."""
    request = prepared.request
    view, attachments = prepared.view(pack)
    view = replace(view, draft=request.draft, changes=log)
    job = make_job(
        pack.name,
        view,
        formats,
        prepared.content.project.templates_dir,
        epoch=epoch_for(pack.pack.model.date),
        pdf_variant=PDF_VARIANTS[request.pdf_variant].weasyprint,
        attachments=tuple(attachments),
        font_cache=cache_folder(prepared.content.project.root),
    )
    stats = view.stats
    return job, {"reviewed": stats.reviewed, "machine": stats.machine, "missing": stats.missing}


def _pack_files(project: Project) -> int:
    folder = project.packs_dir
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


def _write(
    prepared: Prepared, plan: _Plan, result: Rendered | None, manifest: Manifest
) -> PackResult:
    """Write a pack's rendered outputs, record them in the manifest, return what happened."""
    pack, job = plan.pack, plan.job
    outputs: list[OutputResult] = []
    for fmt, path in plan.paths.items():
        if result is None or fmt not in result.data:
            outputs.append(OutputResult(fmt, path, "skipped"))
            continue
        atomic_write_bytes(path, result.data[fmt])
        manifest.record(pack.name, pack.fingerprint, path, result.data[fmt], digest(plan.log))
        outputs.append(OutputResult(fmt, path, "built"))
    built = result is not None and job is not None
    return PackResult(
        pack.name,
        outputs[0].path,
        "built" if built else "skipped",
        pack.fingerprint,
        result.pages if result else None,
        plan.counts if built else {},
        pdf_variant=prepared.request.pdf_variant,
        attachments=[a.name for a in job.attachments] if job else [],
        outputs=outputs,
        changes=plan.log,
    )


def render_pack_html(
    project: Project, pack_name: str, request: BuildRequest = DEFAULT_REQUEST
) -> str:
    """Return the HTML of one pack without rendering a PDF (golden tests, debugging)."""
    prepared = prepare(project, request.replace(packs=(pack_name,)), translate=False)
    view, _ = prepared.view(prepared.packs[0])
    view = replace(view, draft=request.draft)
    return render_html(view.context(), project.templates_dir)
