"""One glossary entry (`Term`) and what a user asks to add (`TermSpec`)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

# Field order used when writing entries and in `show`.
FIELDS = (
    "de",
    "en",
    "en_plural",
    "accept",
    "forms",
    "avoid",
    "compound",
    "case_sensitive",
    "keep",
    "note",
)


@dataclass(frozen=True)
class TermSpec:
    """What a user asks to add: `en` may be omitted for `keep` entries (it defaults to `de`)."""

    de: str
    en: str | None = None
    forms: tuple[str, ...] = ()
    en_plural: str | None = None
    avoid: tuple[str, ...] = ()
    compound: bool = False
    case_sensitive: bool = False
    keep: bool = False
    note: str | None = None
    accept: tuple[str, ...] = ()  # other English renderings the checks accept besides `en`

    def to_mapping(self) -> dict[str, object]:
        """Return the YAML mapping for this entry, leaving out defaults (canonical key order)."""
        out: dict[str, object] = {"de": self.de}
        if self.en is not None and not (self.keep and self.en == self.de):
            out["en"] = self.en
        if self.en_plural is not None:
            out["en_plural"] = self.en_plural
        if self.accept:
            out["accept"] = list(self.accept)
        if self.forms:
            out["forms"] = list(self.forms)
        if self.avoid:
            out["avoid"] = list(self.avoid)
        if self.compound:
            out["compound"] = True
        if self.case_sensitive:
            out["case_sensitive"] = True
        if self.keep:
            out["keep"] = True
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Term:
    """One validated glossary entry; `index`, `line` and `column` say where it was read."""

    de: str
    en: str
    forms: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    compound: bool = False
    case_sensitive: bool = False
    keep: bool = False
    note: str | None = None
    en_plural: str | None = None  # the English plural, where `inflect` would get it wrong
    # English variants accepted besides `en` (e.g. a TBX's admitted terms): the checks count
    # them as the term; machine translation and post-editing still aim for `en`.
    accept: tuple[str, ...] = ()
    index: int = field(default=0, compare=False)
    line: int | None = field(default=None, compare=False)
    column: int | None = field(default=None, compare=False)

    @property
    def variants(self) -> tuple[str, ...]:
        """Return the German base form followed by the extra forms."""
        return (self.de, *self.forms)

    @property
    def field_path(self) -> str:
        """Return the entry's path in the document, e.g. `terms[3]`."""
        return f"terms[{self.index}]"

    def flags(self) -> list[str]:
        """Return the set boolean options as short labels."""
        out = []
        if self.keep:
            out.append("keep")
        if self.compound:
            out.append("compound")
        if self.case_sensitive:
            out.append("case-sensitive")
        return out

    def to_spec(self) -> TermSpec:
        """Return the entry as a `TermSpec` (for re-writing or exporting it)."""
        return TermSpec(
            de=self.de,
            en=self.en,
            forms=self.forms,
            avoid=self.avoid,
            compound=self.compound,
            case_sensitive=self.case_sensitive,
            keep=self.keep,
            note=self.note,
            en_plural=self.en_plural,
            accept=self.accept,
        )


# --- JSON form (the caches' one (de)serialiser of an entry) ---------------------------------

_TEXT, _OPTIONAL_TEXT, _TEXTS, _FLAG, _NUMBER, _OPTIONAL_NUMBER = range(6)
_KINDS = {
    "de": _TEXT,
    "en": _TEXT,
    "forms": _TEXTS,
    "avoid": _TEXTS,
    "compound": _FLAG,
    "case_sensitive": _FLAG,
    "keep": _FLAG,
    "note": _OPTIONAL_TEXT,
    "en_plural": _OPTIONAL_TEXT,
    "accept": _TEXTS,
    "index": _NUMBER,
    "line": _OPTIONAL_NUMBER,
    "column": _OPTIONAL_NUMBER,
}
# An entry is stored as the list of its fields in the order `Term` declares them: a list is
# written, read and checked in a third of the time of a mapping (5,000 entries: 10 ms, not
# 30; read back 15 ms, not 40). A field without a kind above fails here, at import.
_FIELD_NAMES = tuple(f.name for f in fields(Term))
_FIELD_KINDS = tuple(_KINDS[name] for name in _FIELD_NAMES)
_values = attrgetter(*_FIELD_NAMES)


def term_to_json(term: Term) -> list[object]:
    """Return every field of an entry as JSON-ready values (lists for tuples), in field order."""
    return [list(v) if type(v) is tuple else v for v in _values(term)]


def term_from_json(value: object) -> Term | None:
    """Rebuild an entry stored by `term_to_json`; None unless the value has exactly its shape.

    Cached values are trusted only this far: a field missing, added or of another type is a
    miss (recomputed), never a wrong entry.
    """
    if type(value) is not list or len(value) != len(_FIELD_KINDS):
        return None
    for v, kind in zip(value, _FIELD_KINDS, strict=True):
        if not _fits(v, kind):
            return None
    pairs = zip(value, _FIELD_KINDS, strict=True)
    args: list[Any] = [tuple(v) if kind == _TEXTS else v for v, kind in pairs]
    return Term(*args)


def _fits(v: object, kind: int) -> bool:
    what = type(v)  # values read from JSON: exact types, and bool is not a number here
    if kind == _TEXT:
        return what is str
    if kind == _OPTIONAL_TEXT:
        return v is None or what is str
    if kind == _TEXTS:
        return isinstance(v, list) and all(type(s) is str for s in v)
    if kind == _FLAG:
        return what is bool
    return what is int or (kind == _OPTIONAL_NUMBER and v is None)
