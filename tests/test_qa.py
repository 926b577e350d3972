"""Translation QA on German/English pairs: one test group per finding code."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from briefpack.glossary.load import load_glossary
from briefpack.glossary.model import Glossary
from briefpack.qa.pair import CODES, Finding, check_numbers, check_pair

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo() -> Glossary:
    return load_glossary(REPO / "glossary.yaml")


def codes(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return [(f.code, f.term) for f in findings]


def test_clean_pair(demo: Glossary) -> None:
    de = (
        "Selensky fordert nun Sicherheitsgarantien als Ersatz "
        "für den Verzicht auf den NATO-Beitritt."
    )
    en = "Zelensky is now demanding security guarantees in return for giving up NATO accession."
    assert check_pair(de, en, demo) == []


def test_empty(demo: Glossary) -> None:
    assert codes(check_pair("Ein Waffenstillstand.", "  ", demo)) == [("empty", None)]
    assert check_pair("", "", demo) == []


def test_untranslated(demo: Glossary) -> None:
    de = "Die Gespräche werden am Samstag fortgesetzt."
    assert codes(check_pair(de, de, demo)) == [("untranslated", None)]
    half = "The talks werden am Samstag fortgesetzt, und das ist nicht gut."
    [finding] = check_pair(de, half, demo)
    assert finding.code == "untranslated" and "still contains German" in finding.message
    # Names, acronyms and numbers alone are the same in both languages.
    assert check_pair("Daniel Kestenholz", "Daniel Kestenholz", demo) == []
    assert check_pair("NATO 2026", "NATO 2026", demo) == []


def test_term_missing(demo: Glossary) -> None:
    findings = check_pair(
        "Es braucht eine Pufferzone entlang der Kontaktlinie.",
        "A demilitarised area along the contact line is needed.",
        demo,
    )
    assert codes(findings) == [
        ("term-missing", "Pufferzone"),
        ("term-missing", "Kontaktlinie"),
        ("avoid-used", "Kontaktlinie"),
    ]
    assert findings[0].message == "'Pufferzone' should be translated as 'buffer zone'"


def test_term_missing_reports_an_entry_once(demo: Glossary) -> None:
    de = "Ein Waffenstillstand, dann noch ein Waffenstillstand und eine Waffenruhe."
    assert codes(check_pair(de, "A pause, then another pause.", demo)) == [
        ("term-missing", "Waffenstillstand")
    ]


def test_avoid_used(demo: Glossary) -> None:
    findings = check_pair(
        "Die Ukraine hofft auf einen Waffenstillstand.",
        "Ukraine hopes for a ceasefire, not a mere truce.",
        demo,
    )
    assert findings == [
        Finding(
            "avoid-used",
            "'truce' is to be avoided for 'Waffenstillstand'; use 'ceasefire'",
            "Waffenstillstand",
        )
    ]


def test_avoid_is_only_checked_for_terms_in_the_german(demo: Glossary) -> None:
    assert check_pair("Die Gespräche gehen weiter.", "Truce talks continue.", demo) == []


def test_keep_altered(demo: Glossary) -> None:
    de = "ob die Koalition im Bundestag eine eigene Mehrheit hätte"
    assert codes(check_pair(de, "whether the coalition had a majority in parliament", demo)) == [
        ("keep-altered", "Bundestag")
    ]
    assert check_pair(de, "whether the coalition had its own majority in the Bundestag", demo) == []


def test_findings_are_serialisable() -> None:
    finding = Finding("term-missing", "x", "Krim")
    assert finding.to_dict() == {"code": "term-missing", "term": "Krim", "message": "x"}
    assert str(finding) == "term-missing: x"
    assert set(CODES) == {
        "empty",
        "untranslated",
        "term-missing",
        "term-number",
        "keep-altered",
        "avoid-used",
        "number-mismatch",
    }


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("de", "en"),
    [
        ("bis zu 800 000 Soldaten", "up to 800,000 soldiers"),
        ("bis zu 800\u00a0000 Soldaten", "up to 800,000 soldiers"),
        ("bis zu 800.000 Soldaten", "up to 800,000 soldiers"),
        ("rund 1.000 Kilometer.", "about 1,000 kilometres."),
        ("mehr als 1000 Kilometer", "more than 1,000 kilometres"),
        ("5 % des BIP", "5% of GDP"),
        ("5 % des BIP", "5 per cent of GDP"),
        ("3,5 Prozent", "3.5 per cent"),
        ("2,5 Millionen", "2.5 million"),
        ("am 16. Dezember 2025", "on 16 December 2025"),
        ("am 16. Dezember 2025", "on December 16, 2025"),
        ("am 16. Dezember 2025", "on 16th December 2025"),
        ("am 14./15. Dezember 2025", "on 14-15 December 2025"),
        ("am 14./15. Dezember 2025", "on 14 and 15 December 2025"),
        ("Schlussfolgerungen vom 18.12. 2025", "conclusions of 18 December 2025"),
        ("Schlussfolgerungen vom 18.12.2025", "conclusions of 18/12/2025"),
        ("für die Jahre 2026–2027", "for 2026–27"),
        ("für 2025/26", "for 2025-2026"),
        ("im Jahr 2026", "in 2026"),
        ("eine 2/3‑Mehrheit", "a two-thirds majority"),
        ("eine 2/3‑Mehrheit", "a 2/3 majority"),
        ("das sechste Treffen", "the 6th meeting"),
        ("das 6. Treffen", "the sixth meeting"),
        ("Trumps 27-Punkte-Plan", "Trump's twenty-seven-point plan"),
        ("in den 90er Jahren", "in the 1990s"),
        ("210 Mrd. Euro", "EUR 210 billion"),
        ("Art. 5 des NATO-Vertrags", "Article 5 of the North Atlantic Treaty"),
        ("Kap. 3.2 der Strategie", "Section 3.2 of the strategy"),
        ("von G7 zur G8", "from the G7 to the G8"),
        ("nach 9/11", "after 9/11"),
        ("vor vier Jahren", "four years ago"),
    ],
)
def test_numbers_that_match(de: str, en: str) -> None:
    assert check_numbers(de, en) == []


@pytest.mark.parametrize(
    ("de", "en", "messages"),
    [
        (
            "3,5 Prozent",
            "35 per cent",
            ["'3,5' (3.5) is missing in the English", "the English has '35', not in the German"],
        ),
        (
            "bis zu 800 000 Soldaten",
            "up to 80,000 soldiers",
            [
                "'800 000' (800000) is missing in the English",
                "the English has '80,000', not in the German",
            ],
        ),
        (
            "im Jahr 2026",
            "in 2025",
            [
                "'2026' (2026) is missing in the English",
                "the English has '2025', not in the German",
            ],
        ),
        (
            "rund 1.000 Kilometer",
            "about 1.000 kilometres",
            [
                "'1.000' (1000) is missing in the English",
                "the English has '1.000', not in the German",
            ],
        ),
        ("am 16. Dezember", "in December", ["'16' (16) is missing in the English"]),
        ("im Dezember", "on 16 December", ["the English has '16', not in the German"]),
    ],
)
def test_numbers_that_do_not_match(de: str, en: str, messages: list[str]) -> None:
    findings = check_numbers(de, en)
    assert [f.code for f in findings] == ["number-mismatch"] * len(messages)
    assert [f.message for f in findings] == messages


def test_number_mismatch_in_check_pair(demo: Glossary) -> None:
    findings = check_pair(
        "Die Armee soll 800 000 Soldaten umfassen.", "The army is to have 600,000 soldiers.", demo
    )
    assert [f.code for f in findings] == ["number-mismatch", "number-mismatch"]


# --- the demo content --------------------------------------------------------------------


def _reviewed_pairs() -> list[tuple[str, str, str]]:
    yaml = YAML(typ="safe")
    pairs = []
    for path in sorted((REPO / "translations").rglob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8")) or {}
        for entry in doc.get("entries") or []:
            if entry.get("status") == "reviewed" and entry.get("en"):
                pairs.append((path.name, str(entry["de"]), str(entry["en"])))
    return pairs


def test_no_false_positives_on_reviewed_demo_translations(demo: Glossary) -> None:
    pairs = _reviewed_pairs()
    assert len(pairs) > 100
    unexpected = [
        f"{name}: {de!r} -> {finding}"
        for name, de, en in pairs
        for finding in check_pair(de, en, demo)
    ]
    assert unexpected == []
