"""`briefpack intake` and `briefpack inbox` against a real HTTP server (feedserver.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from briefpack.source import syndication
from briefpack.source.extract import extract_html
from briefpack.source.inbox import cached_article, load_inbox
from tests.commands.intake.feedserver import (
    AGENCY_COPY,
    ARTICLE,
    FIXTURES,
    GOOD_FEEDS,
    Server,
    app,
    by_title,
    inbox_json,
    invoke,
    runner,
    write_feeds,
)
from tests.support import copy_project, snapshot

# --- intake ------------------------------------------------------------------------------


def test_intake_dedupes_ranks_and_lists(project: Path, server: Server) -> None:
    write_feeds(project, server.base, GOOD_FEEDS)
    code, out = invoke("intake", "--project", project)
    assert code == 0, out
    assert "added 4 item(s) to inbox/" in out
    assert "1 item(s) without a link skipped" in out  # the RSS ticker item; JSON one too

    items = inbox_json(project, "--all")
    assert [set(i) for i in items] == [
        {"id", "title", "outlet", "date", "url", "score", "terms", "duplicates"}
    ] * 4
    # One story, three places: the RSS link (utm_*), the RDF link (#fragment), and the
    # agency copy another outlet carries at its own URL (near-duplicate text).
    story = by_title(items, "Kiew und Kreml")
    assert story["outlet"] == "Rheinische Rundschau"
    assert story["date"] == "2026-01-12"
    assert story["url"] == (
        "https://www.rheinische-rundschau.example/politik/ausland/"
        "verhandlungsrunde-waffenstillstand-102.html"
    )
    assert sorted(story["duplicates"]) == sorted(  # type: ignore[arg-type]
        [f"{server.base}{ARTICLE}#kommentare", f"{server.base}{AGENCY_COPY}?fbclid=IwAR0x"]
    )
    assert not any(str(i["title"]).startswith("Genf:") for i in items)
    # Ranked by the glossary terms found; the unrelated local story is last and hidden.
    scores = [float(i["score"]) for i in items]  # type: ignore[arg-type]
    assert scores == sorted(scores, reverse=True)
    assert items[0] is story
    assert {"Waffenstillstand", "Kreml", "Kiew", "Selenskyj"} <= set(story["terms"])  # type: ignore[arg-type]
    local = by_title(items, "Weihnachtsmarkt")
    assert local["terms"] == [] and local["score"] == 0
    assert [i["id"] for i in inbox_json(project)] == [i["id"] for i in items[:3]]

    # Every feed and every article fetched exactly once.
    for path in [*GOOD_FEEDS, ARTICLE, AGENCY_COPY, "/tz/politik/wehretat.html"]:
        assert server.count(path) == 1, path
    files = sorted(p.name for p in (project / "inbox").iterdir())
    assert files == sorted(f"{i['id']}.yaml" for i in items)


def test_a_second_run_asks_conditionally_and_adds_nothing(project: Path, server: Server) -> None:
    write_feeds(project, server.base, GOOD_FEEDS)
    assert invoke("intake", "--project", project)[0] == 0
    before = snapshot(project / "inbox")
    first = len(server.requests)

    code, out = invoke("intake", "--json", "--project", project)
    assert code == 0, out
    report = json.loads(out)
    assert report["added"] == [] and report["merged"] == []
    assert [f["status"] for f in report["feeds"]] == ["not-modified"] * 4
    again = server.requests[first:]
    assert sorted(p for p, _ in again) == sorted(GOOD_FEEDS)  # the feeds only, no article
    for path, headers in again:
        if path == "/nk/welt.atom":
            assert headers["If-Modified-Since"] == "Mon, 12 Jan 2026 07:20:00 GMT"
        else:
            assert headers["If-None-Match"].startswith('"')
    assert {status for _, status in server.answers[first:]} == {304}
    assert snapshot(project / "inbox") == before


def test_lost_state_costs_a_fetch_but_adds_nothing(project: Path, server: Server) -> None:
    write_feeds(project, server.base, GOOD_FEEDS)
    assert invoke("intake", "--project", project)[0] == 0
    before = snapshot(project / "inbox")
    shutil.rmtree(project / ".briefpack-cache")
    code, out = invoke("intake", "--project", project)
    assert code == 0, out
    assert "added 0 item(s)" in out
    assert snapshot(project / "inbox") == before
    assert server.count(ARTICLE) == 1  # known by URL: not fetched again


def test_a_guid_seen_before_is_the_same_story_at_a_new_url(project: Path, server: Server) -> None:
    write_feeds(project, server.base, ["/feeds/rundschau.rss"])
    assert invoke("intake", "--project", project)[0] == 0
    moved = f"{server.base}/politik/ausland/verhandlungsrunde-neu-102.html"
    server.edits["/feeds/rundschau.rss"] = [(f"{server.base}{ARTICLE}".encode(), moved.encode())]
    code, out = invoke("intake", "--project", project)
    assert code == 0, out
    assert "3 item(s), 0 new, 2 known" in out and "1 known item(s) seen in another place" in out
    assert server.count("/politik/ausland/verhandlungsrunde-neu-102.html") == 0
    story = by_title(inbox_json(project), "Kiew und Kreml")
    assert story["duplicates"] == [f"{moved}?utm_source=rss&utm_medium=feed&utm_campaign=politik"]


def test_accept_makes_the_briefing_new_makes(project: Path, server: Server, tmp_path: Path) -> None:
    write_feeds(project, server.base, ["/feeds/rundschau.rss"])
    assert invoke("intake", "--project", project)[0] == 0
    story = by_title(inbox_json(project), "Kiew und Kreml")
    code, out = invoke("inbox", "accept", str(story["id"])[:6], "--project", project)
    assert code == 0, out
    assert server.count(ARTICLE) == 1  # the intake's copy: no second download

    other = copy_project(tmp_path / "other")
    link = f"{server.base}{ARTICLE}?utm_source=rss&utm_medium=feed&utm_campaign=politik"
    code, out = invoke("new", link, "--project", other)
    assert code == 0, out
    bid = "kiew-und-kreml-neue-verhandlungsrunde-ueber"
    made = project / "briefings" / f"{bid}.yaml"
    assert made.read_text(encoding="utf-8") == (other / "briefings" / f"{bid}.yaml").read_text(
        encoding="utf-8"
    )
    seed = f"seeds/005-{bid}.txt"
    assert (project / seed).read_bytes() == (other / seed).read_bytes()
    assert f"wrote briefings/{bid}.yaml for {seed}" in out

    # Decided items leave the list and are not offered again.
    assert inbox_json(project) == []
    code, out = invoke("inbox", "accept", str(story["id"]), "--project", project)
    assert code == 2 and f"accepted already (briefing {bid})" in out
    server.requests.clear()
    assert invoke("intake", "--project", project)[0] == 0
    assert inbox_json(project) == []


def test_accept_downloads_again_when_the_kept_copy_is_gone_or_odd(
    project: Path, server: Server
) -> None:
    write_feeds(project, server.base, ["/tz/feed.json"])
    assert invoke("intake", "--project", project)[0] == 0
    (item,) = inbox_json(project)
    kept = project / ".briefpack-cache" / "intake" / "articles" / f"{item['id']}.json"
    meta = kept.read_text(encoding="utf-8")
    assert cached_article(project, str(item["id"]), limit=1 << 20) is not None
    kept.write_text('{"url": "x", "kind": "zzz", "content_type": "x"}', encoding="utf-8")
    assert cached_article(project, str(item["id"]), limit=1 << 20) is None
    # What a power cut can leave of a copy written without fsync: an empty body.
    kept.write_text(meta, encoding="utf-8")
    kept.with_suffix(".body").write_bytes(b"")
    assert cached_article(project, str(item["id"]), limit=1 << 20) is None
    code, out = invoke("inbox", "accept", str(item["id"]), "--project", project)
    assert code == 0, out
    assert server.count("/tz/politik/wehretat.html") == 2
    assert (project / "briefings" / "bundestag-streitet-ueber-den-wehretat.yaml").is_file()


def test_an_invalid_inbox_file_is_located(project: Path) -> None:
    (project / "inbox").mkdir()
    (project / "inbox" / "0123456789.yaml").write_text(
        "id: '0123456789'\nurl: https://a.example/x\nlink: https://a.example/x\nscore: viel\n",
        encoding="utf-8",
    )
    code, out = invoke("inbox", "list", "--project", project)
    assert code == 3, out
    assert "error: inbox/0123456789.yaml:4:1: score: input should be a valid number" in out


def test_dismissed_items_stay_dismissed(project: Path, server: Server) -> None:
    write_feeds(project, server.base, ["/tz/feed.json"])
    assert invoke("intake", "--project", project)[0] == 0
    (item,) = inbox_json(project)
    code, out = invoke("inbox", "dismiss", str(item["id"]), "--project", project)
    assert code == 0 and "dismissed" in out
    assert inbox_json(project, "--all") == []
    shutil.rmtree(project / ".briefpack-cache")  # even a full re-read does not bring it back
    assert invoke("intake", "--project", project)[0] == 0
    assert inbox_json(project, "--all") == []
    assert invoke("inbox", "dismiss", "0123456789", "--project", project)[0] == 2


def test_stories_already_in_seeds_are_not_offered(project: Path, server: Server) -> None:
    copy = extract_html((FIXTURES / "nk-gespraeche.html").read_bytes(), "x")
    (project / "seeds" / "010-genf.txt").write_text(copy.text, encoding="utf-8")
    write_feeds(project, server.base, ["/nk/welt.atom"])
    code, out = invoke("intake", "--project", project)
    assert code == 0, out
    assert "already in the project as seeds/010-genf.txt" in out
    assert [i["title"] for i in inbox_json(project, "--all")] == [
        "Nach Angriffen auf Kraftwerke: Charkiw ohne Strom"
    ]


def test_broken_feeds_do_not_stop_the_others(
    project: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(syndication, "FEED_TIMEOUT", 0.5)
    bad = ["/kaputt.xml", "/fehlt.xml", "/archiv.xml", "/langsam.xml", "/startseite-als-feed"]
    write_feeds(project, server.base, [*bad, "/feeds/rundschau.rss"])
    report = project.parent / "intake-report.json"
    code, out = invoke("intake", "--report", report, "--project", project)
    assert code == 1, out
    failed = [line for line in out.splitlines() if "): failed: " in line]
    assert len(failed) == 5, out
    expect = [
        "not an RSS, Atom or JSON feed",
        "HTTP 404",
        "100,000 items, more than the 2,000",
        "no complete answer within",
        "serves a web page, not a feed",
    ]
    for line, words in zip(failed, expect, strict=True):
        assert words in line, line
    assert "added 2 item(s)" in out  # the good feed's stories
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["ok"] is False and len(data["feeds"]) == 6
    assert len(load_inbox(project)) == 2  # every file whole and valid
    # Nothing was remembered for the failed feeds: the next run tries them again.
    state = json.loads((project / ".briefpack-cache/intake/state.json").read_text("utf-8"))
    assert list(state["feeds"]) == [f"{server.base}/feeds/rundschau.rss"]


def test_an_article_the_network_fails_is_tried_on_three_runs(project: Path, server: Server) -> None:
    server.edits["/feeds/rundschau.rss"] = [(b"/lokales/weihnachtsmarkt", b"/lokales/fehlt")]
    write_feeds(project, server.base, ["/feeds/rundschau.rss"])
    outs = [invoke("intake", "--project", project) for _ in range(4)]
    assert [code for code, _ in outs] == [0, 0, 0, 0]
    assert "skipped: " in outs[0][1] and "HTTP 404" in outs[0][1]
    assert "1 to fetch again next run (network)" in outs[0][1]
    assert "1 to fetch again next run" in outs[1][1]
    assert "to fetch again" not in outs[2][1]  # the third try was the last
    assert "not modified since the last run (304)" in outs[3][1]
    assert server.count("/lokales/fehlt-rheinufer-77.html") == 3
    assert server.count(ARTICLE) == 1
    assert len(inbox_json(project, "--all")) == 1


def test_max_articles_leaves_the_rest_for_the_next_run(project: Path, server: Server) -> None:
    write_feeds(project, server.base, ["/nk/welt.atom", "/tz/feed.json"])
    code, out = invoke("intake", "--max-articles", "1", "--project", project)
    assert code == 0, out
    assert "2 left for the next run" not in out and "1 left for the next run" in out
    assert len(inbox_json(project, "--all")) == 1
    code, out = invoke("intake", "--max-articles", "5", "--project", project)
    assert code == 0, out
    assert len(inbox_json(project, "--all")) == 3


def test_list_prints_score_id_date_outlet_title_and_terms(project: Path, server: Server) -> None:
    write_feeds(project, server.base, ["/feeds/rundschau.rss"])
    assert invoke("intake", "--project", project)[0] == 0
    story = by_title(inbox_json(project), "Kiew und Kreml")
    result = runner.invoke(app, ["inbox", "list", "--project", str(project)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{float(story['score']):6.1f}  {story['id']}  2026-01-12  Rheinische Rundschau: "  # type: ignore[arg-type]
        "Kiew und Kreml: Neue Verhandlungsrunde über einen Waffenstillstand"
    )
    terms = list(story["terms"])  # type: ignore[call-overload]
    assert lines[1] == " " * 8 + ", ".join(terms[:12]) + f", … (+{len(terms) - 12})"
    assert len(lines) == 2
    assert "1 item(s) below the relevance threshold hidden (--all shows them)" in result.stderr


def test_markdown_for_the_job_summary(project: Path, server: Server) -> None:
    write_feeds(project, server.base, ["/feeds/rundschau.rss"])
    assert invoke("intake", "--project", project)[0] == 0
    code, out = invoke("inbox", "list", "--markdown", "--project", project)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "### Inbox"
    assert lines[2] == "| score | id | date | outlet | title | terms |"
    assert "[Kiew und Kreml: Neue Verhandlungsrunde über einen Waffenstillstand](https://" in out
    assert lines[-1] == "1 item(s) below the score 3 hidden."
