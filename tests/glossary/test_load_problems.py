"""Loading glossary.yaml: every problem reported with file, line, column and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpack.errors import ExitCode, InputError, Problem
from briefpack.glossary.load import load_glossary, parse_glossary
from briefpack.glossary.model import Glossary

REPO = Path(__file__).resolve().parents[2]


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(InputError) as info:
        parse_glossary(text, file="glossary.yaml")
    assert info.value.exit_code == ExitCode.INVALID_INPUT
    return info.value.problems


def where(problem: Problem) -> tuple[int | None, int | None, str | None]:
    return problem.line, problem.column, problem.field


def test_demo_glossary_loads() -> None:
    glossary = load_glossary(REPO / "glossary.yaml", root=REPO)
    assert len(glossary) >= 50
    assert glossary.file == "glossary.yaml"
    ceasefire = glossary.get("waffenstillstand")
    assert ceasefire is not None and ceasefire.compound and "Waffenruhe" in ceasefire.forms
    assert ceasefire.line is not None and ceasefire.column == 5


def test_missing_and_blank_files_are_empty(tmp_path: Path) -> None:
    assert len(load_glossary(tmp_path / "glossary.yaml")) == 0
    for text in ("", "\n\n", "# only a comment\n", "\ufeff"):
        (tmp_path / "g.yaml").write_text(text, encoding="utf-8")
        assert load_glossary(tmp_path / "g.yaml") == Glossary(
            (), tmp_path / "g.yaml", str(tmp_path / "g.yaml")
        )
    assert len(parse_glossary("version: 1\nterms:\n")) == 0
    assert len(parse_glossary("version: 1\nterms: []\n")) == 0


def test_bom_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_bytes(b"\xef\xbb\xbfversion: 1\nterms:\n  - {de: Krim, en: Crimea}\n")
    assert [t.en for t in load_glossary(path)] == ["Crimea"]


def test_typo_in_key_names_the_line_and_suggests() -> None:
    text = "version: 1\nterms:\n  - de: Krim\n    en: Crimea\n    froms: [Krym]\n"
    [problem] = problems_of(text)
    assert where(problem) == (5, 5, "terms[0].froms")
    assert "unknown key 'froms'" in problem.message and "did you mean 'forms'" in problem.message
    assert str(problem).startswith("glossary.yaml:5:5: terms[0].froms: unknown key")


def test_every_problem_is_reported_at_once() -> None:
    text = (
        "version: 1\n"
        "terms:\n"
        "  - de: Krim\n"  # line 3: missing en
        "  - de: 42\n"  # line 4: de not a string
        "    en: x\n"
        "  - de: Kiew\n"
        "    en: Kyiv\n"
        "    compound: yes\n"  # line 8: YAML 1.2 'yes' is a string
        "    forms: Kiews\n"  # line 9: not a list
        "  - just a string\n"  # line 10
    )
    found = {(p.line, p.field): p.message for p in problems_of(text)}
    assert found[(3, "terms[0]")].startswith("missing 'en'")
    assert found[(4, "terms[1].de")] == "must be a string, not a number ('42')"
    assert found[(8, "terms[2].compound")] == "must be true or false, not a string ('yes')"
    assert found[(9, "terms[2].forms")] == "must be a list of strings (write [Kiews])"
    assert found[(10, "terms[3]")].startswith("must be a mapping")
    assert len(found) == 5


def test_duplicate_key_in_a_mapping() -> None:
    text = "version: 1\nterms:\n  - de: Krim\n    en: Crimea\n    en: the Crimea\n"
    [problem] = problems_of(text)
    assert (problem.line, problem.column) == (5, 5)
    assert problem.message == "duplicate key 'en' (first defined on line 4)"


def test_yaml_syntax_error_has_its_position() -> None:
    [problem] = problems_of("version: 1\nterms:\n  - de: [Krim\n    en: Crimea\n")
    assert problem.code == "yaml-syntax" and problem.line is not None
    assert problem.message.startswith("YAML syntax error")
    [tab] = problems_of("version: 1\nterms:\n\t- de: Krim\n")
    assert (tab.line, tab.column) == (3, 1)


def test_python_object_tag_is_refused_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = (
        "version: 1\nterms:\n  - de: Krim\n    en: Crimea\n"
        f"    note: !!python/object/apply:os.system ['touch {marker}']\n"
    )
    problems = problems_of(text)
    assert any(p.line == 5 and "!!python/object/apply:os.system" in p.message for p in problems)
    assert not marker.exists()
    assert problems_of("!custom {version: 1}\n")[0].code == "yaml-tag"


def test_duplicate_entries_and_claimed_forms() -> None:
    text = (
        "version: 1\nterms:\n"
        "  - {de: Waffenstillstand, en: ceasefire, forms: [Waffenruhe]}\n"
        "  - {de: waffenstillstand, en: truce}\n"  # same de, other case
        "  - {de: Feuerpause, en: pause, forms: [Waffenruhe]}\n"  # form of entry 0
        "  - {de: Außenminister, en: foreign minister}\n"
        "  - {de: Aussenminister, en: foreign secretary}\n"  # ß/ss spelling
    )
    problems = problems_of(text)
    messages = [(p.line, p.code, p.message) for p in problems]
    assert (
        4,
        "duplicate-entry",
        "duplicate entry 'waffenstillstand': already defined as 'Waffenstillstand' on line 3",
    ) in messages
    assert (
        5,
        "form-conflict",
        "form 'Waffenruhe' is already a form of entry 'Waffenstillstand' (line 3)",
    ) in messages
    assert any(line == 7 and code == "duplicate-entry" for line, code, _ in messages)


def test_top_level_must_be_a_mapping() -> None:
    [problem] = problems_of("- de: Krim\n  en: Crimea\n")
    assert problem.line == 1 and "top level must be a mapping" in problem.message
    [version] = problems_of("version: 2\nterms: []\n")
    assert version.field == "version" and "unsupported version" in version.message
    [unknown] = problems_of("version: 1\nterm: []\n")
    assert "did you mean 'terms'" in unknown.message


def test_empty_strings_are_errors() -> None:
    problems = problems_of("version: 1\nterms:\n  - {de: Krim, en: '', forms: ['']}\n")
    assert {p.field for p in problems} == {"terms[0].en", "terms[0].forms[0]"}
    assert all(p.message == "must not be empty" for p in problems)


def test_keep_entries_may_omit_en() -> None:
    glossary = parse_glossary("version: 1\nterms:\n  - {de: Bundeswehr, keep: true}\n")
    assert glossary.terms[0].en == "Bundeswehr"


def test_non_utf8_bytes_name_the_offset(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_bytes(b"version: 1\nterms:\n  - {de: Au\xdfen, en: x}\n")
    with pytest.raises(InputError) as info:
        load_glossary(path)
    [problem] = info.value.problems
    assert (problem.line, problem.column) == (3, 12)
    assert problem.message == "not valid UTF-8: byte 0xDF at byte offset 29"


def test_files_over_two_mib_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    with pytest.raises(InputError, match="over the limit of 2,097,152 bytes"):
        load_glossary(path)


def test_a_folder_is_not_a_glossary(tmp_path: Path) -> None:
    (tmp_path / "glossary.yaml").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        load_glossary(tmp_path / "glossary.yaml")
