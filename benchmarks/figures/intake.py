"""Figures of the press intake: a run over local feeds vs the same fetches one after another.

A server on 127.0.0.1 (in the harness's process, one thread per connection) stands in for
the outlets: `FEEDS` RSS feeds of `ITEMS` items each, and a German article page per item,
every response delayed by `LATENCY` (a news site's time to first byte). Pages are made from
the templates in `intake_site/`, their words drawn from the demo's seeds, each page its own
text (no two are near-duplicates, none is one of a seed). The feeds carry an ETag and answer
a matching `If-None-Match` with 304, as the intake tests' server does.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import random
import re
import shutil
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from string import Template

from harness.child import REPO, ChildRun, briefpack_cmd, run_child
from harness.project import Bench
from harness.verdict import Record, median, r, ratio_of

# The same size under --quick: with fewer requests the fixed start-up (~1 s) outweighs
# what concurrency saves, and the figure would measure start-up instead.
FEEDS, ITEMS = 8, 10
LATENCY = 0.1  # seconds before each answer
SITE = Path(__file__).resolve().parent / "intake_site"

# What a script without briefpack does: the same GETs, one after another, bodies read.
SEQUENTIAL = """
import sys, urllib.request
for url in open(sys.argv[1], encoding="utf-8").read().split():
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
"""


class Site:
    """The outlets: feeds and pages by path, served with `LATENCY`; requests counted."""

    def __init__(self, feeds: int, items: int) -> None:
        self.feeds, self.items = feeds, items
        self.answers: Counter[tuple[str, int]] = Counter()  # (kind, status) -> count
        self.lock = threading.Lock()
        self.base = ""
        self.bodies: dict[str, tuple[bytes, str]] = {}

    def fill(self, base: str) -> None:
        """Make every feed and page, their links under `base`."""
        self.base = base
        words = _vocabulary()
        feed, item, page = (Template((SITE / n).read_text("utf-8")) for n in _TEMPLATES)
        for f in range(self.feeds):
            entries = []
            for i in range(self.items):
                rng = random.Random(f"intake-{f}-{i}")
                title = " ".join(rng.choice(words) for _ in range(6))
                paragraphs = {f"p{k}": _sentence(rng, words, 45) for k in range(1, 5)}
                path = f"/artikel/{f}/{i}.html"
                html = page.substitute(title=title, feed=f, **paragraphs)
                self.bodies[path] = (html.encode(), "text/html; charset=utf-8")
                entries.append(item.substitute(title=title, link=base + path, feed=f, item=i))
            xml = feed.substitute(feed=f, base=base, items="".join(entries))
            self.bodies[f"/feed/{f}.xml"] = (xml.encode(), "application/rss+xml")

    def urls(self) -> list[str]:
        """Return every URL a first intake run fetches: the feeds, then the articles."""
        feeds = sorted(p for p in self.bodies if p.startswith("/feed/"))
        pages = sorted(p for p in self.bodies if p.startswith("/artikel/"))
        return [self.base + p for p in feeds + pages]

    def count(self, kind: str, status: int) -> int:
        with self.lock:
            return self.answers[kind, status]


_TEMPLATES = ("feed.xml", "item.xml", "page.html")


def _vocabulary() -> list[str]:
    text = " ".join(p.read_text("utf-8") for p in sorted((REPO / "seeds").glob("*.txt")))
    return sorted({w for w in re.findall(r"\w{4,}", text) if not w.isdigit()})


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


@contextlib.contextmanager
def serve(site: Site) -> Iterator[Site]:
    """Serve `site` on 127.0.0.1 until the block ends."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            time.sleep(LATENCY)
            body, ctype = site.bodies.get(path, (b"not found", "text/plain"))
            status = 200 if path in site.bodies else 404
            tag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if status == 200 and self.headers.get("If-None-Match") == tag:
                status, body = 304, b""
            with site.lock:
                site.answers["feed" if path.startswith("/feed/") else "page", status] += 1
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if path.startswith("/feed/"):
                self.send_header("ETag", tag)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    site.fill(f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()


def intake(b: Bench) -> Record:
    """`intake` over N feeds x M items (new) vs the same GETs in sequence with urllib."""
    feeds, items = FEEDS, ITEMS
    root = b.project("intake")
    urls_file = b.home / "intake-urls.txt"
    cmd = briefpack_cmd("intake", "--max-articles", str(feeds * items))
    firsts: list[ChildRun] = []
    seconds: list[ChildRun] = []
    plains: list[ChildRun] = []
    clean = True  # every first run added every item; every second run fetched no page
    with serve(Site(feeds, items)) as site:
        lines = [
            f"  - url: {site.base}/feed/{f}.xml\n    name: Messblatt {f}\n" for f in range(feeds)
        ]
        (root / "feeds.yaml").write_text("feeds:\n" + "".join(lines), encoding="utf-8")
        urls = site.urls()
        urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
        for _ in range(b.runs):
            for name in ("inbox", ".briefpack-cache"):
                shutil.rmtree(root / name, ignore_errors=True)
            first = run_child(cmd, cwd=root).check()
            clean &= f"added {feeds * items} item(s)" in first.stdout
            pages, not_modified = site.count("page", 200), site.count("feed", 304)
            second = run_child(cmd, cwd=root).check()
            clean &= site.count("page", 200) == pages  # no article fetched again
            clean &= site.count("feed", 304) == not_modified + feeds  # every feed a 304
            plain = run_child([sys.executable, "-c", SEQUENTIAL, str(urls_file)], cwd=b.home)
            firsts.append(first)
            seconds.append(second.check())
            plains.append(plain.check())
    second_s = median([x.wall for x in seconds])
    fig = ratio_of(
        firsts,
        plains,
        f"{len(urls)} sequential urllib GETs",
        feeds=feeds,
        items=feeds * items,
        latency_s=LATENCY,
        second_run_s=r(second_s, 4),
        second_runs_s=[r(x.wall, 4) for x in seconds],
        holds=clean,
    )
    fig["detail"] = (
        f"{feeds} feeds x {items} items, {LATENCY * 1000:.0f} ms a response: {fig['detail']}; "
        f"second run (every feed 304, no page) {second_s * 1000:.0f} ms"
        + ("" if clean else "; NOT every item added, or a second run fetched pages")
    )
    return fig
