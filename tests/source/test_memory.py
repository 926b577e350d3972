"""The translation memory: lookup rules, machine never overwrites reviewed, stable files."""

from __future__ import annotations

from pathlib import Path

from briefpack.source.memory import TranslationMemory, dump_memory, load_memory, machine_entry
from briefpack.source.schema import MemoryEntry, Provenance
from briefpack.source.segment import segment_field

PROV = Provenance(engine="scripted", package="test", version="1", beam=4)


def seg(text: str, doc: str = "brief"):  # type: ignore[no-untyped-def]
    return segment_field(doc, "summary", text).segments[0]


def test_reviewed_wins_and_is_never_overwritten(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path)
    s = seg("Der Waffenstillstand hält.")
    memory.put(s, MemoryEntry(de=s.text, en="The ceasefire holds.", status="reviewed"))
    memory.put(s, machine_entry(s.text, "The truce holds.", PROV))
    entry = memory.lookup(s.key)
    assert entry is not None and entry.en == "The ceasefire holds." and entry.status == "reviewed"
    assert len(memory.all_entries()) == 1


def test_machine_entry_is_replaced_in_place(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path)
    a, b = seg("Eins."), seg("Zwei.")
    memory.put(a, machine_entry(a.text, "One (old).", PROV))
    memory.put(b, machine_entry(b.text, "Two.", PROV))
    memory.put(a, machine_entry(a.text, "One.", PROV))
    assert [e.en for _, e in memory.all_entries()] == ["One.", "Two."]


def test_empty_english_counts_as_missing(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path)
    s = seg("Offen.")
    memory.put(s, MemoryEntry(de=s.text, en="", status="reviewed"))
    assert memory.lookup(s.key) is None


def test_files_per_document_and_round_trip(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path)
    s1, s2 = seg("Eins.", "alpha"), seg("Zwei.", "pack:demo")
    memory.put(s1, MemoryEntry(de=s1.text, en="One.", status="reviewed"))
    memory.put(s2, machine_entry(s2.text, "Two.", PROV))
    written = memory.save()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "alpha.yaml",
        "packs/demo.yaml",
    ]
    again = load_memory(tmp_path, display_root=tmp_path)
    assert [(e.de, e.en, e.status) for _, e in again.all_entries()] == [
        ("Eins.", "One.", "reviewed"),
        ("Zwei.", "Two.", "machine"),
    ]
    # Saving unchanged data writes nothing; dumping is deterministic.
    assert again.save() == []
    text = (tmp_path / "packs" / "demo.yaml").read_text(encoding="utf-8")
    assert text == dump_memory([e for _, e in again.all_entries() if e.status == "machine"])
    assert "provenance:\n    engine: scripted\n    package: test\n" in text


def test_remove_keys_only_touches_the_given_status(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path)
    a, b = seg("Eins."), seg("Zwei.")
    memory.put(a, MemoryEntry(de=a.text, en="One.", status="reviewed"))
    memory.put(b, machine_entry(b.text, "Two.", PROV))
    assert memory.remove_keys([a.key, b.key], status="machine") == 1
    assert [e.de for _, e in memory.all_entries()] == ["Eins."]


def test_many_puts_keep_every_lookup_right(tmp_path: Path) -> None:
    # The index grows with each put (it is not rebuilt): every entry is found exactly once,
    # new ones and replaced ones, across documents, interleaved with lookups.
    memory = TranslationMemory(tmp_path)
    segments = [seg(f"Satz Nummer {i} des Tages.", doc=f"b{i % 3}") for i in range(300)]
    for i, s in enumerate(segments):
        assert memory.lookup(s.key) is None
        memory.put(s, machine_entry(s.text, f"Sentence {i}.", PROV))
        assert memory.lookup(s.key) is not None
    for i, s in enumerate(segments[::7]):
        memory.put(s, machine_entry(s.text, f"Better {i}.", PROV))
    for i, s in enumerate(segments):
        assert len(memory.entries_for(s.key)) == 1
        expected = f"Better {i // 7}." if i % 7 == 0 else f"Sentence {i}."
        found = memory.lookup(s.key)
        assert found is not None and found.en == expected
    assert len(memory.all_entries()) == 300
