"""Number checks of one segment pair, each side read in its language's conventions.

Finding codes (warnings in `check`, fatal under `--strict`):

- ``number-mismatch``: a number written with digits is missing in the English, or the
  English has a digit number the German does not.
- ``magnitude-mismatch``: the same number with another magnitude: „100 Mrd.“ → "100 million",
  „450 Millionen“ → "450 billion", „1 Billion“ → "1 billion" (a German *Billion* is an
  English *trillion*), „5 Mio. Euro“ → "5 euros". German ``Tsd.``/``Tausend``,
  ``Mio.``/``Million(en)``, ``Mrd.``/``Milliarde(n)``, ``Bio.``/``Billion(en)``; English
  ``thousand``, ``million``/``mn`` (``m`` right after a currency sign: "£100m"),
  ``billion``/``bn``, ``trillion``/``tn``; written-out numbers too („zwei Milliarden“ →
  "two billion").
- ``month-mismatch``: a month of the German („4. März“, „Dez.“, the 12 of „18.12.“) is not
  named in the English ("4 May", "18 November").
- ``number-word-mismatch``: a number or fraction the German writes as a word is not in the
  English: „zwei Drittel“ → "three quarters", „drei Staaten“ → "four states".

How numbers are compared (each side read in its language's conventions):

- German: ``800 000`` / ``800.000`` / ``1.000`` are thousands, ``3,5`` is a decimal; English:
  ``800,000`` / ``1,000`` thousands, ``3.5`` decimal. Each side is reduced to plain values
  times their magnitude (``2,5 Mio.`` = ``2.5 million`` = ``2,500,000``), which must match as
  multisets. ``5 %`` = ``5%`` = ``5 per cent`` (only the number counts). In a range the
  first number takes the magnitude of the second („2 bis 3 Mrd.“ = "2-3 billion").
- Dates: ``16. Dezember 2025`` gives 16 and 2025, matching ``16 December 2025`` and
  ``December 16, 2025`` (and ``16th``). A numeric date ``18.12. 2025`` gives the day, the
  year and a month that the English may write as ``12`` or ``December``. Month names are
  compared by month (capitalised English names, abbreviations with a dot: "Dec.").
- Ranges: ``2026–27`` counts as 2026 and 2027 on either side; ``14./15.`` as 14 and 15.
- Fractions: ``2/3`` (both parts 1–12) matches ``2/3``, ``two-thirds`` or ``two thirds``;
  „zwei Drittel“, „Zweidrittelmehrheit“ and „drei Viertel“ are fractions too, „Hälfte“ and
  „halb“ are 1/2 ("half").
- ``90er`` (Jahre) matches ``90``, ``1990`` or ``2090`` (the 1990s).
- Words: a German digit may appear in English as a number word (6 ↔ "six"/"sixth",
  27 ↔ "twenty-seven"; up to 99, plus hundred, thousand, million); an English digit is
  accepted when the German spells it ("sechsten" ↔ 6). German number words from 2 to 12,
  the tens, „hundert“ and „tausend“, and the ordinals from „zweite“ to „zwölfte“ must reach
  the English as a word or a digit ("both", "pair", "twin", "double", "twice" count as 2,
  "triple", "thrice" as 3, "dozen" as 12, "decade" as 10, "fortnight" as 2 weeks, Roman
  II–XII as themselves). Articles
  („ein“, „eine“), „erste“ and capitalised „Acht“/„Elf“ (nouns) are not required.
  English number words are never reported as extra.
"""

from __future__ import annotations

from collections import Counter

from briefpack.qa.finding import Finding
from briefpack.qa.numread import (
    WORDS,
    Num,
    english_numbers,
    english_words,
    german_numbers,
    month_patterns,
    word_set,
)
from briefpack.qa.numwords import german_word_value
from briefpack.util import months

_SCALE_NAMES = {3: "thousand", 6: "million", 9: "billion", 12: "trillion", 15: "quadrillion"}


def _spelled(num: Num) -> str:
    """Return a number with its magnitude in English words: `100 billion`."""
    return f"{num.value} {_SCALE_NAMES[num.scale]}" if num.scale else num.value


def _show(num: Num) -> str:
    """Return `'€100m' (100 million)`, or just `'100 million'` when that says it all."""
    spelled = _spelled(num)
    return f"{num.surface!r}" if num.surface.lower() == spelled else f"{num.surface!r} ({spelled})"


def check_numbers(de: str, en: str) -> list[Finding]:
    """Return number, magnitude, month and number-word findings (see the module docstring)."""
    de_nums = german_numbers(de)
    hard = english_numbers(en)
    findings = _compare(de, en, de_nums, hard) if de_nums or hard else []
    return findings + check_months(de, en)


def _compare(de: str, en: str, de_nums: list[Num], hard: list[Num]) -> list[Finding]:
    soft = english_words(en)
    soft_values = {n.full for n in soft}
    pool = Counter(n.full for n in hard)
    en_words = word_set(en)
    en_text = " ".join(en.lower().split())
    findings: list[Finding] = []
    # Digits first: a German number word must not take the English digit a digit needs.
    for num in sorted(de_nums, key=lambda n: n.kind in ("word", "fraction")):
        if pool[num.full] > 0:
            pool[num.full] -= 1
            continue
        if num.full in soft_values:
            continue
        if not num.scale:
            numeric = [a for a in num.alternatives if a.isdigit() and pool[a] > 0]
            if numeric:
                pool[numeric[0]] -= 1
                continue
            if any(a in en_words or (" " in a and a in en_text) for a in num.alternatives):
                continue
        other = _other_magnitude(num, hard, soft, pool)
        if other is not None:
            findings.append(
                Finding(
                    "magnitude-mismatch",
                    f"{num.surface!r} is {_spelled(num)}; the English has {_show(other)}",
                )
            )
            continue
        findings.append(_missing(num, [*hard, *soft], en))
    spelled = {
        str(v) for v in (german_word_value(w) for w in WORDS.findall(de.lower())) if v is not None
    }
    for value, count in pool.items():
        if count > 0 and value not in spelled:
            surface = next(n.surface for n in hard if n.full == value)
            findings.append(
                Finding("number-mismatch", f"the English has {surface!r}, not in the German")
            )
    return findings


def _other_magnitude(num: Num, hard: list[Num], soft: list[Num], pool: Counter[str]) -> Num | None:
    """Return an English number with the same digits as `num` but another magnitude."""
    for n in hard:
        if n.value == num.value and n.scale != num.scale and pool[n.full] > 0:
            pool[n.full] -= 1
            return n
    # A written-out English number counts only with its magnitude word ("two billion").
    return next(
        (n for n in soft if n.value == num.value and n.scale and n.scale != num.scale), None
    )


def _missing(num: Num, english: list[Num], en: str) -> Finding:
    """Return the finding for a German number the English does not have."""
    if num.kind == "month":
        name = months.english()[int(num.value) - 1]
        return _month_finding(
            num.surface, name, [s for s, n in _english_months(en) if n != int(num.value)]
        )
    if num.kind == "digit":
        return Finding(
            "number-mismatch", f"{num.surface!r} ({num.value}) is missing in the English"
        )
    kinds = ("fraction",) if num.kind == "fraction" else ("word", "digit")
    other = next((n for n in english if n.kind in kinds and n.full != num.full), None)
    has = f"; the English has {_show(other)}" if other else ""
    return Finding(
        "number-word-mismatch",
        f"{num.surface!r} ({_spelled(num)}) is missing in the English{has}",
    )


def _english_months(en: str) -> list[tuple[str, int]]:
    """Return the month names in English text with their numbers."""
    out = []
    for m in month_patterns()[1].finditer(en):
        if m.group(1):
            out.append((m.group(), months.english().index(m.group(1)) + 1))
        else:
            abbr = m.group(2).lower()[:3]
            out.append(
                (
                    m.group(),
                    next(
                        i
                        for i, name in enumerate(months.english(), 1)
                        if name.lower().startswith(abbr)
                    ),
                )
            )
    return out


def _month_finding(surface: str, name: str, others: list[str]) -> Finding:
    if others:
        return Finding("month-mismatch", f"{surface!r} is {name}; the English has {others[0]!r}")
    return Finding("month-mismatch", f"{surface!r} ({name}) is missing in the English")


def check_months(de: str, en: str) -> list[Finding]:
    """Return a month-mismatch finding for every German month name the English lacks."""
    wanted = [
        (m.group().strip(), months.german_spellings()[m.group(2)])
        for m in month_patterns()[0].finditer(de)
    ]
    if not wanted:
        return []
    english = _english_months(en)
    have = {n for _, n in english}
    german = {n for _, n in wanted}
    findings: list[Finding] = []
    for surface, month in wanted:
        if month in have:
            continue
        have.add(month)  # report each month once
        others = [s for s, n in english if n not in german]
        findings.append(_month_finding(surface, months.english()[month - 1], others))
    return findings
