"""English-side checks (approved term present, avoided variants) and entry fingerprints."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpack.glossary.english import english_has_term, find_avoided
from briefpack.glossary.load import load_glossary
from briefpack.glossary.model import Glossary, Term, entry_fingerprint

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> Glossary:
    return load_glossary(REPO / "glossary.yaml")


def entry(demo: Glossary, de: str) -> Term:
    term = demo.get(de)
    assert term is not None, de
    return term


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A ceasefire was agreed.", True),
        ("Ceasefire talks resumed.", True),  # sentence start
        ("Two ceasefires failed.", True),  # plural
        ("the ceasefire's terms", True),  # possessive
        ("the ceasefire’s terms", True),  # curly apostrophe
        ("the cease-fire", False),  # a closed compound is its own spelling
        ("a ceasefireline", False),  # inside another word
        ("a truce", False),
    ],
)
def test_ceasefire(demo: Glossary, text: str, expected: bool) -> None:
    assert english_has_term(entry(demo, "Waffenstillstand"), text) is expected


@pytest.mark.parametrize(
    ("de", "text"),
    [
        ("Sicherheitsgarantie", "robust security guarantees for Ukraine"),
        ("Sicherheitsgarantie", "the security-guarantee question"),  # hyphen for space
        ("Frontlinie", "along the front-line"),
        ("regelbasierte internationale Ordnung", "the rules based international order"),
        ("Koalition der Willigen", "two coalitions of the willing"),
        ("Selenskyj", "Zelensky's new position"),
        ("Selenskyj", "ZELENSKY SAYS"),
        ("Drittstaat", "sanctions evasion by third countries"),  # y -> ies
        ("EUV", "under Article 20 TEU"),
    ],
)
def test_tolerated_variants(demo: Glossary, de: str, text: str) -> None:
    assert english_has_term(entry(demo, de), text)


def test_capitalised_names_take_no_plural(demo: Glossary) -> None:
    donbas = entry(demo, "Donbas")
    assert english_has_term(donbas, "the Donbas region")
    assert not english_has_term(donbas, "the Donbass region")
    assert find_avoided(donbas, "the Donbass region") == ["Donbass"]


def test_case_sensitive_english_allows_only_a_capital_first_letter() -> None:
    term = Term(de="EUV", en="TEU", case_sensitive=True)
    assert english_has_term(term, "Article 20 TEU")
    assert not english_has_term(term, "Article 20 teu")


def test_keep_terms_must_appear_unchanged(demo: Glossary) -> None:
    bundestag = entry(demo, "Bundestag")
    assert english_has_term(bundestag, "a majority in the Bundestag")
    assert english_has_term(bundestag, "the Bundestag's vote")
    assert not english_has_term(bundestag, "a majority in parliament")
    assert not english_has_term(bundestag, "the Bundestags")  # no plural for kept terms
    nds = entry(demo, "National Defense Strategy")
    assert english_has_term(nds, "the 2026 National Defense Strategy")
    assert not english_has_term(nds, "the National Defence Strategy")


def test_keep_accepts_the_german_or_the_listed_english() -> None:
    term = Term(de="Bundesverfassungsgericht", en="Federal Constitutional Court", keep=True)
    assert english_has_term(term, "the Bundesverfassungsgericht ruled")
    assert english_has_term(term, "the Federal Constitutional Court ruled")


def test_find_avoided(demo: Glossary) -> None:
    ceasefire = entry(demo, "Waffenstillstand")
    assert find_avoided(ceasefire, "A truce, then two armistices and another truce.") == [
        "truce",
        "armistice",
    ]
    assert find_avoided(ceasefire, "A ceasefire held.") == []
    kyiv = entry(demo, "Kiew")
    assert find_avoided(kyiv, "talks in Kiev") == ["Kiev"]


def test_avoided_variant_inside_the_approved_term_does_not_count() -> None:
    term = Term(de="Sondergesandter", en="special envoy", avoid=("envoy",))
    assert find_avoided(term, "the special envoy arrived") == []
    assert find_avoided(term, "the envoy arrived") == ["envoy"]


# --- fingerprints ------------------------------------------------------------------------

BASE = Term(
    de="Waffenstillstand",
    en="ceasefire",
    forms=("Waffenruhe", "Waffenstillstands"),
    avoid=("truce",),
    compound=True,
    note="old note",
    index=3,
    line=10,
)


def test_fingerprint_ignores_note_position_and_list_order() -> None:
    same = Term(
        de="Waffenstillstand",
        en="ceasefire",
        forms=("Waffenstillstands", "Waffenruhe"),
        avoid=("truce",),
        compound=True,
        note="a completely different note",
        index=40,
        line=200,
    )
    assert entry_fingerprint(same) == entry_fingerprint(BASE)
    assert len(entry_fingerprint(BASE)) == 16


@pytest.mark.parametrize(
    "changed",
    [
        {"en": "truce"},
        {"de": "Waffenstillstände"},
        {"forms": ("Waffenruhe",)},
        {"avoid": ("truce", "armistice")},
        {"compound": False},
        {"case_sensitive": True},
        {"keep": True},
    ],
)
def test_fingerprint_changes_with_meaning(changed: dict[str, object]) -> None:
    from dataclasses import replace

    assert entry_fingerprint(replace(BASE, **changed)) != entry_fingerprint(BASE)  # type: ignore[arg-type]


def test_fingerprint_for_segments(demo: Glossary) -> None:
    a = demo.find("Ein Waffenstillstand und Sicherheitsgarantien.")
    b = demo.find("Sicherheitsgarantien nach einem Waffenstillstand, wieder ein Waffenstillstand.")
    c = demo.find("Sicherheitsgarantien allein.")
    assert demo.fingerprint_for(a) == demo.fingerprint_for(b)  # same entries, any order/count
    assert demo.fingerprint_for(a) != demo.fingerprint_for(c)
    assert demo.fingerprint_for([]) == Glossary().fingerprint_for([])


def test_only_segments_with_changed_entries_change(demo: Glossary) -> None:
    from dataclasses import replace

    terms = list(demo.terms)
    i = next(i for i, t in enumerate(terms) if t.de == "Waffenstillstand")
    terms[i] = replace(terms[i], en="truce", avoid=())
    changed = Glossary(tuple(terms))
    with_term = "Ein Waffenstillstand wurde vereinbart."
    without = "Sicherheitsgarantien wurden vereinbart."
    assert changed.fingerprint_for(changed.find(with_term)) != demo.fingerprint_for(
        demo.find(with_term)
    )
    assert changed.fingerprint_for(changed.find(without)) == demo.fingerprint_for(
        demo.find(without)
    )
    assert changed.fingerprint() != demo.fingerprint()
    renoted = [replace(t, note="x") for t in demo.terms]
    assert Glossary(tuple(reversed(renoted))).fingerprint() == demo.fingerprint()
