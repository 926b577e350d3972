"""Incremental builds, --strict and --report through the real CLI in subprocesses.

That a build is deterministic: tests/e2e/test_build_pdf.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefpack.errors import ExitCode
from tests.support import DEMO_PACK, copy_project

pytestmark = pytest.mark.slow

# Runs the real CLI and reports which heavy modules the process imported.
PROBE = """
import sys
from briefpack.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exc:
    code = exc.code or 0
heavy = [m for m in ("weasyprint", "ctranslate2", "argostranslate.translate") if m in sys.modules]
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
sys.exit(code)
"""


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("inc") / "p")
    # A second pack that shares one briefing with the demo pack.
    (root / "briefings" / "packs" / "kurz.yaml").write_text(
        (root / "briefings" / "packs" / f"{DEMO_PACK}.yaml")
        .read_text(encoding="utf-8")
        .split("briefings:")[0]
        + "briefings:\n  - washington-ohnmacht\n",
        encoding="utf-8",
    )
    first = run(root, "build")
    assert first.returncode == 0, first.stderr
    return root


def test_second_build_is_a_noop_without_heavy_imports(project: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in (project / "out").iterdir()}
    result = run(project, "build")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "up to date: out/kurz.pdf (inputs unchanged; --force rebuilds)",
        f"up to date: out/{DEMO_PACK}.pdf (inputs unchanged; --force rebuilds)",
    ]
    assert "HEAVY=\n" in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in (project / "out").iterdir()} == before


def test_touching_one_briefing_rebuilds_only_packs_containing_it(project: Path) -> None:
    path = project / "briefings" / "mearsheimer-diplomatie.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    result = run(project, "build")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "up to date: out/kurz.pdf (inputs unchanged; --force rebuilds)"
    assert lines[1].startswith(f"built out/{DEMO_PACK}.pdf (")
    forced = run(project, "build", "kurz", "--force")
    assert forced.stdout.startswith("built out/kurz.pdf (")


def test_corrupt_manifest_means_rebuild(project: Path) -> None:
    (project / "out" / ".briefpack-manifest.json").write_text("{not json", encoding="utf-8")
    result = run(project, "build", "kurz")
    assert result.returncode == 0, result.stderr
    assert "note: .briefpack-manifest.json: corrupt" in result.stderr
    assert result.stdout.startswith("built out/kurz.pdf (")


def test_strict_fails_with_report_on_injected_violation(project: Path, tmp_path: Path) -> None:
    briefing = project / "briefings" / "washington-ohnmacht.yaml"
    original = briefing.read_text(encoding="utf-8")
    quote = original.split("- text: ", 1)[1].split("\n", 1)[0]
    briefing.write_text(original.replace(quote, "'Erfunden.'", 1), encoding="utf-8")
    pdf = project / "out" / "kurz.pdf"
    before = pdf.read_bytes()
    try:
        report_path = tmp_path / "report.json"
        result = run(project, "build", "--strict", "--draft", "--report", str(report_path))
        assert result.returncode == ExitCode.VIOLATIONS, result.stderr
        assert "quote not found verbatim" in result.stderr
        assert "Traceback" not in result.stderr
        report = json.loads(report_path.read_text(encoding="utf-8"))
        assert report["ok"] is False
        codes = {f["code"] for f in report["findings"]}
        assert {"quote-not-verbatim", "missing-translation"} <= codes
        assert "unused-translation" not in codes  # the old reviewed entry: project memory
        found = next(f for f in report["findings"] if f["code"] == "quote-not-verbatim")
        assert found["file"] == "briefings/washington-ohnmacht.yaml"
        assert isinstance(found["line"], int)
        assert pdf.read_bytes() == before  # strict stops before writing anything
        check = run(project, "check", "--strict")
        assert check.returncode == ExitCode.VIOLATIONS
    finally:
        briefing.write_text(original, encoding="utf-8")


def test_report_on_success(project: Path, tmp_path: Path) -> None:
    report_path = tmp_path / "r.json"
    result = run(project, "build", "--report", str(report_path))
    assert result.returncode == 0, result.stderr
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["ok"] is True
    assert {p["name"] for p in report["packs"]} == {"kurz", DEMO_PACK}
    assert all(len(p["fingerprint"]) == 64 for p in report["packs"])
    assert report["segments"]["missing"] == 0
    assert report["segments"]["reviewed"] > 100
