"""The demo as PDF, DOCX and HTML, in parallel: real readers, LibreOffice, the draft marking."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefpack.commands.build import build
from briefpack.source.load import load_content
from briefpack.util.paths import Project
from briefpack.util.request import BuildRequest
from tests.support import DEMO_PACK, copy_project, require_tool, squash

pytestmark = pytest.mark.slow

FORMATS = ("pdf", "docx", "html")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = copy_project(tmp_path_factory.mktemp("formats") / "p")
    pack = (root / "briefings" / "packs" / f"{DEMO_PACK}.yaml").read_text(encoding="utf-8")
    (root / "briefings" / "packs" / "kurz.yaml").write_text(
        pack.split("briefings:")[0] + "briefings:\n  - washington-ohnmacht\n", encoding="utf-8"
    )
    return Project(root)


@pytest.fixture(scope="module")
def parallel(demo: Project) -> Path:
    out = demo.root / "out-j2"
    report = build(demo, BuildRequest(formats=FORMATS, jobs=2, out=out))
    assert [p.status for p in report.packs] == ["built", "built"]
    assert not report.findings, report.findings
    return out


def test_jobs_output_is_byte_identical_to_one_job(demo: Project, parallel: Path) -> None:
    serial = demo.root / "out-j1"
    build(demo, BuildRequest(formats=FORMATS, jobs=1, out=serial))
    names = sorted(p.name for p in parallel.iterdir())
    assert names == sorted(
        [".briefpack-manifest.json"] + [f"{p}.{f}" for p in ("kurz", DEMO_PACK) for f in FORMATS]
    )
    assert sorted(p.name for p in serial.iterdir()) == names
    for name in names:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name


def test_docx_has_every_source_in_german_and_english(demo: Project, parallel: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(parallel / f"{DEMO_PACK}.docx"))
    langs: dict[str, str] = {}
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for run in p.runs:
                        el = run._r.find(qn("w:rPr") + "/" + qn("w:lang"))
                        if el is not None and run.text.strip():
                            langs[run.text.strip()] = el.get(qn("w:val"))
    styles = {p.style.name for p in document.paragraphs if p.style is not None}
    assert {"Title", "Heading 1", "Heading 2", "Subtitle"} <= styles
    body = document.element.body.xml
    assert "TOC \\o" in body  # the table-of-contents field
    content = load_content(demo)
    for b in content.briefings.values():
        assert langs.get(b.model.summary.split("\n\n")[0].strip()) == "de-DE", b.model.id
        titles = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert b.model.title in titles
    english = [t for t, lang in langs.items() if lang == "en-GB"]
    assert len(english) > 100
    assert document.core_properties.title.startswith("Ukraine")


def test_docx_opens_in_libreoffice_with_both_languages(
    demo: Project, parallel: Path, tmp_path: Path
) -> None:
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(parallel / f"{DEMO_PACK}.docx"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    pdf = tmp_path / f"{DEMO_PACK}.pdf"
    assert pdf.is_file(), result.stderr
    text = squash("".join(page.extract_text() or "" for page in PdfReader(pdf).pages))
    content = load_content(demo)
    from briefpack.output.view import english_for

    pack = content.packs[DEMO_PACK]
    fields = content.fields_of([pack])

    # The table columns share lines in the extracted text: compare the words a cell line
    # starts with (titles are full-width headings and compared whole).
    def start(value: str) -> str:
        return squash(" ".join(value.split()[:3]))

    for bid in pack.model.briefings:
        b = content.briefings[bid].model
        assert squash(b.title) in text, bid
        assert start(b.summary) in text, bid
        assert start(b.key_points[0]) in text, bid
        summary = next(f for f in fields[bid] if f.field == "summary")
        assert start(english_for(summary, content.memory).text) in text, bid


def test_draft_pdf_is_marked_on_every_page(demo: Project, parallel: Path) -> None:
    report = build(demo, BuildRequest(packs=(DEMO_PACK,), draft=True, out=parallel))
    path = report.packs[0].outputs[0].path
    assert path.name == f"{DEMO_PACK}.draft.pdf"
    reader = PdfReader(path)
    assert len(reader.pages) > 8
    for number, page in enumerate(reader.pages, 1):
        assert "DRAFT/ENTWURF" in squash(page.extract_text() or ""), f"page {number}"
    assert (reader.metadata.title or "").startswith("DRAFT / ENTWURF")
    final = PdfReader(parallel / f"{DEMO_PACK}.pdf")
    assert not any("ENTWURF" in (p.extract_text() or "") for p in final.pages)
    assert "DRAFT/ENTWURF" in squash(reader.pages[0].extract_text() or "")  # the cover
