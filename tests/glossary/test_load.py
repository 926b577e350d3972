"""Hostile glossary text through libyaml's C parser: always a located InputError, never a crash."""

from __future__ import annotations

import pytest

from briefpack.errors import InputError, Problem
from briefpack.glossary.load import parse_glossary


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(InputError) as info:
        parse_glossary(text, file="glossary.yaml")
    return info.value.problems


def test_deep_nesting_is_refused_with_its_position() -> None:
    for depth in (100, 5_000):
        [problem] = problems_of("version: 1\nterms:\n  - de: " + "[" * depth + "]" * depth + "\n")
        assert problem.file == "glossary.yaml" and problem.line == 3
        assert "nest" in problem.message


def test_alias_expansion_is_bounded() -> None:
    lines = ["version: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    [problem] = problems_of("\n".join(lines) + "\n")
    assert problem.code == "too-large" and problem.line == 1


def test_raw_and_escaped_control_characters_are_located() -> None:
    [raw] = problems_of("version: 1\nterms:\n  - de: Kr\x07im\n    en: Crimea\n")
    assert (raw.line, raw.column) == (3, 11) and "U+0007" in raw.message
    # After a multi-byte character: libyaml counts bytes, the message columns characters.
    [after] = problems_of("version: 1\nterms:\n  - de: Bündnis\x00\n")
    assert (after.line, after.column) == (3, 16)
    [escaped] = problems_of('version: 1\nterms:\n  - de: Krim\n    en: "Cri\\u0000mea"\n')
    assert (escaped.line, escaped.field) == (4, "terms[0].en")
    assert escaped.message == (
        "character U+0000 (a control character) after 'Cri' is not allowed in text; remove it"
    )


def test_a_missing_de_and_a_recursive_alias() -> None:
    [missing] = problems_of("version: 1\nterms:\n  - en: Crimea\n")
    assert (missing.line, missing.column, missing.field) == (3, 5, "terms[0]")
    assert missing.message == "missing 'de' (the German base form)"
    [loop] = problems_of("version: 1\nterms: &t\n  - de: Krim\n    en: Crimea\n    forms: *t\n")
    assert loop.field == "terms[0].forms" and "recursive" in loop.message
