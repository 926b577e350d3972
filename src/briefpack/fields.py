"""Which German texts of each document are translated, in reading order."""

from __future__ import annotations

from briefpack.schema import Briefing, Pack
from briefpack.segment import FieldText, segment_field


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
