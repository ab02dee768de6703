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
from app.practices.presenting import file_path, practice_path

ATOM_MIMETYPE = "application/atom+xml; charset=utf-8"


@bp.app_template_filter("jsonld")
def jsonld_filter(value) -> str:
    """{{ data|jsonld }}: JSON safe inside <script type="application/ld+json"> (see templates/practices/_jsonld.html)."""
    return opendata.jsonld_script_body(value)


def site_root() -> str:
    """BASE_URL names the site in feeds (app/hosts.py), so feed ids and links do not depend on the host asked."""
    return (current_app.config.get("BASE_URL") or request.url_root).rstrip("/")


def practice_url(practice) -> str:
    """The practice page's absolute address, as the API's `url` gives it (/practices/<id>-<slug>)."""
    return site_root() + practice_path(practice.id, practice.slug)


@bp.app_template_global()
def practice_jsonld_for(practice) -> dict:
    """schema.org data of a practice page: `{% with jsonld = practice_jsonld_for(practice) %}{% include
    "practices/_jsonld.html" %}{% endwith %}` (published practices only: drafts are not open data)."""
    if practice is None or practice.status != "published":
        return {}
    root = site_root()
    organisation = practice.organisation
    return opendata.practice_jsonld({
        "id": practice.id, "title": practice.title, "summary": practice.summary, "language": practice.language,
        "url": practice_url(practice), "topics": [t.slug for t in practice.topics],
        "topic_names": [t.name for t in practice.topics], "sdg_goals": practice.sdg_goals,
        "sdg_targets": practice.sdg_targets, "city": practice.city, "country": practice.country,
        "subdivision": practice.subdivision, "latitude": practice.latitude, "longitude": practice.longitude,
        "started_year": practice.started_year, "ended_year": practice.ended_year,
        "published_at": _iso(practice.published_at), "updated_at": _iso(practice.updated_at),
        "images": [{"url": root + file_path(practice.id, f.id)} for f in practice.images],
        "organisation_name": organisation.name if organisation else None,
        "organisation_kind": organisation.kind if organisation else None,
        "organisation_url": f"{root}/organisations/{organisation.id}" if organisation else None,
    })


@bp.app_template_global()
def organisation_jsonld_for(organisation) -> dict:
    """schema.org data of an organisation profile: `{% with jsonld = organisation_jsonld_for(organisation) %}
    {% include "practices/_jsonld.html" %}{% endwith %}`."""
    if organisation is None:
        return {}
    return opendata.organisation_jsonld({
        "name": organisation.name, "kind": organisation.kind, "city": organisation.city,
        "country": organisation.country, "description": organisation.description, "website": organisation.website,
        "latitude": organisation.latitude, "longitude": organisation.longitude,
        "url": f"{site_root()}/organisations/{organisation.id}",
    })


def _iso(value) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


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
