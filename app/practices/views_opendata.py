"""Open data pages: the Atom feed of newly published practices and the CSV export (published only).

Read-only and public; the feed answers conditional requests with 304 (ETag / Last-Modified from one
aggregate query), like the calendar feeds do.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Response, current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _

from app.extensions import db
from app.practices import bp, opendata

ATOM_MIMETYPE = "application/atom+xml; charset=utf-8"


@bp.app_template_filter("jsonld")
def jsonld_filter(value) -> str:
    """{{ data|jsonld }}: JSON safe inside <script type="application/ld+json"> (see templates/practices/_jsonld.html)."""
    return opendata.jsonld_script_body(value)


def site_root() -> str:
    """BASE_URL names the site in feeds (app/hosts.py), so feed ids and links do not depend on the host asked."""
    return (current_app.config.get("BASE_URL") or request.url_root).rstrip("/")


def practice_url(practice) -> str:
    """The practice page's absolute address (/practices/<id>, the canonical form of the contract)."""
    return f"{site_root()}/practices/{practice.id}"


def _not_modified(state: opendata.FeedState) -> bool:
    """RFC 9110: If-None-Match wins; If-Modified-Since only counts without it."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(state.etag)
    since = request.if_modified_since
    return bool(since and state.last_modified and state.last_modified <= since)


def _cached(response: Response, state: opendata.FeedState) -> Response:
    response.set_etag(state.etag)
    if state.last_modified is not None:
        response.last_modified = state.last_modified
    response.headers["Cache-Control"] = "public, max-age=300"
    response.vary.add("Accept-Language")  # the feed's own title and the CSV headers follow the language
    return response


@bp.get("/practices/feed.atom")
def feed():
    """Atom 1.0 of the newest published practices, filterable by ?topic=<slug>&sdg=<1-17>&region=<M49>."""
    filters = opendata.OpenDataFilters.from_args(request.args)
    language = str(get_locale() or "en")
    state = opendata.feed_state(db.session, filters, extra=language)
    if _not_modified(state):
        return _cached(Response(status=304), state)
    practices = opendata.feed_practices(db.session, filters)
    root = site_root()
    query = urlencode(filters.as_args())
    network = current_app.config.get("NETWORK_NAME") or "Connective Cities"
    body = opendata.atom_feed(
        feed_id=opendata.tag_uri(root, datetime(2026, 1, 1, tzinfo=UTC), f"practices?{query}" if query else "practices"),
        title=_("Good practices · %(network)s", network=network),
        subtitle=_("Newly published good practices from the network's member cities."),
        self_url=f"{root}/practices/feed.atom" + (f"?{query}" if query else ""),
        alternate_url=f"{root}/practices" + (f"?{query}" if query else ""),
        updated=state.last_modified or datetime(2026, 1, 1, tzinfo=UTC),
        entries=[opendata.feed_entry(p, url=practice_url(p), authority=root) for p in practices],
        language=language.replace("_", "-"),
    )
    return _cached(Response(body, mimetype="application/atom+xml", content_type=ATOM_MIMETYPE), state)


def csv_headers() -> dict[str, str]:
    """The CSV's header row in the reader's language (the column keys stay in the API's names elsewhere)."""
    return {
        "id": _("ID"), "title": _("Title"), "summary": _("Summary"), "organisation": _("Organisation"),
        "city": _("City"), "country": _("Country"), "region": _("Region"), "stage": _("Stage"),
        "started_year": _("Start year"), "ended_year": _("End year"), "topics": _("Topics"),
        "sdg_goals": _("SDG goals"), "sdg_targets": _("SDG targets"), "language": _("Language"),
        "published_at": _("Published"), "last_verified_at": _("Last verified"), "url": _("Web address"),
    }


@bp.get("/practices.csv")
def export_csv():
    """Every published practice, one row each, formula-safe."""
    practices = opendata.export_practices(db.session)
    text = opendata.practices_csv(practices, headers=csv_headers(), url_for_practice=practice_url)
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="good-practices.csv"'
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.vary.add("Accept-Language")
    return response
