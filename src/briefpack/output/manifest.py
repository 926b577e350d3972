"""The build manifest: a fingerprint of every input that shapes each pack.

`out/.briefpack-manifest.json` maps each output file (PDF, DOCX, HTML; final or draft) to the
fingerprint of its pack's inputs and the hash of the file written. An output whose
fingerprint and bytes are unchanged is skipped. It also keeps what the change section of
each pack compares with (output.changes).
The manifest is a cache: missing or corrupt means "rebuild", never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefpack.output.theme import Theme
from briefpack.source.content import Content, FieldsByDoc, LoadedPack
from briefpack.util.cache import sha256_hex
from briefpack.util.fsutil import atomic_write_text
from briefpack.util.versions import __version__, dist_version

log = logging.getLogger(__name__)

NAME = ".briefpack-manifest.json"
FORMAT = 2  # 1: one PDF per pack, no change history (still read)


def templates_digest(templates_dir: Path) -> str:
    """Return one hash over the theme a project renders with: its templates/ over the package's.

    Names and contents of every file, an override in place of the packaged file it replaces
    (output.theme), so a briefpack upgrade that changes the packaged theme changes it too.
    """
    return Theme(templates_dir).digest()


def pack_fingerprint(
    content: Content,
    pack: LoadedPack,
    fields: FieldsByDoc,
    *,
    templates: str,
    glossary_entries: Iterable[str] = (),
    options: dict[str, object] | None = None,
) -> str:
    """Return the fingerprint of everything that shapes one pack's PDF."""
    h = hashlib.sha256()

    def part(label: str, value: str | bytes) -> None:
        data = value.encode("utf-8") if isinstance(value, str) else value
        h.update(label.encode() + b"\0" + sha256_hex(data).encode() + b"\n")

    part("briefpack", __version__)
    part("weasyprint", dist_version("weasyprint"))
    part("options", json.dumps(options or {}, sort_keys=True, default=str))
    part("pack", pack.path.read_bytes())
    part("templates", templates)
    for bid in pack.model.briefings:
        b = content.briefings[bid]
        part(f"briefing:{bid}", b.path.read_bytes())
        part(f"source:{bid}", b.source_text)
    for doc in sorted(fields):
        for f in fields[doc]:
            for seg in f.segments:
                entry = content.memory.lookup(seg.key)
                used = "-" if entry is None else entry.model_dump_json()
                part(f"tm:{seg.key}", used)
    for fp in sorted(set(glossary_entries)):
        part("glossary", fp)
    return h.hexdigest()


@dataclass
class Manifest:
    """What the last builds wrote into an output folder.

    `outputs` maps each written file name (`<pack>.pdf`, `<pack>.draft.html`, …) to the pack
    it belongs to, the fingerprint it was built from, a digest of its change section and the
    hash of its bytes. `packs` keeps, per pack, the state of its last two final builds
    (`current`, `previous`; see output.changes), from which the change section is made.
    """

    path: Path
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    packs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def up_to_date(self, fingerprint: str, output: Path, changes: str = "") -> bool:
        """Whether `output` is the file built last time from the same inputs."""
        entry = self.outputs.get(output.name)
        if (
            not entry
            or entry.get("fingerprint") != fingerprint
            or entry.get("changes", "") != changes
            or not output.is_file()
        ):
            return False
        try:
            return sha256_hex(output.read_bytes()) == entry.get("sha256")
        except OSError:
            return False

    def record(
        self, pack: str, fingerprint: str, output: Path, data: bytes, changes: str = ""
    ) -> None:
        """Remember what was written for one output file (call `save` afterwards)."""
        self.outputs[output.name] = {
            "pack": pack,
            "fingerprint": fingerprint,
            "changes": changes,
            "sha256": sha256_hex(data),
        }

    def save(self) -> None:
        """Write the manifest atomically."""
        body = {
            "format": FORMAT,
            "briefpack": __version__,
            "outputs": self.outputs,
            "packs": self.packs,
        }
        atomic_write_text(self.path, json.dumps(body, indent=2, sort_keys=True) + "\n")


def load_manifest(out_dir: Path) -> tuple[Manifest, str | None]:
    """Return the manifest of `out_dir` and a warning if it had to be discarded.

    A format-1 manifest (one PDF per pack, no change history) is read as such: its PDFs
    keep their records, and the packs have no previous build to compare with.
    """
    path = out_dir / NAME
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Manifest(path), None
    except (OSError, UnicodeDecodeError) as exc:
        return Manifest(path), f"{path.name}: unreadable ({exc}); rebuilding every pack"
    try:
        data = json.loads(raw)
        if data.get("format") == 1 and isinstance(data.get("packs"), dict):
            return Manifest(path, _outputs_of_format_1(data["packs"])), None
        if data.get("format") != FORMAT:
            raise ValueError("unknown format")
        outputs, packs = data["outputs"], data["packs"]
        if not isinstance(outputs, dict) or not isinstance(packs, dict):
            raise ValueError("unknown format")
        clean = {
            str(k): {str(a): str(b) for a, b in v.items()}
            for k, v in outputs.items()
            if isinstance(v, dict)
        }
        states = {str(k): v for k, v in packs.items() if isinstance(v, dict)}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return Manifest(path), f"{path.name}: corrupt ({exc}); rebuilding every pack"
    return Manifest(path, clean, states), None


def _outputs_of_format_1(packs: dict[str, Any]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, entry in packs.items():
        if isinstance(entry, dict) and isinstance(entry.get("output"), str):
            out[entry["output"]] = {
                "pack": str(name),
                "fingerprint": str(entry.get("fingerprint", "")),
                "changes": "",
                "sha256": str(entry.get("output_sha256", "")),
            }
    return out
