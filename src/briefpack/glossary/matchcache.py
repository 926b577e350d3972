"""Glossary matches by segment text, for one glossary content; carried over a `glossary add`.

`.briefpack-cache/terms.json` is scoped by the SHA-256 of glossary.yaml's bytes: a changed
glossary may match differently anywhere. One change is common and cheap to see through:
entries *appended* (`glossary add`, an import of new terms). Every candidate the matcher
finds is owned by one entry, and an appended entry only ever claims what no earlier entry
claimed (compound keys, name skeletons) or adds a reading of its own (a compound head or
first part) that, where it changes a result, is itself a candidate there. So a segment in
which the appended entries alone find nothing keeps its matches; the editor carries those
into the new content's scope (`carry_matches`) and drops the rest, and the next `check`
finds only what the new entries touch to match again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefpack.glossary.entry import Term
from briefpack.glossary.match import Matcher, TermMatch
from briefpack.glossary.model import Glossary
from briefpack.util.cache import JsonCache

MATCH_FILE = "terms.json"


class MatchCache:
    """Glossary matches by segment text, valid only for the glossary file they were found with.

    The file is scoped by the glossary file's hash (an unknown hash keeps it in memory).
    A match is stored as `[entry index, start, end, compound, lemma, number, base number]`.
    """

    def __init__(self, folder: Path | None, glossary: Glossary, glossary_digest: str) -> None:
        where = folder / MATCH_FILE if folder is not None and glossary_digest else None
        self._cache = JsonCache(where, scope=glossary_digest)
        self._glossary = glossary
        self._position = {id(t): i for i, t in enumerate(glossary.terms)}

    def matches(self, text: str) -> list[TermMatch]:
        """Return the glossary matches of `text`, from the cache or freshly found."""
        found = matches_from_json(self._cache.get(text), text, self._glossary.terms)
        if found is None:
            found = self._glossary.find(text)
            self._cache.put(
                text,
                [
                    [self._position[id(m.entry)], m.start, m.end, m.compound, *_grammar(m)]
                    for m in found
                ],
            )
        return found

    def save(self) -> None:
        """Write the matches used in this run (fails soft)."""
        self._cache.save()


_NUMBERS = (None, "sg", "pl")


def _grammar(match: TermMatch) -> list[Any]:
    return [match.lemma, match.number, match.base_number]


def matches_from_json(value: Any, text: str, terms: tuple[Term, ...]) -> list[TermMatch] | None:
    """Rebuild cached matches of `text`; None if the value is not a plausible match list."""
    if not isinstance(value, list):
        return None
    out: list[TermMatch] = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 7):
            return None
        idx, start, end, compound, lemma, number, base = item
        if not (
            all(type(x) is int for x in (idx, start, end))
            and isinstance(compound, bool)
            and isinstance(lemma, str)
            and number in _NUMBERS
            and base in _NUMBERS
            and 0 <= idx < len(terms)
            and 0 <= start < end <= len(text)
        ):
            return None
        out.append(
            TermMatch(
                terms[idx], start, end, text[start:end], compound, lemma, number, base_number=base
            )
        )
    return out


def carry_matches(
    folder: Path, old_digest: str, new_digest: str, terms: tuple[Term, ...], appended: int
) -> None:
    """Re-scope the matches stored for `old_digest` to `new_digest` after an append.

    `terms` is the new glossary, whose first entries are the old one's and whose last
    `appended` entries are new; a segment keeps its matches where those find nothing.
    """
    old = JsonCache(folder / MATCH_FILE, scope=old_digest).stored()
    if not old:
        return
    kept = terms[: len(terms) - appended]
    solo = Matcher(terms[len(terms) - appended :])
    new = JsonCache(folder / MATCH_FILE, scope=new_digest)
    for text, value in old.items():
        if matches_from_json(value, text, kept) is not None and not solo.find(text):
            new.put(text, value)
    new.save()
