"""The loaded project: documents, their segments, the memory and the glossary, with questions.

`Content` is what `load_content` returns. Callers ask it what they need (a document by id,
the fields of some packs, the segments still to translate, the glossary terms in a
sentence) instead of walking its dictionaries; document ids are made and read by
`briefpack.source.fields` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.errors import UsageError
from briefpack.glossary.match import TermMatch
from briefpack.glossary.model import Glossary, Term
from briefpack.source.fields import briefing_fields, pack_doc_id, pack_fields, pack_of
from briefpack.source.house import House, Letterhead, Settings, StyleSource
from briefpack.source.memory import TranslationMemory
from briefpack.source.schema import Briefing, Pack, Provenance
from briefpack.source.segment import FieldText, Segment, Splitter
from briefpack.util.paths import Project
from briefpack.util.yamlio import YamlDoc

FieldsByDoc = dict[str, list[FieldText]]

_DIN_5007 = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "Ä": "a", "Ö": "o", "Ü": "u"})


def german_sort_key(text: str) -> tuple[str, str]:
    """Sort the German dictionary way (DIN 5007-1): ä with a, ö with o, ü with u, ß as ss."""
    return (text.translate(_DIN_5007).casefold(), text)


@dataclass(frozen=True)
class LoadedBriefing:
    """A validated briefing and where it came from."""

    model: Briefing
    path: Path
    doc: YamlDoc
    source_text: str


@dataclass(frozen=True)
class LoadedPack:
    """A validated pack definition and where it came from."""

    name: str
    model: Pack
    path: Path
    doc: YamlDoc
    letterhead: Letterhead | None = None  # the image the pack's own `letterhead:` names

    @property
    def doc_id(self) -> str:
        """Return the document id of the pack's own texts."""
        return pack_doc_id(self.name)

    @property
    def documents(self) -> list[str]:
        """Return the ids of the documents the pack shows: its own texts, then its sources."""
        return [self.doc_id, *self.model.briefings]


@dataclass(frozen=True)
class Document:
    """One translatable document: a briefing or a pack's own texts."""

    id: str
    path: Path
    yaml: YamlDoc


@dataclass
class Content:
    """Everything a build or check needs, validated and segmented."""

    project: Project
    briefings: dict[str, LoadedBriefing]
    packs: dict[str, LoadedPack]
    memory: TranslationMemory
    glossary: Glossary
    settings: Settings = field(default_factory=Settings)  # briefpack.yaml
    splitter: Splitter = field(default_factory=Splitter, repr=False)
    _terms: dict[str, list[TermMatch]] = field(default_factory=dict, repr=False)
    _fields: FieldsByDoc = field(default_factory=dict, repr=False)

    # --- documents ------------------------------------------------------------------------

    def document(self, doc_id: str) -> Document:
        """Return the briefing or pack a document id names."""
        pack = pack_of(doc_id)
        if pack is not None:
            p = self.packs[pack]
            return Document(doc_id, p.path, p.doc)
        b = self.briefings[doc_id]
        return Document(doc_id, b.path, b.doc)

    def documents(self) -> Iterator[Document]:
        """Yield every briefing, then every pack (file name order within each)."""
        for bid in self.briefings:
            yield self.document(bid)
        for pack in self.packs.values():
            yield self.document(pack.doc_id)

    def file_of(self, doc_id: str) -> str:
        """Return the project-relative file of a document (for messages)."""
        return self.project.rel(self.document(doc_id).path)

    def select_packs(self, names: Sequence[str] = ()) -> list[LoadedPack]:
        """Return the named packs (all when none are named), in name order."""
        if not names:
            if not self.packs:
                raise UsageError(
                    f"no packs defined: add a pack file under "
                    f"{self.project.rel(self.project.packs_dir)}/"
                )
            return [self.packs[n] for n in sorted(self.packs)]
        unknown = [n for n in names if n not in self.packs]
        if unknown:
            known = ", ".join(sorted(self.packs)) or "none"
            raise UsageError(f"unknown pack(s): {', '.join(unknown)} (defined: {known})")
        return [self.packs[n] for n in dict.fromkeys(names)]

    def house(self, pack: LoadedPack) -> House:
        """Return the house style a pack is rendered with (its keys over briefpack.yaml's)."""
        return self.settings.house(StyleSource(pack.model, pack.letterhead))

    # --- fields and segments --------------------------------------------------------------

    def fields(self, doc_id: str) -> list[FieldText]:
        """Return the segmented fields of one document (segmented once per run)."""
        found = self._fields.get(doc_id)
        if found is None:
            pack = pack_of(doc_id)
            if pack is not None:
                found = pack_fields(pack, self.packs[pack].model, self.splitter)
            else:
                found = briefing_fields(self.briefings[doc_id].model, self.splitter)
            self._fields[doc_id] = found
        return found

    def fields_of(self, packs: Iterable[LoadedPack]) -> FieldsByDoc:
        """Return the fields of every document the packs show, keyed by document id."""
        out: FieldsByDoc = {}
        for pack in packs:
            for doc in pack.documents:
                if doc not in out:
                    out[doc] = list(self.fields(doc))
        return out

    def all_fields(self) -> FieldsByDoc:
        """Return the fields of every pack's documents, then of briefings no pack lists."""
        out = self.fields_of(self.packs.values())
        for bid in self.briefings:
            out.setdefault(bid, list(self.fields(bid)))
        return out

    def used_keys(self) -> set[str]:
        """Return the segment keys of every briefing and pack (what the memory is used for)."""
        return {s.key for _, s in unique_segments(self.all_fields())}

    def pending(self, fields: FieldsByDoc) -> list[Segment]:
        """Return segments that need machine translation, first occurrence of each key only.

        That is every segment with no usable English, and every segment whose machine
        translation was made under different glossary entries than the segment now contains
        (stale after a glossary change). Reviewed translations are never stale.
        """
        return [seg for _, seg in unique_segments(fields) if self.is_pending(seg)]

    def is_pending(self, seg: Segment) -> bool:
        """Whether a segment has no English yet, or only a stale machine translation."""
        entry = self.memory.lookup(seg.key)
        if entry is None:
            return True
        return entry.status == "machine" and self.is_stale(seg.text, entry.provenance)

    def is_stale(self, german: str, provenance: Provenance | None) -> bool:
        """Whether a machine translation predates the glossary entries its segment contains."""
        stored = provenance.glossary if provenance is not None else None
        return stored != self.glossary_fingerprint(german)

    def status_counts(self, fields: FieldsByDoc) -> dict[str, int]:
        """Return how many distinct segments are reviewed, machine-translated or missing."""
        counts = {"reviewed": 0, "machine": 0, "missing": 0}
        for _, seg in unique_segments(fields):
            entry = self.memory.lookup(seg.key)
            counts["missing" if entry is None else entry.status] += 1
        return counts

    def describe_missing(self, segments: Sequence[Segment]) -> str:
        """Return `12 segment(s) need machine translation in briefings/a.yaml (3), …`."""
        per_file: dict[str, int] = {}
        for seg in segments:
            name = self.file_of(seg.doc)
            per_file[name] = per_file.get(name, 0) + 1
        parts = ", ".join(f"{name} ({n})" for name, n in per_file.items())
        return f"{len(segments)} segment(s) need machine translation in {parts}"

    # --- glossary -------------------------------------------------------------------------

    def terms_in(self, german: str) -> list[TermMatch]:
        """Return the glossary terms found in a German segment (memoised per run)."""
        found = self._terms.get(german)
        if found is None:
            found = self._terms[german] = self.glossary.find(german)
        return found

    def remember_terms(self, german: str, matches: list[TermMatch]) -> None:
        """Accept the glossary matches of a segment computed earlier (the loader's cache)."""
        self._terms.setdefault(german, matches)

    def glossary_fingerprint(self, german: str) -> str:
        """Return the fingerprint of the glossary entries that a segment contains."""
        return self.glossary.fingerprint_for(self.terms_in(german))

    def terms_of(self, fields: FieldsByDoc) -> list[Term]:
        """Return the glossary entries that occur in these fields, sorted the German way."""
        found: dict[str, Term] = {}
        for _, seg in unique_segments(fields):
            for m in self.terms_in(seg.text):
                found.setdefault(m.entry.de, m.entry)
        return sorted(found.values(), key=lambda t: german_sort_key(t.de))


def unique_segments(fields: FieldsByDoc) -> Iterator[tuple[FieldText, Segment]]:
    """Yield each distinct segment key once, with its field, in reading order."""
    seen: set[str] = set()
    for doc_fields in fields.values():
        for f in doc_fields:
            for seg in f.segments:
                if seg.key not in seen:
                    seen.add(seg.key)
                    yield f, seg
