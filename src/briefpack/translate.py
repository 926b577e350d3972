"""Fill the translation memory for segments that have no English yet."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from briefpack.engines.base import Engine
from briefpack.load import Content
from briefpack.memory import machine_entry
from briefpack.schema import Provenance
from briefpack.segment import Segment

Progress = Callable[[int, int], None]


def translate_segments(
    content: Content,
    segments: Sequence[Segment],
    engine: Engine,
    *,
    progress: Progress | None = None,
) -> int:
    """Translate `segments` in one engine call, store them as machine entries, save.

    Returns how many segments were stored. Reviewed entries are never overwritten.
    """
    if not segments:
        return 0
    info = engine.info
    results = engine.translate([s.text for s in segments])
    provenance = Provenance(
        engine=info.engine, package=info.package, version=info.version, beam=info.beam_size
    )
    for i, (seg, hyps) in enumerate(zip(segments, results, strict=True), 1):
        content.memory.put(seg, machine_entry(seg.text, hyps[0].text if hyps else "", provenance))
        if progress is not None:
            progress(i, len(segments))
    content.memory.save()
    return len(segments)
