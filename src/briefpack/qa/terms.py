"""Terminology and completeness checks of one segment pair: glossary terms, untranslated text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefpack.glossary.english import english_for, english_has_term, find_avoided, number_used
from briefpack.glossary.match import TermMatch
from briefpack.qa.finding import Finding
from briefpack.qa.language import is_german


def check_terms(en: str, matches: Sequence[TermMatch]) -> list[Finding]:
    """Return term-missing, term-number, keep-altered and avoid-used findings.

    `term-number`: the approved English is there, but only in the other grammatical number
    than every German occurrence of the entry has ("security guarantee" for
    "Sicherheitsgarantien"). Occurrences of unknown number are not judged.
    """
    findings: list[Finding] = []
    seen: set[str] = set()
    for match in matches:
        entry = match.entry
        if entry.de in seen:
            continue
        seen.add(entry.de)
        if not english_has_term(entry, en, match.base_number):
            if entry.keep:
                findings.append(
                    Finding(
                        "keep-altered",
                        f"{entry.de!r} must appear unchanged in the English",
                        entry.de,
                    )
                )
            else:
                findings.append(
                    Finding(
                        "term-missing",
                        f"{match.surface!r} should be translated as {entry.en!r}",
                        entry.de,
                    )
                )
        else:
            findings += _number_findings(en, [m for m in matches if m.entry.de == entry.de])
        for variant in find_avoided(entry, en):
            findings.append(
                Finding(
                    "avoid-used",
                    f"{variant!r} is to be avoided for {entry.de!r}; use {entry.en!r}",
                    entry.de,
                )
            )
    return findings


def _number_findings(en: str, matches: Sequence[TermMatch]) -> list[Finding]:
    wanted = {m.number for m in matches}
    if len(wanted) != 1 or None in wanted:
        return []
    match = matches[0]
    used = number_used(match.entry, en, match.base_number)
    if not used or match.number in used:
        return []
    word = "plural" if match.number == "pl" else "singular"
    return [
        Finding(
            "term-number",
            f"{match.surface!r} is {word}: use {english_for(match)!r}",
            match.entry.de,
        )
    ]


# --- untranslated text ---------------------------------------------------------------------

# German function words that are not also English words (no "die", "will", "also", "war" …).
_GERMAN_ONLY = frozenset(
    "und der nicht ist wird werden wurde wurden mit für auf sich eine einer einen einem "
    "dass auch oder nach bei über wie noch sind ihre dem zur zum vom durch gegen sowie "
    "aber das des ein".split()
)
_LOWER_WORD = re.compile(r"[^\W\d_]+")


def check_untranslated(de: str, en: str) -> list[Finding]:
    """Return an `untranslated` finding if the English is (still) German."""
    if " ".join(de.split()).casefold() == " ".join(en.split()).casefold():
        if _GERMAN_ONLY & set(_LOWER_WORD.findall(de.casefold())):
            return [Finding("untranslated", "the English is the German text unchanged")]
        return []
    german = sorted(_GERMAN_ONLY & set(_LOWER_WORD.findall(en.casefold())))
    if len(german) >= 3:
        words = ", ".join(german[:5])
        return [Finding("untranslated", f"the English still contains German ({words})")]
    # One German function word ("und", "der") may be a name's ("von der Leyen"); then a
    # language identifier decides. English without any never loads its model.
    if german and is_german(en):
        return [Finding("untranslated", "the English is German (language identification)")]
    return []
