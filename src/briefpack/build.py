"""`briefpack build`: prepare the project, then write each pack that is not up to date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.errors import OutputError, Problem, ViolationsError
from briefpack.fsutil import atomic_write_bytes
from briefpack.output.html import render_html
from briefpack.output.manifest import Manifest, load_manifest
from briefpack.output.pdf import epoch_for, render_pdf
from briefpack.output.variants import DEFAULT_PDF_VARIANT, PDF_VARIANTS
from briefpack.paths import Project
from briefpack.prepare import BuildOptions, Prepared, PreparedPack, prepare, used_memory_name
from briefpack.translation.machine import EngineFactory

__all__ = ["BuildOptions", "BuildReport", "PackResult", "build", "used_memory_name"]


@dataclass
class PackResult:
    """What happened to one pack."""

    name: str
    path: Path
    status: str  # "built" or "skipped"
    fingerprint: str
    pages: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    pdf_variant: str = DEFAULT_PDF_VARIANT
    attachments: list[str] = field(default_factory=list)  # names of the embedded files

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
        }


@dataclass
class BuildReport:
    """The outcome of a build, for the CLI and for --report."""

    packs: list[PackResult] = field(default_factory=list)
    findings: list[Problem] = field(default_factory=list)
    translated: int = 0
    segments: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. "manifest was corrupt"


def build(
    project: Project,
    packs: Sequence[str] = (),
    *,
    out_dir: Path | None = None,
    options: BuildOptions = BuildOptions(),
    engine_factory: EngineFactory | None = None,
) -> BuildReport:
    """Build the named packs (default: all) into `out_dir` (default: the project's out/)."""
    _check_out_dir(out_dir or project.out_dir, project)
    prepared = prepare(project, packs, options=options, engine_factory=engine_factory)
    report = BuildReport(
        findings=prepared.findings, translated=prepared.translated, segments=prepared.segments
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
    for pack in prepared.packs:
        output = target / f"{pack.name}.pdf"
        if not options.force and manifest.up_to_date(pack.name, pack.fingerprint, output):
            report.packs.append(
                PackResult(
                    pack.name, output, "skipped", pack.fingerprint, pdf_variant=options.pdf_variant
                )
            )
            continue
        report.packs.append(_render(prepared, pack, output, manifest, report))

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


def _render(
    prepared: Prepared,
    pack: PreparedPack,
    output: Path,
    manifest: Manifest,
    report: BuildReport,
) -> PackResult:
    project, options = prepared.content.project, prepared.options
    view, attachments = prepared.view(pack)
    html = render_html(view.context(), project.templates_dir)
    result = render_pdf(
        html,
        templates_dir=project.templates_dir,
        epoch=epoch_for(pack.pack.model.date),
        variant=PDF_VARIANTS[options.pdf_variant].weasyprint,
        attachments=attachments,
    )
    for message in result.warnings:
        report.findings.append(
            Problem(
                project.rel(project.templates_dir / "pack.html.j2"),
                message=f"PDF renderer ({pack.name}): {message}",
                code="render-warning",
                severity="warning",
            )
        )
    atomic_write_bytes(output, result.data)
    manifest.record(pack.name, pack.fingerprint, output, result.data)
    stats = view.stats
    counts = {"reviewed": stats.reviewed, "machine": stats.machine, "missing": stats.missing}
    return PackResult(
        pack.name,
        output,
        "built",
        pack.fingerprint,
        result.pages,
        counts,
        pdf_variant=options.pdf_variant,
        attachments=[a.name for a in attachments],
    )


def render_pack_html(
    project: Project, pack_name: str, *, options: BuildOptions = BuildOptions()
) -> str:
    """Return the HTML of one pack without rendering a PDF (golden tests, debugging)."""
    prepared = prepare(project, [pack_name], options=options, translate=False)
    view, _ = prepared.view(prepared.packs[0])
    return render_html(view.context(), project.templates_dir)
