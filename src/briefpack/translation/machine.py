"""Fill the translation memory for segments that have no English yet.

First from the project memory (a reviewed exact match: `translation/tm/leverage.py`), then
by machine translation for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from briefpack.errors import MissingModelError
from briefpack.qa.pair import Finding
from briefpack.source.content import Content
from briefpack.source.load import load_content
from briefpack.source.memory import machine_entry
from briefpack.source.schema import Provenance
from briefpack.source.segment import Segment, segment_key
from briefpack.translation.enforce import translate_enforced
from briefpack.translation.engines.base import Engine
from briefpack.translation.exchange.tm.leverage import fill_from_memory
from briefpack.util.paths import Project

Progress = Callable[[int, int], None]
EngineFactory = Callable[[], Engine]


@dataclass
class SegmentViolation:
    """A machine-translated segment that still misses a glossary term."""

    segment: Segment
    finding: Finding


# Segments per decoding call between two checkpoints. One call for everything is the fastest
# (the engine splits a call into parallel sub-batches, one per core), but a run killed at
# 90 % would lose it all. 64 segments keep every core busy with several sub-batches, and a
# save per chunk costs a few milliseconds against seconds of decoding (docs: NOTES-15.md).
CHECKPOINT_SEGMENTS = 64


def translate_segments(
    content: Content,
    segments: Sequence[Segment],
    engine: Engine,
    *,
    progress: Progress | None = None,
    save: bool = True,
) -> tuple[int, list[SegmentViolation]]:
    """Translate `segments` in chunks, hold them to the glossary, store and save each chunk.

    The translation memory is saved (atomically, merged with edits made meanwhile) after
    every CHECKPOINT_SEGMENTS segments, so a run that is killed keeps what it decoded and a
    rerun translates only the rest. With `save=False` the entries stay in memory (a strict
    build saves them only once it has decided to write). Returns how many segments were
    stored and the glossary violations that remain. Reviewed entries are never overwritten.
    """
    if not segments:
        return 0, []
    info = engine.info
    left: list[SegmentViolation] = []
    done = 0
    for start in range(0, len(segments), CHECKPOINT_SEGMENTS):
        chunk = segments[start : start + CHECKPOINT_SEGMENTS]
        texts = [s.text for s in chunk]
        results = translate_enforced(
            engine, texts, [content.terms_in(t) for t in texts], content.glossary
        )
        for seg, result in zip(chunk, results, strict=True):
            provenance = Provenance(
                engine=info.engine,
                package=info.package,
                version=info.version,
                beam=info.beam_size,
                glossary=content.glossary_fingerprint(seg.text),
            )
            content.memory.put(seg, machine_entry(seg.text, result.text, provenance))
            left += [SegmentViolation(seg, f) for f in result.violations]
            done += 1
            if progress is not None:
                progress(done, len(segments))
        if save:
            content.memory.save()  # the checkpoint
    return len(segments), left


@dataclass
class TranslateReport:
    """What `briefpack translate` did or, with --dry-run, would do."""

    pending: dict[str, int] = field(default_factory=dict)  # file → segments to translate
    translated: int = 0
    memory: int = 0  # segments filled from reviewed exact matches of the project memory
    violations: list[SegmentViolation] = field(default_factory=list)
    pruned: int = 0
    unused_reviewed: list[str] = field(default_factory=list)  # kept, not reusable: German
    engine: str | None = None

    @property
    def total(self) -> int:
        return sum(self.pending.values())


def fill_exact(
    content: Content, segments: Sequence[Segment], *, save: bool = True
) -> tuple[int, list[Segment]]:
    """Fill segments from reviewed exact memory matches; return how many, and the rest.

    The memory is saved when anything was filled (unless `save` is false: a strict build
    decides first), so the rest can go to the machine (or fail for want of a model) without
    losing these.
    """
    filled = {seg.key for seg in fill_from_memory(content, segments)}
    if filled and save:
        content.memory.save()
    return len(filled), [s for s in segments if s.key not in filled]


def translate_pending(
    content: Content,
    pending: Sequence[Segment],
    engine_factory: EngineFactory | None,
    *,
    progress: Progress | None = None,
    save: bool = True,
) -> tuple[int, list[SegmentViolation], str | None]:
    """Translate pending segments with the factory's engine; return count, violations, label.

    Without an engine (none given, or no model installed) only segments with no English at
    all are an error (MissingModelError naming the files); stale machine entries are kept,
    and the project's findings report them.
    """
    if not pending:
        return 0, [], None
    missing = [s for s in pending if content.memory.lookup(s.key) is None]
    try:
        engine = _engine(content, missing, engine_factory)
    except MissingModelError:
        if missing:
            raise
        return 0, [], None
    translated, violations = translate_segments(
        content, pending, engine, progress=progress, save=save
    )
    return translated, violations, engine.info.label()


def _engine(content: Content, needed: Sequence[Segment], factory: EngineFactory | None) -> Engine:
    """Return the factory's engine, or raise MissingModelError naming what needs it."""
    try:
        if factory is None:
            raise MissingModelError("no translation engine available")
        return factory()
    except MissingModelError as exc:
        raise MissingModelError(f"{content.describe_missing(needed)}; {exc.message}") from None


def translate_project(
    project: Project,
    packs: Sequence[str] = (),
    *,
    engine_factory: EngineFactory | None,
    dry_run: bool = False,
    prune: bool = False,
    progress: Progress | None = None,
) -> TranslateReport:
    """Translate every segment of the packs (default: all) that has no English yet."""
    content = load_content(project)
    # Without named packs, briefings no pack lists yet are translated too: their analysts
    # want English as well.
    fields = content.fields_of(content.select_packs(packs)) if packs else content.all_fields()
    missing = content.pending(fields)
    report = TranslateReport()
    for seg in missing:
        name = content.file_of(seg.doc)
        report.pending[name] = report.pending.get(name, 0) + 1
    if dry_run:
        return report
    if prune:
        report.pruned, report.unused_reviewed = _prune(content)
    report.memory, missing = fill_exact(content, missing)
    if missing:
        # The user asked to translate: every pending segment, stale ones too, needs the engine.
        engine = _engine(content, missing, engine_factory)
        report.engine = engine.info.label()
        report.translated, report.violations = translate_segments(
            content, missing, engine, progress=progress
        )
    elif prune:
        content.memory.save()
    return report


def _prune(content: Content) -> tuple[int, list[str]]:
    """Drop machine entries no briefing or pack uses; list unused reviewed ones nothing reuses.

    An unused reviewed entry with English stays unlisted: it is a unit of the project memory.
    """
    used = content.used_keys()
    unused = [(e, segment_key(e.de)) for _, e in content.memory.all_entries()]
    stale_machine = [k for e, k in unused if k not in used and e.status == "machine"]
    reviewed = [
        e.de for e, k in unused if k not in used and e.status == "reviewed" and not e.is_memory_unit
    ]
    return content.memory.remove_keys(stale_machine, status="machine"), reviewed
