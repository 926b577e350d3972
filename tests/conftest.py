"""Shared fixtures. Isolates argostranslate from the user's folders for the whole session."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

# Must run before anything imports argostranslate: its settings module reads these
# variables once, at import, and creates folders under them. Without this, tests would
# read and write the developer's real ~/.local/share/argos-translate.
_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="briefpack-tests-argos-"))
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_ARGOS_HOME / _var.lower())
os.environ["ARGOS_PACKAGES_DIR"] = str(_ARGOS_HOME / "packages")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# Hypothesis profiles: `thorough` (the default; the whole suite) and `fast`, which
# `./dev test --fast` selects with `--hypothesis-profile=fast`: the property tests still run
# there, on fewer examples. Tests set only what is theirs (a deadline, a health check).
settings.register_profile("thorough", max_examples=150, deadline=None)
settings.register_profile("fast", max_examples=25, deadline=None)
settings.load_profile("thorough")

REPO = Path(__file__).resolve().parents[1]

# Loggers whose warnings fail a test unless the test asks for `logs` (as WeasyPrint's own
# `assert_no_logs` does): a missing font or a refused URL in our templates is a bug.
_WATCHED = ("briefpack", "weasyprint")


class LogRecords(logging.Handler):
    """The WARNING (and worse) records the watched loggers emitted during one test."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @property
    def messages(self) -> list[str]:
        return [r.getMessage() for r in self.records]


@pytest.fixture(autouse=True)
def _no_unexpected_warnings(request: pytest.FixtureRequest) -> Iterator[LogRecords]:
    """Fail the test on any WARNING record from briefpack or WeasyPrint it did not ask for."""
    handler = LogRecords()
    loggers = [logging.getLogger(name) for name in _WATCHED]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)
    if handler.records and "logs" not in request.fixturenames:
        lines = "\n".join(f"  {r.name}: {r.getMessage()}" for r in handler.records)
        pytest.fail(f"unexpected warnings logged (use the `logs` fixture to expect them):\n{lines}")


@pytest.fixture
def logs(_no_unexpected_warnings: LogRecords) -> LogRecords:
    """The warnings this test expects to be logged; assert on `logs.messages`."""
    return _no_unexpected_warnings


@pytest.fixture(scope="session")
def seed_texts() -> list[str]:
    """The German seed texts (the repo's seeds/, else the shared copy), one string per file."""
    for folder in (REPO / "seeds", Path("/work/shared/seeds")):
        files = sorted(folder.glob("*.txt"))
        if files:
            return [f.read_text(encoding="utf-8") for f in files]
    raise FileNotFoundError(f"no seed texts under {REPO / 'seeds'}")


def _tiny_package(
    factory: pytest.TempPathFactory, kind: Literal["copy", "random"], texts: list[str]
) -> Path:
    """Build a tiny package once per test run; pytest-xdist's workers share the one build.

    Under xdist each worker has its own base temp folder below one of the run's, so the
    first worker builds there under a lock and the others find the finished package.
    """
    from filelock import FileLock

    from briefpack.testing.tinyargos import build_package

    base = factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / f"tinyargos-{kind}"
    with FileLock(shared / f".tinyargos-{kind}.lock", timeout=600):
        built = sorted(folder.glob("*.argosmodel"))
        if built:
            return built[0]
        staging = Path(tempfile.mkdtemp(prefix=f".tinyargos-{kind}-", dir=shared))
        package = build_package(staging, kind=kind, texts=texts)
        staging.rename(folder)  # the folder appears whole, or not at all
        return folder / package.name


@pytest.fixture(scope="session")
def tiny_copy_package(tmp_path_factory: pytest.TempPathFactory, seed_texts: list[str]) -> Path:
    """Path of a tiny `.argosmodel` whose model copies its input (built once per test run)."""
    return _tiny_package(tmp_path_factory, "copy", seed_texts)


@pytest.fixture(scope="session")
def tiny_random_package(tmp_path_factory: pytest.TempPathFactory, seed_texts: list[str]) -> Path:
    """Path of a tiny `.argosmodel` with random weights (deterministic garbage)."""
    return _tiny_package(tmp_path_factory, "random", seed_texts)


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Give the test an empty packages folder of its own (argostranslate's and briefpack's)."""
    from briefpack.translation import packages as models

    folder = tmp_path / "argos-packages"
    folder.mkdir()
    # briefpack reads it at each call (translation/argos_folders.py), subprocesses too.
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    models.clear_argos_caches()
    yield folder
    models.clear_argos_caches()
