"""Manage Argos Translate model packages in argostranslate's own packages folder.

The folder is argostranslate's (`ARGOS_PACKAGES_DIR`, default
`~/.local/share/argos-translate/packages`; see `argos_folders`, which knows its rules without
importing argostranslate), so packages installed with `argospm` and with briefpack are the
same. This module never prints and never exits: it returns `ModelInfo`
records or raises errors from `briefpack.errors`.
"""

from __future__ import annotations

import http.client
import json
import shutil
import sys
import threading
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from briefpack.errors import (
    InputError,
    MissingModelError,
    ModelError,
    NetworkError,
    OutputError,
    UsageError,
)
from briefpack.translation import argos_folders
from briefpack.util.fsutil import atomic_write_bytes

# Seconds to wait for the package index or a package server before giving up.
NETWORK_TIMEOUT = 30.0
_USER_AGENT = "briefpack (argostranslate package manager)"
# One install or removal at a time in this process (argostranslate's package_lock).
_LOCK = threading.Lock()


@dataclass(frozen=True)
class ModelInfo:
    """One installed translation package."""

    from_code: str
    to_code: str
    name: str  # the package's folder name, unique within the packages folder
    version: str
    path: Path

    @property
    def code(self) -> str:
        """Return the language pair as argospm writes it, e.g. `de_en`."""
        return f"{self.from_code}_{self.to_code}"


def packages_dir() -> Path:
    """Return the folder argostranslate installs packages into."""
    return argos_folders.package_data_dir()


def list_models() -> list[ModelInfo]:
    """Return every installed translation package, sorted by language pair and name."""
    found: list[ModelInfo] = []
    for folder in argos_folders.package_dirs():
        root = Path(folder)
        if not root.is_dir():
            continue
        for child in sorted(root.iterdir()):
            # Other things may live there (a download in progress, a stray file); only a
            # folder with metadata.json is a package, as for argostranslate itself.
            if child.is_dir() and (child / "metadata.json").is_file():
                info = _model_info(child)
                if info is not None:
                    found.append(info)
    return sorted(found, key=lambda m: (m.from_code, m.to_code, m.name))


def find_model(from_code: str, to_code: str) -> ModelInfo | None:
    """Return the installed package for the pair (the newest version if several), or None."""
    candidates = [m for m in list_models() if (m.from_code, m.to_code) == (from_code, to_code)]
    if not candidates:
        return None
    return max(candidates, key=lambda m: (_version_key(m.version), m.name))


def install_from_file(path: Path) -> ModelInfo:
    """Validate the `.argosmodel` zip at `path` and install it; return the installed package.

    A package with the same folder name is replaced (reinstall or upgrade).
    """
    path = Path(path)
    folder = _validate_archive(path)
    target = packages_dir() / folder
    try:
        with _LOCK:
            if target.exists():
                # Extracting over an old copy would leave its stale files behind.
                shutil.rmtree(target)
            # _validate_archive refused absolute and `..` member names.
            with zipfile.ZipFile(path) as archive:
                archive.extractall(target.parent)
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path}: damaged package archive: {exc}") from exc
    except OSError as exc:
        raise OutputError(f"{target}: cannot install the package: {exc}") from exc
    finally:
        clear_argos_caches()
    info = _model_info(target)
    if info is None:  # pragma: no cover - _validate_archive checked the metadata
        raise ModelError(f"{target}: installed package is not a translation package")
    return info


def install_from_index(from_code: str, to_code: str) -> ModelInfo:
    """Download the `from_code`→`to_code` package from the Argos package index and install it."""
    # argostranslate's update_package_index() logs and swallows network errors (and then
    # get_available_packages() recurses until RecursionError when no index was ever
    # fetched), and its downloads have no timeout. So fetch the index and the package
    # here, with a timeout and a clear error, into the places argostranslate uses.
    index_url = argos_folders.remote_package_index()
    data = _fetch(index_url, what="the Argos package index")
    try:
        index = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NetworkError(f"the Argos package index at {index_url} is not valid JSON") from exc
    if not isinstance(index, list):
        raise NetworkError(f"the Argos package index at {index_url} is not a list of packages")
    atomic_write_bytes(argos_folders.local_package_index(), data)

    available = [
        p
        for p in index
        if isinstance(p, dict)
        and (p.get("from_code"), p.get("to_code")) == (from_code, to_code)
        and p.get("type", "translate") == "translate"
    ]
    if not available:
        raise MissingModelError(
            f"the Argos package index has no {from_code}→{to_code} translation package"
        )
    chosen = max(available, key=lambda p: _version_key(str(p.get("package_version", ""))))
    links = [str(link) for link in chosen.get("links") or []]
    if not links:
        raise NetworkError(
            f"the Argos package index lists no download link for {from_code}→{to_code}"
        )
    name = argos_folders.argospm_name("translate", from_code, to_code)
    download = argos_folders.downloads_dir() / f"{name}.argosmodel"
    atomic_write_bytes(download, _fetch_first(links, what=f"the {from_code}→{to_code} package"))
    try:
        return install_from_file(download)
    finally:
        download.unlink(missing_ok=True)


def remove(name: str) -> ModelInfo:
    """Uninstall the package whose folder name, argospm name or pair code (`de_en`) is `name`."""
    installed = list_models()
    matches = [m for m in installed if m.name == name]
    if not matches:
        matches = [m for m in installed if name in (m.code, f"translate-{m.code}")]
    if not matches:
        known = ", ".join(m.name for m in installed) or "none"
        raise UsageError(f"no installed model package is called '{name}' (installed: {known})")
    if len(matches) > 1:
        names = ", ".join(m.name for m in matches)
        raise UsageError(f"'{name}' matches several packages ({names}); give the full name")
    victim = matches[0]
    try:
        with _LOCK:
            shutil.rmtree(victim.path)
    except OSError as exc:
        raise OutputError(f"{victim.path}: cannot remove the package: {exc}") from exc
    finally:
        clear_argos_caches()
    return victim


def _validate_archive(path: Path) -> str:
    """Check that `path` looks like an Argos translation package; return its folder name."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path}: not an Argos model package (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            tops = _top_level_folders(path, names)
            if len(tops) != 1:
                listed = ", ".join(sorted(tops)[:5]) or "nothing"
                raise InputError(
                    f"{path}: an Argos model package holds exactly one top-level folder "
                    f"(found {len(tops)}: {listed})"
                )
            folder = tops.pop()
            try:
                raw = archive.read(f"{folder}/metadata.json")
            except KeyError:
                raise InputError(f"{path}: not an Argos model package (no metadata.json)") from None
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path}: damaged package archive: {exc}") from exc
    try:
        metadata = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: metadata.json is not valid JSON: {exc}") from exc
    if not isinstance(metadata, dict):
        raise InputError(f"{path}: metadata.json must be a JSON object")
    kind = metadata.get("type", "translate")  # argostranslate's default
    if kind != "translate":
        raise ModelError(f"{path}: a '{kind}' package, not a translation package")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise InputError(f"{path}: metadata.json has no '{key}'")
    if not any(n.startswith(f"{folder}/model/") for n in names):
        raise ModelError(f"{path}: the package has no CTranslate2 model (model/ folder)")
    return folder


def _top_level_folders(path: Path, names: list[str]) -> set[str]:
    tops: set[str] = set()
    for name in names:
        parts = PurePosixPath(name).parts
        if not parts:
            continue
        if name.startswith("/") or ".." in parts:
            raise InputError(f"{path}: unsafe path in package archive: {name}")
        if len(parts) == 1 and not name.endswith("/"):
            tops.add(f"(file) {name}")  # a loose file next to the folder
        else:
            tops.add(parts[0])
    return tops


def _model_info(folder: Path) -> ModelInfo | None:
    metadata = _read_json(folder / "metadata.json")
    if metadata.get("type", "translate") != "translate":
        return None
    return ModelInfo(
        from_code=str(metadata.get("from_code", "")),
        to_code=str(metadata.get("to_code", "")),
        name=folder.name,
        version=str(metadata.get("package_version", "")),
        path=folder,
    )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: cannot read package metadata: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path}: package metadata must be a JSON object")
    return data


def _version_key(version: str) -> tuple[int, ...]:
    # Package versions are dotted numbers ("1.9", "1.0.2"); anything else sorts first.
    parts: list[int] = []
    for part in version.split("."):
        if not part.isdigit():
            return tuple(parts) if parts else (-1,)
        parts.append(int(part))
    return tuple(parts)


def _fetch(url: str, *, what: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=NETWORK_TIMEOUT) as response:
            body: bytes = response.read()
            return body
    except (OSError, http.client.HTTPException, ValueError) as exc:
        # URLError, HTTPError, timeouts and refused connections are all OSError;
        # ValueError is a malformed URL.
        reason = getattr(exc, "reason", None) or exc
        raise NetworkError(
            f"could not reach {what} at {url} ({reason}); download the .argosmodel file "
            "elsewhere and install it with `briefpack models install --file PATH.argosmodel`"
        ) from exc


def _fetch_first(urls: list[str], *, what: str) -> bytes:
    last: NetworkError | None = None
    for url in urls:
        try:
            return _fetch(url, what=what)
        except NetworkError as exc:
            last = exc
    assert last is not None  # urls is never empty here
    raise last


def clear_argos_caches() -> None:
    """Make argostranslate forget the packages it has seen (after the folder changed)."""
    # argostranslate keeps translation objects per language pair at module level; after
    # installing or removing a package they describe the old state. Only clear them when
    # argostranslate.translate is already loaded: importing it costs 2.5 s and torch.
    translate = sys.modules.get("argostranslate.translate")
    if translate is not None:
        translate.get_installed_languages.cache_clear()
        translate.installed_translates.clear()
