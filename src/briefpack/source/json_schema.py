"""JSON Schemas of briefpack's YAML files, for editor completion and validation.

Briefings, packs, translation-memory files, the project file, feeds.yaml and the inbox
items are pydantic models: their schemas are generated, so they cannot drift from what
`briefpack check` accepts. The glossary is read by its own validator (glossary/load.py), so
its schema is written out here, field by field; tests validate the demo files (and the
intake's fixtures) against every schema.
"""

from __future__ import annotations

from typing import Any

from briefpack.errors import UsageError
from briefpack.glossary.model import FIELDS
from briefpack.source.feeds import FeedsFile
from briefpack.source.inbox import InboxItem
from briefpack.source.schema import Briefing, MemoryFile, Pack, ProjectSettings

DRAFT = "https://json-schema.org/draft/2020-12/schema"
NAMES = ("briefing", "pack", "glossary", "translations", "settings", "feeds", "inbox")

_NON_EMPTY: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": r"\S"}
_GLOSSARY_ENTRY: dict[str, Any] = {
    "type": "object",
    "description": "One glossary entry: a German source term and its approved English.",
    "properties": {
        "de": {**_NON_EMPTY, "description": "German base form; the entry's identity (unique)"},
        "en": {**_NON_EMPTY, "description": "Approved English (optional with keep: true)"},
        "en_plural": {
            "anyOf": [_NON_EMPTY, {"type": "null"}],
            "description": "English plural of `en` where the regular one is wrong",
        },
        "accept": {
            "type": ["array", "null"],
            "items": _NON_EMPTY,
            "description": "Other English renderings the checks accept besides en "
            "(e.g. a TBX's admitted terms); translation still aims for en",
        },
        "forms": {
            "type": ["array", "null"],
            "items": _NON_EMPTY,
            "description": "Extra German forms and variants; inflection is found by stemming",
        },
        "avoid": {
            "type": ["array", "null"],
            "items": _NON_EMPTY,
            "description": "English variants that must not be used for this term",
        },
        "compound": {
            "type": "boolean",
            "description": "Also match inside longer German words",
            "default": False,
        },
        "case_sensitive": {
            "type": "boolean",
            "description": "Match German (and check English) with exact case",
            "default": False,
        },
        "keep": {
            "type": "boolean",
            "description": "Do not translate: the English must contain the German term",
            "default": False,
        },
        "note": {
            "anyOf": [_NON_EMPTY, {"type": "null"}],
            "description": "Guidance for translators and reviewers",
        },
    },
    "required": ["de"],
    "if": {"not": {"properties": {"keep": {"const": True}}, "required": ["keep"]}},
    "then": {"required": ["de", "en"]},
    "additionalProperties": False,
}
assert tuple(_GLOSSARY_ENTRY["properties"]) == FIELDS, "glossary schema and FIELDS disagree"

GLOSSARY: dict[str, Any] = {
    "title": "briefpack glossary (glossary.yaml)",
    "type": "object",
    "properties": {
        "version": {"const": 1, "description": "File format version"},
        "terms": {"type": ["array", "null"], "items": _GLOSSARY_ENTRY},
    },
    "additionalProperties": False,
}

_TITLES = {
    "briefing": "briefpack briefing (briefings/<id>.yaml)",
    "pack": "briefpack pack (briefings/packs/<pack>.yaml)",
    "translations": "briefpack translation memory (translations/**/*.yaml)",
    "settings": "briefpack project file (briefpack.yaml): house style, default marking",
    "feeds": "briefpack news feeds (feeds.yaml), read by `briefpack intake`",
    "inbox": "briefpack inbox item (inbox/<id>.yaml), written by `briefpack intake`",
}


def schema_for(name: str) -> dict[str, Any]:
    """Return the JSON Schema of one kind of file (one of `NAMES`)."""
    if name == "glossary":
        body = GLOSSARY
    elif name == "briefing":
        body = Briefing.model_json_schema()
        # Rules pydantic checks in validators, which the generated schema cannot see.
        url = body["$defs"]["Source"]["properties"]["url"]["anyOf"][0]
        url["pattern"] = "^https?://"
    elif name == "pack":
        body = Pack.model_json_schema()
        body["properties"]["briefings"]["uniqueItems"] = True
    elif name == "translations":
        body = MemoryFile.model_json_schema()
    elif name == "settings":
        body = ProjectSettings.model_json_schema()
    elif name == "feeds":
        body = FeedsFile.model_json_schema()
        # The rule Feed's validator checks, which the generated schema cannot see.
        body["$defs"]["Feed"]["properties"]["url"]["pattern"] = "^https?://"
    elif name == "inbox":
        body = InboxItem.model_json_schema()
    else:
        raise UsageError(f"unknown schema {name!r} (choose from {', '.join(NAMES)})")
    return {"$schema": DRAFT, **body, "title": _TITLES.get(name, body.get("title", name))}


def schemas(names: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """Return one schema when one name is given, else an object of schemas keyed by name."""
    wanted = list(dict.fromkeys(names)) or list(NAMES)
    if len(wanted) == 1:
        return schema_for(wanted[0])
    return {name: schema_for(name) for name in wanted}
