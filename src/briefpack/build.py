"""The build pipeline: load → validate → segment → translate → render → write."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.engines.base import Engine
from briefpack.errors import MissingModelError, Problem, UsageError
from briefpack.fields import briefing_fields, pack_doc_id, pack_fields
from briefpack.fsutil import atomic_write_bytes
from briefpack.load import Content, LoadedPack, load_content
from briefpack.project import Project
from briefpack.render import epoch_for, render_html, render_pdf
from briefpack.segment import FieldText, Segment
from briefpack.view import build_view

log = logging.getLogger(__name__)

EngineFactory = Callable[[], Engine]


@dataclass
class PackResult:
    """What happened to one pack."""

    name: str
    path: Path
    status: str  # "built" or "skipped"
    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class BuildReport:
    """The outcome of a build, for the CLI and for --report."""

    packs: list[PackResult] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    translated: int = 0


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


def segment_packs(content: Content, packs: Sequence[LoadedPack]) -> dict[str, list[FieldText]]:
    """Return the segmented fields of every document the packs use, keyed by document id."""
    out: dict[str, list[FieldText]] = {}
    for pack in packs:
        out[pack_doc_id(pack.name)] = pack_fields(pack.name, pack.model)
        for bid in pack.model.briefings:
            if bid not in out:
                out[bid] = briefing_fields(content.briefings[bid].model)
    return out


def missing_segments(content: Content, fields: dict[str, list[FieldText]]) -> list[Segment]:
    """Return segments with no usable translation, first occurrence of each key only."""
    seen: set[str] = set()
    out: list[Segment] = []
    for doc_fields in fields.values():
        for f in doc_fields:
            for seg in f.segments:
                if seg.key not in seen and content.memory.lookup(seg.key) is None:
                    seen.add(seg.key)
                    out.append(seg)
    return out


def describe_missing(content: Content, segments: Sequence[Segment]) -> str:
    """Return `12 untranslated segment(s) in briefings/a.yaml (3), …`."""
    per_doc: dict[str, int] = {}
    for seg in segments:
        per_doc[seg.doc] = per_doc.get(seg.doc, 0) + 1
    parts = []
    for doc, n in per_doc.items():
        if doc.startswith("pack:"):
            path = content.packs[doc.removeprefix("pack:")].path
        else:
            path = content.briefings[doc].path
        parts.append(f"{content.project.rel(path)} ({n})")
    return f"{len(segments)} untranslated segment(s) in {', '.join(parts)}"


def build(
    project: Project,
    packs: Sequence[str] = (),
    *,
    out_dir: Path | None = None,
    draft: bool = False,
    engine_factory: EngineFactory | None = None,
) -> BuildReport:
    """Build the named packs (default: all) into `out_dir` (default: the project's out/)."""
    content = load_content(project)
    selected = select_packs(content, packs)
    fields = segment_packs(content, selected)
    report = BuildReport(warnings=list(content.warnings))

    missing = missing_segments(content, fields)
    if missing and not draft:
        if engine_factory is None:
            raise MissingModelError(
                f"{describe_missing(content, missing)}; no translation engine available"
            )
        from briefpack.translate import translate_segments

        try:
            engine = engine_factory()
        except MissingModelError as exc:
            raise MissingModelError(
                f"{describe_missing(content, missing)}; {exc.message}"
            ) from None
        report.translated = translate_segments(content, missing, engine)

    target = out_dir or project.out_dir
    for pack in selected:
        report.packs.append(_render_pack(content, pack, fields, target, report))
    return report


def _render_pack(
    content: Content,
    pack: LoadedPack,
    fields: dict[str, list[FieldText]],
    target: Path,
    report: BuildReport,
) -> PackResult:
    view = build_view(content, pack, fields)
    html = render_html(view.context(), content.project.templates_dir)
    result = render_pdf(
        html, templates_dir=content.project.templates_dir, epoch=epoch_for(pack.model.date)
    )
    for message in result.warnings:
        report.warnings.append(
            Problem(
                content.project.rel(pack.path),
                message=f"PDF renderer: {message}",
                code="render-warning",
                severity="warning",
            )
        )
    path = target / f"{pack.name}.pdf"
    atomic_write_bytes(path, result.data)
    stats = view.stats
    counts = {"reviewed": stats.reviewed, "machine": stats.machine, "missing": stats.missing}
    return PackResult(pack.name, path, "built", result.pages, counts)


def render_pack_html(project: Project, pack_name: str) -> str:
    """Return the HTML of one pack without rendering a PDF (golden tests, debugging)."""
    content = load_content(project)
    (pack,) = select_packs(content, [pack_name])
    view = build_view(content, pack, segment_packs(content, [pack]))
    return render_html(view.context(), project.templates_dir)
