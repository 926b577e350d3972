"""Helpers shared by the test modules (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import yaml

from briefpack.source.memory import dump_memory
from briefpack.source.schema import MemoryFile, Provenance
from briefpack.util.paths import Input

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

REPO = Path(__file__).resolve().parents[1]
DEMO_PACK = "ukraine-sicherheitsgarantien"
# The project's inputs, as briefpack lists them (briefpack.util.paths.Input).
PROJECT_PARTS = tuple(item.value for item in Input)


def copy_project(dest: Path) -> Path:
    """Copy the demo project's inputs (not out/) into `dest` and return it."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest


def override(root: Path, name: str) -> Path:
    """Copy the packaged theme's file `name` into the project's templates/; return the copy.

    A project renders with the theme briefpack ships unless its templates/ overrides a
    file: a test that edits a template edits such an override, as a user would.
    """
    from briefpack.output.theme import PACKAGED

    target = root / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PACKAGED / name, target)
    return target


def squash(text: str) -> str:
    """Drop whitespace and hyphens, so PDF line breaks and hyphenation don't matter."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def snapshot(root: Path) -> dict[str, bytes]:
    """Return every file under `root` by relative path (to prove nothing changed)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def require_tool(name: str, debian_package: str) -> str:
    """Return the path of command `name`; without it, fail under CI (`CI` set), else skip.

    `./dev test` (and so `.ci/run`) installs `debian_package`; a CI run that lacks it must
    not pass by skipping the very tests that need it.
    """
    import os

    import pytest

    found = shutil.which(name)
    if found is not None:
        return found
    message = f"{name} not found: install the Debian package {debian_package} (./dev test does)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {name}: {message}")
    pytest.skip(message)


# A demo copy with machine entries, for the exchange, review, serve and QA tests.
MACHINE_FILE = "translations/washington-ohnmacht.yaml"
# A German sentence of that briefing whose English the glossary constrains.
NSS_DE = "Die Darstellung Europas in der Nationalen Sicherheitsstrategie"


def machine_project(dest: Path, *, spoil: bool = True) -> Path:
    """Copy the demo; make one briefing's entries machine translations, as `translate` does.

    With `spoil`, the entry for NSS_DE loses its approved term (a `term-missing` finding).
    """
    root = copy_project(dest)
    path = root / MACHINE_FILE
    memory = MemoryFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    prov = Provenance(engine="argos", package="translate-de_en", version="1.9")
    entries = []
    for e in memory.entries:
        en = e.en
        if spoil and e.de.startswith(NSS_DE):
            en = en.replace("National Security Strategy", "national strategy")
        entries.append(e.model_copy(update={"status": "machine", "en": en, "provenance": prov}))
    path.write_text(dump_memory(entries), encoding="utf-8")
    return root


def entries(root: Path, rel: str = MACHINE_FILE) -> dict[str, dict[str, object]]:
    """Return a translations/ file's entries by German sentence."""
    data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    return {e["de"]: e for e in data["entries"]}


PACK_FILE = "translations/packs/ukraine-sicherheitsgarantien.yaml"
# A reviewed sentence of the demo pack, and the same sentence with one word changed.
REVIEWED_DE = (
    "Ein Jahr nach Beginn der US-russischen Gespräche über die Ukraine ist ein "
    "Waffenstillstand nicht in Sicht."
)
REWORDED_DE = REVIEWED_DE.replace("Gespräche", "Verhandlungen")
REVIEWED_EN = "One year after US-Russian talks on Ukraine began, a ceasefire is not in sight."
REWORDED_MT = (
    "A year after the start of US-Russian negotiations on Ukraine, a ceasefire is not in sight."
)


def reword_reviewed(root: Path) -> str:
    """Change one word of a reviewed sentence of the demo pack; store MT for the new German.

    The old reviewed entry stays in translations/ (unused now): a memory unit. Returns the
    new German.
    """
    pack = root / "briefings" / "packs" / "ukraine-sicherheitsgarantien.yaml"
    text = pack.read_text(encoding="utf-8")
    assert REVIEWED_DE in text
    pack.write_text(text.replace(REVIEWED_DE, REWORDED_DE), encoding="utf-8")
    path = root / PACK_FILE
    memory = MemoryFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    prov = Provenance(engine="argos", package="translate-de_en", version="1.9")
    added = memory.entries[0].model_copy(
        update={"de": REWORDED_DE, "en": REWORDED_MT, "status": "machine", "provenance": prov}
    )
    path.write_text(dump_memory([*memory.entries, added]), encoding="utf-8")
    return REWORDED_DE


def cli_in(root: Path, *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process with `root` as the working folder; return (code, stdout, stderr).

    An exception that escapes briefpack's own handler fails the test (a traceback is a bug).
    """
    import os

    from typer.testing import CliRunner

    from briefpack.cli import app

    old = Path.cwd()
    os.chdir(root)
    try:
        res = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(old)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res.exit_code, res.stdout, res.stderr


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browsed(NamedTuple):
    """A `briefpack serve` subprocess and a headless Chromium pointed at it."""

    driver: WebDriver
    base: str  # http://127.0.0.1:PORT/
    banner: str  # the server's first line ("serving http://…")


@contextmanager
def browse_served(root: Path, tmp_path: Path, *, window: str = "1280,1000") -> Iterator[Browsed]:
    """Run `briefpack serve` on `root` and drive it with headless Chromium (Debian's).

    Skips (or, under CI, fails) without chromium and its driver; both stop afterwards.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromedriver = require_tool("chromedriver", "chromium-driver")
    require_tool("chromium", "chromium")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefpack", "serve", "--port", str(port), "-p", str(root)],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chrome'}",
        f"--window-size={window}",
    ):
        options.add_argument(flag)
    driver = None
    try:
        assert proc.stdout is not None
        banner = proc.stdout.readline()
        base = f"http://127.0.0.1:{port}/"
        assert base in banner, banner
        driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        driver.set_page_load_timeout(60)
        yield Browsed(driver, base, banner)
    finally:
        if driver is not None:
            driver.quit()
        proc.terminate()
        proc.wait(timeout=20)


def wait_until(predicate: Callable[[], object], timeout: float = 20.0) -> bool:
    """Poll `predicate` every 0.1 s; return whether it held within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
