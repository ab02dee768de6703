"""/map (the map with its list, filters as a GET form) and /map/data.json (what the map draws)."""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii as quote

from flask import Response, flash, render_template, request, url_for
from flask_babel import gettext as _

from app.directory.regions import SUB_REGIONS
from app.directory.services import list_topics
from app.errors import DomainError
from app.extensions import db
from app.i18n import _l
from app.map import bp, queries
from app.organisations.naming import countries_by_name, page_language, place_helpers, region_label
from app.practices.limits import STAGES
from app.sqltypes import utcnow
from app.validation import page_number

LIST_PER_PAGE = 100  # the list beside the map pages through the same items the map shows at once
TYPE_LABELS = {"practice": _l("Good practice"), "organisation": _l("Organisation"), "event": _l("Event")}
TYPE_PLURALS = {"practice": _l("Good practices"), "organisation": _l("Organisations"), "event": _l("Upcoming events")}
FILTER_LABELS = {"type": _l("Show"), "topic": _l("Topic"), "sdg": _l("SDG"), "region": _l("Region"),
                 "country": _l("Country"), "stage": _l("Stage")}


def _url_prefixes() -> dict[str, str]:
    """Each type's page URL without its id (url_for once per request, not once per item)."""
    return {
        "practice": f"{request.script_root}/practices/",
        "organisation": url_for("organisations.detail", organisation_id=0).removesuffix("0"),
        "event": url_for("events.detail", event_id=0).removesuffix("0"),
    }


def _items(filters: queries.MapFilters) -> list[tuple]:
    return queries.map_items(db.session, filters=filters, now=utcnow(), language=page_language())


@bp.get("/map")
def index():
    try:
        filters = queries.parse_map_filters(request.args)
    except DomainError as exc:
        name = next(iter(exc.fields), "")
        flash(_("The %(label)s filter was ignored: %(reason)s", label=FILTER_LABELS.get(name, name),
                reason=exc.message_for()), "warning")
        filters = queries.MapFilters()
    items = _items(filters)
    counts = {kind: 0 for kind in queries.TYPES}
    for item in items:
        counts[item[0]] += 1
    page = page_number(request.args.get("page", 1, type=int))
    pages = max(1, -(-len(items) // LIST_PER_PAGE))
    page = min(page, pages)
    shown = items[(page - 1) * LIST_PER_PAGE: page * LIST_PER_PAGE]
    args = filters.as_args()
    return render_template(
        "map/index.html", filters=filters, args=args, shown=shown, total=len(items), counts=counts,
        page={"page": page, "pages": pages}, prefixes=_url_prefixes(), type_labels=TYPE_LABELS,
        type_plurals=TYPE_PLURALS, topics=list_topics(db.session), stages=STAGES,
        regions=sorted(SUB_REGIONS, key=region_label), countries=countries_by_name(),
        data_url=url_for("map.data", **args), with_clusters=True, **place_helpers(),
    )


@bp.get("/map/data.json")
def data():
    """[{type, id, title, lat, lng, url}] for the map; a bad filter is a 422 naming it."""
    try:
        filters = queries.parse_map_filters(request.args)
    except DomainError as exc:
        body = {"error": {"code": exc.reason, "message": exc.message_for(), "fields": exc.fields_for()}}
        return Response(json.dumps(body), status=422, mimetype="application/json")
    prefixes = {kind: quote(prefix) for kind, prefix in _url_prefixes().items()}
    # written out directly: twice as fast as json.dumps on 10,000 dicts. Only the titles need escaping; ids are
    # integers and the coordinates finite floats (the database's checks keep them in range), whose repr is JSON.
    body = "[" + ",".join(
        f'{{"type":"{kind}","id":{id_},"title":{quote(title)},"lat":{float(lat)!r},"lng":{float(lng)!r},'
        f'"url":{prefixes[kind][:-1]}{id_}"}}'
        for kind, id_, title, lat, lng in _items(filters)) + "]"
    response = Response(body, mimetype="application/json")
    response.headers["Cache-Control"] = "no-cache"
    return response

