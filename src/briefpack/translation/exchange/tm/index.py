"""The memory's look-up index: SQLite with FTS5 in `.briefpack-cache/memory-index.sqlite`.

Why SQLite: it ships with Python, keeps the index on disk (a 100,000-unit memory is not
held in RAM: a look-up reads a few dozen rows), and FTS5 finds candidate sentences by
their words in milliseconds. The index is keyed by content: its stamp hashes briefpack's
code and every memory/ file's bytes; another stamp means rebuild (into a temporary file,
renamed into place). The reviewed entries of translations/ change with every approval, so
they are not in the cached index (an approval would rebuild 100,000 units): they get a
small index in memory each run, looked up beside it (`MemoryIndexes`). It fails soft like
every cache: a missing, corrupt or unwritable file means an index built in memory for this
run.

Candidate retrieval: the looked-up sentence's `RARE_WORDS` rarest words (fewest units
contain them, counted when the index is built) are looked up in FTS5, the units holding
them ranked by the summed rarity (1 / units containing it) of the words they share, units
too short or too long to reach the minimum score left out, and the best `CANDIDATES` are
then scored exactly (`score.py`). A unit that scores 75 or more shares most words with the
sentence, so it shares some of its rarest ones; common words ("die", "der") are never
queried, which keeps every posting list short. (FTS5's own bm25 ranking was measured twice
as slow on a 100,000-unit memory: it ranks by every word's frequency in every row.)
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from briefpack.translation.exchange.tm.score import Tokens
from briefpack.translation.exchange.tm.store import MemoryUnit
from briefpack.util.cache import cache_dir, code_stamp

log = logging.getLogger(__name__)

NAME = "memory-index.sqlite"
FORMAT = "1"
RARE_WORDS = 4  # words of the sentence queried
CANDIDATES = 24  # units scored per look-up

_SCHEMA = """
CREATE TABLE meta (stamp TEXT NOT NULL);
CREATE TABLE units (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL, de TEXT NOT NULL, en TEXT NOT NULL,
    status TEXT NOT NULL, origin TEXT NOT NULL, date TEXT NOT NULL, words INTEGER NOT NULL
);
CREATE INDEX units_key ON units (key);
CREATE TABLE df (term TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5 (de, content='', tokenize='unicode61 remove_diacritics 0');
"""


def words_of(tokens: Tokens) -> list[str]:
    """Return the lower-cased words (no punctuation) the full-text index holds."""
    return [w.lower() for w in tokens.words if w[0].isalnum()]


class MemoryIndex:
    """Exact and candidate look-ups over the project memory's units."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    @classmethod
    def open(cls, root: Path, stamp: str, units: Callable[[], Sequence[MemoryUnit]]) -> MemoryIndex:
        """Return the index for `stamp`: the cached one, else one built from `units()`."""
        path = cache_dir(root) / NAME
        db = _cached(path, stamp)
        if db is not None:
            return cls(db)
        built = list(units())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{NAME}.{os.getpid()}.tmp")
            tmp.unlink(missing_ok=True)
            db = sqlite3.connect(tmp)
            _fill(db, built, stamp)
            db.close()
            os.replace(tmp, path)
            return cls(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
        except (sqlite3.Error, OSError) as exc:
            log.debug("memory index not cached (%s): building it in memory", exc)
            return cls.in_memory(built)

    @classmethod
    def in_memory(cls, units: Sequence[MemoryUnit]) -> MemoryIndex:
        """Return an index of `units` held in memory for this run (not cached)."""
        db = sqlite3.connect(":memory:")
        _fill(db, units, "")
        return cls(db)

    def exact(self, key: str) -> list[MemoryUnit]:
        """Return the units whose German has this segment key (reviewed ones first)."""
        rows = self._db.execute(
            "SELECT de, en, status, origin, date FROM units WHERE key = ? "
            "ORDER BY status = 'reviewed' DESC, id",
            (key,),
        ).fetchall()
        return [MemoryUnit(*row) for row in rows]

    def candidates(
        self, tokens: Tokens, minimum: int = 0, limit: int = CANDIDATES
    ) -> list[MemoryUnit]:
        """Return up to `limit` units sharing the sentence's rarest words, best first.

        Ranked by the summed rarity (1 / units containing it) of the shared words; units
        whose length alone keeps them under `minimum` (see `score.reachable`) are left out.
        """
        words = list(dict.fromkeys(words_of(tokens)))
        if not words:
            return []
        marks = ",".join("?" * len(words))
        known = self._db.execute(f"SELECT term, n FROM df WHERE term IN ({marks})", words)
        rare = sorted(known.fetchall(), key=lambda r: (r[1], r[0]))[:RARE_WORDS]
        if not rare:
            return []
        n = len(tokens.words)
        low, high = n, n
        if minimum:
            low, high = math.ceil(n * (minimum - 0.5) / 100), math.floor(n * 100 / (minimum - 0.5))
        hits = " UNION ALL ".join(
            ["SELECT rowid AS id, ? AS w FROM fts WHERE fts MATCH ?"] * len(rare)
        )
        params: list[object] = []
        for term, count in rare:
            params += [1.0 / count, '"' + term.replace('"', '""') + '"']
        rows = self._db.execute(
            "SELECT u.de, u.en, u.status, u.origin, u.date FROM "
            f"(SELECT id, sum(w) AS weight FROM ({hits}) GROUP BY id) AS hit "
            "JOIN units AS u ON u.id = hit.id "
            + ("WHERE u.words BETWEEN ? AND ? " if minimum else "")
            + "ORDER BY hit.weight DESC, u.id LIMIT ?",
            (*params, *((low, high) if minimum else ()), limit),
        ).fetchall()
        return [MemoryUnit(*row) for row in rows]

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM units").fetchone()[0])


class MemoryIndexes:
    """Several indexes looked up as one: memory/'s cached one and translations/' in memory."""

    def __init__(self, parts: Sequence[MemoryIndex]) -> None:
        self._parts = list(parts)

    def exact(self, key: str) -> list[MemoryUnit]:
        """Return the units of every part whose German has this key, reviewed ones first."""
        found = [u for part in self._parts for u in part.exact(key)]
        return sorted(found, key=lambda u: u.status != "reviewed")

    def candidates(self, tokens: Tokens, minimum: int = 0) -> list[MemoryUnit]:
        """Return every part's candidates (each part ranks its own)."""
        return [u for part in self._parts for u in part.candidates(tokens, minimum)]

    def __len__(self) -> int:
        return sum(len(part) for part in self._parts)


def inputs_stamp(memory_files: Sequence[tuple[str, str]]) -> str:
    """Return the stamp of the cached index's inputs: the code and the memory/ files.

    `memory_files`: each file's project-relative name and the digest of its bytes
    (`store.file_digest`).
    """
    h = hashlib.sha256(f"{code_stamp()} index {FORMAT}\n".encode())
    for name, digest in memory_files:
        h.update(f"{name}\0{digest}\n".encode())
    return h.hexdigest()


def _cached(path: Path, stamp: str) -> sqlite3.Connection | None:
    """Return the cached index if it exists and carries `stamp`, else None (fail soft)."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        row = db.execute("SELECT stamp FROM meta").fetchone()
    except sqlite3.Error:
        return None
    if row is None or row[0] != stamp:
        db.close()
        return None
    return db


def _fill(db: sqlite3.Connection, units: Sequence[MemoryUnit], stamp: str) -> None:
    """Create the tables and index `units` (one transaction)."""
    df: Counter[str] = Counter()
    rows: list[tuple[object, ...]] = []
    fts = []
    for n, unit in enumerate(units, 1):
        tokens = Tokens.of(unit.de, normalized=True)
        words = words_of(tokens)
        df.update(set(words))
        row = (n, unit.key, unit.de, unit.en, unit.status, unit.origin, unit.date)
        rows.append((*row, len(tokens.words)))
        fts.append((n, " ".join(words)))
    with db:
        db.executescript(_SCHEMA)
        db.execute("INSERT INTO meta VALUES (?)", (stamp,))
        db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO fts (rowid, de) VALUES (?, ?)", fts)
        db.executemany("INSERT INTO df VALUES (?, ?)", df.items())
