"""Subset the theme's fonts for the HTML pack, with a content-keyed cache of the results.

Subsetting the eight fonts of the theme to the characters of a pack costs 2–3 s (fontTools,
pure Python, plus Brotli for WOFF2), on every HTML build. The result depends only on the
font's bytes, the set of characters and the code that subsets, so it is cached under
`.briefpack-cache/fonts/`, one WOFF2 file per subset, named by the SHA-256 of those inputs:
an unchanged pack rebuilt with `--force` subsets nothing. One file per entry (rather than
util.cache's one JSON file per cache) because the entries are binary and are written by
`build --jobs` worker processes side by side.

The conventions are util.cache's: keyed by content and stamped with the code (briefpack's
sources and the fontTools and Brotli versions), written atomically, failing soft (a missing,
unreadable or damaged entry is a miss; a failed write is ignored). A hit touches its file; a
write keeps the `MAX_ENTRIES` most recently used files and deletes the rest.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from pathlib import Path

from briefpack.errors import OutputError
from briefpack.util.cache import cache_dir, code_stamp, sha256_hex
from briefpack.util.fsutil import atomic_write_bytes
from briefpack.util.versions import dist_version

log = logging.getLogger(__name__)

FOLDER = "fonts"  # under the project's .briefpack-cache/
MAX_ENTRIES = 256  # eight fonts for each of 32 packs; a subset is 10–60 KB
_WOFF2 = b"wOF2"


def cache_folder(project_root: Path) -> Path:
    """Return the font cache folder of the project at `project_root`."""
    return cache_dir(project_root) / FOLDER


def subset_font(data: bytes, chars: set[str], cache: Path | None = None) -> bytes:
    """Return the font reduced to `chars` (plus what their shaping needs), as WOFF2.

    `cache` is a cache folder (`.briefpack-cache/fonts/`) or None for no cache.
    """
    path = None if cache is None else cache / f"{_key(data, chars)}.woff2"
    if path is not None:
        try:
            cached = path.read_bytes()
            if cached.startswith(_WOFF2):
                os.utime(path)  # recently used: kept when the folder is pruned
                return cached
        except OSError:
            pass  # a miss: missing or unreadable
    woff2 = _subset(data, chars)
    if path is not None:
        _store(path, woff2)
    return woff2


def _key(data: bytes, chars: set[str]) -> str:
    stamp = (
        f"{code_stamp()}\nfonttools {dist_version('fonttools')}\n"
        f"brotli {dist_version('brotli')}\n{sha256_hex(data)}\n"
    )
    return sha256_hex(stamp.encode() + "".join(sorted(chars)).encode("utf-8", "surrogatepass"))


def _store(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(path, data)
        entries = sorted(path.parent.glob("*.woff2"), key=_mtime, reverse=True)
        for old in entries[MAX_ENTRIES:]:
            with contextlib.suppress(OSError):
                old.unlink()
    except (OutputError, OSError) as exc:
        # A read-only checkout or a full disk costs speed, never the build.
        log.debug("could not write font cache %s: %s", path, exc)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _subset(data: bytes, chars: set[str]) -> bytes:
    from fontTools import subset  # lazy: only the HTML pack needs it
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # keep kerning, ligatures, small figures
    options.name_IDs = ["*"]
    options.notdef_outline = True
    # Charis SIL's Graphite tables: browsers shape with OpenType; fontTools cannot subset them.
    options.drop_tables += ["Silf", "Silt", "Sill", "Glat", "Gloc", "Feat"]
    font = TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out, reorderTables=False)
    return out.getvalue()
