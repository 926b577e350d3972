"""What every exchange format shares: the imported entry, format names, flags, de-duplication."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from briefpack.errors import Problem, UsageError
from briefpack.glossary.formats import ExchangeFormat
from briefpack.glossary.match import canonical_key
from briefpack.glossary.model import TermSpec

MAX_IMPORT_BYTES = 16 * 1024 * 1024
# keep, compound and case_sensitive travel as notes in formats that have no place for them.
FLAG_NOTES = {
    "keep": "Do not translate: the English text keeps this term. [briefpack:keep]",
    "compound": "Also matches inside German compounds. [briefpack:compound]",
    "case_sensitive": "Matched with exact case. [briefpack:case-sensitive]",
}
FLAG_RE = re.compile(r"\[briefpack:(keep|compound|case-sensitive)\]")
_LIST_SPLIT = re.compile(r"\s*[|;]\s*")

_SUFFIXES = {
    ".csv": ExchangeFormat.CSV,
    ".tsv": ExchangeFormat.TSV,
    ".tab": ExchangeFormat.TSV,
    ".tbx": ExchangeFormat.TBX,
}


@dataclass(frozen=True)
class ImportedTerm:
    """One entry read from an exchange file, with the fields that file actually carries."""

    spec: TermSpec
    fields: frozenset[str]
    line: int | None = None


def format_for(file: Path, fmt: str | ExchangeFormat | None) -> ExchangeFormat:
    """Return the format given, or the one the file extension names."""
    if fmt is not None:
        try:
            return ExchangeFormat(str(fmt.value if isinstance(fmt, Enum) else fmt).lower())
        except ValueError:
            names = ", ".join(f.value for f in ExchangeFormat)
            raise UsageError(f"unknown format {fmt!r}; use one of {names}") from None
    found = _SUFFIXES.get(file.suffix.lower())
    if found is None:
        raise UsageError(f"{file}: cannot tell the format from the extension; pass --format")
    return found


def split_list(value: str | None) -> tuple[str, ...]:
    """Return the values of a cell that lists several, separated by ``|`` or ``;``."""
    if not value:
        return ()
    return tuple(v for v in _LIST_SPLIT.split(value.strip()) if v)


@dataclass(frozen=True)
class ExchangeRead:
    """What an exchange file holds: usable entries, refused rows and joined concepts."""

    items: list[ImportedTerm]
    read_as: str  # how the file was read: format version, delimiter, encoding, header
    refused: tuple[Problem, ...] = ()  # rows or entries not imported, each with its reason
    joined: tuple[str, ...] = ()  # German terms the file gives for several concepts


def dedupe(items: list[ImportedTerm]) -> tuple[list[ImportedTerm], tuple[str, ...]]:
    """Drop exact repeats; join a German term given for several concepts into one entry.

    A termbase may list one German term under two concepts (a homonym, or two senses):
    briefpack's glossary has one entry per German term, so the first concept's English
    stays the approved one, the other concepts' English become accepted alternatives and
    the note says so, with the rows they came from. Returns the entries and the German
    terms joined.
    """
    seen: dict[str, int] = {}
    given: dict[str, list[TermSpec]] = {}  # the specs as the file gave them, by German key
    out: list[ImportedTerm] = []
    joined: list[str] = []
    for item in items:
        key = canonical_key(item.spec.de)
        at = seen.get(key)
        if at is None:
            seen[key] = len(out)
            given[key] = [item.spec]
            out.append(item)
        elif item.spec not in given[key]:
            given[key].append(item.spec)
            out[at] = _join(out[at], item)
            if item.spec.de not in joined:
                joined.append(item.spec.de)
    return out, tuple(joined)


def _join(first: ImportedTerm, other: ImportedTerm) -> ImportedTerm:
    """Return `first` with `other`'s English as an accepted alternative (see `dedupe`)."""
    a, b = first.spec, other.spec
    approved = {x.casefold() for x in (a.en or a.de, *a.accept)}
    extra = [x for x in (b.en, *b.accept) if x and x.casefold() not in approved]
    accept = tuple(dict.fromkeys((*a.accept, *extra)))
    where = f"line {other.line}" if other.line else "another entry"
    said = f"another concept ({where}): {b.en or b.de}" + (f" — {b.note}" if b.note else "")
    spec = replace(
        a,
        accept=accept,
        forms=tuple(dict.fromkeys((*a.forms, *b.forms))),
        avoid=tuple(x for x in dict.fromkeys((*a.avoid, *b.avoid)) if x not in accept),
        note="; ".join(x for x in (a.note, said) if x),
    )
    return ImportedTerm(spec, first.fields | {"accept", "note"}, first.line)
