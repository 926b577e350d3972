"""Translation QA on German/English segment pairs: terminology, numbers, completeness.

`check_pair(de, en, glossary)` returns findings with these codes:

- ``empty``: the German has text, the English is empty.
- ``untranslated``: the English is the German copied unchanged (and the German contains a
  German function word, so names, acronyms and numbers alone are not flagged), or the English
  still contains at least three distinct German-only function words ("und", "nicht", …).
  Nothing else is checked for such a pair.
- ``term-missing``: a glossary term found in the German lacks its approved English.
- ``keep-altered``: a ``keep`` term does not appear unchanged in the English.
- ``avoid-used``: the English uses an ``avoid`` variant of a term found in the German.
- ``number-mismatch``: a number differs between the two sides.

Numbers are compared by `briefpack.qa.numbers`, which also reports ``magnitude-mismatch``
(„100 Mrd.“ → "100 million"), ``month-mismatch`` („4. März“ → "4 May") and
``number-word-mismatch`` („zwei Drittel“ → "three quarters"); its docstring says how.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefpack.glossary.match import TermMatch
from briefpack.glossary.model import Glossary
from briefpack.qa.finding import CODES, Finding
from briefpack.qa.numbers import check_numbers
from briefpack.qa.terms import check_terms, check_untranslated

__all__ = ["CODES", "Finding", "check_numbers", "check_pair", "check_terms", "check_untranslated"]


def check_pair(
    de: str, en: str, glossary: Glossary, *, matches: Sequence[TermMatch] | None = None
) -> list[Finding]:
    """Return the QA findings for one German segment and its English translation.

    Pass `matches` when the caller already ran `glossary.find(de)`.
    """
    if not de.strip():
        return []
    if not en.strip():
        return [Finding("empty", "the English translation is empty")]
    untranslated = check_untranslated(de, en)
    if untranslated:
        return untranslated
    found = glossary.find(de) if matches is None else matches
    return check_terms(en, found) + check_numbers(de, en)
