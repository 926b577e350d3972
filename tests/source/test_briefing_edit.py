"""The briefing editor's writer: untouched bytes kept, concurrent edits merged, bad saves
refused."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefpack.errors import ConflictError, InputError, OutputError, UsageError
from briefpack.source.briefing_edit import (
    Editable,
    overview,
    quote_text,
    read_briefing,
    save_briefing,
    version_of,
)
from briefpack.util.paths import Project

SEED = (
    "Regierung legt Haushalt vor\r\n\r\n"
    "Der Minister sagte: „Wir sparen 😀 nicht am falschen Ende.“ Die Opposition widersprach.\r\n"
    "Sie nannte den Entwurf „unseriös“.\r\n"
)
BRIEFING = """\
# A briefing written by hand: every comment here must survive an edit.
id: haushalt
title: "Haushalt 2026"   # the German headline
source:
  file: seeds/001-haushalt.txt
  title: 'Regierung legt Haushalt vor'
  outlet: null   # not stated
  author: null
  published: 2026-01-12
  url: null
summary: >-   # two paragraphs
  Die Regierung hat den Haushalt vorgelegt.
  Er sieht Einsparungen vor.

  Die Opposition widerspricht.

# between summary and key points
key_points:
  - "Der Haushalt sieht Einsparungen vor."   # first
  # a comment between items
  - Die Opposition widerspricht.
  - "Die Debatte beginnt im Januar."
quotes:
  - text: "Wir sparen 😀 nicht am falschen Ende."
    speaker: "der Minister"   # unnamed
assessment: >-
  Ein erwartbarer Entwurf.
tags: [haushalt, finanzen]   # topics
# the end
"""


def _project(tmp_path: Path, text: str = BRIEFING, name: str = "haushalt") -> Project:
    root = tmp_path / "p"
    (root / "briefings").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    (root / "seeds" / "001-haushalt.txt").write_bytes(SEED.encode("utf-8"))
    (root / "briefings" / f"{name}.yaml").write_bytes(text.encode("utf-8"))
    return Project(root)


def _save(project: Project, edit: Editable, **changes: object) -> list[str]:
    fields = {name.replace("__", "."): value for name, value in changes.items()}
    return save_briefing(project, edit.id, fields, version=edit.version, base=edit.fields).written


def _file(project: Project) -> str:
    return (project.briefings_dir / "haushalt.yaml").read_bytes().decode("utf-8")


def test_an_edit_changes_only_the_bytes_of_the_fields_it_changes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    edit = read_briefing(project, "haushalt")
    assert edit.fields["summary"] == (
        "Die Regierung hat den Haushalt vorgelegt. Er sieht Einsparungen vor.\n\n"
        "Die Opposition widerspricht."
    )
    points = list(edit.fields["key_points"])  # type: ignore[arg-type]
    points[1] = "Die Opposition: widerspricht scharf."  # a colon: no longer plain YAML
    written = _save(
        project,
        edit,
        title="Haushalt 2026: Sparen",
        source__outlet="Tagesblatt",
        source__title="Regierung legt den Haushalt vor",
        key_points=points,
        summary=str(edit.fields["summary"]),  # unchanged: not rewritten
    )
    assert written == ["title", "source.outlet", "source.title", "key_points"]
    expected = (
        BRIEFING.replace('"Haushalt 2026"', '"Haushalt 2026: Sparen"')
        .replace("outlet: null", "outlet: Tagesblatt")  # plain stays plain where it reads back
        .replace("'Regierung legt Haushalt vor'", "'Regierung legt den Haushalt vor'")
        .replace("- Die Opposition widerspricht.", '- "Die Opposition: widerspricht scharf."')
    )
    assert _file(project) == expected


def test_lists_grow_and_shrink_in_their_own_layout(tmp_path: Path) -> None:
    project = _project(tmp_path)
    edit = read_briefing(project, "haushalt")
    quotes = [*edit.fields["quotes"], {"text": "„unseriös“", "speaker": "die Opposition"}]  # type: ignore[misc]
    _save(project, edit, key_points=["Nur noch einer."], quotes=quotes, tags=[])
    text = _file(project)
    assert 'key_points:\n  - "Nur noch einer."   # first\nquotes:\n' in text
    assert "a comment between items" not in text  # removed with the items it stood between
    assert (
        '    speaker: "der Minister"   # unnamed\n'
        '  - text: "„unseriös“"\n'
        '    speaker: "die Opposition"\n'
        "assessment:"
    ) in text
    assert "tags: []   # topics\n# the end\n" in text
    edit = read_briefing(project, "haushalt")
    _save(project, edit, key_points=["Eins.", "Zwei.", "Drei."], tags=["a b", "c,d", "e"])
    text = _file(project)
    assert '  - "Eins."   # first\n  - "Zwei."\n  - "Drei."\nquotes:' in text
    assert 'tags: [a b, "c,d", e]   # topics' in text
    assert read_briefing(project, "haushalt").fields["tags"] == ["a b", "c,d", "e"]


def test_a_missing_key_is_added_and_crlf_files_stay_crlf(tmp_path: Path) -> None:
    text = BRIEFING.replace("tags: [haushalt, finanzen]   # topics\n", "").replace(
        "  title: 'Regierung legt Haushalt vor'\n", ""
    )
    project = _project(tmp_path, text.replace("\n", "\r\n"))
    edit = read_briefing(project, "haushalt")
    assert edit.fields["tags"] == [] and edit.fields["source.title"] is None
    _save(project, edit, tags=["neu"], source__title="Haushalt")
    after = _file(project)
    assert "\n" not in after.replace("\r\n", "")
    assert "  url: null\r\n  title: Haushalt\r\nsummary:" in after
    assert after.endswith("  Ein erwartbarer Entwurf.\r\ntags: [neu]\r\n# the end\r\n")


def test_a_one_line_summary_becomes_a_block_and_keeps_its_comment(tmp_path: Path) -> None:
    text = BRIEFING.replace(
        "summary: >-   # two paragraphs\n  Die Regierung hat den Haushalt vorgelegt.\n"
        "  Er sieht Einsparungen vor.\n\n  Die Opposition widerspricht.\n",
        "summary: Kurz.   # to be written\n",
    )
    project = _project(tmp_path, text)
    edit = read_briefing(project, "haushalt")
    _save(project, edit, summary="Erster Satz. Zweiter Satz.\n\nNeuer Absatz.")
    assert (
        "summary: >-   # to be written\n  Erster Satz.\n  Zweiter Satz.\n\n  Neuer Absatz.\n\n"
        "# between summary"
    ) in _file(project)


PARAGRAPH_TEXTS = [
    "Schlicht.",
    "Umlaute: äöüß ÄÖÜ, „Anführung“ und ‚halbe‘; »Guillemets«.",
    "# kein Kommentar, sondern Text",
    "- beginnt mit einem Strich",
    "Doppelpunkt: am Ende:",
    "'einfach' und \"doppelt\" zitiert, Backslash \\ und {Klammern} [eckig]",
    "--- drei Striche ... drei Punkte",
    "null",
    "yes",
    "2026-01-12",
    "&anker *alias !tag %direktive @at `backtick` | pipe > größer",
    "5\u00a0% und S.\u00a03 mit geschützten Leerzeichen",
]


@pytest.mark.parametrize("text", PARAGRAPH_TEXTS)
def test_texts_round_trip_exactly(tmp_path: Path, text: str) -> None:
    project = _project(tmp_path)
    edit = read_briefing(project, "haushalt")
    summary = f"{text} Zweiter Satz.\n\n{text}\n\nDritter Absatz."
    points = [text, "Zweiter Punkt.", text]
    _save(project, edit, summary=summary, title=text, key_points=points, source__outlet=text)
    fields = read_briefing(project, "haushalt").fields
    # Paragraphs are compared as `source.segment` splits them (no-break spaces made spaces).
    assert fields["summary"] == summary.replace("\u00a0", " ")
    assert fields["title"] == fields["source.outlet"] == text
    assert fields["key_points"] == points


_WORD = st.text(
    alphabet=st.sampled_from(list("abcäöüßXYZ019 :#-'\"„“,.!?&*[]{}|>%@`\\\u00a0")),
    min_size=1,
    max_size=12,
)
_LINE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join).map(str.strip).filter(bool)


@given(paragraphs=st.lists(_LINE, min_size=1, max_size=4), title=_LINE)
def test_any_paragraphs_round_trip(
    tmp_path_factory: pytest.TempPathFactory, paragraphs: list[str], title: str
) -> None:
    from briefpack.source.briefing_edit import normalized
    from briefpack.util.text import normalize

    project = _project(tmp_path_factory.mktemp("h"))
    edit = read_briefing(project, "haushalt")
    summary = "\n\n".join(paragraphs)
    expected = normalized("summary", summary)
    # Plain, single- and double-quoted values, in a block and in a flow list.
    points = [title, "Die Opposition widerspricht.", title]
    _save(project, edit, summary=summary, title=title, assessment=summary, key_points=points)
    edit = read_briefing(project, "haushalt")
    _save(project, edit, source__outlet=title, source__title=title, tags=[title, "x"])
    fields = read_briefing(project, "haushalt").fields
    assert fields["summary"] == fields["assessment"] == expected
    line = normalized("title", title)
    assert fields["title"] == fields["source.outlet"] == fields["source.title"] == line
    assert fields["key_points"] == [line, "Die Opposition widerspricht.", line]
    assert fields["tags"] == [line, "x"]
    assert str(expected).split("\n\n") == [p for p in map(normalize, paragraphs) if p]


def test_a_concurrent_edit_on_disk_is_kept(tmp_path: Path) -> None:
    project = _project(tmp_path)
    edit = read_briefing(project, "haushalt")
    path = project.briefings_dir / "haushalt.yaml"
    # Meanwhile, by hand (or `pack`, `new`, another tab): the outlet, and a new comment.
    hand = BRIEFING.replace("outlet: null   # not stated", "outlet: Tagesblatt   # checked")
    path.write_text("# reviewed on Monday\n" + hand, encoding="utf-8")
    saved = save_briefing(
        project, "haushalt", {**edit.fields, "title": "Neu"}, version=edit.version, base=edit.fields
    )
    assert saved.written == ["title"] and saved.kept == ["source.outlet"]
    text = _file(project)
    assert text.startswith("# reviewed on Monday\n")
    assert "outlet: Tagesblatt   # checked" in text and 'title: "Neu"   # the German' in text
    assert saved.version == version_of(text)


def test_a_field_changed_on_both_sides_is_refused(tmp_path: Path) -> None:
    project = _project(tmp_path)
    edit = read_briefing(project, "haushalt")
    path = project.briefings_dir / "haushalt.yaml"
    path.write_text(BRIEFING.replace("Haushalt 2026", "Haushalt 2027"), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ConflictError) as caught:
        _save(project, edit, title="Haushalt 2028", source__author="Anna")
    assert "title changed both there and here: nothing was saved" in caught.value.message
    assert path.read_bytes() == before
    # The same change on both sides is no conflict; a page without the base cannot merge.
    assert _save(project, edit, title="Haushalt 2027") == []
    with pytest.raises(ConflictError):
        save_briefing(project, "haushalt", {"source.author": "Anna"}, version="old")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("title", " ", "title: string should have at least 1 character"),
        ("source.published", "2026-02-30", "source.published:"),
        ("source.url", "ftp://example.org/x", "must be an http:// or https:// URL"),
        ("quotes", [{"text": "Zitat ohne Sprecher", "speaker": ""}], "quotes[0].speaker"),
        ("key_points", [], "key_points: list should have at least 1 item"),
    ],
)
def test_a_save_that_makes_the_briefing_invalid_writes_nothing(
    tmp_path: Path, field: str, value: object, words: str
) -> None:
    project = _project(tmp_path)
    edit = read_briefing(project, "haushalt")
    before = _file(project)
    with pytest.raises(InputError) as caught:
        save_briefing(project, "haushalt", {field: value}, version=edit.version)
    assert any(words in line for line in caught.value.lines()), caught.value.lines()
    assert all(line.startswith("briefings/haushalt.yaml:") for line in caught.value.lines())
    assert _file(project) == before


def test_text_that_cannot_enter_is_refused(tmp_path: Path) -> None:
    project = _project(tmp_path)
    edit = read_briefing(project, "haushalt")
    with pytest.raises(UsageError, match=r"^key_points\[1\]: character U\+0001"):
        _save(project, edit, key_points=["gut", "a\x01b"])
    with pytest.raises(UsageError, match="not a field the editor writes"):
        save_briefing(project, "haushalt", {"id": "x"}, version=edit.version)
    with pytest.raises(UsageError, match=re.escape("no briefing '../x'")):
        save_briefing(project, "../x", {}, version=edit.version)


def test_a_failed_write_leaves_the_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    edit = read_briefing(project, "haushalt")

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        _save(project, edit, title="Neu")
    monkeypatch.undo()
    assert _file(project) == BRIEFING
    assert sorted(p.name for p in project.briefings_dir.iterdir()) == [
        ".haushalt.yaml.lock",
        "haushalt.yaml",
    ]


def test_quotes_are_cut_from_the_source_by_offsets(tmp_path: Path) -> None:
    project = _project(tmp_path)
    edit = read_briefing(project, "haushalt")
    assert "\r" not in edit.source_text  # as the page shows it
    wanted = "Sie nannte den Entwurf „unseriös“."
    # UTF-16 offsets, as the browser counts: the emoji before the quote is two code units.
    start = len(edit.source_text[: edit.source_text.index(wanted)].encode("utf-16-le")) // 2
    span = [start, start + len(wanted)]
    assert quote_text(edit.source_text, span) == wanted
    quotes = [*edit.fields["quotes"], {"from": span, "speaker": "die Opposition"}]  # type: ignore[misc]
    saved = save_briefing(
        project,
        "haushalt",
        {"quotes": quotes},
        version=edit.version,
        seed_version=edit.seed_version,
    )
    assert saved.fields["quotes"][-1] == {"text": wanted, "speaker": "die Opposition"}  # type: ignore[index]
    assert f'  - text: "{wanted}"\n    speaker: "die Opposition"\n' in _file(project)
    emoji = edit.source_text.index("😀")
    for bad, words in (
        ([0, 10**6], "not inside the source text"),
        ([5, 5], "not inside"),
        ([emoji + 1, emoji + 3], "cuts a character in two"),
        (["0", 3], "must be [start, end]"),
        ([3, 4, 5], "must be [start, end]"),
    ):
        with pytest.raises(UsageError, match=re.escape(words)):
            quote_text(edit.source_text, bad)
    with pytest.raises(ConflictError, match="changed since the page was loaded"):
        save_briefing(
            project, "haushalt", {"quotes": quotes}, version=saved.version, seed_version="old"
        )


def test_overview_offers_the_seeds_without_a_briefing(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project.seeds_dir / "002-neu.txt").write_text("Neu.", encoding="utf-8")
    (project.seeds_dir / ".hidden.txt").write_text("x", encoding="utf-8")
    assert overview(project) == ([("haushalt", "Haushalt 2026")], ["seeds/002-neu.txt"])
