"""The matcher indexes an entry when a text may match it: it finds what a full index finds."""

from __future__ import annotations

import lzma
import random
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from briefpack.glossary import morph
from briefpack.glossary.entry import Term, term_from_json, term_to_json
from briefpack.glossary.load import load_glossary
from briefpack.glossary.match import Matcher
from briefpack.glossary.normalize import fold, normalize

REPO = Path(__file__).resolve().parents[2]


def _signature(matcher: Matcher, text: str) -> list[tuple[object, ...]]:
    return [
        (m.entry.de, m.start, m.end, m.surface, m.compound, m.lemma, m.number, m.base_number)
        for m in matcher.find(text)
    ]


def _full(terms: tuple[Term, ...]) -> Matcher:
    """Return a matcher with every entry indexed up front (the index before it was lazy)."""
    matcher = Matcher(terms)
    matcher._index(range(len(terms)))
    return matcher


def _seed_sentences() -> list[str]:
    text = "\n".join(p.read_text("utf-8") for p in sorted((REPO / "seeds").glob("*.txt")))
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _lexicon_nouns(rng: random.Random, n: int) -> list[tuple[str, list[str]]]:
    """Return `n` nouns of the packaged lexicon with their forms (a realistic glossary)."""
    lines = lzma.decompress(morph.data_path().read_bytes()).decode("utf-8").splitlines()
    out = []
    for line in rng.sample(lines, n):
        lemma, _, forms = line.split("\t")
        out.append((lemma, [f.lstrip("+") for f in forms.split(" ")]))
    return out


def _texts(rng: random.Random, nouns: list[tuple[str, list[str]]], n: int) -> list[str]:
    """Return sentences of forms, compounds both ways, lower-cased and transliterated words."""
    words = [f for _, forms in nouns for f in forms]
    translit = str.maketrans({"w": "v", "s": "z", "j": "y", "i": "j", "k": "c"})
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(3, 12)):
            a, b = rng.choice(words), rng.choice(words)
            parts.append(
                rng.choice(
                    [a, a.lower(), b + rng.choice(["", "s", "es", "n"]) + a.lower(),
                     a + rng.choice(["", "s", "-"]) + b.lower(), a.translate(translit),
                     a + rng.choice(["s", "en", "er", "lich", "ung"]), "die", "des", "zwei"]
                )
            )  # fmt: skip
        out.append(" ".join(parts) + ".")
    return out


def test_demo_glossary_finds_what_the_full_index_finds() -> None:
    terms = load_glossary(REPO / "glossary.yaml").terms
    lazy, full = Matcher(terms), _full(terms)
    sentences = _seed_sentences()
    assert sentences
    found = 0
    for text in sentences:
        expected = _signature(full, text)
        assert _signature(lazy, text) == expected, text
        found += len(expected)
    assert found > 100  # the seeds hold many of the demo's terms


@pytest.mark.parametrize("seed", [1, 2])
def test_lexicon_glossary_finds_what_the_full_index_finds(seed: int) -> None:
    rng = random.Random(seed)
    nouns = _lexicon_nouns(rng, 1500)
    terms = tuple(
        Term(
            de=lemma if rng.random() < 0.85 else f"{rng.choice(['neue', 'hohe'])} {lemma}",
            en=f"term {i}",
            forms=tuple(f for f in rng.sample(forms, min(2, len(forms))) if f != lemma),
            compound=rng.random() < 0.03,
            case_sensitive=rng.random() < 0.03,
            index=i,
        )
        for i, (lemma, forms) in enumerate(nouns)
    )
    lazy, full = Matcher(terms), _full(terms)
    texts = _texts(rng, nouns, 400)
    rng.shuffle(texts)  # the order the lazy index grows in must not matter
    assert all(_signature(lazy, t) == _signature(full, t) for t in texts)
    assert sum(lazy._indexed) < len(terms)  # some entries were never needed


def test_threads_sharing_a_matcher_find_what_the_full_index_finds() -> None:
    terms = load_glossary(REPO / "glossary.yaml").terms
    sentences = _seed_sentences()
    full = _full(terms)
    expected = [_signature(full, t) for t in sentences]
    lazy = Matcher(terms)  # indexed by whichever thread needs an entry first
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda t: _signature(lazy, t), sentences)) == expected


def test_names_with_one_skeleton_share_their_letters() -> None:
    spellings = (["Selenskyj", "Zelensky", "Selenskij"], ["Kiew", "Kyjiw"], ["Charkiw", "Kharkiv"])
    for names in spellings:
        assert len({morph.skeleton(n) for n in names}) == 1
        assert len({morph.skeleton_letters(n) for n in names}) == 1


def test_irregular_forms_are_the_nouns_whose_keys_differ() -> None:
    lex = morph.lexicon()
    assert lex is not None
    irregular = lex.irregular()
    assert "tag" not in irregular  # "tag" starts the key of every form of Tag
    assert "tage" in irregular  # but "tage" does not start "tag"
    assert morph.prefix_key("Verträgen") == morph.prefix_key("Vertrag") == "vertr"


def test_fold_is_normalize_without_positions() -> None:
    for text in ["Straße", "NATO\u2011Gipfel", "Ein\u00a0Wort\u00ad", "İstanbul", ""]:
        norm = normalize(text)
        assert fold(text) == (norm.cs, norm.ci)


def test_cached_entry_is_a_list_of_its_fields() -> None:
    term = Term("Waffenruhe", "ceasefire", forms=("Feuerpause",), note="n", index=3, line=7)
    stored = term_to_json(term)
    assert isinstance(stored, list)
    assert term_from_json(stored) == term
    assert term_from_json({"de": "Waffenruhe"}) is None  # an older record is a miss
    assert term_from_json([*stored[:-1], True]) is None  # a column that is no number
