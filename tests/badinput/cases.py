"""The bad-input corpus: one mutation of a copy of the demo project per case.

Each case says what to break, which exit code `briefpack check` and `briefpack build` must
return, which file the message must name (with `line:column` where `position` is set) and
which words it must contain. `tests/e2e/test_badinput.py` runs every case through both commands
(`build` as a real subprocess, `check` through CliRunner). A mutation may return extra
expected fragments it computed from the file it edited (e.g. the line it broke), so cases
survive edits to the demo texts.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefpack.errors import ExitCode
from tests.badinput.harness import run_cli
from tests.support import DEMO_PACK, override

B = "briefings/mearsheimer-diplomatie.yaml"
P = f"briefings/packs/{DEMO_PACK}.yaml"
T = "translations/mearsheimer-diplomatie.yaml"
SEED = "seeds/000-mearsheimer-diplomatie.txt"
TPL = "templates/pack.html.j2"
GLOSSARY = "glossary.yaml"
MANIFEST = "out/.briefpack-manifest.json"
PWNED = "pwned-by-yaml"  # what the `!!python/object` case would create if it ran

Mutation = Callable[[Path], tuple[str, ...] | None]


@dataclass(frozen=True)
class Case:
    """One way to break the project and what both commands must say about it."""

    id: str
    mutate: Mutation
    code: ExitCode  # expected exit code of both commands (unless check_code is given)
    file: str | None  # the file the message must name
    fragments: tuple[str, ...] = ()  # words the output must contain
    position: bool = False  # the message must carry `file:line:column:`
    check_code: ExitCode | None = None  # when `check` legitimately differs from `build`
    same_pdf: bool = False  # exit 0: the rebuilt PDF must equal the previous good one
    good_out: bool = False  # start from a real good build's out/ (else a stand-in PDF)
    absent: tuple[str, ...] = ()  # paths (relative to the project) that must not exist after

    def expected(self, command: str) -> ExitCode:
        """Return the exit code expected from `command` ("check" or "build")."""
        if command == "check" and self.check_code is not None:
            return self.check_code
        return self.code


# --- mutation helpers ------------------------------------------------------------------------


def replace_in(root: Path, rel: str, old: str, new: str) -> int:
    """Replace the first `old` in `rel` by `new`; return the 1-based line where it started."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}: the demo project changed; update this case"
    start = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, start) + 1


def line_of(root: Path, rel: str, needle: str) -> int:
    """Return the 1-based line of the first occurrence of `needle` in `rel`."""
    text = (root / rel).read_text(encoding="utf-8")
    assert needle in text, f"{needle!r} not in {rel}"
    return text.count("\n", 0, text.index(needle)) + 1


def rewrite(root: Path, rel: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Load `rel` as plain YAML, let `change` edit the mapping, and write it back."""
    path = root / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def append(root: Path, rel: str, text: str) -> int:
    """Append `text` to `rel`; return the 1-based line where it starts."""
    path = root / rel
    old = path.read_text(encoding="utf-8")
    if not old.endswith("\n"):
        old += "\n"
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def write(root: Path, rel: str, data: str | bytes) -> None:
    """Replace the whole file."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


# --- mutations -------------------------------------------------------------------------------


def _tab(root: Path) -> tuple[str, ...]:
    line = replace_in(root, B, "\n  outlet: null", "\n\toutlet: null") + 1
    return (f"{B}:{line}:1:",)


def _unclosed_quote(root: Path) -> tuple[str, ...]:
    # Drop the file's last closing quote: the scanner runs to the end of the file and names
    # the line where the string began. (An unclosed quote mid-file swallows text up to the
    # next quote and fails there; YAML cannot know the author's intent.)
    path = root / B
    text = path.read_text(encoding="utf-8")
    close = text.rindex('"')
    opening = text.rindex('"', 0, close)
    path.write_text(text[:close] + text[close + 1 :], encoding="utf-8")
    return (f"started on line {text.count(chr(10), 0, opening) + 1}", "end of stream")


def _bad_indent(root: Path) -> tuple[str, ...]:
    line = replace_in(root, B, "\n  outlet: null", "\n outlet: null") + 1
    return (f"{B}:{line}:2:",)


def _unclosed_flow(root: Path) -> tuple[str, ...]:
    line = append(root, B, "tags: [Ukraine, NATO\n")
    return (f"started on line {line}",)


def _bad_yaml_tm(root: Path) -> tuple[str, ...]:
    # Cut the file in the middle of a double-quoted English text (an interrupted editor save).
    path = root / T
    text = path.read_text(encoding="utf-8")
    cut = text.index('en: "', len(text) // 2) + 12
    path.write_text(text[:cut], encoding="utf-8")
    return (f"{T}:{text.count(chr(10), 0, cut) + 1}:", "while scanning a quoted scalar")


def _duplicate_key(root: Path) -> tuple[str, ...]:
    first = line_of(root, B, "\ntitle: ") + 1
    line = replace_in(root, B, "\nsummary:", "\ntitle: Noch ein Titel\nsummary:") + 1
    return (f"{B}:{line}:1:", f"first defined on line {first}")


def _non_utf8(root: Path) -> tuple[str, ...]:
    path = root / B
    raw = path.read_bytes()
    word = "Äußerungen"
    start = raw.index(word.encode("utf-8"))
    path.write_bytes(raw.replace(word.encode("utf-8"), word.encode("latin-1"), 1))
    line = raw.count(b"\n", 0, start) + 1
    col = start - (raw.rfind(b"\n", 0, start) + 1) + 1
    return (f"{B}:{line}:{col}: not valid UTF-8 (byte 0xc4",)


def _seed_non_utf8(root: Path) -> None:
    path = root / SEED
    path.write_bytes(path.read_bytes() + "\nGrüße\n".encode("latin-1"))


def _bom(root: Path) -> None:
    path = root / B
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _huge(root: Path) -> None:
    # A real-looking file that grew by pasting: a 3 MiB comment block at the end.
    append(root, B, "".join(f"# {'x' * 1000}\n" for _ in range(3 * 1024)))


def _alias_bomb(root: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    append(root, B, "\n".join(lines) + "\n")


def _python_tag(root: Path) -> tuple[str, ...]:
    line = replace_in(
        root,
        B,
        "  author: null",
        f'  author: !!python/object/apply:os.system ["touch {PWNED}"]',
    )
    return (f"{B}:{line}:11:",)


def _control_char(root: Path) -> tuple[str, ...]:
    line = replace_in(root, B, 'speaker: "Kaja Kallas"', 'speaker: "Kaja\x00Kallas"')
    return (f"{B}:{line}:",)


def _escaped(escape: str) -> Mutation:
    # Escapes PyYAML's reader lets through, which no output format can hold.
    def mutate(root: Path) -> tuple[str, ...]:
        line = replace_in(root, B, 'speaker: "Kaja Kallas"', f'speaker: "Kaja{escape}Kallas"')
        return (f"{B}:{line}:",)

    return mutate


def _seed_control(root: Path) -> tuple[str, ...]:
    path = root / SEED
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(" ", " \x1b", 1), encoding="utf-8")
    return (f"{SEED}:{text.count(chr(10), 0, text.index(' ')) + 1}:",)


def _deep(root: Path) -> None:
    append(root, B, "tags: " + "[" * 5000 + "]" * 5000 + "\n")


def _recursive_alias(root: Path) -> None:
    replace_in(root, B, 'speaker: "Kaja Kallas"', "speaker: &s [Kaja Kallas, *s]")


def _copy_briefing(name: str) -> Mutation:
    def mutate(root: Path) -> None:
        (root / "briefings" / name).write_bytes((root / B).read_bytes())

    return mutate


def _symlinked_seed(root: Path) -> None:
    (root / "seeds" / "passwd.txt").symlink_to("/etc/passwd")
    replace_in(root, B, f"file: {SEED}", "file: seeds/passwd.txt")


def _tm_garbage(root: Path) -> None:
    write(root, T, random.Random(1).randbytes(4096))


def _tm_bad_status(root: Path) -> tuple[str, ...]:
    line = replace_in(root, T, "\n  status: reviewed", "\n  status: approved") + 1
    return (f"{T}:{line}:",)


def _template_syntax(root: Path) -> tuple[str, ...]:
    override(root, "pack.html.j2")  # the project's own copy of the packaged template
    line = replace_in(root, TPL, "<body>\n", "<body>\n{% if %}\n") + 1
    return (f"{TPL}:{line}:",)


def _template_undefined(root: Path) -> None:
    override(root, "pack.html.j2")
    replace_in(root, TPL, "<body>\n", "<body>\n{{ no_such_name }}\n")


def _glossary_conflict(root: Path) -> None:
    append(root, GLOSSARY, "  - de: Selenskyj\n    en: Zelenskyy\n")


def _drop_project(root: Path) -> None:
    for part in ("briefings", "translations"):
        (root / part).rename(root / f"old-{part}")


def _cache_files(root: Path) -> list[Path]:
    """Fill the copy's `.briefpack-cache/` with a real `check` run; return the cache files."""
    # A subprocess, not load_content() here: mutations run on several threads at once, and
    # the loader's process-wide memo of sentence splits is not meant for that.
    result = run_cli(root, "check")
    assert result.returncode == 0, result.stderr
    files = sorted((root / ".briefpack-cache").rglob("*.json"))
    assert files, "loading wrote no cache files: update these cases"
    return files


def _cache_garbage(root: Path) -> None:
    for i, path in enumerate(_cache_files(root)):
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) // 2] if i % 2 else random.Random(i).randbytes(512))


def _cache_wrong_shapes(root: Path) -> None:
    # Valid JSON with the right stamp and scope, but entries of every wrong shape. (Not `[]`:
    # "no glossary term in this segment" is a valid value, so that would be tampering.)
    hostile: list[object] = [42, None, "root:x:0:0", {"de": 1}, [[1, 2, 3]], [7], True, ["x"]]
    for path in _cache_files(root):
        data = json.loads(path.read_text(encoding="utf-8"))
        keys = list(data["entries"]) or ["x"]
        data["entries"] = {k: hostile[i % len(hostile)] for i, k in enumerate(keys)}
        path.write_text(json.dumps(data), encoding="utf-8")


def _setter(rel: str, *keys: str | int, value: object) -> Mutation:
    def mutate(root: Path) -> None:
        def change(data: dict[str, Any]) -> None:
            target: Any = data
            for key in keys[:-1]:
                target = target[key]
            target[keys[-1]] = value

        rewrite(root, rel, change)

    return mutate


def _edit(rel: str, old: str, new: str) -> Mutation:
    def mutate(root: Path) -> None:
        replace_in(root, rel, old, new)

    return mutate


def _whole(rel: str, data: str | bytes) -> Mutation:
    def mutate(root: Path) -> None:
        write(root, rel, data)

    return mutate


def _glossary_folder(root: Path) -> None:
    (root / GLOSSARY).unlink()
    (root / GLOSSARY).mkdir()
    (root / GLOSSARY / "terms.yaml").write_text("version: 1\nterms: []\n", encoding="utf-8")


def _glossary_huge(root: Path) -> None:
    # Valid YAML, just too big: a pasted comment block of 3 MiB.
    append(root, GLOSSARY, "".join(f"# {'x' * 1000}\n" for _ in range(3 * 1024)))


def _glossary_dangling(root: Path) -> None:
    (root / GLOSSARY).rename(root / "glossary.old")
    (root / GLOSSARY).symlink_to(root / "glossary-moved-away.yaml")


def _glossary_control(root: Path) -> tuple[str, ...]:
    # What a CSV import with a NUL used to write: YAML escapes it, the reader took it.
    line = replace_in(root, GLOSSARY, "    en: Zelensky\n", '    en: "Zel\\0ensky"\n')
    return (f"{GLOSSARY}:{line}:", "U+0000 (a control character)")


def _glossary_escape(root: Path) -> tuple[str, ...]:
    line = replace_in(root, GLOSSARY, "  - de: Selenskyj\n", '  - de: "Selen\\eskyj"\n')
    return (f"{GLOSSARY}:{line}:", "U+001B (a control character)")


def _out_is_a_file(root: Path) -> None:
    shutil.rmtree(root / "out")
    (root / "out").write_text("not a folder\n", encoding="utf-8")


def _nfd_seed_name(root: Path) -> None:
    # A seed copied from macOS: its name is NFD on disk, the briefing spells it in NFC.
    name = "000-mearsheimer-diplomatie-Ärger.txt"
    nfd = unicodedata.normalize("NFD", name)
    assert nfd != name
    (root / SEED).rename(root / "seeds" / nfd)
    replace_in(root, B, f"file: {SEED}", f"file: seeds/{name}")


def _invisible_characters(root: Path) -> None:
    # Soft hyphen, zero-width space, word joiner, RLM and the ﬂ ligature, pasted from a PDF,
    # inside words of sentences that have reviewed translations: they must keep them.
    replace_in(root, B, "Friedensabkommen", "Friedens\u00adabkommen")
    replace_in(root, B, "Politikwissenschaftlers", "Politik\u200bwissen\u2060schaftlers\u200f")
    replace_in(root, T, "Friedensabkommen", "Frie\u200cdens\u200dabkommen")


def _memory_folder(root: Path) -> None:
    (root / "translations" / "zz-kaputt.yaml").mkdir()


def _project_memory_truncated(root: Path) -> None:
    # memory/*.tmx cut short: a build that needs no match never reads it; `check` must.
    from briefpack.translation.exchange.tmx import TmxUnit, write_tmx

    units = [TmxUnit(f"Satz {i} über die Lage.", f"Sentence {i}.", "reviewed") for i in range(200)]
    data = write_tmx(units)
    (root / "memory").mkdir()
    (root / "memory" / "org.tmx").write_bytes(data[: len(data) // 2])


BAD = ExitCode.INVALID_INPUT

CASES: list[Case] = [
    # --- YAML syntax: the message names file:line:column -------------------------------------
    Case("yaml-tab-indent", _tab, BAD, B, ("tab character used for indentation",), True),
    Case("yaml-unclosed-quote", _unclosed_quote, BAD, B, ("YAML syntax error",), True),
    Case(
        "yaml-quote-left-open-mid-file",  # the string runs on to the next quote, fails there
        _edit(B, '"\nsource:', "\nsource:"),
        BAD,
        B,
        ("a quote left open above",),
        True,
    ),
    Case(
        "yaml-bad-indentation",
        _bad_indent,
        BAD,
        B,
        ("YAML syntax error", "is this line indented more or less than its siblings?"),
        True,
    ),
    Case("yaml-unclosed-flow-list", _unclosed_flow, BAD, B, ("expected ',' or ']'",), True),
    Case("yaml-duplicate-key", _duplicate_key, BAD, B, ("duplicate key 'title'",), True),
    Case("yaml-non-utf8", _non_utf8, BAD, B, ("save the file as UTF-8",), True),
    Case("yaml-control-character", _control_char, BAD, B, ("U+0000 (a control character)",), True),
    *(
        Case(f"yaml-escaped-{name}", _escaped(escape), BAD, B, (f"U+{code} (a",), True)
        for name, escape, code in (
            ("x01", "\\x01", "0001"),
            ("escape", "\\e", "001B"),
            ("nul", "\\0", "0000"),
            ("fffe", "\\uFFFE", "FFFE"),
            ("surrogate", "\\ud800", "D800"),
        )
    ),
    Case("seed-control-character", _seed_control, BAD, SEED, ("U+001B (a control",), True),
    Case(
        "yaml-python-object-tag",
        _python_tag,
        BAD,
        B,
        ("source.author: unsupported YAML tag", "python/object"),
        True,
        absent=(PWNED,),
    ),
    Case(
        "yaml-custom-tag",
        _edit(B, "  url: null", "  url: !include /etc/passwd"),
        BAD,
        B,
        ("source.url: unsupported YAML tag '!include'",),
        True,
    ),
    Case("yaml-alias-bomb", _alias_bomb, BAD, B, ("expands to more than 50,000 values",), True),
    Case("yaml-recursive-alias", _recursive_alias, BAD, B, ("recursive alias",), True),
    Case("yaml-deep-nesting", _deep, BAD, B, ("nested more than 64 levels deep",), True),
    Case(
        "yaml-bad-number",
        _edit(B, 'speaker: "Kaja Kallas"', "speaker: 0x_"),
        BAD,
        B,
        ("'0x_' is not a valid number",),
        True,
    ),
    Case(
        "yaml-two-documents",
        lambda root: (append(root, B, "---\nid: zweites-dokument\n"), None)[1],
        BAD,
        B,
        ("expected a single document",),
        True,
    ),
    # --- whole-file shape, size and encoding -------------------------------------------------
    Case("empty-file", _whole(B, ""), BAD, B, ("the file is empty; expected a mapping",)),
    Case(
        "list-instead-of-mapping",
        _whole(B, "- id: mearsheimer-diplomatie\n- title: Liste statt Mapping\n"),
        BAD,
        B,
        ("the file is a list, not a mapping",),
        True,
    ),
    Case("utf8-bom-accepted", _bom, ExitCode.OK, None),
    Case(
        "multi-megabyte-file",
        _huge,
        BAD,
        B,
        ("YAML file is 3,", "over the limit of 1,048,576 bytes"),
    ),
    # --- schema: unknown keys, wrong types, impossible dates ---------------------------------
    Case(
        "unknown-key",
        _edit(B, "\nassessment:", "\nassesment:"),
        BAD,
        B,
        ("unknown key 'assesment' (did you mean 'assessment'?)", "missing required key"),
        True,
    ),
    Case(
        "missing-key",
        _edit(B, "  outlet: null\n", ""),
        BAD,
        B,
        ("source: missing required key 'outlet'",),
        True,
    ),
    Case(
        "list-where-mapping-belongs",
        _setter(P, "title", value=["Ukraine", "Sicherheitsgarantien"]),
        BAD,
        P,
        ("title: expected a mapping, got a list",),
        True,
    ),
    Case(
        "mapping-where-text-belongs",
        _edit(B, 'speaker: "Kaja Kallas"', 'speaker: {name: "Kaja Kallas"}'),
        BAD,
        B,
        ("quotes[0].speaker: expected text, got a mapping",),
        True,
    ),
    Case(
        "text-where-list-belongs",
        _setter(B, "key_points", value="Nur ein Punkt statt einer Liste"),
        BAD,
        B,
        ("key_points: expected a list, got text ('Nur ein Punkt",),
        True,
    ),
    Case(
        "number-where-text-belongs",
        _setter(B, "title", value=42),
        BAD,
        B,
        ("title: expected text, got a number (42)",),
        True,
    ),
    Case(
        "impossible-date",
        _edit(B, "published: 2025-12-16", "published: 2025-02-30"),
        BAD,
        B,
        ("source.published: not a valid date: '2025-02-30' (use YYYY-MM-DD)",),
        True,
    ),
    Case(
        "impossible-pack-date",
        _edit(P, "date: 2026-02-02", "date: 2026-13-01"),
        BAD,
        P,
        ("date: not a valid date: '2026-13-01'",),
        True,
    ),
    Case(
        "id-not-a-slug",
        _edit(B, "id: mearsheimer-diplomatie", "id: Mearsheimer Diplomatie"),
        BAD,
        B,
        ("id: string should match pattern",),
        True,
    ),
    Case(
        "url-not-http",
        _edit(B, "  url: null", '  url: "javascript:alert(1)"'),
        BAD,
        B,
        ("source.url: must be an http:// or https:// URL",),
        True,
    ),
    # --- cross-file rules --------------------------------------------------------------------
    Case(
        "duplicate-briefing-id",
        _copy_briefing("mearsheimer-diplomatie.yml"),
        BAD,
        "briefings/mearsheimer-diplomatie.yml",
        ("duplicate briefing id 'mearsheimer-diplomatie' (also used by " + B + ")",),
        True,
    ),
    Case(
        "copied-briefing-keeps-old-id",
        _copy_briefing("kopie.yaml"),
        BAD,
        "briefings/kopie.yaml",
        ("does not match the file name 'kopie.yaml'",),
        True,
    ),
    Case(
        "pack-names-missing-briefing",
        _edit(P, "  - mearsheimer-diplomatie", "  - mearsheimer-diplomatie\n  - gibt-es-nicht"),
        BAD,
        P,
        ("no briefing with id 'gibt-es-nicht' in briefings/",),
        True,
    ),
    Case(
        "pack-lists-briefing-twice",
        _edit(
            P,
            "\n  - mearsheimer-diplomatie",
            "\n  - mearsheimer-diplomatie\n  - washington-ohnmacht",
        ),
        BAD,
        P,
        ("briefing 'washington-ohnmacht' is listed twice",),
        True,
    ),
    # --- source files must stay under seeds/ -------------------------------------------------
    Case(
        "source-outside-seeds",
        _edit(B, f"file: {SEED}", "file: ../../etc/passwd"),
        BAD,
        B,
        ("source.file: '../../etc/passwd' is not a file under seeds/",),
        True,
    ),
    Case(
        "source-absolute-path",
        _edit(B, f"file: {SEED}", "file: /etc/passwd"),
        BAD,
        B,
        ("'/etc/passwd' is not a file under seeds/",),
        True,
    ),
    Case(
        "source-symlink-out-of-seeds",
        _symlinked_seed,
        BAD,
        B,
        ("'seeds/passwd.txt' is not a file under seeds/",),
        True,
    ),
    Case(
        "source-name-too-long",
        _edit(B, f"file: {SEED}", "file: seeds/" + "x" * 300 + ".txt"),
        BAD,
        B,
        ("is not a file under seeds/",),
        True,
    ),
    Case("source-not-utf8", _seed_non_utf8, BAD, SEED, ("not valid UTF-8 (byte 0xfc",), True),
    # --- translation memory ------------------------------------------------------------------
    Case("tm-truncated", _bad_yaml_tm, BAD, T, ("YAML syntax error",), True),
    Case("tm-binary-garbage", _tm_garbage, BAD, T, ("not valid UTF-8",), True),
    Case(
        "tm-bad-status",
        _tm_bad_status,
        BAD,
        T,
        ("status: input should be 'reviewed' or 'machine'",),
        True,
    ),
    Case(
        "tm-entries-not-a-list",
        _setter(T, "entries", value={"de": "Hallo", "en": "Hello"}),
        BAD,
        T,
        ("entries: expected a list, got a mapping",),
        True,
    ),
    # --- templates ---------------------------------------------------------------------------
    Case(
        "template-syntax-error",
        _template_syntax,
        BAD,
        TPL,
        ("template syntax error",),  # Jinja knows the line, not the column
    ),
    Case(
        "template-undefined-name",
        _template_undefined,
        BAD,
        TPL,
        ("'no_such_name' is undefined",),
    ),
    # --- usage -------------------------------------------------------------------------------
    Case(
        "no-project",
        _drop_project,
        ExitCode.USAGE,
        None,
        ("no briefpack project found", "looked for a 'briefings/' folder"),
    ),
    # --- glossary, build manifest and content cache -----------------------------------------
    Case(
        "glossary-broken-yaml",
        _edit(GLOSSARY, "\nterms:\n", "\nterms: [\n"),
        BAD,
        GLOSSARY,
        ("YAML",),
        True,
    ),
    Case(
        "glossary-conflicting-entries",
        _glossary_conflict,
        BAD,
        GLOSSARY,
        ("Selenskyj",),
        True,
    ),
    # --- a glossary that cannot be loaded is an input error, never an empty glossary ------
    Case("glossary-is-a-folder", _glossary_folder, BAD, GLOSSARY, ("is a folder",)),
    Case(
        "glossary-over-size-limit",
        _glossary_huge,
        BAD,
        GLOSSARY,
        ("glossary file is 3,", "over the limit of 2,097,152 bytes"),
    ),
    Case("glossary-dangling-symlink", _glossary_dangling, BAD, GLOSSARY, ("does not exist",)),
    Case("tm-folder-named-yaml", _memory_folder, BAD, "translations/zz-kaputt.yaml", ("folder",)),
    Case(
        "project-memory-truncated",
        _project_memory_truncated,
        ExitCode.OK,
        "memory/org.tmx",
        position=True,
        check_code=BAD,
    ),
    # --- control characters, escaped in YAML, are refused in the glossary too ---------------
    Case("glossary-nul-character", _glossary_control, BAD, GLOSSARY, position=True),
    Case("glossary-escape-character", _glossary_escape, BAD, GLOSSARY, position=True),
    # --- normalisation at read time -----------------------------------------------------------
    Case("seed-name-in-nfd", _nfd_seed_name, ExitCode.OK, None),
    Case("invisible-characters-keep-translations", _invisible_characters, ExitCode.OK, None),
    # --- out/ is a file: reported before anything is rendered ---------------------------------
    Case(
        "out-is-a-file",
        _out_is_a_file,
        ExitCode.FAILED,
        "out",
        ("is a file, not a folder; nothing was built",),
        check_code=ExitCode.OK,
    ),
    Case(
        "manifest-corrupt-is-rebuilt",
        _whole(MANIFEST, '{"format": 1, "packs": '),
        ExitCode.OK,
        ".briefpack-manifest.json",
        ("corrupt", "rebuilding"),
        check_code=ExitCode.OK,
        same_pdf=True,
        good_out=True,
    ),
    Case(
        "cache-garbage-is-ignored", _cache_garbage, ExitCode.OK, None, same_pdf=True, good_out=True
    ),
    Case(
        "cache-wrong-shapes-are-misses",
        _cache_wrong_shapes,
        ExitCode.OK,
        None,
        same_pdf=True,
        good_out=True,
    ),
]


def json_ok(path: Path) -> bool:
    """Whether `path` holds valid JSON (the manifest after a rebuild)."""
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return True


assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"
assert os.sep == "/", "the corpus writes POSIX paths"
