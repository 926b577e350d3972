"""Split German text fields into sentence segments keyed by content.

pysbd does the splitting (no models); a small safety net re-joins splits after German
abbreviations and ordinal dates, because a missed split only costs a longer segment while a
wrong split breaks the translation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from briefpack.util import months
from briefpack.util.text import normalize

# Abbreviations after which a period never ends a sentence in our material.
ABBREVIATIONS = frozenset(
    "Art Abs Nr Ziff Kap S Bd Hrsg vgl ca bzw usw etc Dr Prof Mio Mrd Tsd St Jh sog ggf "
    "evtl inkl bspw insb zzgl Mrd Std Min Tel Fn Anm zit Verf Bsp Jan Feb Apr Jun Jul Aug "
    "Sep Sept Okt Nov Dez".split()
)
_MULTI_ABBREV = re.compile(r"(?:\b(?:z|d|u|o|v|s|u\.\s?a|i|m)\.\s?(?:B|h|a|Ä|ä|g|E|W|R)\.)$")
_ENDS_WITH_ORDINAL = re.compile(r"(?:^|\s)\d{1,2}\.$")
_ENDS_WITH_TERMINATOR = re.compile(r"[.!?…][»«“”\"')\]]*(?:\[\d+\])?$|:$")
# pysbd does not split after a closing guillemet, a German closing quote or a footnote
# marker such as "[4]"; we do, when a capitalised sentence follows.
_QUOTE_END_SPLIT = re.compile(
    r"(?:(?<=[.!?][»“”])|(?<=[.!?]\[\d\])|(?<=[.!?]\[\d\d\]))"
    r"\s+(?=[A-ZÄÖÜ„«])"
)
_LAST_WORD = re.compile(r"(\w+)\.$")


@lru_cache(maxsize=1 << 16)
@cache
def _month_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Return the patterns of a text starting with a month and with a date (`4. März`)."""
    names = "|".join(months.german_names())
    return re.compile(rf"^(?:{names})\b"), re.compile(rf"^\d{{1,2}}\.\s(?:{names})\b")


def segment_key(sentence: str) -> str:
    """Return the content hash that identifies a segment in the translation memory."""
    return hashlib.sha256(normalize(sentence).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd  # imported lazily: ~50 ms, and not needed for a no-op build

    return pysbd.Segmenter(language="de", clean=False)


def split_paragraphs(text: str) -> list[str]:
    """Split on blank lines; each paragraph is normalised."""
    return [p for p in (normalize(x) for x in re.split(r"\n\s*\n", text)) if p]


class Splitter:
    """Split paragraphs into sentences, remembering every split it has made.

    Splitting is a pure function of the text, and a run asks for the same paragraphs several
    times (pack fields, then every check); one `Splitter` serves one loaded project and is
    passed to whatever segments text. `remember` seeds it from the on-disk cache.
    """

    def __init__(self) -> None:
        self._known: dict[str, tuple[str, ...]] = {}

    def split(self, paragraph: str) -> list[str]:
        """Split one paragraph into sentences; joining them with spaces gives the paragraph."""
        text = normalize(paragraph)
        if not text:
            return []
        known = self._known.get(text)
        if known is None:
            known = self._known[text] = tuple(_split(text))
        return list(known)

    def remember(self, splits: dict[str, list[str]]) -> int:
        """Accept sentence splits computed earlier (by normalised paragraph); return how many.

        A split is accepted only if it could be one: non-empty, normalised sentences that
        join with single spaces into exactly the paragraph. Anything else is recomputed.
        """
        accepted = 0
        for text, sentences in splits.items():
            if is_split_of(text, sentences):
                self._known.setdefault(text, tuple(sentences))
                accepted += 1
        return accepted

    def known(self, paragraph: str) -> list[str] | None:
        """Return the split of a normalised paragraph if this splitter has made it."""
        found = self._known.get(paragraph)
        return None if found is None else list(found)


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences (a one-off `Splitter`)."""
    return Splitter().split(paragraph)


def is_split_of(text: object, sentences: object) -> bool:
    """Whether `sentences` is a plausible split of the normalised paragraph `text`."""
    return (
        isinstance(text, str)
        and isinstance(sentences, list)
        and bool(sentences)
        and all(isinstance(s, str) and s and s == normalize(s) for s in sentences)
        and " ".join(sentences) == text
    )


def _pysbd_sentences(text: str) -> list[str]:
    r"""Return what `pysbd.Segmenter(clean=False).segment(text)` returns, without its regexes.

    pysbd (0.3) finds each sentence back in the text, with its trailing whitespace, through a
    pattern compiled per sentence (`re.escape(sentence) + r"\s*"`, `re.finditer`): one
    compile per new sentence, about a third of the split's time. This is the same search with
    `str.find` (first non-overlapping occurrence that ends after the previous one; `\s` is
    `str.isspace`); a sentence not found is dropped, as there.
    """
    out: list[str] = []
    end = 0
    for sentence in _segmenter().processor(text).process():
        if not sentence:
            continue  # pysbd's pattern would match bare whitespace; it never yields one
        start = 0
        while (i := text.find(sentence, start)) >= 0:
            j = i + len(sentence)
            while j < len(text) and text[j].isspace():
                j += 1
            if j > end:
                out.append(text[i:j])
                end = j
                break
            start = j
    return out


def _split(text: str) -> list[str]:
    pieces = [normalize(q) for p in _pysbd_sentences(text) for q in _QUOTE_END_SPLIT.split(p)]
    pieces = [p for p in pieces if p]
    merged: list[str] = []
    for piece in pieces:
        if merged and _must_join(merged[-1], piece):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def _must_join(left: str, right: str) -> bool:
    if not any(c.isalpha() for c in right):
        return True  # a footnote marker such as "[4]" belongs to the sentence before it
    starts_with_month, starts_with_date = _month_patterns()
    if not _ENDS_WITH_TERMINATOR.search(left) or starts_with_date.match(right):
        # pysbd sometimes cuts before "4. Dezember"; a piece that does not end like a
        # sentence is never a sentence.
        return True
    if _ENDS_WITH_ORDINAL.search(left) and (starts_with_month.match(right) or right[:1].islower()):
        return True
    if _MULTI_ABBREV.search(left):
        return True
    m = _LAST_WORD.search(left)
    if m and m.group(1) in ABBREVIATIONS:
        return True
    # A sentence never starts with a lowercase letter or a closing quote in our material.
    return bool(right[:1].islower() or right[:1] in "“»«)]")


@dataclass(frozen=True)
class Segment:
    """One German sentence of one field of one document."""

    key: str
    text: str
    doc: str  # document id: a briefing id, or `fields.pack_doc_id(name)` for a pack
    field: str  # e.g. "summary", "key_points[2]", "quotes[0].text"
    paragraph: int
    index: int  # sentence index within the paragraph


@dataclass(frozen=True)
class FieldText:
    """A German field split into paragraphs of segments."""

    doc: str
    field: str
    paragraphs: tuple[tuple[Segment, ...], ...]

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(s for para in self.paragraphs for s in para)

    @property
    def german(self) -> str:
        return "\n\n".join(" ".join(s.text for s in para) for para in self.paragraphs)


def segment_field(
    doc: str, field: str, text: str, *, split: bool = True, splitter: Splitter | None = None
) -> FieldText:
    """Segment one field; `split=False` keeps each paragraph whole (names, short labels)."""
    paragraphs: list[tuple[Segment, ...]] = []
    sentences_of = (splitter or Splitter()).split
    for p_index, para in enumerate(split_paragraphs(text)):
        sentences = sentences_of(para) if split else [para]
        paragraphs.append(
            tuple(
                Segment(segment_key(s), s, doc, field, p_index, i) for i, s in enumerate(sentences)
            )
        )
    return FieldText(doc, field, tuple(paragraphs))
