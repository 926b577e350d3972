"""`briefpack review`: list machine translations with their findings and what is left, approve.

Each machine segment is listed with the project memory's best match scoring 75 or more
(`translation/exchange/tm`), so a reviewer sees earlier reviewed English of a similar sentence.

Approving makes an entry reviewed and drops its provenance, in whichever translations/ file
it lives; the memory is saved once, atomically and locked, merging edits made meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from briefpack.errors import UsageError
from briefpack.qa.review import PackProgress, ReviewItem, pack_progress, review_items
from briefpack.source.content import Content
from briefpack.source.load import load_content
from briefpack.translation.exchange.tm.leverage import Leverage, Match
from briefpack.translation.exchange.units import current_segments
from briefpack.util.paths import Project


@dataclass
class ApproveResult:
    """What `approve` did."""

    approved: list[ReviewItem] = field(default_factory=list)
    held: list[ReviewItem] = field(default_factory=list)  # --clean: machine entries with findings
    written: int = 0


def machine_items(content: Content, packs: Sequence[str] = ()) -> list[ReviewItem]:
    """Return every machine segment of the packs (all briefings and packs when none named)."""
    fields = content.fields_of(content.select_packs(packs)) if packs else content.all_fields()
    return review_items(content, fields, ("machine",))


@dataclass
class ReviewList:
    """What `review list` shows: the machine segments, and each pack's progress."""

    items: list[ReviewItem]
    progress: list[PackProgress]
    matches: dict[str, Match] = field(default_factory=dict)  # by key: best memory match ≥ 75


def review_list(project: Project, packs: Sequence[str] = ()) -> ReviewList:
    """Return the machine segments awaiting review (reading order) and the packs' progress."""
    content = load_content(project)
    items = machine_items(content, packs)
    selected = content.select_packs(packs) if packs or content.packs else []
    leverage = Leverage(content)
    best = {i.key: leverage.best(i.de) for i in items}
    matches = {key: m for key, m in best.items() if m is not None}
    return ReviewList(items, pack_progress(content, selected), matches)


def approve(
    project: Project, keys: Sequence[str] = (), *, clean: bool = False, packs: Sequence[str] = ()
) -> ApproveResult:
    """Mark machine entries reviewed: the named keys, or (`clean`) every finding-free one.

    Raises UsageError for a key that is not a current machine segment (nothing is written).
    """
    if bool(keys) == clean:
        raise UsageError("name segment KEYs to approve, or pass --clean (not both)")
    content = load_content(project)
    items = machine_items(content, packs)
    result = ApproveResult()
    if clean:
        result.approved = [i for i in items if not i.findings]
        result.held = [i for i in items if i.findings]
    else:
        by_key = {i.key: i for i in items}
        unknown = [k for k in keys if k not in by_key]
        if unknown:
            raise UsageError(
                f"not a machine-translated segment: {', '.join(unknown)} "
                "(`briefpack review list` shows the keys)"
            )
        result.approved = [by_key[k] for k in dict.fromkeys(keys)]
    segments = current_segments(content)
    for item in result.approved:
        content.memory.put_reviewed(segments[item.key], item.en)
    result.written = len(content.memory.save())
    return result
