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

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from briefpack.qa.finding import Finding


@dataclass(frozen=True)
class _Num:
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

_DE_MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
_DE_MONTH_NUMBER = {name: i for i, name in enumerate(_DE_MONTHS, 1)} | {
    "Jänner": 1,
    "Feber": 2,
    "Jan.": 1,
    "Feb.": 2,
    "Febr.": 2,
    "Mrz.": 3,
    "Apr.": 4,
    "Jun.": 6,
    "Jul.": 7,
    "Aug.": 8,
    "Sep.": 9,
    "Sept.": 9,
    "Okt.": 10,
    "Nov.": 11,
    "Dez.": 12,
}
# German numerators of fractions and written-out numbers before a magnitude word.
_DE_NUMERATORS = {"ein": 1, "eine": 1, "einer": 1, "einem": 1, "einen": 1} | {
    w: i for i, w in enumerate(_DE_UNITS) if 2 <= i <= 12
}
_DE_DENOMINATORS = {
    "drittel": 3,
    "viertel": 4,
    "fünftel": 5,
    "sechstel": 6,
    "siebtel": 7,
    "achtel": 8,
    "neuntel": 9,
    "zehntel": 10,
}
_EN_DENOMINATORS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "quarter": 4,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_EN_NUMERATORS = {"a": 1, "an": 1, "one": 1} | {
    w: i for i, w in enumerate(_EN_UNITS) if 2 <= i <= 10
}
# English words that express a small number without being number words.
_EN_SYNONYMS = {
    "both": ("2",),
    "pair": ("2",),
    "couple": ("2",),
    "twin": ("2",),
    "dual": ("2",),
    "double": ("2",),
    "twice": ("2",),
    "secondly": ("2",),
    "thrice": ("3",),
    "triple": ("3",),
    "thirdly": ("3",),
    "fortnight": ("2", "14"),
    "decade": ("10",),
    "dozen": ("12",),
}
_ROMAN = ("II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_DE_SCALES = {"tsd": 3, "tausend": 3, "mio": 6, "million": 6, "millionen": 6}
_DE_SCALES |= {"mrd": 9, "md": 9, "milliarde": 9, "milliarden": 9}
_DE_SCALES |= {"bio": 12, "billion": 12, "billionen": 12, "billiarde": 15, "billiarden": 15}
_EN_SCALES = {"thousand": 3, "million": 6, "mn": 6, "m": 6, "billion": 9, "bn": 9}
_EN_SCALES |= {"trillion": 12, "tn": 12}


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


_EN_WORD_VALUES = _english_words()
_EN_WORDS_BY_VALUE = _by_value(_EN_WORD_VALUES)


def _fraction_words(num: int, den: int) -> frozenset[str]:
    """Return the English phrases for num/den ("two thirds", "two-thirds", "a third")."""
    if den == 2:
        return frozenset({"half", "a half", "one half", "one-half"}) if num == 1 else frozenset()
    name = "quarter" if den == 4 else _EN_ORD_UNITS[den]
    if num == 1:
        return frozenset({f"a {name}", f"one {name}", f"one-{name}"})
    numerator = _EN_UNITS[num]
    plural = name + "s"
    out = {f"{numerator} {plural}", f"{numerator}-{plural}"}
    if den == 4:
        out |= {f"{numerator} fourths", f"{numerator}-fourths"}
    return frozenset(out)


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
    rf"(?i)(?<![^\W\d_])({'|'.join(sorted(_DE_NUMERATORS, key=len, reverse=True))}|"
    rf"{'|'.join(_DE_TENS)}|hundert){_SPACE}+(Millionen|Million|Milliarden|Milliarde"
    rf"|Billionen|Billion){_NOT_LETTER}"
)
_EN_WORD_SCALE = re.compile(
    r"(?i)(?<![^\W\d_])(a|one|[a-z]+(?:-[a-z]+)?)[ \u00a0-](thousand|million|billion|trillion)"
    rf"s?{_NOT_LETTER}"
)
_DE_FRACTION = re.compile(
    rf"(?i)(?<![^\W\d_])({'|'.join(sorted(_DE_NUMERATORS, key=len, reverse=True))})"
    rf"{_SPACE}+({'|'.join(_DE_DENOMINATORS)})n?{_NOT_LETTER}"
)
_DE_FRACTION_COMPOUND = re.compile(
    rf"(?i)(?<![^\W\d_])({'|'.join(w for w, v in _DE_NUMERATORS.items() if v >= 2)})"
    rf"({'|'.join(_DE_DENOMINATORS)})"
)
_DE_HALF = re.compile(rf"(?<![^\W\d_])(Hälfte|halbe[nrs]?|halb){_NOT_LETTER}")
_EN_FRACTION = re.compile(
    rf"(?i)(?<![^\W\d_])(?:({'|'.join(_EN_NUMERATORS)})[ -])?"
    rf"(halves|half|(?:{'|'.join(d for d in _EN_DENOMINATORS if d[:4] != 'half')})s?)"
    rf"{_NOT_LETTER}"
)
_DE_MONTH = re.compile(
    r"(?:(?<![\d.])(\d{1,2})\.\s?)?(?<![^\W\d_])("
    + "|".join(re.escape(m) for m in sorted(_DE_MONTH_NUMBER, key=len, reverse=True))
    + r")(?:(?<=\.)|(?![^\W\d_]))"
)
_EN_MONTH = re.compile(
    rf"(?<![^\W\d_])({'|'.join(m.title() for m in _EN_MONTHS)}){_NOT_LETTER}"
    r"|(?<![^\W\d_])(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?=\s\d))"
)
_RANGE_GAP = re.compile(r"\s*(?:bis|und|oder|to|and|or|[–-])\s*", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_LETTERS = re.compile(r"[^\W\d_]+")


def _fraction(match: re.Match[str]) -> str | None:
    num, den = int(match.group(1)), int(match.group(2))
    return f"{num}/{den}" if 1 <= num <= 12 and 1 <= den <= 12 else None


def _with_words(value: str, surface: str, *, kind: str = "digit", start: int = 0) -> _Num:
    words = frozenset(_EN_WORDS_BY_VALUE.get(value, ()))
    if "/" in value:
        num, den = (int(part) for part in value.split("/"))
        if num < den <= 10:
            words |= _fraction_words(num, den)
    return _Num(value, surface, words, kind=kind, start=start, end=start + len(surface))


def _scaled(num: _Num, text: str, pattern: re.Pattern[str], scales: dict[str, int]) -> _Num:
    """Return `num` with the magnitude word that follows it in `text`, if any."""
    m = pattern.match(text, num.end)
    if m is None:
        return num
    word = next(g for g in m.groups() if g)
    if word == "m" and not ("." in num.surface or text[max(num.start - 1, 0)] in "€£$"):
        return num  # "100m" is a distance unless it is money ("£100m") or a decimal ("2.5m")
    scale = scales[word.rstrip(".").lower()]
    return _Num(
        num.value, text[num.start : m.end()], frozenset(), scale, num.kind, num.start, m.end()
    )


def _ranges(nums: list[_Num], text: str) -> list[_Num]:
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
            out[id(first)] = _Num(
                first.value,
                first.surface,
                frozenset(),
                second.scale,
                first.kind,
                first.start,
                first.end,
            )
    return [out[id(n)] for n in nums]


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
        name = _EN_MONTHS[int(month) - 1]
        found.append(_Num(str(int(month)), m.group(), frozenset({name, name[:3]}), kind="month"))
        if year:
            found.append(_Num(year, m.group()))
        spans.append(m.span())
    for m in _DE_DECADE.finditer(text):
        if free(m):
            tens = m.group(1)
            found.append(_Num(tens, m.group(), frozenset({"19" + tens, "20" + tens})))
            spans.append(m.span())
    digits: list[_Num] = []
    for m in _DE_NUMBER.finditer(text):
        if not free(m):
            continue
        raw = m.group(1)
        if re.fullmatch(r"\d+\.\d{1,2}", raw):
            value = _canonical(raw, decimal=".", group=",")  # a section number such as 3.2
        else:
            value = _canonical(raw, decimal=",", group=".")
        digits.append(
            _scaled(_with_words(value, raw, start=m.start(1)), text, _DE_SCALE, _DE_SCALES)
        )
    found += _ranges(digits, text)
    return found + german_words(text)


def german_words(text: str) -> list[_Num]:
    """Return the numbers and fractions German text writes as words („zwei Drittel“)."""
    found: list[_Num] = []
    spans: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return not any(m.start() < e and s < m.end() for s, e in spans)

    for m in _DE_WORD_SCALE.finditer(text):
        value = _DE_NUMERATORS.get(m.group(1).lower()) or _german_word_value(m.group(1).lower())
        scale = _DE_SCALES[m.group(2).lower()]
        found.append(_Num(str(value), m.group(), scale=scale, kind="word"))
        spans.append(m.span())
    for pattern in (_DE_FRACTION, _DE_FRACTION_COMPOUND):
        for m in pattern.finditer(text):
            if free(m):
                num = _DE_NUMERATORS[m.group(1).lower()]
                fraction = f"{num}/{_DE_DENOMINATORS[m.group(2).lower()]}"
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
        value = _german_word_value(word.lower())
        if value is not None and value >= 2:  # „null“, „eins“, „erste“: not required
            found.append(_with_words(str(value), word, kind="word"))
    return found


def english_numbers(text: str) -> list[_Num]:
    """Return the numbers written with digits in English text, with their magnitude."""
    found: list[_Num] = []
    spans: list[tuple[int, int]] = []
    for m in _YEAR_RANGE.finditer(text):
        first, short = m.group(1), m.group(2)
        found += [_Num(first, m.group()), _Num(first[:2] + short, m.group())]
        spans.append(m.span())
    for m in _FRACTION.finditer(text):
        value = _fraction(m)
        if value and not any(m.start() < e and s < m.end() for s, e in spans):
            found.append(_Num(value, m.group(), kind="fraction"))
            spans.append(m.span())
    digits: list[_Num] = []
    for m in _EN_NUMBER.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in spans):
            continue
        value = _canonical(m.group(1), decimal=".", group=",")
        num = _Num(value, m.group(1), start=m.start(1), end=m.end(1))
        digits.append(_scaled(num, text, _EN_SCALE, _EN_SCALES))
    return found + _ranges(digits, text)


def english_words(text: str) -> list[_Num]:
    """Return the numbers English text writes as words ("two thirds", "a billion", "six")."""
    found: list[_Num] = []
    for m in _EN_WORD_SCALE.finditer(text):
        word = m.group(1).lower()
        value = 1 if word in ("a", "one") else _EN_WORD_VALUES.get(word)
        if value is not None:
            scale = _EN_SCALES[m.group(2).lower()]
            found.append(_Num(str(value), m.group(), scale=scale, kind="word"))
    for m in _EN_FRACTION.finditer(text):
        numerator, name = m.group(1), m.group(2).lower()
        if numerator is None and not name.startswith("hal"):
            continue  # "third" alone is an ordinal
        num = _EN_NUMERATORS[numerator.lower()] if numerator else 1
        den = _EN_DENOMINATORS[name.removesuffix("s") if name != "halves" else "half"]
        found.append(_Num(f"{num}/{den}", m.group(), kind="fraction"))
    for m in _WORDS.finditer(text):
        token = m.group().lower()
        for part in {token, *token.split("-")}:
            value = _EN_WORD_VALUES.get(part)
            values = (str(value),) if value is not None else _EN_SYNONYMS.get(part, ())
            found += [_Num(v, m.group(), kind="word") for v in values]
        if m.group() in _ROMAN:
            found.append(_Num(str(_ROMAN.index(m.group()) + 2), m.group(), kind="word"))
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


_SCALE_NAMES = {3: "thousand", 6: "million", 9: "billion", 12: "trillion", 15: "quadrillion"}


def _spelled(num: _Num) -> str:
    """Return a number with its magnitude in English words: `100 billion`."""
    return f"{num.value} {_SCALE_NAMES[num.scale]}" if num.scale else num.value


def _show(num: _Num) -> str:
    """Return `'€100m' (100 million)`, or just `'100 million'` when that says it all."""
    spelled = _spelled(num)
    return f"{num.surface!r}" if num.surface.lower() == spelled else f"{num.surface!r} ({spelled})"


def check_numbers(de: str, en: str) -> list[Finding]:
    """Return number, magnitude, month and number-word findings (see the module docstring)."""
    de_nums = german_numbers(de)
    hard = english_numbers(en)
    findings = _compare(de, en, de_nums, hard) if de_nums or hard else []
    return findings + check_months(de, en)


def _compare(de: str, en: str, de_nums: list[_Num], hard: list[_Num]) -> list[Finding]:
    soft = english_words(en)
    soft_values = {n.full for n in soft}
    pool = Counter(n.full for n in hard)
    en_words = _word_set(en)
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
        str(v) for v in (_german_word_value(w) for w in _WORDS.findall(de.lower())) if v is not None
    }
    for value, count in pool.items():
        if count > 0 and value not in spelled:
            surface = next(n.surface for n in hard if n.full == value)
            findings.append(
                Finding("number-mismatch", f"the English has {surface!r}, not in the German")
            )
    return findings


def _other_magnitude(
    num: _Num, hard: list[_Num], soft: list[_Num], pool: Counter[str]
) -> _Num | None:
    """Return an English number with the same digits as `num` but another magnitude."""
    for n in hard:
        if n.value == num.value and n.scale != num.scale and pool[n.full] > 0:
            pool[n.full] -= 1
            return n
    # A written-out English number counts only with its magnitude word ("two billion").
    return next(
        (n for n in soft if n.value == num.value and n.scale and n.scale != num.scale), None
    )


def _missing(num: _Num, english: list[_Num], en: str) -> Finding:
    """Return the finding for a German number the English does not have."""
    if num.kind == "month":
        name = _EN_MONTHS[int(num.value) - 1].title()
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
    for m in _EN_MONTH.finditer(en):
        if m.group(1):
            out.append((m.group(), _EN_MONTHS.index(m.group(1).lower()) + 1))
        else:
            abbr = m.group(2).lower()[:3]
            out.append(
                (
                    m.group(),
                    next(i for i, name in enumerate(_EN_MONTHS, 1) if name.startswith(abbr)),
                )
            )
    return out


def _month_finding(surface: str, name: str, others: list[str]) -> Finding:
    if others:
        return Finding("month-mismatch", f"{surface!r} is {name}; the English has {others[0]!r}")
    return Finding("month-mismatch", f"{surface!r} ({name}) is missing in the English")


def check_months(de: str, en: str) -> list[Finding]:
    """Return a month-mismatch finding for every German month name the English lacks."""
    wanted = [(m.group().strip(), _DE_MONTH_NUMBER[m.group(2)]) for m in _DE_MONTH.finditer(de)]
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
        findings.append(_month_finding(surface, _EN_MONTHS[month - 1].title(), others))
    return findings
