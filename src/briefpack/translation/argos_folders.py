"""Argos Translate's package folders, settings and index address, as argostranslate 1.11 has them.

Hand-written on purpose: argostranslate's package management is these few rules, but
installing the library brings its sentence splitters, which briefpack never runs (it
decodes with CTranslate2 and splits sentences with pysbd): stanza with torch, spaCy, and
minisbd with onnxruntime, about 1.4 GB and 80 packages (docs/performance.md, Footprint).
Every rule here is argostranslate's (`argostranslate/settings.py`, `package.py`): the same
environment variables, the same `settings.json`, the same folders and index, so packages
installed with `argospm` and with `briefpack models install` are the same packages.
tests/translation/test_argos_folders.py checks that against argostranslate itself.

Unlike argostranslate, nothing is read or created at import: each function reads the
environment when called.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"


def _home() -> Path:
    if "SNAP" in os.environ:
        return Path(os.environ["SNAP_USER_DATA"])
    return Path.home()


def _xdg(variable: str, *default: str) -> Path:
    value = os.environ.get(variable)
    return Path(value) if value else _home().joinpath(*default)


def data_dir() -> Path:
    """Return argostranslate's data folder (`$XDG_DATA_HOME/argos-translate`)."""
    return _xdg("XDG_DATA_HOME", ".local", "share") / "argos-translate"


def config_dir() -> Path:
    """Return argostranslate's configuration folder (`$XDG_CONFIG_HOME/argos-translate`)."""
    return _xdg("XDG_CONFIG_HOME", ".config") / "argos-translate"


def cache_dir() -> Path:
    """Return argostranslate's cache folder (`$XDG_CACHE_HOME/argos-translate`)."""
    return _xdg("XDG_CACHE_HOME", ".local", "cache") / "argos-translate"


def _settings_file() -> dict[str, Any]:
    # A missing or broken settings.json counts as empty, as for argostranslate (which
    # prints a line about it; a library must not).
    try:
        data = json.loads((config_dir() / "settings.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def setting(key: str, default: str) -> str:
    """Return an Argos setting: the environment first, then settings.json, then `default`."""
    value = os.environ.get(key)
    if value is None:
        value = _settings_file().get(key)
    return default if value is None else str(value)


def package_data_dir() -> Path:
    """Return the folder packages are installed into (`ARGOS_PACKAGES_DIR`)."""
    return Path(setting("ARGOS_PACKAGES_DIR", str(data_dir() / "packages")))


def package_dirs() -> list[Path]:
    """Return every folder searched for installed packages (the snap's own ones too)."""
    folders = [package_data_dir()]
    snap = os.environ.get("SNAP")
    if snap:
        bundled = Path(snap) / "snap_custom" / "packages"
        if bundled.is_dir():
            folders.append(bundled)
        content = Path(snap) / "snap_custom" / "content_snap_packages"
        if content.is_dir():
            folders += sorted(p for p in content.iterdir() if p.is_dir())
    return folders


def remote_package_index() -> str:
    """Return the URL of the package index (`ARGOS_PACKAGE_INDEX` + `index.json`)."""
    return setting("ARGOS_PACKAGE_INDEX", DEFAULT_INDEX) + "index.json"


def local_package_index() -> Path:
    """Return where the downloaded index is kept."""
    return data_dir() / "index.json"


def downloads_dir() -> Path:
    """Return where packages are downloaded before they are installed."""
    return cache_dir() / "downloads"


def argospm_name(kind: str, from_code: str, to_code: str) -> str:
    """Return a package's argospm name, e.g. `translate-de_en`."""
    return f"{kind}-{from_code}_{to_code}" if from_code and to_code else kind
