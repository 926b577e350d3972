"""ArgosEngine against tiny real packages: real SentencePiece, real CTranslate2 decoding."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest

from briefpack.errors import ExitCode, MissingModelError, ModelError
from briefpack.translation.engines import argos
from briefpack.translation.engines.argos import (
    ArgosEngine,
    batch_tokens,
    load_engine,
    max_decoding_length,
)
from briefpack.translation.engines.base import Engine, EngineInfo
from briefpack.translation.packages import install_from_file
from tests.conftest import LogRecords


# Real sentences from seeds/ (normalised: the segmenter turns no-break spaces into spaces).
def nfkc(text: str) -> str:
    """Return `text` as a real Argos tokenizer (SentencePiece nmt_nfkc) normalises it."""
    return unicodedata.normalize("NFKC", text)


SEED_SENTENCES = [
    "Natürlich kommt er mit diesem „Zugeständnis“ viel zu spät.",
    "Zwar soll die erste „Verteidigungslinie“ der Ukraine weiterhin die eigene Armee "
    "bleiben, die bis zu 800 000 Soldaten umfassen soll.",
    "[27] W.W. Putin, Jahrespressekonferenz „Ergebnisse des Jahres 2025“, 19. Dezember 2025.",
    "Welche Handlungsspielräume und ‑optionen bleiben Europa – „ohne, mit oder gegen die USA“[5]?",
    "• Europa als „Kontinent im wirtschaftlichen Niedergang“ gehört nicht dazu.",
]
PLACEHOLDER_SENTENCE = "Laut ⟦T1⟧ soll die ⟦T12⟧ im Land stationiert werden."


def _unpack(archive: Path, dest: Path) -> Path:
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)
        top = zf.namelist()[0].split("/")[0]
    return dest / top


@pytest.fixture(scope="module")
def copy_dir(tiny_copy_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _unpack(tiny_copy_package, tmp_path_factory.mktemp("copy"))


@pytest.fixture(scope="module")
def random_dir(tiny_random_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _unpack(tiny_random_package, tmp_path_factory.mktemp("random"))


@pytest.fixture(scope="module")
def copy_engine(copy_dir: Path) -> ArgosEngine:
    return ArgosEngine(copy_dir)


def test_seed_sentences_are_real(seed_texts: list[str]) -> None:
    corpus = " ".join(" ".join(t.split()) for t in seed_texts)
    for sentence in SEED_SENTENCES:
        assert sentence in corpus


def test_engine_satisfies_protocol_and_info(copy_engine: ArgosEngine) -> None:
    engine: Engine = copy_engine
    assert engine.info == EngineInfo(
        engine="argos", package="translate-de_en-tiny-copy", version="0.0.1", beam_size=4
    )


@pytest.mark.parametrize("compute_type", ["int8", "float32"])
def test_copy_model_reproduces_sentences_in_one_call(copy_dir: Path, compute_type: str) -> None:
    engine = ArgosEngine(copy_dir, compute_type=compute_type)
    texts = [*SEED_SENTENCES, PLACEHOLDER_SENTENCE]
    results = engine.translate(texts)
    assert engine.decode_calls == 1
    assert [r[0].text for r in results] == [nfkc(t) for t in texts]
    assert all(len(r) == 1 and r[0].score is not None for r in results)


def test_many_texts_one_decode_call(copy_dir: Path) -> None:
    engine = ArgosEngine(copy_dir)
    texts = [f"Punkt {i}: {s}" for i, s in enumerate(SEED_SENTENCES * 8)]
    results = engine.translate(texts)
    assert engine.decode_calls == 1
    assert [r[0].text for r in results] == [nfkc(t) for t in texts]
    engine.translate(texts[:3])
    assert engine.decode_calls == 2


def test_empty_input_makes_no_call(copy_dir: Path) -> None:
    engine = ArgosEngine(copy_dir)
    assert engine.translate([]) == []
    assert engine.decode_calls == 0
    blank = engine.translate(["", "  "])
    assert [[h.text for h in r] for r in blank] == [[""], [""]]
    assert engine.decode_calls == 0
    assert engine._translator is None  # the model is loaded lazily, on the first decode


def test_num_hypotheses_with_scores(copy_engine: ArgosEngine) -> None:
    results = copy_engine.translate(SEED_SENTENCES[:2], num_hypotheses=3)
    for text, hyps in zip(SEED_SENTENCES[:2], results, strict=True):
        assert len(hyps) == 3
        assert hyps[0].text == text
        scores = [h.score for h in hyps if h.score is not None]
        assert len(scores) == 3
        assert scores == sorted(scores, reverse=True)  # best first
        assert len({h.text for h in hyps}) == 3


def test_num_hypotheses_above_beam_size(copy_dir: Path) -> None:
    engine = ArgosEngine(copy_dir, beam_size=2)
    (hyps,) = engine.translate([SEED_SENTENCES[0]], num_hypotheses=5)
    assert len(hyps) == 5


def test_target_prefix_is_honoured(copy_engine: ArgosEngine) -> None:
    texts = [SEED_SENTENCES[0], SEED_SENTENCES[4]]
    results = copy_engine.translate(texts, target_prefixes=["Of course", None])
    assert results[0][0].text.startswith("Of course")
    assert results[0][0].text != texts[0]
    assert results[1][0].text == nfkc(texts[1])


def test_target_prefixes_must_match_texts(copy_engine: ArgosEngine) -> None:
    with pytest.raises(ValueError, match="target_prefixes"):
        copy_engine.translate(["a", "b"], target_prefixes=["x"])


def test_suppressed_sequence_is_avoided(copy_engine: ArgosEngine) -> None:
    # Suppression works on tokens: a word is suppressed in its word-initial form.
    text = SEED_SENTENCES[1]
    (plain,) = copy_engine.translate([text])
    (avoided,) = copy_engine.translate([text], suppress=["Soldaten"])
    assert " Soldaten " in plain[0].text
    assert " Soldaten " not in avoided[0].text
    assert avoided[0].text.endswith(" umfassen soll.")  # only that word changed


class _SpyTranslator:
    """Wrap a real ctranslate2.Translator and remember each translate_batch call."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[tuple[list[list[str]], dict[str, Any], list[Any]]] = []

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> list[Any]:
        results: list[Any] = self.inner.translate_batch(source, **kwargs)
        self.calls.append((source, kwargs, results))
        return results


def _spy(engine: ArgosEngine) -> _SpyTranslator:
    spy = _SpyTranslator(engine._get_translator())
    engine._translator = spy
    return spy


def test_decode_options(copy_dir: Path) -> None:
    engine = ArgosEngine(copy_dir)
    spy = _spy(engine)
    engine.translate(SEED_SENTENCES, num_hypotheses=2, target_prefixes=["Natürlich", *[None] * 4])
    ((source, kwargs, _),) = spy.calls
    longest = max(len(tokens) for tokens in source)
    assert kwargs["batch_type"] == "tokens"
    assert kwargs["max_batch_size"] == batch_tokens(sum(map(len, source)), engine.inter_threads)
    assert kwargs["beam_size"] == 4
    assert kwargs["num_hypotheses"] == 2
    assert kwargs["return_scores"] is True
    prefix = engine._encode(["Natürlich"])[0]
    assert kwargs["target_prefix"][0] == prefix
    assert kwargs["target_prefix"][1:] == [None] * 4
    assert kwargs["max_decoding_length"] == max_decoding_length(longest, len(prefix)) > longest
    assert kwargs["max_input_length"] == 0


def test_random_model_is_deterministic_and_capped(random_dir: Path) -> None:
    texts = [*SEED_SENTENCES, "Ja."]
    first = ArgosEngine(random_dir).translate(texts, num_hypotheses=2)
    assert first == ArgosEngine(random_dir).translate(texts, num_hypotheses=2)
    assert [h[0].text for h in first] != texts
    assert all(h.text for hyps in first for h in hyps)  # garbage, but something

    engine = ArgosEngine(random_dir)
    spy = _spy(engine)
    engine.translate(texts, num_hypotheses=2)
    ((source, kwargs, results),) = spy.calls
    cap = kwargs["max_decoding_length"]
    assert cap == max_decoding_length(max(len(tokens) for tokens in source))
    assert all(len(tokens) <= cap for r in results for tokens in r.hypotheses)


def test_length_cap_is_enforced(
    random_dir: Path, monkeypatch: pytest.MonkeyPatch, logs: LogRecords
) -> None:
    monkeypatch.setattr(argos, "MAX_DECODING_CAP", 5)
    engine = ArgosEngine(random_dir)
    spy = _spy(engine)
    engine.translate(SEED_SENTENCES)
    ((_, kwargs, results),) = spy.calls
    assert kwargs["max_decoding_length"] == 5
    assert all(len(tokens) <= 5 for r in results for tokens in r.hypotheses)
    assert any("hit the decoding length limit" in m for m in logs.messages)


def test_batch_tokens_spreads_work_over_workers() -> None:
    assert batch_tokens(30_000, 2) == 2048  # a big run: full sub-batches
    assert batch_tokens(7_400, 2) == 925  # every worker gets 4 sub-batches
    assert batch_tokens(300, 2) == 128  # never tiny matrix products
    assert batch_tokens(300, 0) == 128


def test_max_decoding_length_is_capped() -> None:
    assert max_decoding_length(10) == 40
    assert max_decoding_length(10, 5) == 45
    assert max_decoding_length(10_000) == 1024


def test_package_without_sentencepiece_is_rejected(copy_dir: Path, tmp_path: Path) -> None:
    bpe_only = tmp_path / "translate-de_en-bpe"
    shutil.copytree(copy_dir, bpe_only)
    (bpe_only / "sentencepiece.model").rename(bpe_only / "bpe.model")
    with pytest.raises(ModelError, match=r"translate-de_en-bpe.*no SentencePiece") as info:
        ArgosEngine(bpe_only)
    assert "bpe.model" in str(info.value)
    assert info.value.exit_code == ExitCode.MISSING_MODEL


def test_package_without_model_is_rejected(copy_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(copy_dir, broken)
    shutil.rmtree(broken / "model")
    with pytest.raises(ModelError, match="no CTranslate2 model"):
        ArgosEngine(broken)


def test_load_engine_without_model(models_dir: Path) -> None:
    with pytest.raises(MissingModelError) as info:
        load_engine("de", "en")
    message = str(info.value)
    assert "briefpack models install de en" in message
    assert "briefpack models install --file PATH.argosmodel" in message
    assert info.value.exit_code == ExitCode.MISSING_MODEL


def test_load_engine_uses_installed_package(models_dir: Path, tiny_copy_package: Path) -> None:
    install_from_file(tiny_copy_package)
    engine = load_engine("de", "en", beam_size=2)
    assert engine.info.package == "translate-de_en-tiny-copy"
    assert engine.info.beam_size == 2
    assert engine.package_dir.parent == models_dir
    assert engine.translate([SEED_SENTENCES[1]])[0][0].text == SEED_SENTENCES[1]


def test_engine_does_not_import_argostranslate_translate(
    models_dir: Path, tiny_copy_package: Path
) -> None:
    install_from_file(tiny_copy_package)  # in this process; the child only reads the folder
    script = (
        "import json, sys\n"
        "from briefpack.translation.engines.argos import load_engine\n"
        "engine = load_engine('de', 'en')\n"
        "out = engine.translate(['Natürlich kommt er.'])\n"
        "print(json.dumps({'text': out[0][0].text, 'mods': sorted(sys.modules)}))\n"
    )
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(models_dir)}
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["text"] == "Natürlich kommt er."
    assert "argostranslate.translate" not in report["mods"]
    assert "torch" not in report["mods"]
