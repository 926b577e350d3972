"""`new` from hostile or damaged DOCX and PDF files, and what it keeps and drops.

Decompression bombs (a 2.4 MB DOCX holding a 1 GB document.xml once cost 75 s and 5.4 GB);
damaged DOCX XML and AES-encrypted PDFs without `cryptography` (once tracebacks); formats and
names (`.docm`, a file name with a line break); DOCX tables kept and PDF running headers,
footers and "Seite 1" dropped.
Each failure is exit 3 (or 2 for a usage error), one `error:` line naming the file, no
traceback, and the project unchanged.
"""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from briefpack.cli import app
from briefpack.errors import ExitCode, InputError
from briefpack.source.extract import MAX_ZIP_MEMBER, check_zip, extract_pdf
from tests.support import REPO, copy_project, snapshot

runner = CliRunner()

PARAGRAPH = (
    "Die Koalition der Willigen berät über eine Friedenstruppe. Deutschland hat eine "
    "Beteiligung nicht ausgeschlossen, knüpft sie aber an ein Mandat des Bundestages."
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def invoke(*args: str | Path) -> tuple[int, str]:
    res = runner.invoke(app, [str(a) for a in args])
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    assert "Traceback" not in res.output, res.output
    return res.exit_code, res.output


def _docx(path: Path, *, table: bool = False) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Optionen für Berlin", level=1)
    document.add_paragraph(PARAGRAPH)
    if table:
        grid = document.add_table(rows=2, cols=2)
        for r, row in enumerate((("Option", "Kosten"), ("Ausbildung", "2 Mrd. Euro"))):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
        document.add_paragraph("Nach der Tabelle geht der Text weiter.")
    document.save(str(path))
    return path


def _replace_member(source: Path, dest: Path, name: str, write: object) -> Path:
    """Copy the zip `source` to `dest` with member `name` written by `write(handle)`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename == name:
                member = zipfile.ZipInfo(name)
                member.compress_type = zipfile.ZIP_DEFLATED
                with new.open(member, "w", force_zip64=True) as handle:
                    write(handle)  # type: ignore[operator]
            else:
                new.writestr(info, old.read(info))
    return dest


def _refused(project: Path, path: Path, code: ExitCode, *words: str) -> str:
    before = snapshot(project)
    got, out = invoke("new", path, "--project", project)
    assert got == code, out
    assert out.startswith(f"error: {path}: ") and len(out.strip().splitlines()) == 1, out
    for word in words:
        assert word in out, out
    assert snapshot(project) == before
    return out


# --- decompression bombs -----------------------------------------------------------------


def test_a_docx_part_over_the_limit_is_refused_before_parsing(
    project: Path, tmp_path: Path
) -> None:
    good = _docx(tmp_path / "gut.docx")

    def huge(handle: io.BufferedWriter) -> None:
        chunk = b" " * (1 << 20)
        for _ in range(MAX_ZIP_MEMBER // len(chunk) + 8):
            handle.write(chunk)

    bomb = _replace_member(good, tmp_path / "bombe.docx", "word/document.xml", huge)
    assert bomb.stat().st_size < 1 << 20  # small on disk
    _refused(project, bomb, ExitCode.INVALID_INPUT, "word/document.xml", "decompression bomb")


def test_a_docx_part_with_an_absurd_ratio_is_refused(tmp_path: Path) -> None:
    good = _docx(tmp_path / "gut.docx")
    bomb = _replace_member(
        good, tmp_path / "r.docx", "word/media/x.bin", lambda h: h.write(b"\0" * (4 << 20))
    )
    if "word/media/x.bin" not in zipfile.ZipFile(bomb).namelist():
        with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
            z.writestr("word/media/x.bin", b"\0" * (4 << 20))
    with pytest.raises(InputError, match="decompression bomb"):
        check_zip(bomb.read_bytes(), str(bomb), what="DOCX")


def test_a_member_that_inflates_beyond_its_declared_size_is_refused(tmp_path: Path) -> None:
    # The directory claims 10 bytes; the data inflates to 4 MiB: the read stops at the claim.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<a>" + b" " * (4 << 20) + b"</a>")
    data = bytearray(buffer.getvalue())
    real = (4 << 20) + 7
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # local header, central directory
        at = data.find(header)
        offset = at + (22 if header == b"PK\x03\x04" else 24)
        assert int.from_bytes(data[offset : offset + 4], "little") == real
        data[offset : offset + 4] = (10).to_bytes(4, "little")
    with pytest.raises(InputError, match=r"cannot read the DOCX|decompression bomb"):
        check_zip(bytes(data), "lying.docx", what="DOCX")


@pytest.mark.slow
def test_a_gigabyte_document_xml_under_a_memory_cap(tmp_path: Path) -> None:
    """The issue's case: a 1 GiB document.xml in a process capped at 1 GiB of memory."""
    good = _docx(tmp_path / "gut.docx")

    def gigabyte(handle: io.BufferedWriter) -> None:
        chunk = b"<w:t>x</w:t>" * (1 << 16)
        for _ in range((1 << 30) // len(chunk)):
            handle.write(chunk)

    bomb = _replace_member(good, tmp_path / "giga.docx", "word/document.xml", gigabyte)
    root = copy_project(tmp_path / "p")
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        sys.argv = ["briefpack", "new", {str(bomb)!r}, "--project", {str(root)!r}]
        from briefpack.entry import main
        sys.exit(main())
        """
    )
    before = snapshot(root)
    res = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == ExitCode.INVALID_INPUT, res.stderr
    assert res.stderr.startswith(f"error: {bomb}: ") and "Traceback" not in res.stderr
    assert snapshot(root) == before


# --- damaged files -----------------------------------------------------------------------


def test_a_docx_with_damaged_xml(project: Path, tmp_path: Path) -> None:
    good = _docx(tmp_path / "gut.docx")
    xml = zipfile.ZipFile(good).read("word/document.xml")
    broken = _replace_member(
        good, tmp_path / "kaputt.docx", "word/document.xml", lambda h: h.write(xml[: len(xml) // 2])
    )
    _refused(project, broken, ExitCode.INVALID_INPUT, "damaged XML")


def _aes_pdf(path: Path) -> Path:
    import weasyprint
    from pypdf import PdfWriter

    plain = io.BytesIO()
    html = f"<html lang='de'><body><p>{PARAGRAPH}</p></body></html>"
    weasyprint.HTML(string=html).write_pdf(plain)
    writer = PdfWriter(clone_from=io.BytesIO(plain.getvalue()))
    # No user password: it opens in every viewer, printing is restricted; AES-128.
    writer.encrypt(user_password="", owner_password="geheim", algorithm="AES-128")
    writer.write(path)
    return path


@pytest.mark.slow
def test_an_aes_pdf_without_cryptography_is_a_clear_error(tmp_path: Path) -> None:
    pdf = _aes_pdf(tmp_path / "aes.pdf")
    assert "Koalition der Willigen" in extract_pdf(pdf.read_bytes(), "aes.pdf").text
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["cryptography"] = None  # as on a system without it
        from briefpack.errors import InputError
        from briefpack.source.extract import extract_pdf
        try:
            extract_pdf(open({str(pdf)!r}, "rb").read(), "aes.pdf")
        except InputError as exc:
            print(exc.message)
        """
    )
    res = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert res.stdout.startswith("aes.pdf: the PDF is AES-encrypted"), res.stdout + res.stderr
    assert "cryptography" in res.stdout and "Traceback" not in res.stderr


# --- formats and names -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["makro.docm", "vorlage.dotx", "tabelle.xlsm"])
def test_other_office_files_get_the_format_hint(project: Path, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_docx(tmp_path / "x.docx").read_bytes())
    _refused(project, path, ExitCode.USAGE, "files cannot be read; save the source as .docx")


def test_a_file_name_with_a_line_break_makes_a_valid_briefing(
    project: Path, tmp_path: Path
) -> None:
    seed = tmp_path / "Bericht\nKoalition.txt"
    seed.write_text(f"Optionen für Berlin\n\n{PARAGRAPH}\n", encoding="utf-8")
    code, out = invoke("new", seed, "--project", project)
    assert code == 0, out
    code, out = invoke("check", "--project", project)
    assert code == 0, out  # warnings (TODOs) only


# --- tables kept, running lines dropped --------------------------------------------------


def _seed_of(project: Path, bid: str) -> str:
    data = yaml.safe_load((project / "briefings" / f"{bid}.yaml").read_text(encoding="utf-8"))
    return (project / data["source"]["file"]).read_text(encoding="utf-8")


def test_a_docx_keeps_its_tables_as_rows(project: Path, tmp_path: Path) -> None:
    path = _docx(tmp_path / "tabelle.docx", table=True)
    code, out = invoke("new", path, "--id", "tabelle", "--project", project)
    assert code == 0, out
    paragraphs = _seed_of(project, "tabelle").strip().split("\n\n")
    at = paragraphs.index("Option | Kosten")
    assert paragraphs[at - 1] == PARAGRAPH
    assert paragraphs[at + 1 : at + 3] == [
        "Ausbildung | 2 Mrd. Euro",
        "Nach der Tabelle geht der Text weiter.",
    ]


@pytest.mark.slow
def test_a_pdf_loses_running_headers_footers_and_page_numbers(
    project: Path, tmp_path: Path
) -> None:
    import weasyprint

    # Distinct paragraphs, as in a real text: only the running lines recur.
    words = PARAGRAPH.split()
    body = "".join(
        f"<p>Abschnitt {i}: {' '.join(words[i % 7 :] + words[: i % 7])} Ende {i}.</p>"
        for i in range(40)
    )
    html = f"""<html lang="de"><head><style>
      @page {{ size: A5; margin: 20mm;
        @top-center {{ content: "Rheinische Rundschau – Analyse" }}
        @bottom-center {{ content: "Seite " counter(page) }} }}
      </style></head><body><h1>Optionen für Berlin</h1>{body}</body></html>"""
    path = tmp_path / "analyse.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    code, out = invoke("new", path, "--id", "analyse", "--project", project)
    assert code == 0, out
    seed = _seed_of(project, "analyse")
    assert "Rheinische Rundschau" not in seed
    assert "Seite" not in seed
    for i in range(40):
        assert f"Abschnitt {i}:" in seed and f"Ende {i}." in seed, i
