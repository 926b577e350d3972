"""What travels to and from translators: one unit per segment, and how a unit comes back.

Export collects the segments of some packs (each German sentence once) with their current
English, its memory status, where the segment occurs and the glossary terms it contains.
Import (`apply_units`) accepts only units whose German is still a current segment, runs
terminology QA on every accepted English and writes the memory through the usual atomic,
locked, merge-on-save path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from briefpack.errors import InputError, Problem
from briefpack.qa.finding import Finding
from briefpack.qa.pair import check_pair
from briefpack.source.content import Content, FieldsByDoc, unique_segments
from briefpack.source.memory import machine_entry
from briefpack.source.schema import Provenance
from briefpack.source.segment import Segment, segment_key
from briefpack.util.text import normalize

Status = Literal["missing", "machine", "reviewed"]
Which = Literal["open", "all", "machine", "missing"]  # open: machine and missing
# What an imported unit becomes: reviewed (a person signed it off) or machine-like.
Landing = Literal["reviewed", "machine"]

IMPORT_ENGINE = "import"  # provenance engine of unreviewed imported translations
SOURCE_LANG, TARGET_LANG = "de", "en"
NOT_CURRENT = "no current segment has this German (changed since export, or another project's)"


def primary(lang: str) -> str:
    """Return a language tag's primary subtag, lower case (`de-AT` → `de`, `en_GB` → `en`)."""
    return lang.replace("_", "-").split("-", 1)[0].strip().lower()


def check_languages(
    display: str, source: str, target: str, *, line: int | None = None, what: str = "file"
) -> None:
    """Refuse a file that is not German → English (regional variants accepted).

    An empty `target` means the file declares none: refused too, since a French or Polish
    target must never replace reviewed English.
    """
    if primary(source) == SOURCE_LANG and primary(target) == TARGET_LANG:
        return
    declared = f"{source or 'none'} → {target or 'none declared'}"
    raise InputError(
        f"{display}: the {what} translates {declared}; briefpack takes German → English "
        "(de → en, regional variants such as de-AT or en-GB included)",
        problems=[Problem(display, line, None, f"languages {declared}", code="languages")],
    )


@dataclass(frozen=True)
class TermNote:
    """A glossary term found in a segment and the English it must be rendered with."""

    de: str  # the glossary's German base form
    en: str  # the approved English (the German itself for `keep` terms)
    surface: str  # the form found in the segment
    start: int
    end: int


@dataclass(frozen=True)
class Candidate:
    """A translation-memory match offered with a unit (XLIFF alt-trans / mtc:match)."""

    score: int  # 0–100
    de: str  # the memory's German
    en: str  # the English offered (repaired where the match was repaired)
    origin: str
    kind: str  # exact | fuzzy | repaired


@dataclass(frozen=True)
class ExportUnit:
    """One segment as it goes out: German, current English, status and context."""

    key: str
    de: str
    en: str
    status: Status
    file: str  # project-relative file of the document
    doc: str
    field: str
    terms: tuple[TermNote, ...] = ()
    provenance: str = ""  # e.g. "argos translate-de_en 1.9" for machine English
    matches: tuple[Candidate, ...] = ()  # memory matches offered to the translator


@dataclass(frozen=True, slots=True)  # slots: a TMX import holds 100,000 of them
class ReturnedUnit:
    """One unit as it comes back from a CAT tool."""

    id: str
    de: str
    en: str
    landing: Landing
    where: str = ""  # file:line of the unit, for messages
    skip: str = ""  # why the reader already knows this unit cannot be taken ('' if it can)
    origin: str = ""  # TMX: where the unit first came from (briefpack's origin prop), if said
    date: str = ""  # TMX: the unit's change or creation date as YYYY-MM-DD, if given


@dataclass
class ImportReport:
    """What an import did: accepted units with their findings, and skipped ones."""

    accepted: list[tuple[ReturnedUnit, list[Finding]]] = field(default_factory=list)
    skipped: list[tuple[ReturnedUnit, str]] = field(default_factory=list)  # with the reason
    written: int = 0  # translations/ files written
    remembered: list[ReturnedUnit] = field(default_factory=list)  # TMX: kept in memory/
    memory_file: str = ""  # project-relative memory/ file they went to

    @property
    def findings(self) -> int:
        return sum(len(f) for _, f in self.accepted)


def export_units(content: Content, fields: FieldsByDoc, which: Which) -> list[ExportUnit]:
    """Return the units of these fields, each segment once, filtered by `which`."""
    units: list[ExportUnit] = []
    for f, seg in unique_segments(fields):
        entry = content.memory.lookup(seg.key)
        status: Status = "missing" if entry is None else entry.status
        if which == "open" and status == "reviewed":
            continue
        if which in ("machine", "missing") and status != which:
            continue
        prov = ""
        if entry is not None and entry.provenance is not None:
            p = entry.provenance
            prov = " ".join(x for x in (p.engine, p.package, p.version) if x)
        terms = tuple(
            TermNote(
                m.entry.de, m.entry.de if m.entry.keep else m.entry.en, m.surface, m.start, m.end
            )
            for m in content.terms_in(seg.text)
        )
        units.append(
            ExportUnit(
                key=seg.key,
                de=seg.text,
                en="" if entry is None else entry.en,
                status=status,
                file=content.file_of(seg.doc),
                doc=seg.doc,
                field=f.field,
                terms=terms,
                provenance=prov,
            )
        )
    return units


def current_segments(content: Content) -> dict[str, Segment]:
    """Return every current segment of every briefing and pack, by key (first occurrence)."""
    return {seg.key: seg for _, seg in unique_segments(content.all_fields())}


def apply_units(
    content: Content, units: Sequence[ReturnedUnit], *, engine: str = IMPORT_ENGINE
) -> ImportReport:
    """Store returned translations whose German is current; save the memory once.

    Every unit not taken is reported with its reason: the reader's (no target, not
    translatable, another language pair), no German, no English, German that is no
    longer a segment (the source changed since export), a repeat of an earlier unit of
    the file (the first is taken; a later one with different English is reported, never
    silently last-wins), or unreviewed English that would replace a reviewed entry.
    Reviewed units replace whatever is stored; machine-like units become machine entries
    with `engine` as provenance.
    """
    segments = current_segments(content)
    report = ImportReport()
    memory = content.memory
    taken: dict[str, ReturnedUnit] = {}
    for unit in units:
        reason = unit.skip or _unusable(unit, segments, taken)
        if reason:
            report.skipped.append((unit, reason))
            continue
        key = segment_key(unit.de)
        seg = segments[key]
        taken[key] = unit
        en = normalize(unit.en)
        old = memory.lookup(key)
        if unit.landing == "reviewed":
            if old is None or old.status != "reviewed" or old.en != en:
                memory.put_reviewed(seg, en)
        elif old is not None and old.status == "reviewed":
            report.skipped.append((unit, "unreviewed English would replace a reviewed entry"))
            continue
        elif old is None or old.en != en:
            prov = Provenance(engine=engine, glossary=content.glossary_fingerprint(seg.text))
            memory.put(seg, machine_entry(seg.text, en, prov))
        findings = check_pair(seg.text, en, content.glossary, matches=content.terms_in(seg.text))
        report.accepted.append((unit, findings))
    report.written = len(memory.save())
    return report


def _unusable(
    unit: ReturnedUnit, segments: dict[str, Segment], taken: dict[str, ReturnedUnit]
) -> str:
    """Return why a unit cannot be taken, '' if it can."""
    if not normalize(unit.de):
        return "no German (empty source)"
    if not normalize(unit.en):
        return "no English (empty target)"
    key = segment_key(unit.de)
    if key not in segments:
        return NOT_CURRENT
    first = taken.get(key)
    if first is None:
        return ""
    same = normalize(first.en) == normalize(unit.en) and first.landing == unit.landing
    where = f"unit {first.id} at {first.where}"
    if same:
        return f"repeats an earlier unit ({where})"
    return f"another English for the German of an earlier unit ({where}, which is taken)"
