"""Grow the demo glossary to N terms with synthetic, lint-clean entries (for the benchmarks).

    python benchmarks/bigglossary.py glossary.yaml OUT.yaml --terms 5000

The demo's entries stay as they are (comments and all); synthetic entries are appended in
the same layout: distinct invented German compounds (no shared stems, no demo word), an
English gloss, some forms, avoid lists and notes, so that loading, lint, matching and editing
work as hard per entry as on the real ones.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

# Invented syllables: the words they make are no German words, so they neither collide with
# the demo's terms nor share snowball stems with each other (each word ends in a distinct
# syllable pair, and none ends in an inflection suffix the stemmer strips).
HEADS = ("Bral", "Drum", "Fisk", "Glom", "Hart", "Jorv", "Klab", "Lurm", "Mosk", "Nirf")
MIDS = ("a", "o", "u", "i", "e", "au", "ei", "ie", "oa", "y")
TAILS = ("pol", "tak", "wug", "bif", "zot", "muk", "rap", "sof", "dil", "vak")


def words() -> list[str]:
    """Return invented German nouns, deterministic, all distinct."""
    out = []
    for a, b, c, d in itertools.product(HEADS, MIDS, TAILS, MIDS):
        out.append(f"{a}{b}{c}{d}x")
    return out


def entry(i: int, word: str) -> str:
    lines = [f"  - de: {word}", f"    en: synthetic term {i}"]
    if i % 3 == 0:
        lines.append(f"    forms: [{word}es]")
    if i % 5 == 0:
        lines.append(f"    avoid: [made-up word {i}]")
    if i % 7 == 0:
        lines.append(f'    note: "Synthetic entry {i} for the benchmarks."')
    return "\n".join(lines) + "\n"


def grow(text: str, terms: int) -> str:
    """Return `text` (a glossary with entries in `  - de:` layout) grown to `terms` entries."""
    have = text.count("\n  - de: ")
    pool = words()
    need = max(0, terms - have)
    if need > len(pool):
        raise SystemExit(f"at most {len(pool) + have} terms")
    body = "".join(entry(i, pool[i]) for i in range(need))
    return text.rstrip("\n") + "\n" + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--terms", type=int, default=5000)
    args = parser.parse_args(argv)
    args.dest.write_text(grow(args.source.read_text("utf-8"), args.terms), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
