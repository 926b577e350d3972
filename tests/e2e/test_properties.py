"""Property tests: whatever the YAML, the loader raises only briefpack's own errors.

Arbitrary text, YAML-flavoured text, structured documents dumped with `yaml.safe_dump` and
mutations of the demo project's real files are fed to `parse_yaml` and `load_content`. The
only acceptable failure is a `BriefpackError` whose problems name a file; a KeyError,
TypeError, AttributeError, RecursionError or ValueError would be a traceback for the user.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefpack.errors import BriefpackError, InputError
from briefpack.source.load import load_content
from briefpack.util.paths import Project
from briefpack.util.text import clean, text_problem
from briefpack.util.yamlio import parse_yaml
from tests.support import REPO

# How many examples: the Hypothesis profile's (tests/conftest.py; small in the fast layer).
ANY_INPUT = settings(deadline=None)
# Each example loads a whole project: 60 are plenty, and the tests run in the slow layer only.
PROJECT_MUTATIONS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Characters that steer the YAML scanner, plus a few that break readers and decoders.
YAML_ALPHABET = " \n\t:-?[]{},&*!|>'\"#%@`.~=<+_0123456789aexyzTFnulÄ\u00a0\u2028\ufeff\x00\x07"

Scalar = None | bool | int | float | str


def parse(text: str) -> Any:
    return parse_yaml(text, path=Path("x.yaml"), display="x.yaml")


def only_briefpack_errors(text: str) -> Any:
    """Parse `text`; return the data, or None after a well-formed InputError."""
    try:
        return parse(text).data
    except InputError as exc:
        assert exc.problems, "an InputError without problems gives the user no location"
        for problem in exc.problems:
            assert problem.file == "x.yaml"
            assert problem.line is None or problem.line >= 1
            str(problem)
        return None


# --- parse_yaml ------------------------------------------------------------------------------


@ANY_INPUT
@given(st.text(max_size=300))
@example("a: \x00\n")  # a control character: PyYAML's reader error has no mark
@example("[" * 5000 + "]" * 5000)  # deep nesting: RecursionError in PyYAML's composer
@example("- &a\n  - *a\n")  # a recursive alias: an endless loop in our node walk
@example("a: 0x_\n")  # resolved as an int, then int() fails
@example("a: !!bool maybe\n")  # KeyError in PyYAML's bool table
@example("a: " + "1" * 5000 + "\n")  # over Python's int digit limit
@example("a: !!float abc\n")
@example("? [a]\n: b\n")  # a mapping key that is not a scalar
def test_any_text(text: str) -> None:
    only_briefpack_errors(text)


@ANY_INPUT
@given(st.text(alphabet=YAML_ALPHABET, max_size=200))
def test_yaml_flavoured_text(text: str) -> None:
    only_briefpack_errors(text)


# PyYAML writes NEL and the Unicode line/paragraph separators raw with allow_unicode and
# reads them back as line breaks: a PyYAML round-trip quirk, not ours.
# Characters the text gate refuses (briefpack.util.text) are refused, not read back.
_TEXT = st.characters(exclude_characters="\x85\u2028\u2029").filter(
    lambda c: text_problem(c) is None
)


def _scalars() -> st.SearchStrategy[Scalar]:
    return (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(10**30), max_value=10**30)
        | st.floats(allow_nan=False)
        | st.text(_TEXT, max_size=40)
    )


def _documents() -> st.SearchStrategy[Any]:
    return st.recursive(
        _scalars(),
        lambda children: (
            st.lists(children, max_size=5)
            | st.dictionaries(st.text(_TEXT, max_size=12), children, max_size=5)
        ),
        max_leaves=30,
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isinf(a) and math.isinf(b) and (a > 0) == (b > 0))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str):
        return a == clean(b)  # strings are normalised when read (briefpack.util.text)
    return type(a) is type(b) and a == b


@ANY_INPUT
@given(_documents(), st.sampled_from([{}, {"default_flow_style": True}, {"allow_unicode": True}]))
def test_structured_documents_round_trip(data: Any, style: dict[str, Any]) -> None:
    """What `yaml.safe_dump` writes reads back as the same data (dates stay strings).

    Strings come back `clean`ed: NFC, without format characters, ligatures spelled out.
    """
    text = yaml.safe_dump(data, **style)
    assert _same(parse(text).data, data), text


# --- load_content on a project -----------------------------------------------------------------

B = "briefings/mearsheimer-diplomatie.yaml"
P = "briefings/packs/ukraine-sicherheitsgarantien.yaml"
T = "translations/mearsheimer-diplomatie.yaml"
FILES = (B, P, T)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """A copy of the demo inputs (no templates: loading never reads them)."""
    root = tmp_path_factory.mktemp("props") / "p"
    for part in ("briefings", "seeds", "translations"):
        shutil.copytree(REPO / part, root / part)
    yield Project(root)


def load_with(project: Project, rel: str, data: bytes) -> None:
    """Write `data` to `rel`, load the project, restore the file; allow only our errors."""
    path = project.root / rel
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        load_content(project)
    except BriefpackError as exc:
        for problem in exc.problems:
            assert problem.file and not problem.file.startswith("/"), problem
            str(problem)
    finally:
        path.write_bytes(original)


def test_demo_project_loads(project: Project) -> None:
    content = load_content(project)
    assert len(content.briefings) >= 5 and content.packs


def _paths(data: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (sequence of keys and indexes) into a nested structure."""
    out = [here]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*here, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*here, i))
    return out


@st.composite
def structural_mutation(draw: st.DrawFn) -> tuple[str, bytes]:
    """A demo file whose data has one value replaced, one key dropped or one key added."""
    rel = draw(st.sampled_from(FILES))
    data = yaml.safe_load((REPO / rel).read_text(encoding="utf-8"))
    path = draw(st.sampled_from(_paths(data)[1:]))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    action = draw(st.sampled_from(["replace", "drop", "add"]))
    if action == "replace":
        parent[path[-1]] = draw(_documents())
    elif action == "drop":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=10))] = draw(_documents())
    else:
        parent.append(draw(_documents()))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=draw(st.booleans()))
    return rel, text.encode("utf-8")


@st.composite
def text_mutation(draw: st.DrawFn) -> tuple[str, bytes]:
    """A demo file with a slice deleted, duplicated or replaced by YAML-flavoured text."""
    rel = draw(st.sampled_from(FILES))
    raw = (REPO / rel).read_bytes()
    start = draw(st.integers(0, len(raw)))
    end = draw(st.integers(start, min(len(raw), start + 80)))
    action = draw(st.sampled_from(["delete", "duplicate", "insert", "bytes"]))
    if action == "delete":
        raw = raw[:start] + raw[end:]
    elif action == "duplicate":
        raw = raw[:end] + raw[start:end] + raw[end:]
    elif action == "insert":
        junk = draw(st.text(alphabet=YAML_ALPHABET, max_size=20)).encode("utf-8")
        raw = raw[:start] + junk + raw[end:]
    else:
        raw = raw[:start] + draw(st.binary(max_size=8)) + raw[end:]
    return rel, raw


@pytest.mark.slow
@PROJECT_MUTATIONS
@given(structural_mutation())
def test_structural_mutations_of_the_demo(project: Project, mutation: tuple[str, bytes]) -> None:
    load_with(project, *mutation)


@pytest.mark.slow
@PROJECT_MUTATIONS
@given(text_mutation())
def test_text_mutations_of_the_demo(project: Project, mutation: tuple[str, bytes]) -> None:
    load_with(project, *mutation)
