"""Glossary lint, and the demo glossary's required content."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpack.glossary.lint import lint
from briefpack.glossary.load import load_glossary, parse_glossary
from briefpack.glossary.model import Glossary, Term

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo() -> Glossary:
    return load_glossary(REPO / "glossary.yaml", root=REPO)


def codes(text: str) -> list[tuple[int | None, str | None, str]]:
    glossary = parse_glossary("version: 1\nterms:\n" + text)
    return [(p.line, p.field, p.code) for p in lint(glossary)]


def test_demo_glossary_is_clean(demo: Glossary) -> None:
    assert lint(demo) == []


def test_approved_english_avoided_by_another_entry() -> None:
    found = codes(
        "  - {de: Waffenstillstand, en: ceasefire, avoid: [truce]}\n"
        "  - {de: Feuerpause, en: truce}\n"
    )
    assert found == [(4, "terms[1].en", "conflict")]


def test_avoid_equal_to_own_english() -> None:
    assert codes("  - {de: Pufferzone, en: buffer zone, avoid: [Buffer Zones]}\n") == [
        (3, "terms[0].avoid[0]", "avoid-self")
    ]


def test_redundant_forms_and_avoid() -> None:
    found = codes(
        "  - de: Kiew\n    en: Kyiv\n    forms: [kiew, Kiews, Kiews]\n    avoid: [Kiev, kiev]\n"
    )
    assert [(f, c) for _, f, c in found] == [
        ("terms[0].avoid[1]", "redundant"),
        ("terms[0].forms[0]", "redundant"),
        ("terms[0].forms[2]", "redundant"),
    ]


def test_whitespace_and_short_compounds() -> None:
    found = codes(
        "  - {de: 'Krim ', en: Crimea}\n"
        "  - {de: EU, en: EU, compound: true}\n"
        "  - {de: Donbas, en: 'the  Donbas'}\n"
    )
    assert [(f, c) for _, f, c in found] == [
        ("terms[0].de", "whitespace"),
        ("terms[1].compound", "short-compound"),
        ("terms[2].en", "whitespace"),
    ]


def test_stem_collision() -> None:
    found = codes("  - {de: Garantie, en: guarantee}\n  - {de: Garantien, en: guarantees}\n")
    assert found == [(4, "terms[1].de", "stem-collision")]


def test_same_english_for_two_german_terms_is_fine() -> None:
    assert codes("  - {de: Frontlinie, en: front line}\n  - {de: Front, en: front line}\n") == []


def test_duplicates_in_a_glossary_built_in_code() -> None:
    glossary = Glossary(
        (
            Term(de="Krim", en="Crimea", index=0, line=3, column=5),
            Term(de="krim", en="the Crimea", index=1, line=4, column=5),
        )
    )
    assert [p.code for p in lint(glossary)] == ["duplicate-entry"]


# --- the demo glossary's content ---------------------------------------------------------


def test_demo_has_enough_grouped_entries(demo: Glossary) -> None:
    assert len(demo) >= 50
    text = (REPO / "glossary.yaml").read_text(encoding="utf-8")
    assert text.count("# --- ") >= 6


@pytest.mark.parametrize(
    ("de", "en"),
    [
        ("Waffenstillstand", "ceasefire"),
        ("Sicherheitsgarantie", "security guarantee"),
        ("Koalition der Willigen", "coalition of the willing"),
        ("Kontaktlinie", "line of contact"),
        ("Frontlinie", "front line"),
        ("Pufferzone", "buffer zone"),
        ("Schattenflotte", "shadow fleet"),
        ("Sekundärsanktionen", "secondary sanctions"),
        ("eingefrorene Vermögenswerte", "frozen assets"),
        ("Beistandsklausel", "mutual defence clause"),
        ("Sondergesandter", "special envoy"),
        ("Nationale Sicherheitsstrategie", "National Security Strategy"),
        (
            "Hohe Vertreterin der EU für Außen- und Sicherheitspolitik",
            "High Representative of the Union for Foreign Affairs and Security Policy",
        ),
        ("Selenskyj", "Zelensky"),
        ("Bundeswehr", "Bundeswehr"),
        ("Bundestag", "Bundestag"),
        ("Völkerrecht", "international law"),
        ("internationale Rechtsordnung", "international legal order"),
    ],
)
def test_required_entries(demo: Glossary, de: str, en: str) -> None:
    term = demo.get(de)
    assert term is not None and term.en == en


def test_required_details(demo: Glossary) -> None:
    ceasefire = demo.get("Waffenstillstand")
    assert ceasefire is not None and ceasefire.compound
    assert {"truce", "armistice"} <= set(ceasefire.avoid)
    assert {"Waffenruhe", "Waffenstillstände"} <= set(ceasefire.forms)
    guarantee = demo.get("Sicherheitsgarantie")
    assert guarantee is not None and guarantee.compound
    assert "Sicherheitsgarantien" in guarantee.forms
    zelensky = demo.get("Selenskyj")
    assert zelensky is not None and {"Selensky", "Selenskij", "Selenskyjs"} <= set(zelensky.forms)
    for kept in ("Bundeswehr", "Bundestag"):
        assert demo.get(kept).keep  # type: ignore[union-attr]
    assert "defence" in " ".join(t.en for t in demo)  # British spelling
    assert "defense" not in " ".join(t.en for t in demo if not t.keep)
