"""The build pipeline: load → validate → segment → translate → fingerprint → render → write."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.check import findings
from briefpack.engines.base import Engine
from briefpack.errors import MissingModelError, Problem, UsageError, ViolationsError
from briefpack.fields import (
    count_statuses,
    describe_missing,
    missing_segments,
    segment_packs,
)
from briefpack.fsutil import atomic_write_bytes
from briefpack.glossary.model import entry_fingerprint
from briefpack.load import Content, LoadedPack, load_content
from briefpack.manifest import Manifest, load_manifest, pack_fingerprint, templates_digest
from briefpack.project import Project
from briefpack.render import epoch_for, render_html, render_pdf
from briefpack.segment import FieldText, Segment
from briefpack.view import build_view, terms_of

log = logging.getLogger(__name__)

EngineFactory = Callable[[], Engine]


@dataclass
class PackResult:
    """What happened to one pack."""

    name: str
    path: Path
    status: str  # "built" or "skipped"
    fingerprint: str
    pages: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "name": self.name,
            "path": str(self.path),
            "status": self.status,
            "fingerprint": self.fingerprint,
            "pages": self.pages,
            "segments": self.counts,
        }


@dataclass
class BuildReport:
    """The outcome of a build, for the CLI and for --report."""

    packs: list[PackResult] = field(default_factory=list)
    findings: list[Problem] = field(default_factory=list)
    translated: int = 0
    segments: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. "manifest was corrupt"


@dataclass(frozen=True)
class BuildOptions:
    """How to build; every field that changes the PDF is part of the fingerprint."""

    draft: bool = False
    strict: bool = False
    force: bool = False

    def fingerprinted(self) -> dict[str, object]:
        """Return the options that shape the output."""
        return {"draft": self.draft}


def select_packs(content: Content, names: Sequence[str]) -> list[LoadedPack]:
    """Return the named packs (all when none are named), in name order."""
    if not names:
        if not content.packs:
            raise UsageError(
                f"no packs defined: add a pack file under "
                f"{content.project.rel(content.project.packs_dir)}/"
            )
        return [content.packs[n] for n in sorted(content.packs)]
    unknown = [n for n in names if n not in content.packs]
    if unknown:
        known = ", ".join(sorted(content.packs)) or "none"
        raise UsageError(f"unknown pack(s): {', '.join(unknown)} (defined: {known})")
    return [content.packs[n] for n in dict.fromkeys(names)]


def build(
    project: Project,
    packs: Sequence[str] = (),
    *,
    out_dir: Path | None = None,
    options: BuildOptions = BuildOptions(),
    engine_factory: EngineFactory | None = None,
) -> BuildReport:
    """Build the named packs (default: all) into `out_dir` (default: the project's out/)."""
    content = load_content(project)  # raises InputError listing every invalid file
    selected = select_packs(content, packs)
    fields = segment_packs(content, selected)
    report = BuildReport()

    missing = missing_segments(content, fields)
    if missing and not options.draft:
        report.translated = _translate(content, missing, engine_factory)

    report.findings = findings(content)
    report.segments = count_statuses(content, fields)
    if options.strict and report.findings:
        raise ViolationsError(
            f"--strict: {len(report.findings)} finding(s); nothing was built",
            problems=report.findings,
        )

    target = out_dir or project.out_dir
    manifest, note = load_manifest(target)
    if note:
        report.notes.append(note)
    templates = templates_digest(project.templates_dir)
    for pack in selected:
        pack_fields = _fields_of(pack, fields)
        fingerprint = pack_fingerprint(
            content,
            pack,
            pack_fields,
            templates=templates,
            glossary_entries=[entry_fingerprint(t) for t in terms_of(content, pack_fields)],
            options=options.fingerprinted(),
        )
        output = target / f"{pack.name}.pdf"
        if not options.force and manifest.up_to_date(pack.name, fingerprint, output):
            report.packs.append(PackResult(pack.name, output, "skipped", fingerprint))
            continue
        report.packs.append(_render(content, pack, fields, output, fingerprint, manifest, report))

    if options.strict and report.findings:
        raise ViolationsError(
            f"--strict: {len(report.findings)} finding(s)", problems=report.findings
        )
    return report


def _translate(
    content: Content, pending: Sequence[Segment], engine_factory: EngineFactory | None
) -> int:
    """Machine-translate pending segments; without a model, fail only for missing English."""
    from briefpack.translate import translate_segments

    missing = [s for s in pending if content.memory.lookup(s.key) is None]
    try:
        if engine_factory is None:
            raise MissingModelError("no translation engine available")
        engine = engine_factory()
    except MissingModelError as exc:
        if missing:
            raise MissingModelError(
                f"{describe_missing(content, missing)}; {exc.message}"
            ) from None
        return 0  # only stale machine entries: keep them; findings() reports them
    translated, _violations = translate_segments(content, pending, engine)
    return translated  # remaining violations are reported by findings() below


def _fields_of(pack: LoadedPack, fields: dict[str, list[FieldText]]) -> dict[str, list[FieldText]]:
    docs = [f"pack:{pack.name}", *pack.model.briefings]
    return {doc: fields[doc] for doc in docs}


def _render(
    content: Content,
    pack: LoadedPack,
    fields: dict[str, list[FieldText]],
    output: Path,
    fingerprint: str,
    manifest: Manifest,
    report: BuildReport,
) -> PackResult:
    view = build_view(content, pack, fields, terms_of(content, _fields_of(pack, fields)))
    html = render_html(view.context(), content.project.templates_dir)
    result = render_pdf(
        html, templates_dir=content.project.templates_dir, epoch=epoch_for(pack.model.date)
    )
    for message in result.warnings:
        report.findings.append(
            Problem(
                content.project.rel(content.project.templates_dir / "pack.html.j2"),
                message=f"PDF renderer ({pack.name}): {message}",
                code="render-warning",
                severity="warning",
            )
        )
    atomic_write_bytes(output, result.data)
    manifest.record(pack.name, fingerprint, output, result.data)
    stats = view.stats
    counts = {"reviewed": stats.reviewed, "machine": stats.machine, "missing": stats.missing}
    return PackResult(pack.name, output, "built", fingerprint, result.pages, counts)


def render_pack_html(project: Project, pack_name: str) -> str:
    """Return the HTML of one pack without rendering a PDF (golden tests, debugging)."""
    content = load_content(project)
    (pack,) = select_packs(content, [pack_name])
    fields = segment_packs(content, [pack])
    view = build_view(content, pack, fields, terms_of(content, fields))
    return render_html(view.context(), project.templates_dir)
