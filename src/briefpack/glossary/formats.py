"""The choices of `briefpack glossary import/export`, kept apart from the exchange code.

The CLI needs these enums to declare its options when it starts; the exchange module
(csv, XML, ruamel.yaml editing) is imported only when a command runs.
"""

from __future__ import annotations

from enum import StrEnum


class ExchangeFormat(StrEnum):
    """File formats for import and export."""

    CSV = "csv"
    TSV = "tsv"
    TBX = "tbx"
    TBX2 = "tbx2"


class ExchangeColumns(StrEnum):
    """Which columns a CSV/TSV export writes."""

    DE_EN = "de-en"  # German, English (with a header unless --no-header)
    ALL = "all"  # every field, so an import gives the entries back
    DEEPL = "deepl"  # header-less German, English; one row per German form too


class ConflictMode(StrEnum):
    """What import does with an entry whose German term exists with a different English."""

    SKIP = "skip"
    REPLACE = "replace"
    FAIL = "fail"
