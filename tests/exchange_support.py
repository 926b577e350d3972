"""Helpers for the exchange, review and serve tests: a demo copy with machine entries."""

from __future__ import annotations

from pathlib import Path

import yaml

from briefpack.source.memory import dump_memory
from briefpack.source.schema import MemoryFile, Provenance
from tests.support import copy_project

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
