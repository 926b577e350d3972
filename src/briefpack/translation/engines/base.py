"""The engine interface: German segments in, English hypotheses with scores out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class EngineInfo:
    """What produced a translation; stored as provenance in the translation memory."""

    engine: str  # "argos", "scripted", …
    package: str | None = None  # model package name
    version: str | None = None  # model package version
    beam_size: int = 4

    def label(self) -> str:
        """Return a short human label, e.g. `argos translate-de_en 1.0 (beam 4)`."""
        parts = [self.engine]
        if self.package:
            parts.append(self.package)
        if self.version:
            parts.append(self.version)
        return " ".join(parts) + f" (beam {self.beam_size})"


@dataclass(frozen=True)
class Hypothesis:
    """One candidate translation; `score` is the model's log-probability when known."""

    text: str
    score: float | None = None
    # Per output piece: (start, end) in `text` and (start, end) in the input of the source
    # piece it attends to most. Only when asked for (`with_alignment`) and known.
    alignment: tuple[tuple[int, int, int, int], ...] | None = None


class Engine(Protocol):
    """A German→English translator.

    `translate` receives every pending segment of a run at once, so an engine can decode
    them in one batched call. It returns, per input, `num_hypotheses` candidates best first.
    `target_prefixes` (same length as `texts`, `None` entries allowed) forces the start of
    the output; `suppress` lists English sequences the decoder must not produce;
    `with_alignment` asks for `Hypothesis.alignment` (an engine may ignore it). An engine may
    also have a `placeholder_style` (`translation.enforce.PlaceholderStyle`) its tokenizer
    keeps intact.
    """

    info: EngineInfo

    def translate(
        self,
        texts: Sequence[str],
        *,
        num_hypotheses: int = 1,
        target_prefixes: Sequence[str | None] | None = None,
        suppress: Sequence[str] = (),
        with_alignment: bool = False,
    ) -> list[list[Hypothesis]]: ...
