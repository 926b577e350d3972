"""Helpers shared by the robustness tests: run the real CLI, share one good build, watch files."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.support import DEMO_PACK, copy_project, snapshot

# What a failed run must leave byte-identical: outputs and every hand-edited input.
WATCHED = ("out", "briefings", "translations", "glossary.yaml")


def run_cli(
    root: Path, *args: str, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m briefpack ARGS` in `root` (the real entry point) and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "briefpack", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


def watched(root: Path) -> dict[str, bytes]:
    """Return every file under out/, briefings/, translations/ and glossary.yaml, by path."""
    files: dict[str, bytes] = {}
    for part in WATCHED:
        path = root / part
        if path.is_dir():
            files.update({f"{part}/{k}": v for k, v in snapshot(path).items()})
        elif path.is_file():
            files[part] = path.read_bytes()
    return files


_GOOD_LOCK = threading.Lock()


def good_out() -> Path:
    """Return an out/ folder holding a good build of the demo project (built once per run)."""
    with _GOOD_LOCK:  # the bad-input tests call this from several threads
        return _good_out()


@functools.cache
def _good_out() -> Path:
    base = Path(tempfile.mkdtemp(prefix="briefpack-good-"))
    atexit.register(shutil.rmtree, base, True)
    root = copy_project(base / "p")
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "out" / f"{DEMO_PACK}.pdf").read_bytes().startswith(b"%PDF-")
    return root / "out"


def good_pdf() -> bytes:
    """Return the bytes of the demo pack built from unchanged inputs."""
    return (good_out() / f"{DEMO_PACK}.pdf").read_bytes()


PREVIOUS_PDF = b"%PDF-1.7\n% stands in for the previous good build\n%%EOF\n"


def project_with_previous_pdf(dest: Path) -> Path:
    """Copy the demo project to `dest` with a stand-in previous PDF in out/; return it."""
    root = copy_project(dest)
    (root / "out").mkdir()
    (root / "out" / f"{DEMO_PACK}.pdf").write_bytes(PREVIOUS_PDF)
    return root


def project_with_good_out(dest: Path) -> Path:
    """Copy the demo project to `dest` with the out/ of a previous good build; return it."""
    root = copy_project(dest)
    shutil.copytree(good_out(), root / "out")
    return root
