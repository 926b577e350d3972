"""Translation QA on German/English segment pairs: terminology, numbers, completeness.

`check_pair(de, en, glossary)` returns findings with these codes:

- ``empty``: the German has text, the English is empty.
- ``untranslated``: the English is the German copied unchanged (and the German contains a
  German function word, so names, acronyms and numbers alone are not flagged), or the English
  still contains at least three distinct German-only function words ("und", "nicht", …).
  Nothing else is checked for such a pair.
- ``term-missing``: a glossary term found in the German lacks its approved English.
- ``keep-altered``: a ``keep`` term does not appear unchanged in the English.
- ``avoid-used``: the English uses an ``avoid`` variant of a term found in the German.
- ``number-mismatch``: a number differs between the two sides.

How numbers are compared (digit sequences, read in each language's conventions):

- German: ``800 000`` / ``800.000`` / ``1.000`` are thousands, ``3,5`` is a decimal; English:
  ``800,000`` / ``1,000`` thousands, ``3.5`` decimal. Each side is reduced to plain values,
  which must match as multisets. ``5 %`` = ``5%`` = ``5 per cent`` (only the number counts).
- Dates: ``16. Dezember 2025`` gives 16 and 2025, matching ``16 December 2025`` and
  ``December 16, 2025`` (and ``16th``). A numeric date ``18.12. 2025`` gives the day, the
  year and a month that the English may write as ``12`` or ``December``.
- Ranges: ``2026–27`` counts as 2026 and 2027 on either side; ``14./15.`` as 14 and 15.
- Fractions: ``2/3`` (both parts 1–12) matches ``2/3``, ``two-thirds`` or ``two thirds``.
- ``90er`` (Jahre) matches ``90``, ``1990`` or ``2090`` (the 1990s).
- Words: a German digit may appear in English as a number word (6 ↔ "six"/"sixth",
  27 ↔ "twenty-seven"; up to 99, plus hundred, thousand, million); an English digit is
  accepted when the German spells it ("sechsten" ↔ 6). Number words are never required.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from briefpack.glossary.english import english_has_term, find_avoided
from briefpack.glossary.match import TermMatch
from briefpack.glossary.model import Glossary

CODES = ("empty", "untranslated", "term-missing", "keep-altered", "avoid-used", "number-mismatch")


@dataclass(frozen=True)
class Finding:
    """One QA finding about one segment pair."""

    code: str
    message: str
    term: str | None = None  # the glossary's German base form, for terminology findings

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {"code": self.code, "term": self.term, "message": self.message}


def check_pair(
    de: str, en: str, glossary: Glossary, *, matches: Sequence[TermMatch] | None = None
) -> list[Finding]:
    """Return the QA findings for one German segment and its English translation.

    Pass `matches` when the caller already ran `glossary.find(de)`.
    """
    if not de.strip():
        return []
    if not en.strip():
        return [Finding("empty", "the English translation is empty")]
    untranslated = check_untranslated(de, en)
    if untranslated:
        return untranslated
    found = glossary.find(de) if matches is None else matches
    return check_terms(en, found) + check_numbers(de, en)


# --- terminology -------------------------------------------------------------------------


def check_terms(en: str, matches: Sequence[TermMatch]) -> list[Finding]:
    """Return term-missing, keep-altered and avoid-used findings for the matched entries."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for match in matches:
        entry = match.entry
        if entry.de in seen:
            continue
        seen.add(entry.de)
        if not english_has_term(entry, en):
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
        for variant in find_avoided(entry, en):
            findings.append(
                Finding(
                    "avoid-used",
                    f"{variant!r} is to be avoided for {entry.de!r}; use {entry.en!r}",
                    entry.de,
                )
            )
    return findings


# --- untranslated text ---------------------------------------------------------------------

# German function words that are not also English words (no "die", "will", "also", "war" …).
_GERMAN_ONLY = frozenset(
    {
        "und",
        "der",
        "nicht",
        "ist",
        "wird",
        "werden",
        "wurde",
        "wurden",
        "mit",
        "für",
        "auf",
        "sich",
        "eine",
        "einer",
        "einen",
        "einem",
        "dass",
        "auch",
        "oder",
        "nach",
        "bei",
        "über",
        "wie",
        "noch",
        "sind",
        "ihre",
        "dem",
        "zur",
        "zum",
        "vom",
        "durch",
        "gegen",
        "sowie",
        "aber",
        "das",
        "des",
        "ein",
    }
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
    return []


# --- numbers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Num:
    value: str  # canonical: no grouping, "." decimal point, no trailing zeros
    surface: str
    alternatives: frozenset[str] = frozenset()  # English numbers or words that also express it


_EN_UNITS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_EN_TENS = (
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
)
_EN_ORD_UNITS = (
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
)
_EN_ORD_TENS = (
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
)
_EN_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_DE_UNITS = (
    "null",
    "eins",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
    "dreizehn",
    "vierzehn",
    "fünfzehn",
    "sechzehn",
    "siebzehn",
    "achtzehn",
    "neunzehn",
)
_DE_TENS = (
    "zwanzig",
    "dreißig",
    "vierzig",
    "fünfzig",
    "sechzig",
    "siebzig",
    "achtzig",
    "neunzig",
)
_DE_ORDINALS = (
    "erst",
    "zweit",
    "dritt",
    "viert",
    "fünft",
    "sechst",
    "siebt",
    "acht",
    "neunt",
    "zehnt",
    "elft",
    "zwölft",
)
_FRACTION_WORDS = {
    "1/2": ("half", "one half", "a half"),
    "1/3": ("one third", "one-third", "a third"),
    "2/3": ("two thirds", "two-thirds"),
    "1/4": ("one quarter", "one-quarter", "a quarter"),
    "3/4": ("three quarters", "three-quarters"),
}


def _english_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for i, (card, ordi) in enumerate(zip(_EN_UNITS, _EN_ORD_UNITS, strict=True)):
        words[card], words[ordi] = i, i
    for t, (tens, ordi) in enumerate(zip(_EN_TENS, _EN_ORD_TENS, strict=True)):
        base = 20 + 10 * t
        words[tens], words[ordi] = base, base
        for u in range(1, 10):
            words[f"{tens}-{_EN_UNITS[u]}"] = base + u
            words[f"{tens}-{_EN_ORD_UNITS[u]}"] = base + u
    words.update(hundred=100, hundredth=100, thousand=1000, thousandth=1000, million=1_000_000)
    return words


def _by_value(words: dict[str, int]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for word, value in words.items():
        out.setdefault(str(value), set()).add(word)
    return {value: frozenset(ws) for value, ws in out.items()}


_EN_WORDS_BY_VALUE = _by_value(_english_words())


def _german_word_value(word: str) -> int | None:
    if word in _DE_UNITS:
        return _DE_UNITS.index(word)
    if word in _DE_TENS:
        return 20 + 10 * _DE_TENS.index(word)
    if word in ("hundert", "tausend"):
        return 100 if word == "hundert" else 1000
    for i, stem in enumerate(_DE_ORDINALS, start=1):
        if word.startswith(stem) and word[len(stem) :] in ("e", "en", "er", "em", "es"):
            return i
    for i, tens in enumerate(_DE_TENS):
        if word.startswith(tens + "st") and word[len(tens) + 2 :] in ("e", "en", "er", "em", "es"):
            return 20 + 10 * i
    return None


def _canonical(number: str, *, decimal: str, group: str) -> str:
    text = re.sub(rf"[{re.escape(group)} \u00a0\u202f\u2009]", "", number)
    text = text.replace(decimal, ".")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regexes only pass digits
        return text
    normal = value.normalize()
    return f"{normal:f}"


_SPACE = "[ \u00a0\u202f\u2009]"
_YEAR_RANGE = re.compile(r"(?<!\d)(\d{4})\s*[/–-]\s*(\d{2})(?!\d)")
_FRACTION = re.compile(r"(?<![\d./])(\d{1,2})/(\d{1,2})(?![\d/])")
_DE_DATE = re.compile(r"(?<![\d.,])(\d{1,2})\.(\d{1,2})\.(?:\s?(\d{4}))?(?![\d])")
_DE_DECADE = re.compile(r"(?<!\d)(\d0)er(?![^\W\d_]{3})")
_DE_NUMBER = re.compile(
    rf"(?<![\d])(\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?(?!\d|\.\d)|\d{{1,3}}(?:{_SPACE}\d{{3}})+"
    rf"(?:,\d+)?(?![\d])|\d+\.\d{{1,2}}(?!\d|\.\d)|\d+(?:,\d+)?)"
)
_EN_NUMBER = re.compile(
    rf"(?<![\d])(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?![\d])|\d{{1,3}}(?:{_SPACE}\d{{3}})+"
    rf"(?:\.\d+)?(?![\d])|\d+(?:\.\d+)?)"
)
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _fraction(match: re.Match[str]) -> str | None:
    num, den = int(match.group(1)), int(match.group(2))
    return f"{num}/{den}" if 1 <= num <= 12 and 1 <= den <= 12 else None


def _with_words(value: str, surface: str, extra: frozenset[str] = frozenset()) -> _Num:
    words = frozenset(_EN_WORDS_BY_VALUE.get(value, ())) | frozenset(_FRACTION_WORDS.get(value, ()))
    return _Num(value, surface, words | extra)


def german_numbers(text: str) -> list[_Num]:
    """Return the numbers in German text, with the English forms that may express them."""
    found: list[_Num] = []
    spans: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return not any(m.start() < e and s < m.end() for s, e in spans)

    for m in _YEAR_RANGE.finditer(text):
        first, short = m.group(1), m.group(2)
        found += [_Num(first, m.group()), _Num(first[:2] + short, m.group(), frozenset({short}))]
        spans.append(m.span())
    for m in _FRACTION.finditer(text):
        value = _fraction(m)
        if value and free(m):
            found.append(_with_words(value, m.group()))
            spans.append(m.span())
    for m in _DE_DATE.finditer(text):
        if not free(m):
            continue
        day, month, year = m.group(1), m.group(2), m.group(3)
        if not 1 <= int(month) <= 12:
            continue
        found.append(_with_words(str(int(day)), m.group()))
        month_name = _EN_MONTHS[int(month) - 1]
        found.append(_Num(str(int(month)), m.group(), frozenset({month_name, month_name[:3]})))
        if year:
            found.append(_Num(year, m.group()))
        spans.append(m.span())
    for m in _DE_DECADE.finditer(text):
        if free(m):
            tens = m.group(1)
            found.append(_Num(tens, m.group(), frozenset({"19" + tens, "20" + tens})))
            spans.append(m.span())
    for m in _DE_NUMBER.finditer(text):
        if not free(m):
            continue
        raw = m.group(1)
        if re.fullmatch(r"\d+\.\d{1,2}", raw):
            value = raw.split(".")[0] + "." + raw.split(".")[1]  # a section number such as 3.2
            value = _canonical(value, decimal=".", group=",")
        else:
            value = _canonical(raw, decimal=",", group=".")
        found.append(_with_words(value, raw))
    return found


def english_numbers(text: str) -> list[_Num]:
    """Return the numbers written with digits in English text."""
    found: list[_Num] = []
    spans: list[tuple[int, int]] = []
    for m in _YEAR_RANGE.finditer(text):
        first, short = m.group(1), m.group(2)
        found += [_Num(first, m.group()), _Num(first[:2] + short, m.group())]
        spans.append(m.span())
    for m in _FRACTION.finditer(text):
        value = _fraction(m)
        if value and not any(m.start() < e and s < m.end() for s, e in spans):
            found.append(_Num(value, m.group()))
            spans.append(m.span())
    for m in _EN_NUMBER.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in spans):
            continue
        found.append(_Num(_canonical(m.group(1), decimal=".", group=","), m.group(1)))
    return found


def _word_set(text: str) -> set[str]:
    """Return the words of `text`, with hyphenated words also split into parts and pairs."""
    words: set[str] = set()
    for token in _WORDS.findall(text.lower()):
        parts = token.split("-")
        words.add(token)
        words.update(parts)
        words.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))
    return words


def check_numbers(de: str, en: str) -> list[Finding]:
    """Return number-mismatch findings (see the module docstring for the rules)."""
    de_nums = german_numbers(de)
    en_nums = english_numbers(en)
    if not de_nums and not en_nums:
        return []
    pool = Counter(n.value for n in en_nums)
    en_words = _word_set(en)
    en_text = " ".join(en.lower().split())
    findings: list[Finding] = []
    for num in de_nums:
        if pool[num.value] > 0:
            pool[num.value] -= 1
            continue
        numeric = [a for a in num.alternatives if a.isdigit() and pool[a] > 0]
        if numeric:
            pool[numeric[0]] -= 1
            continue
        if any(a in en_words or (" " in a and a in en_text) for a in num.alternatives):
            continue
        findings.append(
            Finding("number-mismatch", f"{num.surface!r} ({num.value}) is missing in the English")
        )
    spelled = {
        str(v) for v in (_german_word_value(w) for w in _WORDS.findall(de.lower())) if v is not None
    }
    for value, count in pool.items():
        if count > 0 and value not in spelled:
            surface = next(n.surface for n in en_nums if n.value == value)
            findings.append(
                Finding("number-mismatch", f"the English has {surface!r}, not in the German")
            )
    return findings
