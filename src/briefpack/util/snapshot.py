"""Input snapshots: decide "nothing changed since the last build" without loading anything.

A build records, per build target (project, output folder, packs, options), every file it
could have read (all of briefings/, translations/, memory/, templates/, seeds/, glossary.yaml,
the briefpack package's own files, the manifest and PDFs it left in the output folder) with its
size, mtime_ns, ctime_ns, inode and SHA-256, plus the interpreter, briefpack's version,
the modification times of every `sys.path` folder (an install or upgrade of any library
touches its site-packages folder) and what the build printed. The next build compares:

- the same set of files (a new, renamed or deleted file anywhere in those trees is a change);
- for each file, the same stat, or else the same SHA-256 (so a file touched without a content
  change costs one hash of that file, and its new stat is remembered);
- a file whose mtime or ctime is less than `RACY_NS` older than the moment it was last
  verified is re-hashed every time, as git does with "racily clean" index entries: a second
  write within the same timestamp tick would not show in its stat.

Anything unexpected (a symlinked folder, an unreadable file, a corrupt or foreign snapshot)
is "changed": the caller then runs the full build, whose fingerprints decide. Only the
standard library is used, so the check runs before pydantic, Jinja2 or a YAML loader is
imported. Written by hand because no library does this job: it is about 200 lines over
`os.stat` and `hashlib`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from briefpack import __version__

# The no-op path imports this module: plain classes instead of dataclasses, and `typing`
# only for the type checker, keep its start-up cost down (inspect, typing: ~8 ms).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = 1
NAME = "snapshot.json"  # under <project>/.briefpack-cache/
CACHE_DIR = ".briefpack-cache"
TREES = ("briefings", "translations", "memory", "templates", "seeds")
FILES = ("glossary.yaml",)
RACY_NS = 1_000_000_000  # file timestamps can lag the clock by a tick; 1 s is generous
MAX_TARGETS = 8  # build targets remembered per project

PACKAGE = Path(__file__).resolve().parent.parent  # the whole briefpack package

# One file as last verified: size, mtime_ns, ctime_ns, inode, sha256, verified_ns.
Stat = tuple[int, int, int, int]


class Doubt(Exception):
    """Something the snapshot cannot vouch for: run the full build."""


class FileEntry:
    """One input file: its stat, its content hash and when that hash was taken."""

    __slots__ = ("sha", "stat", "verified_ns")

    def __init__(self, stat: Stat, sha: str, verified_ns: int) -> None:
        self.stat, self.sha, self.verified_ns = stat, sha, verified_ns

    def racy(self) -> bool:
        """Whether a same-tick write after verification could hide behind the same stat."""
        _size, mtime, ctime, _ino = self.stat
        return max(mtime, ctime) >= self.verified_ns - RACY_NS

    def to_json(self) -> list[Any]:
        return [*self.stat, self.sha, self.verified_ns]

    @classmethod
    def from_json(cls, raw: Any) -> FileEntry:
        size, mtime, ctime, ino, sha, verified = raw
        return cls((int(size), int(mtime), int(ctime), int(ino)), str(sha), int(verified))


class Scan:
    """The state of every input file of a project, hashing only what changed."""

    def __init__(self) -> None:
        self.files: dict[str, FileEntry] = {}
        self.hashed: list[str] = []  # paths whose content was read


def _stat(path: str) -> Stat:
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _sha(path: str) -> str:
    import hashlib  # lazy: OpenSSL's start-up, only when something must be hashed

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _walk(folder: str, *, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    """Yield every file under `folder`; raise Doubt on a symlinked folder (loops, escapes)."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise Doubt(f"{folder}: {exc}") from None
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in skip:
                yield from _walk(entry.path, skip=skip)
        elif entry.is_symlink() and entry.is_dir():
            raise Doubt(f"{entry.path}: symlinked folder")
        else:
            yield entry.path


def input_paths(root: Path) -> list[str]:
    """Return every file a build of the project at `root` could read, code included."""
    paths: list[str] = []
    for tree in TREES:
        paths.extend(_walk(str(root / tree)))
    for name in FILES:
        path = root / name
        if path.exists() or path.is_symlink():
            paths.append(str(path))
    paths.extend(_walk(str(PACKAGE), skip=frozenset({"__pycache__"})))
    return sorted(paths)


def verify(paths: Iterable[str], previous: Mapping[str, FileEntry]) -> Scan:
    """Stat every path; hash those whose stat changed or is racy; reuse the other hashes."""
    scan = Scan()
    for path in paths:
        now = time.time_ns()  # before the stat: a later write gets a later timestamp
        try:
            stat = _stat(path)
            old = previous.get(path)
            if old is not None and old.stat == stat and not old.racy():
                scan.files[path] = old
                continue
            sha = _sha(path)
        except OSError as exc:
            raise Doubt(f"{path}: {exc}") from None
        scan.hashed.append(path)
        scan.files[path] = FileEntry(stat, sha, now)
    return scan


def environment() -> dict[str, Any]:
    """Return what, besides the files, decides the build: interpreter, versions, libraries."""
    folders = []
    # sys.path[0] is the script's folder or the current one, not where libraries live.
    for entry in sys.path[1:]:
        try:
            folders.append([entry, os.stat(entry or ".").st_mtime_ns])
        except OSError:
            folders.append([entry, None])
    return {
        "briefpack": __version__,
        "python": sys.version,
        "executable": sys.executable,
        "sys_path": folders,
    }


def target_key(
    root: Path, out_dir: Path, packs: Iterable[str], options: Mapping[str, object]
) -> str:
    """Return the key of one build target: project, output folder, packs and options."""
    return json.dumps(
        {"root": str(root), "out": str(out_dir), "packs": list(packs), "options": dict(options)},
        sort_keys=True,
    )


def snapshot_path(root: Path) -> Path:
    """Return where the project's snapshot lives."""
    return root / CACHE_DIR / NAME


def _load(root: Path) -> dict[str, Any]:
    try:
        data = json.loads(snapshot_path(root).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    targets = data.get("targets")
    return targets if isinstance(targets, dict) else {}


def _entries(raw: Any) -> dict[str, FileEntry]:
    if not isinstance(raw, dict):
        raise Doubt("snapshot: no files")
    try:
        return {str(k): FileEntry.from_json(v) for k, v in raw.items()}
    except (TypeError, ValueError) as exc:
        raise Doubt(f"snapshot: {exc}") from None


class Verdict:
    """The outcome of a check: `fresh` with what the last build reported, or why not."""

    def __init__(
        self,
        fresh: bool,
        reason: str = "",
        *,
        result: dict[str, Any] | None = None,
        scan: Scan | None = None,
    ) -> None:
        self.fresh, self.reason, self.scan = fresh, reason, scan
        self.result: dict[str, Any] = result or {}  # what record() was given


def check(root: Path, key: str) -> Verdict:
    """Return whether the target `key` of the project at `root` is exactly as last recorded.

    Fresh means: same environment, same set of input files, each with the same content,
    the same output files. Re-verified stats are written back (best effort), so a touched
    file is hashed once, not on every run.
    """
    targets = _load(root)
    target = targets.get(key)
    if not isinstance(target, dict):
        return Verdict(False, "no snapshot for this target")
    try:
        if target.get("env") != environment():
            return Verdict(False, "interpreter, libraries or briefpack changed")
        previous = _entries(target.get("files"))
        outputs = _entries(target.get("outputs"))
        paths = input_paths(root)
        if paths != sorted(previous):
            return Verdict(False, "files added or removed")
        scan = verify([*paths, *outputs], {**previous, **outputs})
    except Doubt as exc:
        return Verdict(False, str(exc))
    for path in scan.hashed:
        old = previous.get(path) or outputs.get(path)
        if old is None or old.sha != scan.files[path].sha:
            return Verdict(False, f"{path} changed", scan=scan)
    result = target.get("result")
    if not isinstance(result, dict):
        return Verdict(False, "snapshot: no result")
    if scan.hashed:  # remember the new stats of files touched without a change
        target["files"] = {p: scan.files[p].to_json() for p in paths}
        target["outputs"] = {p: scan.files[p].to_json() for p in outputs}
        _save(root, targets)
    return Verdict(True, result=result, scan=scan)


def prescan(root: Path, key: str) -> Scan | None:
    """Scan the inputs before a full build (reusing hashes of unchanged files), or None."""
    target = _load(root).get(key)
    try:
        previous = _entries(target.get("files")) if isinstance(target, dict) else {}
    except Doubt:
        previous = {}
    try:
        return verify(input_paths(root), previous)
    except Doubt:
        return None


def record(
    root: Path, key: str, before: Scan | None, outputs: Iterable[Path], result: dict[str, Any]
) -> bool:
    """Remember a finished build: its inputs as scanned before it ran, outputs, result.

    Nothing is recorded (and any old record of the target is dropped) if an input changed
    while the build ran, since the build may have read either version. Returns whether the
    snapshot was written.
    """
    targets = _load(root)
    targets.pop(key, None)
    written = False
    try:
        if before is None:
            raise Doubt("no scan")
        now = input_paths(root)
        if now != sorted(before.files):
            raise Doubt("files added or removed during the build")
        for path in now:
            if _stat(path) != before.files[path].stat:
                raise Doubt(f"{path} changed during the build")
        out = verify([str(p) for p in outputs], {})
        targets[key] = {
            "env": environment(),
            "files": {p: e.to_json() for p, e in before.files.items()},
            "outputs": {p: e.to_json() for p, e in out.files.items()},
            "result": result,
        }
        # Keep the most recently recorded targets only (dicts keep insertion order).
        while len(targets) > MAX_TARGETS:
            targets.pop(next(iter(targets)))
        written = True
    except (Doubt, OSError):
        pass
    _save(root, targets)
    return written


def forget(root: Path, key: str) -> None:
    """Drop the record of one target (a build that failed or printed something new)."""
    targets = _load(root)
    if targets.pop(key, None) is not None:
        _save(root, targets)


def _save(root: Path, targets: dict[str, Any]) -> None:
    """Write the snapshot atomically; a failed write only costs the next run a full build."""
    from briefpack.util.fsutil import atomic_write_text  # lazy: tempfile and friends

    path = snapshot_path(root)
    body = json.dumps({"format": FORMAT, "targets": targets}, separators=(",", ":"))
    try:
        path.parent.mkdir(exist_ok=True)
        atomic_write_text(path, body)
    except Exception:  # a cache: any failure to write is only a miss
        pass
