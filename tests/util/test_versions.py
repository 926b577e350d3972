"""briefpack's version (from the git tag, through the installed metadata) and its pip pin."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.util.versions import __version__, pip_requirement


@pytest.mark.parametrize(
    ("version", "requirement"),
    [
        ("0.1.0", "briefpack==0.1.0"),
        ("1.12.3", "briefpack==1.12.3"),
        ("0.1.1.dev4+g1a2b3c4", "briefpack"),  # a commit after a release: on no index
        ("0.1.0.dev1", "briefpack"),
        ("0.1.0+local", "briefpack"),
        ("0.0.0+unknown", "briefpack"),  # sources without git metadata
    ],
)
def test_pip_requirement_pins_releases_only(version: str, requirement: str) -> None:
    assert pip_requirement(version) == requirement


def test_version_option_prints_the_installed_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert (result.exit_code, result.output) == (0, f"briefpack {__version__}\n")
    assert __version__ and __version__[0].isdigit()


def test_version_is_what_importlib_metadata_finds() -> None:
    # briefpack reads it without importing importlib.metadata (the no-op build's budget).
    from importlib import metadata

    assert __version__ == metadata.version("briefpack")
