"""Exports are valid XLIFF 2.1/1.2 and TMX 1.4b and read back unit for unit by another tool.

Validation uses the shipped schemas strictly (no foreign attributes allowed, unlike import);
the independent reader is translate-toolkit (GPL-3.0, a test-only dependency: briefpack
never imports it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.translation.exchange import tmx as tmx_module
from briefpack.translation.exchange.xliff import SCHEMA_2, SCHEMA_12, schema
from briefpack.util.xmlio import load_dtd, read_xml
from tests.support import entries, machine_project

runner = CliRunner()


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return machine_project(tmp_path_factory.mktemp("conf") / "p")


def _export(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_xliff_export_is_valid_and_read_back_by_translate_toolkit(
    root: Path, tmp_path: Path, version: str
) -> None:
    from translate.storage import xliff, xliff2

    out = tmp_path / "all.xlf"
    _export("xliff", "export", "--all", "--version", version, "-o", str(out), "-p", str(root))
    tree = read_xml(out, out.name)
    strict = schema(SCHEMA_2 if version == "2.1" else SCHEMA_12)
    assert strict.validate(tree), strict.error_log  # type: ignore[attr-defined]

    data = out.read_bytes()
    store = (
        xliff2.Xliff2File.parsestring(data)
        if version == "2.1"
        else xliff.xlifffile.parsestring(data)
    )
    units = list(store.units)
    ours = entries(root)
    assert len(units) == tree.getroot().xpath(
        "count(//*[local-name()='segment' or local-name()='trans-unit'])"
    )
    machine = {de for de, e in ours.items() if e["status"] == "machine"}
    read = {str(u.source): str(u.target) for u in units}
    for de in machine:
        assert read[de] == ours[de]["en"]
    approved = {str(u.source) for u in units if u.isapproved()}
    assert approved.isdisjoint(machine)
    if version == "1.2":
        assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("de", "en")


def test_tmx_export_is_valid_and_read_back_by_translate_toolkit(root: Path, tmp_path: Path) -> None:
    from translate.storage import tmx

    out = tmp_path / "tm.tmx"
    _export("tm", "export", "-o", str(out), "-p", str(root))
    dtd = load_dtd(tmx_module.__package__, tmx_module.DTD)
    assert dtd.validate(read_xml(out, out.name)), dtd.error_log
    store = tmx.tmxfile.parsestring(out.read_bytes())
    read = {str(u.source): str(u.target) for u in store.units}
    for de, entry in entries(root).items():
        assert read[de] == entry["en"]
