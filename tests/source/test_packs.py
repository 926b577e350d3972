"""Pack edits: only the `briefings:` list changes, every other byte of the file is kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from briefpack.errors import InputError, UsageError
from briefpack.source.packs import (
    add_briefings,
    list_packs,
    move_briefing,
    new_pack,
    remove_briefings,
    show_pack,
)
from briefpack.util.paths import Project

PACK = """\
# Our weekly pack.  Keep this comment.
title:
  de: 'Lage: Ost'   # single quotes stay single
  en: "Situation: East"
date: 2026-02-02
audience: "Referate"
marking: "VS-NfD"
executive_summary: >-
  Erster Satz, der über achtzig Zeichen lang ist, damit ein Emitter ihn neu umbrechen würde.
  Zweiter Satz.
briefings:
  # the lead story first
  - alpha   # lead
  - beta
  - gamma
# trailing comment about the list
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    (tmp_path / "briefings" / "packs").mkdir(parents=True)
    for bid in ("alpha", "beta", "gamma", "delta", "epsilon"):
        (tmp_path / "briefings" / f"{bid}.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "briefings" / "packs" / "week.yaml").write_text(PACK, encoding="utf-8")
    return Project(tmp_path)


def text(project: Project, name: str = "week") -> str:
    return (project.packs_dir / f"{name}.yaml").read_text(encoding="utf-8")


def briefings(project: Project, name: str = "week") -> list[str]:
    data = yaml.safe_load(text(project, name))
    return list(data["briefings"])


def outside_list(source: str) -> str:
    """The file without its `briefings:` block (what an edit must leave byte for byte)."""
    head, _, tail = source.partition("briefings:\n")
    return head + tail[tail.index("# trailing") :]


def test_add_appends_and_keeps_every_other_byte(project: Project) -> None:
    info = add_briefings(project, "week", ["delta"])
    assert info.briefings == ("alpha", "beta", "gamma", "delta")
    assert briefings(project) == ["alpha", "beta", "gamma", "delta"]
    assert outside_list(text(project)) == outside_list(PACK)
    assert "  - alpha   # lead\n" in text(project)
    assert "  # the lead story first\n  - alpha" in text(project)


def test_add_at_position(project: Project) -> None:
    add_briefings(project, "week", ["delta", "epsilon"], at=2)
    assert briefings(project) == ["alpha", "delta", "epsilon", "beta", "gamma"]
    add_briefings(project, "week", [], at=1)  # nothing to add: nothing changes
    assert briefings(project)[0] == "alpha"


def test_move_carries_the_items_comments(project: Project) -> None:
    move_briefing(project, "week", "alpha", 3)
    assert briefings(project) == ["beta", "gamma", "alpha"]
    assert "  - gamma\n  # the lead story first\n  - alpha   # lead\n" in text(project)
    assert outside_list(text(project)) == outside_list(PACK)


def test_remove_then_empty_list(project: Project) -> None:
    remove_briefings(project, "week", ["beta"])
    assert briefings(project) == ["alpha", "gamma"]
    remove_briefings(project, "week", ["alpha", "gamma"])
    assert briefings(project) == []
    assert "briefings: []\n" in text(project)
    add_briefings(project, "week", ["delta"])
    assert briefings(project) == ["delta"]


def test_flow_style_list_is_rewritten_as_a_block(project: Project) -> None:
    path = project.packs_dir / "week.yaml"
    path.write_text(PACK.split("briefings:")[0] + "briefings: [alpha, beta]\n", encoding="utf-8")
    add_briefings(project, "week", ["gamma"])
    assert briefings(project) == ["alpha", "beta", "gamma"]


def test_crlf_file_stays_crlf(project: Project) -> None:
    path = project.packs_dir / "week.yaml"
    path.write_bytes(PACK.replace("\n", "\r\n").encode())
    add_briefings(project, "week", ["delta"])
    raw = path.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert briefings(project) == ["alpha", "beta", "gamma", "delta"]


def test_file_without_final_newline_keeps_it_so(project: Project) -> None:
    path = project.packs_dir / "week.yaml"
    body = PACK.split("# trailing")[0].rstrip("\n")
    path.write_text(body, encoding="utf-8")
    move_briefing(project, "week", "gamma", 1)
    assert briefings(project) == ["gamma", "alpha", "beta"]
    assert not path.read_text(encoding="utf-8").endswith("\n")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: add_briefings(p, "week", ["nope"]), "no briefing 'nope'"),
        (lambda p: add_briefings(p, "week", ["beta"]), "is in pack 'week' already"),
        (lambda p: add_briefings(p, "week", ["delta"], at=9), "position 9 is out of range"),
        (lambda p: remove_briefings(p, "week", ["delta"]), "'delta' is not in pack 'week'"),
        (lambda p: move_briefing(p, "week", "beta", 0), "position 0 is out of range"),
        (lambda p: add_briefings(p, "other", ["beta"]), "no pack 'other' in briefings/packs/"),
        (lambda p: new_pack(p, "Bad Name"), "is not a pack name"),
        (lambda p: new_pack(p, "week"), "exists already"),
    ],
)
def test_refusals_change_nothing(project: Project, call: object, message: str) -> None:
    before = text(project)
    with pytest.raises(UsageError, match=message):
        call(project)  # type: ignore[operator]
    assert text(project) == before


def test_invalid_pack_is_an_input_error(project: Project) -> None:
    path = project.packs_dir / "week.yaml"
    path.write_text(PACK.replace("date: 2026-02-02", "date: someday"), encoding="utf-8")
    with pytest.raises(InputError):
        add_briefings(project, "week", ["delta"])


def test_new_pack_is_valid_and_listed(project: Project) -> None:
    path = new_pack(
        project, "lage", title='Lage "Ost"', briefings=["beta"], today=dt.date(2026, 3, 1)
    )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["title"]["de"] == 'Lage "Ost"'
    assert data["title"]["en"].startswith("TODO")
    assert data["date"] == dt.date(2026, 3, 1)
    assert data["briefings"] == ["beta"]
    assert [p.name for p in list_packs(project)] == ["lage", "week"]
    assert show_pack(project, "lage").briefings == ("beta",)
