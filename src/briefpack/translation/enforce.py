"""Hold machine translation to the glossary: protect, decode, choose, post-edit, verify.

Neither Argos Translate nor CTranslate2 supports lexical constraints, so the approved
terms are enforced around the decoder, and the result is checked, not assumed:

1. protect: a glossary term that is a whole German word (or phrase) is replaced by a
   placeholder `⟦T1⟧` before decoding (no `_`: decoding turns it into a space), in the
   first style of `STYLES` the installed model's tokenizer keeps intact;
2. decode: every pending segment of the run in ONE engine call, with the `avoid` variants of
   the matched terms suppressed and, when a segment has terms, several hypotheses;
3. choose: per segment, the hypothesis with the fewest terminology findings after
   restoring placeholders and post-editing (ties: the decoder's order);
   a hypothesis that dropped or mangled a placeholder is also tried realigned: the
   output pieces the decoder's attention links to the placeholder are replaced by it;
   every restored term is put in the grammatical number of its German occurrence;
4. post-edit: an `avoid` variant still present is replaced by the approved term;
5. verify: the terminology checks of `qa.terms` run on the result; what still misses a term
   (or has it in the wrong number) is returned as a
   violation for the caller to report.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from briefpack.glossary.english import english_for, find_avoided
from briefpack.glossary.match import TermMatch
from briefpack.glossary.model import Glossary
from briefpack.qa.pair import Finding, check_terms
from briefpack.translation.engines.base import Engine, Hypothesis
from briefpack.translation.engines.placeholders import DEFAULT_STYLE, STYLES, PlaceholderStyle

TERM_CODES = ("term-missing", "term-number", "avoid-used", "keep-altered")
N_BEST = 4


@dataclass(frozen=True)
class Protected:
    """A German segment with whole-word glossary terms replaced by placeholders."""

    original: str
    text: str
    placeholders: dict[str, TermMatch]
    matches: tuple[TermMatch, ...]
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # token -> span in `text`
    style: PlaceholderStyle = DEFAULT_STYLE


@dataclass(frozen=True)
class Enforced:
    """The chosen English for one segment and what still violates the glossary."""

    text: str
    violations: tuple[Finding, ...]


def placeholder(n: int, style: PlaceholderStyle = DEFAULT_STYLE) -> str:
    """Return the n-th placeholder token."""
    return style.token(n)


def protect(
    text: str, matches: Sequence[TermMatch], style: PlaceholderStyle = DEFAULT_STYLE
) -> Protected:
    """Replace whole-word matches (not parts of compounds) by numbered placeholders."""
    whole = sorted((m for m in matches if not m.compound), key=lambda m: m.start)
    numbered = [(style.token(i), m) for i, m in enumerate(whole, 1)]
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    last = pos = 0
    for token, m in numbered:
        parts.append(text[last : m.start])
        pos += m.start - last
        spans[token] = (pos, pos + len(token))
        parts.append(token)
        pos += len(token)
        last = m.end
    parts.append(text[last:])
    placeholders = dict(numbered)
    return Protected(text, "".join(parts), placeholders, tuple(matches), spans, style)


def restore(english: str, protected: Protected) -> str:
    """Put each term's approved English, in the German occurrence's number, at its placeholder."""

    def sub(match: re.Match[str]) -> str:
        found = protected.placeholders.get(protected.style.token(int(match.group(1))))
        if found is None:
            return match.group(0)  # an invented placeholder stays visible: verify flags it
        return english_for(found)

    restored = protected.style.pattern.sub(sub, english)
    return _capitalise_start(restored)


def realign(hypothesis: Hypothesis, protected: Protected) -> str:
    """Put back placeholders the decoder dropped or mangled, where the alignment says.

    Each output piece is linked to the source piece it attended to most. The output pieces
    linked to a lost placeholder are where the model rendered it: they are replaced by the
    placeholder; if none is, it goes after the last output piece linked to source text
    before it. Returns the hypothesis text unchanged without an alignment.
    """
    text = hypothesis.text
    if not hypothesis.alignment:
        return text
    style = protected.style
    present = {style.token(int(m.group(1))) for m in style.pattern.finditer(text)}
    edits: list[tuple[int, int, str]] = []
    for token, (p_start, p_end) in protected.spans.items():
        if token in present:
            continue
        linked = [
            (t_start, t_end)
            for t_start, t_end, s_start, s_end in hypothesis.alignment
            if s_start < p_end and p_start < s_end
        ]
        if linked:
            start, end = min(a for a, _ in linked), max(b for _, b in linked)
        else:
            before = [t_end for _, t_end, s_start, _ in hypothesis.alignment if s_start < p_start]
            start = end = max(before, default=0)
        if any(start < e and s < end for s, e, _ in edits):
            continue
        edits.append((start, end, token))
    for start, end, token in sorted(edits, reverse=True):
        left = "" if start == 0 or text[start - 1 : start].isspace() else " "
        right = "" if end >= len(text) or text[end : end + 1].isspace() else " "
        if start == end:
            left, right = (" " if start else ""), ("" if start else " ")
        text = text[:start] + left + token + right + text[end:]
    return " ".join(text.split())


def post_edit(english: str, matches: Sequence[TermMatch]) -> str:
    """Replace `avoid` variants of matched terms by the approved English, in the right number."""
    out = english
    for m in matches:
        term = m.entry
        for variant in find_avoided(term, out):
            target = english_for(m)
            pattern = re.compile(rf"(?<!\w){re.escape(variant)}(s|es)?(?!\w)", re.IGNORECASE)
            out = pattern.sub(_replacer(target, m), out)
    return out


def _replacer(target: str, match: TermMatch) -> Callable[[re.Match[str]], str]:
    def replace(found: re.Match[str]) -> str:
        text = target
        if match.number is None and found.group(1):
            # German does not say; the avoided word was plural ("truces"): keep the plural.
            text = english_for(replace_number(match, "pl"))
        return _same_case(found.group(0), text)

    return replace


def replace_number(match: TermMatch, number: str) -> TermMatch:
    """Return `match` as if its German occurrence had `number`."""
    return dataclasses.replace(match, number=number, base_number=match.base_number or "sg")


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
    # The terms themselves, not `check_pair`: its "untranslated" verdict would hide them.
    found = check_terms(english, list(matches)) if german.strip() and english.strip() else []
    if english.strip() == "" and matches:
        found = [Finding("term-missing", "the English is empty")]
    leftover = tuple(f for f in found if f.code in TERM_CODES)
    if any(style.pattern.search(english) for style in STYLES):
        leftover += (Finding("term-missing", "a placeholder was not restored"),)
    return leftover


def choose(hypotheses: Sequence[Hypothesis], protected: Protected, glossary: Glossary) -> Enforced:
    """Return the hypothesis with the fewest terminology violations (decoder order on ties)."""
    best: Enforced | None = None
    for hyp in hypotheses or [Hypothesis("")]:
        for raw in _readings(hyp, protected):
            text = post_edit(restore(raw, protected), protected.matches)
            found = violations(protected.original, text, glossary, protected.matches)
            if best is None or len(found) < len(best.violations):
                best = Enforced(text, found)
            if not found:
                return best
    assert best is not None
    return best


def _readings(hyp: Hypothesis, protected: Protected) -> list[str]:
    """Return the hypothesis as decoded and, if it lost a placeholder, realigned."""
    present = {int(m.group(1)) for m in protected.style.pattern.finditer(hyp.text)}
    if len(present) >= len(protected.placeholders) or not hyp.alignment:
        return [hyp.text]
    return [hyp.text, realign(hyp, protected)]


def translate_enforced(
    engine: Engine,
    texts: Sequence[str],
    matches: Sequence[Sequence[TermMatch]],
    glossary: Glossary,
) -> list[Enforced]:
    """Translate `texts` in one engine call and hold each result to the glossary."""
    style = getattr(engine, "placeholder_style", None) or DEFAULT_STYLE
    protected = [protect(t, m, style) for t, m in zip(texts, matches, strict=True)]
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
        [p.text for p in protected],
        num_hypotheses=n_best,
        suppress=suppress,
        with_alignment=any(p.placeholders for p in protected),
    )
    return [choose(hyps, p, glossary) for hyps, p in zip(results, protected, strict=True)]
