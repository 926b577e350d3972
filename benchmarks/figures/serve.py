"""Figures of the preview server: from saving a briefing to the page showing the edit."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from harness.child import briefpack_cmd, run_child
from harness.project import Bench, pack_briefings
from harness.verdict import NotAvailable, Record, median, r

PREVIEW_TIMEOUT = 120.0


def with_marker(briefing: str, marker: str) -> str:
    """Return the briefing's YAML with `marker` appended to its title, inside its quotes."""

    def add(m: re.Match[str]) -> str:
        title = m[2] if m[2] is not None else m[3]
        return f'{m[1]}"{title} {marker}"'

    return re.sub(r'(?m)^(title: )(?:"(.*)"|(.*))$', add, briefing, count=1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def serve_preview(b: Bench) -> Record:
    """`serve`: saving a briefing → the preview page changes, vs a PDF build of the pack."""
    root = b.built_project("serve")
    port = free_port()
    log_file = (b.home / "serve.log").open("wb")
    proc = subprocess.Popen(
        briefpack_cmd("serve", b.pack, "--port", str(port)),
        cwd=root,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def page() -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                body: str = response.read().decode("utf-8", "replace")
            return body
        except (urllib.error.URLError, OSError):
            return None

    def wait_for(test: Callable[[str], bool]) -> float | None:
        start = time.perf_counter()
        while time.perf_counter() - start < PREVIEW_TIMEOUT:
            body = page()
            if body is not None and test(body):
                return time.perf_counter() - start
            time.sleep(0.02)
        return None

    path = root / "briefings" / f"{pack_briefings(root, b.pack)[0]}.yaml"
    original = path.read_text("utf-8")  # restored below: the PDF build needs its English
    updates = []
    try:
        if wait_for(lambda body: True) is None:
            raise NotAvailable(f"no page on port {port} after start (see serve.log)")
        for i in range(b.runs):
            marker = f"Vorschaumarke{i}x{os.getpid()}"
            path.write_text(with_marker(path.read_text("utf-8"), marker), encoding="utf-8")
            seconds = wait_for(lambda body, m=marker: m in body)
            if seconds is None:
                raise RuntimeError(f"the page did not show an edited title in {PREVIEW_TIMEOUT} s")
            updates.append(seconds)
    finally:
        path.write_text(original, encoding="utf-8")
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log_file.close()
    builds = [
        run_child(briefpack_cmd("build", "--force", b.pack), cwd=root).check()
        for _ in range(b.runs)
    ]
    preview_s, build_s = median(updates), median([x.wall for x in builds])
    return {
        "value": preview_s / build_s,
        "preview_s": r(preview_s),
        "build_s": r(build_s),
        "detail": f"preview updated after {preview_s:.2f} s vs PDF build {build_s:.2f} s",
    }
