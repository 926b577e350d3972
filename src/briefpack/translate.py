"""Fill the translation memory for segments that have no English yet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from briefpack.enforce import translate_enforced
from briefpack.engines.base import Engine
from briefpack.errors import MissingModelError
from briefpack.fields import briefing_fields, describe_missing, missing_segments, segment_packs
from briefpack.load import Content, load_content
from briefpack.memory import machine_entry
from briefpack.project import Project
from briefpack.qa import Finding
from briefpack.schema import Provenance
from briefpack.segment import Segment, segment_key

Progress = Callable[[int, int], None]


@dataclass
class SegmentViolation:
    """A machine-translated segment that still misses a glossary term."""

    segment: Segment
    finding: Finding


def translate_segments(
    content: Content,
    segments: Sequence[Segment],
    engine: Engine,
    *,
    progress: Progress | None = None,
) -> tuple[int, list[SegmentViolation]]:
    """Translate `segments` in one engine call, hold them to the glossary, store, save.

    Returns how many segments were stored and the glossary violations that remain.
    Reviewed entries are never overwritten.
    """
    if not segments:
        return 0, []
    info = engine.info
    texts = [s.text for s in segments]
    results = translate_enforced(
        engine, texts, [content.terms_in(t) for t in texts], content.glossary
    )
    left: list[SegmentViolation] = []
    for i, (seg, result) in enumerate(zip(segments, results, strict=True), 1):
        provenance = Provenance(
            engine=info.engine,
            package=info.package,
            version=info.version,
            beam=info.beam_size,
            glossary=content.glossary_fingerprint(seg.text),
        )
        content.memory.put(seg, machine_entry(seg.text, result.text, provenance))
        left += [SegmentViolation(seg, f) for f in result.violations]
        if progress is not None:
            progress(i, len(segments))
    content.memory.save()
    return len(segments), left


@dataclass
class TranslateReport:
    """What `briefpack translate` did or, with --dry-run, would do."""

    pending: dict[str, int] = field(default_factory=dict)  # file → segments to translate
    translated: int = 0
    violations: list[SegmentViolation] = field(default_factory=list)
    pruned: int = 0
    unused_reviewed: list[str] = field(default_factory=list)  # German text of kept entries
    engine: str | None = None

    @property
    def total(self) -> int:
        return sum(self.pending.values())


def translate_project(
    project: Project,
    packs: Sequence[str] = (),
    *,
    engine_factory: Callable[[], Engine] | None,
    dry_run: bool = False,
    prune: bool = False,
    progress: Progress | None = None,
) -> TranslateReport:
    """Translate every segment of the packs (default: all) that has no English yet."""
    from briefpack.build import select_packs

    content = load_content(project)
    selected = select_packs(content, packs) if (packs or content.packs) else []
    fields = segment_packs(content, selected)
    # Briefings no pack lists yet are translated too: their analysts want English as well.
    for bid, b in sorted(content.briefings.items()):
        if not packs and bid not in fields:
            fields[bid] = briefing_fields(b.model)
    missing = missing_segments(content, fields)
    report = TranslateReport()
    for seg in missing:
        name = _file_of(content, seg.doc)
        report.pending[name] = report.pending.get(name, 0) + 1
    if dry_run:
        return report
    if prune:
        report.pruned, report.unused_reviewed = _prune(content)
    if missing:
        if engine_factory is None:
            raise MissingModelError(f"{describe_missing(content, missing)}; no engine available")
        try:
            engine = engine_factory()
        except MissingModelError as exc:
            raise MissingModelError(
                f"{describe_missing(content, missing)}; {exc.message}"
            ) from None
        report.engine = engine.info.label()
        report.translated, report.violations = translate_segments(
            content, missing, engine, progress=progress
        )
    elif prune:
        content.memory.save()
    return report


def _file_of(content: Content, doc: str) -> str:
    if doc.startswith("pack:"):
        return content.project.rel(content.packs[doc.removeprefix("pack:")].path)
    return content.project.rel(content.briefings[doc].path)


def _prune(content: Content) -> tuple[int, list[str]]:
    """Drop machine entries no briefing or pack uses; list unused reviewed ones."""
    fields = segment_packs(content, list(content.packs.values()))
    used = {s.key for fs in fields.values() for f in fs for s in f.segments}
    for b in content.briefings.values():
        used.update(s.key for f in briefing_fields(b.model) for s in f.segments)
    unused = [(e, segment_key(e.de)) for _, e in content.memory.all_entries()]
    stale_machine = [k for e, k in unused if k not in used and e.status == "machine"]
    reviewed = [e.de for e, k in unused if k not in used and e.status == "reviewed"]
    return content.memory.remove_keys(stale_machine, status="machine"), reviewed
