"""`briefpack schema`: JSON Schemas that accept every valid file and reject broken ones."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.errors import ExitCode
from briefpack.source.feeds import Feed, add_feed, load_feeds
from briefpack.source.inbox import InboxItem, load_inbox, write_item
from briefpack.source.json_schema import DRAFT, NAMES
from tests.support import REPO

runner = CliRunner()
SKELETON = REPO / "src" / "briefpack" / "skeleton"
INTAKE = REPO / "tests" / "fixtures" / "intake" / "project-files"  # a feeds.yaml, an inbox item


def schema_json(*names: str) -> Any:
    result = runner.invoke(app, ["schema", *names])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# A small validator for the JSON Schema keywords our schemas use (the dev environment has
# no `jsonschema` package). Returns a list of error paths; empty means valid.
def errors(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return errors(value, target, root, path)
    out: list[str] = []
    if "anyOf" in schema and all(errors(value, s, root, path) for s in schema["anyOf"]):
        out.append(f"{path}: matches no alternative")
    if "not" in schema and not errors(value, schema["not"], root, path):
        out.append(f"{path}: matches a forbidden schema")
    if "if" in schema and not errors(value, schema["if"], root, path):
        out += errors(value, schema.get("then", {}), root, path)
    if "const" in schema and value != schema["const"]:
        out.append(f"{path}: must be {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: not one of {schema['enum']}")
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        checks = {
            "string": isinstance(value, str),
            "boolean": isinstance(value, bool),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "null": value is None,
            "array": isinstance(value, list),
            "object": isinstance(value, dict),
        }
        if not any(checks[k] for k in kinds):
            return [*out, f"{path}: not of type {kinds}"]
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 1e9):
            out.append(f"{path}: length")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{path}: does not match {schema['pattern']}")
        if schema.get("format") == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                out.append(f"{path}: not a date")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(f"{path}: too few items")
        if schema.get("uniqueItems") and len({json.dumps(v) for v in value}) != len(value):
            out.append(f"{path}: items not unique")
        for i, item in enumerate(value):
            out += errors(item, schema.get("items", {}), root, f"{path}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        out += [f"{path}: missing {k}" for k in schema.get("required", []) if k not in value]
        if schema.get("additionalProperties") is False:
            out += [f"{path}: unknown key {k}" for k in value if k not in props]
        for key, item in value.items():
            if key in props:
                out += errors(item, props[key], root, f"{path}.{key}")
    return out


def as_json(value: Any) -> Any:
    """Return YAML data as an editor sees it (YAML 1.2: dates are strings)."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load(path: Path) -> Any:
    return as_json(yaml.safe_load(path.read_text(encoding="utf-8")))


FILES = {
    "briefing": [*REPO.glob("briefings/*.yaml"), *SKELETON.glob("briefings/*.yaml")],
    "pack": [*REPO.glob("briefings/packs/*.yaml"), *SKELETON.glob("briefings/packs/*.yaml")],
    "glossary": [REPO / "glossary.yaml", SKELETON / "glossary.yaml"],
    "translations": [
        *REPO.glob("translations/**/*.yaml"),
        *SKELETON.glob("translations/**/*.yaml"),
    ],
    "settings": [SKELETON / "briefpack.yaml"],
    "feeds": [INTAKE / "feeds.yaml"],
    "inbox": [*INTAKE.glob("inbox/*.yaml")],
}


def test_all_schemas_keyed_by_name() -> None:
    every = schema_json()
    assert list(every) == list(NAMES)
    for name, schema in every.items():
        assert schema["$schema"] == DRAFT
        assert schema["title"].startswith("briefpack"), name
        assert schema["type"] == "object" and schema["additionalProperties"] is False


def test_one_schema_alone_and_several_keyed() -> None:
    briefing = schema_json("briefing")
    assert briefing["title"] == "briefpack briefing (briefings/<id>.yaml)"
    assert {"id", "title", "source", "summary"} <= set(briefing["required"])
    assert list(schema_json("pack", "glossary")) == ["pack", "glossary"]
    assert schema_json("pack", "pack")["title"].startswith("briefpack pack")


def test_unknown_schema_is_a_usage_error() -> None:
    result = runner.invoke(app, ["schema", "briefings"])
    assert result.exit_code == ExitCode.USAGE
    assert "unknown schema 'briefings'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", NAMES)
def test_every_project_file_is_valid(name: str) -> None:
    schema = schema_json(name)
    assert FILES[name], name
    for path in FILES[name]:
        assert errors(load(path), schema, schema) == [], path


def _item() -> Any:
    return load(FILES["inbox"][0])


def _briefing() -> Any:
    return load(REPO / "briefings" / "mearsheimer-diplomatie.yaml")


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("briefing", lambda: {**_briefing(), "sumary": "x"}, "unknown key sumary"),
        ("briefing", lambda: {k: v for k, v in _briefing().items() if k != "quotes"}, "missing"),
        ("briefing", lambda: {**_briefing(), "id": "Mit Leerzeichen"}, "does not match"),
        (
            "briefing",
            lambda: {**_briefing(), "source": {**_briefing()["source"], "url": "ftp://x"}},
            "no alternative",
        ),
        (
            "briefing",
            lambda: {**_briefing(), "source": {**_briefing()["source"], "published": "16.12."}},
            "no alternative",
        ),
        ("pack", lambda: {**load(FILES["pack"][0]), "briefings": ["a", "a"]}, "not unique"),
        ("glossary", lambda: {"version": 1, "terms": [{"de": "Wort"}]}, "missing en"),
        ("glossary", lambda: {"version": 2, "terms": []}, "must be 1"),
        ("glossary", lambda: {"terms": [{"de": "W", "en": "w", "keep": "ja"}]}, "not of type"),
        ("translations", lambda: {"entries": [{"de": "x", "en": "y", "status": "ok"}]}, "one of"),
        ("settings", lambda: {"kicker": {"de": "Lage"}}, "no alternative"),
        ("settings", lambda: {"colors": {"accent": "red"}}, "unknown key colors"),
        ("feeds", lambda: {"feeds": [{"url": "feed://x.example/rss", "name": "X"}]}, "match"),
        ("feeds", lambda: {"feeds": [{"url": "https://x.example/rss"}]}, "missing name"),
        ("feeds", lambda: {"feed": []}, "unknown key feed"),
        ("inbox", lambda: {**_item(), "id": "ABC"}, "does not match"),
        ("inbox", lambda: {**_item(), "status": "read"}, "not one of"),
        ("inbox", lambda: {**_item(), "score": "viel"}, "not of type"),
    ],
)
def test_broken_files_are_rejected(name: str, make: Any, expected: str) -> None:
    schema = schema_json(name)
    found = errors(make(), schema, schema)
    assert found, f"{name}: accepted a broken file"
    assert any(expected in e for e in found), found


def test_glossary_keep_entries_need_no_english() -> None:
    schema = schema_json("glossary")
    doc = {"version": 1, "terms": [{"de": "Bundestag", "keep": True}, {"de": "CDU", "en": "CDU"}]}
    assert errors(doc, schema, schema) == []


def test_what_the_intake_writes_matches_its_schemas(tmp_path: Path) -> None:
    add_feed(tmp_path / "feeds.yaml", Feed(url="https://a.example/rss", name="A", keywords=["K"]))
    item = InboxItem.model_validate({**_item(), "id": "0123456789", "seen_in": []})
    write_item(tmp_path, item)
    for name, path in (("feeds", "feeds.yaml"), ("inbox", "inbox/0123456789.yaml")):
        schema = schema_json(name)
        assert errors(load(tmp_path / path), schema, schema) == [], name
    # The fixtures are what briefpack reads, not only what the schemas accept.
    assert len(load_feeds(FILES["feeds"][0])) == 2
    assert [i.id for i in load_inbox(INTAKE)] == ["5e0c2a91d4"]
