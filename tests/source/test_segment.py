"""Sentence segmentation of German text and segment keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefpack.source.segment import normalize, segment_field, segment_key, split_sentences
from tests.support import REPO


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Am 16. Dezember 2025 sagte er etwas. Danach ging er.",
            ["Am 16. Dezember 2025 sagte er etwas.", "Danach ging er."],
        ),
        (
            "Bis zum 4. Dezember 2025. Dann am 5. Mai.",
            ["Bis zum 4. Dezember 2025.", "Dann am 5. Mai."],
        ),
        ("Nach Art. 5 des Vertrags gilt das. Gut.", ["Nach Art. 5 des Vertrags gilt das.", "Gut."]),
        (
            "Das gilt z. B. für alle, z.B. hier. Gut.",
            ["Das gilt z. B. für alle, z.B. hier.", "Gut."],
        ),
        (
            "Er sagte: „Das ist gut. Wirklich gut.“ Dann ging er.",
            ["Er sagte: „Das ist gut. Wirklich gut.“", "Dann ging er."],
        ),
        (
            "«Beide Seiten waren sich einig», heisst es, «dass es hängt.» "
            "Es war das sechste Treffen.",
            [
                "«Beide Seiten waren sich einig», heisst es, «dass es hängt.»",
                "Es war das sechste Treffen.",
            ],
        ),
        (
            "Die Armee soll bis zu 800 000 Soldaten umfassen. Das ist viel.",
            ["Die Armee soll bis zu 800 000 Soldaten umfassen.", "Das ist viel."],
        ),
        (
            "rechtlich bindende Garantien.[4] Danach mehr.",
            ["rechtlich bindende Garantien.[4]", "Danach mehr."],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_seed_paragraphs_survive_splitting() -> None:
    """Every paragraph of every seed (messy seed 003 included) splits and re-joins."""
    count = 0
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        for para in seed.read_text(encoding="utf-8").split("\n"):
            sentences = split_sentences(para)
            count += len(sentences)
            assert "".join(sentences).replace(" ", "") == "".join(para.split())
    assert count > 400


def test_key_ignores_whitespace_differences() -> None:
    assert segment_key("Ein  Satz.\n") == segment_key("Ein\u00a0Satz.")
    assert segment_key("Ein Satz.") != segment_key("Ein Satz!")


def test_segment_field_keeps_paragraphs() -> None:
    f = segment_field("doc", "summary", "Eins. Zwei.\n\nDrei.")
    assert [[s.text for s in p] for p in f.paragraphs] == [["Eins.", "Zwei."], ["Drei."]]
    assert f.german == "Eins. Zwei.\n\nDrei."
    assert segment_field("doc", "speaker", "Dr. Mustermann. Gut.", split=False).german == (
        "Dr. Mustermann. Gut."
    )


words = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPRSTUVWXYZÄÖÜ0123456789",
    min_size=1,
    max_size=12,
)
sentence = st.builds(
    lambda ws, end: " ".join(ws) + end,
    st.lists(words, min_size=1, max_size=8),
    st.sampled_from([".", "!", "?", ". ", "“", ":"]),
)


@settings(deadline=None)
@given(st.lists(sentence, min_size=1, max_size=6))
def test_joining_segments_reproduces_the_paragraph(parts: list[str]) -> None:
    para = " ".join(parts)
    joined = " ".join(split_sentences(para))
    assert joined.split() == normalize(para).split()
