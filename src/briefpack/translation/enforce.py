"""Hold machine translation to the glossary: protect, decode, choose, post-edit, verify.

Neither Argos Translate nor CTranslate2 supports lexical constraints, so the approved
terms are enforced around the decoder, and the result is checked, not assumed:

1. protect: a glossary term that is a whole German word (or phrase) is replaced by a
   placeholder `⟦T1⟧` before decoding (no `_`: decoding turns it into a space);
2. decode: every pending segment of the run in ONE engine call, with the `avoid` variants of
   the matched terms suppressed and, when a segment has terms, several hypotheses;
3. choose: per segment, the hypothesis with the fewest terminology findings after
   restoring placeholders and post-editing (ties: the decoder's order);
4. post-edit: an `avoid` variant still present is replaced by the approved term;
5. verify: `qa.check_pair` runs on the result; what still misses a term is returned as a
   violation for the caller to report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefpack.glossary.english import find_avoided
from briefpack.glossary.match import TermMatch
from briefpack.glossary.model import Glossary, Term
from briefpack.qa.pair import Finding, check_pair
from briefpack.translation.engines.base import Engine, Hypothesis

TERM_CODES = ("term-missing", "avoid-used", "keep-altered")
N_BEST = 4


@dataclass(frozen=True)
class Protected:
    """A German segment with whole-word glossary terms replaced by placeholders."""

    original: str
    text: str
    placeholders: dict[str, Term]
    matches: tuple[TermMatch, ...]


@dataclass(frozen=True)
class Enforced:
    """The chosen English for one segment and what still violates the glossary."""

    text: str
    violations: tuple[Finding, ...]


def placeholder(n: int) -> str:
    """Return the n-th placeholder token."""
    return f"⟦T{n}⟧"


_PLACEHOLDER = re.compile(r"⟦\s*T\s*(\d+)\s*⟧")


def protect(text: str, matches: Sequence[TermMatch]) -> Protected:
    """Replace whole-word matches (not parts of compounds) by numbered placeholders."""
    placeholders: dict[str, Term] = {}
    out = text
    whole = [m for m in matches if not m.compound]
    # Number left to right, replace right to left so offsets stay valid.
    numbered = [(placeholder(i), m) for i, m in enumerate(sorted(whole, key=lambda m: m.start), 1)]
    for token, m in reversed(numbered):
        out = out[: m.start] + token + out[m.end :]
        placeholders[token] = m.entry
    return Protected(text, out, dict(sorted(placeholders.items())), tuple(matches))


def restore(english: str, protected: Protected) -> str:
    """Put each term's approved English where its placeholder came back."""

    def sub(match: re.Match[str]) -> str:
        term = protected.placeholders.get(placeholder(int(match.group(1))))
        if term is None:
            return match.group(0)  # an invented placeholder stays visible: verify flags it
        return term.de if term.keep else term.en

    restored = _PLACEHOLDER.sub(sub, english)
    return _capitalise_start(restored)


def post_edit(english: str, matches: Sequence[TermMatch]) -> str:
    """Replace `avoid` variants of matched terms by the approved English."""
    out = english
    for m in matches:
        term = m.entry
        for variant in find_avoided(term, out):
            target = term.de if term.keep else term.en
            pattern = re.compile(rf"(?<!\w){re.escape(variant)}(?!\w)", re.IGNORECASE)
            out = pattern.sub(_replacer(target), out)
    return out


def _replacer(target: str) -> Callable[[re.Match[str]], str]:
    return lambda found: _same_case(found.group(0), target)


def _same_case(found: str, target: str) -> str:
    if found[:1].isupper() and target[:1].islower():
        return target[:1].upper() + target[1:]
    return target


def _capitalise_start(text: str) -> str:
    stripped = text.lstrip()
    if stripped[:1].islower():
        i = len(text) - len(stripped)
        return text[:i] + stripped[0].upper() + stripped[1:]
    return text


def violations(
    german: str, english: str, glossary: Glossary, matches: Sequence[TermMatch]
) -> tuple[Finding, ...]:
    """Return the terminology findings of a translated segment."""
    found = check_pair(german, english, glossary, matches=list(matches))
    leftover = tuple(f for f in found if f.code in TERM_CODES)
    if _PLACEHOLDER.search(english):
        leftover += (Finding("term-missing", "a placeholder was not restored"),)
    return leftover


def choose(hypotheses: Sequence[Hypothesis], protected: Protected, glossary: Glossary) -> Enforced:
    """Return the hypothesis with the fewest terminology violations (decoder order on ties)."""
    best: Enforced | None = None
    for hyp in hypotheses or [Hypothesis("")]:
        text = post_edit(restore(hyp.text, protected), protected.matches)
        found = violations(protected.original, text, glossary, protected.matches)
        if best is None or len(found) < len(best.violations):
            best = Enforced(text, found)
        if not found:
            break
    assert best is not None
    return best


def translate_enforced(
    engine: Engine,
    texts: Sequence[str],
    matches: Sequence[Sequence[TermMatch]],
    glossary: Glossary,
) -> list[Enforced]:
    """Translate `texts` in one engine call and hold each result to the glossary."""
    protected = [protect(t, m) for t, m in zip(texts, matches, strict=True)]
    any_terms = any(p.matches for p in protected)
    approved = " | ".join(m.entry.en.lower() for p in protected for m in p.matches)
    # Never suppress a variant that is part of an approved rendering ("envoy" in
    # "special envoy"): CTranslate2 applies suppression to the whole batch.
    suppress = sorted(
        {
            v
            for p in protected
            for m in p.matches
            for v in m.entry.avoid
            if v.lower() not in approved
        }
    )
    n_best = min(N_BEST, engine.info.beam_size) if any_terms else 1
    results = engine.translate(
        [p.text for p in protected], num_hypotheses=n_best, suppress=suppress
    )
    return [choose(hyps, p, glossary) for hyps, p in zip(results, protected, strict=True)]
