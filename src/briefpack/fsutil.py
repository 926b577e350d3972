"""File-system helpers: atomic writes and inter-process locks."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from briefpack.errors import LockedError, OutputError

TMP_SUFFIX = ".tmp"
# A writer's temp file lives for milliseconds (the data is in memory before it is created);
# one older than this and not locked belongs to a run that was killed.
STALE_AFTER = 2.0


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temp file in the same folder and a rename.

    A crash at any moment leaves either the old file or the new one, never a mix,
    and never a partial file under the final name.
    """
    try:
        # Inside the try: out/ being a plain file, or a read-only folder, is an OutputError
        # naming the path, not a traceback.
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            # Held until the file is closed: tells remove_stale_temps a writer is alive.
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            # Keep the permissions the user gave the file.
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:  # Ctrl-C mid-write: leave no temp file behind either
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temp files that a killed run left behind for `path`; return them.

    Conservative: only names `atomic_write_bytes` makes for this very file
    (`.<name>.<8 random chars>.tmp`), only regular files last written more than
    STALE_AFTER seconds ago, and only when no live writer holds their lock.
    """
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}{re.escape(TMP_SUFFIX)}")
    try:
        names = [n for n in os.listdir(path.parent) if pattern.fullmatch(n)]
    except OSError:
        return []
    removed: list[Path] = []
    for name in names:
        tmp = path.parent / name
        try:
            fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or time.time() - info.st_mtime < STALE_AFTER:
                continue
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(tmp)
            removed.append(tmp)
        except OSError:  # BlockingIOError: a writer holds it; or it vanished meanwhile
            continue
        finally:
            os.close(fd)
    return removed


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 `text` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _fsync_dir(folder: Path) -> None:
    # Make the rename itself durable; not every file system allows it.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def file_lock(target: Path, *, timeout: float = 30.0) -> Iterator[None]:
    """Hold an exclusive lock on `<target>.lock` for read-modify-write of `target`.

    The lock file is never deleted (deleting it would race with a waiting process).
    """
    lock_path = target.with_name(f".{target.name}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockedError(
                        f"{target}: another briefpack process is editing it "
                        f"(waited {timeout:.0f} s for {lock_path.name})"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
