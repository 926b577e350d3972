"""Number checks of one segment pair, each side read in its language's conventions.

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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from briefpack.qa.finding import Finding


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
