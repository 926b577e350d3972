"""Helpers for tests and benchmarks that must run offline (no model downloads)."""

from __future__ import annotations
