"""German-side matching: inflection, compounds, spelling variants, boundaries, overlaps."""

from __future__ import annotations

import itertools
import re
import unicodedata
from pathlib import Path

import pytest

from briefpack.glossary.load import load_glossary, parse_glossary
from briefpack.glossary.match import TermMatch
from briefpack.glossary.model import Glossary

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> Glossary:
    return load_glossary(REPO / "glossary.yaml")


def found(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    """Return (entry de, surface) per match, checking every match's offsets on the way."""
    matches = glossary.find(text)
    for m in matches:
        assert text[m.start : m.end] == m.surface
    return [(m.entry.de, m.surface) for m in matches]


def small(yaml_terms: str) -> Glossary:
    return parse_glossary("version: 1\nterms:\n" + yaml_terms)


# --- real seed sentences -------------------------------------------------------------------


def test_inflected_forms_in_seed_sentences(demo: Glossary) -> None:
    text = (
        "Ohne Russlands Bereitschaft zu Zugeständnissen bleibt ein Waffenstillstand in weiter "
        "Ferne. Die Absicherung des Friedensabkommens ist nicht Sache der Amerikaner."
    )
    assert found(demo, text) == [
        ("Zugeständnis", "Zugeständnissen"),
        ("Waffenstillstand", "Waffenstillstand"),
        ("Friedensabkommen", "Friedensabkommens"),
    ]


def test_multi_word_terms_inflect_every_word(demo: Glossary) -> None:
    assert found(demo, "beim Zugriff auf eingefrorene russische Vermögenswerte") == []
    assert found(demo, "bei Gebietsfragen, eingefrorenen Vermögenswerten und") == [
        ("eingefrorene Vermögenswerte", "eingefrorenen Vermögenswerten")
    ]
    assert found(demo, "im Rahmen einer „Koalition der Willigen“") == [
        ("Koalition der Willigen", "Koalition der Willigen")
    ]
    assert found(demo, "die Beschaffenheit territorialer Integrität") == [
        ("territoriale Integrität", "territorialer Integrität")
    ]


def test_selenskyj_spellings(demo: Glossary) -> None:
    text = (
        "Nachdem Selensky seine Bestrebungen aufgegeben hat; Präsident Wolodimir Selenskij; "
        "Selenskyj hatte nachgegeben; ein Schlag gegen Selenskyjs Verhandlungsposition."
    )
    names = [surface for de, surface in found(demo, text) if de == "Selenskyj"]
    assert names == ["Selensky", "Selenskij", "Selenskyj", "Selenskyjs"]


def test_compound_matches_prefix_and_infix(demo: Glossary) -> None:
    matches = demo.find("russische Waffenstillstandsverletzungen notfalls ahnden")
    assert [(m.entry.de, m.surface, m.compound) for m in matches] == [
        ("Waffenstillstand", "Waffenstillstands", True)
    ]
    chief = demo.find("mit Kiews Chefunterhändlern in Miami")
    assert [(m.entry.de, m.surface, m.compound) for m in chief] == [
        ("Kiew", "Kiews", False),
        ("Unterhändler", "unterhändler", True),
    ]


def test_compound_with_only_an_inflection_is_the_whole_word(demo: Glossary) -> None:
    matches = demo.find("dass die EU nun jedoch konkrete Sicherheitsgarantien bieten muss")
    assert [(m.surface, m.compound) for m in matches] == [("Sicherheitsgarantien", False)]


def test_hyphenated_prefix_is_a_word_boundary(demo: Glossary) -> None:
    assert found(demo, "Wie glaubwürdig sind künftige US-Sicherheitsgarantien?") == [
        ("Sicherheitsgarantie", "Sicherheitsgarantien")
    ]
    assert found(demo, "zwischen den US-Sondergesandten Steve Witkoff") == [
        ("Sondergesandter", "Sondergesandten")
    ]


def test_longest_match_wins(demo: Glossary) -> None:
    assert found(demo, "die Waffenstillstandslinie zu beobachten") == [
        ("Waffenstillstandslinie", "Waffenstillstandslinie")
    ]
    assert found(demo, "die Hohe Vertreterin der EU für Außen- und Sicherheitspolitik") == [
        (
            "Hohe Vertreterin der EU für Außen- und Sicherheitspolitik",
            "Hohe Vertreterin der EU für Außen- und Sicherheitspolitik",
        )
    ]
    assert found(demo, "die Hohe Vertreterin sagte") == [("Hohe Vertreterin", "Hohe Vertreterin")]
    assert found(demo, "das höchst schmerzhafte territoriale Zugeständnisse beinhalte") == [
        ("territoriale Zugeständnisse", "territoriale Zugeständnisse")
    ]


def test_overlaps_resolve_longest_first_then_leftmost() -> None:
    glossary = small(
        "  - {de: Frieden, en: peace, compound: true}\n"
        "  - {de: Friedensvertrag, en: peace treaty}\n"
        "  - {de: Vertrag der Union, en: treaty of the union, compound: true}\n"
    )
    # The 17-letter compound beats the 15-letter word; the short prefix still fits before it.
    assert found(glossary, "Friedensvertrag der Union") == [
        ("Frieden", "Frieden"),
        ("Vertrag der Union", "vertrag der Union"),
    ]
    ties = small(
        "  - {de: Seewege, en: sea routes, compound: true}\n"
        "  - {de: Nordsee, en: North Sea, compound: true}\n"
    )
    # Same length, overlapping: the leftmost wins, whatever the glossary order.
    assert found(ties, "Nordseewege") == [("Nordsee", "Nordsee")]
    assert ties.find("Nordseewege") == ties.find("Nordseewege")


def test_swiss_spelling_ss_for_eszett(demo: Glossary) -> None:
    glossary = small("  - {de: heißt, en: is said}\n")
    swiss = "Die Beilegung des Ukraine-Konflikts, heisst es darin, hänge allein von Russland ab."
    assert found(glossary, swiss) == [("heißt", "heisst")]
    assert found(glossary, "so heißt es in Brüssel") == [("heißt", "heißt")]
    assert found(demo, "die Hohe Vertreterin der EU für Aussen- und Sicherheitspolitik")[0][0] == (
        "Hohe Vertreterin der EU für Außen- und Sicherheitspolitik"
    )


def test_hyphen_and_case_variants(demo: Glossary) -> None:
    for text in (
        "die NATO-Osterweiterung",
        "die Nato-Osterweiterung",
        "die NATO Osterweiterung",
        "die NATO\u2011Osterweiterung",  # non-breaking hyphen, as in the seeds
    ):
        assert [de for de, _ in found(demo, text)] == ["NATO-Osterweiterung"], text


def test_offsets_survive_normalisation(demo: Glossary) -> None:
    text = (
        "Maß\u00adnahmen: Die Außen- und Sicherheits\u00adpolitik der Hohen Vertreterin, "
        "Waffenstill\u00adstand."
    )
    matches = demo.find(text)
    assert [m.entry.de for m in matches] == ["Hohe Vertreterin", "Waffenstillstand"]
    for m in matches:
        assert text[m.start : m.end] == m.surface
    assert matches[1].surface == "Waffenstill\u00adstand"


# --- no false matches --------------------------------------------------------------------


def test_no_match_inside_unrelated_words(demo: Glossary) -> None:
    assert found(demo, "Die Kriminalität und die Krimis") == []  # Krim
    assert found(demo, "die Gesandtschaft und gesandte Truppen") == []  # Gesandter
    assert found(demo, "Sanktionsumgehungen")[0][0] == "Sanktionsumgehung"  # not "Sanktion"
    glossary = small("  - {de: Sanktion, en: sanction}\n")
    assert found(glossary, "Sanktionsumgehungen durch Drittstaaten") == []


def test_noun_does_not_stem_match_a_verb(demo: Glossary) -> None:
    # Snowball conflates "Abschreckung" and "abschrecken"; the capital tells them apart.
    assert found(demo, "um Russland wirksam abschrecken zu können") == []
    assert found(demo, "die Macht der Abschreckung") == [("Abschreckung", "Abschreckung")]


def test_derivations_are_not_inflections(demo: Glossary) -> None:
    assert found(demo, "Völkerrechtliche Regeln wie der Schutz") == []
    assert found(demo, "auf der Grundlage des Völkerrechts") == [("Völkerrecht", "Völkerrechts")]


def test_case_sensitive_entries(demo: Glossary) -> None:
    assert found(demo, "unter Art. 20 EUV") == [("EUV", "EUV")]
    assert found(demo, "das euv-Verfahren") == []
    assert found(demo, "des linken SPD-Flügels") == [("SPD", "SPD")]


def test_compound_case_sensitive_entry_matches_lowercased_inside_words() -> None:
    glossary = small("  - {de: Garantie, en: guarantee, compound: true, case_sensitive: true}\n")
    assert [(m.surface, m.compound) for m in glossary.find("Sicherheitsgarantie")] == [
        ("garantie", True)
    ]
    assert glossary.find("GARANTIE") == []


# --- whole seeds -------------------------------------------------------------------------


def _segments(texts: list[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        for paragraph in text.split("\n"):
            out += [s for s in re.split(r"(?<=[.!?])\s+", paragraph) if s.strip()]
    return out


def test_every_seed_match_is_consistent(demo: Glossary, seed_texts: list[str]) -> None:
    for segment in _segments(seed_texts):
        matches = demo.find(segment)
        assert matches == sorted(matches, key=lambda m: m.start)
        for a, b in itertools.pairwise(matches):
            assert a.end <= b.start  # no overlaps
        for m in matches:
            assert segment[m.start : m.end] == m.surface
    everything = " ".join(seed_texts)
    terms = {m.entry.de for m in demo.find(everything)}
    assert {"Waffenstillstand", "Sicherheitsgarantie", "Selenskyj", "Kiew"} <= terms


def test_matching_the_seeds_finds_the_demo_terms(demo: Glossary, seed_texts: list[str]) -> None:
    # Speed is the benchmark's (benchmarks/run.py); here, that every seed sentence goes through.
    segments = _segments(seed_texts)
    assert len(segments) > 400
    results: list[list[TermMatch]] = [demo.find(s) for s in segments]
    assert sum(map(len, results)) > 150


def test_empty_inputs() -> None:
    assert Glossary().find("Waffenstillstand") == []
    assert small("  - {de: Waffenstillstand, en: ceasefire}\n").find("") == []


def test_nfd_and_invisible_glossary_entries_match_nfc_text() -> None:
    nfd = unicodedata.normalize("NFD", "Bündnisgarantie")
    assert nfd != "Bündnisgarantie"
    text = (
        "version: 1\nterms:\n"
        f"  - de: {nfd}\n    en: security guarantee\n"
        "  - de: Waffen\u00adstill\u200bstand\n    en: ceasefire\n"
        "  - de: Au\ufb02age\n    en: condition\n"
    )
    glossary = parse_glossary(text)
    assert [t.de for t in glossary.terms] == ["Bündnisgarantie", "Waffenstillstand", "Auflage"]
    found = glossary.find("Die Bündnisgarantie, der Waffenstillstand und die Auflage.")
    assert sorted(m.entry.de for m in found) == [
        "Auflage",
        "Bündnisgarantie",
        "Waffenstillstand",
    ]
