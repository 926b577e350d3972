"""Glossary edits independent of the glossary's size: the cached index, local validation.

Every edit through the index must give exactly the bytes the whole-file path gives, and a
file that reads back (fully parsed) as the glossary the edit returned.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import snowballstemmer

from briefpack.errors import InputError
from briefpack.glossary import cache, edit
from briefpack.glossary.edit import add_term, remove_term, set_term
from briefpack.glossary.lint import _stem_prefix, lint_detailed
from briefpack.glossary.load import load_glossary, parse_glossary
from briefpack.glossary.model import Glossary, TermSpec
from tests.glossary.test_edit import HAND_EDITED

REPO = Path(__file__).resolve().parents[2]

CONFLICTS = """\
version: 1
terms:
  - de: Waffenstillstand
    en: ceasefire
    avoid: [truce, armistice, cease-fire]
  - de: Waffenruhe
    en: truce
  - de: Krieg
    en: war
  - de: Kriegen
    en: wars
  - de: Feuerpause
    en: Armistices
  - de: Straße
    en: street
    avoid: [Street]
  - de: Strassen
    en: road
  - de: Kiew
    en: Kyiv
    avoid: [Kiev, Kyiv]
  - de: Ölpreis
    en: oil price
    avoid: [oil-prices]
  - de: Olpreise
    en: Oil Price
    case_sensitive: true
  - de: Supertanker
    en: Über-tanker
  - de: Riesentanker
    en: giant tanker
    avoid: [über tanker, Giant-Tankers]
"""


def same_terms(a: Glossary, b: Glossary) -> None:
    assert [(t, t.index, t.line, t.column) for t in a.terms] == [
        (t, t.index, t.line, t.column) for t in b.terms
    ]


@pytest.mark.parametrize("text", [CONFLICTS, (REPO / "glossary.yaml").read_text("utf-8")])
def test_lint_only_equals_the_full_lint_filtered(text: str) -> None:
    glossary = parse_glossary(text)
    full = lint_detailed(glossary)
    for i in range(len(glossary)):
        want = [item for item in full if i in item[0]]
        assert lint_detailed(glossary, only={i}) == want, glossary.terms[i].de
    if text is CONFLICTS:  # the demo glossary is clean; this one has every kind of pair
        codes = {item[1].code for item in full}
        assert {"conflict", "stem-collision", "avoid-self"} <= codes, codes


def _conflicts_by_double_loop(glossary: Glossary) -> set[tuple[int, int, int]]:
    from briefpack.glossary.english import phrase_pattern

    found = set()
    for term in glossary.terms:
        for owner in glossary.terms:
            for i, variant in enumerate(owner.avoid):
                if term.keep or owner.index == term.index:
                    continue
                if phrase_pattern(variant, case_sensitive=False, inflect=True).fullmatch(term.en):
                    found.add((term.index, owner.index, i))
    return found


def _conflicts_by_lint(glossary: Glossary) -> set[tuple[int, int, int]]:
    found = set()
    for indices, problem in lint_detailed(glossary):
        if problem.code != "conflict":
            continue
        term = int(str(problem.field).split("]")[0].split("[")[1])
        (owner,) = indices - {term}
        variant = int(problem.message.split("avoid[")[1].split("]")[0])
        found.add((term, owner, variant))
    return found


def test_the_conflict_index_finds_what_the_double_loop_finds() -> None:
    conflicts = parse_glossary(CONFLICTS)
    assert _conflicts_by_lint(conflicts) == _conflicts_by_double_loop(conflicts)
    assert len(_conflicts_by_lint(conflicts)) >= 3  # ASCII, non-ASCII and hyphenated pairs
    demo = parse_glossary((REPO / "glossary.yaml").read_text("utf-8"))
    assert _conflicts_by_lint(demo) == _conflicts_by_double_loop(demo) == set()


def test_stem_prefix_is_a_prefix_of_every_stem() -> None:
    stemmer = snowballstemmer.stemmer("german")
    words = {"zu", "ab", "Öl", "straße", "äußerst", "Bauer", "baue", "ueber", "heißen", "aß"}
    words |= {
        w.lower()
        for t in parse_glossary((REPO / "glossary.yaml").read_text())
        for w in t.de.split()
    }
    rng = random.Random(16)
    alphabet = "abcdefghiklmnoprstuäöüßeyq"
    words |= {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(3000)}
    for word in sorted(words):
        assert stemmer.stemWord(word)[:1] == _stem_prefix(word), word


def _full_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(edit, "incremental_edit", lambda *args, **kwargs: None)


OPS = [
    ("add", TermSpec("Brückenkopf", "bridgehead", forms=("Brückenköpfe",), note="A note")),
    ("set", "Kiew", {"note": "Capital of Ukraine."}),
    ("add", TermSpec("Drohne", "drone", avoid=("UAV",))),
    ("remove", "Krim", {}),
    ("set", "Waffenstillstand", {"avoid": ("truce",)}),
    ("add", TermSpec("Grenze", "border")),
    ("remove", "Waffenstillstand", {}),
    ("set", "Drohne", {"en": "unmanned drone", "compound": True}),
    ("remove", "Grenze", {}),
]


def run(path: Path, op: tuple[object, ...]) -> object:
    kind, what = op[0], op[1]
    if kind == "add":
        assert isinstance(what, TermSpec)
        return add_term(path, what)
    assert isinstance(what, str)
    if kind == "set":
        changes = op[2]
        assert isinstance(changes, dict)
        return set_term(path, what, **changes)
    return remove_term(path, what)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_indexed_edits_give_the_bytes_of_the_whole_file_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: str
) -> None:
    fast_dir, slow_dir = tmp_path / "fast", tmp_path / "slow"
    fast_dir.mkdir()
    slow_dir.mkdir()
    fast, slow = fast_dir / "glossary.yaml", slow_dir / "glossary.yaml"
    fast.write_bytes(HAND_EDITED.replace("\n", newline).encode())
    slow.write_bytes(HAND_EDITED.replace("\n", newline).encode())
    parsed = 0
    real_parse = cache.parse_indexed

    def counting(text: str, *, file: str, path: Path | None) -> object:
        nonlocal parsed
        parsed += 1
        return real_parse(text, file=file, path=path)

    for op in OPS:
        with monkeypatch.context() as m:
            m.setattr(cache, "parse_indexed", counting)
            got = run(fast, op)
        with monkeypatch.context() as m:
            _full_path(m)
            want = run(slow, op)
        assert got == want, op
        assert fast.read_bytes() == slow.read_bytes(), op
        same_terms(load_glossary(fast), load_glossary(slow))
    assert parsed == 1  # only the first edit parsed the whole file; the rest used the index


def test_demo_glossary_edits_and_the_returned_glossary_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    shutil.copy(REPO / "glossary.yaml", path)
    glossary = load_glossary(path)
    rng = random.Random(7)
    for step in range(12):
        names = [t.de for t in glossary.terms]
        choice = step % 3
        if choice == 0:
            add_term(path, TermSpec(f"Prüfwort{step}", f"test word {step}"))
        elif choice == 1:
            set_term(path, rng.choice(names), note=f"Note {step}.")
        else:
            remove_term(path, rng.choice(names[:-1]))
        state, _ = edit.edit_glossary(path, lambda g: (edit.EditPlan(), None))
        glossary = load_glossary(path)
        same_terms(state, glossary)


def test_a_hand_edit_between_edits_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    add_term(path, TermSpec("Drohne", "drone"))
    text = path.read_text("utf-8").replace("  - de: Krim   # no note yet\n    en: Crimea\n", "")
    path.write_text(text, encoding="utf-8")  # by hand: the index no longer matches the file
    added = add_term(path, TermSpec("Grenze", "border"))
    after = load_glossary(path)
    assert [t.de for t in after.terms] == ["Waffenstillstand", "Kiew", "Drohne", "Grenze"]
    assert added.line == after.get("Grenze").line  # type: ignore[union-attr]


def test_a_conflicting_edit_through_the_index_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    add_term(path, TermSpec("Drohne", "drone"))  # the index exists from here on
    before = path.read_bytes()
    with pytest.raises(InputError, match="not changed") as err:
        add_term(path, TermSpec("Waffenpause", "truce"))
    assert "listed under avoid" in err.value.problems[0].message
    with pytest.raises(InputError):
        set_term(path, "Drohne", forms=("Kiew",))
    with pytest.raises(InputError):
        add_term(path, TermSpec("Kriege", "wars", forms=("Drohne",)))
    assert path.read_bytes() == before
