"""A summary written as README and `new` say (a blank line between paragraphs, under `>-`)
keeps its paragraphs: YAML folding turns that blank line into one line
break, which briefpack used to run together with the text around it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.source.segment import segment_field
from briefpack.util.yamlio import parse_yaml
from tests.support import copy_project

runner = CliRunner()

FOLDED = """\
summary: >-
  Erster Absatz, der über
  zwei Zeilen geht.

  Zweiter Absatz.
literal: |
  Eine Zeile
  und noch eine.

  Neuer Absatz.
plain: Ein Absatz
  geht weiter.

  Und der zweite.
quoted: "Zeile\\nZeile"
"""


def test_folding_keeps_paragraph_breaks() -> None:
    data = parse_yaml(FOLDED, path=Path("x.yaml"), display="x.yaml").data
    assert data["summary"] == "Erster Absatz, der über zwei Zeilen geht.\n\nZweiter Absatz."
    assert data["plain"] == "Ein Absatz geht weiter.\n\nUnd der zweite."
    assert data["literal"] == "Eine Zeile\nund noch eine.\n\nNeuer Absatz.\n"  # as written
    assert data["quoted"] == "Zeile\nZeile"  # an escape is taken as written
    for key in ("summary", "literal", "plain"):
        assert len(segment_field("b", key, data[key]).paragraphs) == 2, key


@pytest.mark.slow
def test_a_two_paragraph_summary_renders_two_paragraphs(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    path = root / "briefings" / "mearsheimer-diplomatie.yaml"
    text = path.read_text(encoding="utf-8")
    body = re.search(r"summary: >-\n((?:  .*\n)+)", text)
    assert body is not None
    lines = body.group(1).splitlines(keepends=True)
    # Find a sentence end inside the summary and put a blank line after it.
    at = next(i for i, line in enumerate(lines[:-1]) if line.rstrip().endswith("."))
    split = "".join(lines[: at + 1]) + "\n" + "".join(lines[at + 1 :])
    path.write_text(text.replace(body.group(1), split), encoding="utf-8")
    old = Path.cwd()
    os.chdir(root)
    try:
        res = runner.invoke(app, ["build", "--format", "html"])
    finally:
        os.chdir(old)
    assert res.exit_code == 0, res.output
    html = next((root / "out").glob("*.html")).read_text(encoding="utf-8")
    first = lines[at].split()[-1]  # the last word of the first paragraph
    assert re.search(re.escape(first) + r"\s*</p>", html), first
