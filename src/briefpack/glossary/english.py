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
"""

from __future__ import annotations

import re
from functools import lru_cache

from briefpack.glossary.entry import Term

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


def _spans(phrase: str, text: str, *, case_sensitive: bool, inflect: bool) -> list[tuple[int, int]]:
    rx = phrase_pattern(phrase, case_sensitive=case_sensitive, inflect=inflect)
    return [m.span() for m in rx.finditer(text)]


def english_has_term(entry: Term, en_text: str) -> bool:
    """Return whether `en_text` contains the entry's approved English (or kept German) term."""
    text = _clean(en_text)
    if entry.keep:
        wanted = {entry.de, entry.en}
        return any(_spans(w, text, case_sensitive=True, inflect=False) for w in wanted if w)
    return any(
        _spans(wanted, text, case_sensitive=entry.case_sensitive, inflect=True)
        for wanted in (entry.en, *entry.accept)
    )


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
