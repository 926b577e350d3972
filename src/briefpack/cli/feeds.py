"""`briefpack feeds add|list|remove`: the news feeds in feeds.yaml that `intake` reads.

Exit codes: 0 success; 2 bad usage, no project, a URL that is a feed already or names no
feed; 3 feeds.yaml is invalid, or the URL is neither a feed nor a page linking to one; 6 the
URL could not be fetched; 7 another process kept feeds.yaml locked.
"""

from __future__ import annotations

from typing import Annotated

import typer

from briefpack.cli._common import ProjectOption, echo_err, handled
from briefpack.cli._dialect import App

app = App(name="feeds", help="Manage the news feeds (feeds.yaml) that `briefpack intake` reads.")


@app.command("add")
def add(
    url: Annotated[
        str,
        typer.Argument(
            metavar="URL", help="A feed's URL (RSS, RDF, Atom, JSON Feed), or a site's page."
        ),
    ],
    name: Annotated[
        str | None,
        typer.Option(
            "--name", metavar="TEXT", help="The outlet's name (default: the feed's title)."
        ),
    ] = None,
    keywords: Annotated[
        list[str] | None,
        typer.Option(
            "--keyword", metavar="TEXT", help="A word that makes an item relevant (repeatable)."
        ),
    ] = None,
    tags: Annotated[
        list[str] | None, typer.Option("--tag", metavar="TEXT", help="A label (repeatable).")
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Add a feed; a web page's URL adds the first feed the page links to."""
    from urllib.parse import urlsplit

    from briefpack.source.feeds import Feed, add_feed, feeds_path, load_feeds
    from briefpack.source.fetch import check_url
    from briefpack.source.syndication import find_feed_at
    from briefpack.util.paths import find_project
    from briefpack.util.text import clean

    with handled():
        proj = find_project(project)
        load_feeds(feeds_path(proj.root), root=proj.root)  # an invalid file: say so first
        check_url(url)
        found = find_feed_at(url)
        outlet = clean(name) if name else found.title or urlsplit(found.url).hostname or url
        feed = Feed(
            url=found.url,
            name=outlet,
            keywords=[clean(k) for k in keywords or ()],
            tags=[clean(t) for t in tags or ()],
        )
        edit = add_feed(feeds_path(proj.root), feed, root=proj.root)
        if found.discovered:
            echo_err(f"{url} is a web page; it links to the feed {found.url}")
        typer.echo(
            f"added {feed.name} ({feed.url}: {found.kind}, {found.items} item(s)) "
            f"to {proj.rel(edit.path)}"
        )


@app.command("list")
def list_feeds(project: ProjectOption = None) -> None:
    """List the feeds: outlet, URL, keywords and tags."""
    from briefpack.source.feeds import feeds_path, load_feeds
    from briefpack.util.paths import find_project

    with handled():
        proj = find_project(project)
        feeds = load_feeds(feeds_path(proj.root), root=proj.root)
        if not feeds:
            echo_err("no feeds yet; add one with `briefpack feeds add URL`")
        for feed in feeds:
            extras = []
            if feed.keywords:
                extras.append("keywords: " + ", ".join(feed.keywords))
            if feed.tags:
                extras.append("tags: " + ", ".join(feed.tags))
            tail = f"  [{'; '.join(extras)}]" if extras else ""
            typer.echo(f"{feed.name}  {feed.url}{tail}")


@app.command("remove")
def remove(
    which: Annotated[str, typer.Argument(help="The feed's URL or outlet name.", metavar="FEED")],
    project: ProjectOption = None,
) -> None:
    """Remove a feed (its inbox items stay)."""
    from briefpack.source.feeds import feeds_path, remove_feed
    from briefpack.util.paths import find_project

    with handled():
        proj = find_project(project)
        edit = remove_feed(feeds_path(proj.root), which, root=proj.root)
        typer.echo(f"removed {edit.feed.name} ({edit.feed.url}) from {proj.rel(edit.path)}")
