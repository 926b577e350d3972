"""Content-keyed caches under `.briefpack-cache/`: they make a no-op build cheap, never wrong.

Each cache is one JSON file holding values computed from inputs that are named by their
content (a paragraph's text, a glossary file's hash). The file is stamped with the code that
computed the values: a hash of briefpack's own source files and the versions of the
libraries that shape them, so a new briefpack, pysbd or Snowball stemmer starts afresh.

The cache fails soft: a missing, unreadable, corrupt or foreign-stamped file is an empty
cache; an entry of the wrong shape is a miss; a write that fails is ignored. Writes are
atomic (temp file + rename) and keep only the entries the run used, so the files do not grow
with every edit. Deleting `.briefpack-cache/` is always safe.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from briefpack.errors import OutputError
from briefpack.util.fsutil import atomic_write_text
from briefpack.util.versions import __version__, dist_version

log = logging.getLogger(__name__)

CACHE_DIR = ".briefpack-cache"
FORMAT = 1
# Libraries whose behaviour is baked into cached values (sentence splits, glossary parsing
# and matching). The German noun lexicon is package data named in glossary/morph.py: hashed
# with the sources.
_LIBRARIES = ("pysbd", "snowballstemmer", "PyStemmer", "PyYAML")


def sha256_hex(data: str | bytes) -> str:
    """Return the SHA-256 of `data` (text as UTF-8) as hex: the one content hash of briefpack."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """Return a hash of the code that computes cached values (briefpack's sources, libraries).

    Hashing the sources (about 2 ms) rather than trusting `__version__` means an edited
    checkout never reads values an older version of the code computed.
    """
    h = hashlib.sha256(f"briefpack {__version__} format {FORMAT}\n".encode())
    package = Path(__file__).resolve().parent.parent  # the whole briefpack package
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(sha256_hex(path.read_bytes()).encode() + b"\n")
    for name in _LIBRARIES:
        h.update(f"{name} {dist_version(name)}\n".encode())
    return h.hexdigest()


class JsonCache:
    """One cache file: a mapping from string keys to JSON values, stamped and fail-soft.

    `scope` names what the values depend on beyond their key and the code (for example the
    glossary's content hash): a file written under another scope is ignored.
    """

    def __init__(self, path: Path | None, *, scope: str = "") -> None:
        self.path = path  # None: a cache that lives only in memory (nothing read or written)
        self.scope = scope
        self._stored: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        self._dirty = False
        if path is not None:
            self._stored = self._read(path)

    def _read(self, path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:  # unreadable, not UTF-8, not JSON
            log.debug("ignoring cache %s: %s", path, exc)
            return {}
        if (
            not isinstance(data, dict)
            or data.get("stamp") != code_stamp()
            or data.get("scope") != self.scope
            or not isinstance(data.get("entries"), dict)
        ):
            return {}
        entries: dict[str, Any] = data["entries"]
        return entries

    def stored(self) -> dict[str, Any]:
        """Return every entry read from disk (without marking them used)."""
        return dict(self._stored)

    def get(self, key: str) -> Any:
        """Return the stored value for `key` (None when absent) and mark it as used."""
        if key in self._used:
            return self._used[key]
        value = self._stored.get(key)
        if value is not None:
            self._used[key] = value
        return value

    def discard(self, key: str) -> None:
        """Forget a value that failed validation, so that it is recomputed and rewritten."""
        self._stored.pop(key, None)
        self._used.pop(key, None)
        self._dirty = True

    def put(self, key: str, value: Any) -> None:
        """Store a freshly computed value (JSON-serialisable)."""
        self._used[key] = value
        self._dirty = True

    def save(self) -> None:
        """Write the entries used in this run if anything was added; failures are ignored."""
        if self.path is None or not self._dirty:
            return
        body = {
            "format": FORMAT,
            "stamp": code_stamp(),
            "scope": self.scope,
            "entries": self._used,
        }
        try:
            text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            atomic_write_text(self.path, text + "\n")
        except (OutputError, OSError, TypeError, ValueError) as exc:
            # A read-only checkout or a full disk costs speed, never the build.
            log.debug("could not write cache %s: %s", self.path, exc)
            return
        self._stored, self._dirty = dict(self._used), False


def cache_dir(root: Path) -> Path:
    """Return the cache folder of the project at `root`."""
    return root / CACHE_DIR
