"""`source.inbox_actions`: the inbox decisions the CLI and `serve`'s Inbox view share."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from briefpack.errors import BriefpackError, UsageError
from briefpack.source.extract import HTML
from briefpack.source.fetch import Fetched
from briefpack.source.inbox import InboxItem, cache_article, load_inbox, write_item
from briefpack.source.inbox_actions import NoSuchItemError, accept, dismiss, waiting_items
from briefpack.util.paths import find_project
from tests.support import REPO, copy_project, snapshot

PAGE = REPO / "tests" / "fixtures" / "intake" / "rr-verhandlungsrunde.html"
URL = "https://www.rheinische-rundschau.example/politik/ausland/verhandlung-102.html"


def _inbox(tmp_path: Path) -> Path:
    """A demo copy with two waiting items, one with the article bytes the intake keeps."""
    root = copy_project(tmp_path / "p")
    write_item(root, InboxItem(id="00000000aa", url=URL, link=URL, title="Kiew", score=12.0))
    write_item(root, InboxItem(id="00000000bb", url=URL + "?b", link=URL + "?b", score=1.0))
    cache_article(root, "00000000aa", Fetched(URL, PAGE.read_bytes(), HTML, "text/html"))
    return root


def test_two_accepts_at_once_make_one_briefing(tmp_path: Path) -> None:
    root = _inbox(tmp_path)
    project = find_project(root)
    errors: list[BriefpackError] = []
    start = threading.Barrier(2)

    def run(briefing_id: str) -> None:
        start.wait()
        try:
            accept(project, "00000000aa", briefing_id=briefing_id)
        except BriefpackError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(b,)) for b in ("erste", "zweite")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    made = [b for b in ("erste", "zweite") if (root / "briefings" / f"{b}.yaml").is_file()]
    assert len(made) == 1, made  # the inbox's lock: the check and the write are one step
    (error,) = errors
    assert isinstance(error, UsageError)
    assert error.message == f"inbox item 00000000aa was accepted already (briefing {made[0]})"
    (item,) = [i for i in load_inbox(root) if i.id == "00000000aa"]
    assert (item.status, item.briefing) == ("accepted", made[0])
    assert len(list((root / "seeds").glob(f"*-{made[0]}.txt"))) == 1


def test_decisions_say_what_they_did_and_refuse_unknown_items(tmp_path: Path) -> None:
    root = _inbox(tmp_path)
    project = find_project(root)
    assert [i.id for i in waiting_items(project)] == ["00000000aa"]
    assert [i.id for i in waiting_items(project, show_all=True)] == ["00000000aa", "00000000bb"]
    done = dismiss(project, "00000000b")
    assert done.lines == (f"dismissed 00000000bb: {URL}?b",) and done.made is None
    before = snapshot(root)
    for unknown in ("0123456789", "XYZ", ""):
        with pytest.raises(NoSuchItemError):
            accept(project, unknown)
    with pytest.raises(UsageError, match="starts several inbox item ids"):
        accept(project, "00000000")
    assert snapshot(root) == before
