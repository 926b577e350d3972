"""File locks and bounded reads (util/fsutil): typed errors, never a traceback or a hang."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefpack.errors import LockedError, OutputError
from briefpack.util import fsutil
from briefpack.util.fsutil import file_lock


def test_lock_timeout_is_a_locked_error(tmp_path: Path) -> None:
    target = tmp_path / "glossary.yaml"
    script = (
        "import sys, time\nfrom pathlib import Path\nfrom briefpack.util.fsutil import file_lock\n"
        "with file_lock(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with (
            pytest.raises(LockedError, match="another briefpack process"),
            file_lock(target, timeout=0.2),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    with file_lock(target, timeout=5):  # released when its holder died
        pass


def test_a_lock_that_cannot_be_created_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "translations").write_text("a file where the folder should be")
    lock = file_lock(tmp_path / "translations" / "memory")
    with pytest.raises(OutputError, match="cannot create the lock file"), lock:
        pass


def test_read_bounded_never_reads_past_the_limit() -> None:
    from briefpack.util.fsutil import TooLargeError, read_bounded

    with pytest.raises(TooLargeError) as info:
        read_bounded(Path("/dev/zero"), 1000)
    assert info.value.size is None and "1,000" in info.value.message
    assert read_bounded(Path("/dev/null"), 10) == b""


def test_a_cache_write_is_atomic_without_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    monkeypatch.setattr(fsutil.os, "fsync", synced.append)  # os.fsync(fd): record the fd
    fsutil.atomic_write_bytes(tmp_path / "cache.bin", b"old", durable=False)
    fsutil.atomic_write_bytes(tmp_path / "cache.bin", b"new", durable=False)
    assert synced == []
    assert (tmp_path / "cache.bin").read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["cache.bin"]  # no temp file left
    fsutil.atomic_write_text(tmp_path / "input.txt", "kept")  # the default: durable
    assert len(synced) == 2  # the file and its folder
