"""The prepare phase: gather everything the outputs of a run need, once, in stage order.

Like Pelican's generators, which build their whole context before any writer runs,
`prepare` loads and validates the project, selects the packs (as the `BuildRequest` names
them), translates what is pending and fingerprints each pack; the findings are computed
when first asked for. `build`, `check` and any other output
reuse what it returns, so the order of the stages exists here and nowhere else:

    load → select → segment → translate → fingerprint → (view, per output) · findings
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from briefpack.errors import Problem, UsageError
from briefpack.glossary.model import Term, entry_fingerprint
from briefpack.output.manifest import pack_fingerprint, templates_digest
from briefpack.output.pdf import PdfAttachment
from briefpack.output.view import Colophon, PackView, build_view
from briefpack.qa.findings import project_findings
from briefpack.source.content import Content, FieldsByDoc, LoadedPack
from briefpack.source.load import load_content
from briefpack.source.memory import dump_memory
from briefpack.source.schema import MemoryEntry
from briefpack.translation.machine import EngineFactory, Progress, fill_exact, translate_pending
from briefpack.util.cache import sha256_hex
from briefpack.util.paths import Project
from briefpack.util.request import BuildRequest

DEFAULT_REQUEST = BuildRequest()  # `briefpack build` with no options


@dataclass(frozen=True)
class PreparedPack:
    """One pack, ready for any output: its documents' fields, terms and fingerprint."""

    pack: LoadedPack
    fields: FieldsByDoc  # the documents the pack shows, in reading order
    terms: list[Term]  # the glossary entries they contain, sorted the German way
    fingerprint: str  # of every input that shapes the pack's outputs

    @property
    def name(self) -> str:
        return self.pack.name


@dataclass
class Prepared:
    """Everything a run gathered before writing anything."""

    content: Content
    request: BuildRequest
    packs: list[PreparedPack]
    translated: int = 0
    memory: int = 0  # segments filled from the project memory (reviewed exact matches)
    segments: dict[str, int] = field(default_factory=dict)  # by status, over the packs
    unsaved: bool = False  # translations kept in memory until `save_translations`

    @cached_property
    def findings(self) -> list[Problem]:
        """Return every finding about the project, computed when first asked.

        A build asks after it has handed the packs to its render workers, so that the
        findings are computed while they render (no output depends on the findings).
        """
        return project_findings(self.content)

    def save_translations(self) -> None:
        """Save the translations a strict run kept in memory (a no-op otherwise)."""
        if self.unsaved:
            self.content.memory.save()
            self.unsaved = False

    def view(self, prepared: PreparedPack) -> tuple[PackView, list[PdfAttachment]]:
        """Return what the templates show for a pack, and the files its PDF embeds."""
        content, request = self.content, self.request
        attachments = (
            attachments_for(content, prepared.pack, prepared.fields)
            if request.pdf_variant == "a-3b"
            else []
        )
        colophon = Colophon.for_pack(
            content,
            fingerprint=prepared.fingerprint,
            pdf_variant=request.pdf_variant,
            attachments=[a.name for a in attachments],
        )
        view = build_view(content, prepared.pack, prepared.fields, prepared.terms, colophon)
        return view, attachments


def prepare(
    project: Project,
    request: BuildRequest = DEFAULT_REQUEST,
    *,
    engine_factory: EngineFactory | None = None,
    translate: bool = True,
    require_packs: bool = True,
    progress: Progress | None = None,
) -> Prepared:
    """Load, select, translate (unless `translate=False` or a draft), fingerprint.

    The findings are computed when first asked for (`Prepared.findings`). A strict
    request keeps new translations in memory (`Prepared.save_translations` writes them),
    so that a strict run that fails has written nothing. Raises InputError listing every
    invalid file, UsageError for unknown packs or invalid options, and MissingModelError
    when segments have no English and no model can translate them. `require_packs=False`
    prepares no pack, instead of raising UsageError, when none are named and none are
    defined (a project without packs can still be checked).
    """
    why = request.invalid()
    if why:
        raise UsageError(why)
    packs = request.packs
    content = load_content(project)
    selected = content.select_packs(packs) if packs or content.packs or require_packs else []
    fields = content.fields_of(selected)
    translated = memory = 0
    if translate and not request.draft:
        memory, pending = fill_exact(content, content.pending(fields), save=not request.strict)
        translated, _left, _engine = translate_pending(
            content,
            pending,
            engine_factory,
            progress=progress,
            save=not request.strict,
        )  # what still violates the glossary is among the findings
    templates = templates_digest(project.templates_dir)
    prepared = []
    for pack in selected:
        pack_fields = {doc: fields[doc] for doc in pack.documents}
        terms = content.terms_of(pack_fields)
        fingerprint = _fingerprint(content, pack, pack_fields, terms, templates, request)
        prepared.append(PreparedPack(pack, pack_fields, terms, fingerprint))
    return Prepared(
        content,
        request,
        prepared,
        translated=translated,
        memory=memory,
        segments=content.status_counts(fields),
        unsaved=bool(translated or memory) and request.strict,
    )


def _fingerprint(
    content: Content,
    pack: LoadedPack,
    pack_fields: FieldsByDoc,
    terms: Sequence[Term],
    templates: str,
    request: BuildRequest,
) -> str:
    """Return the pack's manifest fingerprint: everything the PDF shows or embeds."""
    glossary = [entry_fingerprint(t) for t in terms]
    # The glossary table shows each used term's note, which entry_fingerprint leaves out.
    glossary += [sha256_hex(f"note\0{t.de}\0{t.note or ''}") for t in terms]
    # The colophon names the whole glossary's size and fingerprint.
    glossary.append(f"glossary\0{len(content.glossary)}\0{content.glossary.fingerprint()}")
    if request.pdf_variant == "a-3b" and content.project.glossary_path.is_file():
        glossary.append(f"file\0{sha256_hex(content.project.glossary_path.read_bytes())}")
    return pack_fingerprint(
        content,
        pack,
        pack_fields,
        templates=templates,
        glossary_entries=glossary,
        options=request.shaping(),
    )


def used_memory_name(pack: LoadedPack) -> str:
    """Return the name of the generated translation-memory file embedded in a-3b packs."""
    return f"translations/packs/{pack.name}.used.yaml"


def used_memory(content: Content, pack: LoadedPack, pack_fields: FieldsByDoc) -> str:
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
    content: Content, pack: LoadedPack, pack_fields: FieldsByDoc
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
