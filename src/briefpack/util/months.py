"""Month names, German and English, from the Unicode CLDR data Babel ships.

One definition for every place that reads or writes a month: number QA, sentence splitting,
source metadata and the pack's dates. Babel (installed with trafilatura) is imported on first
use, not with this module, so commands that never meet a month do not pay for its locale data.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

# Spellings German sources use that CLDR does not list (Austrian „Feber“, older abbreviations).
_GERMAN_EXTRA = {"Feber": 2, "Febr.": 2, "Mrz.": 3, "Jun.": 6, "Jul.": 7, "Sep.": 9}


def _names(locale: str, width: Literal["wide", "abbreviated"] = "wide") -> tuple[str, ...]:
    from babel.dates import get_month_names

    names = get_month_names(width, context="format", locale=locale)
    return tuple(str(names[i]) for i in range(1, 13))


@cache
def german() -> tuple[str, ...]:
    """Return „Januar“ … „Dezember“."""
    return _names("de")


@cache
def english() -> tuple[str, ...]:
    """Return "January" … "December"."""
    return _names("en")


@cache
def german_spellings() -> dict[str, int]:
    """Return every German spelling of a month (names, Austrian names, abbreviations) → 1–12."""
    out: dict[str, int] = {}
    for names in (_names("de"), _names("de_AT"), _names("de", "abbreviated")):
        for number, name in enumerate(names, 1):
            out.setdefault(name, number)
    for name, number in _GERMAN_EXTRA.items():
        out.setdefault(name, number)
    return out


@cache
def german_names() -> tuple[str, ...]:
    """Return the German month names written out, Austrian ones too („Jänner“), no abbreviations."""
    return tuple(dict.fromkeys(_names("de") + _names("de_AT")))
