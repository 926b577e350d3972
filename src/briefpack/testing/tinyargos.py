"""Build tiny German→English Argos Translate packages offline, without torch or training.

A package is a `.argosmodel` zip holding one folder with `metadata.json`, a SentencePiece
model trained on the given texts and a CTranslate2 Transformer whose weights are set by hand
from numpy arrays:

- `kind="copy"`: output tokens equal input tokens. Each token has a code in one half of the
  model dimension and each position a code in the other half; the decoder's cross-attention
  matches positions (step i reads source token i) and copies the token half to the output
  projection. The source `</s>` (added by CTranslate2) is copied last and ends decoding.
  This lets tests check placeholders, prefixes and glossary handling through real decoding.
- `kind="random"`: the same alignment with a random output projection: deterministic
  garbage exactly as long as the source, like a translation, for smoke tests and benchmarks.

`size="tiny"` (1+1 layers, width 256) builds in about a second. `size="base"` has the compute
shape of a Transformer-base translation model (6+6 layers, width 512, 8 heads, feed-forward
2048, 32 000 output tokens) with the same behaviour, so speed measurements weigh what a real
Argos model weighs; the extra layers carry small random weights that do not change the output.
"""

from __future__ import annotations

import io
import json
import math
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from briefpack.util.fsutil import atomic_write_bytes

PackageKind = Literal["copy", "random"]
PackageSize = Literal["tiny", "base"]
FloatArray = npt.NDArray[np.float32]

SEED = 20251216
# Learned position encodings cover this many positions; longer inputs are not supported.
MAX_POSITIONS = 1024
# What argos-train passes to SentencePiece; everything else stays at SentencePiece's
# defaults (nmt_nfkc normalisation, no byte fallback, no user-defined symbols), so a rare
# character such as "⟦" is an unknown piece here exactly as in a real Argos package.
CHARACTER_COVERAGE = 0.9995


@dataclass(frozen=True)
class _Shape:
    half: int  # width of each half (token codes | position codes); the model is twice this
    heads: int  # even: half of the heads align by position and carry the token codes
    layers: int  # encoder and decoder layers each; layer 0 does the work
    ffn: int
    vocab: int  # output vocabulary, padded with tokens the model never produces


_SHAPES: dict[str, _Shape] = {
    "tiny": _Shape(half=128, heads=2, layers=1, ffn=64, vocab=0),
    "base": _Shape(half=256, heads=8, layers=6, ffn=2048, vocab=32000),
}
# Attention logit of the matching position; random codes keep every other position far
# below it, so every step attends to exactly one source token, also in int8.
_MATCH_LOGIT = 150.0
_LOGIT_GAIN = 4.0  # output logits of the copied token ≈ 4·sqrt(width/2): sharp choices
_RANDOM_SCALE = 0.1  # random projection and feed-forward: logits spread by a few nats
_RANDOM_FFN_NORM = 0.5  # size of the random feed-forward term; the copied code has norm 1
_NOISE_SCALE = 0.002  # weights of the extra layers of the base shape: compute, no effect
_NEVER = -1.0e4  # output bias of the padding tokens
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member timestamps: same inputs, same bytes


def build_package(
    dest_dir: Path,
    *,
    kind: PackageKind,
    texts: Iterable[str],
    name: str | None = None,
    version: str = "0.0.1",
    size: PackageSize = "tiny",
    vocab_size: int = 1000,
    with_spacy: bool = False,
) -> Path:
    """Build a de→en `.argosmodel` in `dest_dir` and return its path.

    `texts` train the SentencePiece model (one sentence or paragraph per line).
    `name` is the package's folder name (default `translate-de_en-<size>-<kind>`).
    `size="base"` gives the model a real Argos model's compute cost (~4 s, ~90 MB).
    `with_spacy` adds a blank German spaCy pipeline as `spacy/`, which argostranslate's
    own `translate()` needs to split sentences offline (used by the benchmark).
    """
    if kind not in ("copy", "random"):
        raise ValueError(f"unknown package kind {kind!r} (expected 'copy' or 'random')")
    if size not in _SHAPES:
        raise ValueError(f"unknown package size {size!r} (expected 'tiny' or 'base')")
    shape = _SHAPES[size]
    folder = name or f"translate-de_en-{size}-{kind}"
    sp_model = train_sentencepiece(texts, vocab_size=vocab_size)
    pieces = _pieces(sp_model)
    vocabulary = pieces + [f"<unused{i}>" for i in range(shape.vocab - len(pieces))]
    with tempfile.TemporaryDirectory(prefix="tinyargos-") as tmp:
        root = Path(tmp) / folder
        root.mkdir()
        (root / "sentencepiece.model").write_bytes(sp_model)
        (root / "metadata.json").write_text(
            json.dumps(_metadata(folder, version, kind), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        weights = _weights(kind, shape, vocabulary, real_pieces=len(pieces))
        # A base-sized float32 model is ~400 MB; int8 on disk is what Argos ships anyway.
        quantization = "int8" if size == "base" else None
        _convert(weights, vocabulary, root / "model", quantization=quantization)
        if with_spacy:
            import spacy  # slow import, only the benchmark needs it

            spacy.blank("de").to_disk(root / "spacy")
        target = dest_dir / f"{folder}.argosmodel"
        atomic_write_bytes(target, _zip_folder(root))
    return target


def train_sentencepiece(texts: Iterable[str], *, vocab_size: int = 1000) -> bytes:
    """Train a SentencePiece model on the lines of `texts` the way Argos packages are trained.

    Like argos-train: unigram, character coverage 0.9995, no byte fallback, no user-defined
    symbols, default normalisation; so, as with a real package, characters outside the
    coverage (⟦, rare symbols) are unknown pieces and NBSP becomes a space. One thread and
    a fixed seed make the model reproducible.
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
        character_coverage=CHARACTER_COVERAGE,
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


def _weights(
    kind: str, shape: _Shape, vocabulary: Sequence[str], *, real_pieces: int
) -> dict[str, Any]:
    """Return every weight of the model, as numpy arrays in CTranslate2's layout."""
    rng = np.random.default_rng(SEED)
    half, heads = shape.half, shape.heads
    dim, vocab = 2 * half, len(vocabulary)
    head_dim = dim // heads
    groups = heads // 2  # heads per half: head h aligns with position slice h % groups
    eos = vocabulary.index("</s>")

    tokens = _unit_codes(rng, vocab, half)
    # Make </s> orthogonal to every other token: no source token can end decoding early.
    others = np.arange(vocab) != eos
    tokens[others] -= np.outer(tokens[others] @ tokens[eos], tokens[eos])
    tokens[others] /= np.linalg.norm(tokens[others], axis=1, keepdims=True)
    # Each head compares its own slice of the position code, so normalise slice by slice.
    positions = np.hstack([_unit_codes(rng, MAX_POSITIONS, head_dim) for _ in range(groups)])
    positions /= np.sqrt(groups)

    # Layer norm scales [token | position] (unit halves) by sqrt(dim / 2) in the encoder
    # and [0 | position] by sqrt(dim) in the decoder; pick the query/key gain that gives
    # the matching position an attention logit of _MATCH_LOGIT.
    gain = math.sqrt(_MATCH_LOGIT * math.sqrt(2) * groups * math.sqrt(head_dim) / dim)
    query = np.zeros((dim, dim), np.float32)
    value = np.zeros((dim, dim), np.float32)
    eye = np.eye(head_dim, dtype=np.float32)
    for h in range(heads):
        rows = slice(h * head_dim, (h + 1) * head_dim)
        g = h % groups
        query[rows, half + g * head_dim : half + (g + 1) * head_dim] = gain * eye
        if h < groups:
            # The value undoes the encoder's layer-norm scale: the copied code has norm 1.
            value[rows, rows] = eye / np.sqrt(dim / 2)
    out = np.zeros((dim, dim), np.float32)
    out[:half, :half] = np.eye(half, dtype=np.float32)  # heads < groups fill the token half

    zeros_v = np.zeros((vocab, half), np.float32)
    zeros_p = np.zeros((MAX_POSITIONS, half), np.float32)
    projection = _LOGIT_GAIN * np.hstack([tokens, zeros_v])
    bias = np.zeros(vocab, np.float32)
    bias[real_pieces:] = _NEVER
    projection[real_pieces:] = 0.0
    dec_ffn_in = np.zeros((shape.ffn, dim), np.float32)
    dec_ffn_out = np.zeros((dim, shape.ffn), np.float32)

    if kind == "random":
        # Fully random weights never emit </s> and always run to the length cap, which
        # makes every speed figure a measure of the cap. So keep the alignment and the
        # </s> row and make what picks the other tokens random: the projection, and a
        # small feed-forward term so the choice also depends on position.
        eos_row = projection[eos].copy()
        projection[:real_pieces] = _RANDOM_SCALE * rng.standard_normal((real_pieces, dim))
        projection[eos] = eos_row
        dec_ffn_in = (_RANDOM_SCALE * rng.standard_normal((shape.ffn, dim))).astype(np.float32)
        # Its input (layer-normed) has norm sqrt(dim), so the hidden layer has norm
        # _RANDOM_SCALE * dim * sqrt(ffn / 2); scale the output to _RANDOM_FFN_NORM.
        out_scale = _RANDOM_FFN_NORM / (_RANDOM_SCALE * dim * math.sqrt(shape.ffn / 2))
        dec_ffn_out = (out_scale * rng.standard_normal((dim, shape.ffn))).astype(np.float32)
        # Nothing random may push towards or away from </s>: only the copied </s> ends.
        eos_code = eos_row / _LOGIT_GAIN
        dec_ffn_out -= np.outer(eos_code, eos_code @ dec_ffn_out)

    def noise(*dims: int) -> FloatArray:
        return (_NOISE_SCALE * rng.standard_normal(dims)).astype(np.float32)

    def zeros(*dims: int) -> FloatArray:
        return np.zeros(dims, np.float32)

    enc_layers = [
        {
            "self_qkv": zeros(3 * dim, dim),
            "self_out": zeros(dim, dim),
            "ffn_in": zeros(shape.ffn, dim),
            "ffn_out": zeros(dim, shape.ffn),
        }
    ]
    dec_layers = [
        {
            "self_qkv": zeros(3 * dim, dim),
            "self_out": zeros(dim, dim),
            "cross_query": query,
            "cross_kv": np.vstack([query, value]),  # keys align like queries
            "cross_out": out,
            "ffn_in": dec_ffn_in,
            "ffn_out": dec_ffn_out,
        }
    ]
    for _ in range(1, shape.layers):
        enc_layers.append(
            {
                "self_qkv": noise(3 * dim, dim),
                "self_out": noise(dim, dim),
                "ffn_in": noise(shape.ffn, dim),
                "ffn_out": noise(dim, shape.ffn),
            }
        )
        dec_layers.append(
            {
                "self_qkv": noise(3 * dim, dim),
                "self_out": noise(dim, dim),
                "cross_query": noise(dim, dim),
                "cross_kv": noise(2 * dim, dim),
                "cross_out": noise(dim, dim),
                "ffn_in": noise(shape.ffn, dim),
                "ffn_out": noise(dim, shape.ffn),
            }
        )
    return {
        "dim": dim,
        "heads": heads,
        "enc_embeddings": np.hstack([tokens, zeros_v]),
        "enc_positions": np.hstack([zeros_p, positions]),
        # The decoder ignores what it produced so far: its input is the position alone.
        "dec_embeddings": zeros(vocab, dim),
        "dec_positions": np.hstack([zeros_p, positions]),
        "enc_layers": enc_layers,
        "dec_layers": dec_layers,
        "projection": projection.astype(np.float32),
        "projection_bias": bias,
    }


def _convert(
    weights: dict[str, Any], vocabulary: list[str], output_dir: Path, *, quantization: str | None
) -> None:
    # Slow imports (and torch, when installed): only pay for them when building.
    from ctranslate2.converters import Converter
    from ctranslate2.specs import TransformerSpec

    dim: int = weights["dim"]
    layers = len(weights["enc_layers"])
    spec = TransformerSpec.from_config((layers, layers), weights["heads"], pre_norm=True)
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
    norms = [encoder.layer_norm, decoder.layer_norm]
    for layer, w in zip(encoder.layer, weights["enc_layers"], strict=True):
        norms += [layer.self_attention.layer_norm, layer.ffn.layer_norm]
        layer.self_attention.linear[0].weight = w["self_qkv"]
        layer.self_attention.linear[1].weight = w["self_out"]
        layer.ffn.linear_0.weight = w["ffn_in"]
        layer.ffn.linear_1.weight = w["ffn_out"]
    for layer, w in zip(decoder.layer, weights["dec_layers"], strict=True):
        norms += [layer.self_attention.layer_norm, layer.attention.layer_norm, layer.ffn.layer_norm]
        layer.self_attention.linear[0].weight = w["self_qkv"]
        layer.self_attention.linear[1].weight = w["self_out"]
        layer.attention.linear[0].weight = w["cross_query"]
        layer.attention.linear[1].weight = w["cross_kv"]
        layer.attention.linear[2].weight = w["cross_out"]
        layer.ffn.linear_0.weight = w["ffn_in"]
        layer.ffn.linear_1.weight = w["ffn_out"]
    for norm in norms:
        norm.gamma = ones
        norm.beta = zeros
    decoder.projection.weight = weights["projection"]
    decoder.projection.bias = weights["projection_bias"]

    # Argos models append </s> to the source; the copy model relies on it to stop.
    spec.config.add_source_eos = True
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)

    class _HandSetConverter(Converter):  # type: ignore[misc]  # untyped base class
        def _load(self) -> TransformerSpec:
            return spec

    _HandSetConverter().convert(str(output_dir), quantization=quantization)


def _zip_folder(root: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in [root, *sorted(root.rglob("*"))]:
            arcname = path.relative_to(root.parent).as_posix()
            if path.is_dir():
                archive.writestr(zipfile.ZipInfo(arcname + "/", _ZIP_TIME), b"")
                continue
            info = zipfile.ZipInfo(arcname, _ZIP_TIME)
            # Weights barely compress and deflating 100 MB costs seconds.
            info.compress_type = (
                zipfile.ZIP_STORED if path.suffix == ".bin" else zipfile.ZIP_DEFLATED
            )
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
