"""The data model of briefings, packs and translation-memory files (pydantic v2).

Unknown keys are errors (they are usually typos); dates must be real ISO dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)


def _date_text(value: object) -> object:
    # YAML dates reach us as text (the loader keeps them strings); pydantic would read a
    # bare number as a Unix timestamp, so `published: 0` would silently mean 1970-01-01.
    if isinstance(value, bool | int | float):
        raise ValueError(f"not a valid date: {value!r} (use YYYY-MM-DD)")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_date_text)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Source(_Strict):
    """Where a briefing comes from. Unknown facts are null, never guessed."""

    file: NonEmpty = Field(
        description="Path of the source text, relative to the project, under seeds/"
    )
    title: str | None = Field(default=None, description="The source's own headline")
    outlet: str | None = Field(description="Publication; null when the text does not say")
    author: str | None = Field(description="Author; null when the text does not say")
    published: IsoDate | None = Field(description="Publication date (ISO); null when unknown")
    url: str | None = Field(description="http(s) URL of the source; null when unknown")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL, or null")
        return value


class Quote(_Strict):
    """A verbatim quotation from the source."""

    text: NonEmpty
    speaker: NonEmpty


class Briefing(_Strict):
    """One curated German summary of one source."""

    id: Slug
    title: NonEmpty
    source: Source
    summary: NonEmpty
    key_points: list[NonEmpty] = Field(min_length=1)
    quotes: list[Quote] = Field(min_length=1)
    assessment: NonEmpty
    tags: list[NonEmpty] = Field(default_factory=list)


class Bilingual(_Strict):
    """A text given in both languages by its author (not translated)."""

    de: NonEmpty
    en: NonEmpty


class Pack(_Strict):
    """A briefing pack: which briefings, in which order, with what framing."""

    title: Bilingual
    date: IsoDate
    audience: NonEmpty
    marking: NonEmpty
    executive_summary: NonEmpty
    briefings: list[Slug]  # may be empty while a pack is being put together (a warning)

    @field_validator("briefings")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for item in value:
            if item in seen:
                raise ValueError(f"briefing {item!r} is listed twice")
            seen.add(item)
        return value


class Provenance(_Strict):
    """How a translation was produced: by a machine, or taken from the project memory."""

    engine: NonEmpty = Field(description="The MT engine, or `memory` for a memory match")
    package: str | None = None
    version: str | None = None
    beam: int | None = None
    glossary: str | None = Field(
        default=None, description="Fingerprint of the glossary entries matched in the segment"
    )
    origin: str | None = Field(
        default=None, description="engine `memory`: the file the reused unit came from"
    )
    date: str | None = Field(default=None, description="engine `memory`: the unit's date")


class MemoryEntry(_Strict):
    """One German segment and its English translation."""

    de: NonEmpty
    en: str
    status: Literal["reviewed", "machine"]
    provenance: Provenance | None = None
    note: str | None = None


class MemoryFile(_Strict):
    """One file under translations/."""

    version: Literal[1] = 1
    entries: list[MemoryEntry] = Field(default_factory=list)
