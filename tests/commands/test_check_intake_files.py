"""`briefpack check` validates the press intake's files (feeds.yaml, inbox/) with the rest;
a build, which reads neither, is not stopped by them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from briefpack.commands.check import check
from briefpack.errors import ExitCode, InputError
from briefpack.prepare import prepare
from briefpack.source.feeds import load_feeds
from briefpack.util.paths import Project
from tests.support import REPO, cli_in, copy_project

FILES = REPO / "tests" / "fixtures" / "intake" / "project-files"  # a feeds.yaml, an inbox item
ITEM = "inbox/5e0c2a91d4.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = copy_project(tmp_path / "p")
    shutil.copy(FILES / "feeds.yaml", root / "feeds.yaml")
    shutil.copytree(FILES / "inbox", root / "inbox")
    return Project(root)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_valid_feeds_and_inbox_are_clean(project: Project) -> None:
    assert check(project).problems == []
    code, out, err = cli_in(project.root, "check")
    assert (code, out, err) == (0, "ok: no errors\n", "")


def test_a_broken_feeds_file_gives_the_lines_the_feeds_loader_gives(project: Project) -> None:
    path = project.root / "feeds.yaml"
    edit(path, "url: https://www.nordkurier", "url: feed://www.nordkurier")
    edit(path, "    tags: [Ausland]", "    tag: [Ausland]")
    with pytest.raises(InputError) as loader:
        load_feeds(path, root=project.root)
    found = [str(p) for p in check(project).errors]  # error findings: the CLI exits 3
    assert found == loader.value.lines()
    assert found == [
        "feeds.yaml:7:5: feeds[0].tag: unknown key 'tag' (did you mean 'tags'?)",
        "feeds.yaml:8:5: feeds[1].url: must be an http:// or https:// URL",
    ]
    code, out, err = cli_in(project.root, "check")
    assert code == ExitCode.INVALID_INPUT
    assert "error: feeds.yaml:8:5: feeds[1].url: must be an http:// or https:// URL" in err
    assert "Traceback" not in out + err


def test_a_broken_inbox_item_is_a_located_error_not_a_crash(project: Project) -> None:
    edit(project.root / ITEM, "score: 21.0", "score: viel")
    (project.root / "inbox" / "0123456789.yaml").write_text("id: '0123456789'\nurl: [\n")
    lines = [str(p) for p in check(project).errors]
    assert lines[0].startswith("inbox/0123456789.yaml:3:1: YAML syntax error"), lines
    assert lines[1:] == [
        f"{ITEM}:10:1: score: input should be a valid number, unable to parse string as a number"
    ]
    code, out, err = cli_in(project.root, "check", "--report", "../report.json")
    assert code == ExitCode.INVALID_INPUT and "Traceback" not in out + err
    assert f"error: {ITEM}:10:1: score: input should be a valid number" in err
    report = json.loads((project.root.parent / "report.json").read_text(encoding="utf-8"))
    assert [(f["file"], f["line"], f["column"]) for f in report["findings"]] == [
        ("inbox/0123456789.yaml", 3, 1),
        (ITEM, 10, 1),
    ]


def test_intake_problems_are_listed_with_the_projects_others(project: Project) -> None:
    edit(project.root / ITEM, "status: new", "status: gelesen")
    briefing = project.briefings_dir / "mearsheimer-diplomatie.yaml"
    edit(briefing, "\nassessment:", "\nassesment:")
    with pytest.raises(InputError) as info:
        check(project)
    problems = info.value.problems
    assert {p.file for p in problems} == {"briefings/mearsheimer-diplomatie.yaml", ITEM}
    assert problems[-1].file == ITEM and problems[-1].line == 3  # status: sorted by file
    assert info.value.message == f"{len(problems)} problem(s) in the project's input files"


def test_a_build_does_not_read_the_intake_files(project: Project) -> None:
    (project.root / "feeds.yaml").write_text("feeds: [\n", encoding="utf-8")
    edit(project.root / ITEM, "score: 21.0", "score: viel")
    prepared = prepare(project, translate=False)  # what `build` runs first: no InputError
    assert [p.name for p in prepared.packs] == ["ukraine-sicherheitsgarantien"]
