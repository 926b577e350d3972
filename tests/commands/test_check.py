"""Loading and validating a whole project; `check` reports every problem with its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpack.commands.check import check
from briefpack.errors import InputError
from briefpack.source.load import load_content
from briefpack.util.paths import Project, find_project
from tests.support import copy_project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(copy_project(tmp_path / "p"))


def errors_of(project: Project) -> list[str]:
    with pytest.raises(InputError) as info:
        load_content(project)
    return info.value.lines()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_demo_project_is_clean(project: Project) -> None:
    report = check(project)
    assert report.problems == []
    content = load_content(project)
    assert len(content.briefings) == 5
    assert list(content.packs) == ["ukraine-sicherheitsgarantien"]


def test_typo_bad_date_and_syntax_error_are_all_reported(project: Project) -> None:
    b = project.briefings_dir
    edit(b / "mearsheimer-diplomatie.yaml", "\nassessment:", "\nassesment:")
    edit(b / "mearsheimer-diplomatie.yaml", "published: 2025-12-16", "published: 2025-12-36")
    (b / "washington-ohnmacht.yaml").write_text("id: washington-ohnmacht\ntitle: 'oops\n")
    lines = errors_of(project)
    assert any(
        line.startswith("briefings/mearsheimer-diplomatie.yaml:")
        and "unknown key 'assesment' (did you mean 'assessment'?)" in line
        for line in lines
    ), lines
    assert any(
        "mearsheimer-diplomatie.yaml:" in line and "source.published: not a valid date" in line
        for line in lines
    ), lines
    assert any(
        line.startswith("briefings/washington-ohnmacht.yaml:3:1: YAML syntax error")
        for line in lines
    ), lines
    # Each line carries a line number.
    assert all(line.split(":")[1].isdigit() for line in lines), lines


def test_missing_key_points_at_the_mapping(project: Project) -> None:
    path = project.briefings_dir / "mearsheimer-diplomatie.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  outlet: null\n", ""), encoding="utf-8")
    lines = errors_of(project)
    assert any("source: missing required key 'outlet'" in line for line in lines), lines


def test_source_file_must_stay_inside_seeds(project: Project) -> None:
    edit(
        project.briefings_dir / "mearsheimer-diplomatie.yaml",
        "file: seeds/000-mearsheimer-diplomatie.txt",
        "file: ../../etc/passwd",
    )
    (line,) = errors_of(project)
    assert "source.file: '../../etc/passwd' is not a file under seeds/" in line


def test_pack_naming_missing_briefing(project: Project) -> None:
    edit(
        project.packs_dir / "ukraine-sicherheitsgarantien.yaml",
        "- mearsheimer-diplomatie",
        "- mearsheimer-diplomatie\n  - gibt-es-nicht",
    )
    (line,) = errors_of(project)
    assert line.startswith("briefings/packs/ukraine-sicherheitsgarantien.yaml:")
    assert "no briefing with id 'gibt-es-nicht'" in line


def test_duplicate_briefing_id(project: Project) -> None:
    src = project.briefings_dir / "mearsheimer-diplomatie.yaml"
    (project.briefings_dir / "kopie.yaml").write_bytes(src.read_bytes())
    lines = errors_of(project)
    assert any("kopie.yaml" in line and "does not match the file name" in line for line in lines)


def test_quote_not_in_source_is_a_warning(project: Project) -> None:
    path = project.briefings_dir / "mearsheimer-diplomatie.yaml"
    text = path.read_text(encoding="utf-8")
    first_quote = text.split("- text: ", 1)[1].split("\n", 1)[0]
    path.write_text(text.replace(first_quote, "'Das hat niemand gesagt.'"), encoding="utf-8")
    report = check(project)
    codes = {(p.code, p.field) for p in report.warnings}
    assert ("quote-not-verbatim", "quotes[0].text") in codes
    assert ("missing-translation", "quotes[0].text") in codes  # the new German has no English
    # The old reviewed entry is a unit of the project memory now, reused by look-ups.
    assert not any(p.code == "unused-translation" for p in report.problems)
    assert report.errors == []


def test_find_project_searches_upward(project: Project) -> None:
    assert find_project(project.briefings_dir / "packs").root == project.root.resolve()
