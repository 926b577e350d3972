"""briefpack's copy of argostranslate's folder rules gives argostranslate's own answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefpack.translation import argos_folders

# Runs in a fresh interpreter: argostranslate reads its settings once, at import.
PROBE = """
import json
from argostranslate import package, settings
from briefpack.translation import argos_folders as ours

class Pkg:
    type, from_code, to_code = "translate", "de", "en"

print(json.dumps({
    "theirs": [str(settings.package_data_dir), [str(p) for p in settings.package_dirs],
               settings.remote_package_index, str(settings.local_package_index),
               str(settings.downloads_dir), package.argospm_package_name(Pkg())],
    "ours": [str(ours.package_data_dir()), [str(p) for p in ours.package_dirs()],
             ours.remote_package_index(), str(ours.local_package_index()),
             str(ours.downloads_dir()), ours.argospm_name("translate", "de", "en")],
}))
"""

CASES = {
    "defaults": {},
    "environment": {
        "ARGOS_PACKAGES_DIR": "{tmp}/pkgs",
        "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/idx/",
    },
    "settings.json": {"settings.json": '{"ARGOS_PACKAGES_DIR": "{tmp}/from-json"}'},
    "environment over settings.json": {
        "ARGOS_PACKAGES_DIR": "{tmp}/env",
        "settings.json": '{"ARGOS_PACKAGES_DIR": "{tmp}/from-json"}',
    },
    "snap": {"SNAP": "{tmp}/snap", "SNAP_USER_DATA": "{tmp}/snap-home", "snap_dirs": "yes"},
}


@pytest.mark.parametrize("case", CASES)
def test_folders_are_argostranslates(case: str, tmp_path: Path) -> None:
    pytest.importorskip("argostranslate.settings")
    spec = {k: v.replace("{tmp}", str(tmp_path)) for k, v in CASES[case].items()}
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_", "SNAP"))}
    env.update(HOME=str(home), PYTHONPATH=os.pathsep.join(sys.path))
    config = spec.pop("settings.json", None)
    if config is not None:
        (home / ".config" / "argos-translate").mkdir(parents=True)
        (home / ".config" / "argos-translate" / "settings.json").write_text(config)
    if spec.pop("snap_dirs", None):
        (tmp_path / "snap" / "snap_custom" / "packages").mkdir(parents=True)
        (tmp_path / "snap" / "snap_custom" / "content_snap_packages" / "b").mkdir(parents=True)
        (tmp_path / "snap" / "snap_custom" / "content_snap_packages" / "a").mkdir()
    env.update(spec)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.splitlines()[-1])
    theirs, ours = result["theirs"], result["ours"]
    if case == "snap":  # argostranslate lists a content snap's folders in directory order
        theirs[1] = theirs[1][:2] + sorted(theirs[1][2:])
    assert ours == theirs


def test_nothing_is_created_until_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGOS_PACKAGES_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert argos_folders.package_data_dir() == tmp_path / "data" / "argos-translate" / "packages"
    assert argos_folders.downloads_dir() == tmp_path / "cache" / "argos-translate" / "downloads"
    assert list(tmp_path.iterdir()) == []
