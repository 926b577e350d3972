"""`glossary scan -` is bounded like a file and its matching stays linear.

A file over 8 MiB was refused while 9 MiB on stdin was read whole; one 1 MB paragraph of
repeated terms took 50 s (every match was compared with every match taken before it).
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.errors import ExitCode
from tests.support import copy_project

runner = CliRunner()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def _scan(root: Path, data: bytes, *args: str) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(root)
    try:
        res = runner.invoke(app, ["glossary", "scan", "-", *args], input=data)
    finally:
        os.chdir(old)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.stdout, res.stderr


def test_stdin_over_the_limit_is_refused(root: Path) -> None:
    code, out, err = _scan(root, b"a" * (9 * 1024 * 1024))
    assert code == ExitCode.INVALID_INPUT, err
    assert err == "error: standard input: text holds more than the limit of 8,388,608 bytes\n"
    assert out == ""


def test_stdin_passes_the_text_gate(root: Path) -> None:
    code, _, err = _scan(root, b"Die Sicherheitsgarantie\x00 gilt.")
    assert code == ExitCode.INVALID_INPUT, err
    assert "standard input:1:24: character U+0000" in err and "Traceback" not in err
    code, _, err = _scan(root, b"Die \xff Sicherheitsgarantie")
    assert code == ExitCode.INVALID_INPUT and "not valid UTF-8" in err, err


@pytest.mark.slow  # 40,000 matches in one paragraph
def test_a_long_paragraph_of_repeated_terms_is_matched_whole(root: Path) -> None:
    # 20,000 matches in one paragraph: quadratic resolution took minutes here.
    text = "Der Bundestag und der Kreml. " * 20_000
    code, out, err = _scan(root, text.encode(), "--json")
    assert code == 0, err
    hits = json.loads(out)
    surfaces = {h["surface"] for h in hits}
    assert surfaces == {"Bundestag", "Kreml"}
    assert len(hits) == 40_000
    starts = [h["start"] for h in hits]
    assert starts == sorted(starts)
    assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(hits))
