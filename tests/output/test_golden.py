"""Golden HTML snapshot of one source's section. Regenerate with `./dev golden`."""

from __future__ import annotations

import os
import re
from pathlib import Path

from briefpack.commands.build import render_pack_html
from briefpack.util.paths import Project
from tests.support import DEMO_PACK, REPO, copy_project

GOLDEN = REPO / "tests" / "golden" / "source-mearsheimer-diplomatie.html"


def source_section(html: str, briefing_id: str) -> str:
    match = re.search(
        rf'<section class="source" id="src-{briefing_id}">.*?</section>\n', html, re.S
    )
    assert match, f"no section for {briefing_id}"
    return match.group(0)


def test_source_section_matches_golden(tmp_path: Path) -> None:
    html = render_pack_html(Project(copy_project(tmp_path / "p")), DEMO_PACK)
    section = source_section(html, "mearsheimer-diplomatie")
    if os.environ.get("BRIEFPACK_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(section, encoding="utf-8")
    assert section == GOLDEN.read_text(encoding="utf-8"), (
        "HTML changed; if intended, regenerate with ./dev golden and review the diff"
    )
