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

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefpack.glossary.edit import add_term, remove_term, set_term
    from briefpack.glossary.english import english_has_term, find_avoided
    from briefpack.glossary.exchange import (
        ImportReport,
        export_terms,
        format_for,
        import_terms,
        read_terms,
        render_export,
    )
    from briefpack.glossary.formats import ConflictMode, ExchangeFormat
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

# Names are imported from their submodule on first use. Importing any submodule runs this
# file first, and the build only needs model/match/english: eager imports here would pull
# ruamel.yaml, the editor and the exchange formats into every `briefpack build`.
_WHERE = {
    "add_term": "edit",
    "remove_term": "edit",
    "set_term": "edit",
    "english_has_term": "english",
    "find_avoided": "english",
    "ConflictMode": "formats",
    "ExchangeFormat": "formats",
    "ImportReport": "exchange",
    "export_terms": "exchange",
    "format_for": "exchange",
    "import_terms": "exchange",
    "read_terms": "exchange",
    "render_export": "exchange",
    "lint": "lint",
    "load_glossary": "load",
    "parse_glossary": "load",
    "TermMatch": "match",
    "Glossary": "model",
    "Term": "model",
    "TermNotFoundError": "model",
    "TermSpec": "model",
    "entry_fingerprint": "model",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


class _Package(types.ModuleType):
    """This package, keeping `lint` the function when the `lint` submodule is first imported.

    The import system records a newly loaded submodule as an attribute of its package, which
    would shadow the function of the same name (eager imports used to rebind it right away).
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name == "lint" and isinstance(value, types.ModuleType):
            value = value.lint
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
