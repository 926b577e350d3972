"""How alike two German sentences are, scored the way CAT tools score fuzzy matches.

Both sentences are normalised (`util.text.normalize`) and cut into tokens: numbers with
their grouping and decimal marks („1.500“, „2,5“), words, and single punctuation marks, case
kept. The score is

    score = round(100 × (1 − d / max(n_a, n_b)))

where d is the token-level Levenshtein distance (insert, delete or replace one token, each
cost 1) and n_a, n_b are the token counts. A sentence whose normalised text is identical
scores 100; any other pair at most 99, so that 100 always means an exact match (memoQ,
Trados and OmegaT also keep 100 % for identical segments). One replaced word in a
ten-token sentence scores 90. `rapidfuzz` (MIT, C++) computes the distance and the edit
script on token lists, so scoring thousands of candidates takes milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from briefpack.util.text import normalize

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+|[^\w\s]")


@dataclass(frozen=True)
class Tokens:
    """A normalised sentence and its tokens with their character spans."""

    text: str
    words: tuple[str, ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, sentence: str, *, normalized: bool = False) -> Tokens:
        """Return the tokens of a sentence (normalised first unless it already is)."""
        text = sentence if normalized else normalize(sentence)
        found = list(_TOKEN.finditer(text))
        return cls(text, tuple(m.group() for m in found), tuple(m.start() for m in found))

    def chunk(self, i: int, j: int) -> str:
        """Return the text of tokens i..j-1 with the space after them (up to token j)."""
        if i >= j:
            return ""
        end = self.starts[j] if j < len(self.starts) else len(self.text)
        return self.text[self.starts[i] : end]


def score(a: Tokens, b: Tokens) -> int:
    """Return the match score 0–100 of two tokenised sentences (see the module docstring)."""
    if a.text == b.text:
        return 100
    longest = max(len(a.words), len(b.words))
    if not longest:
        return 0
    distance = Levenshtein.distance(a.words, b.words)
    return min(99, round(100 * (1 - distance / longest)))


def reachable(n_query: int, n_unit: int, minimum: int) -> bool:
    """Whether a unit of `n_unit` tokens can score `minimum` against `n_query` tokens.

    The distance is at least the difference of the lengths, so the score is at most
    100 × min/max: a cheap filter before computing any distance.
    """
    longest = max(n_query, n_unit)
    return not longest or 100 * min(n_query, n_unit) / longest >= minimum - 0.5


@dataclass(frozen=True)
class DiffPart:
    """One run of the edit script: `text` of the looked-up sentence, `memory` of the unit."""

    op: str  # equal | replace | insert | delete (insert: only in the sentence looked up)
    text: str
    memory: str

    def to_dict(self) -> dict[str, str]:
        """Return a JSON-ready mapping."""
        return {"op": self.op, "text": self.text, "memory": self.memory}


def diff(query: Tokens, unit: Tokens) -> list[DiffPart]:
    """Return the token edit script from the memory's German to the sentence looked up.

    Joining the `text` of every part gives the sentence looked up, joining `memory` gives
    the memory's German; `op` says what differs (the review page highlights it).
    """
    parts = []
    for op in Levenshtein.opcodes(unit.words, query.words):
        parts.append(
            DiffPart(
                op.tag,
                query.chunk(op.dest_start, op.dest_end),
                unit.chunk(op.src_start, op.src_end),
            )
        )
    return parts
