"""Findings about a loaded project: what `check` lists and `--strict` fails on."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from briefpack.errors import Problem
from briefpack.fields import briefing_fields, field_loc, missing_segments, segment_packs
from briefpack.load import Content, load_content
from briefpack.project import Project
from briefpack.qa import check_pair
from briefpack.scaffold import todo_findings
from briefpack.segment import segment_key
from briefpack.yamlio import YamlDoc


@dataclass
class CheckReport:
    """Findings of a check run; errors make the run fail, warnings only under --strict."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def check(project: Project) -> CheckReport:
    """Validate the project; raise InputError for invalid files, else return findings."""
    content = load_content(project)
    _render_templates(content)
    return CheckReport(findings(content))


def _render_templates(content: Content) -> None:
    """Render each pack's HTML (Jinja only, no PDF): template errors raise InputError."""
    from briefpack.render import render_html
    from briefpack.view import build_view, terms_of

    for pack in content.packs.values():
        fields = segment_packs(content, [pack])
        view = build_view(content, pack, fields, terms_of(content, fields))
        render_html(view.context(), content.project.templates_dir)


def findings(content: Content) -> list[Problem]:
    """Return every finding about valid input: editorial warnings, translation gaps."""
    out = list(content.warnings)
    out += _missing(content)
    out += _unused(content)
    out += _terminology(content)
    out += todo_findings(content)  # markers `briefpack new` leaves in a scaffold
    return sorted(out, key=Problem.sort_key)


def _doc(content: Content, doc: str) -> YamlDoc:
    if doc.startswith("pack:"):
        return content.packs[doc.removeprefix("pack:")].doc
    return content.briefings[doc].doc


def _missing(content: Content) -> list[Problem]:
    fields = segment_packs(content, list(content.packs.values()))
    out = []
    for seg in missing_segments(content, fields):
        if content.memory.lookup(seg.key) is None:
            message, code = f"no English translation for segment {seg.key}", "missing-translation"
        else:
            message = (
                f"machine translation of segment {seg.key} predates the glossary entries it "
                "contains; `briefpack translate` refreshes it"
            )
            code = "stale-translation"
        p = _doc(content, seg.doc).problem(
            field_loc(seg.field), f"{message} ({seg.text[:60]!r})", code=code
        )
        out.append(replace(p, severity="warning"))
    return out


def _terminology(content: Content) -> list[Problem]:
    """Run translation QA on every translated segment of every briefing and pack."""
    fields = segment_packs(content, list(content.packs.values()))
    for bid, b in content.briefings.items():
        fields.setdefault(bid, briefing_fields(b.model))
    out: list[Problem] = []
    seen: set[str] = set()
    for doc, doc_fields in fields.items():
        for f in doc_fields:
            for seg in f.segments:
                entry = content.memory.lookup(seg.key)
                if entry is None or seg.key in seen:
                    continue
                seen.add(seg.key)
                where = content.memory.entries_for(seg.key)
                path = next((p for p, e in where if e == entry), content.memory.file_for(doc))
                for finding in check_pair(
                    entry.de, entry.en, content.glossary, matches=content.terms_in(seg.text)
                ):
                    term = f", term {finding.term!r}" if finding.term else ""
                    out.append(
                        Problem(
                            content.project.rel(path),
                            field=None,
                            code=finding.code,
                            severity="warning",
                            message=f"{finding.message} [{entry.status} translation; "
                            f"{_doc(content, doc).display} {f.field}, segment {seg.key}{term}]",
                        )
                    )
    return out


def _unused(content: Content) -> list[Problem]:
    # Every briefing counts as used, even one that no pack lists yet.
    fields = segment_packs(content, list(content.packs.values()))
    used = {s.key for fs in fields.values() for f in fs for s in f.segments}
    for b in content.briefings.values():
        used.update(s.key for f in briefing_fields(b.model) for s in f.segments)
    return [
        Problem(
            content.project.rel(path),
            code="unused-translation",
            severity="warning",
            message=f"unused {entry.status} entry ({entry.de[:60]!r}): its German "
            "sentence is no longer in any briefing",
        )
        for path, entry in content.memory.all_entries()
        if segment_key(entry.de) not in used
    ]
