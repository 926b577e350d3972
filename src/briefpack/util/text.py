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

`text_problem` is the one validity gate, called wherever text enters (YAML scalars of
briefings, translations and the glossary, CLI arguments, text extracted from sources, and
what serve and XLIFF/TMX import receive): only characters XML 1.0 allows (no C0 controls but
tab and newlines, no lone surrogates, no U+FFFE/U+FFFF; nor DEL and C1 controls), because
every output (DOCX, HTML, XLIFF, the PDF's text layer) is XML or must be valid Unicode. NFC
is not refused but made by `clean`. `checked_text` is the raising form, for callers without
positions of their own.

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

from briefpack.errors import InputError, Problem

_WS = re.compile(r"\s+")
# Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] (XML 1.0).
# DEL and the C1 controls (U+007F-U+009F), which XML 1.0 only discourages, are refused too:
# in our text they are only ever mojibake or a paste accident.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTEXT = 24  # characters shown before a bad one, to find it in a long paragraph


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
    cleaned = clean(text)
    out = _WS.sub(" ", cleaned).strip()
    # The same object when nothing changed: 100,000 imported units are not held twice.
    return cleaned if out == cleaned else out


def text_problem(text: str) -> str | None:
    """Return why `text` cannot enter briefpack (a character XML 1.0 forbids), or None."""
    if text.isascii() and text.isprintable():
        return None  # most keys and values: spaces and visible ASCII only, nothing forbidden
    found = text_problem_at(text)
    return None if found is None else found[1]


def text_problem_at(text: str) -> tuple[int, str] | None:
    """Return the offset of the first character `text_problem` refuses and why, or None."""
    found = _NOT_XML.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate, half of a broken character"
    elif code in (0xFFFE, 0xFFFF):
        kind = "a Unicode noncharacter"
    else:
        kind = "a control character"
    before = " ".join(text[max(0, found.start() - _CONTEXT) : found.start()].split())
    where = f" after {before!r}" if before else " at the start"
    reason = f"character U+{code:04X} ({kind}){where} is not allowed in text; remove it"
    return found.start(), reason


def without_forbidden(text: str) -> str:
    """Return `text` without the characters `text_problem` refuses (for extracted sources)."""
    return _NOT_XML.sub("", text)


def checked_text(text: str, where: str) -> str:
    """Return `clean(text)`, or raise InputError `<where>: <problem>` (see `text_problem`)."""
    reason = text_problem(text)
    if reason is not None:
        raise InputError(f"{where}: {reason}", problems=[Problem(where, message=reason)])
    return clean(text)
