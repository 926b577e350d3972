"""`--device auto|cpu|cuda`: the choice of device and compute type, without a GPU."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.errors import ExitCode, UsageError
from briefpack.translation import device as device_mod
from briefpack.translation.device import choose_device, resolve_device

GPU_TYPES = {"float32", "float16", "int8", "int8_float16", "int8_float32", "bfloat16"}
CPU_TYPES = {"float32", "int8", "int8_float32"}


def supported(cuda: Collection[str] | Exception) -> object:
    def probe(device: str) -> Collection[str]:
        if device == "cpu":
            return CPU_TYPES
        if isinstance(cuda, Exception):
            raise cuda
        return cuda

    return probe


def test_auto_picks_the_gpu_with_int8_float16() -> None:
    choice = choose_device("auto", cuda_devices=1, supported=supported(GPU_TYPES))
    assert (choice.device, choice.compute_type) == ("cuda", "int8_float16")


def test_an_old_gpu_without_int8_gets_float16() -> None:
    choice = choose_device("cuda", cuda_devices=2, supported=supported({"float32", "float16"}))
    assert (choice.device, choice.compute_type) == ("cuda", "float16")


def test_auto_without_a_gpu_uses_the_cpu_with_int8() -> None:
    choice = choose_device("auto", cuda_devices=0, supported=supported(GPU_TYPES))
    assert (choice.device, choice.compute_type) == ("cpu", "int8")
    assert "no CUDA device" in choice.reason


def test_auto_with_a_broken_driver_falls_back_to_the_cpu() -> None:
    broken = RuntimeError("CUDA driver version is insufficient for CUDA runtime version")
    choice = choose_device("auto", cuda_devices=1, supported=supported(broken))
    assert (choice.device, choice.compute_type) == ("cpu", "int8")
    assert "insufficient" in choice.reason


def test_cpu_is_the_cpu_even_with_a_gpu() -> None:
    choice = choose_device("cpu", cuda_devices=1, supported=supported(GPU_TYPES))
    assert (choice.device, choice.compute_type) == ("cpu", "int8")


@pytest.mark.parametrize("cuda", [0, 1])
def test_cuda_without_a_usable_gpu_is_a_usage_error(cuda: int) -> None:
    with pytest.raises(UsageError, match=r"--device cuda: .*--device cpu") as err:
        choose_device("cuda", cuda_devices=cuda, supported=supported(RuntimeError("no driver")))
    assert err.value.exit_code == ExitCode.USAGE


def test_unknown_device() -> None:
    with pytest.raises(UsageError, match="unknown device 'gpu'"):
        choose_device("gpu", cuda_devices=0, supported=supported(GPU_TYPES))


def test_resolve_device_asks_ctranslate2(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    monkeypatch.setattr(
        ctranslate2,
        "get_supported_compute_types",
        lambda d: GPU_TYPES if d == "cuda" else CPU_TYPES,
    )
    assert resolve_device("auto").device == "cuda"
    assert resolve_device("cpu").device == "cpu"
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    assert resolve_device("auto").device == "cpu"
    with pytest.raises(UsageError):
        resolve_device("cuda")


def test_this_machine_resolves_to_what_ctranslate2_reports() -> None:
    import ctranslate2

    choice = resolve_device("auto")
    assert choice.device == ("cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu")
    assert choice.compute_type in ctranslate2.get_supported_compute_types(choice.device)
    assert device_mod.PREFERENCE[choice.device][0] in {"int8", "int8_float16"}


def test_translate_device_cuda_without_gpu_exits_2(
    tmp_path: Path, models_dir: Path, tiny_copy_package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ctranslate2

    from briefpack.translation.packages import install_from_file
    from tests.support import copy_project

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    install_from_file(tiny_copy_package)
    root = copy_project(tmp_path / "p")
    text = (root / "briefings" / "mearsheimer-diplomatie.yaml").read_text("utf-8")
    (root / "briefings" / "mearsheimer-diplomatie.yaml").write_text(
        text.replace(
            "key_points:\n", "key_points:\n  - Ein ganz neuer Satz ohne Übersetzung.\n", 1
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["translate", "--project", str(root), "--device", "cuda"])
    assert result.exit_code == 2, result.output
    assert "error: --device cuda: CTranslate2 finds no CUDA device" in result.stderr
    result = CliRunner().invoke(app, ["translate", "--project", str(root), "--device", "cpu"])
    assert result.exit_code == 0, result.output
    assert "translated 1 segment(s)" in result.stdout
