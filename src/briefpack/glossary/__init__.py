"""The terminology glossary: loading, German matching, English checks, edits and exchange.

Public API (import from `briefpack.glossary`):

- `load_glossary(path, *, root=None) -> Glossary` / `parse_glossary(text, ...)`
- `Glossary.find(text) -> list[TermMatch]`, `.fingerprint()`, `.fingerprint_for(matches)`,
  `.get(de)`, `.lookup(text)`, `.resolve(text)`
- `english_has_term(entry, en_text)`, `find_avoided(entry, en_text)`, `entry_fingerprint(entry)`
- `add_term`, `set_term`, `remove_term` (comment-preserving, locked, validated edits)
- `import_terms`, `export_terms`, `read_terms`, `render_export` (CSV, TSV, TBX)
- `lint(glossary) -> list[Problem]`
"""

from __future__ import annotations

from briefpack.glossary.edit import add_term, remove_term, set_term
from briefpack.glossary.english import english_has_term, find_avoided
from briefpack.glossary.exchange import (
    ConflictMode,
    ExchangeFormat,
    ImportReport,
    export_terms,
    format_for,
    import_terms,
    read_terms,
    render_export,
)
from briefpack.glossary.lint import lint
from briefpack.glossary.load import load_glossary, parse_glossary
from briefpack.glossary.match import TermMatch
from briefpack.glossary.model import (
    Glossary,
    Term,
    TermNotFoundError,
    TermSpec,
    entry_fingerprint,
)

__all__ = [
    "ConflictMode",
    "ExchangeFormat",
    "Glossary",
    "ImportReport",
    "Term",
    "TermMatch",
    "TermNotFoundError",
    "TermSpec",
    "add_term",
    "english_has_term",
    "entry_fingerprint",
    "export_terms",
    "find_avoided",
    "format_for",
    "import_terms",
    "lint",
    "load_glossary",
    "parse_glossary",
    "read_terms",
    "remove_term",
    "render_export",
    "set_term",
]
