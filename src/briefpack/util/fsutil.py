"""File-system helpers: the one bounded reader, the one atomic writer, inter-process locks.

- `read_bounded` reads every input, whatever kind of file it is (a pipe, `/dev/zero`, a FIFO
  has no size to `stat`), and never holds more than `limit + 1` bytes.
- `atomic_write_bytes` is the one way briefpack writes a file, and it is guarded: it
  replaces only regular, writable files (a symlink, FIFO, device node or folder under the
  target name, or a file without any write permission, the user's way to say "do not
  touch", is an OutputError), and it refuses to write into any project's inputs
  (glossary.yaml, briefings/, translations/, seeds/, templates/, feeds.yaml, inbox/:
  `paths.Input`) unless the caller says that it edits that input (`edits=Input.GLOSSARY`),
  a UsageError (exit 2).
  An export, report or JSON file pointed at an input by mistake is therefore refused by
  the write itself, whichever command asked for it.
- `file_lock` is `filelock.FileLock` (fcntl on POSIX, msvcrt on Windows); its failures are
  typed errors (LockedError after the timeout, OutputError when the lock cannot be created).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from briefpack.errors import InputError, LockedError, OutputError, Problem, UsageError
from briefpack.util.paths import Input, input_at

try:  # POSIX: a writer's temp file is flock()ed so that cleanup can tell it is alive
    import fcntl
except ImportError:  # pragma: no cover - Windows: stale temps are recognised by age only
    fcntl = None  # type: ignore[assignment]

TMP_SUFFIX = ".tmp"
# A writer's temp file lives for milliseconds (the data is in memory before it is created);
# one older than this and not locked belongs to a run that was killed.
STALE_AFTER = 2.0


Edits = Input | tuple[Input, ...]


def atomic_write_bytes(path: Path, data: bytes, *, edits: Edits = (), durable: bool = True) -> None:
    """Write `data` to `path` via a temp file in the same folder and a rename.

    A crash at any moment leaves either the old file or the new one, never a mix,
    and never a partial file under the final name. `edits` names the project inputs this
    caller edits (see the module docstring); any other input is refused. `durable=False`
    skips the two fsyncs (file and folder), for caches whose reader checks what it reads: no
    process ever sees a part of the file, but a power cut may lose it or leave it empty
    (the rename can reach the disk before the data).
    """
    check_target(path, edits=edits)
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
            if fcntl is not None:
                # Held until the file is closed: tells remove_stale_temps a writer is alive.
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            fh.write(data)
            fh.flush()
            if durable:
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
    if durable:
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
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(tmp)
            removed.append(tmp)
        except OSError:  # BlockingIOError: a writer holds it; or it vanished meanwhile
            continue
        finally:
            os.close(fd)
    return removed


def atomic_write_text(path: Path, text: str, *, edits: Edits = (), durable: bool = True) -> None:
    """Write UTF-8 `text` atomically (see `atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"), edits=edits, durable=durable)


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

    The lock file is kept after release (deleting it would race with a waiting process).
    """
    from filelock import FileLock, Timeout  # lazy: ~25 ms, only editing commands lock

    lock_path = target.with_name(f".{target.name}.lock")
    lock = FileLock(lock_path, timeout=timeout, preserve_lock_file=True)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise LockedError(
            f"{target}: another briefpack process is editing it "
            f"(waited {timeout:.0f} s for {lock_path.name})"
        ) from None
    except OSError as exc:  # read-only folder, EACCES, a file where the folder should be
        raise OutputError(
            f"{target}: cannot create the lock file {lock_path.name}: {exc.strerror or exc}"
        ) from None
    try:
        yield
    finally:
        lock.release()


# --- reading ---------------------------------------------------------------------------------


class TooLargeError(InputError):
    """An input holds more than the reader's limit; `size` is None when it has no size.

    An InputError (exit 3) naming the path as given; readers that know a better name and
    what the file is catch it and say so with `describe`.
    """

    def __init__(self, path: Path, limit: int, size: int | None) -> None:
        self.path, self.limit, self.size = path, limit, size
        text = self.describe()
        super().__init__(f"{path}: {text}", problems=[Problem(str(path), message=text)])

    def describe(self, what: str = "file") -> str:
        """Return e.g. `YAML file is 3,145,728 bytes, over the limit of 1,048,576 bytes`."""
        if self.size is None:  # a pipe or device: no size, we stopped reading at the limit
            return f"{what} holds more than the limit of {self.limit:,} bytes"
        return f"{what} is {self.size:,} bytes, over the limit of {self.limit:,} bytes"


class NotRegularError(OSError):
    """A project input that must be a regular file is a FIFO, socket or device."""


def read_bounded(path: Path, limit: int, *, regular_only: bool = False) -> bytes:
    """Return the bytes of `path`, reading at most `limit + 1` of them whatever it is.

    Raises TooLargeError beyond `limit`, IsADirectoryError for a folder, NotRegularError
    for anything but a regular file when `regular_only` (a project file that is a FIFO
    would otherwise block the run), and the OSError of `open`/`read` otherwise.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    if regular_only:
        flags |= getattr(os, "O_NONBLOCK", 0)  # opening a FIFO without a writer must not hang
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb", buffering=0) as fh:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "is a folder", str(path))
        regular = stat.S_ISREG(info.st_mode)
        if regular_only and not regular:
            raise NotRegularError(f"not a regular file ({_kind(info.st_mode)})")
        data = _read_upto(fh, limit + 1)
    if len(data) > limit:
        raise TooLargeError(path, limit, info.st_size if regular else None)
    return data


def read_stream_bounded(stream: BinaryIO, limit: int, name: str = "-") -> bytes:
    """Return what an open binary stream (stdin) holds, reading at most `limit + 1` bytes.

    Raises TooLargeError (with no size: a pipe has none) beyond `limit`, counted on the
    bytes actually read.
    """
    data = _read_upto(stream, limit + 1)
    if len(data) > limit:
        raise TooLargeError(Path(name), limit, None)
    return data


def _read_upto(stream: BinaryIO, most: int) -> bytes:
    chunks: list[bytes] = []
    left = most
    while left > 0:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


# --- writing ---------------------------------------------------------------------------------


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def check_target(path: Path, *, edits: Edits = ()) -> None:
    """Raise unless briefpack may write `path` (see `atomic_write_bytes`).

    A UsageError if it is or lies in a project input not named in `edits`; an OutputError
    unless it is absent or a regular file someone may write.
    """
    found = input_at(path)
    if found is not None and found[0] not in (edits if isinstance(edits, tuple) else (edits,)):
        item, where = found
        what = f"is the project's {item.value}"
        if where.suffix == "" and Path(os.path.abspath(path)) != where:
            what = f"lies in the project's {item.value}/ folder"
        raise UsageError(
            f"{path}: {what}, an input; refusing to write there (choose another output file)"
        )
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:  # e.g. a parent that is a file: reported by the write itself
        if isinstance(exc, NotADirectoryError):
            return
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{path}: is {_kind(info.st_mode)}; refusing to replace it")
    if not info.st_mode & 0o222:
        raise OutputError(
            f"{path}: is write-protected; not replaced (make it writable to allow changes)"
        )


def safe_output_path(path: Path, protected: Iterable[Path], *, folder: bool = False) -> Path:
    """Return `path` if briefpack may write a report or export there, else raise.

    For a check before any work is done (the write itself refuses inputs too, see
    `check_target`). `protected` are the project's inputs (files and folders); a target
    that is one of them or lies inside one is a UsageError, a target that is not a regular
    file an OutputError.
    `folder=True` checks an output folder (`build --output`): only that it is no input (the build
    checks the folder itself before rendering).
    """
    target = Path(os.path.abspath(path))
    resolved = target.resolve()
    for item in protected:
        inside = item.resolve()
        if resolved == inside or resolved.is_relative_to(inside) or target.is_relative_to(item):
            raise UsageError(
                f"{path}: is the project's own input ({item.name}); choose another output file"
            )
    if not folder:
        check_target(target)
    return path
