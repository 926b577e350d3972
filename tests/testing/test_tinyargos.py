"""The tiny offline Argos packages that tests and the benchmark decode with."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefpack.source.segment import split_paragraphs, split_sentences
from briefpack.testing.tinyargos import build_package, train_sentencepiece


def _sentences(texts: list[str]) -> list[str]:
    return [s for text in texts for p in split_paragraphs(text) for s in split_sentences(p)]


def test_archive_layout(tiny_copy_package: Path) -> None:
    assert tiny_copy_package.name == "translate-de_en-tiny-copy.argosmodel"
    with zipfile.ZipFile(tiny_copy_package) as archive:
        names = archive.namelist()
        assert {n.split("/")[0] for n in names} == {"translate-de_en-tiny-copy"}
        root = "translate-de_en-tiny-copy/"
        for member in ("metadata.json", "sentencepiece.model", "model/model.bin"):
            assert root + member in names
        assert not any("/spacy/" in n for n in names)
        metadata = json.loads(archive.read(root + "metadata.json"))
    assert metadata["type"] == "translate"
    assert (metadata["from_code"], metadata["to_code"]) == ("de", "en")
    assert metadata["package_version"] == "0.0.1"


def test_build_is_deterministic(
    seed_texts: list[str], tiny_random_package: Path, tmp_path: Path
) -> None:
    again = build_package(tmp_path, kind="random", texts=seed_texts)  # as the session's fixture
    assert again.name == tiny_random_package.name
    assert again.read_bytes() == tiny_random_package.read_bytes()


def test_sentencepiece_is_trained_like_a_real_argos_package(seed_texts: list[str]) -> None:
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as model_pb2

    model = train_sentencepiece(seed_texts)
    assert model == train_sentencepiece(seed_texts)
    proto = model_pb2.ModelProto()
    proto.ParseFromString(model)
    assert proto.trainer_spec.character_coverage == pytest.approx(0.9995)
    assert not proto.trainer_spec.byte_fallback
    assert not proto.trainer_spec.user_defined_symbols
    user_defined = model_pb2.ModelProto.SentencePiece.USER_DEFINED
    assert not [p.piece for p in proto.pieces if p.type == user_defined]
    assert proto.normalizer_spec.name == "nmt_nfkc"  # SentencePiece's default
    sp = spm.SentencePieceProcessor(model_proto=model)
    # Ordinary German round-trips; NBSP is normalised to a space, as in real packages.
    text = "Laut Selenskyj: 800\u00a0000 Soldaten, „Zitat“, Gebietsabtretungen."
    assert sp.decode(sp.encode(text)) == text.replace("\u00a0", " ")
    # A rare symbol is an unknown piece, not an atomic one: placeholders must cope.
    assert sp.unk_id() in sp.encode("⟦T1⟧")


@pytest.mark.slow  # decodes with CTranslate2, twice
def test_copy_model_copies_seed_sentences(
    tiny_copy_package: Path, seed_texts: list[str], tmp_path: Path
) -> None:
    import ctranslate2
    import sentencepiece as spm

    with zipfile.ZipFile(tiny_copy_package) as archive:
        archive.extractall(tmp_path)
    root = tmp_path / "translate-de_en-tiny-copy"
    sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    sentences = _sentences(seed_texts)[::6]  # a spread of real sentences, to keep it quick
    sources = sp.encode(sentences, out_type=str)
    for compute_type in ("int8", "float32"):
        translator = ctranslate2.Translator(str(root / "model"), compute_type=compute_type)
        results = translator.translate_batch(
            sources, beam_size=4, max_decoding_length=512, max_input_length=0
        )
        copies = [sp.decode_pieces(r.hypotheses[0]) for r in results]
        # What the model saw: the sentences as the (NFKC-normalising) tokenizer reads them.
        assert copies == [sp.decode(sp.encode(s)) for s in sentences], compute_type


@pytest.mark.slow  # decodes with CTranslate2
def test_random_model_output_is_about_as_long_as_the_input(
    tiny_random_package: Path, seed_texts: list[str], tmp_path: Path
) -> None:
    import ctranslate2
    import sentencepiece as spm

    with zipfile.ZipFile(tiny_random_package) as archive:
        archive.extractall(tmp_path)
    root = tmp_path / "translate-de_en-tiny-random"
    sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    sentences = _sentences(seed_texts)[:20]
    sources = sp.encode(sentences, out_type=str)
    translator = ctranslate2.Translator(str(root / "model"), compute_type="int8")
    results = translator.translate_batch(sources, beam_size=4, max_decoding_length=512)
    outputs = [r.hypotheses[0] for r in results]
    # The source </s> forces the end at the latest; beam search may end garbage earlier.
    assert all(0 < len(o) <= len(s) for o, s in zip(outputs, sources, strict=True))
    assert sum(map(len, outputs)) > 0.5 * sum(map(len, sources))
    assert all(o != s for o, s in zip(outputs, sources, strict=True))


@pytest.mark.slow
def test_base_size_copies_through_six_layers(seed_texts: list[str], tmp_path: Path) -> None:
    from briefpack.translation.engines.argos import ArgosEngine

    package = build_package(tmp_path, kind="copy", texts=seed_texts, size="base")
    with zipfile.ZipFile(package) as archive:
        archive.extractall(tmp_path)
        config = json.loads(archive.read("translate-de_en-base-copy/model/config.json"))
    assert config["add_source_eos"] is True
    engine = ArgosEngine(tmp_path / "translate-de_en-base-copy")
    sentences = _sentences(seed_texts)[::60]
    assert [r[0].text for r in engine.translate(sentences)] == sentences


def test_with_spacy_adds_a_blank_pipeline(seed_texts: list[str], tmp_path: Path) -> None:
    package = build_package(
        tmp_path, kind="random", texts=seed_texts[:1], with_spacy=True, name="p", version="2.0"
    )
    assert package.name == "p.argosmodel"
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        metadata = json.loads(archive.read("p/metadata.json"))
    assert "p/spacy/config.cfg" in names
    assert metadata["package_version"] == "2.0"


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown package kind"):
        build_package(tmp_path, kind="huge", texts=["Ja."])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown package size"):
        build_package(tmp_path, kind="copy", texts=["Ja."], size="big")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one non-empty line"):
        build_package(tmp_path, kind="copy", texts=["", "  \n"])


def test_import_is_cheap() -> None:
    script = (
        "import sys\n"
        "import briefpack.testing.tinyargos\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ctranslate2', 'torch'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
