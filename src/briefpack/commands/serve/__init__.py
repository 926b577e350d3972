"""`briefpack serve`: a live HTML preview of a pack and a review page, on 127.0.0.1 only.

Shaped like mkdocs' livereload: one watcher for the server (`watch`), one prepare and render
per burst of changes (`site`; never per request), open tabs long-polling an epoch number, and
the markup in Jinja templates (`templates/`, with the CSS and JS in `static/`). `server`
holds the HTTP side and its security model.

The preview is the PDF's own view and template (`prepare` → `Prepared.view` → `render_html`)
with a screen stylesheet added, so no paging. The review page is the pack's segments as a
queue (open ones with most findings first): German with glossary terms highlighted, English
in an edit box that fits it, MT marked, QA findings beside it; above, every pack's progress.
The briefing editor (`editor`, `/edit`) is a form per briefing beside its source text, saved
through the source layer's comment-keeping writer (`source.briefing_edit`).
"""

from briefpack.commands.serve.server import PreviewServer, start

__all__ = ["PreviewServer", "start"]
