"""The one text-validity gate (util.text.text_problem) at every boundary where text enters.

An escaped "\\x01", "\\e", "\\0", U+FFFE or a lone surrogate in a briefing once passed `check`,
then `build --format docx` crashed with a traceback: `check` and `build` refuse them at
file:line:column, exit 3, and write nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefpack.errors import ExitCode, InputError
from briefpack.util.text import checked_text, text_problem, text_problem_at
from tests.support import cli_in, copy_project
from tests.util.test_write_guard import B, T, inputs


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


_cli = cli_in


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a\x01b", "U+0001"),
        ("Kaja\x1bKallas", "U+001B"),
        ("\x00", "U+0000"),
        ("a\ufffeb", "U+FFFE"),
        ("a\ud800b", "U+D800"),
        ("a\x7fb", "U+007F"),
        ("mojibake \x84", "U+0084"),
    ],
)
def test_text_problem_names_the_character(text: str, code: str) -> None:
    reason = text_problem(text)
    assert reason is not None and code in reason
    with pytest.raises(InputError, match=re.escape(code)):
        checked_text(text, "somewhere")


def test_text_problem_lets_real_text_through() -> None:
    for text in ("Grüße\tund\r\n", "😀 CO₂ m²", "\u00a0\u2009", "\U0010fffd", "\ue000"):
        assert text_problem(text) is None
    assert text_problem_at("abc\x01") == (3, text_problem("abc\x01"))
    assert checked_text("Mu\u0308nchen", "x") == "München"  # NFC is made, not refused


ESCAPES = ["\\x01", "\\e", "\\0", "\\uFFFE", "\\ud800"]


def _break(root: Path, rel: str, old: str, escape: str) -> int:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    start = text.index(old)
    path.write_text(text.replace(old, old[:-1] + escape + '"', 1), encoding="utf-8")
    return text.count("\n", 0, start) + 1


@pytest.mark.parametrize("escape", ESCAPES)
@pytest.mark.parametrize("command", [("check",), ("build", "--format", "docx")])
def test_escaped_forbidden_characters_in_a_briefing(
    root: Path, escape: str, command: tuple[str, ...]
) -> None:
    line = _break(root, B, 'speaker: "Kaja Kallas"', escape)
    before = inputs(root)
    code, _, err = _cli(root, *command)
    assert code == ExitCode.INVALID_INPUT, err
    assert f"{B}:{line}:" in err and "is not allowed in text" in err, err
    assert "Traceback" not in err
    assert inputs(root) == before
    assert not list(root.glob("out/*.docx"))


@pytest.mark.parametrize("escape", ["\\0", "\\ud800"])
def test_escaped_forbidden_characters_in_the_translation_memory(root: Path, escape: str) -> None:
    text = (root / T).read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.strip().startswith("en:"))
    value = first.split("en:", 1)[1].strip()
    new = first.replace(value, '"Bad' + escape + 'text"')
    (root / T).write_text(text.replace(first, new, 1), encoding="utf-8")
    code, _, err = _cli(root, "check")
    assert code == ExitCode.INVALID_INPUT, err
    assert f"{T}:" in err and "is not allowed in text" in err, err


def test_a_raw_control_character_in_a_seed_is_located(root: Path) -> None:
    seed = next((root / "seeds").glob("*mearsheimer*"))
    text = seed.read_text(encoding="utf-8")
    at = text.index(" ")
    line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 2
    seed.write_text(text.replace(" ", " \x1b", 1), encoding="utf-8")
    code, _, err = _cli(root, "check")
    assert code == ExitCode.INVALID_INPUT, err
    assert f"seeds/{seed.name}:{line}:{column}: " in err and "U+001B" in err, err


@pytest.mark.parametrize("arg", ["Kontroll\x01zeichen", "a\x1bb"])
def test_command_line_arguments_pass_the_gate(root: Path, arg: str) -> None:
    before = inputs(root)
    code, _, err = _cli(root, "glossary", "add", arg, "control")
    assert code == ExitCode.USAGE, err
    assert err.startswith("error: argument de: character U+00"), err
    assert inputs(root) == before
