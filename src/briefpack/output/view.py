"""Assemble what the template shows: aligned German/English rows per document."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from briefpack.glossary.model import Term
from briefpack.output.variants import PDF_VARIANTS
from briefpack.source.content import Content, FieldsByDoc, LoadedPack
from briefpack.source.house import House
from briefpack.source.memory import TranslationMemory
from briefpack.source.schema import Briefing, Source
from briefpack.source.segment import FieldText
from briefpack.util.versions import __version__, dist_version

Status = Literal["reviewed", "machine", "missing"]
MISSING_EN = "[Translation missing — draft build]"
# A pack of this many sources or fewer is laid out compactly: its contents list is a few
# lines, so it shares a page with the executive summary, and the glossary and the list of
# sources follow the last source on its page instead of each starting a page of their own.
# A longer pack keeps a page for each part (its contents list alone fills half a page).
COMPACT_SOURCES = 2


@dataclass(frozen=True)
class Span:
    """The English of one segment and how it was produced."""

    text: str
    status: Status


@dataclass(frozen=True)
class English:
    """The English of one field: paragraphs of segment spans."""

    paragraphs: tuple[tuple[Span, ...], ...]
    status: Status  # the weakest status of its segments
    engines: tuple[str, ...] = ()  # provenance labels of machine segments

    @property
    def text(self) -> str:
        return "\n\n".join(" ".join(s.text for s in para) for para in self.paragraphs)


def english_for(f: FieldText, memory: TranslationMemory) -> English:
    """Join the translations of a field's segments (paragraph structure kept).

    A field with sentences that have no English shows one marker, where its first
    untranslated sentence stands, not one per sentence (a draft stays readable).
    """
    paras: list[tuple[Span, ...]] = []
    status: Status = "reviewed"
    engines: list[str] = []
    for para in f.paragraphs:
        spans: list[Span] = []
        for seg in para:
            entry = memory.lookup(seg.key)
            if entry is None:
                if status != "missing":
                    spans.append(Span(MISSING_EN, "missing"))
                status = "missing"
                continue
            if entry.status == "machine":
                if status == "reviewed":
                    status = "machine"
                prov = entry.provenance
                if prov is not None:
                    engines.append(
                        " ".join(x for x in (prov.engine, prov.package, prov.version) if x)
                    )
            spans.append(Span(entry.en.strip(), entry.status))
        if spans:
            paras.append(tuple(spans))
    return English(tuple(paras), status, tuple(dict.fromkeys(engines)))


@dataclass(frozen=True)
class Row:
    """One aligned German/English row."""

    de: str
    en: English
    speaker_de: str | None = None
    speaker_en: English | None = None


@dataclass
class Section:
    """One source's section of the pack."""

    number: int
    anchor: str
    title_de: str
    title_en: English
    source: Source
    summary: Row
    key_points: list[Row]
    quotes: list[Row]
    assessment: Row
    tags: list[str]


@dataclass
class Stats:
    """Segment counts by status, over the whole pack."""

    reviewed: int = 0
    machine: int = 0
    missing: int = 0
    engines: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.reviewed + self.machine + self.missing


@dataclass(frozen=True)
class Colophon:
    """How a pack was made: versions, the glossary used and the input fingerprint."""

    pdf_variant: str = "none"
    fingerprint: str = ""  # the pack's manifest fingerprint (sha256 of every input)
    glossary_entries: int = 0
    glossary_fingerprint: str = ""
    attachments: tuple[str, ...] = ()
    renderer: str = ""

    @property
    def variant_label(self) -> str:
        variant = PDF_VARIANTS.get(self.pdf_variant)
        return variant.label if variant is not None else self.pdf_variant

    @classmethod
    def for_pack(
        cls,
        content: Content,
        *,
        fingerprint: str,
        pdf_variant: str,
        attachments: list[str] | tuple[str, ...] = (),
    ) -> Colophon:
        """Return the colophon of a pack built from `content`."""
        return cls(
            pdf_variant=pdf_variant,
            fingerprint=fingerprint,
            glossary_entries=len(content.glossary),
            glossary_fingerprint=content.glossary.fingerprint(),
            attachments=tuple(attachments),
            renderer=f"WeasyPrint {dist_version('weasyprint', '(version unknown)')}",
        )


@dataclass(frozen=True)
class Change:
    """One line of the "Changes since" section (kinds: see output.changes)."""

    kind: str
    doc: str  # a briefing id, or the pack's own document id
    title: str  # the German title of the briefing (or pack) it concerns
    count: int = 0  # segments, for translation changes

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping (the `changes` list of --report)."""
        return {"kind": self.kind, "source": self.doc, "title": self.title, "count": self.count}


@dataclass(frozen=True)
class ChangeLog:
    """What changed in a pack since its previous build (`since`: that build's date)."""

    since: dt.date
    items: tuple[Change, ...] = ()


@dataclass
class PackView:
    """Everything the pack template shows."""

    pack: dict[str, object]
    executive: Row
    sections: list[Section]
    glossary_terms: list[dict[str, str]]
    stats: Stats
    keywords: list[str]
    version: str
    colophon: Colophon
    house: House = field(default_factory=House)  # organisation, kicker, letterhead, colours
    draft: bool = False  # a draft build: marked on every page, written to <pack>.draft.*
    changes: ChangeLog | None = None  # what changed since the previous build, if known

    @property
    def compact(self) -> bool:
        """Whether the pack is short enough to run its short parts together (see above)."""
        return len(self.sections) <= COMPACT_SOURCES

    def context(self) -> dict[str, object]:
        """Return the template variables."""
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return {**fields, "compact": self.compact}


def build_view(
    content: Content,
    pack: LoadedPack,
    fields_by_doc: FieldsByDoc,
    glossary_terms: list[Term] | None = None,
    colophon: Colophon | None = None,
) -> PackView:
    """Return what the template shows for one pack."""
    memory = content.memory
    counts: Counter[str] = Counter()
    engines: dict[str, None] = {}

    def en(f: FieldText) -> English:
        result = english_for(f, memory)
        for seg in f.segments:
            entry = memory.lookup(seg.key)
            counts["missing" if entry is None else entry.status] += 1
        engines.update(dict.fromkeys(result.engines))
        return result

    def by_name(doc: str) -> dict[str, FieldText]:
        return {f.field: f for f in fields_by_doc[doc]}

    sections: list[Section] = []
    for number, bid in enumerate(pack.model.briefings, 1):
        b: Briefing = content.briefings[bid].model
        f = by_name(bid)
        sections.append(
            Section(
                number=number,
                anchor=f"src-{bid}",
                title_de=b.title,
                title_en=en(f["title"]),
                source=b.source,
                summary=Row(b.summary, en(f["summary"])),
                key_points=[Row(t, en(f[f"key_points[{i}]"])) for i, t in enumerate(b.key_points)],
                quotes=[
                    Row(
                        q.text, en(f[f"quotes[{i}].text"]), q.speaker, en(f[f"quotes[{i}].speaker"])
                    )
                    for i, q in enumerate(b.quotes)
                ],
                assessment=Row(b.assessment, en(f["assessment"])),
                tags=list(b.tags),
            )
        )
    pf = by_name(pack.doc_id)
    p = pack.model
    audience = en(pf["audience"])
    marking = en(pf["marking"])
    executive = Row(p.executive_summary, en(pf["executive_summary"]))
    stats = Stats(counts["reviewed"], counts["machine"], counts["missing"], list(engines))
    keywords = sorted({t for s in sections for t in s.tags})
    return PackView(
        pack={
            "name": pack.name,
            "title_de": p.title.de,
            "title_en": p.title.en,
            "date": p.date,
            "audience_de": p.audience,
            "audience_en": audience,
            "marking_de": p.marking,
            "marking_en": marking,
        },
        executive=executive,
        sections=sections,
        glossary_terms=[
            {"de": t.de, "en": t.de if t.keep else t.en, "note": t.note or ""}
            for t in glossary_terms or []
        ],
        stats=stats,
        keywords=keywords,
        version=__version__,
        colophon=colophon or Colophon(),
        house=content.house(pack),
    )
