"""Find a briefpack project on disk and name its folders."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from briefpack.errors import ProjectNotFoundError

MARKER = "briefings"


@dataclass(frozen=True)
class Project:
    """The folders and files of one briefpack project (a folder holding `briefings/`)."""

    root: Path

    @property
    def briefings_dir(self) -> Path:
        return self.root / "briefings"

    @property
    def packs_dir(self) -> Path:
        return self.root / "briefings" / "packs"

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def glossary_path(self) -> Path:
        return self.root / "glossary.yaml"

    @property
    def translations_dir(self) -> Path:
        return self.root / "translations"

    @property
    def memory_dir(self) -> Path:
        """The project memory: TMX files of units no briefing needs to use (`tm import`)."""
        return self.root / "memory"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def out_dir(self) -> Path:
        return self.root / "out"

    def inputs(self) -> tuple[Path, ...]:
        """Return the files and folders people edit: no output may be written into them."""
        return (
            self.glossary_path,
            self.briefings_dir,
            self.translations_dir,
            self.memory_dir,
            self.seeds_dir,
            self.templates_dir,
        )

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
