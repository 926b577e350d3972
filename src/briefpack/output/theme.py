"""The theme: the project's `templates/` over the templates briefpack ships, file by file.

briefpack ships one theme (`briefpack/output/templates/`: `pack.html.j2`, `style.css`,
`assets/fonts/`). A project's `templates/` holds only the files it overrides: a file there
replaces the packaged file of the same relative name, for the Jinja templates (a
`ChoiceLoader`, as mkdocs' `custom_dir`), the stylesheet and every asset alike; everything
else comes from the package, so an upgrade brings template fixes to every project that did
not override that file. Assets are looked up inside `assets/` of each layer only, after
resolving symbolic links: a file that leads out of its layer's `assets/` is not found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

PACKAGED = Path(__file__).resolve().parent / "templates"
TEMPLATE = "pack.html.j2"
STYLESHEET = "style.css"
ASSETS = "assets"


@dataclass(frozen=True)
class Theme:
    """The templates a project renders with: its own `templates/` first, then the package's."""

    project_dir: Path  # the project's templates/ (it need not exist)

    @property
    def layers(self) -> tuple[Path, Path]:
        """Return the folders searched, the first that holds a name winning."""
        return (self.project_dir, PACKAGED)

    def loader(self) -> jinja2.BaseLoader:
        """Return a Jinja loader that finds a project's template before the packaged one."""
        import jinja2  # here: the manifest's digest needs no Jinja

        return jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in self.layers])

    def asset(self, name: str) -> Path | None:
        """Return the file `name` (relative, `/`-separated) means inside a layer's `assets/`.

        None if no layer has it there; a name that leads out of a layer's `assets/` (`..`,
        a symbolic link) is not found in that layer.
        """
        return self._find(name, ASSETS)

    def stylesheet(self, name: str) -> Path | None:
        """Return the stylesheet `name` means: a `.css` file at the top of a layer, or None."""
        if not name.endswith(".css"):
            return None
        return self._find(name, "", top=True)

    def relative(self, path: Path) -> str | None:
        """Return the theme name of `path` (absolute, normalised) if it lies in a layer."""
        for layer in self.layers:
            for base in dict.fromkeys((layer.absolute(), layer.resolve())):
                if path.is_relative_to(base) and path != base:
                    return path.relative_to(base).as_posix()
        return None

    def label(self, name: str) -> str:
        """Return `templates/NAME` for messages, or the packaged file's path if not overridden."""
        if not (self.project_dir / name).is_file() and (PACKAGED / name).is_file():
            return str(PACKAGED / name)
        return f"templates/{name}"

    def label_of(self, path: str | None, name: str) -> str:
        """Return a message label for a Jinja error in file `path` (template `name`)."""
        if path and Path(path).resolve().is_relative_to(PACKAGED):
            return str(Path(path).resolve())
        return f"templates/{name}"

    def files(self) -> dict[str, Path]:
        """Return every file of the theme by relative name, overrides replacing packaged ones."""
        found: dict[str, Path] = {}
        for layer in reversed(self.layers):
            for path in _walk(layer):
                found[path.relative_to(layer).as_posix()] = path
        return dict(sorted(found.items()))

    def digest(self) -> str:
        """Return one hash over the theme's files (names and contents), as rendered with."""
        h = hashlib.sha256()
        for name, path in self.files().items():
            h.update(name.encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
        return h.hexdigest()

    def _find(self, name: str, inside: str, *, top: bool = False) -> Path | None:
        """Return the first layer's file `name` that resolves inside `inside` of its layer.

        `top`: only a file directly in that folder (not in a subfolder).
        """
        parts = PurePosixPath(name).parts
        if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
            return None
        for layer in self.layers:
            try:
                root = (layer / inside).resolve()
                candidate = (layer / name).resolve()
                inside_root = candidate.parent == root if top else candidate.is_relative_to(root)
                if inside_root and candidate.is_file():
                    return candidate
            except (OSError, RuntimeError, ValueError):  # too long, a loop, a NUL byte
                continue
        return None


def _walk(folder: Path) -> Iterator[Path]:
    """Yield the files under `folder` (none if it does not exist), skipping caches."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield path
