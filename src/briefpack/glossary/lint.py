"""Glossary lint for `briefpack glossary check`: contradictions and sloppiness in entries.

Loading already rejects what makes a glossary unusable (wrong types, empty values, duplicate
German terms, a form claimed by two entries). Lint finds what still misleads translators or
the matcher; every finding is an error, so a clean glossary has none:

- ``duplicate-entry`` / ``form-conflict``: as at load time (for glossaries built in code);
- ``conflict``: an entry's approved English is listed under another entry's ``avoid``;
- ``avoid-self``: an ``avoid`` variant is the entry's own approved English;
- ``redundant``: a form repeating the base form or another form, a repeated ``avoid``;
- ``whitespace``: leading/trailing or doubled whitespace, or an empty string;
- ``stem-collision``: two entries whose one-word terms share a German stem, so the same
  inflected word would match both;
- ``short-compound``: ``compound: true`` on a term under 4 letters, which would match inside
  unrelated words.

Two German terms with the same English are fine (synonyms such as Waffenstillstand/Waffenruhe
belong in one entry's forms, but separate entries are not wrong).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Protocol

import snowballstemmer

from briefpack.errors import Problem
from briefpack.glossary.english import may_fullmatch, phrase_pattern
from briefpack.glossary.load import duplicate_problems
from briefpack.glossary.model import Glossary, Term
from briefpack.glossary.normalize import canonical_key, fold

_BAD_SPACE = re.compile(r"^\s|\s$|\s\s|[\t\n\r]")
# Strings joined by a separator that is no whitespace, each non-empty and without what
# _BAD_SPACE finds: a word, then single spaces each followed by a word.
_SEPARATOR = "\x00"
_CLEAN = re.compile(r"[^\s\x00]+(?: [^\s\x00]+)*(?:\x00[^\s\x00]+(?: [^\s\x00]+)*)*")


class _Add(Protocol):
    def __call__(self, term: Term, field: str, message: str, code: str, *others: Term) -> None: ...


def lint(glossary: Glossary) -> list[Problem]:
    """Return every lint problem of the glossary, in file order."""
    return [problem for _, problem in lint_detailed(glossary)]


def lint_detailed(
    glossary: Glossary, only: Collection[int] | None = None
) -> list[tuple[frozenset[int], Problem]]:
    """Return lint problems with the indices of the entries each one involves.

    `only` (entry indices) returns just the problems involving one of those entries, in
    time proportional to the glossary's size rather than its square: what an edit of a few
    entries must check (glossary/edit.py).
    """
    out: list[tuple[frozenset[int], Problem]] = []
    terms = list(glossary.terms)
    touched = None if only is None else frozenset(only)

    def add(term: Term, field: str, message: str, code: str, *others: Term) -> None:
        indices = frozenset({term.index, *(o.index for o in others)})
        problem = Problem(
            glossary.file, term.line, term.column, message, f"{term.field_path}.{field}", code
        )
        out.append((indices, problem))

    for problem in duplicate_problems(terms, glossary.file):
        index = int(problem.field.split("]")[0].split("[")[1]) if problem.field else -1
        out.append((frozenset({index}), problem))

    for term in terms:
        if touched is not None and term.index not in touched:
            continue
        _check_strings(term, add)
        _check_redundancy(term, add)
        if term.compound and len(canonical_key(term.de)) < 4:
            add(
                term,
                "compound",
                f"compound matching of the short term {term.de!r} would "
                "match inside unrelated words",
                "short-compound",
            )

    avoided: list[tuple[Term, int, str]] = [(t, i, a) for t in terms for i, a in enumerate(t.avoid)]
    for term, owner, i, variant in _avoid_pairs(terms, avoided, touched):
        if term.keep or owner.index == term.index:
            continue
        if phrase_pattern(variant, case_sensitive=False, inflect=True).fullmatch(term.en):
            where = f" (line {owner.line})" if owner.line else ""
            add(
                term,
                "en",
                f"approved English {term.en!r} is listed under avoid[{i}] of {owner.de!r}{where}",
                "conflict",
                owner,
            )

    if touched is not None:
        terms = _stem_candidates(terms, touched)
    _check_stems(terms, add)
    if touched is not None:
        out = [item for item in out if item[0] & touched]
    return sorted(out, key=lambda item: (item[1].line or 0, item[1].field or ""))


def _avoid_pairs(
    terms: list[Term], avoided: list[tuple[Term, int, str]], touched: frozenset[int] | None
) -> Iterator[tuple[Term, Term, int, str]]:
    """Yield the (term, owner, i, variant) pairs whose words could match, in loop order.

    The same pairs as the full double loop over terms and avoided variants minus those
    `_may_match` rules out, found through an index by word count and first letter, so that
    a large glossary costs time in proportion to its size. With `touched`, only pairs
    involving a touched entry.
    """
    by_key: dict[tuple[int, str | None], list[int]] = {}
    by_count: dict[int, list[int]] = {}
    for pos, (_owner, _i, variant) in enumerate(avoided):
        count, first = _shape(_variant_words(variant))
        by_key.setdefault((count, first), []).append(pos)
        by_count.setdefault(count, []).append(pos)
    for term in terms:
        count, first = _shape([w for w in _EN_WORDS.split(term.en) if w])
        if not count:
            continue
        if first is None:
            found = by_count.get(count, [])
        else:
            found = sorted(by_key.get((count, first), []) + by_key.get((count, None), []))
        for pos in found:
            owner, i, variant = avoided[pos]
            if touched is None or term.index in touched or owner.index in touched:
                yield term, owner, i, variant


def _shape(words: list[str]) -> tuple[int, str | None]:
    """Return a phrase's word count and its first letter in lower case (None if not ASCII)."""
    if not words:
        return 0, None
    head = words[0][0]
    return len(words), head.lower() if head.isascii() else None


def _variant_words(variant: str) -> list[str]:
    cleaned = variant.replace("\u00ad", "").replace("\u2010", "-").replace("\u2011", "-")
    return [w for w in _VARIANT_WORDS.split(cleaned.strip()) if w]


_VARIANT_WORDS = re.compile(r"[\s\-\u2010\u2011]+")  # english._SPLIT
_EN_WORDS = re.compile(r"[\s\-]+")  # what the pattern allows between words


def _may_match(variant: str, en: str) -> bool:
    """Whether `phrase_pattern(variant, inflect=True)` could fullmatch `en` (a cheap filter).

    The pattern has one part per word of the variant (split as english.py splits it), joined
    by runs of spaces or hyphens, and each part starts with its word's first character (only
    word ends inflect). ASCII letters compare case-insensitively; other characters are left
    to the pattern (Unicode case folding has surprises such as the Kelvin sign).
    """
    words = _variant_words(variant)
    others = [w for w in _EN_WORDS.split(en) if w]
    if not words or len(words) != len(others):
        return False
    for a, b in zip(words, others, strict=True):
        x, y = a[0], b[0]
        if x.isascii() and y.isascii() and x.lower() != y.lower():
            return False
    return True


def _stem_prefix(word: str) -> str:
    """Return the letter every German snowball stem of `word` starts with.

    The stemmer's prelude folds ß to ss and ae, oe, ue to ä, ö, ü, its end folds ä, ö, ü to
    a, o, u, and it removes suffixes only after the first three letters: the first letter
    survives, folded. (Two letters would not: "ae" stems to "a".)
    """
    head = word[:1]
    return {"ä": "a", "ö": "o", "ü": "u", "ß": "s"}.get(head, head)


def _stem_candidates(terms: list[Term], touched: frozenset[int]) -> list[Term]:
    """Return the entries (in order) whose one-word variants could share a stem with `touched`."""

    def prefixes(term: Term) -> set[str]:
        found = set()
        for variant in term.variants:
            words = fold(variant)[1].split()
            if len(words) == 1 and "-" not in words[0]:
                found.add(_stem_prefix(words[0]))
        return found

    wanted: set[str] = set()
    for term in terms:
        if term.index in touched and not term.case_sensitive:
            wanted |= prefixes(term)
    return [
        t for t in terms if not t.case_sensitive and (t.index in touched or prefixes(t) & wanted)
    ]


def _check_strings(term: Term, add: _Add) -> None:
    if _CLEAN.fullmatch(_SEPARATOR.join((term.de, term.en, *term.forms, *term.avoid))) and (
        term.note is None or term.note.strip()
    ):
        return  # the common entry: no field to name
    fields: list[tuple[str, str]] = [("de", term.de), ("en", term.en)]
    fields += [(f"forms[{i}]", f) for i, f in enumerate(term.forms)]
    fields += [(f"avoid[{i}]", a) for i, a in enumerate(term.avoid)]
    if term.note is not None:
        fields.append(("note", term.note))
    for name, value in fields:
        if not value.strip():
            add(term, name, "must not be empty", "whitespace")
        elif name != "note" and _BAD_SPACE.search(value):
            add(term, name, f"{value!r} has stray whitespace", "whitespace")


def _check_redundancy(term: Term, add: _Add) -> None:
    seen = {canonical_key(term.de): "the base form"}
    for i, form in enumerate(term.forms):
        key = canonical_key(form)
        if key in seen:
            add(term, f"forms[{i}]", f"form {form!r} repeats {seen[key]}", "redundant")
        else:
            seen[key] = f"forms[{i}]"
    seen_avoid: dict[str, int] = {}
    for i, variant in enumerate(term.avoid):
        folded = " ".join(variant.split()).casefold()
        if folded in seen_avoid:
            add(
                term, f"avoid[{i}]", f"{variant!r} repeats avoid[{seen_avoid[folded]}]", "redundant"
            )
        seen_avoid.setdefault(folded, i)
        # Compiled only where it may match (compiling was most of lint's time).
        if (
            not term.keep
            and may_fullmatch(term.en, variant)
            and phrase_pattern(term.en, case_sensitive=False, inflect=True).fullmatch(variant)
        ):
            add(
                term,
                f"avoid[{i}]",
                f"{variant!r} is the entry's own approved English",
                "avoid-self",
            )


def _check_stems(terms: list[Term], add: _Add) -> None:
    stemmer = snowballstemmer.stemmer("german")
    words: list[str] = []  # each entry's one-word variants, stemmed in one call below
    owned: list[int] = []  # the position of each word's entry in `terms`
    for pos, term in enumerate(terms):
        if term.case_sensitive:
            continue  # matched by listed forms only
        for variant in term.variants:
            split = fold(variant)[1].split()
            if len(split) == 1 and "-" not in split[0]:
                words.append(split[0])
                owned.append(pos)
    stems_of: dict[int, set[str]] = {}
    for pos, stem in zip(owned, stemmer.stemWords(words), strict=True):
        stems_of.setdefault(pos, set()).add(str(stem))
    owners: dict[str, Term] = {}
    for pos, term in enumerate(terms):
        for stem in sorted(stems_of.get(pos, ())):
            owner = owners.get(stem)
            duplicate = owner is not None and canonical_key(owner.de) == canonical_key(term.de)
            if owner is not None and owner.index != term.index and not duplicate:
                where = f" (line {owner.line})" if owner.line else ""
                add(
                    term,
                    "de",
                    f"{term.de!r} and {owner.de!r}{where} share the stem {stem!r}, "
                    "so the same inflected words match both",
                    "stem-collision",
                    owner,
                )
            else:
                owners.setdefault(stem, term)
