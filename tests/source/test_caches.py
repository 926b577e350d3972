"""The content caches under .briefpack-cache/: same results as without them, never trusted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefpack.errors import InputError
from briefpack.source.load import Content, load_content
from briefpack.source.segment import is_split_of, split_sentences
from briefpack.util.cache import CACHE_DIR, JsonCache, code_stamp
from briefpack.util.paths import Project
from tests.support import copy_project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(copy_project(tmp_path / "p"))


def derived(content: Content) -> tuple[object, object]:
    """What the caches feed: every document's segments, every segment's glossary matches."""
    segmented = {doc.id: content.fields(doc.id) for doc in content.documents()}
    segments = {
        doc: [(f.field, [(s.key, s.text) for s in f.segments]) for f in fields]
        for doc, fields in segmented.items()
    }
    matches = {
        s.text: [
            (m.entry.de, m.start, m.end, m.surface, m.compound) for m in content.terms_in(s.text)
        ]
        for fields in segmented.values()
        for f in fields
        for s in f.segments
    }
    return segments, matches


def test_cached_load_equals_uncached_load(project: Project) -> None:
    plain = derived(load_content(project, use_cache=False))
    assert not (project.root / CACHE_DIR).exists()
    first = load_content(project)  # fills the caches
    assert {p.name for p in (project.root / CACHE_DIR).iterdir()} == {
        "glossary.json",
        "segments.json",
        "terms.json",
    }
    second = load_content(project)  # reads them
    assert derived(first) == plain
    assert derived(second) == plain
    assert second.glossary.terms == first.glossary.terms
    assert [(t.index, t.line, t.column) for t in second.glossary.terms] == [
        (t.index, t.line, t.column) for t in first.glossary.terms
    ]


def test_corrupt_or_foreign_cache_files_are_ignored_and_rewritten(project: Project) -> None:
    plain = derived(load_content(project, use_cache=False))
    load_content(project)
    folder = project.root / CACHE_DIR
    (folder / "segments.json").write_bytes(b"\xff{ not json")
    (folder / "glossary.json").write_text('{"stamp": "someone else", "entries": {}}')
    terms = json.loads((folder / "terms.json").read_text())
    for key in terms["entries"]:
        terms["entries"][key] = [[10_000, 0, 1, False]]  # an entry index out of range
    (folder / "terms.json").write_text(json.dumps(terms))
    assert derived(load_content(project)) == plain
    assert json.loads((folder / "segments.json").read_text())["stamp"] == code_stamp()
    assert derived(load_content(project)) == plain


def test_a_wrong_sentence_split_is_refused() -> None:
    text = "Der Vertrag wurde am 16. Dezember 2025 unterzeichnet. Er gilt sofort."
    assert is_split_of(text, split_sentences(text))
    assert not is_split_of(text, ["Der Vertrag wurde am 16.", "Dezember 2025 unterzeichnet."])
    assert not is_split_of(text, [text, ""])
    assert not is_split_of(text, "not a list")


def test_a_glossary_edit_invalidates_the_matches(project: Project) -> None:
    load_content(project)
    path = project.glossary_path
    text = path.read_text(encoding="utf-8")
    assert "  - de: Waffenstillstand\n" in text
    path.write_text(text.replace("  - de: Waffenstillstand\n", "  - de: Feuerstopp\n", 1))
    cached = derived(load_content(project))
    assert cached == derived(load_content(project, use_cache=False))
    matched = {m[0] for found in cached[1].values() for m in found}  # type: ignore[union-attr]
    assert "Waffenstillstand" not in matched


def test_an_invalid_glossary_is_reported_every_time(project: Project) -> None:
    load_content(project)
    path = project.glossary_path
    path.write_text(path.read_text(encoding="utf-8") + "  - de: ohne Englisch\n")
    for _ in range(2):
        with pytest.raises(InputError) as exc:
            load_content(project)
        assert any(p.file == "glossary.yaml" for p in exc.value.problems)


def test_an_unusable_cache_folder_costs_nothing_but_time(project: Project) -> None:
    # A file where the folder should be: every read and write fails (even for root).
    (project.root / CACHE_DIR).write_text("not a folder")
    assert derived(load_content(project)) == derived(load_content(project, use_cache=False))
    assert (project.root / CACHE_DIR).read_text() == "not a folder"


def test_json_cache_keeps_only_what_a_run_used(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    cache = JsonCache(path)
    cache.put("a", [1])
    cache.put("b", [2])
    cache.save()
    again = JsonCache(path)
    assert again.get("a") == [1]
    again.put("c", [3])
    again.save()
    assert json.loads(path.read_text())["entries"] == {"a": [1], "c": [3]}
    assert JsonCache(path, scope="other glossary").get("a") is None


def test_importing_the_glossary_matcher_does_not_import_the_editor() -> None:
    probe = (
        "import sys, briefpack.glossary.match, briefpack.glossary.model\n"
        "heavy = [m for m in ('ruamel.yaml', 'briefpack.glossary.edit', "
        "'briefpack.glossary.exchange', 'snowballstemmer') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_every_entry_field_survives_the_glossary_cache(project: Project) -> None:
    # Entries with every optional field set: a field the cache forgot would silently drop,
    # e.g., an accepted English variant on every run after the first.
    with (project.root / "glossary.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "  - de: Oberbefehlshaber\n"
            "    en: Commander-in-Chief\n"
            "    en_plural: Commanders-in-Chief\n"
            "    accept: [supreme commander]\n"
            "    avoid: [army boss]\n"
            "    forms: [Oberbefehlshabers]\n"
            "    note: military rank\n"
        )
    uncached = load_content(project, use_cache=False).glossary.terms
    load_content(project)  # fills the cache
    cached = load_content(project).glossary.terms
    assert cached == uncached
    entry = next(t for t in cached if t.de == "Oberbefehlshaber")
    assert entry.accept == ("supreme commander",)
    assert entry.en_plural == "Commanders-in-Chief"
