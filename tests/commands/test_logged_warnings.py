"""A warning logged by any briefpack module is a finding: in `--report`, and fatal under `--strict`.

The warning here is real: the engine logs one when a segment hits the decoding length limit,
which a tiny cap forces through the real CTranslate2 path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.errors import ExitCode
from briefpack.translation.engines import argos
from briefpack.translation.packages import install_from_file
from tests.conftest import LogRecords
from tests.support import copy_project

pytestmark = pytest.mark.slow
runner = CliRunner()
SENTENCE = "Die Delegationen trafen sich am Dienstag in Paris und berieten lange."


@pytest.fixture
def root(
    tmp_path: Path, models_dir: Path, tiny_copy_package: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    install_from_file(tiny_copy_package)
    monkeypatch.setattr(argos, "MAX_DECODING_CAP", 4)
    root = copy_project(tmp_path / "p")
    path = root / "briefings" / "washington-ohnmacht.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("assessment: >-\n", f"assessment: >-\n  {SENTENCE}\n", 1), "utf-8")
    return root


def logged(report: Path) -> list[dict[str, object]]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return [f for f in data["findings"] if f["code"] == "logged-warning"]


def test_logged_warning_is_a_finding_in_the_report(root: Path, logs: LogRecords) -> None:
    report = root / "report.json"
    result = runner.invoke(
        app, ["build", "--verbose", "--project", str(root), "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    (finding,) = logged(report)
    assert finding["file"] == "briefpack.translation.engines.argos"
    assert "hit the decoding length limit (4 tokens)" in str(finding["message"])
    assert "warning: briefpack.translation.engines.argos: segment 0 hit the decoding" in (
        result.stderr
    )
    assert len(logs.records) == 1


def test_logged_warning_fails_strict(root: Path, logs: LogRecords) -> None:
    # The translation itself is clean: the logged warning alone makes --strict fail.
    report = root / "strict.json"
    result = runner.invoke(
        app, ["build", "--strict", "--project", str(root), "--report", str(report)]
    )
    assert result.exit_code == ExitCode.VIOLATIONS, result.output
    assert "error: --strict: 1 warning(s) logged while building" in result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["ok"] is False
    assert [f["code"] for f in data["findings"]] == ["logged-warning"]
    assert logs.records
