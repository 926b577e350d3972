"""The one parsed-glossary cache: `check`/`build` and the editor read and leave it warm."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefpack.errors import InputError
from briefpack.glossary import cache
from briefpack.glossary.edit import add_term, remove_term, set_term
from briefpack.glossary.load import load_glossary
from briefpack.glossary.match import TermMatch
from briefpack.glossary.model import Glossary, TermSpec
from briefpack.source.caches import load_glossary_cached
from briefpack.source.load import Content, load_content
from briefpack.util.cache import CACHE_DIR, cache_dir
from briefpack.util.paths import Project
from tests.support import REPO, copy_project


class Parses:
    """Counts whole-file parses of glossary text (the work the cache exists to save)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = cache.parse_indexed

        def counting(text: str, *, file: str, path: Path | None) -> cache.Parsed:
            self.count += 1
            return real(text, file=file, path=path)

        monkeypatch.setattr(cache, "parse_indexed", counting)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    shutil.copy(REPO / "glossary.yaml", tmp_path / "glossary.yaml")
    return Project(tmp_path)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Parses:
    return Parses(monkeypatch)


def check(project: Project) -> tuple[object, ...]:
    """What `check` and `build` load: the glossary and its lint problems."""
    glossary, digest, problems = load_glossary_cached(project, cache_dir(project.root))
    assert digest and not problems
    return tuple((t, t.index, t.line, t.column) for t in glossary.terms)


def fresh(project: Project) -> tuple[object, ...]:
    return tuple((t, t.index, t.line, t.column) for t in load_glossary(project.glossary_path))


def test_check_after_glossary_add_reads_the_record_the_editor_left(
    project: Project, parses: Parses
) -> None:
    assert check(project) == fresh(project)
    assert parses.count == 1  # the first check parses
    add_term(project.glossary_path, TermSpec("Prüfbegriff", "test term", forms=("Prüfbegriffe",)))
    assert parses.count == 1  # the editor started from the check's record
    assert check(project) == fresh(project)
    assert parses.count == 1  # and left the record of the new content: the check is warm
    assert check(project)[-1][0].de == "Prüfbegriff"  # type: ignore[index]


def test_glossary_add_on_a_file_never_checked_leaves_the_check_warm(
    project: Project, parses: Parses
) -> None:
    add_term(project.glossary_path, TermSpec("Prüfbegriff", "test term"))
    set_term(project.glossary_path, "Prüfbegriff", note="A note.")
    remove_term(project.glossary_path, "Prüfbegriff")
    assert parses.count == 1  # only the first edit parsed the whole file
    assert check(project) == fresh(project)
    assert parses.count == 1


def test_a_hand_edit_is_a_miss_and_old_content_a_hit(project: Project, parses: Parses) -> None:
    path = project.glossary_path
    before = path.read_bytes()
    check(project)
    path.write_bytes(before.replace(b"en: ceasefire", b"en: cease fire", 1))
    assert check(project) == fresh(project)
    assert parses.count == 2
    path.write_bytes(before)  # content-keyed, but only the latest record is kept
    assert check(project) == fresh(project)
    assert parses.count == 3
    assert [p.name for p in (project.root / CACHE_DIR).iterdir()] == ["glossary.json"]


def test_lint_problems_are_never_cached_away(project: Project, parses: Parses) -> None:
    path = project.glossary_path
    with path.open("a", encoding="utf-8") as fh:
        fh.write("  - de: Doppelpunkt\n    en: colon\n    forms: [Doppelpunkt]\n")
    for _ in range(2):
        _, _, problems = load_glossary_cached(project, cache_dir(project.root))
        assert [p.code for p in problems] == ["redundant"]
    assert parses.count == 1  # the parse is reused, the lint is not trusted to a cache


def matches(content: Content) -> dict[str, list[tuple[object, ...]]]:
    return {
        s.text: [(m.entry.de, m.start, m.end, m.compound, m.lemma, m.number) for m in found]
        for doc in content.documents()
        for f in content.fields(doc.id)
        for s in f.segments
        if (found := content.terms_in(s.text)) is not None
    }


@pytest.mark.parametrize(
    "spec",
    [
        TermSpec("Prüfbegriff", "test term"),  # found nowhere: every segment keeps its matches
        TermSpec("Waffenruhe", "truce"),  # a form of another entry until now: refused
        TermSpec("Kiew-Besuch", "visit to Kyiv", compound=True),
        TermSpec("Garantie", "guarantee"),  # the head of compounds in the briefings
        TermSpec("Sicherheit", "security"),  # their first part
    ],
)
def test_matches_carried_over_an_add_are_those_found_afresh(
    tmp_path: Path, spec: TermSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(copy_project(tmp_path / "p"))
    load_content(project)  # fills terms.json for the glossary as it is
    try:
        add_term(project.glossary_path, spec)
    except InputError:
        return
    found: list[str] = []
    real_find = Glossary.find

    def counting(self: Glossary, text: str) -> list[TermMatch]:
        found.append(text)
        return real_find(self, text)

    monkeypatch.setattr(Glossary, "find", counting)
    carried = matches(load_content(project))
    monkeypatch.undo()
    assert carried == matches(load_content(project, use_cache=False))
    if spec.de == "Prüfbegriff":
        assert found == []  # the check after the add matched nothing again: warm
