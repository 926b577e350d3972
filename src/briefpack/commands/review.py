"""`briefpack review`: list machine translations with their findings, approve them.

Approving makes an entry reviewed and drops its provenance, in whichever translations/ file
it lives; the memory is saved once, atomically and locked, merging edits made meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from briefpack.errors import UsageError
from briefpack.qa.finding import Finding
from briefpack.qa.pair import check_pair
from briefpack.source.content import Content, unique_segments
from briefpack.source.load import load_content
from briefpack.translation.exchange.units import current_segments
from briefpack.util.paths import Project


@dataclass(frozen=True)
class ReviewItem:
    """One machine-translated segment awaiting review."""

    key: str
    de: str
    en: str
    file: str  # the briefing or pack file the segment occurs in (first occurrence)
    field: str
    findings: tuple[Finding, ...]
    provenance: str = ""

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "key": self.key,
            "de": self.de,
            "en": self.en,
            "file": self.file,
            "field": self.field,
            "provenance": self.provenance,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class ApproveResult:
    """What `approve` did."""

    approved: list[ReviewItem] = field(default_factory=list)
    held: list[ReviewItem] = field(default_factory=list)  # --clean: machine entries with findings
    written: int = 0


def machine_items(content: Content, packs: Sequence[str] = ()) -> list[ReviewItem]:
    """Return every machine segment of the packs (all briefings and packs when none named)."""
    fields = content.fields_of(content.select_packs(packs)) if packs else content.all_fields()
    out = []
    for f, seg in unique_segments(fields):
        entry = content.memory.lookup(seg.key)
        if entry is None or entry.status != "machine":
            continue
        p = entry.provenance
        out.append(
            ReviewItem(
                key=seg.key,
                de=seg.text,
                en=entry.en,
                file=content.file_of(seg.doc),
                field=f.field,
                findings=tuple(
                    check_pair(
                        seg.text, entry.en, content.glossary, matches=content.terms_in(seg.text)
                    )
                ),
                provenance=" ".join(x for x in (p.engine, p.package, p.version) if x)
                if p is not None
                else "",
            )
        )
    return out


def review_list(project: Project, packs: Sequence[str] = ()) -> list[ReviewItem]:
    """Return the machine segments awaiting review, in reading order."""
    return machine_items(load_content(project), packs)


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
