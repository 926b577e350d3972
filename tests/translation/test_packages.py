"""Model package management (library and `briefpack models` CLI), offline."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from briefpack.cli.packages import app as models_app
from briefpack.errors import (
    ExitCode,
    InputError,
    MissingModelError,
    ModelError,
    NetworkError,
    UsageError,
)
from briefpack.translation import argos_folders
from briefpack.translation import packages as models
from briefpack.translation.packages import (
    ModelInfo,
    find_model,
    install_from_file,
    install_from_index,
    list_models,
    remove,
)

UNREACHABLE = "http://127.0.0.1:9/"  # the discard port: nothing listens, refused at once


def _rezip(src: Path, dest: Path, *, drop: str = "", extra: dict[str, bytes] | None = None) -> Path:
    """Copy the zip `src` to `dest` without members containing `drop`, plus `extra` ones."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for item in zin.infolist():
            if not (drop and drop in item.filename):
                zout.writestr(item, zin.read(item))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dest


# --- library --------------------------------------------------------------------------


def test_install_list_find_remove(models_dir: Path, tiny_copy_package: Path) -> None:
    assert list_models() == []
    assert find_model("de", "en") is None

    info = install_from_file(tiny_copy_package)
    assert info == ModelInfo(
        from_code="de",
        to_code="en",
        name="translate-de_en-tiny-copy",
        version="0.0.1",
        path=models_dir / "translate-de_en-tiny-copy",
    )
    assert info.code == "de_en"
    assert (info.path / "sentencepiece.model").is_file()
    assert list_models() == [info]
    assert find_model("de", "en") == info
    assert find_model("en", "de") is None

    assert remove("translate-de_en-tiny-copy") == info
    assert not info.path.exists()
    assert list_models() == []


def test_reinstall_replaces_the_package(models_dir: Path, tiny_copy_package: Path) -> None:
    info = install_from_file(tiny_copy_package)
    (info.path / "stale.txt").write_text("left over from an old version")
    assert install_from_file(tiny_copy_package) == info
    assert not (info.path / "stale.txt").exists()
    assert len(list_models()) == 1


def test_find_model_prefers_the_newest_version(
    models_dir: Path, tiny_copy_package: Path, tmp_path: Path
) -> None:
    install_from_file(tiny_copy_package)
    newer = _rezip(
        tiny_copy_package,
        tmp_path / "newer.argosmodel",
        drop="metadata.json",
        extra={
            "translate-de_en-tiny-copy/metadata.json": json.dumps(
                {"type": "translate", "from_code": "de", "to_code": "en", "package_version": "0.10"}
            ).encode()
        },
    )
    # Same folder name: a reinstall. Use a second folder to have two packages side by side.
    shutil.copytree(models_dir / "translate-de_en-tiny-copy", models_dir / "zz-old")
    install_from_file(newer)
    found = find_model("de", "en")
    assert found is not None
    assert (found.name, found.version) == ("translate-de_en-tiny-copy", "0.10")


def test_remove_by_pair_code_and_errors(
    models_dir: Path, tiny_copy_package: Path, tiny_random_package: Path
) -> None:
    with pytest.raises(UsageError, match="no installed model package is called 'de_en'"):
        remove("de_en")
    install_from_file(tiny_copy_package)
    assert remove("de_en").name == "translate-de_en-tiny-copy"

    install_from_file(tiny_copy_package)
    install_from_file(tiny_random_package)
    with pytest.raises(UsageError, match="matches several packages"):
        remove("de_en")
    assert len(list_models()) == 2


@pytest.mark.slow  # imports argostranslate (and torch)
def test_changes_are_seen_by_argostranslate_in_the_same_process(
    models_dir: Path, tiny_copy_package: Path
) -> None:
    # argostranslate (a dev dependency, not briefpack's) keeps per-process caches of the
    # installed packages: a change made by briefpack must clear them.
    translate = pytest.importorskip("argostranslate.translate")
    install_from_file(tiny_copy_package)
    translate.installed_translates.append(object())  # stand-in for a cached translation
    translate.get_installed_languages.cache_clear()
    remove("translate-de_en-tiny-copy")
    assert translate.installed_translates == []
    assert translate.get_installed_languages.cache_info().currsize == 0


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda d, pkg: d / "missing.argosmodel", InputError, "no such file"),
        (lambda d, pkg: d, InputError, "not a file"),
        (lambda d, pkg: _write(d / "x.argosmodel", b"not a zip"), InputError, "not a zip"),
        (
            lambda d, pkg: _rezip(pkg, d / "x.argosmodel", drop="metadata.json"),
            InputError,
            "no metadata.json",
        ),
        (
            lambda d, pkg: _rezip(pkg, d / "x.argosmodel", extra={"other/metadata.json": b"{}"}),
            InputError,
            "exactly one top-level folder",
        ),
        (
            lambda d, pkg: _rezip(
                pkg,
                d / "x.argosmodel",
                drop="metadata.json",
                extra={"translate-de_en-tiny-copy/metadata.json": b"{oops"},
            ),
            InputError,
            "not valid JSON",
        ),
        (
            lambda d, pkg: _rezip(
                pkg,
                d / "x.argosmodel",
                drop="metadata.json",
                extra={"translate-de_en-tiny-copy/metadata.json": b'{"type": "sbd"}'},
            ),
            ModelError,
            "not a translation package",
        ),
        (
            lambda d, pkg: _rezip(pkg, d / "x.argosmodel", drop="/model/"),
            ModelError,
            "no CTranslate2 model",
        ),
        (
            lambda d, pkg: _rezip(pkg, d / "x.argosmodel", extra={"../evil.txt": b"x"}),
            InputError,
            "unsafe path",
        ),
    ],
    ids=[
        "missing",
        "folder",
        "not-zip",
        "no-metadata",
        "two-folders",
        "bad-json",
        "sbd",
        "no-model",
        "zip-slip",
    ],
)
def test_install_rejects_bad_files(
    models_dir: Path,
    tiny_copy_package: Path,
    tmp_path: Path,
    make: object,
    error: type[Exception],
    message: str,
) -> None:
    assert callable(make)
    bad = make(tmp_path, tiny_copy_package)
    with pytest.raises(error, match=message) as info:
        install_from_file(bad)
    assert str(bad) in str(info.value)
    assert "\n" not in str(info.value)
    assert list(models_dir.iterdir()) == []


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_install_from_index_unreachable(models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", UNREACHABLE)
    with pytest.raises(NetworkError) as info:
        install_from_index("de", "en")
    message = str(info.value)
    assert "could not reach the Argos package index" in message
    assert "--file" in message
    assert "\n" not in message
    assert info.value.exit_code == ExitCode.NETWORK
    assert list_models() == []


@pytest.fixture
def local_index(
    tmp_path: Path, tiny_copy_package: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Serve an Argos package index and the tiny package from 127.0.0.1; return its URL."""
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(tiny_copy_package, served / "tiny.argosmodel")
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    index = [
        {
            "type": "translate",
            "from_code": "de",
            "to_code": "en",
            "package_version": "0.0.1",
            "argos_version": "1.9",
            "links": [UNREACHABLE + "tiny.argosmodel", base + "tiny.argosmodel"],
        }
    ]
    (served / "index.json").write_text(json.dumps(index))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the downloaded index
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the downloads
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_install_from_index_downloads_and_installs(models_dir: Path, local_index: str) -> None:
    info = install_from_index("de", "en")
    assert info.name == "translate-de_en-tiny-copy"
    assert list_models() == [info]
    assert json.loads(argos_folders.local_package_index().read_text())[0]["from_code"] == "de"
    assert argos_folders.downloads_dir().is_dir()
    assert not list(argos_folders.downloads_dir().glob("*.argosmodel"))  # download removed


def test_install_from_index_without_the_pair(models_dir: Path, local_index: str) -> None:
    with pytest.raises(MissingModelError, match="no fr→en translation package"):
        install_from_index("fr", "en")


# --- CLI ------------------------------------------------------------------------------


def _cli() -> typer.Typer:
    # The lead mounts the sub-app as `briefpack models`; a throwaway parent does the same.
    root = typer.Typer()
    root.add_typer(models_app, name="models")
    return root


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(_cli(), ["models", *args])
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_cli_list_empty(models_dir: Path) -> None:
    code, out, err = _run("list")
    assert code == 0
    assert out.splitlines()[0] == f"no models installed (in {models_dir})"
    assert "briefpack models install de en" in out
    assert err == ""


def test_cli_install_list_remove(models_dir: Path, tiny_copy_package: Path) -> None:
    code, out, _ = _run("install", "--file", str(tiny_copy_package))
    assert code == 0
    target = models_dir / "translate-de_en-tiny-copy"
    assert out == f"installed translate-de_en-tiny-copy 0.0.1 (de→en) at {target}\n"

    code, out, _ = _run("list")
    assert code == 0
    header, row = out.splitlines()
    assert header.split() == ["pair", "name", "version", "path"]
    assert row.split() == ["de→en", "translate-de_en-tiny-copy", "0.0.1", str(target)]

    code, out, _ = _run("remove", "de_en")
    assert code == 0
    assert out.startswith("removed translate-de_en-tiny-copy 0.0.1 (de→en)")
    assert list_models() == []


@pytest.mark.parametrize(
    ("args", "exit_code", "needle"),
    [
        (("remove", "nope"), ExitCode.USAGE, "no installed model package is called 'nope'"),
        (("install",), ExitCode.USAGE, "say what to install"),
        (("install", "de", "en", "--file", "x.argosmodel"), ExitCode.USAGE, "not both"),
        (("install", "--file", "/nonexistent.argosmodel"), ExitCode.INVALID_INPUT, "no such file"),
        (("install", "de", "en"), ExitCode.NETWORK, "could not reach the Argos package index"),
    ],
)
def test_cli_errors_are_one_line(
    models_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    exit_code: ExitCode,
    needle: str,
) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", UNREACHABLE)
    code, out, err = _run(*args)
    assert code == exit_code
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("error: ")
    assert needle in err


def test_cli_bad_package_file(models_dir: Path, tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.argosmodel", b"not a zip")
    code, _, err = _run("install", "--file", str(bad))
    assert code == ExitCode.INVALID_INPUT
    assert err == f"error: {bad}: not an Argos model package (not a zip archive)\n"


@pytest.mark.parametrize("command", [[], ["list"], ["install"], ["remove"]])
def test_cli_help(command: list[str]) -> None:
    result = CliRunner().invoke(_cli(), ["models", *command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    body = result.output.split("Usage:", 1)[1]
    assert len(body.strip().splitlines()) > 2


def test_every_command_has_help_text() -> None:
    for command in models_app.registered_commands:
        assert command.callback is not None
        assert command.callback.__doc__, command.name


def test_library_never_prints(
    models_dir: Path, tiny_copy_package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install_from_file(tiny_copy_package)
    list_models()
    remove("de_en")
    assert capsys.readouterr() == ("", "")
    assert models.packages_dir() == models_dir
