"""Scaffolding a new project: `briefpack init` (a new briefing: `source.scaffold`).

`init` copies the example project shipped inside the package (`briefpack/skeleton/`: one
briefing with its source text, a pack, a glossary, reviewed translations of every sentence,
a `.gitignore`, the CI workflow, a `templates/README.md` saying how to override the
theme and a commented `briefpack.yaml` for the house style), so that it builds at once,
without a translation model. The templates and fonts are not copied: every project renders
with the theme in the package (output.theme) unless its `templates/` overrides a file, so
an upgrade brings template fixes.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from briefpack.errors import OutputError, UsageError
from briefpack.util.fsutil import atomic_write_bytes
from briefpack.util.paths import Input
from briefpack.util.versions import pip_requirement

SKELETON = "skeleton"
# Package data cannot reliably hold dot-files; these are renamed on the way out.
_RENAMES = {"gitignore": ".gitignore", "github": ".github"}
_REQUIREMENT_MARK = "@BRIEFPACK_REQUIREMENT@"


def skeleton_files() -> Iterator[tuple[str, Traversable]]:
    """Yield (project-relative path, resource) for every file of the example project."""

    def walk(node: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith((".", "__")):
                continue  # caches and editor files that a development tree may hold
            name = f"{prefix}{_RENAMES.get(child.name, child.name) if not prefix else child.name}"
            if child.is_dir():
                yield from walk(child, f"{name}/")
            else:
                yield name, child

    yield from walk(resources.files("briefpack").joinpath(SKELETON), "")


def init_project(dest: Path) -> list[str]:
    """Create a working example project in `dest` (missing or empty); return the files made."""
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest}: exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise UsageError(
            f"{dest}: the folder is not empty; `briefpack init` only fills a new or empty folder"
        )
    written: list[str] = []
    try:
        dest.mkdir(parents=True, exist_ok=True)
        for name, resource in skeleton_files():
            data = resource.read_bytes()
            if name.endswith(".yml"):
                data = data.replace(_REQUIREMENT_MARK.encode(), pip_requirement().encode())
            atomic_write_bytes(dest / name, data, edits=tuple(Input))  # creates them all
            written.append(name)
    except OSError as exc:
        raise OutputError(f"{dest}: cannot create the project: {exc.strerror or exc}") from None
    if not written:  # pragma: no cover - a broken installation
        raise OutputError("the example project is missing from the briefpack installation")
    return written
