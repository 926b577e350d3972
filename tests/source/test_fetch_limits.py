"""`new URL` against real misbehaving servers on 127.0.0.1: deadlines, short bodies, redirects.

One deadline holds for the whole download, headers included; a body shorter than its
Content-Length is refused (exit 6, nothing written); a redirect to `file:` or `data:` says
so (exit 2). Each server stops on its own after a few seconds, so a test that regressed
ends too (no timed assertions: the outcome proves the deadline).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.errors import ExitCode, NetworkError, UsageError
from briefpack.source.fetch import fetch
from tests.support import copy_project, snapshot

runner = CliRunner()
ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "sources" / "artikel.html"

Reply = Callable[[socket.socket], None]


@pytest.fixture
def serve() -> Iterator[Callable[[Reply], str]]:
    """Answer every connection with `reply(conn)` from a thread; yield a URL maker."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    reply: list[Reply] = []

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)  # the request
                with contextlib.suppress(OSError):  # the client gave up: what the test wants
                    reply[0](conn)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()

    def start(answer: Reply) -> str:
        reply[:] = [answer]
        return f"http://127.0.0.1:{listener.getsockname()[1]}/quelle"

    try:
        yield start
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def _trickle(head: bytes, body: bytes, *, step: float = 0.1) -> Reply:
    def reply(conn: socket.socket) -> None:
        for i in range(len(head + body)):  # one byte per step, for at most ~4 s
            conn.sendall((head + body)[i : i + 1])
            time.sleep(step)

    return reply


def test_slow_headers_meet_the_deadline(serve: Callable[[Reply], str]) -> None:
    head = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nX-Slow: " + b"x" * 40 + b"\r\n\r\n"
    url = serve(_trickle(head, b"Hallo"))
    with pytest.raises(NetworkError, match="no complete answer within 1 s"):
        fetch(url, timeout=1.0)


def test_a_slow_body_meets_the_deadline(serve: Callable[[Reply], str]) -> None:
    body = b"Langsamer Text. " * 3
    head = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(body)

    def reply(conn: socket.socket) -> None:
        conn.sendall(head)
        _trickle(b"", body)(conn)

    url = serve(reply)
    with pytest.raises(NetworkError, match="no complete answer within 1 s"):
        fetch(url, timeout=1.0)


def test_a_body_shorter_than_its_length_is_refused(
    serve: Callable[[Reply], str], tmp_path: Path
) -> None:
    text = ARTICLE.read_bytes()

    def reply(conn: socket.socket) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n"
            b"Connection: close\r\n\r\n" % len(text)
        )
        conn.sendall(text[: len(text) // 2])  # then the connection drops

    url = serve(reply)
    with pytest.raises(NetworkError, match="closed after"):
        fetch(url)
    root = copy_project(tmp_path / "p")
    before = snapshot(root)
    res = runner.invoke(app, ["new", url, "--project", str(root)])
    assert res.exit_code == ExitCode.NETWORK, res.output
    assert res.output.startswith(f"error: {url}: ") and "Traceback" not in res.output
    assert snapshot(root) == before  # no seed, no briefing


@pytest.mark.parametrize("target", ["file:///etc/passwd", "data:text/plain,Hallo"])
def test_a_redirect_to_another_scheme_says_so(serve: Callable[[Reply], str], target: str) -> None:
    def reply(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.0 302 Found\r\nLocation: %s\r\n\r\n" % target.encode())

    url = serve(reply)
    with pytest.raises(UsageError, match="only http:// and https:// URLs"):
        fetch(url)
