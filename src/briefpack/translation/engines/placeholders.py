"""Placeholder styles for protected glossary terms, and which one a tokenizer keeps intact."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PlaceholderStyle:
    """How placeholders are written: `template` has `{n}`; `pattern` finds them again."""

    template: str
    pattern: re.Pattern[str]

    def token(self, n: int) -> str:
        """Return the n-th placeholder."""
        return self.template.format(n=n)


# Candidates, best first (none contains "_": decoding turns it into a space). A real Argos
# vocabulary (SentencePiece defaults, coverage 0.9995) may not know "⟦".
STYLES = (
    PlaceholderStyle("⟦T{n}⟧", re.compile(r"⟦\s*T\s*(\d+)\s*⟧")),
    PlaceholderStyle("[[T{n}]]", re.compile(r"\[\[\s*T\s*(\d+)\s*\]\]")),
    PlaceholderStyle("((T{n}))", re.compile(r"\(\(\s*T\s*(\d+)\s*\)\)")),
    PlaceholderStyle("<T{n}>", re.compile(r"<\s*T\s*(\d+)\s*>")),
)
DEFAULT_STYLE = STYLES[0]


def pick_style(survives: Callable[[str], bool]) -> PlaceholderStyle:
    """Return the first style whose placeholders `survives` (the tokenizer round trip) keeps.

    Falls back to the default: placeholders are then verified like everything else, and
    the attention fallback of `translation.enforce` restores what the model loses.
    """
    for style in STYLES:
        samples = [f"Ein {style.token(1)} und {style.token(12)}.", style.token(3)]
        if all(survives(sample) for sample in samples):
            return style
    return DEFAULT_STYLE
