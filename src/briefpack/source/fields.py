"""Which German texts of each document are translated, in reading order, and document ids.

A document is a briefing (its id is the briefing id) or a pack's own texts (its id is
`pack_doc_id(name)`); this module is the one place that spells or reads a pack's id.
"""

from __future__ import annotations

from briefpack.source.schema import Briefing, Pack
from briefpack.source.segment import FieldText, Splitter, segment_field

_PACK_PREFIX = "pack:"


def pack_doc_id(name: str) -> str:
    """Return the document id of a pack's own texts."""
    return _PACK_PREFIX + name


def pack_of(doc_id: str) -> str | None:
    """Return the pack name a document id stands for, or None for a briefing id."""
    return doc_id.removeprefix(_PACK_PREFIX) if doc_id.startswith(_PACK_PREFIX) else None


def briefing_fields(b: Briefing, splitter: Splitter | None = None) -> list[FieldText]:
    """Return the translatable fields of a briefing, segmented."""
    splitter = splitter or Splitter()

    def seg(name: str, text: str, *, split: bool = True) -> FieldText:
        return segment_field(b.id, name, text, split=split, splitter=splitter)

    fields = [seg("title", b.title, split=False), seg("summary", b.summary)]
    fields += [seg(f"key_points[{i}]", t) for i, t in enumerate(b.key_points)]
    for i, q in enumerate(b.quotes):
        fields.append(seg(f"quotes[{i}].text", q.text))
        fields.append(seg(f"quotes[{i}].speaker", q.speaker, split=False))
    fields.append(seg("assessment", b.assessment))
    return fields


def pack_fields(name: str, p: Pack, splitter: Splitter | None = None) -> list[FieldText]:
    """Return the translatable fields of a pack (its title is given in both languages)."""
    doc = pack_doc_id(name)
    splitter = splitter or Splitter()
    return [
        segment_field(doc, "audience", p.audience, split=False, splitter=splitter),
        # A pack without a marking of its own has briefpack.yaml's after loading.
        segment_field(doc, "marking", p.marking or "", split=False, splitter=splitter),
        segment_field(doc, "executive_summary", p.executive_summary, splitter=splitter),
    ]


def field_loc(name: str) -> tuple[str | int, ...]:
    """Return `("quotes", 0, "text")` for `"quotes[0].text"` (to locate it in the YAML)."""
    loc: list[str | int] = []
    for part in name.split("."):
        head, *indexes = part.replace("]", "").split("[")
        loc.append(head)
        loc.extend(int(i) for i in indexes)
    return tuple(loc)
