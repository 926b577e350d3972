"""Leverage: exact, fuzzy and repaired matches from the project memory.

- **exact** (score 100): a unit whose normalised German is the segment's. `translate` and
  `build` fill a segment from a *reviewed* exact match before any machine translation.
  Such an entry counts as reviewed: a person signed off this very German sentence, and
  briefpack already treats a reviewed sentence in another briefing's translations/ file
  as reviewed; treating memory/ differently would make the same sentence reviewed or not
  depending on which file holds it. It is written to translations/ with
  `provenance: {engine: memory, origin: <file>, date: <date>}` so that its source stays
  visible, and glossary and number QA run on it like on any entry. A machine unit
  (imported with `--as machine`) never fills a segment: it is offered as a match only.
- **fuzzy** (score 1–99, see `score.py`): offered, never filled in.
- **repaired**: a fuzzy match whose German differs only in numbers, months or glossary
  terms, with its English adapted (`repair.py`); it keeps the fuzzy score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefpack.errors import InputError, Problem
from briefpack.glossary.match import TermMatch
from briefpack.source.content import Content
from briefpack.source.schema import MemoryEntry, Provenance
from briefpack.source.segment import Segment, segment_key
from briefpack.translation.exchange.tm.index import MemoryIndex, MemoryIndexes, inputs_stamp
from briefpack.translation.exchange.tm.repair import repair
from briefpack.translation.exchange.tm.score import DiffPart, Tokens, diff, reachable, score
from briefpack.translation.exchange.tm.store import (
    MemoryUnit,
    file_digest,
    folder_units,
    memory_files,
    reviewed_units,
)
from briefpack.util.paths import Project

MEMORY_ENGINE = "memory"  # provenance engine of entries filled from the memory
REPAIR_EXTRA = 5  # candidates beyond `limit` tried for a repair (a repaired one ranks first)
REVIEW_MINIMUM = 75  # `review list`, the review page and XLIFF offer matches from here
DEFAULT_LIMIT = 5


@dataclass(frozen=True)
class Match:
    """A memory unit offered for a sentence: its score, kind and (maybe repaired) English."""

    score: int
    unit: MemoryUnit
    en: str  # the English offered: the unit's, or repaired
    kind: str  # exact | fuzzy | repaired
    diff: tuple[DiffPart, ...]

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping (the keys `tm lookup --json` promises, and more)."""
        return {
            "score": self.score,
            "de": self.unit.de,
            "en": self.en,
            "origin": self.unit.origin,
            "status": self.unit.status,
            "diff": [p.to_dict() for p in self.diff],
            "kind": self.kind,
            "date": self.unit.date,
            "memory_en": self.unit.en,
        }


class Leverage:
    """Look-ups in one project's memory (index opened on first use)."""

    def __init__(self, content: Content) -> None:
        self._content = content
        self._index: MemoryIndexes | None = None

    @property
    def index(self) -> MemoryIndexes:
        if self._index is None:
            folder = folder_index(self._content.project)
            reviewed = MemoryIndex.in_memory(reviewed_units(self._content))
            self._index = MemoryIndexes([reviewed, folder])
        return self._index

    def matches(
        self, text: str, *, minimum: int = REVIEW_MINIMUM, limit: int = DEFAULT_LIMIT
    ) -> list[Match]:
        """Return the best matches for a German sentence, highest score first."""
        query = Tokens.of(text)
        key = segment_key(text)
        scored: dict[tuple[str, str], tuple[int, MemoryUnit, Tokens]] = {}
        for unit in [*self.index.exact(key), *self.index.candidates(query, minimum)]:
            tokens = Tokens.of(unit.de, normalized=True)
            if unit.key != key and not reachable(len(query.words), len(tokens.words), minimum):
                continue
            value = 100 if unit.key == key else score(query, tokens)
            if value >= minimum and (unit.de, unit.en) not in scored:
                scored[(unit.de, unit.en)] = (value, unit, tokens)
        ranked = sorted(scored.values(), key=lambda s: (-s[0], s[1].status != "reviewed"))
        # Repairs cost glossary look-ups: try them only where they can change the ranking,
        # among the candidates that score at least the `limit`-th best.
        cut = ranked[min(limit, len(ranked)) - 1][0] if ranked else 101
        found = [
            self._match(query, value, unit, tokens, value >= cut)
            for value, unit, tokens in ranked[: limit + REPAIR_EXTRA]
        ]
        found.sort(key=lambda m: (-m.score, m.kind != "repaired", m.unit.status != "reviewed"))
        return found[:limit]

    def _match(
        self, query: Tokens, value: int, unit: MemoryUnit, tokens: Tokens, try_repair: bool
    ) -> Match:
        parts = tuple(diff(query, tokens))
        if value == 100:
            return Match(value, unit, unit.en, "exact", parts)
        if try_repair:
            content = self._content

            def terms(german: str) -> list[TermMatch]:
                # The segment's terms are memoised for the run; a memory unit's are not
                # (100,000 units would fill the memo for nothing).
                return (
                    content.terms_in(german)
                    if german == query.text
                    else content.glossary.find(german)
                )

            fixed = repair(query.text, tokens.text, unit.en, parts, terms)
            if fixed is not None:
                return Match(value, unit, fixed, "repaired", parts)
        return Match(value, unit, unit.en, "fuzzy", parts)

    def best(self, text: str, minimum: int = REVIEW_MINIMUM) -> Match | None:
        """Return the best match at or above `minimum`, if any."""
        found = self.matches(text, minimum=minimum, limit=1)
        return found[0] if found else None

    def exact_reviewed(self, key: str) -> MemoryUnit | None:
        """Return a reviewed unit whose German has this key, if the memory holds one."""
        return next((u for u in self.index.exact(key) if u.status == "reviewed"), None)


def folder_index(project: Project) -> MemoryIndex:
    """Return the look-up index of memory/: the cached one, else built from its files.

    Raises InputError, every unreadable file located, if one of them cannot be read.
    """
    files = [(project.rel(p), file_digest(p)) for p in memory_files(project)]
    return MemoryIndex.open(project.root, inputs_stamp(files), lambda: folder_units(project))


def memory_problems(project: Project) -> list[Problem]:
    """Return a located error for every memory/ file that cannot be read (what `check` lists).

    A build reads memory/ only when a segment needs a match, so without this a corrupt
    file would surface there. It goes through the index: files indexed as they are now
    are known to be readable (the cost of hashing them); others are read and indexed,
    and the look-ups that follow reuse the index.
    """
    if not memory_files(project):
        return []  # nothing to read, and no index to write
    try:
        folder_index(project)
    except InputError as exc:
        return exc.as_problems(project.rel(project.memory_dir))
    return []


def fill_from_memory(content: Content, segments: Sequence[Segment]) -> list[Segment]:
    """Fill segments with no English (or stale machine English) from reviewed exact matches.

    Returns the segments filled; the caller saves the memory. Nothing is looked up when no
    segment needs it, so a project with everything translated never opens the index.
    """
    if not segments:
        return []
    leverage = Leverage(content)
    filled = []
    for seg in segments:
        unit = leverage.exact_reviewed(seg.key)
        if unit is None:
            continue
        prov = Provenance(
            engine=MEMORY_ENGINE,
            glossary=content.glossary_fingerprint(seg.text),
            origin=unit.origin,
            date=unit.date or None,
        )
        entry = MemoryEntry(de=seg.text, en=unit.en, status="reviewed", provenance=prov)
        content.memory.put(seg, entry)
        filled.append(seg)
    return filled
