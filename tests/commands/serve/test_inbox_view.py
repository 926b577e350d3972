"""The Inbox view of `briefpack serve`: the ranked inbox, accept and dismiss over HTTP.

The inbox comes from a real intake run against the intake tests' feed server on 127.0.0.1;
what an accept in the browser writes is compared byte for byte with what
`briefpack inbox accept` writes in a twin copy of the project.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from briefpack.commands.serve import PreviewServer, start
from briefpack.commands.serve.server import MAX_BODY
from briefpack.source.inbox import InboxItem, Place, write_item
from briefpack.util.paths import find_project
from tests.commands.intake.feedserver import (
    GOOD_FEEDS,
    Server,
    by_title,
    inbox_json,
    invoke,
    serve,
    write_feeds,
)
from tests.support import DEMO_PACK, browse_served, copy_project, snapshot, wait_until

STORY = "Kiew und Kreml"
STORY_ID = "kiew-und-kreml-neue-verhandlungsrunde-ueber"


@pytest.fixture
def feeds() -> Iterator[Server]:
    with serve() as srv:
        yield srv


@pytest.fixture
def intake_project(tmp_path: Path, feeds: Server) -> Path:
    """A copy of the demo project whose inbox one intake run of every good feed filled."""
    root = copy_project(tmp_path / "p")
    write_feeds(root, feeds.base, GOOD_FEEDS)
    code, out = invoke("intake", "--project", root)
    assert code == 0, out
    return root


def _start(root: Path) -> PreviewServer:
    server = start(find_project(root), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def served(intake_project: Path) -> Iterator[tuple[PreviewServer, Path]]:
    server = _start(intake_project)
    yield server, intake_project
    server.shutdown()


def _get(server: PreviewServer, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(server.url + path, timeout=20) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _post(
    server: PreviewServer, route: str, data: object, token: str | None = ""
) -> tuple[int, dict[str, object]]:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["X-Briefpack-Token"] = token or server.token
    req = urllib.request.Request(
        server.url + f"api/inbox/{route}", json.dumps(data).encode(), headers, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _raw_post(
    server: PreviewServer, route: str, body: bytes, host: str, length: int | None = None
) -> int:
    request = (
        f"POST /api/inbox/{route} HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Type: application/json\r\nX-Briefpack-Token: {server.token}\r\n"
        f"Content-Length: {len(body) if length is None else length}\r\n\r\n"
    ).encode() + body
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def _ids(page: str) -> list[str]:
    return re.findall(r'<tr data-item="([0-9a-f]{10})"', page)


def _inputs(root: Path) -> dict[str, bytes]:
    """Every file a person edits (what `inbox accept` may write), by relative path."""
    return {
        k: v
        for k, v in snapshot(root).items()
        if not k.startswith((".briefpack-cache/", "out/")) and not k.endswith(".lock")
    }


def test_the_inbox_page_ranks_as_inbox_list_does(served: tuple[PreviewServer, Path]) -> None:
    server, root = served
    status, page = _get(server, "inbox")
    assert status == 200
    listed = inbox_json(root)
    everything = inbox_json(root, "--all")
    assert len(everything) > len(listed) > 1  # some hidden below the threshold
    assert _ids(page) == [i["id"] for i in listed]
    assert f"{len(everything) - len(listed)} below the score 3 hidden" in page
    story = by_title(listed, STORY)
    row = page.split(f'<tr data-item="{story["id"]}"', 1)[1].split("</tr>", 1)[0]
    assert f'<a href="{story["url"]}" target="_blank" rel="noopener noreferrer">' in row
    assert "Rheinische Rundschau" in row and "2026-01-12" in row
    assert f">{float(story['score']):.1f}<" in row  # type: ignore[arg-type]
    terms = re.findall(r'<span class="term">([^<]*)</span>', row)
    assert terms == story["terms"][:12]  # type: ignore[index]
    more = len(story["terms"]) - 12  # type: ignore[arg-type]
    assert f"+{more} more" in row
    assert "Also in 2 other place(s)" in row
    for url in story["duplicates"]:  # type: ignore[attr-defined]
        assert f'href="{url}"' in unescape(row)
    # "Show all": every waiting item, the ones below the threshold marked.
    status, page = _get(server, "inbox?all=1")
    assert _ids(page) == [i["id"] for i in everything]
    below = [i["id"] for i in everything if float(i["score"]) < 3]  # type: ignore[arg-type]
    assert below and all(f'data-item="{i}"' in page for i in below)
    assert page.count('class="item below"') == len(below)
    # The token for the page's script; the bar links the view from every page.
    assert server.token in page
    # The pack chosen on the other pages stays chosen in the bar; one not served is dropped.
    page = _get(server, f"inbox?pack={DEMO_PACK}")[1]
    assert f'<a href="/review?pack={DEMO_PACK}">Review</a>' in page
    assert f'href="/inbox?all=1&amp;pack={DEMO_PACK}">Show all</a>' in page
    assert '<a href="/review?pack=">' in _get(server, "inbox?pack=%3Cnope%3E")[1]
    assert _get(server, "review")[1].count('<a href="/inbox?pack=') == 1
    assert '<a href="/inbox?pack=' in _get(server, "")[1]


def test_inbox_writes_need_the_token_and_the_host(served: tuple[PreviewServer, Path]) -> None:
    server, root = served
    item = str(inbox_json(root)[0]["id"])
    body = json.dumps({"item": item}).encode()
    before = _inputs(root)
    for route in ("accept", "dismiss"):
        refused = (403, {"error": "missing or wrong token"})
        assert _post(server, route, {"item": item}, None) == refused
        assert _post(server, route, {"item": item}, "wrong") == refused
        assert _raw_post(server, route, body, "evil.example") == 403  # DNS rebinding
        assert _raw_post(server, route, body, f"evil.example:{server.port}") == 403
    assert _post(server, "forget", {"item": item}) == (404, {"error": "not found"})
    assert _inputs(root) == before
    # The right host and token: it goes through.
    assert _raw_post(server, "dismiss", body, f"localhost:{server.port}") == 200
    assert item not in [i["id"] for i in inbox_json(root, "--all")]


def test_refused_bodies_write_nothing(served: tuple[PreviewServer, Path]) -> None:
    server, root = served
    item = str(inbox_json(root)[0]["id"])
    before = _inputs(root)
    refused = [
        ("accept", {"item": 5}, 400, "expected {item, briefing} strings"),
        ("accept", {"item": item, "briefing": ["x"]}, 400, "expected {item, briefing} strings"),
        ("accept", ["not", "an", "object"], 400, "expected {item, briefing} strings"),
        ("dismiss", {"item": item + "\x01"}, 400, "the item id character U+0001"),
        ("accept", {"item": item, "briefing": "a\ud800"}, 400, "the briefing id character"),
        (
            "accept",
            {"item": item, "briefing": "Not A Slug"},
            400,
            "cannot use 'Not A Slug' as a briefing id (lowercase letters, digits and hyphens",
        ),
    ]
    for route, data, status, words in refused:
        got, answer = _post(server, route, data)
        assert got == status, (data, answer)
        assert str(answer["error"]).startswith(words), answer
    assert _inputs(root) == before
    # Not JSON, too large: the server's checks for every write.
    host = f"127.0.0.1:{server.port}"
    assert _raw_post(server, "accept", b"{", host) == 400
    assert _raw_post(server, "accept", b"", host, length=MAX_BODY + 1) == 413
    assert _inputs(root) == before


def test_accept_writes_what_the_cli_writes(
    served: tuple[PreviewServer, Path], tmp_path: Path
) -> None:
    server, root = served
    twin = tmp_path / "twin"
    shutil.copytree(root, twin)  # with the intake's kept article bytes
    story = by_title(inbox_json(root), STORY)
    status, answer = _post(server, "accept", {"item": str(story["id"])[:6], "briefing": None})
    assert status == 200, answer
    code, out = invoke("inbox", "accept", str(story["id"])[:6], "--project", twin)
    assert code == 0, out
    seed = f"seeds/005-{STORY_ID}.txt"
    assert answer == {
        "ok": True,
        "item": story["id"],
        "briefing": STORY_ID,
        "file": f"briefings/{STORY_ID}.yaml",
        "seed": seed,
        "lines": out.splitlines(),  # the CLI's own words
    }
    made, expected = _inputs(root), _inputs(twin)
    assert made == expected  # byte for byte: briefing, seed and the accepted item's file
    assert f"briefings/{STORY_ID}.yaml" in made and seed in made
    # Accepted: gone from the list, listed below it with the briefing it made.
    page = _get(server, "inbox")[1]
    assert story["id"] not in _ids(page)
    accepted = page.split('<section id="accepted">', 1)[1]
    assert f'<li data-item="{story["id"]}">' in accepted
    assert f"<code>briefings/{STORY_ID}.yaml</code>" in accepted
    assert f'<a href="/edit/{STORY_ID}" title="open it in the editor">' in accepted
    # Again: refused in the CLI's words, in both front ends.
    status, again = _post(server, "accept", {"item": story["id"]})
    code, out = invoke("inbox", "accept", str(story["id"]), "--project", twin)
    assert status == 400 and code == 2
    assert again["error"] == f"inbox item {story['id']} was accepted already (briefing {STORY_ID})"
    assert f"error: {again['error']}" in out


def test_accept_with_an_id_and_one_that_exists(served: tuple[PreviewServer, Path]) -> None:
    server, root = served
    first, second = inbox_json(root)[:2]
    status, answer = _post(server, "accept", {"item": first["id"], "briefing": "eigene-id"})
    assert status == 200, answer
    assert answer["file"] == "briefings/eigene-id.yaml"
    assert (root / "briefings" / "eigene-id.yaml").is_file()
    before = _inputs(root)
    status, answer = _post(server, "accept", {"item": second["id"], "briefing": "eigene-id"})
    assert status == 400
    assert answer == {"error": "briefings/eigene-id.yaml exists; refusing to overwrite it"}
    assert _inputs(root) == before  # no seed, and the item still waits
    assert second["id"] in _ids(_get(server, "inbox")[1])


def test_dismiss_hides_the_item_and_unknown_ids_are_404(
    served: tuple[PreviewServer, Path],
) -> None:
    server, root = served
    item = inbox_json(root)[0]
    status, answer = _post(server, "dismiss", {"item": item["id"]})
    assert status == 200, answer
    assert answer == {
        "ok": True,
        "item": item["id"],
        "lines": [f"dismissed {item['id']}: {item['title']}"],
    }
    assert item["id"] not in _ids(_get(server, "inbox?all=1")[1])
    assert item["id"] not in [i["id"] for i in inbox_json(root, "--all")]
    assert "1 dismissed" in _get(server, "inbox")[1]
    status, answer = _post(server, "dismiss", {"item": item["id"]})
    assert (status, answer) == (400, {"error": f"inbox item {item['id']} was dismissed"})
    for unknown, words in (
        ("0123456789", "no inbox item '0123456789' (see `briefpack inbox list --all`)"),
        ("zz", "'zz' is not an inbox item id (see `briefpack inbox list`)"),
        ("", "'' is not an inbox item id (see `briefpack inbox list`)"),
    ):
        for route in ("accept", "dismiss"):
            assert _post(server, route, {"item": unknown}) == (404, {"error": words})
        code, out = invoke("inbox", "dismiss", unknown, "--project", root)
        assert code == 2 and f"error: {words}" in out


def test_hostile_items_are_escaped_and_not_linked(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    evil = "<script>alert(1)</script>"
    write_item(
        root,
        InboxItem(
            id="0123456789",
            title=evil,
            outlet="<b>Outlet</b>",
            url="javascript:alert(1)",
            link="javascript:alert(1)",
            score=9.0,
            terms=("<i>Term</i>",),
            seen_in=(Place(url="data:text/html,<script>x</script>", outlet=evil),),
        ),
    )
    server = _start(root)
    try:
        page = _get(server, "inbox")[1]
    finally:
        server.shutdown()
    assert _ids(page) == ["0123456789"]
    assert "<script>alert" not in page and "<b>Outlet" not in page and "<i>Term" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page and 'href="data:' not in page


def test_a_broken_inbox_file_is_shown_with_its_place(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    (root / "inbox").mkdir()
    (root / "inbox" / "0123456789.yaml").write_text(
        "id: '0123456789'\nurl: https://a.example/x\nlink: https://a.example/x\nscore: viel\n",
        encoding="utf-8",
    )
    server = _start(root)
    try:
        status, page = _get(server, "inbox")
        assert status == 200
        assert "inbox/0123456789.yaml:4:1: score: input should be a valid number" in page
        assert _get(server, "review")[0] == 200  # the other pages do not depend on it
    finally:
        server.shutdown()


@pytest.mark.slow  # a `briefpack serve` subprocess and a headless Chromium
def test_accept_and_dismiss_in_a_real_browser(intake_project: Path, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By

    root = intake_project
    story = by_title(inbox_json(root), STORY)
    other = next(i for i in inbox_json(root) if i["id"] != story["id"])

    def text_of(css: str) -> str | None:
        # The page reloads by itself when inbox/ changes: an element found a moment ago
        # may be gone; that is "not yet", not a failure.
        try:
            return str(driver.find_element(By.CSS_SELECTOR, css).text)
        except (StaleElementReferenceException, NoSuchElementException):
            return None

    with browse_served(root, tmp_path) as (driver, base, banner):
        assert f"{base}inbox (inbox)" in banner, banner
        driver.get(base + "review")
        driver.find_element(By.LINK_TEXT, "Inbox").click()
        rows = driver.find_elements(By.CSS_SELECTOR, "#inbox-items tbody tr")
        assert [r.get_attribute("data-item") for r in rows] == [i["id"] for i in inbox_json(root)]
        row = driver.find_element(By.CSS_SELECTOR, f'tr[data-item="{story["id"]}"]')
        field = row.find_element(By.CSS_SELECTOR, 'input[name="briefing"]')
        # An error comes back in the CLI's words, in the row; nothing is written.
        before = _inputs(root)
        field.send_keys("washington-ohnmacht")
        row.find_element(By.CSS_SELECTOR, "button.accept").click()
        assert wait_until(lambda: "exists; refusing to overwrite it" in row.text)
        message = row.find_element(By.CSS_SELECTOR, ".msg.err")
        assert message.text == "briefings/washington-ohnmacht.yaml exists; refusing to overwrite it"
        assert _inputs(root) == before
        field.clear()
        field.send_keys("genfer-gespraeche")
        row.find_element(By.CSS_SELECTOR, "button.accept").click()
        briefing = root / "briefings" / "genfer-gespraeche.yaml"
        assert wait_until(briefing.is_file), "no briefing written"
        # The watcher sees inbox/ change; the page reloads: the item has left the list, the
        # briefing it made is listed, and what was done is said at the top.
        assert wait_until(
            lambda: "briefings/genfer-gespraeche.yaml" in (text_of("#accepted") or "")
        )
        assert not driver.find_elements(By.CSS_SELECTOR, f'tr[data-item="{story["id"]}"]')
        flash = text_of("#flash") or ""
        assert flash.startswith("Accepted: wrote briefings/genfer-gespraeche.yaml for seeds/")
        driver.save_screenshot(str(tmp_path / "inbox.png"))
        # Dismiss another: gone after the reload, and from `inbox list`.
        driver.find_element(
            By.CSS_SELECTOR, f'tr[data-item="{other["id"]}"] button.dismiss'
        ).click()
        assert wait_until(lambda: (text_of("#flash") or "").startswith(f"dismissed {other['id']}"))
        assert not driver.find_elements(By.CSS_SELECTOR, f'tr[data-item="{other["id"]}"]')
        assert other["id"] not in [i["id"] for i in inbox_json(root, "--all")]
        shots = os.environ.get("BRIEFPACK_SCREENSHOTS")
        if shots:
            shutil.copy(tmp_path / "inbox.png", Path(shots) / "inbox.png")
