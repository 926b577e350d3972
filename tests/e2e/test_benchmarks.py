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

sys.path.insert(0, str(REPO / "benchmarks"))
from run import FIGURES  # noqa: E402

ISSUE_FIGURES = {
    "noop_vs_python",
    "help_vs_python",
    "glossary_add",
    "check_5000",
    "check_after_add",
    "jobs",
    "html_force_rebuild",
    "engine_vs_ct2",
    "mt_vs_argos",
    "serve_preview",
    "rss_per_page",
    "intake",
}


def test_quick_run_reports_every_figure_with_a_verdict(tmp_path: Path) -> None:
    assert set(FIGURES) >= ISSUE_FIGURES  # every target of the performance issue
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    rows = {
        line.split("|")[1].strip().strip("`"): [c.strip() for c in line.split("|")[1:-1]]
        for line in result.stdout.splitlines()
        if line.startswith("| `")
    }
    assert set(rows) == set(FIGURES), result.stdout
    for name in FIGURES:
        fig = data[name]
        verdict = rows[name][3]
        if fig["available"]:
            value = fig["value"]
            assert isinstance(value, int | float) and not isinstance(value, bool), (name, value)
            assert value > 0 if fig["unit"] == "ratio" else value >= 0, (name, value)
            if fig["op"] is None:  # information, no target
                assert fig["meets"] is None and verdict == "information", (name, verdict)
            else:
                assert isinstance(fig["meets"], bool)
                assert verdict == ("meets" if fig["meets"] else "**misses**"), (name, verdict)
        else:
            assert fig["value"] is None and fig["meets"] is None
            assert verdict == "not available", (name, verdict)
            assert fig["detail"].startswith("not available: "), fig["detail"]
        assert rows[name][2], (name, "no target shown")
    # What the incremental figure counts is exact, not a timing: one sentence, one pack.
    assert data["incremental"]["value"] == 1
    assert data["incremental"]["packs_rebuilt"] == 1
    assert data["glossary_add"]["terms"] >= 5000
    assert data["html_force_rebuild"]["fonts"] > 0  # the first build subset the fonts
    assert data["mt_vs_argos"]["op"] is None  # argostranslate's speed: information only
    assert data["machine"]["cpus"] >= 1
    assert set(data["machine"]["versions"]) >= {"briefpack", "weasyprint", "ctranslate2"}
