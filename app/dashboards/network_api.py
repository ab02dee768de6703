"""GET /api/v1/network/stats: the network dashboard's figures as JSON (public; an admin's token sees more)."""

from __future__ import annotations

from flask import current_app, g

from app.apikit import bp
from app.apikit.auth import api_user
from app.apikit.contract import Reply, operation, respond
from app.dashboards.filters import parse_filters
from app.dashboards.network_schemas import NetworkFilters, NetworkStatsOut
from app.dashboards.network_stats import TOP_PAIRS_ADMIN, TOP_PAIRS_PUBLIC, NetworkStats, network_stats_kept
from app.extensions import db
from app.sqltypes import utcnow


def stats_json(stats: NetworkStats, *, detail: str) -> dict:
    """The figures as the API (and the page's tests) read them."""
    orgs = stats.organisations
    f = stats.filters
    return {
        "detail": detail,
        "filters": {"from": f.date_from.isoformat() if f.date_from else None,
                    "to": f.date_to.isoformat() if f.date_to else None,
                    "format": f.format, "topic": f.topic, "region": f.region},
        "flows": [{"from_organisation_id": flow.from_organisation_id,
                   "to_organisation_id": flow.to_organisation_id, "people": flow.people,
                   "from_organisation_name": orgs[flow.from_organisation_id].name,
                   "to_organisation_name": orgs[flow.to_organisation_id].name} for flow in stats.flows],
        "flow_pairs": stats.flow_pairs,
        "events_by_year": [{"year": r.year, "format": r.key, "events": r.events} for r in stats.events_by_year],
        "events_by_year_region": [{"year": r.year, "region": r.key, "events": r.events}
                                  for r in stats.events_by_year_region],
        "events_by_region": stats.events_by_region,
        "reach_by_topic": {slug: vars(reach) for slug, reach in stats.reach_by_topic.items()},
        "reach_by_sdg": {str(goal): vars(reach) for goal, reach in stats.reach_by_sdg.items()},
        "practices_most_wanted": [vars(p) for p in stats.most_wanted],
        "cities": [{"organisation_id": c.organisation_id, "name": orgs[c.organisation_id].name,
                    "city": orgs[c.organisation_id].city, "country": orgs[c.organisation_id].country,
                    "region": orgs[c.organisation_id].region, "latitude": orgs[c.organisation_id].latitude,
                    "longitude": orgs[c.organisation_id].longitude, "events_hosted": c.events_hosted,
                    "participants_sent": c.participants_sent, "practices": c.practices, "activity": c.activity}
                   for c in stats.cities],
    }


@operation(bp.get, "/network/stats", tag="Network", public=True, query=NetworkFilters, errors=(400,),
           summary="The network's figures: who learns from whom, events per year, reach by topic and SDG",
           description="Counts only, never people. Filters: `from`/`to` (YYYY-MM-DD, UTC days, all time when "
                       "absent), `format`, `topic`, `region`; a bad one is a 400 whose `fields` names it.",
           replies={200: Reply("The figures for the filters given.", NetworkStatsOut)})
def network_stats_api():
    query: NetworkFilters = g.api_query
    args = {name: value for name, value in (("from", query.from_), ("to", query.to), ("format", query.format),
                                            ("topic", query.topic), ("region", query.region)) if value}
    user = api_user()
    admin = user is not None and user.is_admin
    filters = parse_filters(args)
    stats, counted_at = network_stats_kept(db.session, filters=filters, include_unpublished=admin,
                                           top_pairs=TOP_PAIRS_ADMIN if admin else TOP_PAIRS_PUBLIC,
                                           now=utcnow(), ttl=current_app.config["NETWORK_STATS_CACHE_SECONDS"])
    return respond(NetworkStatsOut, {**stats_json(stats, detail="admin" if admin else "public"),
                                     "counted_at": counted_at.isoformat()})
