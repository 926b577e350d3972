"""`briefpack doctor`: what this installation has, and what each missing piece costs.

Each check is one line: the piece, what was found, and for a missing piece what briefpack
does without it. A missing piece the product needs (the lexicon, the model, Pango, HarfBuzz
subsetting, the fonts, a writable cache or project) makes the run fail (exit 1); the others
(a GPU) only inform. Checks never raise: a probe that fails is the finding.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from briefpack.util.paths import Project
from briefpack.util.versions import __version__, dist_version

OK, MISSING, ABSENT = "ok", "missing", "absent"  # absent: optional and not there


@dataclass(frozen=True)
class Check:
    """The outcome of one check."""

    name: str
    status: str  # OK, MISSING (needed: the run fails) or ABSENT (optional)
    detail: str
    cost: str = ""  # what briefpack does without it; empty when it is there

    @property
    def failed(self) -> bool:
        return self.status == MISSING


@dataclass(frozen=True)
class Report:
    """Every check of one run, in order."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return not any(c.failed for c in self.checks)

    def lines(self) -> list[str]:
        """Return the report as text, one line per check."""
        width = max(len(c.name) for c in self.checks)
        out = []
        for c in self.checks:
            cost = f" — without it: {c.cost}" if c.cost else ""
            out.append(f"{c.status:<7} {c.name:<{width}}  {c.detail}{cost}")
        return out

    def to_json(self) -> dict[str, object]:
        """Return the report as JSON-ready data."""
        return {"briefpack": __version__, "ok": self.ok, "checks": [asdict(c) for c in self.checks]}


def diagnose(project: Project | None) -> Report:
    """Run every check (`project`: the project found here, if any) and return the report."""
    checks: list[Callable[[], Check]] = [
        _briefpack,
        _lexicon,
        _model,
        _pango,
        _harfbuzz_subset,
        lambda: _fonts(project),
        _device,
        _cache_folder,
        _models_folder,
        lambda: _project(project),
    ]
    return Report(tuple(check() for check in checks))


def _briefpack() -> Check:
    here = Path(__file__).resolve().parents[1]
    python = ".".join(map(str, sys.version_info[:3]))
    return Check("briefpack", OK, f"{__version__} (Python {python}) in {here}")


def _lexicon() -> Check:
    from briefpack.glossary import morph

    lexicon = morph.lexicon()
    if lexicon is None:
        return Check(
            "lexicon",
            MISSING,
            f"{morph.data_path()} cannot be read: reinstall briefpack",
            "German matching falls back to stemming; singular and plural are not told apart",
        )
    where = "in memory" if lexicon.location == ":memory:" else f"index {lexicon.location}"
    return Check(
        "lexicon", OK, f"{morph.LEXICON_SOURCE}, {lexicon.size():,} German nouns ({where})"
    )


def _model() -> Check:
    from briefpack.errors import BriefpackError
    from briefpack.translation.packages import find_model, packages_dir

    cost = "new German sentences are not machine-translated (`briefpack models install de en`)"
    try:
        model = find_model("de", "en")
    except (BriefpackError, OSError, ImportError) as exc:
        return Check("model", MISSING, f"the model folder cannot be read: {exc}", cost)
    if model is None:
        return Check("model", MISSING, f"no de→en translation package in {packages_dir()}", cost)
    return Check("model", OK, f"{model.name} {model.version or '(no version)'} in {model.path}")


def _weasyprint() -> tuple[object | None, str]:
    """Import WeasyPrint's library bindings; return (ffi module or None, the error)."""
    try:
        with warnings.catch_warnings():
            # WeasyPrint warns (Python warning) at import when hb-subset is missing: the
            # hb-subset check reports that as a line of its own.
            warnings.simplefilter("ignore")
            from weasyprint.text import ffi
    except (OSError, ImportError) as exc:
        return None, str(exc).splitlines()[0]
    return ffi, ""


def _pango() -> Check:
    ffi, error = _weasyprint()
    if ffi is None:
        return Check(
            "pango",
            MISSING,
            f"WeasyPrint cannot load its libraries: {error}",
            "no PDF can be rendered (install Pango: see the README, Install)",
        )
    # pango_version(): major * 10000 + minor * 100 + micro.
    number = int(ffi.pango.pango_version())  # type: ignore[attr-defined]
    version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    return Check("pango", OK, f"Pango {version}, WeasyPrint {dist_version('weasyprint')}")


def _harfbuzz_subset() -> Check:
    ffi, error = _weasyprint()
    if ffi is not None and getattr(ffi, "harfbuzz_subset", None) is not None:
        return Check("hb-subset", OK, "HarfBuzz subsets the embedded fonts")
    return Check(
        "hb-subset",
        MISSING,
        "libharfbuzz-subset is not installed" if ffi is not None else f"not checked: {error}",
        "fonts are subset with fontTools: slower PDFs and a WeasyPrint warning on every "
        "build, which fails `--strict` (Debian/Ubuntu: apt install libharfbuzz-subset0)",
    )


def _fonts(project: Project | None) -> Check:
    """The theme's fonts: the project's overrides first, then the packaged theme's."""
    from briefpack.output.theme import PACKAGED, Theme

    theme = Theme(project.templates_dir if project is not None else PACKAGED)
    fonts = [
        path
        for name, path in theme.files().items()
        if name.startswith("assets/fonts/") and path.suffix.lower() in {".ttf", ".otf"}
    ]
    folder = PACKAGED / "assets" / "fonts"
    if not fonts:
        return Check(
            "fonts",
            MISSING,
            f"no .ttf or .otf file in {folder}",
            "PDFs fall back to whatever fonts the system has, and WeasyPrint warns",
        )
    overrides = sum(1 for path in fonts if not path.is_relative_to(PACKAGED))
    where = f"{folder}" + (f" ({overrides} overridden by templates/)" if overrides else "")
    return Check("fonts", OK, f"{len(fonts)} font files in {where}")


def _device() -> Check:
    from briefpack.errors import BriefpackError
    from briefpack.translation.device import resolve_device

    try:
        choice = resolve_device("auto")
    except (BriefpackError, ImportError, OSError, RuntimeError) as exc:
        return Check("device", ABSENT, f"CTranslate2 cannot choose a device: {exc}")
    if choice.device == "cuda":
        return Check("device", OK, f"cuda: {choice.reason}")
    return Check("device", ABSENT, f"cpu: {choice.reason}", "translation runs on the CPU (slower)")


def _writable(folder: Path) -> str:
    """Return "" if a file can be created in `folder` (made if missing), else the reason."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".briefpack-doctor-"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


def _cache_folder() -> Check:
    from briefpack.glossary.morph import cache_folder

    folder = cache_folder()
    problem = _writable(folder)
    if problem:
        return Check(
            "cache",
            MISSING,
            f"{folder}: {problem}",
            "the lexicon is re-indexed in memory by every process (~1 s each)",
        )
    return Check("cache", OK, f"{folder} is writable")


def _models_folder() -> Check:
    from briefpack.translation.packages import packages_dir

    try:
        folder = packages_dir()
    except (ImportError, OSError) as exc:
        return Check("models-dir", MISSING, f"cannot be found: {exc}", "models cannot be installed")
    problem = _writable(folder)
    if problem:
        return Check(
            "models-dir",
            MISSING,
            f"{folder}: {problem}",
            "`briefpack models install` fails (set ARGOS_PACKAGES_DIR)",
        )
    return Check("models-dir", OK, f"{folder} is writable")


def _project(project: Project | None) -> Check:
    from briefpack.util.cache import cache_dir

    if project is None:
        return Check("project", ABSENT, f"no briefpack project in {Path.cwd()} or its parents")
    for folder in (project.root, project.out_dir, cache_dir(project.root)):
        if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
            return Check(
                "project", MISSING, f"{folder} is not writable", "nothing can be built here"
            )
    return Check("project", OK, f"{project.root} (out/ and .briefpack-cache/ writable)")
