"""German text as the glossary compares it: ß, hyphen and space variants unified.

`normalize` keeps a map back to positions in the original text (for match spans);
`canonical_key` is an entry's identity (duplicates, look-ups by name).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

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
_SEPARATORS = re.compile(r"[\s-]+")


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
    return Normalized(cs, _lower(cs), tuple(breaks), tuple(deltas))


def fold(text: str) -> tuple[str, str]:
    """Return `normalize(text)`'s `cs` and `ci` only: no position map (building an index)."""
    cs = _fold_cs(text)
    return cs, _lower(cs)


def _fold_cs(text: str) -> str:
    return text if _FOLD_RE.search(text) is None else _FOLD_RE.sub(_folded, text)


def _folded(m: re.Match[str]) -> str:
    return _FOLD[m.group()]


def _lower(cs: str) -> str:
    ci = cs.lower()
    if len(ci) != len(cs):  # a few characters lower-case to two; keep positions aligned
        ci = "".join(c.lower() if len(c.lower()) == 1 else c for c in cs)
    return ci


@lru_cache(maxsize=1 << 15)  # loading checks every entry's key twice (reader, lint)
def canonical_key(term: str) -> str:
    """Return the identity of a German term: normalised, case-folded, without hyphens/spaces."""
    return _SEPARATORS.sub("", _fold_cs(term.strip()).casefold())
