"""PDF variants: tagged PDF/UA-1, archival PDF/A-3b with embedded inputs, plain; colophon,
fonts and typography, read back with pypdf (and poppler's pdftotext for word boxes)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from briefpack import __version__
from briefpack.commands.build import BuildReport, BuildRequest, build, used_memory_name
from briefpack.source.load import load_content
from briefpack.source.schema import MemoryFile
from briefpack.source.segment import segment_key
from briefpack.util.paths import Project
from tests.support import DEMO_PACK, copy_project, require_tool, squash

pytestmark = pytest.mark.slow

BUNDLED_FONTS = ("Charis-SIL", "Inter")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(copy_project(tmp_path_factory.mktemp("variants") / "p"))


def _build(project: Project, out: Path, variant: str, **kw: Any) -> tuple[Path, BuildReport]:
    report = build(project, BuildRequest(out=out, pdf_variant=variant, **kw))
    return out / f"{DEMO_PACK}.pdf", report


@pytest.fixture(scope="module")
def ua1(demo: Project) -> tuple[Path, BuildReport]:
    return _build(demo, demo.root / "out-ua", "ua-1")


@pytest.fixture(scope="module")
def a3b(demo: Project) -> tuple[Path, BuildReport]:
    return _build(demo, demo.root / "out-a3b", "a-3b")


@pytest.fixture(scope="module")
def plain(demo: Project) -> tuple[Path, BuildReport]:
    return _build(demo, demo.root / "out-none", "none")


# --- structure-tree helpers ------------------------------------------------------------


def _kids(element: Any) -> Iterator[Any]:
    kids = element.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object"):
            kid = kid.get_object()
        if hasattr(kid, "get") and kid.get("/S") is not None:
            yield kid


def _walk(element: Any) -> Iterator[Any]:
    yield element
    for kid in _kids(element):
        yield from _walk(kid)


def _document(reader: PdfReader) -> Any:
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    kids = root["/K"]
    top = (kids[0] if isinstance(kids, list) else kids).get_object()
    assert top["/S"] == "/Document"
    return top


# --- every variant -------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["ua1", "a3b", "plain"])
def test_variant_builds_the_demo_without_findings(
    variant: str, request: pytest.FixtureRequest
) -> None:
    pdf, report = request.getfixturevalue(variant)
    assert report.findings == [], [str(f) for f in report.findings]
    assert report.packs[0].status == "built"
    assert len(PdfReader(pdf).pages) == report.packs[0].pages


@pytest.mark.parametrize("variant", ["ua1", "a3b", "plain"])
def test_only_bundled_fonts_are_embedded(variant: str, request: pytest.FixtureRequest) -> None:
    pdf, _ = request.getfixturevalue(variant)
    fonts: set[str] = set()
    for page in PdfReader(pdf).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert fonts, "no fonts found"
    assert all(f.startswith(BUNDLED_FONTS) for f in fonts), sorted(fonts)


def test_variant_is_part_of_the_fingerprint(ua1, a3b, plain) -> None:  # type: ignore[no-untyped-def]
    prints = {r.packs[0].fingerprint for _, r in (ua1, a3b, plain)}
    assert len(prints) == 3


def test_changing_the_variant_rebuilds(tmp_path: Path) -> None:
    project = Project(copy_project(tmp_path / "p"))
    out = tmp_path / "out"
    _, first = _build(project, out, "none")
    _, again = _build(project, out, "none")
    _, other = _build(project, out, "ua-1")
    assert [first.packs[0].status, again.packs[0].status, other.packs[0].status] == [
        "built",
        "skipped",
        "built",
    ]
    assert other.packs[0].pdf_variant == "ua-1"


# --- PDF/UA-1 ------------------------------------------------------------------------------


def test_ua1_is_marked_titled_and_has_a_language(ua1) -> None:  # type: ignore[no-untyped-def]
    reader = PdfReader(ua1[0])
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert root["/Lang"] == "en"
    assert "Ukraine" in (reader.metadata.title or "")
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfuaid:part(="1"|>1<)', xmp), xmp[:400]


def test_ua1_structure_tree_has_headings_tables_and_paragraphs(ua1) -> None:  # type: ignore[no-untyped-def]
    tags = [str(e["/S"]) for e in _walk(_document(PdfReader(ua1[0])))]
    for tag in ("/H1", "/H2", "/H3", "/Table", "/THead", "/TR", "/TH", "/TD", "/P", "/L", "/LI"):
        assert tag in tags, f"{tag} missing from the structure tree"
    # Headings nest without gaps: the first H2 comes after the H1, the first H3 after an H2.
    assert tags.index("/H1") < tags.index("/H2") < tags.index("/H3")
    assert len(tags) > 500


def test_ua1_rows_read_german_then_english_with_languages(ua1) -> None:  # type: ignore[no-untyped-def]
    rows = 0
    for element in _walk(_document(PdfReader(ua1[0]))):
        if element["/S"] != "/TR":
            continue
        cells = [k for k in _kids(element) if k["/S"] == "/TD"]
        if len(cells) != 2 or not any(c.get("/Lang") for c in cells):
            continue  # label rows (one cell), metadata rows (TH + TD)
        assert [c.get("/Lang") for c in cells] == ["de", "en"]
        rows += 1
    # Executive summary, and per source: summary, key points, quotes, assessment.
    assert rows >= 1 + 5 * 3 + 20, rows


def test_ua1_cells_point_to_their_headers(ua1) -> None:  # type: ignore[no-untyped-def]
    elements = list(_walk(_document(PdfReader(ua1[0]))))
    ids = {str(e["/ID"]): e for e in elements if e["/S"] == "/TH" and e.get("/ID") is not None}
    cells = [e for e in elements if e["/S"] == "/TD"]
    with_headers = [c for c in cells if c["/A"].get("/Headers")]
    assert len(with_headers) > len(cells) / 2
    for cell in with_headers:
        for header in cell["/A"]["/Headers"]:
            assert str(header) in ids, "a cell names a header that does not exist"
    # In a bilingual row the German cell is headed by "Deutsch", the English by "English".
    rows = [e for e in elements if e["/S"] == "/TR"]
    paired = 0
    for row in rows:
        tds = [k for k in _kids(row) if k["/S"] == "/TD"]
        if len(tds) != 2 or [c.get("/Lang") for c in tds] != ["de", "en"]:
            continue
        for cell, lang in zip(tds, ("de", "en"), strict=True):
            headers = [ids[str(h)] for h in cell["/A"]["/Headers"]]
            assert [h.get("/Lang") for h in headers] == [lang]
        paired += 1
    assert paired > 20
    # Metadata rows: the value cell is headed by its row header (scope="row").
    row_headed = [
        c
        for r in rows
        for c in _kids(r)
        if c["/S"] == "/TD" and any(k["/S"] == "/TH" for k in _kids(r))
    ]
    assert row_headed and all(c["/A"].get("/Headers") for c in row_headed)


# --- PDF/A-3b ------------------------------------------------------------------------------


def test_a3b_embeds_the_inputs_byte_for_byte(demo: Project, a3b) -> None:  # type: ignore[no-untyped-def]
    reader = PdfReader(a3b[0])
    attached = {name: data for name, (data, *_) in reader.attachments.items()}
    content = load_content(demo)
    pack = content.packs[DEMO_PACK]
    expected = [
        f"briefings/packs/{DEMO_PACK}.yaml",
        *(f"briefings/{bid}.yaml" for bid in pack.model.briefings),
        "glossary.yaml",
    ]
    for name in expected:
        assert attached[name] == (demo.root / name).read_bytes(), name
    assert sorted(attached) == sorted([*expected, used_memory_name(pack)])
    assert sorted(a3b[1].packs[0].attachments) == sorted(attached)


def test_a3b_embeds_exactly_the_translations_used(demo: Project, a3b) -> None:  # type: ignore[no-untyped-def]
    content = load_content(demo)
    pack = content.packs[DEMO_PACK]
    data = PdfReader(a3b[0]).attachments[used_memory_name(pack)][0]
    embedded = MemoryFile.model_validate(yaml.safe_load(data.decode("utf-8"))).entries
    fields = content.fields_of([pack])
    used = list(dict.fromkeys(s.key for fs in fields.values() for f in fs for s in f.segments))
    assert [segment_key(e.de) for e in embedded] == used
    for entry in embedded:
        assert entry == content.memory.lookup(segment_key(entry.de))


def test_a3b_declares_pdfa_and_associated_files(a3b) -> None:  # type: ignore[no-untyped-def]
    reader = PdfReader(a3b[0])
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfaid:part(="3"|>3<)', xmp)
    assert re.search(r'pdfaid:conformance(="B"|>B<)', xmp)
    assert root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    keys = [str(k) for k in names[0::2]]
    assert keys == sorted(keys), "the name tree must be sorted"
    specs = [n.get_object() for n in names[1::2]]
    assert all(s["/AFRelationship"] == "/Source" for s in specs)
    assert all(s["/EF"]["/F"].get_object()["/Subtype"] == "/application/yaml" for s in specs)
    af = [ref.idnum for ref in root["/AF"]]
    assert len(af) == len(set(af)) == len(specs)
    assert root["/MarkInfo"]["/Marked"].value is True  # the archival copy is tagged too


def test_a3b_is_byte_identical_on_rebuild(demo: Project, a3b, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    again, _ = _build(demo, tmp_path, "a-3b")
    assert again.read_bytes() == a3b[0].read_bytes()


# --- untagged ------------------------------------------------------------------------------


def test_none_is_untagged(plain) -> None:  # type: ignore[no-untyped-def]
    root = PdfReader(plain[0]).trailer["/Root"]
    assert "/StructTreeRoot" not in root and "/MarkInfo" not in root
    assert "/EmbeddedFiles" not in (root.get("/Names") or {})


# --- colophon ------------------------------------------------------------------------------


def test_colophon_names_versions_glossary_and_fingerprint(demo: Project, a3b) -> None:  # type: ignore[no-untyped-def]
    pdf, report = a3b
    last = squash(PdfReader(pdf).pages[-1].extract_text() or "")
    content = load_content(demo)
    assert squash(f"briefpack {__version__}") in last
    assert "PDF/A3b" in last  # squash drops the hyphen
    assert squash(f"{len(content.glossary)} entries") in last
    assert content.glossary.fingerprint() in last
    assert report.packs[0].fingerprint in last
    assert squash(used_memory_name(content.packs[DEMO_PACK])) in last


# --- typography ----------------------------------------------------------------------------


def test_quotes_are_never_split_across_pages(demo: Project, ua1) -> None:  # type: ignore[no-untyped-def]
    pages = [squash(p.extract_text() or "") for p in PdfReader(ua1[0]).pages]
    content = load_content(demo)
    for b in content.briefings.values():
        for q in b.model.quotes:
            text = squash(q.text)
            assert any(text in page for page in pages), f"quote split or lost: {q.text[:50]}"


def _words_outside_the_type_area(pdf: Path) -> list[str]:
    """Return words whose box leaves the page's type area (poppler's `pdftotext -bbox`)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    bad = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        width = float(page.group(1))
        for word in re.finditer(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', page[3]):
            x_min, x_max = float(word.group(1)), float(word.group(2))
            # 17 mm side margins (48.2 pt); the cover's padding is wider.
            if x_min < 48.0 or x_max > width - 48.0:
                bad.append(word.group(0))
    return bad


# 200 characters without a space or a hyphen: nothing in it is a line-break opportunity,
# like the tracking tokens of real share links.
LONG_URL = "https://www.consilium.europa.eu/media/" + (
    "6f1d0c2b9a8e7d6c5b4a39281706f5e4d3c2b1a0" * 5
)
LONG_URL = LONG_URL[:200]
COMPOUND = "Waffenstillstandsverletzungen"
ABSURD = "Bundeswehrbeschaffungsbeschleunigungsgesetzesnovellierungsentwurfsbegründung"


def test_long_urls_and_compounds_are_never_cut_off(tmp_path: Path) -> None:
    require_tool("pdftotext", "poppler-utils")
    assert len(LONG_URL) == 200 and " " not in LONG_URL
    root = copy_project(tmp_path / "p")
    path = root / "briefings" / "mearsheimer-diplomatie.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["source"]["url"] = LONG_URL
    data["title"] = f"{ABSURD}: {COMPOUND} und Diplomatie"
    data["summary"] += f" Die {COMPOUND} häufen sich.[12] Ein {ABSURD} liegt vor."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pack = yaml.safe_load((root / "briefings" / "packs" / f"{DEMO_PACK}.yaml").read_text())
    pack["briefings"] = ["mearsheimer-diplomatie"]
    pack["title"]["de"] = f"{ABSURD} und {COMPOUND}"
    (root / "briefings" / "packs" / "lang.yaml").write_text(
        yaml.safe_dump(pack, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    report = build(Project(root), BuildRequest(packs=("lang",), draft=True))
    assert not [f for f in report.findings if f.code == "render-warning"]
    pdf = root / "out" / "lang.draft.pdf"
    text = squash("\n".join(p.extract_text() or "" for p in PdfReader(pdf).pages))
    assert text.count(squash(LONG_URL)) == 2  # metadata box and list of sources
    assert squash(f"{COMPOUND} häufen sich.[12]") in text
    assert text.count(squash(ABSURD)) >= 3
    assert _words_outside_the_type_area(pdf) == []


def test_demo_stays_inside_the_type_area(ua1) -> None:  # type: ignore[no-untyped-def]
    require_tool("pdftotext", "poppler-utils")
    assert _words_outside_the_type_area(ua1[0]) == []


def test_no_break_inside_digit_groups_dates_and_article_numbers(ua1) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(p.extract_text() or "" for p in PdfReader(ua1[0]).pages)
    assert "800\u202f000" in text  # the demo's "800 000 Soldaten", glued
    months = "Januar|Februar|Dezember|January|February|December"
    for broken in (
        r"\b\d{1,3} *\n *000\b",  # a digit group
        rf"\b\d{{1,2}}\.? *\n *({months})\b",  # day and month
        r"\b(Artikel|Article|Art\.) *\n *\d",  # a label and its number
    ):
        assert not re.search(broken, text), re.search(broken, text)


def test_a_summary_longer_than_a_page_leaves_no_empty_page(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    path = root / "briefings" / "mearsheimer-diplomatie.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["summary"] = "\n\n".join([data["summary"]] * 4)  # ~600 words: taller than a page
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pack = yaml.safe_load((root / "briefings" / "packs" / f"{DEMO_PACK}.yaml").read_text())
    pack["briefings"] = ["mearsheimer-diplomatie"]
    (root / "briefings" / "packs" / "long.yaml").write_text(
        yaml.safe_dump(pack, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    build(Project(root), BuildRequest(packs=("long",), draft=True, pdf_variant="none"))
    pages = [p.extract_text() or "" for p in PdfReader(root / "out" / "long.draft.pdf").pages]
    first = next(i for i, text in enumerate(pages) if "Titel der Quelle" in text)
    glossary = next(i for i, text in enumerate(pages) if "Terms from the project glossary" in text)
    assert glossary - first >= 3, "the summary should span pages"
    for number in range(first, glossary - 1):  # the section's last page may be short
        body = pages[number].splitlines()[2:-2]  # without running head and foot
        assert len(" ".join(body)) > 1000, f"page {number + 1} is (nearly) empty: {body}"
