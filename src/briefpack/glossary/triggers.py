"""Which glossary entries a text can match: the matcher indexes only those, when first needed.

Indexing an entry (`briefpack.glossary.match`) costs the lexicon's paradigm look-ups in
SQLite, stems and name skeletons: about 60 µs an entry, 0.3 s for 5,000, while a project's
texts touch few of them. So `Matcher` indexes an entry only once a text holds a word that
may start one of its matches, and `Triggers` says which entries those are, from keys that
cost no look-up. It must never miss one: every look-up `Matcher.find` makes in its index
has to find exactly what the index of all entries would hold (its candidate searches stop
at the first hit), so for every kind of candidate the key is a necessary condition:

- a literal, a form the entry lists or a lexicon form of its head noun: the text word is
  its first word, or starts with it where a hyphen may be left out ("Natoosterweiterung").
  Key: `morph.prefix_key` of the entry's first word, looked up under every prefix of the
  text word's key. Inflection keeps a noun's first letters (umlauts folded), so the key of
  the form an entry names starts the key of every other form ("Tag": "tage", "tages"),
  except for the forms `Lexicon.irregular` lists ("Tage", "Atlanten"): an entry that starts
  with one, or with a compound whose head may be one, is indexed up front.
- a compound's first part (a lemma with a linking element, "Sanktions|paket"): a prefix of
  the text word, so the same key.
- a compound's head ("Wirtschafts|sanktionen"): an ending of a capitalised text word, found
  by every prefix of the key of each ending the matcher tries.
- a stem: the Snowball stem of the text word, as the matcher computes it; every entry's
  first-word stems are computed up front (the C stemmer, in one call: 1 ms for 5,000).
- a transliterated name: the letters of the text word that its name skeleton keeps
  (`morph.skeleton_letters`), for every entry that can be a name.

Indexed up front: entries that match inside words (`compound: true`, one Aho-Corasick
automaton for all of them) and entries with letters whose lower case is not one Latin-1
letter, for which a prefix of the lower-cased text need not be the lower-cased prefix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from briefpack.glossary import morph
from briefpack.glossary.entry import Term
from briefpack.glossary.normalize import Normalized, fold

WORD = re.compile(r"[^\W_]+")
UMLAUTS = str.maketrans("äöü", "aou")
# Letters whose lower case is one Latin-1 letter equal to their case folding.
_PLAIN = re.compile(r"[\x00-\xb4\xb6-\xdeà-ÿ]*")


def head_index(words: Sequence[str]) -> int:
    """Return the head noun of a German term: the last of its first run of capitalised words."""
    head = -1
    for i, word in enumerate(words):
        if word[:1].isupper():
            head = i
        elif head >= 0:
            break
    return head


class Triggers:
    """The keys by which a text's words select the entries it may match."""

    def __init__(
        self,
        terms: Sequence[Term],
        lex: morph.Lexicon | None,
        stem: Callable[[str], str],
        stem_all: Callable[[list[str]], list[str]],
    ) -> None:
        self._lexicon = lex is not None
        self._irregular = lex.irregular() if lex is not None else frozenset()
        # Every ending `_add_head` looks up ends in the word's last MIN_PART letters.
        self._irregular_tails = frozenset(f[-morph.MIN_PART :] for f in self._irregular)
        self._stem = stem
        self._starts: dict[str, list[int]] = {}  # prefix key of a first word -> entries
        self._heads: dict[str, list[int]] = {}  # prefix key of a one-word noun -> entries
        self._stems: dict[str, list[int]] = {}  # stem of a variant's first word -> entries
        self._names: dict[frozenset[str], list[int]] = {}  # `morph.skeleton_letters` -> entries
        self._memo: dict[tuple[str, bool], tuple[int, ...]] = {}
        self._slices: dict[int, list[slice]] = {}
        self.eager: list[int] = []  # entries to index up front
        firsts: list[str] = []  # each variant's first word (lower case), to stem
        owners: list[int] = []
        for idx, term in enumerate(terms):
            variants = term.variants
            folded = [fold(variant.strip()) for variant in variants]
            words = [WORD.findall(cs) for cs, _ in folded]
            if not term.case_sensitive:
                for (_, ci), found in zip(folded, words, strict=True):
                    # Exactly the matcher's stem variants: `may_stem` must answer as its index.
                    first = WORD.search(ci) if found else None
                    if first is not None:
                        firsts.append(first.group())
                        owners.append(idx)
            if term.compound or not self._add_keys(idx, term, variants, folded, words):
                self.eager.append(idx)
        for word, idx in zip(stem_all(firsts), owners, strict=True):
            self._stems.setdefault(word, []).append(idx)
        self.stem_lengths = sorted({len(stem) for stem in self._stems})

    def may_stem(self, folded: str) -> bool:
        """Return whether a word (lower case, umlauts folded) starts with some entry's stem.

        Stems are prefixes of the words they come from, umlauts folded, so only such a word
        needs stemming; the answer covers every entry, indexed or not.
        """
        return any(folded[:n] in self._stems for n in self.stem_lengths)

    def entries(self, norm: Normalized, words: Iterable[tuple[int, int]]) -> set[int]:
        """Return the entries that may have a candidate at one of the words (spans of `norm.ci`)."""
        found: set[int] = set()
        for start, end in words:
            key = (norm.ci[start:end], norm.cs[start].isupper())
            hits = self._memo.get(key)
            if hits is None:
                hits = self._memo[key] = tuple(self._word_entries(*key))
            found.update(hits)
        return found

    # --- building ---------------------------------------------------------------------------

    def _add_keys(
        self,
        idx: int,
        term: Term,
        variants: tuple[str, ...],
        folded: list[tuple[str, str]],
        words: list[list[str]],
    ) -> bool:
        """Index an entry's keys; return False if it must be indexed up front."""
        starts = self._starts
        for (cs, _), found in zip(folded, words, strict=True):
            if not found:
                continue
            if not cs.isascii() and _PLAIN.fullmatch(cs) is None:
                return False
            key = morph.prefix_key(found[0])
            if key in starts:
                starts[key].append(idx)
            else:
                starts[key] = [idx]
        base = words[0]
        if base and not term.case_sensitive and not self._add_head(idx, base):
            return False
        name = len(base) == 1 and base[0][:1].isupper() and len(base[0]) >= 3
        if name and not term.case_sensitive and len(variants[0].split()) == 1:
            for variant, (cs, _) in zip(variants, folded, strict=True):
                # The skeleton is of the whole variant, as the matcher takes it.
                whole = cs if variant == variant.strip() else fold(variant)[0]
                self._names.setdefault(morph.skeleton_letters(whole), []).append(idx)
        return True

    def _add_head(self, idx: int, words: list[str]) -> bool:
        """Key an entry whose head noun is its first word; False if that noun is irregular."""
        if not self._lexicon or head_index(words) != 0:
            return True
        low = words[0].casefold()
        if low in self._irregular or (
            low[-morph.MIN_PART :] in self._irregular_tails
            and not self._irregular.isdisjoint(map(low.__getitem__, self._endings(len(low))))
        ):
            return False  # itself, or the head of the compound it may be read as
        if len(words) == 1:
            self._heads.setdefault(morph.prefix_key(words[0]), []).append(idx)
        return True

    def _endings(self, length: int) -> list[slice]:
        """Return the slices of the endings of a word that `Lexicon.paradigm` may take as a head."""
        found = self._slices.get(length)
        if found is None:
            parts = range(morph.MIN_PART, length - morph.MIN_PART + 1)
            found = self._slices[length] = [slice(i, None) for i in parts]
        return found

    # --- looking up -------------------------------------------------------------------------

    def _word_entries(self, word: str, capital: bool) -> set[int]:
        """Return the entries that may have a candidate starting in `word` (lower case)."""
        out: set[int] = set()
        key = morph.prefix_key(word)
        for n in range(1, len(key) + 1):
            out.update(self._starts.get(key[:n], ()))
        if self.may_stem(word.translate(UMLAUTS)):
            out.update(self._stems.get(self._stem(word), ()))
        if not capital:
            return out
        # The matcher also tries the word less a final s, which has the same letters.
        out.update(self._names.get(morph.skeleton_letters(word), ()))
        if self._lexicon and len(word) >= 2 * morph.MIN_PART:
            for i in range(morph.MIN_PART, len(word) - morph.MIN_PART + 1):
                key = morph.prefix_key(word[i:])
                for n in range(1, len(key) + 1):
                    out.update(self._heads.get(key[:n], ()))
        return out
