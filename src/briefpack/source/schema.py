"""The data model of briefings, packs and translation-memory files (pydantic v2).

Unknown keys are errors (they are usually typos); dates must be real ISO dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from briefpack.util.text import normalize


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


def _css_colour(value: str) -> str:
    # tinycss2 (WeasyPrint's CSS parser) reads one CSS colour or nothing: `red; } p {`
    # is refused, so a colour can never break out of the custom property it is written to.
    import tinycss2.color4

    value = value.strip()
    if not isinstance(tinycss2.color4.parse_color(value), tinycss2.color4.Color):
        raise ValueError(f"not a CSS colour: {value!r} (e.g. #1f4e79, rgb(31 78 121), navy)")
    return value


CssColour = Annotated[str, AfterValidator(_css_colour)]


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


class Colours(_Strict):
    """The theme's colours (CSS colours), each overriding one custom property of style.css."""

    accent: CssColour | None = Field(
        default=None, description="Cover background, headings, rules (--accent)"
    )
    accent_soft: CssColour | None = Field(
        default=None, description="Background of the source facts box (--accent-soft)"
    )
    ink: CssColour | None = Field(default=None, description="Body text (--ink)")
    muted: CssColour | None = Field(
        default=None, description="Secondary text: running heads, notes (--muted)"
    )
    rule: CssColour | None = Field(default=None, description="Table rules (--rule)")
    mark: CssColour | None = Field(
        default=None, description="The marking in the page head, draft bands (--mark)"
    )
    mt: CssColour | None = Field(default=None, description="The MT flag (--mt)")


class HouseStyle(_Strict):
    """The house style of packs: `briefpack.yaml` sets it, a pack file may override a key."""

    organisation: NonEmpty | None = Field(
        default=None, description="The issuing organisation, on the cover"
    )
    kicker: Bilingual | None = Field(
        default=None,
        description="The line above the cover title (default: Lagebild / Briefing pack)",
    )
    letterhead: NonEmpty | None = Field(
        default=None,
        description="A PNG or JPEG image shown at the top of the cover: a path relative to "
        "the project, inside one of its input folders (e.g. templates/letterhead.png)",
    )
    colours: Colours | None = Field(
        default=None, description="Colours overriding the theme's; per key in a pack file"
    )


class ProjectSettings(HouseStyle):
    """The project file `briefpack.yaml`: the house style and the default marking."""

    marking: NonEmpty | None = Field(
        default=None, description="Distribution marking of packs that give none"
    )


class Pack(HouseStyle):
    """A briefing pack: which briefings, in which order, with what framing."""

    title: Bilingual
    date: IsoDate
    audience: NonEmpty
    marking: NonEmpty | None = Field(
        default=None, description="Distribution marking (default: briefpack.yaml's marking)"
    )
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

    @property
    def is_memory_unit(self) -> bool:
        """Whether look-ups reuse the entry, used by a briefing or not: reviewed, with text.

        Machine entries are not reused (leverage is reuse of a person's work); nor is an
        entry whose German or English is empty once normalised (blank, or only invisible
        format characters): no sentence can ever match it or take its English.
        """
        return self.status == "reviewed" and bool(normalize(self.de)) and bool(normalize(self.en))


class MemoryFile(_Strict):
    """One file under translations/."""

    version: Literal[1] = 1
    entries: list[MemoryEntry] = Field(default_factory=list)
