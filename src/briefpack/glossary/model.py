"""The glossary data model: entries, match results and content fingerprints."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from briefpack.errors import UsageError
from briefpack.glossary.entry import FIELDS, Term, TermSpec
from briefpack.glossary.match import Matcher, TermMatch
from briefpack.glossary.normalize import canonical_key

__all__ = [
    "FIELDS",
    "FINGERPRINT_VERSION",
    "Glossary",
    "Term",
    "TermNotFoundError",
    "TermSpec",
    "entry_fingerprint",
]

# Bump when the meaning of an entry's fields changes, so stored provenance goes stale on purpose.
FINGERPRINT_VERSION = 1


class TermNotFoundError(UsageError):
    """No glossary entry matches the term given on the command line."""


def entry_fingerprint(entry: Term) -> str:
    """Return a stable hash of what an entry means for translation (not its note or position)."""
    payload = {
        "v": FINGERPRINT_VERSION,
        "de": entry.de,
        "en": entry.en,
        # Order of forms/avoid does not change behaviour, so it must not change the hash.
        "forms": sorted(entry.forms),
        "avoid": sorted(entry.avoid),
        "keep": entry.keep,
        "compound": entry.compound,
        "case_sensitive": entry.case_sensitive,
    }
    # Only when set, so adding the key changes no existing entry's fingerprint.
    if entry.en_plural is not None:
        payload["en_plural"] = entry.en_plural
    if entry.accept:  # only when set, so entries without it keep their stored fingerprints
        payload["accept"] = sorted(entry.accept)
    return _digest(_ENCODER.encode(payload))


# What `json.dumps(..., ensure_ascii=False, sort_keys=True)` builds on every call, built once
# (a glossary of 5,000 entries is fingerprinted whole for every pack's colophon).
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _combined(fingerprints: Iterable[str]) -> str:
    return _digest("\n".join(sorted(set(fingerprints))))


@dataclass(frozen=True)
class Glossary:
    """All entries of one glossary file, with German matching and fingerprints."""

    terms: tuple[Term, ...] = ()
    path: Path | None = None
    file: str = "glossary.yaml"  # name used in messages

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    @cached_property
    def _matcher(self) -> Matcher:
        return Matcher(self.terms)

    def find(self, text: str) -> list[TermMatch]:
        """Return the glossary terms in German `text`, non-overlapping, in text order."""
        return self._matcher.find(text)

    def fingerprint(self) -> str:
        """Return one hash over every entry's fingerprint (order and notes do not count)."""
        return self._fingerprint

    @cached_property
    def _fingerprint(self) -> str:
        # Asked for by each pack's manifest and colophon: 25 ms at 5,000 entries.
        return _combined(entry_fingerprint(t) for t in self.terms)

    def fingerprint_for(self, matches: Sequence[TermMatch]) -> str:
        """Return the combined fingerprint of the entries matched in one segment.

        Stored with a machine translation, it changes exactly when an entry that matched the
        segment changes, or when the set of matching entries changes.
        """
        return _combined(entry_fingerprint(m.entry) for m in matches)

    def get(self, de: str) -> Term | None:
        """Return the entry whose German base form is `de` (case-insensitive), if any."""
        key = canonical_key(de)
        for term in self.terms:
            if canonical_key(term.de) == key:
                return term
        return None

    def lookup(self, text: str) -> list[Term]:
        """Return the entries `text` names: by German base form, else a form, else English."""
        key = canonical_key(text)
        by_de = [t for t in self.terms if canonical_key(t.de) == key]
        if by_de:
            return by_de
        by_form = [t for t in self.terms if any(canonical_key(f) == key for f in t.forms)]
        if by_form:
            return by_form
        folded = " ".join(text.split()).casefold()
        return [t for t in self.terms if " ".join(t.en.split()).casefold() == folded]

    def resolve(self, text: str) -> Term:
        """Return the one entry `text` names, or raise `TermNotFoundError` / `UsageError`."""
        found = self.lookup(text)
        if not found:
            raise TermNotFoundError(f"{self.file}: no entry matches {text!r}")
        if len(found) > 1:
            names = ", ".join(repr(t.de) for t in found)
            raise UsageError(f"{self.file}: {text!r} is ambiguous ({names}); name the German term")
        return found[0]
