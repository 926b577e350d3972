"""One normalisation of German and English text, shared by every reader."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Return `text` in NFC with every whitespace run (incl. no-break spaces) as one space."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()
