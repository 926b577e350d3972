"""Is a text German? Language identification for the `untranslated` check.

py3langid (a maintained, faster fork of langid.py; BSD; its naive Bayes model over byte
n-grams ships inside the wheel, so nothing is downloaded) is asked to choose between German
and English only. Short texts (a name, a title of three words) carry too little for any
identifier, so callers ask only about sentences that already look suspicious; loading the
model costs about a second, paid only then.
"""

from __future__ import annotations

from functools import cache
from typing import Any

MIN_WORDS = 4  # below this, language identification guesses
GERMAN_PROBABILITY = 0.75  # of German against English


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # lazy: numpy and the model

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["de", "en"])
    return identifier


def is_german(text: str) -> bool:
    """Return whether `text` (of MIN_WORDS words or more) is German rather than English."""
    if len(text.split()) < MIN_WORDS:
        return False
    language, probability = _identifier().classify(text)
    return bool(language == "de" and probability >= GERMAN_PROBABILITY)
