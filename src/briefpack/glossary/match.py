"""German-aware term matching over source text.

How a glossary entry is found in German text:

- Text and terms are normalised first (`briefpack.glossary.normalize`): ``ß`` → ``ss``
  (Swiss spelling "heisst" finds "heißt"), non-breaking and typographic hyphens → ``-``,
  no-break spaces → space, soft hyphens removed.
- Matching ignores case unless the entry sets ``case_sensitive``.
- A hyphen inside a term may be written as a hyphen, a space or nothing
  ("NATO-Osterweiterung", "Nato Osterweiterung", "Natoosterweiterung").
- Inflection: every listed form matches literally; every form the German noun lexicon
  (`briefpack.glossary.morph`) gives for an entry's head noun matches too (only in
  capitalised words); and every word of the base form and the forms is also compared by its
  Snowball German stem, so "Waffenstillstands", "der Hohen Vertreterin" or "eingefrorenen
  Vermögenswerte" match without being listed. A one-word term that starts with a capital
  (a noun) only stem-matches capitalised words, so the noun "Abschreckung" does not pick up
  the verb "abschrecken". Case-sensitive entries match their listed forms only.
- Compounds: a one-word noun entry the lexicon knows also matches as the head of a compound
  whose first part is a noun ("Wirtschafts|sanktionen" → Sanktion) and as the first part of
  a compound the lexicon lists ("Sanktions|paket", "Bundeswehr|soldaten"), never inside
  unrelated words ("Kriminalität"; "Sanktionsumgehung" is not a listed compound). With
  ``compound: true`` the term may sit anywhere in a longer word ("Waffenstillstandslinie",
  "Chefunterhändler"). A compound match covers the term only and sets ``compound``; one
  followed only by an inflection ending ("Sicherheitsgarantien") covers the whole word.
- Transliterated names: a capitalised one-word entry the lexicon does not know (a name)
  also matches every capitalised word with the same transliteration skeleton
  (`morph.skeleton`), so "Selenskyj" finds "Zelenskij" and "Zelensky", "Kiew" finds "Kyjiw".
- Every match carries the occurrence's lemma (of its head noun), its grammatical number
  (``"sg"``, ``"pl"``, or None where neither the form nor its determiner says) and the
  number of the entry's own base form, so the English can be produced in the right number.
- Overlaps are resolved longest match first, then leftmost, then glossary order.

Matching is an index, not a scan: the text is split into words once and each word is looked
up (by literal form, stem and skeleton) in dictionaries built from the glossary, so its cost
does not grow with the number of entries; ``compound: true`` entries, which may start
inside a word, are found with one Aho-Corasick automaton (`pyahocorasick`). An entry is
indexed when a text first holds a word that may start one of its matches
(`briefpack.glossary.triggers`), so a large glossary costs what the texts use of it.
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from briefpack.glossary import morph
from briefpack.glossary.entry import Term
from briefpack.glossary.normalize import Normalized, canonical_key, normalize
from briefpack.glossary.triggers import UMLAUTS, WORD, Triggers, head_index

__all__ = ["Matcher", "Normalized", "TermMatch", "canonical_key", "normalize"]

_WORD = WORD
_WORD_REST = re.compile(r"[^\W_]*")
_GAP = re.compile(r"[\s-]+")
# Endings that only inflect the word a compound term ends with ("Sicherheitsgarantie-n").
# A stem match may be this much shorter or longer than the term's word: inflection
# ("Militärbündnis-ses", "Friede-n") but not derivation ("Völkerrecht-liche").
_MIN_GROWTH, _MAX_GROWTH = -2, 3
_INFLECTIONS = frozenset({"s", "es", "e", "n", "en", "ns", "ens", "er", "ern"})


@dataclass(frozen=True)
class TermMatch:
    """One glossary entry found in a German text: `text[start:end] == surface`."""

    entry: Term
    start: int
    end: int
    surface: str
    compound: bool = False  # the term is part of a longer word; the span covers the term only
    lemma: str = ""  # dictionary form of the occurrence's head noun (else the entry's `de`)
    number: str | None = None  # "sg", "pl" or None: the occurrence's grammatical number
    base_number: str | None = None  # number of the entry's own base form (`de`)


@dataclass(frozen=True)
class _Literal:
    """A variant matched word by word: words (lower-cased unless cs) and the gaps between."""

    entry: int
    words: tuple[str, ...]
    gaps: tuple[str, ...]  # " " (whitespace), "-" (hyphen, space or nothing) or literal text
    noun: bool  # every text word must start with a capital


@dataclass(frozen=True)
class _StemVariant:
    entry: int
    stems: tuple[str, ...]
    lengths: tuple[int, ...]  # length of each word, to refuse derivations ("völkerrechtlich")
    noun: bool  # one capitalised word: only capitalised text words may stem-match


@dataclass(frozen=True)
class _Head:
    """What an entry's head noun is: where it sits in the base form and its lemma."""

    index: int  # word index of the head noun in every variant (-1: none)
    lemma: str | None
    base_number: str | None


Candidate = tuple[int, int, int, bool]  # (start, end, entry index, compound)


def _split_variant(text: str) -> tuple[list[str], list[str]] | None:
    """Split a normalised variant into words and the gaps between them."""
    spans = [m.span() for m in _WORD.finditer(text)]
    if not spans:
        return None
    words = [text[a:b] for a, b in spans]
    gaps: list[str] = []
    for (_, end), (start, _) in itertools.pairwise(spans):
        gap = text[end:start]
        if gap.strip() == "":
            gaps.append(" ")
        elif gap == "-":
            gaps.append("-")
        else:
            gaps.append(" ".join(gap.split()) if gap.strip() != gap else gap)
    return words, gaps


class Matcher:
    """Compiled matcher for a fixed list of entries (build once, call `find` many times)."""

    def __init__(self, terms: Sequence[Term]) -> None:
        # Imported here: it loads every language's stemmer (~15 ms), and a build whose
        # matches are all cached never builds a Matcher.
        import snowballstemmer

        self._terms = tuple(terms)
        self._stemmer = snowballstemmer.stemmer("german")
        self._stem_cache: dict[str, str] = {}
        self._lex = morph.lexicon()
        self._literals: dict[tuple[bool, str], list[_Literal]] = {}  # (cs, first word) -> …
        self._stem_index: dict[str, list[_StemVariant]] = {}
        self._skeletons: dict[str, int] = {}
        self._heads: dict[str, list[tuple[int, str]]] = {}  # compound head form -> (entry, lemma)
        self._firsts: dict[str, list[int]] = {}  # compound first part (with linking s) -> entries
        self._head_info = [_Head(-1, None, None)] * len(self._terms)
        self._indexed = bytearray(len(self._terms))
        self._lock = threading.Lock()
        self._triggers = Triggers(self._terms, self._lex, self._stem, self._stem_all)
        compound_keys: dict[tuple[bool, str], int] = {}
        self._index(self._triggers.eager, compound_keys)
        self._automata: list[tuple[bool, Any]] = []
        if compound_keys:
            import ahocorasick

            for cs in (False, True):
                if not (keys := {k: i for (c, k), i in compound_keys.items() if c == cs}):
                    continue
                automaton = ahocorasick.Automaton()
                for key, idx in keys.items():
                    automaton.add_word(key, (len(key), idx))
                automaton.make_automaton()
                self._automata.append((cs, automaton))

    # --- building ---------------------------------------------------------------------------

    def _index(
        self, entries: Iterable[int], compound_keys: dict[tuple[bool, str], int] | None = None
    ) -> None:
        """Index the entries not indexed yet (only those indexed up front are compounds).

        An entry counts as indexed once all of it is: a `find` in another thread waits for it.
        """
        keys: dict[tuple[bool, str], int] = {} if compound_keys is None else compound_keys
        if not (pending := sorted(idx for idx in entries if not self._indexed[idx])):
            return
        with self._lock:
            for idx in pending:
                if not self._indexed[idx]:
                    self._head_info[idx] = self._add_entry(idx, self._terms[idx], keys)
                    self._indexed[idx] = 1

    def _add_entry(self, idx: int, term: Term, compound_keys: dict[tuple[bool, str], int]) -> _Head:
        cs = term.case_sensitive
        head = _Head(-1, None, None)
        for n, variant in enumerate(term.variants):
            norm = normalize(variant.strip())
            text = norm.cs if cs else norm.ci
            split = _split_variant(norm.cs)
            if split is None:
                continue
            words_cs, gaps = split
            words = words_cs if cs else [w.lower() for w in words_cs]
            self._add_literal(_Literal(idx, tuple(words), tuple(gaps), False), cs=cs)
            if term.compound:
                for key in _compound_keys(" ".join(text.split()), cs=cs):
                    compound_keys.setdefault((cs, key), idx)
            if cs:
                continue
            self._add_stem_variant(idx, norm)
            if n == 0:
                head = self._analyse_head(idx, term, words_cs, gaps)
        if not cs and len(term.variants[0].split()) == 1 and head.lemma is None:
            base = _split_variant(normalize(term.de.strip()).cs)
            if base and len(base[0]) == 1 and base[0][0][:1].isupper() and len(base[0][0]) >= 3:
                for variant in term.variants:
                    key = morph.skeleton(normalize(variant).cs)
                    # The first entry with a skeleton owns it, whichever was indexed first.
                    if self._skeletons.get(key, idx) >= idx:
                        self._skeletons[key] = idx
        return head

    def _analyse_head(self, idx: int, term: Term, words: list[str], gaps: list[str]) -> _Head:
        """Add the lexicon forms of the entry's head noun; return what the head is."""
        at = head_index(words)
        if at < 0 or self._lex is None:
            return _Head(at, None, None)
        found = self._lex.paradigm(words[at])
        if found is None:
            return _Head(at, None, None)
        lemma, forms = found
        numbers = {n for f, n in forms if f.casefold() == words[at].casefold()}
        # The base form is a nominative: the lemma itself is singular, another form that
        # can be plural is the plural ("territoriale Zugeständnisse").
        if words[at].casefold() == lemma.casefold():
            base_number: str | None = "sg"
        else:
            base_number = "pl" if "pl" in numbers else ("sg" if numbers else None)
        lowered = [w.lower() for w in words]
        for form, _ in forms:
            variant = [*lowered[:at], form.lower(), *lowered[at + 1 :]]
            self._add_literal(_Literal(idx, tuple(variant), tuple(gaps), True), cs=False)
        if len(words) == 1 and not term.compound:
            for form, _ in forms:
                low = form.lower()
                if len(low) >= morph.MIN_PART:
                    self._heads.setdefault(low, []).append((idx, lemma))
            stem = lemma.lower()
            for fuge in morph.FUGEN:
                self._firsts.setdefault(stem + fuge, []).append(idx)
        return _Head(at, lemma, base_number)

    def _add_literal(self, literal: _Literal, *, cs: bool) -> None:
        variants = [literal]
        hyphens = [i for i, g in enumerate(literal.gaps) if g == "-"]
        if hyphens and len(hyphens) <= 3:
            # "NATO-Osterweiterung" is also written "Natoosterweiterung": join at hyphens.
            for mask in range(1, 1 << len(hyphens)):
                joined = {hyphens[b] for b in range(len(hyphens)) if mask >> b & 1}
                words, gaps = [literal.words[0]], []
                for i, gap in enumerate(literal.gaps):
                    if i in joined:
                        words[-1] += literal.words[i + 1]
                    else:
                        words.append(literal.words[i + 1])
                        gaps.append(gap)
                variants.append(_Literal(literal.entry, tuple(words), tuple(gaps), literal.noun))
        for v in variants:
            bucket = self._literals.setdefault((cs, v.words[0]), [])
            if v not in bucket:
                bucket.append(v)

    def _stem(self, word: str) -> str:
        stem = self._stem_cache.get(word)
        if stem is None:
            stem = str(self._stemmer.stemWord(word))
            self._stem_cache[word] = stem
        return stem

    def _stem_all(self, words: list[str]) -> list[str]:
        stems = [str(stem) for stem in self._stemmer.stemWords(words)]
        self._stem_cache.update(zip(words, stems, strict=True))
        return stems

    def _add_stem_variant(self, idx: int, norm: Normalized) -> None:
        words = _WORD.findall(norm.ci)
        if not words:
            return
        stems = tuple(self._stem(w) for w in words)
        first = _WORD.search(norm.cs)
        noun = len(words) == 1 and first is not None and first.group()[0].isupper()
        variant = _StemVariant(idx, stems, tuple(len(w) for w in words), noun)
        bucket = self._stem_index.setdefault(stems[0], [])
        if variant not in bucket:
            bucket.append(variant)

    # --- matching ---------------------------------------------------------------------------

    def find(self, text: str) -> list[TermMatch]:
        """Return the entries found in `text`, non-overlapping, ordered by position."""
        if not text or not self._terms:
            return []
        norm = normalize(text)
        words = [m.span() for m in _WORD.finditer(norm.ci)]
        self._index(self._triggers.entries(norm, words))
        candidates: list[Candidate] = []
        candidates += self._literal_candidates(norm, words)
        candidates += self._stem_candidates(norm, words)
        candidates += self._automaton_candidates(norm)
        candidates += self._lexicon_candidates(norm, words)
        return self._resolve(text, norm, candidates)

    def _literal_candidates(
        self, norm: Normalized, words: list[tuple[int, int]]
    ) -> list[Candidate]:
        out: list[Candidate] = []
        for j, (start, end) in enumerate(words):
            for cs in (False, True):
                source = norm.cs if cs else norm.ci
                for lit in self._literals.get((cs, source[start:end]), ()):
                    stop = self._literal_end(norm, words, j, lit, source)
                    if stop is not None:
                        out.append((start, stop, lit.entry, False))
        return out

    def _literal_end(
        self, norm: Normalized, words: list[tuple[int, int]], j: int, lit: _Literal, source: str
    ) -> int | None:
        if j + len(lit.words) > len(words):
            return None
        for k, word in enumerate(lit.words):
            start, end = words[j + k]
            if lit.noun and not norm.cs[start].isupper():
                return None
            if k == 0:
                continue
            if source[start:end] != word:
                return None
            gap = norm.cs[words[j + k - 1][1] : start]
            want = lit.gaps[k - 1]
            if want == " ":
                if gap.strip() or not gap:
                    return None
            elif want == "-":
                if gap != "-" and (gap.strip() or not gap):
                    return None
            elif " ".join(gap.split()) != want and gap != want:
                return None
        return words[j + len(lit.words) - 1][1]

    def _stem_candidates(self, norm: Normalized, words: list[tuple[int, int]]) -> list[Candidate]:
        out: list[Candidate] = []
        if not self._stem_index:
            return out
        ci = norm.ci
        for start, end in words:
            # Stemming is the slow part (pure Python); a stem is a prefix of the word with
            # umlauts folded, so only a word starting with some entry's stem needs it.
            if not self._triggers.may_stem(ci[start:end].translate(UMLAUTS)):
                continue
            variants = self._stem_index.get(self._stem(ci[start:end]))
            if not variants:
                continue
            for var in variants:
                if var.noun and not norm.cs[start].isupper():
                    continue
                last_end = self._rest_end(ci, start, end, var)
                if last_end is not None:
                    out.append((start, last_end, var.entry, False))
        return out

    def _rest_end(self, ci: str, start: int, end: int, var: _StemVariant) -> int | None:
        """Return where a multi-word stem variant starting at `start` ends, or None."""
        for k in range(len(var.stems)):
            if k:
                gap = _GAP.match(ci, end)
                word = _WORD.match(ci, gap.end()) if gap else None
                if word is None:
                    return None
                start, end = word.span()
            if not _MIN_GROWTH <= (end - start) - var.lengths[k] <= _MAX_GROWTH:
                return None
            if k and self._stem(ci[start:end]) != var.stems[k]:
                return None
        return end

    def _automaton_candidates(self, norm: Normalized) -> list[Candidate]:
        out: list[Candidate] = []
        for cs, automaton in self._automata:
            source = norm.cs if cs else norm.ci
            for last, (length, idx) in automaton.iter(source):
                span_start, span_end, is_compound = _classify(norm.ci, last + 1 - length, last + 1)
                out.append((span_start, span_end, idx, is_compound))
        return out

    def _lexicon_candidates(
        self, norm: Normalized, words: list[tuple[int, int]]
    ) -> list[Candidate]:
        """Return compound readings (head or first part) and transliterated names."""
        out: list[Candidate] = []
        lex = self._lex
        ci, cs = norm.ci, norm.cs
        for start, end in words:
            if not cs[start].isupper():
                continue
            word = ci[start:end]
            if self._skeletons:
                for key in (word, word[:-1] if word.endswith("s") else None):
                    idx = self._skeletons.get(morph.skeleton(key)) if key else None
                    if idx is not None and (lex is None or not lex.is_noun(word)):
                        out.append((start, end, idx, False))
                        break
            if lex is None or len(word) < 2 * morph.MIN_PART:
                continue
            for i in range(morph.MIN_PART, len(word) - morph.MIN_PART + 1):
                heads = self._heads.get(word[i:])
                if heads and lex.is_part(word[:i]):
                    out += [(start + i, end, idx, True) for idx, _ in heads]
                    break
            for i in range(len(word) - morph.MIN_PART, morph.MIN_PART - 1, -1):
                firsts = self._firsts.get(word[:i])
                if firsts and lex.is_noun(word) and lex.is_noun(word[i:]):
                    out += [(start, start + i, idx, True) for idx in firsts]
                    break
        return out

    def _resolve(self, text: str, norm: Normalized, candidates: list[Candidate]) -> list[TermMatch]:
        chosen: list[Candidate] = []
        # The spans taken so far never overlap, so sorted by start they are sorted by end
        # too: a new span overlaps one iff it overlaps the last that starts before its end
        # (a bisection, where a scan of every span taken made a long text quadratic).
        starts: list[int] = []
        ends: list[int] = []
        for cand in sorted(set(candidates), key=lambda c: (c[0] - c[1], c[0], c[2], c[3])):
            start, end = cand[0], cand[1]
            i = bisect.bisect_left(starts, end)
            if i and ends[i - 1] > start:
                continue
            starts.insert(i, start)
            ends.insert(i, end)
            chosen.append(cand)
        out = []
        for start, end, idx, compound in sorted(chosen):
            o_start, o_end = norm.orig(start), norm.orig(end)
            lemma, number = self._grammar(norm, start, end, idx, compound)
            out.append(
                TermMatch(
                    self._terms[idx],
                    o_start,
                    o_end,
                    text[o_start:o_end],
                    compound,
                    lemma=lemma,
                    number=number,
                    base_number=self._head_info[idx].base_number,
                )
            )
        return out

    def _grammar(
        self, norm: Normalized, start: int, end: int, idx: int, compound: bool
    ) -> tuple[str, str | None]:
        """Return the lemma and number of the occurrence `norm.cs[start:end]`."""
        term, head = self._terms[idx], self._head_info[idx]
        if self._lex is None or head.lemma is None:
            return term.de, None
        spans = [m.span() for m in _WORD.finditer(norm.cs, start, end)]
        ci = norm.ci
        if compound:
            # A compound's number is its last part's: only a match that ends the word has one.
            word_end = _WORD_REST.match(ci, end).end()  # type: ignore[union-attr]
            if word_end != end and ci[end:word_end] not in _INFLECTIONS:
                return head.lemma, None
            numbers = self._lex.word_numbers(ci[start:word_end], head.lemma)
            if not numbers:
                numbers = self._lex.word_numbers(ci[start:word_end])
            return head.lemma, morph.resolve_number(numbers, norm.cs[:start], ci[start:word_end])
        at = head.index if 0 <= head.index < len(spans) else len(spans) - 1
        if at < 0:
            return term.de, None
        w_start, w_end = spans[at]
        numbers = self._lex.word_numbers(ci[w_start:w_end], head.lemma)
        return head.lemma, morph.resolve_number(numbers, norm.cs[:start], ci[w_start:w_end])


def _compound_keys(text: str, *, cs: bool) -> list[str]:
    """Return the strings a `compound: true` variant is searched as (hyphen and case variants)."""
    keys = {text}
    if "-" in text:
        keys |= {text.replace("-", " "), text.replace("-", "")}
    if cs:
        keys |= {k[:1].swapcase() + k[1:] for k in keys if k[:1].isalpha()}
    return sorted(k for k in keys if k)


def _classify(ci: str, start: int, end: int) -> tuple[int, int, bool]:
    """Return the span and compound flag of a match found anywhere inside words."""
    word_start = start
    while word_start > 0 and _WORD.match(ci[word_start - 1]):
        word_start -= 1
    word_end = _WORD_REST.match(ci, end).end()  # type: ignore[union-attr]
    remainder = ci[end:word_end]
    if word_start == start and remainder == "":
        return start, end, False
    if word_start == start and remainder in _INFLECTIONS:
        return start, word_end, False
    return start, end, True
