"""Build tiny German→English Argos Translate packages offline, without torch or training.

A package is a `.argosmodel` zip holding one folder with `metadata.json`, a SentencePiece
model trained on the given texts and a CTranslate2 Transformer whose weights are set by hand
from numpy arrays:

- `kind="copy"`: output tokens equal input tokens. Each token has a code in one half of the
  model dimension and each position a code in the other half; the decoder's cross-attention
  matches positions (step i reads source token i) and copies the token half to the output
  projection. The source `</s>` (added by CTranslate2) is copied last and ends decoding.
  This lets tests check placeholders, prefixes and glossary handling through real decoding.
- `kind="random"`: random weights from a fixed seed, i.e. deterministic garbage of plausible
  length, for smoke tests and speed benchmarks.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from briefpack.fsutil import atomic_write_bytes

PackageKind = Literal["copy", "random"]
FloatArray = npt.NDArray[np.float32]

SEED = 20251216
# Learned position encodings cover this many positions; longer inputs are not supported.
MAX_POSITIONS = 1024
# Placeholders such as ⟦T1⟧ should be atomic brackets around ordinary pieces.
PLACEHOLDER_SYMBOLS = ("⟦", "⟧")

_CODE_DIM = 128  # size of each half (token codes, position codes) in the copy model
_COPY_FFN = 8  # the copy model's feed-forward layers are all zero
_RANDOM_FFN = 64
_RANDOM_SCALE = 0.1  # std of the random weights: logits spread by a few nats, like a real model
_RANDOM_FFN_OUT_SCALE = 0.01  # keeps the random feed-forward term below the copied token code
# Gains of the copy model; large enough that every decision is sharp even in int8.
_QUERY_GAIN = 3.0
_KEY_GAIN = 3.0
_LOGIT_GAIN = 4.0
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member timestamps: same inputs, same bytes


def build_package(
    dest_dir: Path,
    *,
    kind: PackageKind,
    texts: Iterable[str],
    name: str | None = None,
    version: str = "0.0.1",
    vocab_size: int = 1000,
    with_spacy: bool = False,
) -> Path:
    """Build a de→en `.argosmodel` in `dest_dir` and return its path.

    `texts` train the SentencePiece model (one sentence or paragraph per line).
    `name` is the package's folder name (default `translate-de_en-tiny-<kind>`).
    `with_spacy` adds a blank German spaCy pipeline as `spacy/`, which argostranslate's
    own `translate()` needs to split sentences offline (used by the benchmark).
    """
    if kind not in ("copy", "random"):
        raise ValueError(f"unknown package kind {kind!r} (expected 'copy' or 'random')")
    folder = name or f"translate-de_en-tiny-{kind}"
    sp_model = train_sentencepiece(texts, vocab_size=vocab_size)
    pieces = _pieces(sp_model)
    with tempfile.TemporaryDirectory(prefix="tinyargos-") as tmp:
        root = Path(tmp) / folder
        root.mkdir()
        (root / "sentencepiece.model").write_bytes(sp_model)
        (root / "metadata.json").write_text(
            json.dumps(_metadata(folder, version, kind), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        weights = _copy_weights(pieces) if kind == "copy" else _random_weights(pieces)
        _convert(weights, pieces, root / "model")
        if with_spacy:
            import spacy  # slow import, only the benchmark needs it

            spacy.blank("de").to_disk(root / "spacy")
        target = dest_dir / f"{folder}.argosmodel"
        atomic_write_bytes(target, _zip_folder(root))
    return target


def train_sentencepiece(texts: Iterable[str], *, vocab_size: int = 1000) -> bytes:
    """Train a SentencePiece model on the lines of `texts` and return its bytes.

    Byte fallback and identity normalisation make every character round-trip exactly
    (umlauts, „quotes“, NBSP in "800 000", ⟦T1⟧); one thread and a fixed seed make the
    model reproducible.
    """
    import sentencepiece as spm

    lines = [line.strip() for text in texts for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValueError("texts must contain at least one non-empty line")
    spm.set_random_generator_seed(SEED)
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # small corpora cannot always fill the requested size
        character_coverage=1.0,
        byte_fallback=True,
        user_defined_symbols=list(PLACEHOLDER_SYMBOLS),
        normalization_rule_name="identity",
        max_sentence_length=1 << 16,
        num_threads=1,
        minloglevel=2,
    )
    return buffer.getvalue()


def _pieces(sp_model: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _metadata(folder: str, version: str, kind: str) -> dict[str, Any]:
    return {
        "package_version": version,
        "argos_version": "1.9",
        "type": "translate",
        "from_code": "de",
        "from_name": "German",
        "to_code": "en",
        "to_name": "English",
        "name": folder,
        "description": f"tiny {kind} model built by briefpack.testing.tinyargos (not a translator)",
    }


def _unit_codes(rng: np.random.Generator, count: int, dim: int) -> FloatArray:
    # Zero mean and unit norm per row: layer norm then only rescales, by the same factor
    # for every token and position, so the codes survive every normalisation unchanged.
    codes = rng.standard_normal((count, dim))
    codes -= codes.mean(axis=1, keepdims=True)
    codes /= np.linalg.norm(codes, axis=1, keepdims=True)
    return codes.astype(np.float32)


def _copy_weights(pieces: Sequence[str]) -> dict[str, Any]:
    rng = np.random.default_rng(SEED)
    vocab, half = len(pieces), _CODE_DIM
    dim = 2 * half
    tokens = _unit_codes(rng, vocab, half)
    # Make </s> orthogonal to every other token: no source token can end decoding early.
    eos = pieces.index("</s>")
    others = np.arange(vocab) != eos
    tokens[others] -= np.outer(tokens[others] @ tokens[eos], tokens[eos])
    tokens[others] /= np.linalg.norm(tokens[others], axis=1, keepdims=True)
    positions = _unit_codes(rng, MAX_POSITIONS, half)
    zeros_v = np.zeros((vocab, half), np.float32)
    zeros_p = np.zeros((MAX_POSITIONS, half), np.float32)
    eye = np.eye(half, dtype=np.float32)
    zero = np.zeros((half, half), np.float32)

    def block(top_left: FloatArray, bottom_right: FloatArray) -> FloatArray:
        # Linear weights are [out, in]; halves are [token | position].
        return np.block([[top_left, zero], [zero, bottom_right]]).astype(np.float32)

    # Layer norms see vectors whose halves have norm 1 (tokens) and 1 (positions), so
    # the encoder output and the decoder state are scaled by sqrt(dim / 2); the value
    # gain undoes that so the copied token code enters the residual with norm 1.
    value_gain = 1.0 / np.sqrt(dim / 2)
    return {
        "dim": dim,
        "heads": 1,
        "enc_embeddings": np.hstack([tokens, zeros_v]),
        "enc_positions": np.hstack([zeros_p, positions]),
        # The decoder ignores what it produced so far: its input is the position alone.
        "dec_embeddings": np.zeros((vocab, dim), np.float32),
        "dec_positions": np.hstack([zeros_p, positions]),
        "enc_self_qkv": np.zeros((3 * dim, dim), np.float32),
        "enc_self_out": np.zeros((dim, dim), np.float32),
        "dec_self_qkv": np.zeros((3 * dim, dim), np.float32),
        "dec_self_out": np.zeros((dim, dim), np.float32),
        "cross_query": block(zero, _QUERY_GAIN * eye),
        "cross_kv": np.vstack([block(zero, _KEY_GAIN * eye), block(value_gain * eye, zero)]),
        "cross_out": np.eye(dim, dtype=np.float32),
        "enc_ffn_in": np.zeros((_COPY_FFN, dim), np.float32),
        "enc_ffn_out": np.zeros((dim, _COPY_FFN), np.float32),
        "dec_ffn_in": np.zeros((_COPY_FFN, dim), np.float32),
        "dec_ffn_out": np.zeros((dim, _COPY_FFN), np.float32),
        "projection": _LOGIT_GAIN * np.hstack([tokens, zeros_v]),
        "projection_bias": np.zeros(vocab, np.float32),
    }


def _random_weights(pieces: Sequence[str]) -> dict[str, Any]:
    # Fully random weights never emit </s> and always run to the length cap, which makes
    # every speed figure a measure of the cap. So keep the copy model's alignment and its
    # </s> row, and make what picks the other tokens random: a random output projection and
    # a small random feed-forward layer (so the choice also depends on position). The
    # output is garbage, deterministic, and about as long as the source.
    weights = _copy_weights(pieces)
    rng = np.random.default_rng(SEED + 1)
    vocab, dim = len(pieces), weights["dim"]
    eos = pieces.index("</s>")
    eos_code = weights["projection"][eos] / _LOGIT_GAIN  # unit norm, token half only

    projection = (_RANDOM_SCALE * rng.standard_normal((vocab, dim))).astype(np.float32)
    projection[eos] = weights["projection"][eos]
    ffn_in = (_RANDOM_SCALE * rng.standard_normal((_RANDOM_FFN, dim))).astype(np.float32)
    ffn_out = (_RANDOM_FFN_OUT_SCALE * rng.standard_normal((dim, _RANDOM_FFN))).astype(np.float32)
    # Nothing random may push towards or away from </s>: only the copied source </s> ends.
    ffn_out -= np.outer(eos_code, eos_code @ ffn_out)
    weights.update(dec_ffn_in=ffn_in, dec_ffn_out=ffn_out, projection=projection)
    return weights


def _convert(weights: dict[str, Any], pieces: list[str], output_dir: Path) -> None:
    # Slow imports (and torch, when installed): only pay for them when building.
    from ctranslate2.converters import Converter
    from ctranslate2.specs import TransformerSpec

    dim: int = weights["dim"]
    spec = TransformerSpec.from_config((1, 1), weights["heads"], pre_norm=True)
    encoder, decoder = spec.encoder, spec.decoder
    # Position codes are part of the weights; the default sqrt(dim) scaling would tilt
    # the balance between the token and position halves.
    encoder.scale_embeddings = False
    decoder.scale_embeddings = False
    encoder.embeddings[0].weight = weights["enc_embeddings"]
    encoder.position_encodings.encodings = weights["enc_positions"]
    decoder.embeddings.weight = weights["dec_embeddings"]
    decoder.position_encodings.encodings = weights["dec_positions"]

    ones = np.ones(dim, np.float32)
    zeros = np.zeros(dim, np.float32)
    for norm in (
        encoder.layer_norm,
        encoder.layer[0].self_attention.layer_norm,
        encoder.layer[0].ffn.layer_norm,
        decoder.layer_norm,
        decoder.layer[0].self_attention.layer_norm,
        decoder.layer[0].attention.layer_norm,
        decoder.layer[0].ffn.layer_norm,
    ):
        norm.gamma = ones
        norm.beta = zeros

    for side, layer in (("enc", encoder.layer[0]), ("dec", decoder.layer[0])):
        layer.self_attention.linear[0].weight = weights[f"{side}_self_qkv"]
        layer.self_attention.linear[1].weight = weights[f"{side}_self_out"]
        layer.ffn.linear_0.weight = weights[f"{side}_ffn_in"]
        layer.ffn.linear_1.weight = weights[f"{side}_ffn_out"]
    cross = decoder.layer[0].attention
    cross.linear[0].weight = weights["cross_query"]
    cross.linear[1].weight = weights["cross_kv"]
    cross.linear[2].weight = weights["cross_out"]
    decoder.projection.weight = weights["projection"]
    decoder.projection.bias = weights["projection_bias"]

    # Argos models append </s> to the source; the copy model relies on it to stop.
    spec.config.add_source_eos = True
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)

    class _HandSetConverter(Converter):  # type: ignore[misc]  # untyped base class
        def _load(self) -> TransformerSpec:
            return spec

    _HandSetConverter().convert(str(output_dir))


def _zip_folder(root: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in [root, *sorted(root.rglob("*"))]:
            arcname = path.relative_to(root.parent).as_posix()
            if path.is_dir():
                archive.writestr(zipfile.ZipInfo(arcname + "/", _ZIP_TIME), b"")
                continue
            info = zipfile.ZipInfo(arcname, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
