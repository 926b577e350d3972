"""Running measured children: wall time, CPU time and peak RSS of a command and what it starts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT = 1800.0
BARE_PYTHON = [sys.executable, "-c", "pass"]


def log(message: str) -> None:
    """Print progress to stderr (the table goes to stdout)."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def isolate(home: Path) -> None:
    """Point argostranslate (here and in every child) at temporary folders.

    argostranslate reads these variables once, at import, and creates folders under them.
    """
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / "argos" / var.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(home / "argos" / "packages")


@dataclass
class ChildRun:
    """One finished child process: how long it took, what it used, what it said."""

    args: list[str]
    wall: float
    cpu: float
    maxrss_mb: float
    code: int
    stdout: str
    stderr: str

    def check(self) -> ChildRun:
        """Raise with the child's output if it failed."""
        if self.code != 0:
            raise RuntimeError(
                f"{' '.join(self.args)} exited {self.code}\n{self.stdout}\n{self.stderr}"
            )
        return self


# Runs one command and reports its wall time, CPU time and peak RSS. Linux carries a
# process's peak RSS across exec, and a child forked (or vforked) from the harness starts
# with the harness's own peak (a few hundred MB once it has imported briefpack): so the
# command is started from this small launcher, whose peak is ~10 MB, and measured there.
# The launcher is a child subreaper (prctl PR_SET_CHILD_SUBREAPER): what the command leaves
# running when it exits (a build's fork server, whose children the render workers are, and
# multiprocessing's resource tracker) is adopted by the launcher and waited for too. So the
# CPU time is that of every process the command started, summed, and the peak RSS the
# largest of them (the render worker's, where a pack renders in one); the wall time ends
# when the command itself exits.
LAUNCHER = """
import ctypes, json, os, sys, time
report, cmd = sys.argv[1], sys.argv[2:]
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
start = time.perf_counter()
pid = os.posix_spawnp(cmd[0], cmd, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
while True:  # the command's orphans, adopted by this subreaper
    try:
        _, _, left = os.wait4(-1, 0)
    except ChildProcessError:
        break
    cpu, rss = cpu + left.ru_utime + left.ru_stime, max(rss, left.ru_maxrss)
with open(report, "w") as fh:
    json.dump({"wall": wall, "code": os.waitstatus_to_exitcode(status),
               "cpu": cpu, "maxrss_kb": rss}, fh)
"""


def run_child(
    args: Sequence[str],
    *,
    cwd: Path,
    timeout: float = CHILD_TIMEOUT,
    env: dict[str, str] | None = None,
) -> ChildRun:
    """Run `args` in `cwd`; return its wall time, CPU time and peak RSS (see LAUNCHER)."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as tmp,
    ):
        report = Path(tmp) / "run.json"
        launcher = [sys.executable, "-c", LAUNCHER, str(report), *args]
        proc = subprocess.Popen(
            launcher, cwd=cwd, env=env, stdout=out, stderr=err, start_new_session=True
        )
        killer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
        killer.start()
        try:
            proc.wait()
        finally:
            killer.cancel()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        if proc.returncode != 0 or not report.is_file():
            return ChildRun(list(args), 0.0, 0.0, 0.0, proc.returncode or -1, stdout, stderr)
        data = json.loads(report.read_text("utf-8"))
        return ChildRun(
            list(args),
            data["wall"],
            data["cpu"],
            data["maxrss_kb"] / 1024,  # KiB on Linux
            data["code"],
            stdout,
            stderr,
        )


def entry_point() -> str:
    """Return the console script's entry point as pyproject.toml declares it."""
    import tomllib

    data = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    return str(data["project"]["scripts"]["briefpack"])


def briefpack_cmd(*args: str) -> list[str]:
    """Return the command line of the `briefpack` script (what users run).

    The installed script if it calls the entry point pyproject.toml declares; otherwise
    (an editable install made before the entry point moved) exactly what that script
    would run once reinstalled.
    """
    module, _, func = entry_point().partition(":")
    script = Path(sys.executable).with_name("briefpack")
    if script.is_file() and f"from {module} import {func}" in script.read_text("utf-8"):
        return [str(script), *args]
    code = f"import sys; from {module} import {func}; sys.exit({func}())"
    return [sys.executable, "-c", code, *args]


def versus(
    ours: Callable[[], ChildRun], theirs: Callable[[], ChildRun], runs: int
) -> tuple[list[ChildRun], list[ChildRun]]:
    """Run two commands alternately `runs` times each; return both lists of runs."""
    a, b = [], []
    for _ in range(runs):
        a.append(ours().check())
        b.append(theirs().check())
    return a, b
