"""`briefpack serve`: the preview and review page, driven in a real headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefpack.commands.serve import PreviewServer, start
from briefpack.source.load import load_content
from briefpack.source.memory import machine_entry
from briefpack.source.schema import Provenance
from briefpack.source.segment import Segment, segment_key
from briefpack.util.paths import find_project
from tests.support import (
    MACHINE_FILE,
    PACK_FILE,
    REVIEWED_EN,
    REWORDED_DE,
    browse_served,
    entries,
    free_port,
    machine_project,
    reword_reviewed,
    wait_until,
)

REPO = Path(__file__).resolve().parents[2]


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


def _raw(
    server: PreviewServer, request: bytes, *, host: bool = True, shut: bool = False
) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes to the server; return the status, headers and body of its answer."""
    if host:
        head, _, rest = request.partition(b"\r\n")
        request = head + f"\r\nHost: 127.0.0.1:{server.port}".encode() + b"\r\n" + rest
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request)
        if shut:
            sock.shutdown(socket.SHUT_WR)  # the body ends here, shorter than announced
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head_bytes, _, body = data.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def _approve_request(server: PreviewServer, body: bytes, length: int | None = None) -> bytes:
    size = b"" if length == -1 else f"Content-Length: {length or len(body)}\r\n".encode()
    return (
        b"POST /api/approve HTTP/1.1\r\nContent-Type: application/json\r\n"
        + f"X-Briefpack-Token: {server.token}\r\n".encode()
        + size
        + b"\r\n"
        + body
    )


def _malformed(server: PreviewServer, key: str) -> list[tuple[bytes, int, bool]]:
    """Hostile and clumsy requests, each with the status it must get."""

    def approve(en: str) -> bytes:
        return _approve_request(server, json.dumps({"key": key, "en": en}).encode())

    nested = b"[" * 100_000 + b"]" * 100_000
    return [
        (b"GET /%00 HTTP/1.1\r\n\r\n", 400, False),
        (b"GET /%01x HTTP/1.1\r\n\r\n", 400, False),
        (b"GET /%ff%fe HTTP/1.1\r\n\r\n", 400, False),
        (b"GET /" + b"a" * 300 + b" HTTP/1.1\r\n\r\n", 404, False),
        (b"GET /" + b"%C3%A4" * 200 + b".css HTTP/1.1\r\n\r\n", 404, False),
        (b"GET /loop/style.css HTTP/1.1\r\n\r\n", 404, False),  # templates/loop -> loop
        (b"GET /ping HTTP/1.1\r\n\r\n", 404, False),  # ping -> pong -> ping
        (b"GET /fifo HTTP/1.1\r\n\r\n", 404, False),  # a named pipe: never opened
        (b"GET /api/epoch?since=soon HTTP/1.1\r\n\r\n", 400, False),
        (b"GET /_serve/../../server.py HTTP/1.1\r\n\r\n", 404, False),
        (b"BREW /pot HTTP/1.1\r\n\r\n", 501, False),
        (b"GARBAGE\r\n\r\n", 400, False),
        (_approve_request(server, nested), 400, False),
        (_approve_request(server, b"\xff\xfe{}"), 400, False),
        (_approve_request(server, b'{"key": "k"'), 400, False),
        (_approve_request(server, b"{}", length=-1), 411, False),
        (_approve_request(server, b"{}", length=10**9), 413, False),
        (_approve_request(server, b'{"key": "k"', length=100), 400, True),
        (approve("a\ud800b"), 400, False),
        (approve("a\x01b"), 400, False),
        (approve("a\ufffeb"), 400, False),
    ]


def _hostile_templates(root: Path) -> None:
    templates = root / "templates"
    templates.mkdir(exist_ok=True)  # the demo overrides nothing: the folder may not exist
    (templates / "loop").symlink_to("loop")
    (templates / "ping").symlink_to("pong")
    (templates / "pong").symlink_to("ping")
    os.mkfifo(templates / "fifo")


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_request_is_answered_and_nothing_stored(served: tuple[PreviewServer, Path]) -> None:
    server, root = served
    key, _de = _machine_key(root)
    _hostile_templates(root)
    before = _snapshot(root)
    for request, status, shut in _malformed(server, key):
        got, headers, body = _raw(server, request, shut=shut)
        assert got == status, (request[:80], got, body)
        assert headers["Content-Length"] == str(len(body)), request[:80]
        assert headers["Connection"] == "close"
        assert headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    refused = _raw(server, _malformed(server, key)[-3][0])[2]
    assert json.loads(refused) == {
        "error": "the English character U+D800 (a lone surrogate, half of a broken character)"
        " after 'a' is not allowed in text; remove it; nothing was stored"
    }
    assert _snapshot(root) == before
    # A client that sends half a request and goes away, then one that never reads its answer.
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"POST /api/approve HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(f"GET /review HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode())
    assert _get(server, "review")[0] == 200  # and the autouse fixture saw no warning logged


def test_idle_connections_are_closed(served: tuple[PreviewServer, Path]) -> None:
    server, _root = served
    handler = server.httpd.RequestHandlerClass
    assert 0 < handler.timeout <= 60  # type: ignore[attr-defined]  # the default: idle sockets close
    handler.timeout = 1  # type: ignore[attr-defined]  # …and sooner, for this test
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n")  # and then nothing
        assert sock.recv(1024) == b""  # closed by the server, not by our 30 s
    # A body that stops coming: answered 408, the connection closed.
    stalled = _approve_request(server, b"{", length=100)
    head, _, rest = stalled.partition(b"\r\n")
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(head + f"\r\nHost: 127.0.0.1:{server.port}".encode() + b"\r\n" + rest)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 408 "), answer


def test_pages_come_from_one_prepare_per_change(
    served: tuple[PreviewServer, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefpack.prepare

    server, root = served
    calls: list[object] = []
    real = briefpack.prepare.prepare

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(briefpack.prepare, "prepare", counted)
    epoch = server.site.epoch
    for path in ("", "review", "", "review", "style.css"):
        assert _get(server, path)[0] == 200
    assert calls == []  # pages are served, never prepared, per request
    waited: list[int] = []
    poll = threading.Thread(
        target=lambda: waited.append(
            json.loads(_get(server, f"api/epoch?since={epoch}")[1])["epoch"]
        )
    )
    poll.start()
    path = root / "briefings" / "washington-ohnmacht.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Gespräche in Miami", "Gespräche in Tampa", 1),
        encoding="utf-8",
    )
    poll.join(timeout=60)
    assert waited and waited[0] != epoch  # the long poll answered with the new epoch
    assert b"Tampa" in _get(server, "")[1]
    assert 1 <= len(calls) <= 2  # one prepare for the change (two if the save was seen twice)
    # Writing out/ (a build beside the server) is not a change of the inputs.
    before = len(calls)
    (root / "out").mkdir(exist_ok=True)
    (root / "out" / "x.html").write_text("x", encoding="utf-8")
    assert server.site.wait(server.site.epoch, 1.5) == server.site.epoch
    assert len(calls) == before


@pytest.mark.slow  # two `briefpack serve` subprocesses
def test_serve_exits_cleanly_and_refuses_a_bad_port(tmp_path: Path) -> None:
    root = machine_project(tmp_path / "p")
    _hostile_templates(root)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    bad = subprocess.run(
        [sys.executable, "-m", "briefpack", "serve", "--port", "99999", "-p", str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("error:"), bad.stderr
    assert "--port" in bad.stderr and "65535" in bad.stderr and "Traceback" not in bad.stderr
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefpack", "serve", "--port", str(port), "-p", str(root)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert f"http://127.0.0.1:{port}/" in proc.stdout.readline()
        server = _Remote(port, _token(port))
        key, _de = _machine_key(root)
        before = _snapshot(root)
        for request, status, shut in _malformed(server, key):  # type: ignore[arg-type]
            assert _raw(server, request, shut=shut)[0] == status  # type: ignore[arg-type]
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(f"GET /review HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        assert _snapshot(root) == before
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in out + err and err == "", err


class _Remote:
    """What `_raw` and `_approve_request` need of a server running in another process."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token


def _token(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/review", timeout=30) as resp:
        page = resp.read().decode("utf-8")
    return page.split('name="briefpack-token" content="', 1)[1].split('"', 1)[0]


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


@pytest.mark.slow
def test_serve_in_a_real_browser(tmp_path: Path) -> None:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By

    def status_of(key: str) -> str | None:
        # The page reloads by itself when the memory file changes: an element found a
        # moment ago may be gone; that is "not yet", not a failure.
        try:
            row = driver.find_element(By.CSS_SELECTOR, f'tr[data-key="{key}"]')
            return row.get_attribute("data-status")
        except (StaleElementReferenceException, NoSuchElementException):
            return None

    root = machine_project(tmp_path / "p")
    reworded = segment_key(reword_reviewed(root))  # one word of a reviewed sentence changed
    with browse_served(root, tmp_path, window="1280,1600") as (driver, base, _):
        # The preview: the pack's own template, with MT marked.
        driver.get(base)
        assert driver.find_elements(By.CSS_SELECTOR, "header.cover")
        assert driver.find_elements(By.CSS_SELECTOR, ".mt-flag")
        driver.save_screenshot(str(tmp_path / "preview.png"))
        # The review page is a queue: the segment with a finding first, then the other MT.
        driver.get(base + "review")
        queue = driver.find_elements(By.CSS_SELECTOR, "#segments tbody tr")
        assert queue[0].get_attribute("data-findings") == "1"
        assert queue[0].get_attribute("data-status") == "machine"
        statuses = [r.get_attribute("data-status") for r in queue]
        assert statuses.index("reviewed") > statuses.index("machine")
        assert "reviewed" not in statuses[: statuses.count("machine")]
        # Each edit box shows its whole sentence: nothing hidden behind a scroll bar.
        for area in driver.find_elements(By.CSS_SELECTOR, "#segments textarea"):
            assert driver.execute_script(
                "return arguments[0].scrollHeight <= arguments[0].clientHeight + 2", area
            ), area.get_attribute("value")
        # Every pack's progress, and what is left in this one.
        progress = driver.find_element(By.CSS_SELECTOR, "#progress tr.pack.current")
        machine = int(progress.get_attribute("data-machine") or 0)
        reviewed = int(progress.get_attribute("data-reviewed") or 0)
        assert machine == statuses.count("machine") > 0
        title = driver.find_element(By.ID, "queue-title").text
        assert f"{machine} segment(s) left to review" in title
        # Edit a machine segment (one without findings, of the machine briefing) and approve it.
        row = next(r for r in queue[1:] if r.get_attribute("data-key") != reworded)
        key = row.get_attribute("data-key")
        assert driver.find_elements(By.CSS_SELECTOR, "mark.term")
        area = row.find_element(By.TAG_NAME, "textarea")
        area.clear()
        area.send_keys("Edited in the browser & approved.")
        row.find_element(By.CSS_SELECTOR, "button.approve").click()
        assert wait_until(
            lambda: any(
                e["en"] == "Edited in the browser & approved." and e["status"] == "reviewed"
                for e in entries(root).values()
            )
        ), "memory file not written"
        # The page updates (and reloads on the memory change) to show the reviewed segment.
        assert wait_until(lambda: status_of(key) == "reviewed")

        def progress_of() -> tuple[int, int] | None:
            try:
                row = driver.find_element(By.CSS_SELECTOR, "#progress tr.pack.current")
                return (
                    int(row.get_attribute("data-reviewed") or 0),
                    int(row.get_attribute("data-machine") or 0),
                )
            except (StaleElementReferenceException, NoSuchElementException):
                return None

        # The page reloads on the memory change: the progress counts the approval.
        assert wait_until(lambda: progress_of() == (reviewed + 1, machine - 1))
        # The reworded sentence shows the memory's old English as a 95 % match, the German
        # difference marked; "Use this match" puts that English into the edit box.
        assert wait_until(lambda: status_of(reworded) == "machine")
        match_row = driver.find_element(By.CSS_SELECTOR, f'tr[data-key="{reworded}"]')
        match = match_row.find_element(By.CSS_SELECTOR, ".match")
        assert match.get_attribute("data-score") == "95"
        assert match.find_element(By.CSS_SELECTOR, ".score").text == "95 %"
        assert match.find_element(By.CSS_SELECTOR, ".match-en").text == REVIEWED_EN
        assert match.find_element(By.CSS_SELECTOR, ".match-de del").text.strip() == "Gespräche"
        assert match.find_element(By.CSS_SELECTOR, ".match-de ins").text.strip() == "Verhandlungen"
        assert driver.execute_script(
            "return getComputedStyle(arguments[0]).backgroundColor !== 'rgba(0, 0, 0, 0)'",
            match.find_element(By.CSS_SELECTOR, ".match-de ins"),
        )
        match.find_element(By.CSS_SELECTOR, "button.use-match").click()
        box = match_row.find_element(By.TAG_NAME, "textarea")
        assert box.get_attribute("value") == REVIEWED_EN
        match_row.find_element(By.CSS_SELECTOR, "button.approve").click()
        assert wait_until(
            lambda: entries(root, PACK_FILE).get(REWORDED_DE, {}).get("status") == "reviewed"
        )
        assert entries(root, PACK_FILE)[REWORDED_DE]["en"] == REVIEWED_EN
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
        assert wait_until(lambda: driver.execute_script("return window.__marker") is None, 10)
        assert wait_until(lambda: "Florida" in driver.page_source, 10)
