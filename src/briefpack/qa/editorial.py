"""Editorial findings about briefings and packs: lengths, verbatim quotes, TODO markers,
briefings that no pack includes.

All are warnings (fatal under `--strict`): a short summary should not block an urgent
build, but it should not slip through a scheduled one either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from briefpack.errors import Problem
from briefpack.source.content import Content, LoadedBriefing, LoadedPack
from briefpack.util.text import normalize
from briefpack.util.yamlio import PathKey, YamlDoc

TODO = re.compile(r"^\s*TODO\b")


def editorial_findings(
    content: Content, packs: Sequence[LoadedPack] | None = None
) -> list[Problem]:
    """Return the editorial warnings of every briefing and the TODOs of every document.

    `packs` limits them to those packs and their briefings (None: the whole project, with
    the briefings that no pack includes).
    """
    out: list[Problem] = []
    if packs is None:
        briefings, documents = list(content.briefings), list(content.documents())
    else:
        shown = dict.fromkeys(doc for pack in packs for doc in pack.documents)
        briefings = [bid for bid in shown if bid in content.briefings]
        documents = [content.document(doc) for doc in shown]
    for bid in briefings:
        out += briefing_guidance(content.briefings[bid])
    for doc in documents:
        out += todo_findings(doc.yaml)
    if packs is None:
        out += unpacked_findings(content)
    selected = content.packs if packs is None else {p.name: p for p in packs}
    out += [
        _warn(
            pack.doc,
            ("briefings",),
            f"pack {name!r} has no briefings yet; add some with `briefpack pack add {name} ID…`",
            "pack-empty",
        )
        for name, pack in sorted(selected.items())
        if not pack.model.briefings
    ]
    return out


def unpacked_findings(content: Content) -> list[Problem]:
    """Warn about every briefing that no pack includes: it is never built or read.

    A new briefing is usually written, then added to a pack; this catches the second step
    being forgotten.
    """
    packed = {bid for pack in content.packs.values() for bid in pack.model.briefings}
    names = ", ".join(sorted(content.packs)) or "none yet"
    return [
        _warn(
            b.doc,
            ("id",),
            f"briefing {bid!r} is in no pack, so no build includes it; add it to the "
            f"`briefings:` list of a pack in briefings/packs/ (packs: {names})",
            "unpacked-briefing",
        )
        for bid, b in sorted(content.briefings.items())
        if bid not in packed
    ]


def briefing_guidance(loaded: LoadedBriefing) -> list[Problem]:
    """Editorial guidance: lengths and verbatim quotes."""
    b, doc, out = loaded.model, loaded.doc, []
    words = len(b.summary.split())
    if not 80 <= words <= 200:
        out.append(
            _warn(doc, ("summary",), f"summary has {words} words; aim for 80–200", "summary-length")
        )
    if not 3 <= len(b.key_points) <= 6:
        out.append(
            _warn(
                doc,
                ("key_points",),
                f"{len(b.key_points)} key points; aim for 3–6",
                "key-points-count",
            )
        )
    if len(b.quotes) > 3:
        out.append(_warn(doc, ("quotes",), f"{len(b.quotes)} quotes; aim for 1–3", "quotes-count"))
    haystack = _squash(loaded.source_text)
    for i, q in enumerate(b.quotes):
        if _squash(q.text) not in haystack:
            out.append(
                _warn(
                    doc,
                    ("quotes", i, "text"),
                    "quote not found verbatim in the source text",
                    "quote-not-verbatim",
                )
            )
    return out


def todo_findings(doc: YamlDoc) -> list[Problem]:
    """Return a warning for every text of a document that still starts with `TODO`.

    `briefpack new` leaves these markers in a scaffold.
    """
    out: list[Problem] = []
    for loc, value in _strings(doc.data, ()):
        if TODO.match(value):
            short = " ".join(value.split())
            short = short if len(short) <= 60 else short[:59] + "…"
            out.append(_warn(doc, loc, f"still a TODO: {short!r}", "todo"))
    return out


def _strings(data: object, loc: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*loc, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*loc, i))


def _squash(text: str) -> str:
    return normalize(text).replace("\u00ad", "")


def _warn(doc: YamlDoc, loc: PathKey, message: str, code: str) -> Problem:
    return replace(doc.problem(loc, message, code=code), severity="warning")
