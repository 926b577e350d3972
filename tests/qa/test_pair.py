"""Translation QA on German/English pairs: one test group per finding code."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from briefpack.glossary.load import load_glossary
from briefpack.glossary.model import Glossary
from briefpack.qa.pair import CODES, Finding, check_numbers, check_pair

REPO = Path(__file__).resolve().parents[2]


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
    assert set(CODES) >= {
        "empty",
        "untranslated",
        "term-missing",
        "term-number",
        "keep-altered",
        "avoid-used",
        "number-mismatch",
        "magnitude-mismatch",
        "month-mismatch",
        "number-word-mismatch",
    }


def test_every_code_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert [code for code in CODES if f"`{code}`" not in readme] == []


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


# --- magnitudes, months, number words -------------------------------------------------------


@pytest.mark.parametrize(
    ("de", "en"),
    [
        ("Die EU stellt 100 Mrd. Euro bereit.", "The EU is providing EUR 100 billion."),
        ("Die EU stellt 100 Mrd. Euro bereit.", "The EU is providing €100bn."),
        ("Die EU stellt 100 Mrd. Euro bereit.", "The EU is providing 100,000 million euros."),
        ("450 Millionen Euro", "450 million euros"),
        ("2,5 Mio. Menschen", "2.5 million people"),
        ("2,5 Mio. Menschen", "2.5m people"),
        ("2,5 Mio. Menschen", "2,500,000 people"),
        ("Kosten von 300 Mio. Pfund", "a cost of £300m"),
        ("10 Tsd. Soldaten", "10,000 soldiers"),
        ("1 Bio. Dollar", "1 trillion dollars"),
        ("eine Billion Dollar", "a trillion dollars"),
        ("zwei Milliarden Euro", "two billion euros"),
        ("zwei Milliarden Euro", "EUR 2bn"),
        ("zwischen 2 und 3 Mrd. Euro", "between 2bn and 3bn euros"),
        ("zwischen 2 und 3 Mrd. Euro", "between 2 and 3 billion euros"),
        ("Milliarden Euro an Hilfen", "billions of euros in aid"),
        ("ein 100-m-Lauf", "a 100m race"),
        ("5 Bio-Höfe", "5 organic farms"),
    ],
)
def test_magnitudes_that_match(de: str, en: str) -> None:
    assert check_numbers(de, en) == []


@pytest.mark.parametrize(
    ("de", "en", "message"),
    [
        (
            "Die EU stellt 100 Mrd. Euro bereit.",
            "The EU is providing EUR 100 million.",
            "'100 Mrd.' is 100 billion; the English has '100 million'",
        ),
        (
            "450 Millionen Euro",
            "450 billion euros",
            "'450 Millionen' is 450 million; the English has '450 billion'",
        ),
        (
            "Die EU stellt 100 Mrd. Euro bereit.",
            "The EU is providing €100m.",
            "'100 Mrd.' is 100 billion; the English has '100m' (100 million)",
        ),
        (
            "2,5 Mio. Menschen",
            "2.5 billion people",
            "'2,5 Mio.' is 2.5 million; the English has '2.5 billion'",
        ),
        (
            "10 Tsd. Soldaten",
            "10 million soldiers",
            "'10 Tsd.' is 10 thousand; the English has '10 million'",
        ),
        # A German Billion is an English trillion.
        (
            "1 Billion Dollar",
            "1 billion dollars",
            "'1 Billion' is 1 trillion; the English has '1 billion'",
        ),
        (
            "5 Bio. Dollar",
            "5bn dollars",
            "'5 Bio.' is 5 trillion; the English has '5bn' (5 billion)",
        ),
        (
            "zwei Milliarden Euro",
            "two million euros",
            "'zwei Milliarden' is 2 billion; the English has 'two million' (2 million)",
        ),
        ("5 Mio. Euro", "5 euros", "'5 Mio.' is 5 million; the English has '5'"),
    ],
)
def test_magnitudes_that_do_not_match(de: str, en: str, message: str) -> None:
    assert [(f.code, f.message) for f in check_numbers(de, en)] == [("magnitude-mismatch", message)]


@pytest.mark.parametrize(
    ("de", "en"),
    [
        ("am 4. März 2025", "on 4 March 2025"),
        ("am 4. März 2025", "on March 4, 2025"),
        ("am 4. März 2025", "on 4 Mar. 2025"),
        ("im Dez. 2025", "in Dec. 2025"),
        ("im Jänner", "in January"),
        ("Schlussfolgerungen vom 18.12. 2025", "conclusions of 18 December 2025"),
        ("vom 4. bis 10. März", "from 4 to 10 March"),
        ("Theresa May sprach im März", "Theresa May spoke in March"),
    ],
)
def test_months_that_match(de: str, en: str) -> None:
    assert check_numbers(de, en) == []


@pytest.mark.parametrize(
    ("de", "en", "message"),
    [
        ("am 4. März 2025", "on 4 May 2025", "'4. März' is March; the English has 'May'"),
        ("im Mai und Juni", "in May and July", "'Juni' is June; the English has 'July'"),
        ("im Dezember", "in the winter", "'Dezember' (December) is missing in the English"),
        (
            "Schlussfolgerungen vom 18.12. 2025",
            "conclusions of 18 November 2025",
            "'18.12. 2025' is December; the English has 'November'",
        ),
    ],
)
def test_months_that_do_not_match(de: str, en: str, message: str) -> None:
    assert [(f.code, f.message) for f in check_numbers(de, en)] == [("month-mismatch", message)]


@pytest.mark.parametrize(
    ("de", "en"),
    [
        ("zwei Drittel der Staaten", "two thirds of the states"),
        ("zwei Drittel der Staaten", "two-thirds of the states"),
        ("zwei Drittel der Staaten", "2/3 of the states"),
        ("eine Zweidrittelmehrheit", "a two-thirds majority"),
        ("drei Viertel der Mittel", "three quarters of the funds"),
        ("ein Drittel der Mittel", "a third of the funds"),
        ("die Hälfte der Mittel", "half of the funds"),
        ("drei Staaten", "three states"),
        ("drei Staaten", "3 states"),
        ("binnen zwei Wochen", "within a fortnight"),
        ("die zwei Länder", "both countries"),
        ("zwei- bis dreimal", "twice or three times"),
        ("im Zweiten Weltkrieg", "in World War II"),
        ("das zwölfte Paket", "the 12th package"),
        ("Sie achten auf Details.", "They pay attention to details."),
        ("Das lässt er außer Acht.", "He disregards that."),
        ("eine Verhandlungsrunde", "a round of negotiations"),
        ("Die erste Runde", "The opening round"),
    ],
)
def test_number_words_that_match(de: str, en: str) -> None:
    assert check_numbers(de, en) == []


@pytest.mark.parametrize(
    ("de", "en", "message"),
    [
        (
            "zwei Drittel der Staaten",
            "three quarters of the states",
            "'zwei Drittel' (2/3) is missing in the English; "
            "the English has 'three quarters' (3/4)",
        ),
        (
            "eine Zweidrittelmehrheit",
            "a three-quarters majority",
            "'Zweidrittel' (2/3) is missing in the English; the English has 'three-quarters' (3/4)",
        ),
        (
            "die Hälfte der Mittel",
            "a third of the funds",
            "'Hälfte' (1/2) is missing in the English; the English has 'a third' (1/3)",
        ),
        (
            "drei Staaten",
            "four states",
            "'drei' (3) is missing in the English; the English has 'four' (4)",
        ),
        ("vor zehn Jahren", "years ago", "'zehn' (10) is missing in the English"),
        (
            "das sechste Treffen",
            "the fifth meeting",
            "'sechste' (6) is missing in the English; the English has 'fifth' (5)",
        ),
        (
            "eine Million Menschen",
            "many people",
            "'eine Million' (1 million) is missing in the English",
        ),
    ],
)
def test_number_words_that_do_not_match(de: str, en: str, message: str) -> None:
    assert [(f.code, f.message) for f in check_numbers(de, en)] == [
        ("number-word-mismatch", message)
    ]


def test_new_number_codes_in_check_pair(demo: Glossary) -> None:
    findings = check_pair(
        "Am 4. März sagten zwei Drittel der Staaten 100 Mrd. Euro zu.",
        "On 4 May, three quarters of the states pledged EUR 100 million.",
        demo,
    )
    assert [f.code for f in findings] == [
        "magnitude-mismatch",
        "number-word-mismatch",
        "month-mismatch",
    ]


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
