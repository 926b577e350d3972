"""The house style on the page: kicker, organisation, letterhead and colours in every format.

The kicker and organisation come from briefpack.yaml (or the pack), the letterhead is
embedded (a `data:` URL in the HTML and the PDF, a picture in the DOCX), the colours
override the theme's custom properties. Nothing is fetched; the packaged template is not
forked.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image

from briefpack.commands.build import BuildRequest, build, render_pack_html
from briefpack.util.paths import Project
from tests.support import DEMO_PACK, copy_project, require_tool, squash

SETTINGS = """\
organisation: "Referat 204 – Sicherheitspolitik"
kicker:
  de: Wochenlage
  en: Weekly situation report
letterhead: templates/letterhead.png
colours:
  accent: "#5a2d82"
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "p")
    (root / "templates").mkdir(exist_ok=True)
    image = io.BytesIO()
    Image.new("RGB", (300, 80), (200, 30, 30)).save(image, "PNG")
    (root / "templates" / "letterhead.png").write_bytes(image.getvalue())
    (root / "briefpack.yaml").write_text(SETTINGS, encoding="utf-8")
    return root


def test_the_cover_shows_the_house_style(root: Path) -> None:
    page = lxml_html.fromstring(render_pack_html(Project(root), DEMO_PACK))
    [kicker] = page.find_class("kicker")
    assert kicker.text_content() == "Wochenlage · Weekly situation report"
    [organisation] = page.find_class("organisation")
    assert organisation.text_content() == "Referat 204 – Sicherheitspolitik"
    [image] = page.find_class("letterhead")
    assert image.get("src").startswith("data:image/png;base64,")
    assert image.get("alt") == "Referat 204 – Sicherheitspolitik"
    styles = [s.text_content() for s in page.iter("style")]
    assert any("--accent: #5a2d82;" in s for s in styles)


def test_a_pack_overrides_the_kicker(root: Path) -> None:
    path = root / "briefings" / "packs" / f"{DEMO_PACK}.yaml"
    text = path.read_text(encoding="utf-8") + "kicker: {de: Sonderlage, en: Special report}\n"
    path.write_text(text, encoding="utf-8")
    page = lxml_html.fromstring(render_pack_html(Project(root), DEMO_PACK))
    [kicker] = page.find_class("kicker")
    assert kicker.text_content() == "Sonderlage · Special report"


def test_without_a_project_file_the_cover_is_the_theme_s(tmp_path: Path) -> None:
    page = lxml_html.fromstring(render_pack_html(Project(copy_project(tmp_path)), DEMO_PACK))
    [kicker] = page.find_class("kicker")
    assert kicker.text_content() == "Lagebild · Briefing pack"
    assert not page.find_class("organisation") and not page.find_class("letterhead")


@pytest.mark.slow
def test_every_format_carries_the_house_style(root: Path) -> None:
    build(Project(root), BuildRequest(formats=("pdf", "html", "docx")))
    out = root / "out"
    pdftotext = require_tool("pdftotext", "poppler-utils")
    pdf = out / f"{DEMO_PACK}.pdf"
    first = subprocess.run(
        [pdftotext, "-l", "1", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    # The kicker is set in letter-spaced capitals: pdftotext sees spaces between letters.
    assert squash("WOCHENLAGE · WEEKLY SITUATION REPORT") in squash(first)
    assert "Referat 204 – Sicherheitspolitik" in first
    pdfimages = require_tool("pdfimages", "poppler-utils")
    listed = subprocess.run(
        [pdfimages, "-f", "1", "-l", "1", "-list", str(pdf)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert " 300    80 " in listed  # the letterhead, embedded at its own size
    import page  # veraPDF's rules: the letterhead is a figure with its alternate text

    report = page.validate_pdf(pdf, profile="ua1")
    assert report.is_compliant, [f"{f.rule_id}: {f.message}" for f in report.failures][:10]
    page = (out / f"{DEMO_PACK}.html").read_text(encoding="utf-8")
    assert 'class="letterhead" src="data:image/png;base64,' in page
    with zipfile.ZipFile(out / f"{DEMO_PACK}.docx") as docx:
        names = docx.namelist()
        body = docx.read("word/document.xml").decode("utf-8")
        styles = docx.read("word/styles.xml").decode("utf-8")
    assert any(n.startswith("word/media/") and n.endswith(".png") for n in names)
    assert "Wochenlage" in body and "Weekly situation report" in body
    assert 'descr="Referat 204 – Sicherheitspolitik"' in body  # the picture's alt text
    assert "5A2D82" in styles  # the accent colours the headings
