"""`briefpack eval`: measure the installed model on the project's own reviewed translations.

The reviewed English of the selected documents' segments is the reference. Their German is
translated twice, each time in ONE batched engine call: plainly (the engine as it is) and
with glossary enforcement (`translate_enforced`, exactly what `translate` stores). Figures,
per document and overall:

- chrF and BLEU (0–100): corpus scores by sacrebleu, the reference implementation whose
  signatures make the figures comparable with published ones (a hand-written BLEU differs
  in tokenisation and smoothing, and its numbers mean nothing outside this program);
- term accuracy (0–1): of the glossary occurrences in the references' German, the share
  that has no terminology finding from `qa.pair.check_pair` for its entry (the approved
  English is there, in the right number, with no `avoid` variant). An entry found twice in
  one segment counts once, as QA checks it once;
- number agreement (0–1): of the occurrences whose German grammatical number is known and
  whose approved English appears at all (in either number), the share without a
  `term-number` finding; None when no such occurrence is plural (singular-only text says
  nothing about plural handling, and a missing term has no number to agree).

Nothing is written to translations/: the outputs are compared and dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefpack.errors import MissingModelError, UsageError
from briefpack.glossary.match import TermMatch
from briefpack.glossary.model import Glossary
from briefpack.qa.pair import check_pair, check_terms
from briefpack.source.content import Content, unique_segments
from briefpack.source.load import load_content
from briefpack.translation.enforce import translate_enforced
from briefpack.translation.engines.base import Engine
from briefpack.util.fsutil import atomic_write_text
from briefpack.util.paths import Project

if TYPE_CHECKING:
    from sacrebleu.metrics.base import Metric

EngineFactory = Callable[[], Engine]
MODES = ("plain", "enforced")
# Every finding code about a glossary entry; `term-number` is a wrong grammatical number.
TERM_CODES = frozenset({"term-missing", "keep-altered", "avoid-used", "term-number"})
# check_pair checks nothing else for these; eval still measures the terms of such output.
_SHORT_CIRCUIT = frozenset({"empty", "untranslated"})


@dataclass(frozen=True)
class Reference:
    """One German segment with its reviewed English."""

    doc: str
    german: str
    english: str
    matches: tuple[TermMatch, ...]


@dataclass(frozen=True)
class Occurrence:
    """How one glossary entry of one segment came out in one translation."""

    term: str
    number: str | None  # "sg", "pl" or None (German does not say, or matching does not know)
    correct: bool  # no terminology finding for the entry
    number_ok: bool  # no `term-number` finding for the entry
    present: bool = True  # the approved English appears, in either number


@dataclass(frozen=True)
class Scores:
    """The figures of one mode (plain or enforced) over a set of segments."""

    segments: int
    chrf: float
    bleu: float
    occurrences: tuple[Occurrence, ...] = ()

    @property
    def term_accuracy(self) -> float | None:
        """Return the share of occurrences without a terminology finding (None: no terms)."""
        if not self.occurrences:
            return None
        return sum(o.correct for o in self.occurrences) / len(self.occurrences)

    @property
    def number_agreement(self) -> float | None:
        """Return the share of numbered occurrences in the right number (None: no plurals)."""
        numbered = [o for o in self.occurrences if o.number is not None and o.present]
        if not any(o.number == "pl" for o in numbered):
            return None
        return sum(o.number_ok for o in numbered) / len(numbered)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping (the keys the README documents)."""
        return {
            "segments": self.segments,
            "chrf": round(self.chrf, 2),
            "bleu": round(self.bleu, 2),
            "term_accuracy": _round(self.term_accuracy),
            "number_agreement": _round(self.number_agreement),
            "term_occurrences": len(self.occurrences),
            "term_errors": sum(not o.correct for o in self.occurrences),
            "plural_occurrences": sum(o.number == "pl" for o in self.occurrences),
            "number_errors": sum(not o.number_ok for o in self.occurrences),
        }


@dataclass
class EvalReport:
    """Every figure of one `eval` run, per document (briefing id or pack) and overall."""

    engine: str
    limit: int | None
    documents: dict[str, dict[str, Scores]] = field(default_factory=dict)
    overall: dict[str, Scores] = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """Return the JSON `--json` writes."""
        return {
            "engine": self.engine,
            "limit": self.limit,
            "metrics": self.signatures,
            "briefings": {
                doc: {mode: s.to_dict() for mode, s in modes.items()}
                for doc, modes in self.documents.items()
            },
            "overall": {mode: s.to_dict() for mode, s in self.overall.items()},
        }


def evaluate(
    project: Project,
    packs: Sequence[str] = (),
    *,
    engine_factory: EngineFactory | None,
    limit: int | None = None,
) -> EvalReport:
    """Translate the reviewed segments plainly and enforced; score both against the review."""
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    content = load_content(project)
    refs = references(content, packs, limit=limit)
    if not refs:
        raise UsageError(
            "no reviewed translations to measure against"
            + (f" in pack(s) {', '.join(packs)}" if packs else "")
            + ": review some machine translations first (see `briefpack translate`)"
        )
    engine = _engine(len(refs), engine_factory)
    texts = [r.german for r in refs]
    plain = [hyps[0].text if hyps else "" for hyps in engine.translate(texts)]
    enforced = translate_enforced(engine, texts, [r.matches for r in refs], content.glossary)
    outputs = {"plain": plain, "enforced": [e.text for e in enforced]}
    return score(refs, outputs, content.glossary, engine=engine.info.label(), limit=limit)


def references(
    content: Content, packs: Sequence[str] = (), *, limit: int | None
) -> list[Reference]:
    """Return the reviewed segments of the packs (default: everything), in reading order."""
    fields = content.fields_of(content.select_packs(packs)) if packs else content.all_fields()
    out: list[Reference] = []
    for _, seg in unique_segments(fields):
        entry = content.memory.lookup(seg.key)
        if entry is None or entry.status != "reviewed":
            continue
        out.append(Reference(seg.doc, seg.text, entry.en, tuple(content.terms_in(seg.text))))
        if limit is not None and len(out) >= limit:
            break
    return out


def score(
    refs: Sequence[Reference],
    outputs: dict[str, list[str]],
    glossary: Glossary,
    *,
    engine: str,
    limit: int | None = None,
) -> EvalReport:
    """Return the figures of each mode's outputs against the references."""
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

    bleu, chrf = BLEU(), CHRF()
    report = EvalReport(engine=engine, limit=limit)
    docs = list(dict.fromkeys(r.doc for r in refs))
    occurrences = {
        mode: [_occurrences(r, hyp, glossary) for r, hyp in zip(refs, hyps, strict=True)]
        for mode, hyps in outputs.items()
    }
    for mode, hyps in outputs.items():
        for doc in docs:
            idx = [i for i, r in enumerate(refs) if r.doc == doc]
            report.documents.setdefault(doc, {})[mode] = _scores(
                [hyps[i] for i in idx],
                [refs[i].english for i in idx],
                [o for i in idx for o in occurrences[mode][i]],
                bleu,
                chrf,
            )
        report.overall[mode] = _scores(
            hyps,
            [r.english for r in refs],
            [o for per in occurrences[mode] for o in per],
            bleu,
            chrf,
        )
    report.signatures = {"chrf": str(chrf.get_signature()), "bleu": str(bleu.get_signature())}
    return report


def _scores(
    hyps: list[str], refs: list[str], occurrences: list[Occurrence], bleu: Metric, chrf: Metric
) -> Scores:
    return Scores(
        segments=len(hyps),
        chrf=chrf.corpus_score(hyps, [refs]).score,
        bleu=bleu.corpus_score(hyps, [refs]).score,
        occurrences=tuple(occurrences),
    )


def _occurrences(ref: Reference, english: str, glossary: Glossary) -> list[Occurrence]:
    """Return, per glossary entry of the segment, whether `english` renders it right."""
    findings = check_pair(ref.german, english, glossary, matches=list(ref.matches))
    if any(f.code in _SHORT_CIRCUIT for f in findings):
        # A copy of the German (or an empty output) still renders terms right or wrong.
        findings += check_terms(english, list(ref.matches))
    wrong = {f.term for f in findings if f.code in TERM_CODES}
    wrong_number = {f.term for f in findings if f.code == "term-number"}
    missing = {f.term for f in findings if f.code in ("term-missing", "keep-altered")}
    numbers: dict[str, set[str]] = {}
    for m in ref.matches:
        found = numbers.setdefault(m.entry.de, set())
        number = getattr(m, "number", None)  # TermMatch.number ("sg"/"pl") where matching knows
        if number in ("sg", "pl"):
            found.add(number)
    return [
        Occurrence(
            term=de,
            number="pl" if "pl" in nums else ("sg" if nums else None),
            correct=de not in wrong,
            number_ok=de not in wrong_number,
            present=de not in missing,
        )
        for de, nums in numbers.items()
    ]


def _engine(count: int, factory: EngineFactory | None) -> Engine:
    """Return the factory's engine, or raise MissingModelError saying what needs it."""
    try:
        if factory is None:
            raise MissingModelError("no translation engine available")
        return factory()
    except MissingModelError as exc:
        raise MissingModelError(
            f"{count} reviewed segment(s) need machine translation to be measured; {exc.message}"
        ) from None


def write_json(path: Path, report: EvalReport) -> None:
    """Write every figure of the report as JSON, atomically."""
    import json

    body = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(path, body)


def table(report: EvalReport) -> list[str]:
    """Return the report as an aligned text table, one line per document and mode."""
    header = ("document", "segments", "mode", "chrF", "BLEU", "terms", "number")
    rows: list[tuple[str, ...]] = []
    for name, modes in [*report.documents.items(), ("overall", report.overall)]:
        for i, mode in enumerate(MODES):
            s = modes[mode]
            rows.append(
                (
                    name if i == 0 else "",
                    str(s.segments) if i == 0 else "",
                    mode,
                    f"{s.chrf:.1f}",
                    f"{s.bleu:.1f}",
                    _percent(s.term_accuracy),
                    _percent(s.number_agreement),
                )
            )
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    left = {0, 2}  # text columns; numbers are right-aligned

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.ljust(w) if c in left else cell.rjust(w)
            for c, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    overall = report.overall["enforced"]
    summary = (
        f"engine: {report.engine}; {overall.segments} reviewed segment(s) as references, "
        f"{len(overall.occurrences)} glossary occurrence(s)"
    )
    return [summary, line(header), *(line(r) for r in rows)]


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
