"""`check` reads the project memory's files (memory/*.tmx): a broken one is a located error.

A build reads memory/ only when a segment needs a match; without `check` looking, a
corrupt file would first surface there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefpack.commands.check import check
from briefpack.errors import ExitCode, InputError
from briefpack.translation.exchange.tmx import TmxUnit, write_tmx
from briefpack.util.paths import Project
from tests.support import cli_in, copy_project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = copy_project(tmp_path / "p")
    (root / "memory").mkdir()
    units = [TmxUnit(f"Satz {i} über die Lage.", f"Sentence {i}.", "reviewed") for i in range(500)]
    (root / "memory" / "org.tmx").write_bytes(write_tmx(units))
    return Project(root)


def test_a_readable_memory_passes_and_is_indexed(project: Project) -> None:
    assert check(project).problems == []
    assert (project.root / ".briefpack-cache" / "memory-index.sqlite").is_file()
    code, out, err = cli_in(project.root, "check", "--strict")
    assert (code, out.strip()) == (0, "ok: no errors"), err


def test_a_truncated_memory_file_is_a_located_error(project: Project) -> None:
    assert check(project).problems == []  # indexed as it was
    path = project.root / "memory" / "org.tmx"
    data = path.read_bytes()
    # Cut after a whole unit halfway through: where exactly depends on the header's length
    # (briefpack's version string), so the cut is placed by content, not by byte count.
    cut = data.index(b"</tu>", len(data) // 2) + len(b"</tu>")
    path.write_bytes(data[:cut])
    (problem,) = check(project).errors
    assert problem.file == "memory/org.tmx"
    assert problem.line == data[:cut].count(b"\n") + 1
    assert "Premature end of data" in problem.message
    code, _, err = cli_in(project.root, "check")
    assert code == ExitCode.INVALID_INPUT
    assert f"error: memory/org.tmx:{problem.line}:" in err and "Traceback" not in err


def test_memory_errors_are_listed_with_the_other_files(project: Project) -> None:
    (project.root / "memory" / "bad.tmx").write_text("<tmx><body><tu>", encoding="utf-8")
    briefing = project.briefings_dir / "mearsheimer-diplomatie.yaml"
    briefing.write_text(briefing.read_text(encoding="utf-8") + "\nunknown_key: 1\n")
    with pytest.raises(InputError, match=r"^2 problem\(s\) in the project's input files$") as info:
        check(project)
    files = [p.file for p in info.value.problems]
    assert files == ["briefings/mearsheimer-diplomatie.yaml", "memory/bad.tmx"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (  # entities, however few, are refused: their text would vanish
            '<!DOCTYPE tmx [<!ENTITY a "x"><!ENTITY b "&a;&a;&a;">]>\n<tmx><body><tu><tuv '
            'xml:lang="de"><seg>&b;</seg></tuv></tu></body></tmx>',
            "entity a, b",
        ),
        (
            "<tmx>\n<body>\n<tu>\u00ff</tu>\n</body>\n</tmx>".encode("latin-1"),
            "Invalid bytes in character encoding",
        ),
        ("", "no element found"),
    ],
)
def test_hostile_memory_files_are_errors_not_crashes(
    project: Project, content: str | bytes, expected: str
) -> None:
    path = project.root / "memory" / "x.tmx"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    (problem,) = check(project).errors
    assert problem.file == "memory/x.tmx" and expected in problem.message


def test_a_memory_file_that_is_a_fifo_or_a_folder_is_an_error(project: Project) -> None:
    os.mkfifo(project.root / "memory" / "pipe.tmx")  # no writer: must not hang
    (project.root / "memory" / "folder.tmx").mkdir()
    found = {p.file: p.message for p in check(project).errors}
    assert found == {
        "memory/folder.tmx": "cannot read (is a folder)",
        "memory/pipe.tmx": "cannot read (not a regular file)",
    }
