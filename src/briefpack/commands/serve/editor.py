"""The briefing editor of `serve`: a form per briefing beside its source text.

Routes (the server dispatches to them after its Host, token and body checks):

- `GET /edit`: every briefing, and the seeds no briefing uses yet, each with a button that
  scaffolds a briefing from it (`source.scaffold.new_briefing`, `new`'s own core), optionally
  adding it to a pack (`source.packs.add_briefings`, `pack add`'s).
- `GET /edit/<id>`: the editor page, made per request from the briefing file (no prepare).
- `GET /api/briefing/<id>`: the editable fields and the file's version, as JSON.
- `GET|POST /api/briefing/<id>/check`: `check`'s findings about this briefing, with the
  same codes and words as the CLI: the prepare phase and `qa.findings`, as `check` runs them.
- `POST /api/briefing/<id>`: save (`source.briefing_edit.save_briefing`: merged with changes
  made on disk meanwhile, validated by `check`'s loader, locked, atomic); 409 on a conflict,
  422 with the loader's problems when the result would be invalid.
- `POST /api/briefing-new`: `{seed, pack}` → a new briefing from a seed.

A handler returns the answer as (status, body, content type); markup comes from the Jinja
templates `briefings.html.j2` and `editor.html.j2`, behaviour from `static/editor.js`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import quote

from briefpack.commands.serve.site import GetRoute, PostRoute, Reply, Site
from briefpack.errors import (
    BriefpackError,
    ConflictError,
    InputError,
    LockedError,
    Problem,
    UsageError,
)
from briefpack.source.briefing_edit import (
    FIELDS,
    briefing_path,
    overview,
    read_briefing,
    save_briefing,
)
from briefpack.util.paths import Project


def _json(status: int, data: dict[str, object]) -> Reply:
    return status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json"


def _refused(exc: BriefpackError) -> Reply:
    """Answer an error of the library: 409 for a clash, 422 for an invalid result, else 400."""
    if isinstance(exc, ConflictError | LockedError):
        status = HTTPStatus.CONFLICT
    elif isinstance(exc, InputError):
        status = HTTPStatus.UNPROCESSABLE_ENTITY
    elif isinstance(exc, UsageError):
        status = HTTPStatus.BAD_REQUEST
    else:
        status = HTTPStatus.INTERNAL_SERVER_ERROR
    problems = [str(p) for p in exc.problems]
    return _json(status, {"error": exc.message, "problems": problems})


def _not_found(what: str) -> Reply:
    return _json(HTTPStatus.NOT_FOUND, {"error": f"no briefing {what[:100]!r}"})


def finding(problem: Problem) -> dict[str, object]:
    """Return a finding for the page: the CLI's line (`warning: file:line:col: …`) and parts."""
    return {**problem.to_dict(), "text": f"{problem.severity}: {problem}"}


@dataclass
class Editor:
    """The editor's routes over one project; `lock` serialises this server's writes."""

    project: Project
    site: Site
    lock: threading.Lock

    @property
    def gets(self) -> dict[str, GetRoute]:
        """GET routes: a path, or a prefix ending in `/` that an id follows."""
        return {"/edit": self.index, "/edit/": self.page, "/api/briefing/": self.state}

    @property
    def posts(self) -> dict[str, PostRoute]:
        """POST routes, as `gets`."""
        return {"/api/briefing/": self.save, "/api/briefing-new": self.create}

    # --- pages ----------------------------------------------------------------------------

    def index(self, rest: str, query: str) -> Reply:
        """Return the list of briefings and of the seeds that have none yet."""
        from briefpack.source.packs import list_packs

        briefings, seeds = overview(self.project)
        try:
            packs = [p.name for p in list_packs(self.project)]
        except InputError:
            packs = []  # the bar's error page says what is wrong with them
        page = self.site.render(
            "briefings.html.j2", self.site.epoch, briefings=briefings, seeds=seeds, packs=packs
        )
        return HTTPStatus.OK, page, "text/html"

    def page(self, rest: str, query: str) -> Reply:
        """Return the editor page of briefing `rest`."""
        if briefing_path(self.project, rest) is None:
            return HTTPStatus.NOT_FOUND, f"no briefing {rest[:100]!r}\n".encode(), "text/plain"
        try:
            edit = read_briefing(self.project, rest)
        except BriefpackError as exc:
            page = self.site.render("error.html.j2", self.site.epoch, error=exc, lines=exc.lines())
            return HTTPStatus.UNPROCESSABLE_ENTITY, page, "text/html"
        data = {
            "id": edit.id,
            "version": edit.version,
            "seed_version": edit.seed_version,
            "fields": edit.fields,
        }
        page = self.site.render(
            "editor.html.j2",
            self.site.epoch,
            edit=edit,
            f=edit.fields,
            file=self.project.rel(edit.path),
            data=data,
        )
        return HTTPStatus.OK, page, "text/html"

    # --- JSON -----------------------------------------------------------------------------

    def state(self, rest: str, query: str) -> Reply:
        """Return a briefing's fields and version, or (`<id>/check`) its findings."""
        bid, _, what = rest.partition("/")
        if briefing_path(self.project, bid) is None or what not in ("", "check"):
            return _not_found(rest)
        if what == "check":
            return self.check(bid)
        try:
            edit = read_briefing(self.project, bid)
        except BriefpackError as exc:
            return _refused(exc)
        return _json(HTTPStatus.OK, {"id": bid, "version": edit.version, "fields": edit.fields})

    def check(self, bid: str) -> Reply:
        """Return `check`'s findings about briefing `bid` (errors while it is invalid)."""
        from briefpack.prepare import prepare
        from briefpack.qa.findings import project_findings, terminology_findings

        path = briefing_path(self.project, bid)
        if path is None:
            return _not_found(bid)
        display = self.project.rel(path)
        try:
            prepared = prepare(self.project, translate=False, require_packs=False)
        except BriefpackError as exc:
            mine = [p for p in exc.problems if p.file == display]
            elsewhere = len(exc.problems) - len(mine)
            return _json(
                HTTPStatus.OK,
                {"findings": [finding(p) for p in mine], "elsewhere": elsewhere},
            )
        content = prepared.content
        found = [p for p in project_findings(content) if p.file == display]
        found += terminology_findings(content, {bid: content.fields(bid)})
        return _json(HTTPStatus.OK, {"findings": [finding(p) for p in found], "elsewhere": 0})

    def save(self, rest: str, data: object) -> Reply:
        """Save the fields a page sends: `{version, base, fields, seed_version}`."""
        bid, _, what = rest.partition("/")
        if briefing_path(self.project, bid) is None or what not in ("", "check"):
            return _not_found(rest)
        if what == "check":
            return self.check(bid)
        if not isinstance(data, dict):
            return _json(HTTPStatus.BAD_REQUEST, {"error": "expected a JSON object"})
        fields, base = data.get("fields"), data.get("base")
        version, seed_version = data.get("version"), data.get("seed_version")
        if not isinstance(fields, dict) or not isinstance(version, str):
            return _json(HTTPStatus.BAD_REQUEST, {"error": "expected {version, base, fields}"})
        if base is not None and not isinstance(base, dict):
            return _json(HTTPStatus.BAD_REQUEST, {"error": "base: expected the loaded fields"})
        if seed_version is not None and not isinstance(seed_version, str):
            return _json(HTTPStatus.BAD_REQUEST, {"error": "seed_version: expected text"})
        unknown = sorted(set(fields) - set(FIELDS))
        if unknown:
            return _json(HTTPStatus.BAD_REQUEST, {"error": f"unknown field {unknown[0]!r}"})
        try:
            with self.lock:
                saved = save_briefing(
                    self.project,
                    bid,
                    fields,
                    version=version,
                    base=base,
                    seed_version=seed_version,
                )
        except BriefpackError as exc:
            return _refused(exc)
        return _json(
            HTTPStatus.OK,
            {
                "ok": True,
                "file": self.project.rel(saved.path),
                "version": saved.version,
                "fields": saved.fields,
                "written": saved.written,
                "kept": saved.kept,
            },
        )

    def create(self, rest: str, data: object) -> Reply:
        """Scaffold a briefing from a seed no briefing uses (`{seed, pack}`); return its URL."""
        from briefpack.source.packs import add_briefings, show_pack
        from briefpack.source.scaffold import new_briefing

        seed = data.get("seed") if isinstance(data, dict) else None
        pack = data.get("pack") if isinstance(data, dict) else None
        if not isinstance(seed, str) or not (pack is None or isinstance(pack, str)):
            return _json(HTTPStatus.BAD_REQUEST, {"error": "expected {seed, pack}"})
        _, seeds = overview(self.project)
        if seed not in seeds:  # only a listed file: never a path the page makes up
            return _json(
                HTTPStatus.NOT_FOUND, {"error": f"no seed {seed[:100]!r} without a briefing"}
            )
        try:
            with self.lock:
                if pack:
                    show_pack(self.project, pack)  # an unknown pack: refused before writing
                made = new_briefing(self.project, self.project.root / seed)
                if pack:
                    add_briefings(self.project, pack, [made.id])
        except BriefpackError as exc:
            return _refused(exc)
        return _json(
            HTTPStatus.OK,
            {
                "ok": True,
                "id": made.id,
                "file": self.project.rel(made.path),
                "url": "/edit/" + quote(made.id),
            },
        )
