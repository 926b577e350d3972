"""Shared fixtures. Isolates argostranslate from the user's folders for the whole session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Must run before anything imports argostranslate: its settings module reads these
# variables once, at import, and creates folders under them. Without this, tests would
# read and write the developer's real ~/.local/share/argos-translate.
_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="briefpack-tests-argos-"))
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_ARGOS_HOME / _var.lower())
os.environ["ARGOS_PACKAGES_DIR"] = str(_ARGOS_HOME / "packages")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def seed_texts() -> list[str]:
    """The German seed texts (the repo's seeds/, else the shared copy), one string per file."""
    for folder in (REPO / "seeds", Path("/work/shared/seeds")):
        files = sorted(folder.glob("*.txt"))
        if files:
            return [f.read_text(encoding="utf-8") for f in files]
    raise FileNotFoundError(f"no seed texts under {REPO / 'seeds'}")


@pytest.fixture(scope="session")
def tiny_copy_package(tmp_path_factory: pytest.TempPathFactory, seed_texts: list[str]) -> Path:
    """Path of a tiny `.argosmodel` whose model copies its input (built once per session)."""
    from briefpack.testing.tinyargos import build_package

    return build_package(tmp_path_factory.mktemp("tinyargos"), kind="copy", texts=seed_texts)


@pytest.fixture(scope="session")
def tiny_random_package(tmp_path_factory: pytest.TempPathFactory, seed_texts: list[str]) -> Path:
    """Path of a tiny `.argosmodel` with random weights (deterministic garbage)."""
    from briefpack.testing.tinyargos import build_package

    return build_package(tmp_path_factory.mktemp("tinyargos"), kind="random", texts=seed_texts)


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Give the test an empty packages folder of its own (argostranslate's and briefpack's)."""
    from argostranslate import settings

    from briefpack.translation import packages as models

    folder = tmp_path / "argos-packages"
    folder.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))  # for subprocesses
    # settings read the variable at import; patch what it computed from it.
    monkeypatch.setattr(settings, "package_data_dir", folder)
    monkeypatch.setattr(settings, "package_dirs", [folder])
    models.clear_argos_caches()
    yield folder
    models.clear_argos_caches()
