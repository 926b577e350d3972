"""One QA finding about one German/English segment pair, and every code QA reports."""

from __future__ import annotations

from dataclasses import dataclass

CODES = (
    "empty",
    "untranslated",
    "term-missing",
    "term-number",
    "keep-altered",
    "avoid-used",
    "number-mismatch",
    "magnitude-mismatch",
    "month-mismatch",
    "number-word-mismatch",
)


@dataclass(frozen=True)
class Finding:
    """One QA finding about one segment pair."""

    code: str
    message: str
    term: str | None = None  # the glossary's German base form, for terminology findings

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {"code": self.code, "term": self.term, "message": self.message}
