"""Turn pydantic validation errors into located problems."""

from __future__ import annotations

import difflib
import typing

from pydantic import BaseModel, ValidationError

from briefpack.errors import Problem
from briefpack.util.yamlio import PathKey, YamlDoc


def problems_from_validation(
    exc: ValidationError, doc: YamlDoc, model: type[BaseModel] | None = None
) -> list[Problem]:
    """Return one Problem per pydantic error, located via the document's positions."""
    out: list[Problem] = []
    for err in exc.errors():
        loc: PathKey = tuple(part for part in err["loc"] if isinstance(part, str | int))
        kind = err["type"]
        if kind == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}" + _did_you_mean(model, loc)
            out.append(doc.problem(loc, message, code="unknown-key"))
        elif kind == "missing":
            out.append(
                doc.problem(loc[:-1], f"missing required key {loc[-1]!r}", code="missing-key")
            )
        elif kind.startswith("date_"):
            value = err.get("input")
            out.append(
                doc.problem(
                    loc, f"not a valid date: {value!r} (use YYYY-MM-DD)", code="invalid-date"
                )
            )
        else:
            msg = str(err["msg"])
            if kind in {"model_type", "dict_type", "model_attributes_type"}:
                msg = f"expected a mapping, got {_kind(err.get('input'))}"
            elif kind == "list_type":
                msg = f"expected a list, got {_kind(err.get('input'))}"
            elif kind == "string_type":
                msg = f"expected text, got {_kind(err.get('input'))}"
            elif msg.startswith("Value error, "):
                msg = msg.removeprefix("Value error, ")
            out.append(doc.problem(loc, msg[:1].lower() + msg[1:], code=kind))
    return out


def _kind(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):  # not "str": the reader edits YAML, not Python
        return f"text ({value[:40]!r})"
    return type(value).__name__


def _model_at(model: type[BaseModel] | None, loc: PathKey) -> type[BaseModel] | None:
    """Return the model class that validates the mapping at `loc`."""
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        model = _find_model(info.annotation)
    return model


def _find_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _find_model(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(model: type[BaseModel] | None, loc: PathKey) -> str:
    owner = _model_at(model, loc[:-1])
    if owner is None or not isinstance(loc[-1], str):
        return ""
    match = difflib.get_close_matches(loc[-1], list(owner.model_fields), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
