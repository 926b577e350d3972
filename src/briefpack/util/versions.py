"""Versions of briefpack and of the distributions it reports (one look-up per process)."""

from __future__ import annotations

from functools import cache
from importlib import metadata

from briefpack import __version__

__all__ = ["__version__", "dist_version"]


@cache
def dist_version(name: str, default: str = "-") -> str:
    """Return the installed version of distribution `name`, or `default`.

    Cached: each look-up scans site-packages (~2 ms).
    """
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return default
