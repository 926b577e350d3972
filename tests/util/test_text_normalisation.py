"""One normalisation of German text (util/text): NFC, no invisible characters, ligatures
spelled out, and nothing NFKC would wrongly change; segment keys of normal text unchanged."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from briefpack.source.load import load_content
from briefpack.source.segment import segment_key
from briefpack.util.paths import Project
from tests.support import copy_project


def test_clean_folds_only_what_is_safe_in_german() -> None:
    from briefpack.util.text import clean

    assert clean(unicodedata.normalize("NFD", "Müller Straße")) == "Müller Straße"
    invisible = "Si\u00adcher\u200bheits\u200c\u200dga\u2060ran\u200etie\u200f\ufeff"
    assert clean(invisible) == "Sicherheitsgarantie"
    assert clean("Au\ufb00orstung, \ufb01nden, \ufb02iegen, \ufb03, \ufb04") == (
        "Aufforstung, finden, fliegen, ffi, ffl"
    )
    # What NFKC would wrongly change stays as written.
    for kept in ("50 m²", "CO₂", "½ Stunde", "Nr.\u00a05", "Marke™", "ſ"):
        assert clean(kept) == kept


def test_segment_keys_of_normal_text_are_unchanged_and_invisible_characters_ignored() -> None:
    sentence = "Der Beitrag verbindet Äußerungen von Kaja Kallas."
    old_key = hashlib.sha256(sentence.encode("utf-8")).hexdigest()[:16]  # the stored keys
    assert segment_key(sentence) == old_key
    assert (
        segment_key("Der Bei\u00adtrag verbindet \u00c4u\u00dferungen von Kaja Kallas.") == old_key
    )
    assert segment_key(unicodedata.normalize("NFD", sentence)) == old_key
    from briefpack.util.text import normalize

    assert normalize("Si\u00adcher\u00a0heit") == "Sicher heit"


def test_every_reviewed_translation_of_the_demo_still_matches(tmp_path: Path) -> None:
    content = load_content(Project(copy_project(tmp_path / "p")), use_cache=False)
    assert content.pending(content.all_fields()) == []
