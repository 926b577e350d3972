"""Scores, diffs and the look-up index: content-keyed, rebuilt on change, failing soft."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from briefpack.translation.exchange.tm.index import NAME, MemoryIndex
from briefpack.translation.exchange.tm.score import Tokens, diff, reachable, score
from briefpack.translation.exchange.tm.store import MemoryUnit
from briefpack.util.cache import cache_dir


def test_score_is_token_edit_distance_over_the_longer_sentence() -> None:
    a = Tokens.of("Die Ukraine fordert belastbare Sicherheitsgarantien von den USA.")
    assert len(a.words) == 9
    b = Tokens.of("Die Ukraine fordert belastbare Sicherheitsgarantien von den Europäern.")
    assert score(a, b) == round(100 * (1 - 1 / 9)) == 89
    # Whitespace and Unicode form do not count; an identical sentence scores 100, a
    # different one never does (case counts: "die" for "Die" is one replacement).
    assert (
        score(a, Tokens.of("Die  Ukraine fordert belastbare Sicherheitsgarantien von den USA."))
        == 100
    )
    assert (
        score(a, Tokens.of("die Ukraine fordert belastbare Sicherheitsgarantien von den USA."))
        == 89
    )
    c = Tokens.of("Die Ukraine fordert Sicherheitsgarantien.")
    assert score(a, c) == round(100 * (1 - 4 / 9))
    # Numbers with grouping and decimal marks are one token.
    assert Tokens.of("Es kostet 1.500,5 Euro.").words == ("Es", "kostet", "1.500,5", "Euro", ".")
    assert not reachable(4, 9, 75) and reachable(8, 9, 75)


def test_diff_rebuilds_both_sentences() -> None:
    new = Tokens.of("Die EU stellt am Montag 50 Milliarden Euro bereit.")
    old = Tokens.of("Die EU stellt 90 Milliarden Euro bereit.")
    parts = diff(new, old)
    assert "".join(p.text for p in parts) == new.text
    assert "".join(p.memory for p in parts) == old.text
    assert sorted(p.op for p in parts if p.op != "equal") == ["insert", "replace"]


def _units(n: int) -> list[MemoryUnit]:
    return [
        MemoryUnit(f"Satz Nummer {i} über die Lage in Kiew.", f"Sentence {i}.", "reviewed", "x")
        for i in range(n)
    ]


def test_index_is_cached_by_stamp_and_rebuilt_when_inputs_change(tmp_path: Path) -> None:
    calls: list[int] = []

    def units() -> list[MemoryUnit]:
        calls.append(1)
        return _units(50)

    index = MemoryIndex.open(tmp_path, "stamp-1", units)
    assert len(index) == 50 and len(calls) == 1
    assert (cache_dir(tmp_path) / NAME).is_file()
    again = MemoryIndex.open(tmp_path, "stamp-1", units)
    assert len(again) == 50 and len(calls) == 1  # from the cache: units not even read
    [hit] = again.exact(_units(50)[7].key)
    assert hit.en == "Sentence 7."
    found = again.candidates(Tokens.of("Satz Nummer 7 über die Lage in Odessa."))
    assert "Sentence 7." in [u.en for u in found]
    MemoryIndex.open(tmp_path, "stamp-2", units)
    assert len(calls) == 2


def test_a_corrupt_or_unwritable_cache_is_an_index_in_memory(tmp_path: Path) -> None:
    folder = cache_dir(tmp_path)
    folder.mkdir()
    (folder / NAME).write_bytes(b"not a database at all")
    index = MemoryIndex.open(tmp_path, "s", lambda: _units(3))
    assert len(index) == 3
    # A cache folder that is a file: nothing can be written, look-ups still work.
    other = tmp_path / "other"
    other.mkdir()
    cache_dir(other).write_text("a file", encoding="utf-8")
    index = MemoryIndex.open(other, "s", lambda: _units(3))
    assert len(index) == 3 and index.exact(_units(3)[1].key)


_words = st.lists(
    st.sampled_from(
        ["Die", "EU", "stellt", "90", "1.500", "Euro", "bereit", ".", ",", "Kiew", "ü"]
    ),
    max_size=12,
)


@given(_words, _words)
def test_score_properties(a: list[str], b: list[str]) -> None:
    ta, tb = Tokens.of(" ".join(a)), Tokens.of(" ".join(b))
    value = score(ta, tb)
    assert 0 <= value <= 100 and value == score(tb, ta)
    assert (value == 100) == (ta.text == tb.text)
    parts = diff(ta, tb)
    assert "".join(p.text for p in parts) == ta.text
    assert "".join(p.memory for p in parts) == tb.text
