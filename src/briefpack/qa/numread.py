"""Read the numbers of one side of a segment pair, in that language's conventions.

German and English digits (grouping and decimal marks), magnitude words, number words,
fractions, dates, decades and ranges become `Num` values that `qa/numbers.py` compares; what
each reading accepts is described there.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from briefpack.qa.numwords import (
    DE_DENOMINATORS,
    DE_NUMERATORS,
    DE_SCALES,
    DE_TENS,
    EN_DENOMINATORS,
    EN_NUMERATORS,
    EN_SCALES,
    EN_SYNONYMS,
    EN_WORD_VALUES,
    EN_WORDS_BY_VALUE,
    ROMAN,
    fraction_words,
    german_word_value,
)
from briefpack.util import months


@dataclass(frozen=True)
class Num:
    value: str  # canonical: no grouping, "." decimal point, no trailing zeros; "2/3"
    surface: str
    alternatives: frozenset[str] = frozenset()  # English numbers or words that also express it
    scale: int = 0  # power of ten of a magnitude word: 9 for „Mrd.“ and "billion"
    kind: str = "digit"  # digit | word | fraction | month
    start: int = 0
    end: int = 0

    @property
    def full(self) -> str:
        """Return the value times its magnitude, canonical."""
        if not self.scale or "/" in self.value:
            return self.value
        return f"{Decimal(self.value).scaleb(self.scale).normalize():f}"


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
_NOT_LETTER = r"(?![^\W\d_])"
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
# A magnitude word right after a number ("Bio" only with its dot: "5 Bio-Höfe" are farms).
_DE_SCALE = re.compile(
    rf"{_SPACE}?-?(Tsd\.?|Mio\.?|Mrd\.?|Md\.|Bio\.|Tausend|Millionen|Million|Milliarden"
    rf"|Milliarde|Billionen|Billion|Billiarden|Billiarde){_NOT_LETTER}"
)
_EN_SCALE = re.compile(
    rf"(?:{_SPACE}?-?((?i:thousand|million|billion|trillion))s?|{_SPACE}?(mn|bn|tn)|(m))"
    rf"{_NOT_LETTER}"
)
_DE_WORD_SCALE = re.compile(
    rf"(?i)(?<![^\W\d_])({'|'.join(sorted(DE_NUMERATORS, key=len, reverse=True))}|"
    rf"{'|'.join(DE_TENS)}|hundert){_SPACE}+(Millionen|Million|Milliarden|Milliarde"
    rf"|Billionen|Billion){_NOT_LETTER}"
)
_EN_WORD_SCALE = re.compile(
    r"(?i)(?<![^\W\d_])(a|one|[a-z]+(?:-[a-z]+)?)[ \u00a0-](thousand|million|billion|trillion)"
    rf"s?{_NOT_LETTER}"
)
_DE_FRACTION = re.compile(
    rf"(?i)(?<![^\W\d_])({'|'.join(sorted(DE_NUMERATORS, key=len, reverse=True))})"
    rf"{_SPACE}+({'|'.join(DE_DENOMINATORS)})n?{_NOT_LETTER}"
)
_DE_FRACTION_COMPOUND = re.compile(
    rf"(?i)(?<![^\W\d_])({'|'.join(w for w, v in DE_NUMERATORS.items() if v >= 2)})"
    rf"({'|'.join(DE_DENOMINATORS)})"
)
_DE_HALF = re.compile(rf"(?<![^\W\d_])(Hälfte|halbe[nrs]?|halb){_NOT_LETTER}")
_EN_FRACTION = re.compile(
    rf"(?i)(?<![^\W\d_])(?:({'|'.join(EN_NUMERATORS)})[ -])?"
    rf"(halves|half|(?:{'|'.join(d for d in EN_DENOMINATORS if d[:4] != 'half')})s?)"
    rf"{_NOT_LETTER}"
)
_RANGE_GAP = re.compile(r"\s*(?:bis|und|oder|to|and|or|[–-])\s*", re.IGNORECASE)
WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")


@cache
def month_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Return the German and the English month patterns (compiled on first use)."""
    german = re.compile(
        r"(?:(?<![\d.])(\d{1,2})\.\s?)?(?<![^\W\d_])("
        + "|".join(re.escape(m) for m in sorted(months.german_spellings(), key=len, reverse=True))
        + r")(?:(?<=\.)|(?![^\W\d_]))"
    )
    english = re.compile(
        rf"(?<![^\W\d_])({'|'.join(months.english())}){_NOT_LETTER}"
        r"|(?<![^\W\d_])(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?=\s\d))"
    )
    return german, english


def _fraction(match: re.Match[str]) -> str | None:
    num, den = int(match.group(1)), int(match.group(2))
    return f"{num}/{den}" if 1 <= num <= 12 and 1 <= den <= 12 else None


def _with_words(value: str, surface: str, *, kind: str = "digit", start: int = 0) -> Num:
    words = frozenset(EN_WORDS_BY_VALUE.get(value, ()))
    if "/" in value:
        num, den = (int(part) for part in value.split("/"))
        if num < den <= 10:
            words |= fraction_words(num, den)
    return Num(value, surface, words, kind=kind, start=start, end=start + len(surface))


def _scaled(num: Num, text: str, pattern: re.Pattern[str], scales: dict[str, int]) -> Num:
    """Return `num` with the magnitude word that follows it in `text`, if any."""
    m = pattern.match(text, num.end)
    if m is None:
        return num
    word = next(g for g in m.groups() if g)
    if word == "m" and not ("." in num.surface or text[max(num.start - 1, 0)] in "€£$"):
        return num  # "100m" is a distance unless it is money ("£100m") or a decimal ("2.5m")
    scale = scales[word.rstrip(".").lower()]
    return Num(
        num.value, text[num.start : m.end()], frozenset(), scale, num.kind, num.start, m.end()
    )


def _ranges(nums: list[Num], text: str) -> list[Num]:
    """Let the first number of a range take the magnitude of the second ("2 bis 3 Mrd.")."""
    ordered = sorted(nums, key=lambda n: n.start)
    out = {id(n): n for n in ordered}
    for first, second in itertools.pairwise(ordered):
        if (
            first.kind == "digit"
            and not first.scale
            and second.scale
            and _RANGE_GAP.fullmatch(text, first.end, second.start)
        ):
            out[id(first)] = Num(
                first.value,
                first.surface,
                frozenset(),
                second.scale,
                first.kind,
                first.start,
                first.end,
            )
    return [out[id(n)] for n in nums]


def german_numbers(text: str) -> list[Num]:
    """Return the numbers in German text, with the English forms that may express them."""
    found: list[Num] = []
    spans: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return not any(m.start() < e and s < m.end() for s, e in spans)

    for m in _YEAR_RANGE.finditer(text):
        first, short = m.group(1), m.group(2)
        found += [Num(first, m.group()), Num(first[:2] + short, m.group(), frozenset({short}))]
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
        name = months.english()[int(month) - 1].lower()
        found.append(Num(str(int(month)), m.group(), frozenset({name, name[:3]}), kind="month"))
        if year:
            found.append(Num(year, m.group()))
        spans.append(m.span())
    for m in _DE_DECADE.finditer(text):
        if free(m):
            tens = m.group(1)
            found.append(Num(tens, m.group(), frozenset({"19" + tens, "20" + tens})))
            spans.append(m.span())
    digits: list[Num] = []
    for m in _DE_NUMBER.finditer(text):
        if not free(m):
            continue
        raw = m.group(1)
        if re.fullmatch(r"\d+\.\d{1,2}", raw):
            value = _canonical(raw, decimal=".", group=",")  # a section number such as 3.2
        else:
            value = _canonical(raw, decimal=",", group=".")
        digits.append(
            _scaled(_with_words(value, raw, start=m.start(1)), text, _DE_SCALE, DE_SCALES)
        )
    found += _ranges(digits, text)
    return found + german_words(text)


def german_words(text: str) -> list[Num]:
    """Return the numbers and fractions German text writes as words („zwei Drittel“)."""
    found: list[Num] = []
    spans: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return not any(m.start() < e and s < m.end() for s, e in spans)

    for m in _DE_WORD_SCALE.finditer(text):
        value = DE_NUMERATORS.get(m.group(1).lower()) or german_word_value(m.group(1).lower())
        scale = DE_SCALES[m.group(2).lower()]
        found.append(Num(str(value), m.group(), scale=scale, kind="word"))
        spans.append(m.span())
    for pattern in (_DE_FRACTION, _DE_FRACTION_COMPOUND):
        for m in pattern.finditer(text):
            if free(m):
                num = DE_NUMERATORS[m.group(1).lower()]
                fraction = f"{num}/{DE_DENOMINATORS[m.group(2).lower()]}"
                found.append(_with_words(fraction, m.group(), kind="fraction"))
                spans.append(m.span())
    for m in _DE_HALF.finditer(text):
        if free(m):
            found.append(_with_words("1/2", m.group(), kind="fraction"))
            spans.append(m.span())
    for m in _LETTERS.finditer(text):
        word = m.group()
        # Nouns and a verb that look like numbers: „außer Acht lassen“, „die deutsche Elf“,
        # „auf etwas achten“.
        if not free(m) or word in ("Acht", "Elf") or word.lower() == "achten":
            continue
        value = german_word_value(word.lower())
        if value is not None and value >= 2:  # „null“, „eins“, „erste“: not required
            found.append(_with_words(str(value), word, kind="word"))
    return found


def english_numbers(text: str) -> list[Num]:
    """Return the numbers written with digits in English text, with their magnitude."""
    found: list[Num] = []
    spans: list[tuple[int, int]] = []
    for m in _YEAR_RANGE.finditer(text):
        first, short = m.group(1), m.group(2)
        found += [Num(first, m.group()), Num(first[:2] + short, m.group())]
        spans.append(m.span())
    for m in _FRACTION.finditer(text):
        value = _fraction(m)
        if value and not any(m.start() < e and s < m.end() for s, e in spans):
            found.append(Num(value, m.group(), kind="fraction"))
            spans.append(m.span())
    digits: list[Num] = []
    for m in _EN_NUMBER.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in spans):
            continue
        value = _canonical(m.group(1), decimal=".", group=",")
        num = Num(value, m.group(1), start=m.start(1), end=m.end(1))
        digits.append(_scaled(num, text, _EN_SCALE, EN_SCALES))
    return found + _ranges(digits, text)


def english_words(text: str) -> list[Num]:
    """Return the numbers English text writes as words ("two thirds", "a billion", "six")."""
    found: list[Num] = []
    for m in _EN_WORD_SCALE.finditer(text):
        word = m.group(1).lower()
        value = 1 if word in ("a", "one") else EN_WORD_VALUES.get(word)
        if value is not None:
            scale = EN_SCALES[m.group(2).lower()]
            found.append(Num(str(value), m.group(), scale=scale, kind="word"))
    for m in _EN_FRACTION.finditer(text):
        numerator, name = m.group(1), m.group(2).lower()
        if numerator is None and not name.startswith("hal"):
            continue  # "third" alone is an ordinal
        num = EN_NUMERATORS[numerator.lower()] if numerator else 1
        den = EN_DENOMINATORS[name.removesuffix("s") if name != "halves" else "half"]
        found.append(Num(f"{num}/{den}", m.group(), kind="fraction"))
    for m in WORDS.finditer(text):
        token = m.group().lower()
        for part in {token, *token.split("-")}:
            value = EN_WORD_VALUES.get(part)
            values = (str(value),) if value is not None else EN_SYNONYMS.get(part, ())
            found += [Num(v, m.group(), kind="word") for v in values]
        if m.group() in ROMAN:
            found.append(Num(str(ROMAN.index(m.group()) + 2), m.group(), kind="word"))
    return found


def word_set(text: str) -> set[str]:
    """Return the words of `text`, with hyphenated words also split into parts and pairs."""
    words: set[str] = set()
    for token in WORDS.findall(text.lower()):
        parts = token.split("-")
        words.add(token)
        words.update(parts)
        words.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))
    return words
