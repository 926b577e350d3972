"""End-to-end: build the demo pack and read the PDF back with a real PDF reader."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefpack.commands.build import BuildRequest, build
from briefpack.output.view import english_for
from briefpack.source.fields import briefing_fields
from briefpack.source.load import load_content
from briefpack.source.segment import segment_key
from briefpack.util.paths import Project
from tests.support import DEMO_PACK, REPO, copy_project, snapshot, squash

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path, object]:
    root = copy_project(tmp_path_factory.mktemp("demo") / "p")
    project = Project(root)
    before = snapshot(root / "translations")
    report = build(project)
    assert snapshot(root / "translations") == before, "a build with all translations wrote TM"
    return project, root / "out" / f"{DEMO_PACK}.pdf", report


def test_build_writes_one_pdf_without_renderer_warnings(built) -> None:  # type: ignore[no-untyped-def]
    _, pdf, report = built
    assert [p.path for p in report.packs] == [pdf]
    assert report.findings == [], [str(w) for w in report.findings]
    # The PDF and the build manifest, no temp files left behind.
    assert sorted(p.name for p in pdf.parent.iterdir()) == [".briefpack-manifest.json", pdf.name]


def test_pdf_has_every_title_and_summary_in_both_languages(built) -> None:  # type: ignore[no-untyped-def]
    project, pdf, _ = built
    reader = PdfReader(pdf)
    text = squash("\n".join(page.extract_text() or "" for page in reader.pages))
    content = load_content(project)
    for b in content.briefings.values():
        title_en = content.memory.lookup(segment_key(b.model.title))
        assert title_en is not None
        assert squash(b.model.title) in text, b.model.id
        assert squash(title_en.en) in text, b.model.id
        assert squash(b.model.summary) in text, f"German summary of {b.model.id}"
        summary = next(f for f in briefing_fields(b.model) if f.field == "summary")
        assert squash(english_for(summary, content.memory).text) in text, (
            f"English summary of {b.model.id}"
        )


def test_pdf_structure(built) -> None:  # type: ignore[no-untyped-def]
    project, pdf, report = built
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    assert report.packs[0].pages == pages
    assert 8 <= pages <= 40
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    content = load_content(project)
    for b in content.briefings.values():
        assert titles.count(b.model.title) == 1, (b.model.title, titles)
    meta = reader.metadata
    assert meta is not None
    assert "Ukraine" in (meta.title or "")
    assert meta.get("/Keywords")
    assert reader.trailer["/Root"].get("/Lang") == "en"
    footer = reader.pages[3].extract_text() or ""
    assert f"Page 4 of {pages}" in footer


def test_rebuild_is_byte_identical(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A build into a fresh folder gives the same bytes: builds are deterministic."""
    project, pdf, _ = built
    build(project, BuildRequest(out=tmp_path))
    assert (tmp_path / pdf.name).read_bytes() == pdf.read_bytes()


def test_console_build_is_byte_identical(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`briefpack build` in its own process gives the same bytes as `build()` here.

    There (on two cores or more) the fork server starts before the CLI's imports and the one
    pack renders in a worker forked from it, with the hyphenation dictionaries it preloaded
    (output.workers); here it renders in this process.
    """
    project, pdf, _ = built
    result = subprocess.run(
        [sys.executable, "-m", "briefpack", "build", "--force", "--output", str(tmp_path)],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no word from the fork server, its workers or their tracker
    assert result.stdout.startswith(f"built {tmp_path / pdf.name} (")
    assert (tmp_path / pdf.name).read_bytes() == pdf.read_bytes()
