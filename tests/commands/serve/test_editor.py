"""The briefing editor's routes: the server's token and Host checks, saves, new briefings, check."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefpack.commands.serve import PreviewServer, start
from briefpack.commands.serve.server import MAX_BODY
from briefpack.util.paths import find_project
from tests.support import DEMO_PACK, cli_in, copy_project, snapshot

BID = "mearsheimer-diplomatie"
NEW_SEED = "seeds/005-wehrdienst.txt"
NEW_TEXT = (
    "Bundestag debattiert über neuen Wehrdienst\n\n"
    "Der Bundestag hat am Donnerstag über das Gesetz beraten. Verteidigungsminister Boris "
    "Pistorius sagte: „Wir brauchen mehr Soldatinnen und Soldaten.“ Die Union widersprach.\n"
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[PreviewServer, Path]]:
    root = copy_project(tmp_path / "p")
    (root / NEW_SEED).write_text(NEW_TEXT, encoding="utf-8")
    server = start(find_project(root), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, root
    server.shutdown()


def _request(
    server: PreviewServer,
    method: str,
    path: str,
    body: bytes = b"",
    *,
    token: str | None = "",
    host: str | None = None,
    ctype: str = "application/json",
) -> tuple[int, bytes]:
    """Send one request over a socket; return the status and body of the answer."""
    head = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host or f'127.0.0.1:{server.port}'}",
        f"Content-Type: {ctype}",
        f"Content-Length: {len(body)}",
    ]
    if token is not None:
        head.append(f"X-Briefpack-Token: {token or server.token}")
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall("\r\n".join(head).encode() + b"\r\n\r\n" + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def _json(server: PreviewServer, method: str, path: str, data: object = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    body = b"" if data is None else json.dumps(data).encode()
    status, answer = _request(server, method, path, body)
    return status, json.loads(answer)


def _state(server: PreviewServer, bid: str = BID) -> dict:  # type: ignore[type-arg]
    status, data = _json(server, "GET", f"/api/briefing/{bid}")
    assert status == 200, data
    return data


def test_pages_list_the_briefings_and_show_the_editor(served: tuple[PreviewServer, Path]) -> None:
    server, _root = served
    status, page = _request(server, "GET", "/edit")
    assert status == 200
    assert f'href="/edit/{BID}"'.encode() in page
    assert f'data-seed="{NEW_SEED}"'.encode() in page  # the one seed without a briefing
    assert b'data-seed="seeds/000-' not in page
    status, page = _request(server, "GET", f"/edit/{BID}")
    html = page.decode()
    assert status == 200 and server.token in html
    assert '<div id="source-text" lang="de">' in html and "<script>" not in html
    data = json.loads(re.search(r'id="bp-briefing">(.*?)</script>', html).group(1))  # type: ignore[union-attr]
    assert data["id"] == BID and data["fields"] == _state(server)["fields"]
    assert data["fields"]["quotes"][0]["speaker"] == "Kaja Kallas"
    for bad in ("/edit/nope", "/edit/..%2Fglossary", "/edit/%2e%2e", "/edit/A", "/edit/x/y"):
        assert _request(server, "GET", bad)[0] == 404, bad
    assert _request(server, "GET", "/api/briefing/../glossary.yaml")[0] == 404
    assert _request(server, "GET", f"/api/briefing/{BID}/other")[0] == 404
    for name in ("editor.js", "editor.css"):
        assert _request(server, "GET", f"/_serve/{name}")[0] == 200


def test_check_says_what_the_cli_says(served: tuple[PreviewServer, Path]) -> None:
    server, root = served
    path = root / "briefings" / f"{BID}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('speaker: "Kaja Kallas"', 'speaker: "TODO: wer"'),
        encoding="utf-8",
    )
    status, data = _json(server, "GET", f"/api/briefing/{BID}/check")
    assert status == 200 and data["elsewhere"] == 0
    _code, _out, err = cli_in(root, "check")
    cli = [line for line in err.splitlines() if f"briefings/{BID}.yaml" in line]
    assert cli and [f["text"] for f in data["findings"]] == cli
    assert {f["code"] for f in data["findings"]} == {"todo", "missing-translation"}
    assert _json(server, "POST", f"/api/briefing/{BID}/check", {})[1] == data
    # An invalid briefing: the loader's errors, as `check` prints them.
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "titel:", 1), "utf-8")
    data = _json(server, "GET", f"/api/briefing/{BID}/check")[1]
    code, _out, err = cli_in(root, "check")
    assert code == 3
    assert [f["text"] for f in data["findings"]] == [
        line for line in err.splitlines() if f"briefings/{BID}.yaml" in line
    ]
    assert {f["severity"] for f in data["findings"]} == {"error"}


def test_saving_writes_the_file_merges_and_refuses(served: tuple[PreviewServer, Path]) -> None:
    server, root = served
    path = root / "briefings" / f"{BID}.yaml"
    loaded = _state(server)
    fields = {**loaded["fields"], "title": "Neuer Titel", "source.outlet": "Tagesblatt"}
    body = {"version": loaded["version"], "base": loaded["fields"], "fields": fields}
    status, data = _json(server, "POST", f"/api/briefing/{BID}", body)
    assert status == 200, data
    assert data["written"] == ["title", "source.outlet"] and data["file"] == f"briefings/{BID}.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Neuer Titel"' in text and "outlet: Tagesblatt\n" in text
    # The title changed on disk meanwhile: a save of another field keeps it; a save of the
    # title is a conflict (409), and nothing is written.
    page = {"version": data["version"], "base": data["fields"]}
    path.write_text(text.replace("Neuer Titel", "Titel von Hand"), encoding="utf-8")
    fields = {**data["fields"], "source.author": "Anna Muster"}
    status, data = _json(server, "POST", f"/api/briefing/{BID}", {**page, "fields": fields})
    assert status == 200 and data["written"] == ["source.author"] and data["kept"] == ["title"]
    text = path.read_text(encoding="utf-8")
    assert 'title: "Titel von Hand"' in text and "author: Anna Muster\n" in text
    before = path.read_bytes()
    other = {**fields, "title": "Noch ein Titel"}
    status, data = _json(server, "POST", f"/api/briefing/{BID}", {**page, "fields": other})
    assert status == 409 and "title changed both there and here" in data["error"]
    assert path.read_bytes() == before
    # Invalid: the loader's message (422), nothing written.
    latest = _state(server)
    bad = {"version": latest["version"], "fields": {"source.published": "2026-02-30"}}
    status, data = _json(server, "POST", f"/api/briefing/{BID}", bad)
    assert status == 422 and data["problems"][0].startswith(f"briefings/{BID}.yaml:")
    assert path.read_bytes() == before
    for malformed in ({"fields": {}}, {"version": "x", "fields": {"id": "x"}}, [1]):
        assert _json(server, "POST", f"/api/briefing/{BID}", malformed)[0] == 400


def test_writes_need_the_token_the_host_and_a_small_json_body(
    served: tuple[PreviewServer, Path],
) -> None:
    server, root = served
    before = snapshot(root)
    loaded = _state(server)
    good = json.dumps(
        {"version": loaded["version"], "fields": {"title": "x"}, "base": loaded["fields"]}
    ).encode()
    url = f"/api/briefing/{BID}"
    assert _request(server, "POST", url, good, token=None)[0] == 403
    assert _request(server, "POST", url, good, token="wrong")[0] == 403
    assert _request(server, "POST", url, good, host="evil.example:80")[0] == 403
    assert _request(server, "GET", f"/edit/{BID}", host="evil.example")[0] == 403
    assert _request(server, "POST", url, good, ctype="text/plain")[0] == 415
    assert _request(server, "POST", url, b"{" + b" " * MAX_BODY + b"}")[0] == 413
    assert _request(server, "POST", url, b"{not json")[0] == 400
    for bad in ("nope", "..%2Fglossary", "%2e%2e", "../../glossary.yaml", "A-B"):
        assert _request(server, "POST", f"/api/briefing/{bad}", good)[0] == 404, bad
    new = json.dumps({"seed": "glossary.yaml"}).encode()
    assert _request(server, "POST", "/api/briefing-new", new, token=None)[0] == 403
    for seed in ("glossary.yaml", "seeds/../glossary.yaml", "seeds/000-mearsheimer-diplomatie.txt"):
        body = json.dumps({"seed": seed}).encode()
        assert _request(server, "POST", "/api/briefing-new", body)[0] == 404, seed
    assert snapshot(root) == before


def test_a_briefing_from_a_seed_and_a_quote_by_offsets(served: tuple[PreviewServer, Path]) -> None:
    server, root = served
    status, data = _json(server, "POST", "/api/briefing-new", {"seed": NEW_SEED, "pack": "nope"})
    assert status == 400 and "no pack 'nope'" in data["error"]
    assert not (root / "briefings" / "wehrdienst.yaml").exists()
    new = {"seed": NEW_SEED, "pack": DEMO_PACK}
    status, data = _json(server, "POST", "/api/briefing-new", new)
    assert status == 200, data
    assert data == {
        "ok": True,
        "id": "wehrdienst",
        "file": "briefings/wehrdienst.yaml",
        "url": "/edit/wehrdienst",
    }
    pack = (root / f"briefings/packs/{DEMO_PACK}.yaml").read_text("utf-8")
    assert pack.rstrip().endswith("- wehrdienst")
    assert _json(server, "POST", "/api/briefing-new", {"seed": NEW_SEED})[0] == 404  # used now
    status, page = _request(server, "GET", "/edit/wehrdienst")
    assert status == 200
    loaded = _state(server, "wehrdienst")
    html = page.decode()
    seed_version = json.loads(
        re.search(r'id="bp-briefing">(.*?)</script>', html).group(1)  # type: ignore[union-attr]
    )["seed_version"]
    wanted = "Wir brauchen mehr Soldatinnen und Soldaten."
    start = NEW_TEXT.index(wanted)
    quotes = [*loaded["fields"]["quotes"], {"from": [start, start + len(wanted)], "speaker": "BP"}]
    body = {
        "version": loaded["version"],
        "base": loaded["fields"],
        "fields": {"quotes": quotes},
        "seed_version": seed_version,
    }
    status, data = _json(server, "POST", "/api/briefing/wehrdienst", body)
    assert status == 200, data
    assert data["fields"]["quotes"][-1] == {"text": wanted, "speaker": "BP"}
    text = (root / "briefings/wehrdienst.yaml").read_text("utf-8")
    assert text.startswith("# Scaffolded by `briefpack new`")  # the scaffold's comments stay
    assert f'  - text: "{wanted}"\n    speaker: "BP"\n' in text
    # Offsets into a source changed meanwhile are refused: the quote would not be verbatim.
    body = {**body, "version": data["version"], "base": data["fields"], "seed_version": "old"}
    assert _json(server, "POST", "/api/briefing/wehrdienst", body)[0] == 409
