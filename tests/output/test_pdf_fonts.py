"""Embedded fonts carry the pack's date: PDFs are byte-stable with and without hb-subset."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from fontTools.ttLib import TTFont

from briefpack.output.pdf import epoch_for, render_pdf, stamp_font
from briefpack.output.theme import PACKAGED
from tests.conftest import LogRecords

TEMPLATES = PACKAGED
FONTS = TEMPLATES / "assets" / "fonts"
FONT_EPOCH_OFFSET = 2_082_844_800  # 1904-01-01 to 1970-01-01, in seconds
EPOCH = 1_767_225_600  # 2026-01-01 00:00 UTC

HTML = """<!doctype html><html lang="de"><head><meta charset="utf-8">
<link rel="stylesheet" href="style.css"></head><body>
<h1>Sicherheitsgarantien</h1><p>Die Ukraine fordert belastbare Sicherheitsgarantien.</p>
<p><em>Waffenstillstand</em> und <strong>Gebietsabtretungen</strong>.</p></body></html>"""


def reread(data: bytes) -> TTFont:
    # checkChecksums=2: fontTools raises on a table whose checksum does not match.
    return TTFont(io.BytesIO(data), checkChecksums=2)


@pytest.mark.parametrize("name", ["CharisSIL-Regular.ttf", "Inter-Regular.otf"])
def test_stamp_font_sets_modified_and_keeps_the_font_valid(name: str) -> None:
    original = (FONTS / name).read_bytes()
    stamped = stamp_font(original, EPOCH)
    assert len(stamped) == len(original) and stamped != original
    font = reread(stamped)
    assert font["head"].modified == EPOCH + FONT_EPOCH_OFFSET
    assert font["head"].created == reread(original)["head"].created
    # OpenType: with checkSumAdjustment in place, the words of the whole font sum to this.
    words = stamped + b"\0" * (-len(stamped) % 4)
    total = sum(int.from_bytes(words[i : i + 4], "big") for i in range(0, len(words), 4))
    assert total & 0xFFFFFFFF == 0xB1B0AFBA
    assert stamp_font(stamped, EPOCH) == stamped  # idempotent


def test_stamp_font_leaves_other_data_alone() -> None:
    for data in (b"", b"%PDF-1.7", b"ttcf" + bytes(40), b"\x00\x01\x00\x00\x00\x01"):
        assert stamp_font(data, EPOCH) == data


def embedded_fonts(pdf: bytes) -> list[TTFont]:
    from pypdf import PdfReader

    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()
            descriptor = (
                descriptor.get("/FontDescriptor")
                or descriptor["/DescendantFonts"][0]["/FontDescriptor"]
            )
            for key in ("/FontFile2", "/FontFile3"):
                if key in descriptor:
                    found.append(reread(descriptor[key].get_data()))
    return found


def render(monkeypatch: pytest.MonkeyPatch, clock: int) -> tuple[bytes, list[str]]:
    # fontTools stamps fonts with SOURCE_DATE_EPOCH when it is set, else with the clock:
    # two different values stand for two builds at two different times.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(clock))
    result = render_pdf(HTML, templates_dir=TEMPLATES, epoch=EPOCH)
    return result.data, result.warnings


def force_fonttools(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make WeasyPrint subset with fontTools, as on a machine without libharfbuzz-subset0."""
    import weasyprint
    import weasyprint.pdf.fonts as wp_fonts

    # WeasyPrint binds the dlopen()ed library (or None) at import time and takes the
    # fontTools path when it is None; pinned to the release whose code was read.
    assert weasyprint.__version__.split(".")[0] == "70", weasyprint.__version__
    assert hasattr(wp_fonts, "harfbuzz_subset")
    monkeypatch.setattr(wp_fonts, "harfbuzz_subset", None)


@pytest.mark.slow
def test_pdf_is_byte_identical_at_different_times_with_fonttools(
    monkeypatch: pytest.MonkeyPatch, logs: LogRecords
) -> None:
    force_fonttools(monkeypatch)
    first, warnings = render(monkeypatch, 1_000_000_000)
    second, _ = render(monkeypatch, 1_900_000_000)
    assert first == second
    assert any("fontTools instead of HarfBuzz-Subset" in w for w in warnings), warnings
    assert logs.messages  # the same warning, a finding for `--strict`
    fonts = embedded_fonts(first)
    assert len(fonts) >= 3  # Charis regular, italic, bold, and Inter
    assert {f["head"].modified for f in fonts} == {EPOCH + FONT_EPOCH_OFFSET}


@pytest.mark.slow
def test_pdf_is_byte_identical_at_different_times_with_harfbuzz(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weasyprint.pdf.fonts as wp_fonts

    if wp_fonts.harfbuzz_subset is None:
        pytest.skip("libharfbuzz-subset0 is not installed (./dev installs it)")
    first, warnings = render(monkeypatch, 1_000_000_000)
    second, _ = render(monkeypatch, 1_900_000_000)
    assert first == second
    assert not warnings, warnings
    assert {f["head"].modified for f in embedded_fonts(first)} == {EPOCH + FONT_EPOCH_OFFSET}


def test_epoch_is_the_packs_date() -> None:
    assert epoch_for(dt.date(2026, 1, 1)) == EPOCH
