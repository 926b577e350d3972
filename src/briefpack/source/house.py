"""The house style: `briefpack.yaml`'s organisation, kicker, letterhead and colours.

The project file is optional; a pack file may give any of its keys for itself (a pack's
key wins, colour by colour). Both are validated like every other input (unknown keys are
errors, located at their line). A letterhead is a PNG or JPEG file inside the project's
`templates/` (the theme's folder, which every build fingerprints and the no-op snapshot
watches, so that a new letterhead rebuilds the packs), read here once and carried to the
renderers as bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from briefpack.errors import InputError, Problem
from briefpack.source.schema import Bilingual, HouseStyle, ProjectSettings
from briefpack.util.locate import problems_from_validation
from briefpack.util.paths import Input, Project
from briefpack.util.yamlio import YamlDoc, load_yaml

MAX_LETTERHEAD_BYTES = 2 * 1024 * 1024
# The image types every output shows (WeasyPrint, browsers, Word), by their magic bytes.
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
DEFAULT_KICKER = Bilingual(de="Lagebild", en="Briefing pack")


@dataclass(frozen=True)
class Letterhead:
    """A letterhead image: its project-relative name, bytes and MIME type."""

    name: str
    data: bytes
    mime: str

    @property
    def data_url(self) -> str:
        """Return the image as a `data:` URL (the outputs embed it; nothing is fetched)."""
        import base64

        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True)
class House:
    """The house style one pack is rendered with: the project's, the pack's keys over it."""

    organisation: str | None = None
    kicker: Bilingual = DEFAULT_KICKER
    letterhead: Letterhead | None = None
    colours: tuple[tuple[str, str], ...] = ()  # (CSS custom property without --, colour)

    def digest(self) -> str:
        """Return a hash of everything the outputs show of the house style."""
        image = self.letterhead
        state = {
            "organisation": self.organisation,
            "kicker": [self.kicker.de, self.kicker.en],
            "letterhead": None if image is None else [image.mime, _sha(image.data)],
            "colours": [list(c) for c in self.colours],
        }
        return _sha(json.dumps(state, sort_keys=True).encode())


@dataclass(frozen=True)
class StyleSource:
    """One file's house-style keys (the project file or a pack) and its letterhead image."""

    style: HouseStyle
    letterhead: Letterhead | None = None


@dataclass(frozen=True)
class Settings:
    """The project file as loaded (all defaults when the project has none)."""

    model: ProjectSettings = field(default_factory=ProjectSettings)
    letterhead: Letterhead | None = None

    def house(self, pack: StyleSource | None = None) -> House:
        """Return the house style of a pack: its own keys first, then the project's."""
        layers = [StyleSource(self.model, self.letterhead), *([pack] if pack else [])]
        organisation, kicker, letterhead = None, DEFAULT_KICKER, None
        colours: dict[str, str] = {}
        for layer in layers:  # the later layer wins, key by key
            style = layer.style
            organisation = style.organisation or organisation
            kicker = style.kicker or kicker
            letterhead = layer.letterhead or letterhead
            if style.colours is not None:
                colours.update(style.colours.model_dump(exclude_none=True))
        names = tuple((name.replace("_", "-"), value) for name, value in colours.items())
        return House(organisation, kicker, letterhead, names)


def load_settings(project: Project, problems: list[Problem]) -> Settings:
    """Return the project file's settings (defaults if it does not exist); collect problems."""
    path = project.settings_path
    if not path.exists() and not path.is_symlink():
        return Settings()
    try:
        doc = load_yaml(path, project.rel(path))
    except InputError as exc:
        problems.extend(exc.problems)
        return Settings()
    if doc.data is None:  # an empty (or all-comments) file: the defaults
        return Settings()
    if not isinstance(doc.data, dict):
        problems.append(
            doc.problem((), f"the file is a {type(doc.data).__name__}, not a mapping of keys")
        )
        return Settings()
    try:
        model = ProjectSettings.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problems_from_validation(exc, doc, ProjectSettings))
        return Settings()
    return Settings(model, load_letterhead(project, model, doc, problems))


def load_letterhead(
    project: Project, style: HouseStyle, doc: YamlDoc, problems: list[Problem]
) -> Letterhead | None:
    """Return the letterhead image `style` names, read and checked; else collect a problem."""
    ref = style.letterhead
    if ref is None:
        return None
    folder = Input.TEMPLATES.value

    def bad(message: str) -> None:
        problems.append(doc.problem(("letterhead",), message, code="bad-letterhead"))

    path = _inside(project.templates_dir, project.root, ref)
    if path is None:
        bad(f"{ref!r} is not a file in {folder}/ (e.g. {folder}/letterhead.png)")
        return None
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_LETTERHEAD_BYTES + 1)
    except OSError as exc:
        bad(f"{ref!r} cannot be read ({exc.strerror or exc})")
        return None
    if len(data) > MAX_LETTERHEAD_BYTES:
        bad(f"{ref!r} is larger than {MAX_LETTERHEAD_BYTES // (1024 * 1024)} MB")
        return None
    mime = next((m for magic, m in IMAGE_TYPES.items() if data.startswith(magic)), None)
    if mime is None:
        bad(f"{ref!r} is not a PNG or JPEG image")
        return None
    return Letterhead(project.rel(path), data, mime)


def _inside(folder: Path, root: Path, ref: str) -> Path | None:
    """Return the file `ref` (relative to `root`) if it really lies in `folder`, else None."""
    if "\x00" in ref or Path(ref).is_absolute():
        return None
    try:
        target = (root / ref).resolve()
        if not target.is_relative_to(folder.resolve()) or not target.is_file():
            return None
    except (OSError, RuntimeError, ValueError):  # too long, a symlink loop
        return None
    return target


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
