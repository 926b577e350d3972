"""The YAML reader: positions, duplicate keys, tags, alias bombs, encodings, size."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefpack.errors import InputError
from briefpack.util.yamlio import MAX_YAML_BYTES, load_yaml, parse_yaml


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_yaml(text, path=Path("x.yaml"), display="x.yaml")


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse(text)
    return info.value.lines()


def test_positions_are_recorded_for_keys_and_items() -> None:
    doc = parse("title: a\nitems:\n  - one\n  - two\n")
    assert doc.data == {"title": "a", "items": ["one", "two"]}
    assert doc.where(("items", 1)) == (4, 5)
    assert doc.where(("title",)) == (1, 1)
    assert doc.where(("missing", "deeper")) == (1, 1)


def test_dates_stay_strings_for_schema_validation() -> None:
    assert parse("d: 2025-02-30\n").data == {"d": "2025-02-30"}


def test_duplicate_key_is_reported_with_both_lines() -> None:
    (line,) = problems("a: 1\nb: 2\na: 3\n")
    assert line == "x.yaml:3:1: duplicate key 'a' (first defined on line 1)"


def test_python_tags_are_refused_not_executed() -> None:
    (line,) = problems("a: !!python/object/apply:os.system ['true']\n")
    assert line.startswith("x.yaml:1:4: a: unsupported YAML tag")


def test_billion_laughs_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    (line,) = problems("\n".join(lines) + "\n")
    assert "expands to more than" in line


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("a: 'unclosed\nb: 2\n", "x.yaml:3:1", "started on line 1"),
        ("a:\n\t- x\n", "x.yaml:2:1", "tab character"),
        ("a: [1, 2\n", "x.yaml:2:1", "expected ','"),
        ("a:\n  b: 1\n c: 2\n", "x.yaml:3:2", "YAML syntax error"),
    ],
)
def test_syntax_errors_name_line_and_column(text: str, where: str, words: str) -> None:
    (line,) = problems(text)
    assert line.startswith(where + ":")
    assert words in line


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: \xc3\xa4\n")
    assert load_yaml(path, "b.yaml").data == {"a": "ä"}


def test_non_utf8_names_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"a: ok\nb: caf\xe9\n")
    with pytest.raises(InputError) as info:
        load_yaml(path, "b.yaml")
    (line,) = info.value.lines()
    assert line.startswith("b.yaml:2:7: not valid UTF-8 (byte 0xe9")


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: '" + b"x" * MAX_YAML_BYTES + b"'\n")
    with pytest.raises(InputError) as info:
        load_yaml(path, "big.yaml")
    assert "over the limit" in info.value.lines()[0]


def test_empty_document_is_none() -> None:
    assert parse("# only a comment\n").data is None
