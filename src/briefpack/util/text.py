"""One normalisation of German and English text, shared by every reader.

Every text that enters briefpack (briefings, seed texts, translations, the glossary, CLI
arguments) goes through `clean` when it is read, and segment keys hash `normalize`d text,
so the same words typed, pasted from a PDF or saved by an editor that decomposes umlauts
compare equal. `clean` does three things and nothing else:

- NFC: "Mu" + U+0308 becomes "Mü" (macOS file names and some editors write NFD).
- Format characters (Unicode category Cf) are removed: soft hyphen U+00AD, zero-width
  space/non-joiner/joiner U+200B-D, LRM/RLM U+200E/F, word joiner U+2060, a BOM U+FEFF inside
  the text, bidi embeddings… They are invisible, carry no meaning in our material and make
  "Sicher\u00adheit" a different word (no glossary match, no translation-memory hit).
- Latin compatibility ligatures U+FB00-FB06 (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ), as text copied out of a
  typeset PDF carries them, are spelled out.

Not NFKC: it would also rewrite what German text means to say. "m²" and "CO₂" would become
"m2" and "CO2", "½" would become "1⁄2", "™" "TM", "ª"/"º" letters, and the long s "ſ" an
"s" in quoted historic titles; no-break spaces, which NFKC turns into spaces, are already
folded by `normalize` (whitespace runs) where it matters, and stay in `clean`ed display text
so that "5 %" or "S. 3" do not break across lines.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from itertools import chain

_WS = re.compile(r"\s+")


@cache
def _table() -> tuple[dict[int, str | None], re.Pattern[str]]:
    """Return the translation table and a pattern that finds any of its characters.

    Built on first use (about 10 ms), not at import: `briefpack --help` never needs it.
    Every format character (category Cf) of the running Python's Unicode data lives in
    planes 0, 1 and 14 only, so only those are scanned.
    """
    formats = dict.fromkeys(
        cp
        for cp in chain(range(0x20000), range(0xE0000, 0xE1000))
        if unicodedata.category(chr(cp)) == "Cf"
    )
    ligatures = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFB00, 0xFB07)}
    table: dict[int, str | None] = {**formats, **ligatures}
    # As ranges ("\u0600-\u0605"), not 170 single characters: `re` then tests a few ranges
    # per character instead of a list (measured: 34 µs → under 2 µs per sentence).
    ranges: list[tuple[int, int]] = []
    for cp in sorted(table):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    pattern = re.compile(
        "["
        + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)
        + "]"
    )
    return table, pattern


def clean(text: str) -> str:
    """Return `text` in NFC, without format characters, with Latin ligatures spelled out."""
    if text.isascii():
        return text  # no format character, no ligature, and already NFC
    table, needs_work = _table()
    if needs_work.search(text):
        text = text.translate(table)
    return unicodedata.normalize("NFC", text)


def normalize(text: str) -> str:
    """Return `clean(text)` with every whitespace run (incl. no-break spaces) as one space."""
    return _WS.sub(" ", clean(text)).strip()


# What XML 1.0 (and so DOCX, XLIFF, TMX) cannot hold: C0 controls other than tab, LF and CR,
# U+FFFE and U+FFFF, and UTF-16 surrogates, which in a Python str are always lone halves
# (no encoder writes them; YAML, JSON and XML readers can produce them from escapes).
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text_problem(text: str) -> str | None:
    """Return why `text` cannot be stored (`contains U+D800, a lone surrogate, …`), or None."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    cp = ord(found[0])
    kind = "a lone surrogate" if 0xD800 <= cp <= 0xDFFF else "a character XML 1.0 forbids"
    return f"contains U+{cp:04X}, {kind}, at character {found.start() + 1}"
