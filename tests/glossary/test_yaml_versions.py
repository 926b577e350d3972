"""glossary.yaml is YAML 1.2 (as ruamel.yaml, its editor, reads it), briefings YAML 1.1."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from yaml.nodes import SequenceNode

from briefpack.errors import InputError
from briefpack.glossary.load import parse_glossary
from briefpack.util.yamlio import compose_yaml, parse_yaml

# Plain scalars on which YAML 1.1 and 1.2 readers disagree, and some on which they agree.
SCALARS = [
    *("no No NO yes Yes YES on On ON off Off OFF y Y n N".split()),
    *("true True TRUE false False FALSE tRue".split()),
    *("~ null Null NULL nul".split()),
    *("0 7 -7 +7 017 0o17 0o8 0x1F 0X1F 0b101 1_000 1:20 -1:20:30 190:20:30".split()),
    *("1.5 1.5e3 1e3 1E-3 .5 +.5 -.5 1. 1_0.5 .inf -.Inf .NaN 1:20.5 6.8523015e+5".split()),
    *("Krim Waffenstillstand 1st 2a 0xZ _ ___ - + . abc:def".split()),
]
# What ruamel.yaml resolves but the YAML 1.2 core schema has no type for: text for us.
RUAMEL_ONLY = {"2024-05-01", "2001-12-14t21:59:43.10-05:00", "=", "<<"}


def ruamel_tag(scalar: str) -> str:
    node = YAML(typ="rt").compose(io.StringIO(f"- {scalar}\n"))
    return str(node.value[0].tag)


def our_tag(scalar: str, version: str) -> str:
    node = compose_yaml(f"- {scalar}\n", display="x.yaml", version=version)  # type: ignore[arg-type]
    assert isinstance(node, SequenceNode)
    return str(node.value[0].tag)


@pytest.mark.parametrize("scalar", SCALARS)
def test_the_glossary_resolves_plain_scalars_as_ruamel_yaml_did(scalar: str) -> None:
    assert our_tag(scalar, "1.2") == ruamel_tag(scalar)


@pytest.mark.parametrize("scalar", sorted(RUAMEL_ONLY))
def test_dates_merge_and_value_keys_are_text_in_the_glossary(scalar: str) -> None:
    assert our_tag(scalar, "1.2") == "tag:yaml.org,2002:str"


def test_briefings_keep_yaml_1_1() -> None:
    doc = parse_yaml("a: [no, on, yes, 017, 1:20]\n", path=Path("x"), display="x.yaml")
    assert doc.data == {"a": [False, True, True, 15, 80]}


def test_yes_no_on_off_are_german_and_english_text_in_the_glossary() -> None:
    text = (
        "version: 1\nterms:\n"
        "  - {de: no, en: on}\n"
        "  - {de: Off, en: 'yes', forms: [OFF, Y]}\n"
        "  - {de: Uhrzeit, en: '1:20', note: 2024-05-01, accept: [1:20]}\n"
    )
    glossary = parse_glossary(text)
    assert [(t.de, t.en) for t in glossary.terms] == [
        ("no", "on"),
        ("Off", "yes"),
        ("Uhrzeit", "1:20"),
    ]
    assert glossary.terms[1].forms == ("OFF", "Y")
    assert glossary.terms[2].note == "2024-05-01" and glossary.terms[2].accept == ("1:20",)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("keep: yes", "must be true or false, not a string ('yes')"),
        ("keep: on", "must be true or false, not a string ('on')"),
        ("compound: 1", "must be true or false, not a number ('1')"),
        ("en: 017", "must be a string, not a number ('17')"),
        ("en: 0o17", "must be a string, not a number ('15')"),
        ("en: 0x1F", "must be a string, not a number ('31')"),
        ("en: 1_000", "must be a string, not a number ('1000')"),
        ("en: .inf", "must be a string, not a number ('inf')"),
        ("en: True", "must be a string, not a boolean ('true')"),
        ("en: ~", "must be a string, not empty"),
    ],
)
def test_numbers_and_booleans_are_yaml_1_2_ones(line: str, message: str) -> None:
    text = f"version: 1\nterms:\n  - de: Krim\n    {line}\n"
    with pytest.raises(InputError) as info:
        parse_glossary(text, file="glossary.yaml")
    [problem] = [p for p in info.value.problems if p.message.startswith("must")]
    assert problem.message == message
    assert (problem.file, problem.line, problem.column) == ("glossary.yaml", 4, 5)


def test_an_octal_looking_version_is_version_one_in_yaml_1_2() -> None:
    assert len(parse_glossary("version: 0o1\nterms: []\n")) == 0
    with pytest.raises(InputError) as info:
        parse_glossary("version: yes\nterms: []\n")
    assert info.value.problems[0].message.startswith("unsupported version 'yes'")
