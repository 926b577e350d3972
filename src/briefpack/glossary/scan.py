"""`glossary scan`: the glossary matches of a German text, as rows an analyst can read."""

from __future__ import annotations

from dataclasses import dataclass

from briefpack.glossary.english import english_for
from briefpack.glossary.model import Glossary


@dataclass(frozen=True)
class ScanHit:
    """One match: `text[start:end] == surface`; `en` is the English in the occurrence's number."""

    start: int
    end: int
    surface: str
    entry: str  # the entry's German base form
    en: str
    number: str | None  # "sg", "pl" or None (German does not say)
    compound: bool
    lemma: str

    def to_dict(self) -> dict[str, object]:
        """Return the JSON object `glossary scan --json` prints (its keys are a contract)."""
        return {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "entry": self.entry,
            "en": self.en,
            "number": self.number,
            "compound": self.compound,
            "lemma": self.lemma,
        }

    def line(self) -> str:
        """Return the one-line form: `start-end surface → entry → English (number)`."""
        tail = " [compound]" if self.compound else ""
        return (
            f"{self.start}-{self.end} {self.surface} → {self.entry} → {self.en} "
            f"({self.number or '?'}){tail}"
        )


def scan_text(glossary: Glossary, text: str) -> list[ScanHit]:
    """Return every glossary match in German `text`, in text order."""
    return [
        ScanHit(
            m.start,
            m.end,
            m.surface,
            m.entry.de,
            english_for(m),
            m.number,
            m.compound,
            m.lemma or m.entry.de,
        )
        for m in glossary.find(text)
    ]
