"""Where CTranslate2 decodes: `--device auto|cpu|cuda` and the compute type for that device.

`choose_device` is a pure function of what the probes report, so the choice is tested
without a GPU; `resolve_device` asks CTranslate2 (imported only then).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from briefpack.errors import UsageError
from briefpack.util.request import DEVICES  # the choices of `--device`, declared once

__all__ = ["DEVICES", "DeviceChoice", "choose_device", "resolve_device"]
# Fastest first. On a GPU, int8 weights with float16 activations halve memory against
# float16 at nearly the same quality (CTranslate2's recommendation for Transformer models);
# older GPUs without int8 support get float16. On a CPU, int8 is what Argos packages ship
# for and what the engine has always used.
PREFERENCE = {
    "cuda": ("int8_float16", "float16", "int8_float32", "int8", "float32"),
    "cpu": ("int8", "int8_float32", "float32"),
}


@dataclass(frozen=True)
class DeviceChoice:
    """The device and compute type to load a model with, and why."""

    device: str  # "cpu" or "cuda"
    compute_type: str
    reason: str


def choose_device(
    requested: str,
    *,
    cuda_devices: int,
    supported: Callable[[str], Collection[str]],
) -> DeviceChoice:
    """Return the device for `requested` given the GPU count and the supported compute types.

    `auto` picks CUDA when CTranslate2 sees a GPU whose compute types it can report, else
    the CPU. `cuda` without a usable GPU raises UsageError (exit 2).
    """
    if requested not in DEVICES:
        raise UsageError(f"unknown device {requested!r} (choose {', '.join(DEVICES)})")
    if requested in ("auto", "cuda"):
        problem = ""
        if cuda_devices < 1:
            problem = "CTranslate2 finds no CUDA device"
        else:
            try:
                types = set(supported("cuda"))
            except (RuntimeError, ValueError) as exc:  # e.g. a driver older than the runtime
                types, problem = set(), f"CUDA is not usable: {exc}"
            for compute_type in PREFERENCE["cuda"]:
                if compute_type in types:
                    return DeviceChoice(
                        "cuda", compute_type, f"{cuda_devices} CUDA device(s), {compute_type}"
                    )
            problem = problem or "the CUDA device supports none of " + ", ".join(PREFERENCE["cuda"])
        if requested == "cuda":
            raise UsageError(f"--device cuda: {problem}; use --device cpu (or auto)")
        fallback = f"{problem}; "
    else:
        fallback = ""
    try:
        types = set(supported("cpu"))
    except (RuntimeError, ValueError):
        types = set()
    for compute_type in PREFERENCE["cpu"]:
        if compute_type in types:
            return DeviceChoice("cpu", compute_type, f"{fallback}CPU, {compute_type}")
    return DeviceChoice("cpu", "default", f"{fallback}CPU, CTranslate2's default compute type")


def resolve_device(requested: str = "auto") -> DeviceChoice:
    """Return the device for `requested` on this machine (imports ctranslate2)."""
    if requested not in DEVICES:
        raise UsageError(f"unknown device {requested!r} (choose {', '.join(DEVICES)})")
    if requested == "cpu":
        return choose_device("cpu", cuda_devices=0, supported=_supported)
    import ctranslate2

    try:
        count = int(ctranslate2.get_cuda_device_count())
    except RuntimeError:
        count = 0
    return choose_device(requested, cuda_devices=count, supported=_supported)


def _supported(device: str) -> set[str]:
    import ctranslate2

    return set(ctranslate2.get_supported_compute_types(device))
