"""Repaired matches: adapt a fuzzy match's English where the German differs only in anchors.

Anchors are what a sentence's English writes in a predictable way from its German:

- numbers written with digits: the old number is found in the English by its value
  (`qa/numread` reads both languages' conventions: „1.500“ is 1,500, „2,5“ is 2.5) and
  replaced by the new value written the English way ("50" for „50“, "1,500" for „1.500“);
  a day of a date is such a number;
- month names: the English name of the old month is replaced by that of the new one;
- glossary terms: the old term's approved English, in the grammatical number of its German
  occurrence (`glossary/english.english_for`), is replaced by the new term's approved
  English in the number of the new occurrence.

Every other difference (a word that is no anchor, an insertion, a deletion) means no
repair: the match is offered as a plain fuzzy match. A repair that cannot find the old
anchor's English exactly once in the unit's English is not made either (guessing which of
two "90"s to change would be worse than offering none).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from briefpack.glossary.english import english_for
from briefpack.glossary.match import TermMatch
from briefpack.qa.numread import english_numbers, german_numbers
from briefpack.translation.exchange.tm.score import DiffPart
from briefpack.util import months

TermFinder = Callable[[str], list[TermMatch]]


def repair(
    query: str,
    unit_de: str,
    unit_en: str,
    parts: Sequence[DiffPart],
    terms_in: TermFinder | None = None,
) -> str | None:
    """Return the unit's English adapted to `query`, or None when the match is no repair.

    `parts` is the diff (`score.diff`) of `query` against `unit_de`; `terms_in` returns the
    glossary matches of a German text (`Content.terms_in`).
    """
    find = terms_in
    en = unit_en
    at_query = at_unit = 0
    changed = False
    for part in parts:
        if part.op != "equal":
            if part.op != "replace":
                return None
            old, new = part.memory.strip(), part.text.strip()
            fixed = _number(old, new, en) or _month(old, new, en)
            if fixed is None and find is not None:
                fixed = _term(
                    find(query),
                    find(unit_de),
                    (at_query, at_query + len(part.text)),
                    (at_unit, at_unit + len(part.memory)),
                    en,
                )
            if fixed is None:
                return None
            en, changed = fixed, True
        at_query += len(part.text)
        at_unit += len(part.memory)
    return en if changed else None


def _number(old: str, new: str, en: str) -> str | None:
    """Replace the English of the German number `old` by `new` written the English way."""
    olds, news = _digits(old), _digits(new)
    if olds is None or news is None:
        return None
    spots = [n for n in english_numbers(en) if n.value == olds and n.surface[:1].isdigit()]
    if len(spots) != 1:
        return None
    spot = spots[0]
    digits = re.match(r"[\d.,]+", en[spot.start :])
    end = spot.start + (len(digits.group()) if digits else len(spot.surface))
    # German groups with "." („1.500“), English with ",": keep whichever side grouped.
    grouped = "," in en[spot.start : end] or "." in new or len(news.split(".")[0]) > 4
    return en[: spot.start] + english_digits(news, grouped=grouped) + en[end:]


def _digits(text: str) -> str | None:
    """Return the value of a German text that is one number written with digits, else None."""
    if not re.fullmatch(r"\d[\d.,]*", text):
        return None
    found = [n for n in german_numbers(text) if n.kind == "digit"]
    return found[0].value if len(found) == 1 else None


def english_digits(value: str, *, grouped: bool) -> str:
    """Return a canonical value ("1500.5") written the English way ("1,500.5")."""
    number = Decimal(value)
    whole, _, frac = f"{number:f}".partition(".")
    if grouped:
        whole = f"{int(whole):,}"
    return f"{whole}.{frac}" if frac else whole


def _month(old: str, new: str, en: str) -> str | None:
    """Replace the English name of the German month `old` by that of `new`."""
    spellings = months.german_spellings()
    if old not in spellings or new not in spellings:
        return None
    english = months.english()
    old_en, new_en = english[spellings[old] - 1], english[spellings[new] - 1]
    return _replace_once(en, old_en, new_en)


def _term(
    query_terms: Sequence[TermMatch],
    unit_terms: Sequence[TermMatch],
    query_span: tuple[int, int],
    unit_span: tuple[int, int],
    en: str,
) -> str | None:
    """Replace the old glossary term's English by the new term's, each in its number."""
    new = _covering(query_terms, query_span)
    old = _covering(unit_terms, unit_span)
    if new is None or old is None or (new.entry == old.entry and new.number == old.number):
        return None
    return _replace_once(en, english_for(old), english_for(new))


def _covering(terms: Sequence[TermMatch], span: tuple[int, int]) -> TermMatch | None:
    start, end = span
    for m in terms:
        if m.start <= start and end <= m.end + 1:  # the chunk may end with a space
            return m
    return None


def _replace_once(text: str, old: str, new: str) -> str | None:
    """Replace the one whole-word occurrence of `old` (case-insensitive first letter)."""
    pattern = re.compile(rf"(?<!\w){re.escape(old[:1])}(?i:{re.escape(old[1:])})(?!\w)")
    found = list(pattern.finditer(text))
    if len(found) != 1 and old[:1].isalpha():
        upper = old[:1].swapcase() + old[1:]
        found = list(re.finditer(rf"(?<!\w)(?i:{re.escape(upper)})(?!\w)", text))
    if len(found) != 1:
        return None
    m = found[0]
    if m.group()[:1].isupper() and new[:1].islower():
        new = new[:1].upper() + new[1:]
    return text[: m.start()] + new + text[m.end() :]
