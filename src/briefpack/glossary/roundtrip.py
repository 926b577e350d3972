"""Comment-keeping re-writes with ruamel.yaml: one entry's lines, or the whole document.

The only module that imports ruamel.yaml: reading and validating use the C parser
(`briefpack.glossary.load`); ruamel's round trip is what keeps the comments inside an entry
that `set` re-writes, and the fallback for files the line splicer (`splice`) cannot edit.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from briefpack.glossary.entry import FIELDS
from briefpack.glossary.plan import EditPlan


def make_yaml() -> YAML:
    """Return the round-trip YAML instance (YAML 1.2, as the reader) used for edits."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True  # the edited text is validated by the reader afterwards
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def rewrite_entry(
    block: list[str], dash_col: int, key_col: int, changes: Mapping[str, object]
) -> list[str]:
    """Re-write one entry's lines (its dash and keys at the given columns), keeping comments."""
    lead = min([dash_col] + [len(ln) - len(ln.lstrip(" ")) for ln in block if ln.strip()])
    source = "\n".join(ln[lead:].rstrip("\r") for ln in block) + "\n"
    yaml = make_yaml()
    offset = dash_col - lead
    yaml.indent(mapping=2, sequence=max(offset + 2, key_col - lead), offset=offset)
    data = yaml.load(source)
    _apply_changes(data[0], changes)
    out = io.StringIO()
    yaml.dump(data, out)
    return [
        (" " * lead + ln) if ln.strip() else "" for ln in out.getvalue().rstrip("\n").split("\n")
    ]


def _flow_list(values: Sequence[str]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _apply_changes(entry: CommentedMap, changes: Mapping[str, object]) -> None:
    for key in FIELDS:
        if key not in changes:
            continue
        value = changes[key]
        if value is None or value == () or (value is False and key not in entry):
            if key in entry:
                del entry[key]
            continue
        if isinstance(value, tuple):
            current = entry.get(key)
            if isinstance(current, CommentedSeq) and current.fa.flow_style():
                current[:] = list(value)  # keeps the comment after the list
                continue
            new: object = _flow_list(value)
        else:
            new = value
        if key in entry:
            entry[key] = new
        else:
            order = [k for k in entry if k in FIELDS and FIELDS.index(k) < FIELDS.index(key)]
            position = list(entry).index(order[-1]) + 1 if order else 0
            entry.insert(position, key, new)


def round_trip(text: str, edit: EditPlan) -> str:
    """Return `text` with the plan applied by a round trip of the whole document."""
    yaml = make_yaml()
    yaml.indent(mapping=2, sequence=4, offset=2)
    doc = yaml.load(text)
    if not isinstance(doc, CommentedMap):  # pragma: no cover - validated before
        doc = CommentedMap(version=1)
    terms = doc.get("terms")
    if not isinstance(terms, CommentedSeq):
        terms = CommentedSeq()
        doc["terms"] = terms
    if edit.appends:
        terms.fa.set_block_style()
    for index in sorted(edit.removals, reverse=True):
        del terms[index]
    shift = {i: i - sum(1 for r in edit.removals if r < i) for i in edit.updates}
    for index, changes in edit.updates.items():
        _apply_changes(terms[shift[index]], changes)
    for spec in edit.appends:
        entry = CommentedMap()
        for key, value in spec.to_mapping().items():
            entry[key] = _flow_list(value) if isinstance(value, list) else value
        terms.append(entry)
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()
