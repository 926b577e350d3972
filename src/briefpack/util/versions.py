"""Versions of briefpack and of the distributions it reports (one look-up per process)."""

from __future__ import annotations

import re
from functools import cache
from importlib import metadata

from briefpack import __version__

__all__ = ["__version__", "dist_version", "pip_requirement"]


@cache
def dist_version(name: str, default: str = "-") -> str:
    """Return the installed version of distribution `name`, or `default`.

    Cached: each look-up scans site-packages (~2 ms).
    """
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return default


def pip_requirement(version: str = __version__) -> str:
    """Return what pip should install to get this very briefpack (for `init`'s workflow).

    A release (`1.2.3`, as built from its tag) is pinned: `briefpack==1.2.3`. A development
    build (`1.2.4.dev3+g1a2b3c4`, `0.0.0+unknown`) is on no package index, so nothing can
    pin it there: the requirement is then the newest release, `briefpack`.
    """
    if re.fullmatch(r"\d+(\.\d+)*", version):
        return f"briefpack=={version}"
    return "briefpack"
