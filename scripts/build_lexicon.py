#!/usr/bin/env python3
"""Build briefpack's packaged German noun lexicon from the `german-nouns` CSV.

briefpack ships the noun forms it needs (not the CSV, nor the package, whose dependencies
pin an old lxml) as `src/briefpack/glossary/data/german-nouns.tsv.xz`, next to the licence
of the data. This script is the one place that turns the CSV into that file; run it when
`SOURCE` changes, commit the result and bump `LEXICON_SOURCE` in glossary/morph.py:

    python scripts/build_lexicon.py            # downloads the pinned wheel with pip
    python scripts/build_lexicon.py nouns.csv  # or reads a CSV you have

Each line of the output is one noun entry, in the CSV's order:
`lemma TAB genus TAB forms`, the forms separated by spaces in column order, a plural form
marked with a leading `+`, each (form, number) once. The output is byte-identical for the
same CSV (xz with fixed settings, no timestamps).
"""

from __future__ import annotations

import csv
import io
import lzma
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

SOURCE = "german-nouns==1.2.5"
TARGET = Path(__file__).resolve().parents[1] / "src/briefpack/glossary/data/german-nouns.tsv.xz"

# Word classes that must not stand as a noun or a compound part (names, abbreviations,
# letters): their rows are left out.
NOT_NOUNS = frozenset(
    "Abkürzung Buchstabe Wortverbindung Vorname Nachname Familienname Eigenname "
    "Straßenname Ortsnamengrundwort Toponym Gebundenes Lexem Affix Suffix Präfix".split()
)


def entries(text: str) -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    """Yield (lemma, genus, [(form, "sg"|"pl"), ...]) for every noun row of the CSV."""
    rows = csv.reader(text.splitlines())
    header = next(rows)
    columns = [
        (i, "pl" if "plural" in name else "sg")
        for i, name in enumerate(header)
        if "singular" in name or "plural" in name
    ]
    genus_at = header.index("genus")
    for row in rows:
        if len(row) < len(header):
            continue
        pos = set(row[1].split(","))
        if "Substantiv" not in pos or pos & NOT_NOUNS:
            continue
        lemma = row[0]
        genus = row[genus_at] or next((g for g in row[genus_at + 1 : genus_at + 5] if g), "")
        plurals = {row[i] for i, number in columns if number == "pl"}
        forms: dict[tuple[str, str], None] = {}
        for i, number in columns:
            surface = row[i]
            # "*" columns hold archaic variants; a dative singular "Zugeständnisse" must
            # not make every plural "Zugeständnisse" look singular too.
            if number == "sg" and header[i].endswith("*") and surface in plurals:
                continue
            if surface and " " not in surface:
                if surface.startswith("+") or "\t" in surface:
                    raise ValueError(f"{lemma}: form {surface!r} clashes with the format")
                forms[(surface, number)] = None
        if forms and "\t" not in lemma and "\n" not in lemma:
            yield lemma, genus, list(forms)


def compact(text: str) -> bytes:
    """Return the xz-compressed lexicon lines for the CSV `text`."""
    out = io.StringIO()
    for lemma, genus, forms in entries(text):
        tokens = " ".join(("+" if n == "pl" else "") + f for f, n in forms)
        out.write(f"{lemma}\t{genus}\t{tokens}\n")
    return lzma.compress(
        out.getvalue().encode("utf-8"),
        format=lzma.FORMAT_XZ,
        check=lzma.CHECK_CRC64,
        preset=9 | lzma.PRESET_EXTREME,
    )


def downloaded_csv() -> str:
    """Download the pinned wheel with pip (no dependencies) and return its CSV text."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, SOURCE],
            check=True,
        )
        [wheel] = Path(tmp).glob("*.whl")
        with zipfile.ZipFile(wheel) as archive:
            return archive.read("german_nouns/nouns.csv").decode("utf-8")


def main(argv: list[str]) -> int:
    text = Path(argv[0]).read_text(encoding="utf-8") if argv else downloaded_csv()
    data = compact(text)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    tmp = TARGET.with_name(TARGET.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(TARGET)
    print(f"{TARGET}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
