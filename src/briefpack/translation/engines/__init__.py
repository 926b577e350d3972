"""Translation engines behind one small interface, chosen by name."""

from __future__ import annotations

from briefpack.translation.engines.base import Engine, EngineInfo, Hypothesis

__all__ = ["Engine", "EngineInfo", "Hypothesis"]
