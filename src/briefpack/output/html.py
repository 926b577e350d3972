"""Render a pack view to HTML with Jinja2: the templates, filters and typesetting glue."""

from __future__ import annotations

import base64
import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jinja2
from markupsafe import Markup, escape

from briefpack.errors import InputError, Problem
from briefpack.output.fonts import subset_font
from briefpack.output.theme import PACKAGED, STYLESHEET, TEMPLATE, Theme
from briefpack.util import months

MARKUP = "_markup.html.j2"  # in the packaged theme


def date_de(value: dt.date | None) -> str:
    """Return `16. Dezember 2025`."""
    if value is None:
        return ""
    return f"{value.day}. {months.german()[value.month - 1]} {value.year}"


def date_en(value: dt.date | None) -> str:
    """Return `16 December 2025`."""
    return "" if value is None else f"{value.day} {months.english()[value.month - 1]} {value.year}"


NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, between digit groups and in abbreviations


@cache
def _glue_rules() -> list[tuple[re.Pattern[str], str]]:
    """Return the no-break rules (compiled on first use: the month names come from Babel)."""
    month = "|".join(months.german() + months.english())
    return [
        # 800 000 Soldaten: digit groups never part at a line end
        (re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), NNBSP),
        # 16. Dezember 2025, 4 December: the day stays with its month
        (re.compile(rf"(?<=\d)(\.?) (?=(?:{month})\b)"), rf"\1{NBSP}"),
        # Art. 5, Artikel 5, Article 5, Nr. 3, § 5, S. 12: the label stays with its number
        (re.compile(r"\b(Art\.|Artikel|Article|Abs\.|Nr\.|No\.|S\.|p\.|§§?) (?=\d)"), rf"\1{NBSP}"),
        # 90 Milliarden, 1000 km, 5 %: a number stays with its unit
        (
            re.compile(
                r"(?<=\d) (?=(?:Prozent|Euro|EUR|Dollar|US-Dollar|Milliarden|Millionen|km|Kilometer"
                r"|Jahre|Jahren|per cent|billion|million|kilometres|years)\b|(?:Mrd|Mio)\.|%)"
            ),
            NBSP,
        ),
        # z. B., d. h., u. a.: abbreviations with inner spaces stay whole
        (re.compile(r"\b([A-Za-zÄÖÜäöü])\. (?=[A-Za-zÄÖÜäöü]\.)"), rf"\1.{NNBSP}"),
        # a dash never starts a line: it stays with the word before it
        (re.compile(r" (?=[–—] )"), NBSP),
    ]


def glue(value: str) -> Markup:
    """Return `value` escaped, with no-break spaces where a line must not break.

    German and English typesetting rules: digit groups, day and month, `Art. 5`, a number
    and its unit, `z. B.`, and the word before a dash stay on one line. Display only: the
    translation memory and the segment keys never see these characters. They are written
    as character references, so that the HTML (and its golden snapshots) shows them.
    Words longer than `LONG_WORD` characters get break opportunities (see `breakable`).
    """
    for pattern, replacement in _glue_rules():
        value = pattern.sub(replacement, value)
    html = str(breakable(value)).replace(NBSP, "&#160;").replace(NNBSP, "&#8239;")
    return Markup(html)  # escaped by breakable; only the two fixed references are added


# A run of more than LONG_WORD characters with no break opportunity gets one (`<wbr>`) after
# every BREAK_EVERY characters. WeasyPrint lays out and hyphenates such a run as one word,
# trying every hyphenation point against the whole rest of the word, for every line: one
# 2,000-character word took 12 s, 4,000 took 54 s. With break opportunities each line looks
# at a few dozen characters: linear. Real words (the longest German compounds in print run
# to about 60 letters) stay whole and hyphenate as before.
LONG_WORD = 60
BREAK_EVERY = 30
_UNBROKEN = re.compile(rf"[^\s\-\u00ad\u200b]{{{LONG_WORD + 1},}}")


def breakable(value: str) -> Markup:
    """Return `value` escaped, with `<wbr>` every BREAK_EVERY characters in overlong words.

    The text itself is unchanged (a `<wbr>` is no character: copied text, pdftotext and
    the translation memory see the word whole).
    """
    pieces: list[str] = []
    pos = 0
    for match in _UNBROKEN.finditer(value):
        word = match.group(0)
        pieces.append(value[pos : match.start()] + word[:BREAK_EVERY])
        pieces += [word[i : i + BREAK_EVERY] for i in range(BREAK_EVERY, len(word), BREAK_EVERY)]
        pos = match.end()
    if not pieces:
        return escape(value)
    pieces[-1] += value[pos:]
    return Markup(_markup().wbr()).join(escape(p) for p in pieces)


def paragraphs(value: str) -> Markup:
    """Return escaped `<p>` elements, one per blank-line-separated paragraph."""
    parts = [p.strip() for p in value.split("\n\n") if p.strip()]
    return Markup("").join(_markup().paragraph(glue(p)) for p in parts)


@cache
def _markup() -> Any:
    """Return the macros of the packaged `_markup.html.j2` (the markup the filters add)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PACKAGED)), autoescape=True, trim_blocks=True
    )
    return env.get_template(MARKUP).module


def make_env(templates_dir: Path) -> jinja2.Environment:
    """Return the Jinja2 environment: autoescape everywhere, undefined names are errors.

    Templates are looked up in the project's `templates_dir`, then in the packaged theme.
    """
    env = jinja2.Environment(
        loader=Theme(templates_dir).loader(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_de"] = date_de
    env.filters["date_en"] = date_en
    env.filters["paragraphs"] = paragraphs
    env.filters["glue"] = glue
    env.filters["breakable"] = breakable
    return env


def render_html(context: dict[str, Any], templates_dir: Path) -> str:
    """Render the pack template; template errors become InputError naming the file."""
    theme = Theme(templates_dir)
    env = make_env(templates_dir)
    try:
        return env.get_template(TEMPLATE).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        name = theme.label_of(exc.filename, exc.name or TEMPLATE)
        raise InputError(
            f"{name}: template syntax error",
            problems=[
                Problem(
                    name, exc.lineno, None, f"template syntax error: {exc.message}", code="template"
                )
            ],
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(
            f"templates/{exc.name}: not found",
            problems=[
                Problem(f"templates/{exc.name}", message="template not found", code="template")
            ],
        ) from None
    except jinja2.UndefinedError as exc:
        name = theme.label(TEMPLATE)
        raise InputError(
            f"{name}: {exc.message}",
            problems=[
                Problem(
                    name,
                    message=f"template error: {exc.message}",
                    code="template",
                )
            ],
        ) from None


# MIME types of what a stylesheet may embed; fixed here (mimetypes reads the machine's
# mime.types, which differs between machines: the HTML must be byte-identical everywhere).
_MIME = {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".gif": "image/gif",
}
_FONTS = (".ttf", ".otf", ".woff", ".woff2")
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
_LINK = re.compile(r"""<link\s+rel=["']stylesheet["']\s+href=["']style\.css["']\s*/?>""")


def render_standalone_html(
    context: dict[str, Any], templates_dir: Path, font_cache: Path | None = None
) -> bytes:
    """Render the pack as one self-contained HTML file: stylesheet inline, fonts embedded.

    The stylesheet's `url(...)` references (only files under the theme's assets/ are read)
    become `data:` URLs; fonts are subset to the characters the page uses and stored as
    WOFF2 (fontTools, which WeasyPrint already depends on), so the file stays small; the
    subsets are cached in `font_cache` (output.fonts). The page fetches nothing.
    Deterministic: subsetting keeps each font's own timestamps.
    """
    first = render_html({**context, "inline_css": None}, templates_dir)
    chars = set(first) | {chr(c) for c in range(0x20, 0x7F)}
    css = inline_stylesheet(templates_dir, chars, font_cache)
    html = render_html({**context, "inline_css": Markup(css)}, templates_dir)
    if _LINK.search(html):  # a project template that does not know `inline_css`
        html = _LINK.sub(lambda _m: str(_markup().style(Markup(css))), html, count=1)
    return html.encode("utf-8")


def inline_stylesheet(templates_dir: Path, chars: set[str], font_cache: Path | None = None) -> str:
    """Return the theme's style.css for screens, each asset it references a `data:` URL.

    Print-only rules are left out (`screen_css`). The stylesheet and each asset come from
    the project's `templates_dir` if it has them,
    else from the packaged theme (see output.theme). Fonts are subset to `chars`, through
    the cache folder `font_cache` when one is given (output.fonts).
    """
    theme = Theme(templates_dir)
    label = theme.label(STYLESHEET)
    path = theme.stylesheet(STYLESHEET)
    try:
        if path is None:
            raise FileNotFoundError("not found")
        css = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{label}: unreadable ({exc})",
            problems=[Problem(label, message="unreadable", code="template")],
        ) from None
    cache: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        url = match.group(2).strip()
        if url.startswith(("data:", "#")):
            return match.group(0)
        if url not in cache:
            target = None if ":" in url else theme.asset(unquote(url))
            if target is None:
                # Never fetched (as in the PDF): the reference is dropped.
                cache[url] = 'url("data:,")'
            else:
                cache[url] = f'url("{_data_url(target, chars, font_cache)}")'
        return cache[url]

    return _CSS_URL.sub(replace, screen_css(css).replace("</", "<\\/"))


def screen_css(css: str) -> str:
    """Return the stylesheet without its print-only rules: `@page` and `@media print`.

    Paged media (page margins, running heads, PDF bookmarks) means nothing on a screen, and
    HTML checkers rightly reject it there. tinycss2 (WeasyPrint's own CSS parser) splits
    the stylesheet into top-level rules; the rest is written back character for character.
    """
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    kept = [rule for rule in rules if not _print_only(rule)]
    return str(tinycss2.serialize(kept))


def _print_only(rule: Any) -> bool:
    import tinycss2

    if rule.type != "at-rule":
        return False
    if rule.lower_at_keyword == "page":
        return True
    media = str(tinycss2.serialize(rule.prelude)).strip().lower()
    return bool(rule.lower_at_keyword == "media" and media == "print")


def _data_url(path: Path, chars: set[str], font_cache: Path | None) -> str:
    suffix = path.suffix.lower()
    data = path.read_bytes()
    mime = _MIME.get(suffix, "application/octet-stream")
    if suffix in _FONTS:
        data, mime = subset_font(data, chars, font_cache), "font/woff2"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
