"""The grammatical number of a glossary term where German marks it outside the noun."""

from __future__ import annotations

import pytest

from briefpack.glossary.load import parse_glossary
from briefpack.glossary.model import Glossary
from briefpack.glossary.morph import number_from_context


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return parse_glossary(
        "version: 1\nterms:\n"
        "  - {de: Gesandter, en: envoy}\n"
        "  - {de: Unterhändler, en: negotiator}\n"
        "  - {de: Abgeordneter, en: member of parliament, en_plural: members of parliament}\n"
        "  - {de: Gebäude, en: building}\n"
    )


def number(glossary: Glossary, text: str) -> str | None:
    [match] = glossary.find(text)
    return match.number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Contracted determiners stand for a singular article.
        ("Er kam vom Unterhändler zurück.", "sg"),
        ("Er ging zum Unterhändler.", "sg"),
        ("Die Rede beim Unterhändler.", "sg"),
        ("Die Rede im Abgeordneten blieb still.", "sg"),
        ("Die Frage zur Gesandten blieb offen.", "sg"),
        ("Ein Brief am Unterhändler vorbei.", "sg"),
        ("Ein Brief ans Büro, dann ans Zelt des Gesandten.", "sg"),
        # Nominalised adjectives: a hyphenated first part does not hide the article.
        ("Er traf sich mit dem US-Gesandten.", "sg"),
        ("Er traf sich mit dem neuen US-Gesandten.", "sg"),
        ("Die US-Gesandten reisten ab.", "pl"),
        # ... and after "die" the weak ending tells the number.
        ("Die Gesandte kam.", "sg"),
        ("Die Gesandten kamen.", "pl"),
        ("Die Abgeordnete sprach.", "sg"),
        # As before: plain articles, and a form that says it alone.
        ("Die Unterhändler sagten.", "pl"),
        ("Der Unterhändler sagte.", "sg"),
        ("Die Gebäude stehen.", "pl"),  # not a nominalised adjective: "die" is plural
    ],
)
def test_number_outside_the_noun(glossary: Glossary, text: str, expected: str | None) -> None:
    assert number(glossary, text) == expected


def test_context_reader_directly() -> None:
    assert number_from_context("Er ging zum ") == "sg"
    assert number_from_context("mit dem US-") == "sg"
    assert number_from_context("mit dem Präsidenten und ") is None  # another noun between
    assert number_from_context("die ", "Gesandte") == "sg"
    assert number_from_context("die ", "Gesandten") == "pl"
    assert number_from_context("die ", "Gebäude") == "pl"
