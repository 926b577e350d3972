"""Number words and magnitude words, German and English, as the number checks read them.

The tables the readers in `qa/numbers.py` match against: cardinal and ordinal words, the
numerators and denominators of fractions, magnitude words („Mrd.“, "billion") and the English
words that express a small number without being number words ("both", "dozen").
"""

from __future__ import annotations

EN_UNITS = tuple(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen".split()
)
EN_TENS = tuple("twenty thirty forty fifty sixty seventy eighty ninety".split())
EN_ORD_UNITS = tuple(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth "
    "eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
    "eighteenth nineteenth".split()
)
EN_ORD_TENS = tuple(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()
)
DE_UNITS = tuple(
    "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn "
    "vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn".split()
)
DE_TENS = tuple("zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig".split())
DE_ORDINALS = tuple(
    "erst zweit dritt viert fünft sechst siebt acht neunt zehnt elft zwölft".split()
)

# German numerators of fractions and written-out numbers before a magnitude word.
DE_NUMERATORS = {"ein": 1, "eine": 1, "einer": 1, "einem": 1, "einen": 1} | {
    w: i for i, w in enumerate(DE_UNITS) if 2 <= i <= 12
}
DE_DENOMINATORS = {
    "drittel": 3,
    "viertel": 4,
    "fünftel": 5,
    "sechstel": 6,
    "siebtel": 7,
    "achtel": 8,
    "neuntel": 9,
    "zehntel": 10,
}
EN_DENOMINATORS = {
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
EN_NUMERATORS = {"a": 1, "an": 1, "one": 1} | {w: i for i, w in enumerate(EN_UNITS) if 2 <= i <= 10}
# English words that express a small number without being number words.
EN_SYNONYMS = {
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
ROMAN = ("II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
DE_SCALES = {"tsd": 3, "tausend": 3, "mio": 6, "million": 6, "millionen": 6}
DE_SCALES |= {"mrd": 9, "md": 9, "milliarde": 9, "milliarden": 9}
DE_SCALES |= {"bio": 12, "billion": 12, "billionen": 12, "billiarde": 15, "billiarden": 15}
EN_SCALES = {"thousand": 3, "million": 6, "mn": 6, "m": 6, "billion": 9, "bn": 9}
EN_SCALES |= {"trillion": 12, "tn": 12}


def _english_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for i, (card, ordi) in enumerate(zip(EN_UNITS, EN_ORD_UNITS, strict=True)):
        words[card], words[ordi] = i, i
    for t, (tens, ordi) in enumerate(zip(EN_TENS, EN_ORD_TENS, strict=True)):
        base = 20 + 10 * t
        words[tens], words[ordi] = base, base
        for u in range(1, 10):
            words[f"{tens}-{EN_UNITS[u]}"] = base + u
            words[f"{tens}-{EN_ORD_UNITS[u]}"] = base + u
    words.update(hundred=100, hundredth=100, thousand=1000, thousandth=1000, million=1_000_000)
    return words


def _by_value(words: dict[str, int]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for word, value in words.items():
        out.setdefault(str(value), set()).add(word)
    return {value: frozenset(ws) for value, ws in out.items()}


EN_WORD_VALUES = _english_words()
EN_WORDS_BY_VALUE = _by_value(EN_WORD_VALUES)


def fraction_words(num: int, den: int) -> frozenset[str]:
    """Return the English phrases for num/den ("two thirds", "two-thirds", "a third")."""
    if den == 2:
        return frozenset({"half", "a half", "one half", "one-half"}) if num == 1 else frozenset()
    name = "quarter" if den == 4 else EN_ORD_UNITS[den]
    if num == 1:
        return frozenset({f"a {name}", f"one {name}", f"one-{name}"})
    numerator = EN_UNITS[num]
    plural = name + "s"
    out = {f"{numerator} {plural}", f"{numerator}-{plural}"}
    if den == 4:
        out |= {f"{numerator} fourths", f"{numerator}-fourths"}
    return frozenset(out)


def german_word_value(word: str) -> int | None:
    if word in DE_UNITS:
        return DE_UNITS.index(word)
    if word in DE_TENS:
        return 20 + 10 * DE_TENS.index(word)
    if word in ("hundert", "tausend"):
        return 100 if word == "hundert" else 1000
    for i, stem in enumerate(DE_ORDINALS, start=1):
        if word.startswith(stem) and word[len(stem) :] in ("e", "en", "er", "em", "es"):
            return i
    for i, tens in enumerate(DE_TENS):
        if word.startswith(tens + "st") and word[len(tens) + 2 :] in ("e", "en", "er", "em", "es"):
            return 20 + 10 * i
    return None
