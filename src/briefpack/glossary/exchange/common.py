"""What every exchange format shares: the imported entry, format names, flags, de-duplication."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from briefpack.errors import InputError, Problem, UsageError
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


def dedupe(items: list[ImportedTerm], label: str) -> list[ImportedTerm]:
    """Drop exact repeats; raise `InputError` for a German term given twice differently."""
    seen: dict[str, ImportedTerm] = {}
    problems: list[Problem] = []
    out: list[ImportedTerm] = []
    for item in items:
        key = canonical_key(item.spec.de)
        first = seen.get(key)
        if first is None:
            seen[key] = item
            out.append(item)
        elif first.spec != item.spec:
            where = f" (line {first.line})" if first.line else ""
            problems.append(
                Problem(
                    label,
                    item.line,
                    1 if item.line else None,
                    f"{item.spec.de!r} appears twice with different content{where}",
                    None,
                    "import",
                )
            )
    if problems:
        raise InputError(f"{label}: duplicate entries; nothing imported", problems=problems)
    return out
