"""briefpack: bilingual German/English PDF briefing packs from curated YAML."""

from __future__ import annotations

import os
import sys


def _installed_version() -> str:
    """Return the version of the installed distribution (set from the git tag at packaging).

    What `importlib.metadata.version("briefpack")` answers, the first distribution on
    `sys.path`, without importing importlib.metadata (zipfile, email, csv: ~15 ms, more than
    a whole no-op build costs): a wheel's or an editable install's `briefpack-X.dist-info`
    folder names the version, and a source tree's `briefpack.egg-info/PKG-INFO` states it.
    """
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith("briefpack-") and name.endswith(".dist-info"):
                return name[len("briefpack-") : -len(".dist-info")]
        if "briefpack.egg-info" in names:
            try:
                with open(os.path.join(entry or ".", "briefpack.egg-info", "PKG-INFO")) as info:
                    for line in info:
                        if line.startswith("Version:"):
                            return line.split(":", 1)[1].strip()
            except OSError:
                continue
    return "0.0.0+unknown"  # sources on the path, never installed or built


__version__ = _installed_version()
