"""Which German texts of each document are translated, in reading order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefpack.schema import Briefing, Pack, Provenance
from briefpack.segment import FieldText, Segment, segment_field

if TYPE_CHECKING:
    from briefpack.load import Content, LoadedPack


def pack_doc_id(name: str) -> str:
    """Return the document id of a pack's own texts."""
    return f"pack:{name}"


def briefing_fields(b: Briefing) -> list[FieldText]:
    """Return the translatable fields of a briefing, segmented."""
    fields = [segment_field(b.id, "title", b.title, split=False)]
    fields.append(segment_field(b.id, "summary", b.summary))
    fields += [segment_field(b.id, f"key_points[{i}]", t) for i, t in enumerate(b.key_points)]
    for i, q in enumerate(b.quotes):
        fields.append(segment_field(b.id, f"quotes[{i}].text", q.text))
        fields.append(segment_field(b.id, f"quotes[{i}].speaker", q.speaker, split=False))
    fields.append(segment_field(b.id, "assessment", b.assessment))
    return fields


def pack_fields(name: str, p: Pack) -> list[FieldText]:
    """Return the translatable fields of a pack (its title is given in both languages)."""
    doc = pack_doc_id(name)
    return [
        segment_field(doc, "audience", p.audience, split=False),
        segment_field(doc, "marking", p.marking, split=False),
        segment_field(doc, "executive_summary", p.executive_summary),
    ]


def field_loc(name: str) -> tuple[str | int, ...]:
    """Return `("quotes", 0, "text")` for `"quotes[0].text"` (to locate it in the YAML)."""
    loc: list[str | int] = []
    for part in name.split("."):
        head, *indexes = part.replace("]", "").split("[")
        loc.append(head)
        loc.extend(int(i) for i in indexes)
    return tuple(loc)


def segment_packs(content: Content, packs: Sequence[LoadedPack]) -> dict[str, list[FieldText]]:
    """Return the segmented fields of every document the packs use, keyed by document id."""
    # `load_content` has segmented every document already; fall back for a Content built
    # by hand.
    known = content.segmented
    out: dict[str, list[FieldText]] = {}
    for pack in packs:
        doc = pack_doc_id(pack.name)
        out[doc] = list(known[doc]) if doc in known else pack_fields(pack.name, pack.model)
        for bid in pack.model.briefings:
            if bid not in out:
                b = content.briefings[bid].model
                out[bid] = list(known[bid]) if bid in known else briefing_fields(b)
    return out


def missing_segments(content: Content, fields: dict[str, list[FieldText]]) -> list[Segment]:
    """Return segments that need machine translation, first occurrence of each key only.

    That is every segment with no usable English, and every segment whose machine
    translation was made under different glossary entries than the segment now contains
    (stale after a glossary change). Reviewed translations are never stale.
    """
    seen: set[str] = set()
    out: list[Segment] = []
    for doc_fields in fields.values():
        for f in doc_fields:
            for seg in f.segments:
                if seg.key not in seen and is_pending(content, seg):
                    seen.add(seg.key)
                    out.append(seg)
    return out


def is_pending(content: Content, seg: Segment) -> bool:
    """Whether a segment has no English yet, or only a stale machine translation."""
    entry = content.memory.lookup(seg.key)
    if entry is None:
        return True
    return entry.status == "machine" and is_stale(content, seg.text, entry.provenance)


def is_stale(content: Content, german: str, provenance: Provenance | None) -> bool:
    """Whether a machine translation predates the glossary entries its segment contains."""
    stored = provenance.glossary if provenance is not None else None
    return stored != content.glossary_fingerprint(german)


def describe_missing(content: Content, segments: Sequence[Segment]) -> str:
    """Return `12 segment(s) to translate in briefings/a.yaml (3), …`."""
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
    return f"{len(segments)} segment(s) need machine translation in {', '.join(parts)}"


def count_statuses(content: Content, fields: dict[str, list[FieldText]]) -> dict[str, int]:
    """Return how many distinct segments are reviewed, machine-translated or missing."""
    counts = {"reviewed": 0, "machine": 0, "missing": 0}
    seen: set[str] = set()
    for doc_fields in fields.values():
        for f in doc_fields:
            for seg in f.segments:
                if seg.key in seen:
                    continue
                seen.add(seg.key)
                entry = content.memory.lookup(seg.key)
                counts["missing" if entry is None else entry.status] += 1
    return counts
