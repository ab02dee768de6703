"""`flask search reindex`: rebuild the search index from the data (after a restore, an import in bulk, or a
change to what the documents hold)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from app.search.index import reindex
from app.search.registry import REGISTRY

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("reindex")
@click.option("--kind", "kinds", multiple=True, help="Only this kind (event, practice, programme, organisation).")
def reindex_command(kinds):
    """Rebuild every document of the search index (or of the given kinds), in one transaction."""
    unknown = sorted(set(kinds) - set(REGISTRY.sources))
    if unknown:
        raise click.BadParameter(f"unknown kind {', '.join(unknown)}; known: {', '.join(sorted(REGISTRY.sources))}",
                                 param_hint="--kind")
    counts = reindex(db.session, kinds or None)
    db.session.commit()
    for kind, count in counts.items():
        click.echo(f"{kind}: {count} documents")
