"""The one parsed-glossary cache, keyed by the file's content: shared by check, build and edits.

`.briefpack-cache/glossary.json` holds, under the SHA-256 of glossary.yaml's bytes, what
reading the file found: its entries, where each lies in the text (`Span`, for the editor's
line splicing) and whether the entries are lint-clean (unknown until linted). `check` and
`build` read it instead of parsing the file; the editor reads it instead of parsing the file
it edits, and after writing stores the record of the *new* content, which it knows without
parsing the whole file again (`briefpack.glossary.incremental`). So neither a `check` after
`glossary add` nor a `glossary add` after a `check` parses the whole glossary.

The cache fails soft as every cache does (`briefpack.util.cache.JsonCache`): a record of
another shape is a miss and the file is parsed; only glossaries that read without a problem
are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from yaml.nodes import Node, SequenceNode

from briefpack.errors import Problem
from briefpack.glossary.entry import Term, term_from_json, term_to_json
from briefpack.glossary.lint import lint
from briefpack.glossary.load import compose, read_glossary, terms_node
from briefpack.glossary.model import Glossary
from briefpack.glossary.splice import STRANGE_BREAKS, Span, span_of, terms_end
from briefpack.util.cache import JsonCache, sha256_hex
from briefpack.util.collector import collector_paused

CACHE_FILE = "glossary.json"


@dataclass(frozen=True)
class Parsed:
    """What reading one glossary text found, as the cache stores it."""

    terms: tuple[Term, ...]
    spans: tuple[Span, ...] | None  # None: not a block-style list of entries to splice
    end: int  # line index where the `terms` block ends
    lint_clean: bool | None = None  # None: not linted yet

    def glossary(self, path: Path | None, file: str) -> Glossary:
        """Return the glossary these entries make."""
        return Glossary(self.terms, path, file)


def parse_indexed(text: str, *, file: str, path: Path | None) -> Parsed:
    """Parse and validate glossary text, with each entry's span; raise `InputError`."""
    root = compose(text, file)
    glossary = read_glossary(root, file=file, path=path)
    spans = _spans(root, text) if glossary.terms else None
    end = terms_end(text.split("\n"), spans) if spans else 0
    return Parsed(glossary.terms, spans, end)


def _spans(root: Node | None, text: str) -> tuple[Span, ...] | None:
    if STRANGE_BREAKS.search(text) is not None:
        return None  # the reader counts lines differently from str.split("\n")
    seq = terms_node(root)
    if not isinstance(seq, SequenceNode) or seq.flow_style or not seq.value:
        return None
    lines = text.split("\n")
    spans = [span_of(lines, item) for item in seq.value]
    checked = tuple(span for span in spans if span is not None)
    return checked if len(checked) == len(spans) else None


class GlossaryCache:
    """The cache file of one project (None: a cache that lives only in memory)."""

    def __init__(self, folder: Path | None) -> None:
        self._path = None if folder is None else folder / CACHE_FILE
        self._cache = JsonCache(self._path)

    def get(self, digest: str) -> Parsed | None:
        """Return the record stored for a content hash, if it has exactly our shape."""
        return _from_json(self._cache.get(digest))

    def read(
        self, data: bytes, text: str, *, file: str, path: Path | None, store: bool = True
    ) -> Parsed:
        """Return the record of `data` (whose decoded text is `text`), parsing on a miss.

        A parsed record is stored unless `store` is false (the caller stores it, completed).
        """
        digest = sha256_hex(data)
        parsed = self.get(digest)
        if parsed is None:
            parsed = parse_indexed(text, file=file, path=path)
            if store:
                self._cache.put(digest, _to_json(parsed))
        return parsed

    def put(self, data: bytes, parsed: Parsed) -> None:
        """Store the record of `data`: the only one kept, for the file now has this content."""
        self._cache = JsonCache(self._path)
        self._cache.put(sha256_hex(data), _to_json(parsed))

    def save(self) -> None:
        """Write the records used or stored (fails soft)."""
        self._cache.save()


def load_cached(
    data: bytes, text: str, *, file: str, path: Path, folder: Path | None
) -> tuple[Glossary, list[Problem]]:
    """Return the glossary of `data` and its lint problems, from the cache where it can.

    `text` is `data` decoded; an invalid glossary raises `InputError` and is not stored.
    """
    with collector_paused():  # 5,000 entries: some 200,000 objects, none of them garbage
        cache = GlossaryCache(folder)
        parsed = cache.read(data, text, file=file, path=path, store=False)
        glossary = parsed.glossary(path, file)
        problems: list[Problem] = []
        if not parsed.lint_clean:
            problems = lint(glossary)
            cache.put(data, replace(parsed, lint_clean=not problems))
            cache.save()
    return glossary, problems


def _to_json(parsed: Parsed) -> dict[str, object]:
    spans = parsed.spans
    return {
        "terms": [term_to_json(t) for t in parsed.terms],
        "spans": None
        if spans is None
        else [[s.first, s.last, s.dash_col, s.key_col] for s in spans],
        "end": parsed.end,
        "lint_clean": parsed.lint_clean,
    }


def _from_json(value: object) -> Parsed | None:
    if not isinstance(value, dict) or not isinstance(value.get("terms"), list):
        return None
    found = [term_from_json(item) for item in value["terms"]]
    terms = tuple(t for t in found if t is not None)
    lint_clean, end, raw = value.get("lint_clean"), value.get("end"), value.get("spans")
    if len(terms) != len(found) or lint_clean not in (True, False, None) or type(end) is not int:
        return None
    spans: tuple[Span, ...] | None = None
    if raw is not None:
        try:
            spans = tuple(Span(*(int(n) for n in item)) for item in raw)
        except (TypeError, ValueError):
            return None
        if len(spans) != len(terms) or not all(len(item) == 4 for item in raw):
            return None
    return Parsed(terms, spans, end, lint_clean)
