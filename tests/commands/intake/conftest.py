"""Fixtures of the intake tests: a feed server on 127.0.0.1 and a copy of the demo project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.commands.intake.feedserver import Server, serve
from tests.support import copy_project


@pytest.fixture
def server() -> Iterator[Server]:
    with serve() as srv:
        yield srv


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")
