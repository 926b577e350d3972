"""The demo's PDFs checked by an independent validator: PDF/UA-1 and PDF/A-3b, no rule failing.

`page` (PyPI `page-validation`, MIT) is a PDF/A and PDF/UA checker that passes veraPDF's
test corpus; it shares no code with WeasyPrint or briefpack.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from tests.support import copy_project

PACK = "ukraine-sicherheitsgarantien.pdf"


def _build(tmp_path: Path, variant: str) -> Path:
    root = copy_project(tmp_path / "demo")
    out = tmp_path / "out"
    args = ["build", "--pdf-variant", variant, "-o", str(out), "-p", str(root)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out / PACK


@pytest.mark.slow
@pytest.mark.parametrize(("variant", "profile"), [("ua-1", "ua1"), ("a-3b", "3b")])
def test_the_demo_pdf_conforms(tmp_path: Path, variant: str, profile: str) -> None:
    import page

    report = page.validate_pdf(_build(tmp_path, variant), profile=profile)
    failures = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert report.is_compliant, failures[:10]


@pytest.mark.slow
def test_links_are_described_by_their_text(tmp_path: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(_build(tmp_path, "ua-1"))
    contents = [
        str(annot.get_object().get("/Contents"))
        for pdf_page in reader.pages
        for annot in pdf_page.get("/Annots") or []
    ]
    assert "Zusammenfassung / Executive summary" in contents
    assert not [c for c in contents if c.startswith("#")], contents
