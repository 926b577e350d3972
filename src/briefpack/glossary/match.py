"""German-aware term matching over source text.

How a glossary entry is found in German text:

- Text and terms are normalised first: ``ß`` → ``ss`` (Swiss spelling "heisst" finds "heißt"),
  non-breaking and typographic hyphens → ``-``, no-break spaces → space, soft hyphens removed.
- Matching ignores case unless the entry sets ``case_sensitive``.
- A hyphen inside a term may be written as a hyphen, a space or nothing
  ("NATO-Osterweiterung", "Nato Osterweiterung", "Natoosterweiterung").
- Inflection: every listed form matches literally, and every word of the base form and the
  forms is also compared by its Snowball German stem, so "Waffenstillstands", "der Hohen
  Vertreterin" or "eingefrorenen Vermögenswerte" match without being listed. A one-word term
  that starts with a capital (a noun) only stem-matches capitalised words, so the noun
  "Abschreckung" does not pick up the verb "abschrecken". Case-sensitive entries match their
  listed forms only.
- Without ``compound: true`` a match never starts or ends inside a word (a hyphen ends a word,
  so "US-Sondergesandten" contains "Sondergesandten"). With it, the term may also sit at the
  start, middle or end of a longer word ("Waffenstillstandslinie", "Chefunterhändler").
  A compound match followed only by an inflection ending ("Sicherheitsgarantien") covers the
  whole word and is not reported as a compound.
- Overlaps are resolved longest match first, then leftmost, then glossary order.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefpack.glossary.entry import Term

# Characters rewritten before matching; every other character maps to itself.
_FOLD = {
    "ß": "ss",
    "ẞ": "SS",
    "\u00ad": "",  # soft hyphen: invisible, must not split a word
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space
    "\u2007": " ",  # figure space
}
_FOLD_RE = re.compile("[" + "".join(_FOLD) + "]")
# Snowball folds umlauts, so a stem "zugestandnis" must find "zugeständnisse".
_UNFOLD = {"a": "[aä]", "o": "[oö]", "u": "[uü]"}
_WORD = re.compile(r"[^\W_]+")
_WORD_REST = re.compile(r"[^\W_]*")
_GAP = re.compile(r"[\s-]+")
_SEPARATORS = re.compile(r"[\s-]+")
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


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus the map back to positions in the original text."""

    cs: str  # case preserved
    ci: str  # lower-cased, same length as `cs`
    breaks: tuple[int, ...] = ()  # normalised positions from which `deltas` apply
    deltas: tuple[int, ...] = ()

    def orig(self, pos: int) -> int:
        """Return the original-text position of normalised position `pos`."""
        i = bisect.bisect_right(self.breaks, pos) - 1
        return pos + self.deltas[i] if i >= 0 else pos


def normalize(text: str) -> Normalized:
    """Return `text` with ß, hyphen and space variants unified (see the module docstring)."""
    breaks: list[int] = []
    deltas: list[int] = []
    if _FOLD_RE.search(text) is None:
        cs = text
    else:
        parts: list[str] = []
        last = npos = delta = 0
        for m in _FOLD_RE.finditer(text):
            kept = text[last : m.start()]
            rep = _FOLD[m.group()]
            parts += (kept, rep)
            npos += len(kept) + len(rep)
            delta += 1 - len(rep)
            breaks.append(npos)
            deltas.append(delta)
            last = m.end()
        parts.append(text[last:])
        cs = "".join(parts)
    ci = cs.lower()
    if len(ci) != len(cs):  # a few characters lower-case to two; keep positions aligned
        ci = "".join(c.lower() if len(c.lower()) == 1 else c for c in cs)
    return Normalized(cs, ci, tuple(breaks), tuple(deltas))


def canonical_key(term: str) -> str:
    """Return the identity of a German term: normalised, case-folded, without hyphens/spaces."""
    return _SEPARATORS.sub("", normalize(term.strip()).cs.casefold())


def _key(surface: str, *, fold: bool) -> str:
    text = surface.casefold() if fold else surface
    return _SEPARATORS.sub("", text)


def _atoms(variant: str, *, flexible_first: bool) -> list[str]:
    """Split a normalised variant into regex atoms (one per character or separator)."""
    atoms: list[str] = []
    text = " ".join(variant.split())
    for i, ch in enumerate(text):
        if ch == " ":
            atoms.append(r"\s+")
        elif ch == "-" and 0 < i < len(text) - 1 and text[i + 1] != " ":
            atoms.append(r"(?:-|\s+)?")  # "NATO-Osterweiterung", "Nato Osterweiterung", …
        elif i == 0 and flexible_first and ch.lower() != ch.upper():
            # Inside a compound a case-sensitive noun loses its capital ("Natosicherheit").
            atoms.append(f"[{re.escape(ch.upper())}{re.escape(ch.lower())}]")
        else:
            atoms.append(re.escape(ch))
    return atoms


def _trie_regex(sequences: Sequence[list[str]]) -> str:
    """Return one regex matching any of the atom sequences, preferring longer ones."""
    trie: dict[str, dict[str, object]] = {}
    for seq in sequences:
        node = trie
        for atom in seq:
            node = node.setdefault(atom, {})  # type: ignore[assignment]
        node[""] = {}  # "" marks the end of a sequence; no atom is empty

    def emit(node: dict[str, object]) -> str:
        branches = [atom + emit(child) for atom, child in node.items() if atom]  # type: ignore[arg-type]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _StemVariant:
    entry: int
    stems: tuple[str, ...]
    lengths: tuple[int, ...]  # length of each word, to refuse derivations ("völkerrechtlich")
    noun: bool  # one capitalised word: only capitalised text words may stem-match


class Matcher:
    """Compiled matcher for a fixed list of entries (build once, call `find` many times)."""

    def __init__(self, terms: Sequence[Term]) -> None:
        # Imported here: it loads every language's stemmer (~15 ms), and a build whose
        # matches are all cached never builds a Matcher.
        import snowballstemmer

        self._terms = tuple(terms)
        self._stemmer = snowballstemmer.stemmer("german")
        self._stem_cache: dict[str, str] = {}
        self._keys: dict[tuple[bool, str], int] = {}  # (case_sensitive, key) -> entry index
        patterns: dict[tuple[bool, bool], list[list[str]]] = {}  # (cs, compound) -> atoms
        self._stem_index: dict[str, list[_StemVariant]] = {}
        for idx, term in enumerate(self._terms):
            cs = term.case_sensitive
            for variant in term.variants:
                norm = normalize(variant.strip())
                text = norm.cs if cs else norm.ci
                if not text.strip():
                    continue
                self._keys.setdefault((cs, _key(text, fold=False)), idx)
                flexible = cs and term.compound
                patterns.setdefault((cs, term.compound), []).append(
                    _atoms(text, flexible_first=flexible)
                )
                if not cs:
                    self._add_stem_variant(idx, norm)
        self._regexes: list[tuple[bool, bool, re.Pattern[str]]] = []
        for (cs, compound), seqs in sorted(patterns.items()):
            body = _trie_regex(seqs)
            # Compound terms may sit anywhere in a word; others must start and end a word.
            rx = f"(?=({body}))" if compound else rf"(?<![^\W_])(?=({body})(?![^\W_]))"
            self._regexes.append((cs, compound, re.compile(rx)))
        # Words that may stem-match start with a stem (stems are prefixes of folded words).
        starts = [[_UNFOLD.get(ch, re.escape(ch)) for ch in stem] for stem in self._stem_index]
        self._stem_starts = re.compile(rf"(?<![^\W_]){_trie_regex(starts)}") if starts else None

    def _stem(self, word: str) -> str:
        stem = self._stem_cache.get(word)
        if stem is None:
            stem = str(self._stemmer.stemWord(word))
            self._stem_cache[word] = stem
        return stem

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

    def find(self, text: str) -> list[TermMatch]:
        """Return the entries found in `text`, non-overlapping, ordered by position."""
        if not text or not self._terms:
            return []
        norm = normalize(text)
        candidates: list[tuple[int, int, int, bool]] = []  # (start, end, entry, compound)
        for cs, compound, rx in self._regexes:
            source = norm.cs if cs else norm.ci
            for m in rx.finditer(source):
                start, end = m.start(1), m.end(1)
                if end == start:
                    continue
                idx = self._entry_for(m.group(1), cs=cs)
                if idx is None:
                    continue
                if compound:
                    start, end, is_compound = _classify(norm.ci, start, end)
                else:
                    is_compound = False
                candidates.append((start, end, idx, is_compound))
        candidates += self._stem_candidates(norm)
        return self._resolve(text, norm, candidates)

    def _entry_for(self, surface: str, *, cs: bool) -> int | None:
        key = _key(surface, fold=False)
        idx = self._keys.get((cs, key))
        if idx is None and cs and key:
            # A compound-internal match of a case-sensitive term may have lost its capital.
            swapped = key[0].swapcase() + key[1:]
            idx = self._keys.get((cs, swapped))
        return idx

    def _stem_candidates(self, norm: Normalized) -> list[tuple[int, int, int, bool]]:
        out: list[tuple[int, int, int, bool]] = []
        if self._stem_starts is None:
            return out
        ci = norm.ci
        for m in self._stem_starts.finditer(ci):
            start = m.start()
            end = _WORD_REST.match(ci, start).end()  # type: ignore[union-attr]
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

    def _resolve(
        self, text: str, norm: Normalized, candidates: list[tuple[int, int, int, bool]]
    ) -> list[TermMatch]:
        chosen: list[tuple[int, int, int, bool]] = []
        taken: list[tuple[int, int]] = []
        for cand in sorted(set(candidates), key=lambda c: (c[0] - c[1], c[0], c[2], c[3])):
            start, end = cand[0], cand[1]
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            chosen.append(cand)
        out = []
        for start, end, idx, compound in sorted(chosen):
            o_start, o_end = norm.orig(start), norm.orig(end)
            out.append(TermMatch(self._terms[idx], o_start, o_end, text[o_start:o_end], compound))
        return out


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
