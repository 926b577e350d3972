"""A short pack is laid out compactly: no page holds only a few lines.

A pack of one source of the demo's length once took 7 pages, two of them holding five and
four lines (the contents, the executive summary). The PDF is read back with pdftotext, page
by page: every page but the cover holds at least a third of the text of the fullest one.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from briefpack.commands.build import BuildRequest, build
from briefpack.util.paths import Project
from tests.support import DEMO_PACK, copy_project, require_tool

pytestmark = pytest.mark.slow


def pages_text(pdf: Path) -> list[str]:
    """Return the text of each page of `pdf` (pdftotext separates pages by form feeds)."""
    pdftotext = require_tool("pdftotext", "poppler-utils")
    out = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, check=True, text=True)
    return out.stdout.split("\f")[:-1]


def one_source_pack(root: Path, briefing: str, *, sentences: int | None = None) -> str:
    """Add a pack of the demo pack's framing and one briefing; return its name."""
    demo = (root / "briefings" / "packs" / f"{DEMO_PACK}.yaml").read_text(encoding="utf-8")
    head, _ = demo.split("briefings:\n")
    if sentences is not None:  # a shorter executive summary: its first sentences
        intro, summary = head.split("executive_summary: >-\n")
        head = intro + "executive_summary: >-\n" + "".join(summary.splitlines(True)[:sentences])
    name = f"one-{briefing}"
    text = f"{head}briefings:\n  - {briefing}\n"
    (root / "briefings" / "packs" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return name


@pytest.mark.parametrize(
    ("briefing", "sentences"), [("washington-ohnmacht", None), ("washington-ohnmacht", 3)]
)
def test_one_source_pack_has_no_short_page(
    tmp_path: Path, briefing: str, sentences: int | None
) -> None:
    root = copy_project(tmp_path / "p")
    name = one_source_pack(root, briefing, sentences=sentences)
    build(Project(root), BuildRequest(packs=(name,)))
    pages = pages_text(root / "out" / f"{name}.pdf")
    size = [len("".join(page.split())) for page in pages]
    body = size[1:]  # the cover is a page of its own by design
    assert min(body) >= max(body) / 3, size
    assert len(pages) <= 5, size
    # The contents and the executive summary share a page.
    assert "Contents" in pages[1] and "Executive summary" in pages[1].split("Colophon", 1)[1]


def test_the_demo_keeps_a_page_for_each_part(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    build(Project(root), BuildRequest(packs=(DEMO_PACK,)))
    pages = pages_text(root / "out" / f"{DEMO_PACK}.pdf")
    assert "Contents" in pages[1] and "Executive summary" in pages[2]
    assert pages[-1].lstrip().startswith(("Quellenverzeichnis", "List of sources")), pages[-1]
