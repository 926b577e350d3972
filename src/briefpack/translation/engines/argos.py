"""The real engine: an installed Argos Translate package decoded directly with CTranslate2.

argostranslate's own `translate()` splits text into sentences and decodes one paragraph per
CTranslate2 call, with a tiny batch and CTranslate2's default length cap; importing it also
pulls in torch and stanza (~2.5 s). This engine reads the package folder itself (metadata,
SentencePiece model, CTranslate2 model) and decodes every segment of a run in ONE batched
`translate_batch` call, which is where the speed comes from.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefpack.errors import MissingModelError, ModelError
from briefpack.translation.engines.base import EngineInfo, Hypothesis
from briefpack.translation.engines.placeholders import PlaceholderStyle, pick_style

if TYPE_CHECKING:
    import ctranslate2
    import sentencepiece

log = logging.getLogger(__name__)

# Token budget per CTranslate2 sub-batch: CTranslate2 sorts the inputs by length and packs
# them into sub-batches of at most this many source tokens.
MAX_BATCH_TOKENS = 2048
MIN_BATCH_TOKENS = 128
# Sub-batches per worker thread, so that workers finishing early find more work.
BATCHES_PER_WORKER = 4
# Longest output we allow, whatever the input; CTranslate2's default (256) is too short
# for long German sentences and would truncate them silently.
MAX_DECODING_CAP = 1024
# Same length penalty as argostranslate, so our output matches what its users know.
LENGTH_PENALTY = 0.2

INSTALL_HINT = (
    "install one with `briefpack models install de en` "
    "or, offline, `briefpack models install --file PATH.argosmodel`"
)


def batch_tokens(total_tokens: int, workers: int) -> int:
    """Return the sub-batch size (in source tokens) for one call over `total_tokens`.

    Small enough that every worker gets several sub-batches, large enough that each
    sub-batch is a real matrix product, never above MAX_BATCH_TOKENS.
    """
    share = -(-total_tokens // (BATCHES_PER_WORKER * max(workers, 1)))  # ceiling division
    return max(MIN_BATCH_TOKENS, min(MAX_BATCH_TOKENS, share))


def max_decoding_length(source_tokens: int, prefix_tokens: int = 0) -> int:
    """Return the output length limit for a source of `source_tokens` tokens.

    Three times the source plus a margin is far above any real translation's length, so
    a hit means a degenerate model, not a truncated sentence.
    """
    return min(3 * source_tokens + 10 + prefix_tokens, MAX_DECODING_CAP)


class ArgosEngine:
    """German→English translation with one installed Argos package (SentencePiece only)."""

    def __init__(
        self,
        package_dir: Path,
        *,
        beam_size: int = 4,
        compute_type: str = "int8",
        device: str = "cpu",
        inter_threads: int | None = None,
        intra_threads: int = 1,
    ) -> None:
        if beam_size < 1:
            raise ValueError("beam_size must be at least 1")
        self.package_dir = Path(package_dir)
        metadata = _read_metadata(self.package_dir)
        self.name = self.package_dir.name
        self.from_code = str(metadata.get("from_code", ""))
        self.to_code = str(metadata.get("to_code", ""))
        self.info = EngineInfo(
            engine="argos",
            package=self.name,
            version=str(metadata.get("package_version", "")) or None,
            beam_size=beam_size,
        )
        self.beam_size = beam_size
        self.compute_type = compute_type
        self.device = device
        # One call holds every segment of a run, split into sub-batches: decoding several
        # sub-batches side by side, one core each, measured ~2x faster on 2 cores than one
        # sub-batch at a time over all cores (small matrices, thread synchronisation).
        self.inter_threads = inter_threads if inter_threads is not None else (os.cpu_count() or 1)
        self.intra_threads = intra_threads
        self.decode_calls = 0
        self._sp = _load_sentencepiece(self.package_dir)
        self._model_dir = self.package_dir / "model"
        if not (self._model_dir / "model.bin").is_file():
            raise ModelError(
                f"model package '{self.name}' ({self.package_dir}) has no CTranslate2 model "
                "(model/model.bin); reinstall it"
            )
        self._translator: ctranslate2.Translator | None = None
        self._lock = threading.Lock()
        # Checked at load: a placeholder the tokenizer splits into unknown pieces may not
        # come back from a real model.
        self.placeholder_style: PlaceholderStyle = pick_style(self._survives)

    def _survives(self, text: str) -> bool:
        """Return whether `text` encodes without unknown pieces and decodes back unchanged."""
        ids: list[int] = self._sp.encode(text)
        unknown = self._sp.unk_id()
        return unknown not in ids and self._sp.decode(ids) == text

    def translate(
        self,
        texts: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        suppress: Sequence[str] = (),
        with_alignment: bool = False,
    ) -> list[list[Hypothesis]]:
        """Translate every text in one batched decode; return `num_hypotheses` per text."""
        if num_hypotheses < 1:
            raise ValueError("num_hypotheses must be at least 1")
        if target_prefixes is not None and len(target_prefixes) != len(texts):
            raise ValueError(
                f"target_prefixes has {len(target_prefixes)} entries for {len(texts)} texts"
            )
        results: list[list[Hypothesis]] = [
            [Hypothesis("", 0.0) for _ in range(num_hypotheses)] for _ in texts
        ]
        # Blank texts need no model (and a model would invent something for them).
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return results

        sources = self._encode([texts[i].strip() for i in todo])
        prefixes: list[list[str] | None] | None = None
        if target_prefixes is not None and any(target_prefixes[i] for i in todo):
            prefixes = [self._encode_one(target_prefixes[i]) for i in todo]
        suppressed = [tokens for tokens in self._encode(list(suppress)) if tokens] or None
        limit = max_decoding_length(
            max(len(tokens) for tokens in sources),
            max((len(p) for p in prefixes if p), default=0) if prefixes else 0,
        )

        decoded = self._decode(
            sources,
            prefixes=prefixes,
            suppressed=suppressed,
            num_hypotheses=num_hypotheses,
            limit=limit,
            attention=with_alignment,
        )
        for index, source, result in zip(todo, sources, decoded, strict=True):
            attention = result.attention if with_alignment else [None] * len(result.hypotheses)
            hypotheses = [
                Hypothesis(
                    self._detokenize(tokens),
                    float(score),
                    _alignment(source, tokens, att) if att is not None else None,
                )
                for tokens, score, att in zip(
                    result.hypotheses, result.scores, attention, strict=True
                )
            ]
            if any(len(tokens) >= limit for tokens in result.hypotheses):
                log.warning("segment %d hit the decoding length limit (%d tokens)", index, limit)
            results[index] = hypotheses
        return results

    def _decode(
        self,
        sources: list[list[str]],
        *,
        prefixes: list[list[str] | None] | None,
        suppressed: list[list[str]] | None,
        num_hypotheses: int,
        limit: int,
        attention: bool = False,
    ) -> list[Any]:
        translator = self._get_translator()
        self.decode_calls += 1
        results: list[Any] = translator.translate_batch(
            sources,
            target_prefix=prefixes,
            max_batch_size=batch_tokens(sum(map(len, sources)), self.inter_threads),
            batch_type="tokens",
            # CTranslate2 cannot return more hypotheses than it keeps in the beam.
            beam_size=max(self.beam_size, num_hypotheses),
            num_hypotheses=num_hypotheses,
            return_scores=True,
            # Which source piece each output piece attends to: the fallback for lost
            # placeholders (translation.enforce.realign).
            return_attention=attention,
            length_penalty=LENGTH_PENALTY,
            # Like argostranslate: an <unk> becomes the source token it attends to most,
            # not SentencePiece's " ⁇ ".
            replace_unknowns=True,
            suppress_sequences=suppressed,
            max_decoding_length=limit,
            max_input_length=0,  # the default (1024) would cut long inputs silently
        )
        return results

    def _get_translator(self) -> ctranslate2.Translator:
        # Loading the model costs time and memory: do it once, on first use.
        with self._lock:
            if self._translator is None:
                import ctranslate2

                try:
                    self._translator = ctranslate2.Translator(
                        str(self._model_dir),
                        device=self.device,
                        compute_type=self.compute_type,
                        intra_threads=self.intra_threads,
                        inter_threads=self.inter_threads,
                    )
                except (RuntimeError, ValueError) as exc:
                    raise ModelError(
                        f"model package '{self.name}' ({self.package_dir}): "
                        f"cannot load the CTranslate2 model: {exc}"
                    ) from exc
            return self._translator

    def _encode(self, texts: list[str]) -> list[list[str]]:
        if not texts:
            return []
        pieces: list[list[str]] = self._sp.encode(texts, out_type=str)
        return pieces

    def _encode_one(self, text: str | None) -> list[str] | None:
        if not text:
            return None
        return self._encode([text])[0]

    def _detokenize(self, tokens: list[str]) -> str:
        text: str = self._sp.decode_pieces(tokens)
        # decode_pieces already turns ▁ into spaces; a stray one (e.g. a piece the model
        # made up outside the vocabulary) must not reach the PDF. Unlike argostranslate we
        # keep "_" as it is: it can be part of the text.
        return text.replace("\u2581", " ").strip()


def _offsets(pieces: Sequence[str]) -> list[tuple[int, int]]:
    """Return each SentencePiece piece's (start, end) in the detokenised, stripped text."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in pieces:
        text = piece.replace("\u2581", " ")
        lead = len(text) - len(text.lstrip(" "))
        spans.append((pos + lead, pos + len(text)))
        pos += len(text)
    shift = len(pieces[0]) - len(pieces[0].lstrip("\u2581")) if pieces else 0
    return [(max(a - shift, 0), max(b - shift, 0)) for a, b in spans]


def _alignment(
    source: Sequence[str], target: Sequence[str], attention: Sequence[Sequence[float]]
) -> tuple[tuple[int, int, int, int], ...]:
    """Link each output piece to the source piece it attends to most (character offsets)."""
    src, tgt = _offsets(source), _offsets(target)
    links = []
    for (t_start, t_end), row in zip(tgt, attention, strict=False):
        if t_end <= t_start or not row:
            continue
        best = max(range(min(len(row), len(src))), key=row.__getitem__, default=None)
        if best is None:
            continue
        links.append((t_start, t_end, *src[best]))
    return tuple(links)


def load_engine(
    from_code: str = "de",
    to_code: str = "en",
    *,
    beam_size: int = 4,
    device: str = "cpu",
    compute_type: str = "int8",
) -> ArgosEngine:
    """Return an engine for the installed `from_code`→`to_code` package.

    `device` and `compute_type` go to `ctranslate2.Translator` (see translation/device.py).
    Raises `MissingModelError` (with the install commands) when none is installed.
    """
    from briefpack.translation.packages import find_model

    model = find_model(from_code, to_code)
    if model is None:
        raise MissingModelError(
            f"no Argos Translate model for {from_code}→{to_code} is installed; {INSTALL_HINT}"
        )
    # On a GPU one translator replica decodes every sub-batch; several would each hold
    # the model in GPU memory.
    inter_threads = 1 if device == "cuda" else None
    return ArgosEngine(
        model.path,
        beam_size=beam_size,
        device=device,
        compute_type=compute_type,
        inter_threads=inter_threads,
    )


def _read_metadata(package_dir: Path) -> dict[str, Any]:
    path = package_dir / "metadata.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{package_dir}: not an Argos model package (no metadata.json)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: cannot read package metadata: {exc}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path}: package metadata must be a JSON object")
    return data


def _load_sentencepiece(package_dir: Path) -> sentencepiece.SentencePieceProcessor:
    import sentencepiece

    model = package_dir / "sentencepiece.model"
    if not model.is_file():
        found = (
            " (it has a BPE tokenizer, bpe.model)" if (package_dir / "bpe.model").exists() else ""
        )
        raise ModelError(
            f"model package '{package_dir.name}' ({package_dir}) has no SentencePiece model "
            f"(sentencepiece.model){found}; briefpack only supports SentencePiece packages"
        )
    try:
        return sentencepiece.SentencePieceProcessor(model_file=str(model))
    except (OSError, RuntimeError) as exc:
        raise ModelError(f"{model}: cannot load the SentencePiece model: {exc}") from exc
