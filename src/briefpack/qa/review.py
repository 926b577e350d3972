"""What is left to review: each segment's status and findings, and each pack's progress.

One definition of a review row, used by `briefpack review list|approve` and by the review
page of `briefpack serve` (commands may not import each other).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from briefpack.qa.finding import Finding
from briefpack.qa.pair import check_pair
from briefpack.source.content import Content, FieldsByDoc, LoadedPack, unique_segments

ALL = ("reviewed", "machine", "missing")


@dataclass(frozen=True)
class ReviewItem:
    """One distinct segment: its German, English, status and QA findings."""

    key: str
    de: str
    en: str
    status: str  # reviewed | machine | missing
    file: str  # the briefing or pack file the segment occurs in (first occurrence)
    field: str
    findings: tuple[Finding, ...]
    provenance: str = ""  # machine entries: engine, package and version
    order: int = 0  # position in reading order

    def queue_key(self) -> tuple[bool, int, int]:
        """Order of a review queue: open segments first, most findings first, reading order."""
        return (self.status == "reviewed", -len(self.findings), self.order)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "key": self.key,
            "de": self.de,
            "en": self.en,
            "status": self.status,
            "file": self.file,
            "field": self.field,
            "provenance": self.provenance,
            "findings": [f.to_dict() for f in self.findings],
        }


def review_items(
    content: Content, fields: FieldsByDoc, statuses: Collection[str] = ALL
) -> list[ReviewItem]:
    """Return each distinct segment of `fields` with one of `statuses`, in reading order."""
    out = []
    for order, (f, seg) in enumerate(unique_segments(fields)):
        entry = content.memory.lookup(seg.key)
        if ("missing" if entry is None else entry.status) not in statuses:
            continue
        en = "" if entry is None else entry.en
        p = None if entry is None else entry.provenance
        findings = (
            check_pair(seg.text, en, content.glossary, matches=content.terms_in(seg.text))
            if en
            else []
        )
        out.append(
            ReviewItem(
                key=seg.key,
                de=seg.text,
                en=en,
                status="missing" if entry is None else entry.status,
                file=content.file_of(seg.doc),
                field=f.field,
                findings=tuple(findings),
                provenance=" ".join(x for x in (p.engine, p.package, p.version) if x) if p else "",
                order=order,
            )
        )
    return out


@dataclass(frozen=True)
class PackProgress:
    """How far review of one pack has come."""

    name: str
    counts: dict[str, int]  # distinct segments: reviewed, machine, missing
    findings: int  # over the pack's segments

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def left(self) -> int:
        """Return how many segments still need a person: machine or missing."""
        return self.total - self.counts["reviewed"]

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {"pack": self.name, **self.counts, "findings": self.findings, "left": self.left}


def pack_progress(
    content: Content, packs: Sequence[LoadedPack], items: Sequence[ReviewItem] = ()
) -> list[PackProgress]:
    """Return each pack's progress, the packs with most findings (then most left) first.

    `items` may hold review items already computed (of any fields); the rest are computed.
    """
    by_key = {i.key: i for i in items}
    out = []
    for pack in packs:
        fields = content.fields_of([pack])
        keys = [s.key for _, s in unique_segments(fields)]
        if any(k not in by_key for k in keys):
            by_key.update((i.key, i) for i in review_items(content, fields))
        findings = sum(len(by_key[k].findings) for k in keys)
        out.append(PackProgress(pack.name, content.status_counts(fields), findings))
    return sorted(out, key=lambda p: (-p.findings, -p.left, p.name))
