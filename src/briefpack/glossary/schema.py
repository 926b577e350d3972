"""What glossary.yaml may hold: its top level and its entries, as pydantic models.

The same stack as briefings (`briefpack.source.schema`): the YAML is read by
`briefpack.util.yamlio` (positions, duplicate keys, tags, control characters) and validated
here; `briefpack.util.locate` turns each validation error into a problem at its line and
column. The messages say what the entry's author wrote ("must be true or false, not a string
('yes')"), since a glossary is edited by hand and by `briefpack glossary`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from briefpack.util.text import text_problem

# As in briefings (YAML refuses them raw; here they also arrive escaped, "\0" or "\e", e.g.
# from an imported CSV): C0 and C1 controls and DEL; tab and line breaks stay allowed.


def describe(value: object) -> str:
    """Return what a YAML value is, in the words of the person who wrote it."""
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()!r})"
    if isinstance(value, int | float):
        return f"a number ({str(value)!r})"
    return f"a string ({str(value)!r})"


def _text(value: object) -> object:
    if not isinstance(value, str):
        raise PydanticCustomError("type", "must be a string, not {kind}", {"kind": describe(value)})
    if not value.strip():
        raise PydanticCustomError("empty", "must not be empty")
    reason = text_problem(value)  # the one text-validity gate (briefpack.util.text)
    if reason is not None:
        raise PydanticCustomError("invalid-character", reason)
    return value


def _optional_text(value: object) -> object:
    return None if value is None else _text(value)


def _texts(value: object) -> object:
    if value is None:
        return ()
    if not isinstance(value, list):
        hint = "" if isinstance(value, dict) else f" (write [{value}])"
        raise PydanticCustomError("type", "must be a list of strings{hint}", {"hint": hint})
    return value


def _flag(value: object) -> object:
    if not isinstance(value, bool):
        kind = describe(value)
        raise PydanticCustomError("type", "must be true or false, not {kind}", {"kind": kind})
    return value


def _version(value: object) -> object:
    if isinstance(value, dict | list):
        raise PydanticCustomError("type", "version must be the number 1")
    if value != 1 or isinstance(value, bool):
        raise PydanticCustomError(
            "type",
            "unsupported version {value}; this briefpack reads version 1",
            {"value": repr(str(value))},
        )
    return value


def _entries(value: object) -> object:
    if value is None:
        return ()
    if not isinstance(value, list):
        kind = describe(value)
        raise PydanticCustomError("type", "must be a list of entries, not {kind}", {"kind": kind})
    return value


Text = Annotated[str, BeforeValidator(_text)]
# `en: null` is an error (say the English or use keep), an absent `en` is checked per entry.
RequiredText = Annotated[str | None, BeforeValidator(_text)]
OptionalText = Annotated[str | None, BeforeValidator(_optional_text)]
Texts = Annotated[tuple[Text, ...], BeforeValidator(_texts)]
Flag = Annotated[bool, BeforeValidator(_flag)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntryModel(_Strict):
    """One entry of `terms`: a German source term and its approved English."""

    de: RequiredText = Field(default=None, description="German base form; the entry's identity")
    en: RequiredText = Field(default=None, description="Approved English (optional with keep)")
    en_plural: OptionalText = Field(default=None, description="English plural, if irregular")
    accept: Texts = Field(default=(), description="Other English renderings the checks accept")
    forms: Texts = Field(default=(), description="Extra German forms and variants")
    avoid: Texts = Field(default=(), description="English renderings that must not be used")
    compound: Flag = Field(default=False, description="Also match inside German compounds")
    case_sensitive: Flag = Field(default=False, description="Match with exact case")
    keep: Flag = Field(default=False, description="Do not translate: English keeps the German")
    note: OptionalText = Field(default=None, description="Guidance for translators")

    @model_validator(mode="before")
    @classmethod
    def _mapping(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise PydanticCustomError(
                "type", "must be a mapping with de/en keys, not {kind}", {"kind": describe(value)}
            )
        return value

    @model_validator(mode="after")
    def _required(self) -> EntryModel:
        if self.de is None:
            raise PydanticCustomError("missing-key", "missing 'de' (the German base form)")
        if self.en is None and not self.keep:
            raise PydanticCustomError(
                "missing-key", "missing 'en' (the approved English; optional only with keep: true)"
            )
        return self


Entries = Annotated[tuple[EntryModel, ...], BeforeValidator(_entries)]


class GlossaryFile(_Strict):
    """The whole file: a format version and the list of entries."""

    version: Annotated[int, BeforeValidator(_version)] = Field(default=1)
    terms: Entries = Field(default=(), description="The entries, in the file's order")

    @model_validator(mode="before")
    @classmethod
    def _mapping(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            raise PydanticCustomError(
                "type",
                "the top level must be a mapping with 'version' and 'terms', not {kind}",
                {"kind": describe(value)},
            )
        return value
