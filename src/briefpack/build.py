"""The build pipeline: load → validate → segment → translate → fingerprint → render → write."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefpack.check import findings
from briefpack.engines.base import Engine
from briefpack.errors import MissingModelError, Problem, UsageError, ViolationsError
from briefpack.fields import (
    count_statuses,
    describe_missing,
    missing_segments,
    segment_packs,
)
from briefpack.fsutil import atomic_write_bytes
from briefpack.glossary.model import Term, entry_fingerprint
from briefpack.load import Content, LoadedPack, load_content
from briefpack.manifest import Manifest, load_manifest, pack_fingerprint, templates_digest
from briefpack.memory import dump_memory
from briefpack.project import Project
from briefpack.render import (
    DEFAULT_PDF_VARIANT,
    PDF_VARIANTS,
    PdfAttachment,
    epoch_for,
    render_html,
    render_pdf,
)
from briefpack.schema import MemoryEntry
from briefpack.segment import FieldText, Segment
from briefpack.view import Colophon, PackView, build_view, terms_of

log = logging.getLogger(__name__)

EngineFactory = Callable[[], Engine]


@dataclass
class PackResult:
    """What happened to one pack."""

    name: str
    path: Path
    status: str  # "built" or "skipped"
    fingerprint: str
    pages: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    pdf_variant: str = DEFAULT_PDF_VARIANT
    attachments: list[str] = field(default_factory=list)  # names of the embedded files

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "name": self.name,
            "path": str(self.path),
            "status": self.status,
            "fingerprint": self.fingerprint,
            "pages": self.pages,
            "segments": self.counts,
            "pdf_variant": self.pdf_variant,
        }


@dataclass
class BuildReport:
    """The outcome of a build, for the CLI and for --report."""

    packs: list[PackResult] = field(default_factory=list)
    findings: list[Problem] = field(default_factory=list)
    translated: int = 0
    segments: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. "manifest was corrupt"


@dataclass(frozen=True)
class BuildOptions:
    """How to build; every field that changes the PDF is part of the fingerprint."""

    draft: bool = False
    strict: bool = False
    force: bool = False
    pdf_variant: str = DEFAULT_PDF_VARIANT  # a key of render.PDF_VARIANTS

    def fingerprinted(self) -> dict[str, object]:
        """Return the options that shape the output."""
        return {"draft": self.draft, "pdf_variant": self.pdf_variant}


def select_packs(content: Content, names: Sequence[str]) -> list[LoadedPack]:
    """Return the named packs (all when none are named), in name order."""
    if not names:
        if not content.packs:
            raise UsageError(
                f"no packs defined: add a pack file under "
                f"{content.project.rel(content.project.packs_dir)}/"
            )
        return [content.packs[n] for n in sorted(content.packs)]
    unknown = [n for n in names if n not in content.packs]
    if unknown:
        known = ", ".join(sorted(content.packs)) or "none"
        raise UsageError(f"unknown pack(s): {', '.join(unknown)} (defined: {known})")
    return [content.packs[n] for n in dict.fromkeys(names)]


def build(
    project: Project,
    packs: Sequence[str] = (),
    *,
    out_dir: Path | None = None,
    options: BuildOptions = BuildOptions(),
    engine_factory: EngineFactory | None = None,
) -> BuildReport:
    """Build the named packs (default: all) into `out_dir` (default: the project's out/)."""
    if options.pdf_variant not in PDF_VARIANTS:
        raise UsageError(
            f"unknown PDF variant {options.pdf_variant!r} (choose {', '.join(PDF_VARIANTS)})"
        )
    content = load_content(project)  # raises InputError listing every invalid file
    selected = select_packs(content, packs)
    fields = segment_packs(content, selected)
    report = BuildReport()

    missing = missing_segments(content, fields)
    if missing and not options.draft:
        report.translated = _translate(content, missing, engine_factory)

    report.findings = findings(content)
    report.segments = count_statuses(content, fields)
    if options.strict and report.findings:
        raise ViolationsError(
            f"--strict: {len(report.findings)} finding(s); nothing was built",
            problems=report.findings,
        )

    target = out_dir or project.out_dir
    manifest, note = load_manifest(target)
    if note:
        report.notes.append(note)
    templates = templates_digest(project.templates_dir)
    for pack in selected:
        pack_fields = _fields_of(pack, fields)
        terms = terms_of(content, pack_fields)
        fingerprint = _fingerprint(content, pack, pack_fields, terms, templates, options)
        output = target / f"{pack.name}.pdf"
        if not options.force and manifest.up_to_date(pack.name, fingerprint, output):
            report.packs.append(
                PackResult(
                    pack.name, output, "skipped", fingerprint, pdf_variant=options.pdf_variant
                )
            )
            continue
        report.packs.append(
            _render(content, pack, fields, terms, output, fingerprint, options, manifest, report)
        )

    if options.strict and report.findings:
        raise ViolationsError(
            f"--strict: {len(report.findings)} finding(s)", problems=report.findings
        )
    return report


def _translate(
    content: Content, pending: Sequence[Segment], engine_factory: EngineFactory | None
) -> int:
    """Machine-translate pending segments; without a model, fail only for missing English."""
    from briefpack.translate import translate_segments

    missing = [s for s in pending if content.memory.lookup(s.key) is None]
    try:
        if engine_factory is None:
            raise MissingModelError("no translation engine available")
        engine = engine_factory()
    except MissingModelError as exc:
        if missing:
            raise MissingModelError(
                f"{describe_missing(content, missing)}; {exc.message}"
            ) from None
        return 0  # only stale machine entries: keep them; findings() reports them
    translated, _violations = translate_segments(content, pending, engine)
    return translated  # remaining violations are reported by findings() below


def _fields_of(pack: LoadedPack, fields: dict[str, list[FieldText]]) -> dict[str, list[FieldText]]:
    docs = [f"pack:{pack.name}", *pack.model.briefings]
    return {doc: fields[doc] for doc in docs}


def _fingerprint(
    content: Content,
    pack: LoadedPack,
    pack_fields: dict[str, list[FieldText]],
    terms: Sequence[Term],
    templates: str,
    options: BuildOptions,
) -> str:
    """Return the pack's manifest fingerprint: everything the PDF shows or embeds."""
    glossary = [entry_fingerprint(t) for t in terms]
    # The glossary table shows each used term's note, which entry_fingerprint leaves out.
    glossary += [_sha(f"note\0{t.de}\0{t.note or ''}") for t in terms]
    # The colophon names the whole glossary's size and fingerprint.
    glossary.append(f"glossary\0{len(content.glossary)}\0{content.glossary.fingerprint()}")
    if options.pdf_variant == "a-3b" and content.project.glossary_path.is_file():
        glossary.append(f"file\0{_sha(content.project.glossary_path.read_bytes())}")
    return pack_fingerprint(
        content,
        pack,
        pack_fields,
        templates=templates,
        glossary_entries=glossary,
        options=options.fingerprinted(),
    )


def _sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def used_memory_name(pack: LoadedPack) -> str:
    """Return the name of the generated translation-memory file embedded in a-3b packs."""
    return f"translations/packs/{pack.name}.used.yaml"


def used_memory(content: Content, pack: LoadedPack, pack_fields: dict[str, list[FieldText]]) -> str:
    """Return the translation-memory entries a pack uses, in reading order, as a TM file."""
    entries: dict[str, MemoryEntry] = {}
    for doc in pack_fields.values():
        for f in doc:
            for seg in f.segments:
                entry = content.memory.lookup(seg.key)
                if entry is not None:
                    entries.setdefault(seg.key, entry)
    header = (
        f"# Generated by briefpack for the pack {pack.name!r}: the {len(entries)} entries of\n"
        "# translations/ that its PDF shows, in reading order (each German sentence once).\n"
    )
    return header + dump_memory(entries.values())


def attachments_for(
    content: Content, pack: LoadedPack, pack_fields: dict[str, list[FieldText]]
) -> list[PdfAttachment]:
    """Return the inputs an archival (a-3b) pack embeds, named by project-relative path.

    The pack file, its briefings and glossary.yaml byte for byte; of the translation memory
    exactly the entries used (files under translations/ also hold other briefings' entries,
    and a sentence's best entry can live in another briefing's file). Source texts under
    seeds/ are not embedded: they are third-party articles, and the PDF is distributed.
    """
    project = content.project

    def file(path: Path, description: str) -> PdfAttachment:
        return PdfAttachment(
            path.relative_to(project.root).as_posix(), path.read_bytes(), description
        )

    out = [file(pack.path, "Pack definition")]
    out += [
        file(content.briefings[bid].path, f"Briefing {bid} (German)")
        for bid in pack.model.briefings
    ]
    if project.glossary_path.is_file():
        out.append(file(project.glossary_path, "Terminology glossary"))
    out.append(
        PdfAttachment(
            used_memory_name(pack),
            used_memory(content, pack, pack_fields).encode("utf-8"),
            "Translation-memory entries used by this pack (generated from translations/)",
        )
    )
    return out


def _prepare(
    content: Content,
    pack: LoadedPack,
    fields: dict[str, list[FieldText]],
    terms: list[Term],
    fingerprint: str,
    options: BuildOptions,
) -> tuple[PackView, list[PdfAttachment]]:
    """Return what the template shows for a pack, and the files its PDF embeds."""
    attachments = (
        attachments_for(content, pack, _fields_of(pack, fields))
        if options.pdf_variant == "a-3b"
        else []
    )
    colophon = Colophon.for_pack(
        content,
        fingerprint=fingerprint,
        pdf_variant=options.pdf_variant,
        attachments=[a.name for a in attachments],
    )
    return build_view(content, pack, fields, terms, colophon), attachments


def _render(
    content: Content,
    pack: LoadedPack,
    fields: dict[str, list[FieldText]],
    terms: list[Term],
    output: Path,
    fingerprint: str,
    options: BuildOptions,
    manifest: Manifest,
    report: BuildReport,
) -> PackResult:
    view, attachments = _prepare(content, pack, fields, terms, fingerprint, options)
    html = render_html(view.context(), content.project.templates_dir)
    result = render_pdf(
        html,
        templates_dir=content.project.templates_dir,
        epoch=epoch_for(pack.model.date),
        variant=PDF_VARIANTS[options.pdf_variant],
        attachments=attachments,
    )
    for message in result.warnings:
        report.findings.append(
            Problem(
                content.project.rel(content.project.templates_dir / "pack.html.j2"),
                message=f"PDF renderer ({pack.name}): {message}",
                code="render-warning",
                severity="warning",
            )
        )
    atomic_write_bytes(output, result.data)
    manifest.record(pack.name, fingerprint, output, result.data)
    stats = view.stats
    counts = {"reviewed": stats.reviewed, "machine": stats.machine, "missing": stats.missing}
    return PackResult(
        pack.name,
        output,
        "built",
        fingerprint,
        result.pages,
        counts,
        pdf_variant=options.pdf_variant,
        attachments=[a.name for a in attachments],
    )


def render_pack_html(
    project: Project, pack_name: str, *, options: BuildOptions = BuildOptions()
) -> str:
    """Return the HTML of one pack without rendering a PDF (golden tests, debugging)."""
    content = load_content(project)
    (pack,) = select_packs(content, [pack_name])
    fields = segment_packs(content, [pack])
    pack_fields = _fields_of(pack, fields)
    terms = terms_of(content, pack_fields)
    templates = templates_digest(project.templates_dir)
    fingerprint = _fingerprint(content, pack, pack_fields, terms, templates, options)
    view, _ = _prepare(content, pack, fields, terms, fingerprint, options)
    return render_html(view.context(), project.templates_dir)
