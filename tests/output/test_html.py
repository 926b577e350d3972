"""HTML rendering: overlong words, screen-only CSS, landmarks (and the PDF of a long word)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.commands.build import render_pack_html
from briefpack.commands.scaffold import init_project
from briefpack.output.html import BREAK_EVERY, LONG_WORD, breakable, glue, screen_css
from briefpack.output.theme import PACKAGED
from briefpack.util.paths import Project
from briefpack.util.request import BuildRequest
from tests.support import require_tool

WORD = ("Wärmeplanungsgesetz" * 600)[:10_000]


def test_a_real_word_is_left_alone() -> None:
    longest = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz"  # 63 letters
    assert len(longest) > LONG_WORD - 10
    assert breakable(longest[:LONG_WORD]) == longest[:LONG_WORD]
    assert breakable("a < b & c") == "a &lt; b &amp; c"


def test_an_overlong_word_gets_a_break_opportunity_every_few_characters() -> None:
    html = str(breakable(f"<i> {WORD} & mehr"))
    assert html.startswith("&lt;i&gt; ") and html.endswith(" &amp; mehr")
    pieces = html[len("&lt;i&gt; ") : -len(" &amp; mehr")].split("<wbr>")
    assert "".join(pieces) == WORD  # the text itself is unchanged
    assert {len(p) for p in pieces[:-1]} == {BREAK_EVERY}


def test_glue_breaks_overlong_words_and_keeps_its_no_break_spaces() -> None:
    html = str(glue(f"am 16. Dezember 2025 {'x' * 100}"))
    assert html.startswith("am 16.&#160;Dezember 2025 ")
    assert html.count("<wbr>") == 3


def test_the_html_pack_gets_the_stylesheet_without_its_print_only_rules() -> None:
    css = (PACKAGED / "style.css").read_text(encoding="utf-8")
    assert "@page" in css and "@media print" in css and "string-set" in css
    screen = screen_css(css)
    for printed in ("@page", "@media print", "string-set", "bookmark-level", "string(running)"):
        assert printed not in screen, printed
    assert "@media screen" in screen and "@font-face" in screen
    assert screen_css(screen) == screen
    # What is kept is kept character for character.
    kept = [line for line in css.splitlines() if line in screen.splitlines()]
    assert len(kept) > 0.8 * len(css.splitlines())


def test_every_part_of_the_page_is_in_a_landmark(tmp_path: Path) -> None:
    """The cover is the banner, the contents are the navigation, the rest is <main>."""
    init_project(tmp_path)  # the example project
    html = render_pack_html(Project(tmp_path), "beispiel", BuildRequest(draft=True))
    body = lxml_html.fromstring(html).find("body")
    assert [child.tag for child in body] == ["aside", "header", "nav", "main"]
    assert body.find("header").get("class") == "cover"
    assert body.find("nav").get("class") == "contents"
    main = body.find("main")
    assert [s.get("id") for s in main][:1] == ["executive"]
    assert main[-1].get("id") == "colophon"
    assert not (body.text or "").strip() and all(not (c.tail or "").strip() for c in body)


@pytest.mark.slow
def test_a_pack_with_a_10000_character_word_builds_and_shows_it_whole(tmp_path: Path) -> None:
    """Before, 2,000 characters took 12 s and 4,000 took 54 s (hyphenation, per line)."""
    pdftotext = require_tool("pdftotext", "poppler-utils")
    root = tmp_path / "p"
    init_project(root)
    briefing = root / "briefings" / "beispielstadt-waermeplanung.yaml"
    text = briefing.read_text(encoding="utf-8")
    assert "Der Entwurf ist ehrgeizig und" in text, "the example changed; update this test"
    briefing.write_text(text.replace("ehrgeizig", WORD), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--draft", "--project", str(root)])
    assert result.exit_code == 0, result.output
    pdf = root / "out" / "beispiel.draft.pdf"
    # The German column of the page bodies (A4 at 72 dpi: no running heads, no English).
    column = ["-r", "72", "-x", "40", "-y", "62", "-W", "258", "-H", "725"]
    out = subprocess.run([pdftotext, *column, str(pdf), "-"], capture_output=True, check=True)
    german = re.sub(r"[\s\-\u00ad\u2010\u2011\u200b]+", "", out.stdout.decode("utf-8"))
    assert f"DerEntwurfist{WORD}undklargegliedert" in german.replace("DEUTSCH", "")
