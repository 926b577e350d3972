"""New glossary entries as YAML text: the editor's hand-written emitter.

Hand-written because no YAML library writes what the editor needs: an entry in the layout
the file already uses (its dash and key columns), lists in flow style, and a scalar quoted
only where a YAML 1.1 *or* 1.2 reader would take it for something else (``no``, ``on``,
``017``), so that every tool that reads the glossary agrees with briefpack. ruamel.yaml
(`briefpack.glossary.roundtrip`) is used where an existing entry is re-written.
"""

from __future__ import annotations

import json
import re

from briefpack.glossary.entry import TermSpec

NEW_FILE_HEADER = (
    "# briefpack terminology glossary: German source terms -> approved English.\n"
    "# Edit by hand or with `briefpack glossary add/set/remove`; comments are kept.\n"
)
_PLAIN = re.compile(r"[^\W\d_](?:[\w .'’()/&+\-]*[\w.)'’])?")
# Plain words a YAML 1.1 reader would take for booleans or null.
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "none"})


def scalar(value: object) -> str:
    """Render a YAML scalar: plain when unambiguous in block and flow context, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted one


def render_entry(spec: TermSpec, dash_col: int, key_col: int) -> list[str]:
    """Return the lines of a new entry, its dash and keys at the given columns."""
    lines = []
    for i, (key, value) in enumerate(spec.to_mapping().items()):
        if i == 0:
            prefix = " " * dash_col + "-" + " " * max(1, key_col - dash_col - 1)
        else:
            prefix = " " * (dash_col + max(2, key_col - dash_col))
        if isinstance(value, list):
            rendered = "[" + ", ".join(scalar(v) for v in value) + "]"
        else:
            rendered = scalar(value)
        lines.append(f"{prefix}{key}: {rendered}")
    return lines


def new_document(header: str, appends: list[TermSpec]) -> str:
    """Return a new glossary document: `header` (comments), then `appends` as its entries."""
    lines = ["version: 1", "terms:"]
    for spec in appends:
        lines += render_entry(spec, 2, 4)
    prefix = header if header.endswith("\n") else header + "\n"
    return prefix + "\n".join(lines) + "\n"
