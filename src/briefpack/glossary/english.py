"""English-side checks: is the approved rendering present, is an avoided variant used?

Tolerance, decided once for every check:

- Case is ignored, unless the entry is ``case_sensitive``; then only the first letter may
  change case (a term at the start of a sentence).
- Each word may carry a possessive (``'s``, ``s'``, curly apostrophes too) and, unless it is
  capitalised (a name or title: "Donbas" must not accept "Donbass"), a plural ending
  (``-s``, ``-es``, ``y`` → ``-ies``): "security guarantees", "Zelensky's".
- A hyphen and a space between words are interchangeable ("front line", "front-line";
  "rules-based order", "rules based order"); a closed compound is a different word
  ("ceasefire" does not accept "cease-fire", "frontline" does not match "front line").
- ``accept`` variants (other English renderings a glossary admits, e.g. a TBX's admitted
  terms) count as the term, under the same tolerance as ``en``.
- ``keep`` entries must appear unchanged: case-sensitive, no plural, possessive allowed; the
  German base form or the entry's ``en`` (if different) both count.
- Every correct inflection of the approved English counts: its singular and its plural,
  also capitalised and multi-word ("the Chiefs of the General Staff" for "Chief of the
  General Staff", "a territorial concession" for "territorial concessions"). The plural is
  the entry's ``en_plural`` if set, else made by `inflect`.

Number agreement: `english_for` gives the approved English in the number of a German
occurrence (German plural "Sicherheitsgarantien" → "security guarantees"), and
`number_agrees` tells whether a text uses it in that number. `inflect` was chosen over
`lemminflect` because it inflects whole noun phrases ("rounds of negotiations", "Chiefs of
the General Staff") and singularises plurals without a part-of-speech tag; lemminflect
inflects single words given their tag. Proper names, all-capital words and entries whose
English has no separate plural ("defence spending" stays as it is) are left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from briefpack.glossary.entry import Term

if TYPE_CHECKING:
    from briefpack.glossary.match import TermMatch

_SPLIT = re.compile(r"[\s\-\u2010\u2011]+")
_POSSESSIVE = r"(?:['’]s|(?<=s)['’])?"
_BOUND_L = r"(?<![^\W_])"
_BOUND_R = r"(?![^\W_])"


def _clean(text: str) -> str:
    # Soft hyphens are invisible; typographic hyphens and no-break spaces are style.
    return text.replace("\u00ad", "").replace("\u2010", "-").replace("\u2011", "-")


def _word(word: str, *, inflect: bool, first: bool, case_sensitive: bool) -> str:
    if first and case_sensitive and word[:1].lower() != word[:1].upper():
        head = f"[{re.escape(word[0].upper())}{re.escape(word[0].lower())}]"
        rest = word[1:]
    else:
        head, rest = "", word
    if not inflect or word[:1].isupper():
        return head + re.escape(rest) + _POSSESSIVE
    if len(word) > 2 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        stem = head + re.escape(rest[:-1])
        return f"{stem}(?:{re.escape(word[-1])}|ies){_POSSESSIVE}"
    return f"{head}{re.escape(rest)}(?:e?s)?{_POSSESSIVE}"


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str, *, case_sensitive: bool, inflect: bool) -> re.Pattern[str]:
    """Return the compiled pattern for an English phrase under the tolerance rules above."""
    words = [w for w in _SPLIT.split(_clean(phrase).strip()) if w]
    parts = [
        _word(w, inflect=inflect, first=i == 0, case_sensitive=case_sensitive)
        for i, w in enumerate(words)
    ]
    body = r"[\s\-]+".join(parts) if parts else r"(?!)"
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(_BOUND_L + body + _BOUND_R, flags)


def may_fullmatch(phrase: str, text: str) -> bool:
    """Return False only where `phrase_pattern(phrase, case_sensitive=False, ...)` cannot
    fullmatch `text`: a cheap test that spares compiling a pattern per entry (lint).

    A match has one word of `text` per word of the phrase, each as long as the phrase's word
    up to four characters more (a plural ending, a possessive) and starting with the same
    letter; ASCII letters only are compared, as the pattern's case-folding of other
    letters has exceptions (``ſ`` matches ``s``).
    """
    words = [w for w in _SPLIT.split(_clean(phrase).strip()) if w]
    parts = re.split(r"[\s\-]+", text)
    if len(words) != len(parts):
        return False
    for word, part in zip(words, parts, strict=True):
        if not len(word) <= len(part) <= len(word) + 4:
            return False
        a, b = word[0], part[0]
        if a.isascii() and b.isascii() and a.lower() != b.lower():
            return False
    return True


def _spans(phrase: str, text: str, *, case_sensitive: bool, inflect: bool) -> list[tuple[int, int]]:
    rx = phrase_pattern(phrase, case_sensitive=case_sensitive, inflect=inflect)
    return [m.span() for m in rx.finditer(text)]


# Words after which the head of an English noun phrase has ended ("round | of negotiations").
_PREPOSITIONS = frozenset("of for in on to with at from against between by".split())


@lru_cache(maxsize=1)
def _inflect() -> Any:
    import inflect  # ~90 ms (inflect 6; see pyproject.toml); only checks and restoration need it

    return inflect.engine()


def _head_word(words: list[str]) -> int:
    """Return the index of the head noun of an English phrase (before any preposition)."""
    for i, word in enumerate(words):
        if i and word.lower() in _PREPOSITIONS:
            return i - 1
    return len(words) - 1


def _inflect_head(phrase: str, *, plural: bool) -> str:
    """Return `phrase` with its head noun made plural (or singular); unchanged if it cannot."""
    words = phrase.split(" ")
    at = _head_word(words)
    word = words[at]
    if not word[:1].isalpha() or (len(word) > 1 and word.isupper()):
        return phrase  # acronyms and numbers have no number of their own here
    low = word.lower()
    engine = _inflect()
    # inflect treats capitalised words as names ("Secretarys"): inflect the lower case.
    new = engine.plural_noun(low) if plural else engine.singular_noun(low)
    if not new or new == low:
        return phrase
    if word[:1].isupper():
        new = new[:1].upper() + new[1:]
    return " ".join([*words[:at], new, *words[at + 1 :]])


@lru_cache(maxsize=4096)
def english_forms(en: str, en_plural: str | None, base_number: str | None) -> tuple[str, str]:
    """Return the (singular, plural) of an entry's English, whose own number is `base_number`.

    They are equal where English has no separate form (mass nouns, names).
    """
    if base_number == "pl":
        return _inflect_head(en, plural=False), en
    if base_number is None:  # a name, or a word the lexicon does not know: no number
        return en, en_plural or en
    return en, en_plural or _inflect_head(en, plural=True)


def _forms_of(entry: Term, base_number: str | None) -> tuple[str, str]:
    return english_forms(entry.en, entry.en_plural, base_number)


def english_for(match: TermMatch) -> str:
    """Return the approved English (or kept German) in the number of the German occurrence."""
    entry = match.entry
    if entry.keep:
        return entry.de
    if match.number is None or match.number == (match.base_number or "sg"):
        return entry.en
    singular, plural = _forms_of(entry, match.base_number)
    return plural if match.number == "pl" else singular


def english_has_term(entry: Term, en_text: str, base_number: str | None = None) -> bool:
    """Return whether `en_text` contains the entry's approved English (or kept German) term.

    Either number counts: `number_agrees` says whether it is the right one.
    """
    text = _clean(en_text)
    if entry.keep:
        wanted = {entry.de, entry.en}
        return any(_spans(w, text, case_sensitive=True, inflect=False) for w in wanted if w)
    cs = entry.case_sensitive
    if any(_spans(w, text, case_sensitive=cs, inflect=True) for w in (entry.en, *entry.accept)):
        return True
    # A word the lexicon has no number for (a name: "Donbas") gets no made-up inflection.
    forms = set(_forms_of(entry, base_number))
    if base_number is not None:
        forms |= {_inflect_head(entry.en, plural=True), _inflect_head(entry.en, plural=False)}
    forms -= {entry.en}
    return any(_spans(f, text, case_sensitive=cs, inflect=False) for f in forms)


def number_used(entry: Term, en_text: str, base_number: str | None) -> set[str]:
    """Return the numbers ("sg", "pl") in which `en_text` uses the entry's English."""
    if entry.keep:
        return set()
    singular, plural = _forms_of(entry, base_number)
    if singular == plural:
        return set()
    text = _clean(en_text)
    cs = entry.case_sensitive
    found = set()
    if _spans(singular, text, case_sensitive=cs, inflect=False):
        found.add("sg")
    if _spans(plural, text, case_sensitive=cs, inflect=False):
        found.add("pl")
    return found


def find_avoided(entry: Term, en_text: str) -> list[str]:
    """Return the entry's `avoid` variants used in `en_text` (each once, in glossary order).

    An occurrence inside the approved rendering itself does not count, so an entry may avoid
    "envoy" alone while approving "special envoy".
    """
    if not entry.avoid:
        return []
    text = _clean(en_text)
    approved = (
        []
        if entry.keep
        else [
            span
            for wanted in (entry.en, *entry.accept)
            for span in _spans(wanted, text, case_sensitive=False, inflect=True)
        ]
    )
    found: list[str] = []
    for variant in entry.avoid:
        for start, end in _spans(variant, text, case_sensitive=False, inflect=True):
            if not any(s <= start and end <= e for s, e in approved):
                found.append(variant)
                break
    return found
