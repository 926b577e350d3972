"""The demo's HTML and DOCX read by independent tools: pandoc, the W3C Nu checker, axe-core.

The tools come from Debian (pandoc, Java, Chromium) and npm (`vnu-jar`, `axe-core`, installed
into .cache/conformance by `./dev setup`). Without them a test skips locally and fails under
CI, like the workflow lint.

The HTML must pass the W3C Nu checker with no error (the print-only CSS stays out of the
HTML) and axe-core with no violation (cover, contents and body in landmarks).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from tests.support import REPO, copy_project, require_tool

PACK = "ukraine-sicherheitsgarantien"
TOOLS = REPO / ".cache" / "conformance" / "node_modules"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = TOOLS / "axe-core" / "axe.min.js"


def _npm_tool(path: Path) -> Path:
    if path.is_file():
        return path
    message = f"{path} not found: ./dev setup installs it with npm"
    if os.environ.get("CI"):
        pytest.fail(f"CI must have it: {message}")
    pytest.skip(message)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("conformance")
    root = copy_project(tmp / "demo")
    out = tmp / "out"
    args = ["build", "--format", "html,docx", "-o", str(out), "-p", str(root)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_pandoc_reads_every_paragraph_of_the_docx(built: Path) -> None:
    import docx

    pandoc = require_tool("pandoc", "pandoc")
    path = built / f"{PACK}.docx"
    plain = subprocess.run(
        [pandoc, "-f", "docx", "-t", "plain", "--wrap=none", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        paragraphs += [p.text for row in table.rows for c in row.cells for p in c.paragraphs]
    wanted = [" ".join(p.split()) for p in paragraphs if p.strip()]
    text = " ".join(plain.split())
    assert len(wanted) > 100
    assert [p for p in wanted if p not in text] == []


@pytest.mark.slow
def test_the_w3c_nu_checker_finds_no_error_in_the_html(built: Path) -> None:
    java = require_tool("java", "default-jre-headless")
    vnu = _npm_tool(VNU)
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--format", "json", str(built / f"{PACK}.html")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    assert [f"{m.get('lastLine')}: {m['message']}" for m in messages] == []


@pytest.mark.slow
def test_axe_core_in_chromium_finds_no_violation(built: Path, tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromedriver = require_tool("chromedriver", "chromium-driver")
    require_tool("chromium", "chromium")
    axe = _npm_tool(AXE)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chrome'}")
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        driver.get((built / f"{PACK}.html").as_uri())
        driver.execute_script(axe.read_text(encoding="utf-8"))
        driver.set_script_timeout(120)
        violations = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document).then(r => done(r.violations.map("
            "v => v.id + ' (' + v.nodes.length + '): ' + v.help)));"
        )
    finally:
        driver.quit()
    assert violations == []
