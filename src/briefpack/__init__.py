"""briefpack: bilingual German/English PDF briefing packs from curated YAML."""

from __future__ import annotations

from importlib import metadata

try:
    # Set at packaging time from the git tag (setuptools-scm); see pyproject.toml.
    __version__ = metadata.version("briefpack")
except metadata.PackageNotFoundError:  # pragma: no cover - sources on the path, not installed
    __version__ = "0.0.0+unknown"
