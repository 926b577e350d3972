"""The loader's content-keyed caches: parsed glossary, sentence splits, glossary matches.

Loading the glossary (parse plus lint), splitting sentences (pysbd) and matching glossary
terms cost more than everything else a no-op build does. All three are pure functions of
content, so each result is stored under a hash of its input and reused; the parsed glossary
lives in the cache the glossary editor shares (`briefpack.glossary.cache`). Each cache owns
its (de)serialisation, next to the generic `JsonCache` (`briefpack.util.cache`), which
explains why a stale or corrupt cache can only cost time: every value read back is checked
for exactly the shape its module writes, else recomputed.
"""

from __future__ import annotations

from pathlib import Path

from briefpack.errors import Problem, rel
from briefpack.glossary.matchcache import MatchCache
from briefpack.glossary.model import Glossary
from briefpack.source.segment import FieldText, Splitter
from briefpack.util.cache import JsonCache, sha256_hex
from briefpack.util.fsutil import TooLargeError, read_bounded
from briefpack.util.paths import Project

__all__ = ["MatchCache", "SplitCache", "load_glossary_cached"]


def load_glossary_cached(
    project: Project, folder: Path | None
) -> tuple[Glossary, str, list[Problem]]:
    """Return the glossary, a hash of its file's bytes ("" if unknown) and its lint problems.

    The parsed glossary comes from the cache the editor shares (`briefpack.glossary.cache`),
    keyed by the file's bytes; every other case (a missing, odd or unreadable file) takes the
    uncached path, which reports it exactly as before.
    """
    from briefpack.glossary.cache import load_cached
    from briefpack.glossary.lint import lint
    from briefpack.glossary.load import MAX_BYTES, decode, load_glossary

    path = project.glossary_path
    try:
        data: bytes | None = read_bounded(path, MAX_BYTES, regular_only=True)
    except (OSError, TooLargeError):
        data = None  # the uncached path reports it (or, for a missing file, is empty)
    if data is None:
        glossary = load_glossary(path, root=project.root)
        return glossary, "", lint(glossary)
    file = rel(path, project.root)
    # Parse the very bytes that were hashed: the file may change while we run.
    glossary, problems = load_cached(data, decode(data, file), file=file, path=path, folder=folder)
    return glossary, sha256_hex(data), problems


class SplitCache:
    """Sentence splits by normalised paragraph, read into a `Splitter` and written back."""

    def __init__(self, folder: Path | None) -> None:
        self._cache = JsonCache(None if folder is None else folder / "segments.json")

    def seed(self, splitter: Splitter) -> None:
        """Give the splitter every plausible split stored on disk."""
        splitter.remember(self._cache.stored())

    def save(self, splitter: Splitter, fields: list[FieldText]) -> None:
        """Store the splits these fields used; write the file if anything is new."""
        for f in fields:
            for para in f.paragraphs:
                text = " ".join(s.text for s in para)
                sentences = splitter.known(text)
                if sentences is not None and self._cache.get(text) != sentences:
                    self._cache.put(text, sentences)
        self._cache.save()
