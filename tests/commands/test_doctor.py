"""`briefpack doctor`: one line per piece of the installation, exit 1 when a needed one lacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.commands.doctor import ABSENT, MISSING, OK, Check, Report
from briefpack.glossary import morph
from briefpack.output.theme import PACKAGED
from briefpack.translation.packages import install_from_file
from briefpack.util.versions import __version__
from tests.support import copy_project

runner = CliRunner()
NAMES = [
    "briefpack",
    "lexicon",
    "model",
    "pango",
    "hb-subset",
    "fonts",
    "device",
    "cache",
    "models-dir",
    "project",
]


def test_report_lines_are_aligned_and_name_the_cost() -> None:
    report = Report(
        (
            Check("lexicon", OK, "german-nouns 1.2.5"),
            Check("model", MISSING, "no de→en package in /m", "nothing is translated"),
            Check("device", ABSENT, "cpu", "translation runs on the CPU"),
        )
    )
    assert report.lines() == [
        "ok      lexicon  german-nouns 1.2.5",
        "missing model    no de→en package in /m — without it: nothing is translated",
        "absent  device   cpu — without it: translation runs on the CPU",
    ]
    assert not report.ok
    assert Report(report.checks[::2]).ok  # an optional piece alone does not fail


def doctor(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["doctor", *args])
    return result.exit_code, result.output


def test_doctor_without_a_model_fails_and_says_what_it_costs(
    tmp_path: Path, models_dir: Path
) -> None:
    root = copy_project(tmp_path / "desk")
    code, out = doctor("--project", str(root))
    assert code == 1, out
    lines = out.splitlines()
    assert [line.split()[1] for line in lines] == NAMES
    assert lines[2] == (
        f"missing model       no de→en translation package in {models_dir} — without it: new "
        "German sentences are not machine-translated (`briefpack models install de en`)"
    )
    lexicon = morph.lexicon()
    assert lexicon is not None
    assert lines[1].startswith(
        f"ok      lexicon     {morph.LEXICON_SOURCE}, {lexicon.size():,} German nouns (index "
    )
    fonts = PACKAGED / "assets" / "fonts"  # the demo overrides no font
    count = len([*fonts.glob("*.ttf"), *fonts.glob("*.otf")])
    assert count and lines[5] == f"ok      fonts       {count} font files in {fonts}"
    assert lines[9] == f"ok      project     {root} (out/ and .briefpack-cache/ writable)"


@pytest.mark.slow
def test_doctor_json_with_a_model_installed(
    tmp_path: Path, models_dir: Path, tiny_copy_package: Path
) -> None:
    installed = install_from_file(tiny_copy_package)
    root = copy_project(tmp_path / "desk")
    code, out = doctor("--json", "--project", str(root))
    report = json.loads(out)
    checks = {c["name"]: c for c in report["checks"]}
    assert list(checks) == NAMES and report["briefpack"] == __version__
    assert checks["model"] == {
        "name": "model",
        "status": "ok",
        "detail": f"{installed.name} {installed.version} in {installed.path}",
        "cost": "",
    }
    # This machine has every needed piece (./dev installs them); a GPU is optional.
    assert {c["status"] for n, c in checks.items() if n != "device"} == {"ok"}, out
    assert (code, report["ok"]) == (0, True)


def test_doctor_outside_a_project_reports_no_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, models_dir: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = doctor("--json")
    checks = {c["name"]: c for c in json.loads(out)["checks"]}
    assert checks["project"] == {
        "name": "project",
        "status": "absent",
        "detail": f"no briefpack project in {tmp_path} or its parents",
        "cost": "",
    }
    assert checks["fonts"]["status"] == "ok"  # the theme in the package
    assert code == 1  # no model


def test_doctor_with_a_missing_project_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, out = doctor("--project", str(tmp_path / "nowhere"))
    assert code == 2
    assert out.splitlines()[-1] == f"error: {tmp_path / 'nowhere'}: project folder does not exist"


def test_doctor_without_harfbuzz_subsetting_says_what_it_costs(
    tmp_path: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint.text import ffi

    # What WeasyPrint binds when dlopen() finds no libharfbuzz-subset (pinned: test_pdf_fonts).
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    code, out = doctor("--project", str(copy_project(tmp_path / "desk")))
    assert code == 1
    assert out.splitlines()[4] == (
        "missing hb-subset   libharfbuzz-subset is not installed — without it: fonts are subset "
        "with fontTools: slower PDFs and a WeasyPrint warning on every build, which fails "
        "`--strict` (Debian/Ubuntu: apt install libharfbuzz-subset0)"
    )
