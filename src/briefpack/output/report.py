"""Machine-readable run reports (`--report FILE.json`)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from briefpack.errors import Problem
from briefpack.util.fsutil import atomic_write_text
from briefpack.util.versions import __version__


def write_report(
    path: Path,
    *,
    command: str,
    ok: bool,
    findings: list[Problem],
    packs: list[dict[str, object]] | None = None,
    segments: dict[str, int] | None = None,
    translated: int = 0,
    memory: int = 0,
    error: str | None = None,
) -> None:
    """Write a JSON report atomically; the layout is documented in the README."""
    by_code = Counter(p.code for p in findings)
    body = {
        "briefpack": __version__,
        "command": command,
        "ok": ok,
        "error": error,
        "packs": packs or [],
        "segments": segments or {},
        "translated": translated,
        "memory": memory,
        "summary": {
            "errors": sum(1 for p in findings if p.severity == "error"),
            "warnings": sum(1 for p in findings if p.severity == "warning"),
            "by_code": dict(sorted(by_code.items())),
        },
        "findings": [p.to_dict() for p in findings],
    }
    atomic_write_text(path, json.dumps(body, indent=2, ensure_ascii=False) + "\n")
