"""`briefpack serve`: the preview and review page, driven in a real headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefpack.commands.serve import PreviewServer, start
from briefpack.source.load import load_content
from briefpack.source.memory import machine_entry
from briefpack.source.schema import Provenance
from briefpack.source.segment import Segment, segment_key
from briefpack.util.paths import find_project
from tests.exchange_support import MACHINE_FILE, entries, machine_project
from tests.support import require_tool

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[PreviewServer, Path]]:
    root = machine_project(tmp_path / "p")
    server = start(find_project(root), port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, root
    server.shutdown()


def _post(server: PreviewServer, data: object, token: str | None) -> tuple[int, dict[str, object]]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["X-Briefpack-Token"] = token
    req = urllib.request.Request(
        server.url + "api/approve", json.dumps(data).encode(), headers, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _get(server: PreviewServer, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(server.url + path, timeout=20) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _machine_key(root: Path) -> tuple[str, str]:
    content = load_content(find_project(root))
    for _path, e in content.memory.all_entries():
        if e.status == "machine":
            return segment_key(e.de), e.de
    raise AssertionError("no machine entry")


def test_writes_need_the_token_and_stay_in_the_project(
    served: tuple[PreviewServer, Path],
) -> None:
    server, root = served
    key, _de = _machine_key(root)
    before = (root / MACHINE_FILE).read_bytes()
    assert _post(server, {"key": key, "en": "x"}, None)[0] == 403
    assert _post(server, {"key": key, "en": "x"}, "wrong")[0] == 403
    assert _post(server, {"key": key}, server.token)[0] == 400
    assert (root / MACHINE_FILE).read_bytes() == before
    assert _get(server, "../glossary.yaml")[0] == 404
    assert _get(server, "%2e%2e/glossary.yaml")[0] == 404
    assert _get(server, "pack.html.j2")[0] == 404
    assert _get(server, "style.css")[0] == 200
    status, page = _get(server, "review")
    assert status == 200 and server.token.encode() in page
    assert b'<mark class="term"' in page and b"<script>alert" not in page


def test_concurrent_translate_and_glossary_add_lose_nothing(
    served: tuple[PreviewServer, Path],
) -> None:
    server, root = served
    key, de = _machine_key(root)
    # A `translate` run loaded the memory before the reviewer approved, saves after.
    running = load_content(find_project(root))
    status, data = _post(server, {"key": key, "en": "Approved <b>by</b> a person."}, server.token)
    assert status == 200, data
    other = next(e for e in entries(root).values() if e["status"] == "machine")
    s = Segment(segment_key(str(other["de"])), str(other["de"]), "washington-ohnmacht", "x", 0, 0)
    running.memory.put(s, machine_entry(s.text, "Fresh MT.", Provenance(engine="argos")))
    running.memory.put(
        Segment(key, de, "washington-ohnmacht", "x", 0, 0),
        machine_entry(de, "Stale MT.", Provenance(engine="argos")),
    )
    running.memory.save()
    after = entries(root)
    assert after[de] == {"de": de, "en": "Approved <b>by</b> a person.", "status": "reviewed"}
    assert after[str(other["de"])]["en"] == "Fresh MT."
    # A glossary edit alongside an approval: both land.
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    add = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "briefpack",
            "glossary",
            "add",
            "Testbegriff",
            "test term",
            "-p",
            str(root),
        ],
        env=env,
    )
    second = next(e for e in entries(root).values() if e["status"] == "machine")
    k2 = segment_key(str(second["de"]))
    assert _post(server, {"key": k2, "en": "Second approval."}, server.token)[0] == 200
    assert add.wait(timeout=60) == 0
    assert "Testbegriff" in (root / "glossary.yaml").read_text(encoding="utf-8")
    assert entries(root)[str(second["de"])]["status"] == "reviewed"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(predicate: Callable[[], object], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_serve_in_a_real_browser(tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    chromedriver = require_tool("chromedriver", "chromium-driver")
    require_tool("chromium", "chromium")

    def status_of(key: str) -> str | None:
        # The page reloads by itself when the memory file changes: an element found a
        # moment ago may be gone; that is "not yet", not a failure.
        try:
            row = driver.find_element(By.CSS_SELECTOR, f'tr[data-key="{key}"]')
            return row.get_attribute("data-status")
        except (StaleElementReferenceException, NoSuchElementException):
            return None

    root = machine_project(tmp_path / "p")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefpack", "serve", "--port", str(port), "-p", str(root)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chrome'}",
        "--window-size=1280,1600",
    ):
        options.add_argument(flag)
    driver = None
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        driver.set_page_load_timeout(60)
        base = f"http://127.0.0.1:{port}/"
        # The preview: the pack's own template, with MT marked.
        driver.get(base)
        assert driver.find_elements(By.CSS_SELECTOR, "header.cover")
        assert driver.find_elements(By.CSS_SELECTOR, ".mt-flag")
        driver.save_screenshot(str(tmp_path / "preview.png"))
        # The review page: edit a machine segment and approve it.
        driver.get(base + "review")
        row = driver.find_element(By.CSS_SELECTOR, 'tr[data-status="machine"]')
        key = row.get_attribute("data-key")
        assert driver.find_elements(By.CSS_SELECTOR, "mark.term")
        area = row.find_element(By.TAG_NAME, "textarea")
        area.clear()
        area.send_keys("Edited in the browser & approved.")
        row.find_element(By.CSS_SELECTOR, "button.approve").click()
        assert _wait(
            lambda: any(
                e["en"] == "Edited in the browser & approved." and e["status"] == "reviewed"
                for e in entries(root).values()
            )
        ), "memory file not written"
        # The page updates (and reloads on the memory change) to show the reviewed segment.
        assert _wait(lambda: status_of(key) == "reviewed")
        driver.save_screenshot(str(tmp_path / "review.png"))
        shots = os.environ.get("BRIEFPACK_SCREENSHOTS")
        if shots:
            for name in ("preview.png", "review.png"):
                shutil.copy(tmp_path / name, Path(shots) / name)
        # A briefing changes on disk: the page reloads by itself within a second or so.
        driver.get(base)
        driver.execute_script("window.__marker = 1;")
        path = root / "briefings" / "washington-ohnmacht.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("Gespräche in Miami", "Gespräche in Florida", 1), encoding="utf-8"
        )
        assert _wait(lambda: driver.execute_script("return window.__marker") is None, 10)
        assert _wait(lambda: "Florida" in driver.page_source, 10)
    finally:
        if driver is not None:
            driver.quit()
        proc.terminate()
        proc.wait(timeout=20)
