"""`briefpack serve PACK...`: every pack served has its preview and review page."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from pathlib import Path

from briefpack.commands.serve import PreviewServer, start
from briefpack.source.packs import new_pack, show_pack
from briefpack.util.paths import find_project
from tests.support import DEMO_PACK, machine_project


def _get(server: PreviewServer, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(server.url + path, timeout=20) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_several_packs_each_with_both_pages(tmp_path: Path) -> None:
    root = machine_project(tmp_path / "p")
    project = find_project(root)
    first = show_pack(project, DEMO_PACK).briefings[0]
    new_pack(project, "zweites", title="Zweites", title_en="Second", briefings=[first])
    server = start(project, ["zweites", DEMO_PACK], port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        # No query: the first pack named; `?pack=` chooses any pack served, nothing else.
        assert _get(server, "")[1] == _get(server, "?pack=zweites")[1]
        assert _get(server, "review")[1] == _get(server, "review?pack=zweites")[1]
        for path in ("", "review"):
            status, page = _get(server, f"{path}?pack={DEMO_PACK}")
            assert status == 200
            # The bar offers every pack served, in the order named, the current one marked.
            assert f'<a href="/{path}?pack=zweites">zweites</a>'.encode() in page
            assert f'<a href="/{path}?pack={DEMO_PACK}" aria-current="page">'.encode() in page
        assert _get(server, "?pack=unbekannt")[0] == 404
        assert _get(server, "review?pack=%00")[0] == 404
        review = _get(server, "review?pack=zweites")[1]
        assert b'<tr class="pack current" data-pack="zweites"' in review
        assert f'data-pack="{DEMO_PACK}"'.encode() in review  # the progress of both packs
    finally:
        server.shutdown()


def test_one_pack_has_no_pack_bar(tmp_path: Path) -> None:
    root = machine_project(tmp_path / "p")
    server = start(find_project(root), [DEMO_PACK], port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        status, page = _get(server, "review")
        assert status == 200 and b'id="bp-packs"' not in page
        assert f'<a href="/review?pack={DEMO_PACK}">Review</a>'.encode() in page
    finally:
        server.shutdown()
