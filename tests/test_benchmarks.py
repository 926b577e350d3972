"""Smoke test of the benchmark harness: it runs end to end and reports every figure.

No timing is asserted: speed depends on the machine. docs/performance.md holds the numbers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO

pytestmark = pytest.mark.slow

FIGURES = ("cold_vs_weasyprint", "noop_s", "incremental", "mt_vs_argos", "scale", "help_s")


def test_quick_run_reports_all_six_figures(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    for name in FIGURES:
        value = data[name]["value"]
        assert isinstance(value, int | float) and not isinstance(value, bool), (name, value)
        assert value > 0, (name, value)
        assert isinstance(data[name]["meets"], bool)
    # What the incremental figure counts is exact, not a timing: one sentence, one pack.
    assert data["incremental"]["value"] == 1
    assert data["incremental"]["packs_rebuilt"] == 1
    assert data["machine"]["cpus"] >= 1
    assert set(data["machine"]["versions"]) >= {"briefpack", "weasyprint", "ctranslate2"}
    assert "| `noop_s` |" in result.stdout
