"""`briefpack pack …` and `new --pack` through the CLI, with exact output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from briefpack.cli import app
from tests.support import DEMO_PACK, REPO

TITLE = "Ukraine: Sicherheitsgarantien und Stand der Friedensgespräche"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "briefings", tmp_path / "briefings")
    return tmp_path


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--project", str(project)])


def test_list_and_json(project: Path) -> None:
    result = run(project, "pack", "list")
    assert result.exit_code == 0
    assert result.output == f"{DEMO_PACK}: {TITLE} (5 briefings)\n"
    data = json.loads(run(project, "pack", "list", "--json").output)
    assert list(data[0]) == ["name", "title", "briefings", "path"]
    assert data[0]["name"] == DEMO_PACK
    assert data[0]["path"] == f"briefings/packs/{DEMO_PACK}.yaml"
    assert data[0]["briefings"][0] == "regenbrecht-systemisches-chaos"


def test_new_add_move_remove_show(project: Path) -> None:
    result = run(project, "pack", "new", "lage", "--title", "Lage Ost")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "wrote briefings/packs/lage.yaml\n"
        "next: replace the TODOs, `briefpack pack add` briefings, `briefpack check`\n"
    )
    result = run(project, "pack", "add", "lage", "washington-ohnmacht", "mearsheimer-diplomatie")
    assert result.output == "lage: washington-ohnmacht, mearsheimer-diplomatie\n"
    result = run(project, "pack", "move", "lage", "mearsheimer-diplomatie", "--to", "1")
    assert result.output == "lage: mearsheimer-diplomatie, washington-ohnmacht\n"
    result = run(project, "pack", "remove", "lage", "washington-ohnmacht")
    assert result.output == "lage: mearsheimer-diplomatie\n"
    result = run(project, "pack", "show", "lage")
    assert result.output == (
        "lage (briefings/packs/lage.yaml)\n"
        "  de: Lage Ost\n"
        "  en: TODO: English title of the pack\n"
        "  1. mearsheimer-diplomatie\n"
    )


def test_unknown_briefing_is_one_error_line(project: Path) -> None:
    before = (project / "briefings/packs" / f"{DEMO_PACK}.yaml").read_bytes()
    result = run(project, "pack", "add", DEMO_PACK, "nope")
    assert result.exit_code == 2
    assert (
        result.output
        == "error: no briefing 'nope' in briefings/ (a briefing is briefings/<id>.yaml)\n"
    )
    assert (project / "briefings/packs" / f"{DEMO_PACK}.yaml").read_bytes() == before


def test_new_with_pack(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "007-Neue Lage.txt"
    source.write_text("Berlin, 3. März 2026\n\nDie Lage ist ernst.\n", encoding="utf-8")
    result = run(project, "new", str(source), "--pack", DEMO_PACK)
    assert result.exit_code == 0, result.output
    assert "added 'neue-lage' to pack 'ukraine-sicherheitsgarantien'\n" in result.output
    data = json.loads(run(project, "pack", "list", "--json").output)
    assert data[0]["briefings"][-1] == "neue-lage"


def test_new_with_unknown_pack_writes_nothing(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "neu.txt"
    source.write_text("Die Lage ist ernst.\n", encoding="utf-8")
    result = run(project, "new", str(source), "--pack", "nope")
    assert result.exit_code == 2
    assert not (project / "briefings" / "neu.yaml").exists()
    assert not (project / "seeds").exists()
