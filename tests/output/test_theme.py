"""The theme: the project's templates/ over the packaged templates, file by file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefpack.output.pdf import make_fetcher
from briefpack.output.theme import PACKAGED, Theme

FONT = "assets/fonts/Inter-Regular.otf"


@pytest.fixture
def theme(tmp_path: Path) -> Theme:
    return Theme(tmp_path / "project" / "templates")  # a project without overrides


def test_without_overrides_everything_comes_from_the_package(theme: Theme) -> None:
    assert theme.stylesheet("style.css") == PACKAGED / "style.css"
    assert theme.asset(FONT) == PACKAGED / FONT
    assert theme.label("pack.html.j2") == str(PACKAGED / "pack.html.j2")
    assert set(theme.files()) == {
        p.relative_to(PACKAGED).as_posix() for p in PACKAGED.rglob("*") if p.is_file()
    }


def test_an_override_replaces_only_its_own_file(theme: Theme) -> None:
    css = theme.project_dir / "style.css"
    css.parent.mkdir(parents=True)
    css.write_text("body { color: red }\n", encoding="utf-8")
    assert theme.stylesheet("style.css") == css.resolve()
    assert theme.asset(FONT) == PACKAGED / FONT
    assert theme.label("style.css") == "templates/style.css"
    assert theme.files()["style.css"] == css
    assert theme.files()[FONT] == PACKAGED / FONT


def test_the_digest_covers_the_theme_as_rendered(theme: Theme) -> None:
    packaged = theme.digest()
    copy = theme.project_dir / FONT
    copy.parent.mkdir(parents=True)
    shutil.copyfile(PACKAGED / FONT, copy)
    assert theme.digest() == packaged  # the same files, whichever layer holds them
    copy.write_bytes(copy.read_bytes() + b"\0")
    assert theme.digest() != packaged


def test_nothing_outside_a_layers_assets_is_found(theme: Theme, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    assets = theme.project_dir / "assets"
    assets.mkdir(parents=True)
    (assets / "leak.txt").symlink_to(secret)
    (theme.project_dir / "notes.txt").write_text("not an asset", encoding="utf-8")
    (assets / "sub").mkdir()
    (assets / "sub" / "x.css").write_text("", encoding="utf-8")
    for name in ("assets/leak.txt", "notes.txt", "../secret.txt", "/etc/passwd", "a\0b", ""):
        assert theme.asset(name) is None, name
    assert theme.stylesheet("assets/sub/x.css") is None  # stylesheets only at the top
    assert theme.stylesheet("pack.html.j2") is None


def test_the_pdf_fetcher_reads_the_packaged_file_the_project_does_not_override(
    theme: Theme,
) -> None:
    """WeasyPrint resolves `style.css` against the project's templates/: it gets the package's."""
    fetcher = make_fetcher(theme.project_dir)
    base = theme.project_dir.resolve().as_uri()
    response = fetcher.fetch(f"{base}/style.css")
    assert response.read() == (PACKAGED / "style.css").read_bytes()
    response.close()
    font = fetcher.fetch(f"{PACKAGED.as_uri()}/{FONT}")  # relative to the packaged CSS
    assert font.read() == (PACKAGED / FONT).read_bytes()
    font.close()
    for url in (f"{base}/pack.html.j2", f"{base}/../../x.css", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="does not fetch"):
            fetcher.fetch(url)
    assert len(fetcher.blocked) == 3
