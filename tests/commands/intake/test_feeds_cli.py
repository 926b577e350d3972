"""`briefpack feeds`, feed keywords, and the optional workflow step, against a real HTTP server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.commands.intake.feedserver import (
    Server,
    by_title,
    inbox_json,
    invoke,
    write_feeds,
)
from tests.support import REPO

# --- feeds add / list / remove -------------------------------------------------------------


def test_feeds_add_discovers_lists_and_removes_keeping_comments(
    project: Path, server: Server
) -> None:
    (project / "feeds.yaml").write_text(
        "# Feeds of the desk: morning scan\nfeeds: []   # none yet\n", encoding="utf-8"
    )
    code, out = invoke("feeds", "add", f"{server.base}/", "--project", project)
    assert code == 0, out
    assert f"links to the feed {server.base}/feeds/rundschau.rss" in out
    assert "added Rheinische Rundschau – Nachrichten" in out and "RSS 2.0, 3 item(s)" in out
    code, out = invoke(
        "feeds", "add", f"{server.base}/tz/feed.json", "--name", "Tageszeitung am Main",
        "--keyword", "Wehretat", "--tag", "inland", "--project", project,
    )  # fmt: skip
    assert code == 0, out
    code, out = invoke("feeds", "add", f"{server.base}/tz/feed.json", "--project", project)
    assert code == 2 and "is already a feed" in out
    code, out = invoke("feeds", "add", f"{server.base}/fehlt.xml", "--project", project)
    assert code == 6 and "HTTP 404" in out

    code, out = invoke("feeds", "list", "--project", project)
    assert code == 0
    assert out.splitlines() == [
        f"Rheinische Rundschau – Nachrichten  {server.base}/feeds/rundschau.rss",
        f"Tageszeitung am Main  {server.base}/tz/feed.json  [keywords: Wehretat; tags: inland]",
    ]
    text = (project / "feeds.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Feeds of the desk: morning scan\n")
    assert "keywords: [Wehretat]" in text

    code, out = invoke(
        "feeds", "remove", "rheinische rundschau – nachrichten", "--project", project
    )
    assert code == 0, out
    code, out = invoke("feeds", "remove", "Unbekannt", "--project", project)
    assert code == 2 and "no feed has the URL or name 'Unbekannt'" in out
    text = (project / "feeds.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Feeds of the desk: morning scan\n")
    assert "rundschau.rss" not in text and "tz/feed.json" in text


def test_feed_keywords_count_towards_relevance(project: Path, server: Server) -> None:
    (project / "feeds.yaml").write_text(
        f"feeds:\n  - url: {server.base}/feeds/rundschau.rss\n    name: RR\n"
        "    keywords: [Riesenrad, Glühwein]\n",
        encoding="utf-8",
    )
    assert invoke("intake", "--project", project)[0] == 0
    local = by_title(inbox_json(project), "Weihnachtsmarkt")
    assert local["terms"] == ["Riesenrad", "Glühwein"]  # the lead's word weighs more
    assert float(local["score"]) >= 3  # type: ignore[arg-type]


def test_invalid_feeds_file_is_located(project: Path) -> None:
    (project / "feeds.yaml").write_text(
        "feeds:\n  - url: ftp://example.org/feed\n    name: X\n    keywords: Ukraine\n",
        encoding="utf-8",
    )
    code, out = invoke("intake", "--project", project)
    assert code == 3, out
    assert "error: feeds.yaml:2:5: feeds[0].url: must be an http:// or https:// URL" in out
    assert "error: feeds.yaml:4:5: feeds[0].keywords: expected a list, got text ('Ukraine')" in out
    code, out = invoke("feeds", "add", "https://example.org/feed", "--project", project)
    assert code == 3, out  # refused before anything is fetched
    assert "ftp://" in (project / "feeds.yaml").read_text(encoding="utf-8")


# --- the optional workflow step ---------------------------------------------------------------


@pytest.mark.slow
def test_workflow_step_writes_the_ranked_inbox_to_the_job_summary(
    project: Path, server: Server, tmp_path: Path
) -> None:
    doc = yaml.safe_load((REPO / ".github" / "workflows" / "briefpack.yml").read_text("utf-8"))
    step = next(s for j in doc["jobs"].values() for s in j["steps"] if s.get("id") == "intake")
    assert step["if"] == "hashFiles('feeds.yaml') != ''" and step["continue-on-error"] is True
    real = tmp_path / "bin" / "briefpack"  # the real CLI, from this checkout
    real.parent.mkdir()
    real.write_text(f'#!/bin/sh\nexec {sys.executable} -m briefpack "$@"\n')
    real.chmod(0o755)
    script = tmp_path / "step.sh"
    script.write_text(step["run"])
    summary = tmp_path / "summary.md"

    def run_step() -> int:
        env = {
            **os.environ,
            "PATH": f"{real.parent}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": str(REPO / "src"),
            "RUNNER_TEMP": str(tmp_path),
            "GITHUB_STEP_SUMMARY": str(summary),
        }
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return proc.returncode

    write_feeds(project, server.base, ["/feeds/rundschau.rss", "/kaputt.xml"])
    assert run_step() == 1  # a feed failed: the step says so (and the job goes on)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### Inbox\n")
    assert "| [Kiew und Kreml: Neue Verhandlungsrunde über einen Waffenstillstand](https://" in text
    assert "<summary>Feeds read by briefpack intake</summary>" in text
    assert "kaputt.xml): failed: not an RSS, Atom or JSON feed" in text
    write_feeds(project, server.base, ["/feeds/rundschau.rss"])
    assert run_step() == 0
