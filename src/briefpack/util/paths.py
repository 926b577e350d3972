"""Find a briefpack project on disk and name its folders."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from briefpack.errors import ProjectNotFoundError

MARKER = "briefings"


class Input(Enum):
    """The files and folders of a project that people edit, by their name in the project.

    The one list of them: `Project.inputs()` and the write guard (`fsutil`) derive from it.
    A command that edits one of them says so when it writes (`edits=Input.GLOSSARY`).
    """

    GLOSSARY = "glossary.yaml"
    BRIEFINGS = "briefings"  # briefings and packs
    TRANSLATIONS = "translations"  # the translation memory, one file per document
    MEMORY = "memory"  # the project memory: reviewed and imported units no briefing needs
    SEEDS = "seeds"  # source texts
    TEMPLATES = "templates"  # the project's theme overrides
    FEEDS = "feeds.yaml"  # the news feeds `intake` reads
    INBOX = "inbox"  # what `intake` found, one file per story


@dataclass(frozen=True)
class Project:
    """The folders and files of one briefpack project (a folder holding `briefings/`)."""

    root: Path

    @property
    def briefings_dir(self) -> Path:
        return self.root / Input.BRIEFINGS.value

    @property
    def packs_dir(self) -> Path:
        return self.root / "briefings" / "packs"

    @property
    def seeds_dir(self) -> Path:
        return self.root / Input.SEEDS.value

    @property
    def glossary_path(self) -> Path:
        return self.root / Input.GLOSSARY.value

    @property
    def translations_dir(self) -> Path:
        return self.root / Input.TRANSLATIONS.value

    @property
    def memory_dir(self) -> Path:
        """The project memory: TMX files of units no briefing needs to use (`tm import`)."""
        return self.root / Input.MEMORY.value

    @property
    def templates_dir(self) -> Path:
        return self.root / Input.TEMPLATES.value

    @property
    def out_dir(self) -> Path:
        return self.root / "out"

    def inputs(self) -> tuple[Path, ...]:
        """Return the files and folders people edit: no output may be written into them."""
        return tuple(self.root / item.value for item in Input)

    def rel(self, path: Path) -> str:
        """Return `path` relative to the project root when inside it (for messages)."""
        for here in (Path(os.path.abspath(path)), path.resolve()):  # the name as given first
            try:
                return here.relative_to(self.root).as_posix()
            except ValueError:
                pass
        return str(path)


def find_project(start: Path | None = None) -> Project:
    """Return the project containing `start` (default: the current directory).

    Searches `start` and its parents for a folder that holds `briefings/`.
    """
    here = (start or Path.cwd()).resolve()
    if start is not None and not here.is_dir():
        raise ProjectNotFoundError(f"{start}: project folder does not exist")
    for folder in (here, *here.parents):
        if (folder / MARKER).is_dir():
            return Project(folder)
    raise ProjectNotFoundError(
        f"no briefpack project found in {here} or its parents (looked for a '{MARKER}/' folder)"
    )


def input_at(path: Path) -> tuple[Input, Path] | None:
    """Return which project input `path` is or lies in, and that input's path; else None.

    The project is the nearest folder above `path` that holds `briefings/`, found from the
    name as given and from its real location (a symlinked folder on the way), so this holds
    for any project, not only the one a command was started in.
    """
    absolute = Path(os.path.abspath(path))
    try:
        real = absolute.parent.resolve() / absolute.name
    except (OSError, RuntimeError):  # a symlink loop on the way: the write reports it
        real = absolute
    for target in dict.fromkeys((absolute, real)):
        for folder in target.parents:
            try:
                if not (folder / MARKER).is_dir():
                    continue
            except OSError:
                continue
            first = target.relative_to(folder).parts[0]
            item = next((i for i in Input if i.value == first), None)
            if item is not None:
                return item, folder / item.value
            break
    return None
