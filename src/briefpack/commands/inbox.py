"""The inbox as a Markdown table, for the CI job summary (`inbox list --markdown`).

The inbox's decisions (the ranked list, accept, dismiss) are `source.inbox_actions`, below
the commands: the CLI and the preview server's Inbox view call the same functions.
"""

from __future__ import annotations

from briefpack.source.inbox import MIN_SCORE, InboxItem


def markdown(items: list[InboxItem], *, hidden: int = 0) -> str:
    """Return the ranked inbox as a Markdown table (for a CI job summary)."""
    lines = ["### Inbox", ""]
    if not items:
        lines.append("No new items.")
    else:
        lines += ["| score | id | date | outlet | title | terms |", "|---:|---|---|---|---|---|"]
        for i in items:
            title = _md(i.title or i.url)
            places = f" (+{len(i.duplicates())})" if i.duplicates() else ""
            lines.append(
                f"| {i.score:g} | `{i.id}` | {i.date or ''} | {_md(i.outlet or '')}{places} "
                f"| [{title}]({i.url}) | {_md(', '.join(i.terms[:6]))} |"
            )
    if hidden:
        lines += ["", f"{hidden} item(s) below the score {MIN_SCORE:g} hidden."]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]").replace("\n", " ")
