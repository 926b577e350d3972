"""The HTML pack's font subsets: cached by content, failing soft."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.output import fonts
from briefpack.output.theme import PACKAGED
from tests.support import DEMO_PACK, copy_project

FONT = (PACKAGED / "assets" / "fonts" / "Inter-Regular.otf").read_bytes()
CHARS = set("Sicherheitsgarantien für die Ukraine, 16. Dezember 2025")


def no_subsetting(data: bytes, chars: set[str]) -> bytes:
    raise AssertionError("subset again: the cache missed")


def test_a_subset_is_made_once_and_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fonts.subset_font(FONT, CHARS, tmp_path)
    assert first.startswith(b"wOF2") and len(first) < len(FONT) // 4
    assert [p.suffix for p in tmp_path.iterdir()] == [".woff2"]
    monkeypatch.setattr(fonts, "_subset", no_subsetting)
    assert fonts.subset_font(FONT, CHARS, tmp_path) == first


def test_other_characters_or_another_font_are_other_entries(tmp_path: Path) -> None:
    fonts.subset_font(FONT, CHARS, tmp_path)
    fonts.subset_font(FONT, CHARS | {"ß"}, tmp_path)
    fonts.subset_font(FONT + b"\0", CHARS, tmp_path)  # other bytes: another key
    assert len(list(tmp_path.glob("*.woff2"))) == 3


def test_a_damaged_entry_is_a_miss_and_is_replaced(tmp_path: Path) -> None:
    good = fonts.subset_font(FONT, CHARS, tmp_path)
    (entry,) = tmp_path.glob("*.woff2")
    entry.write_bytes(b"garbage")
    assert fonts.subset_font(FONT, CHARS, tmp_path) == good
    assert entry.read_bytes() == good


def test_a_cache_that_cannot_be_written_costs_nothing_but_time(tmp_path: Path) -> None:
    blocked = tmp_path / "fonts"
    blocked.write_text("a file where the cache folder should be")
    assert fonts.subset_font(FONT, CHARS, blocked) == fonts.subset_font(FONT, CHARS, None)
    assert blocked.read_text() == "a file where the cache folder should be"


def test_the_cache_keeps_the_most_recently_used_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "MAX_ENTRIES", 2)
    for extra in "qxy":  # three characters CHARS does not hold
        fonts.subset_font(FONT, CHARS | {extra}, tmp_path)
    assert len(list(tmp_path.glob("*.woff2"))) == 2


@pytest.mark.slow
def test_an_unchanged_html_rebuild_with_force_subsets_no_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "p")
    args = ["build", "--project", str(root), "--format", "html", "--jobs", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    html = (root / "out" / f"{DEMO_PACK}.html").read_bytes()
    assert len(list(fonts.cache_folder(root).glob("*.woff2"))) == 8
    monkeypatch.setattr(fonts, "_subset", no_subsetting)
    result = CliRunner().invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.output
    assert "built" in result.output
    assert (root / "out" / f"{DEMO_PACK}.html").read_bytes() == html
