"""/network: the network in figures, for everyone (counts only, never people; admins see drafts and every
flow). Filters are a GET form kept in the URL; `?csv=<key>` downloads a chart's numbers with the same filters."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.charts import Chart, Flow, Series
from app.charts.web import requested_csv
from app.dashboards import bp
from app.dashboards.filters import FILTER_NAMES, DashboardFilters, FilterInvalid, parse_filters
from app.dashboards.network_stats import TOP_PAIRS_ADMIN, TOP_PAIRS_PUBLIC, NetworkStats, network_stats_kept
from app.directory.regions import SUB_REGIONS
from app.events.labels import EVENT_FORMAT_LABELS
from app.events.models import EVENT_FORMATS
from app.extensions import db
from app.i18n import format_number, format_when
from app.organisations.naming import region_label
from app.practices.sdg import GOAL_NAMES
from app.sqltypes import utcnow
from app.templating import topic_text

TOP_PAIRS_LISTED = 10  # the list of top pairs beside the diagram
TOP_CITIES = 30  # the activity chart beside the map (the map shows every city)


def _region(code: str) -> str:
    return region_label(code) if code else _("No country (online)")


def _charts(stats: NetworkStats) -> dict[str, Chart | Flow]:
    """Every chart of the page, keyed as in `?csv=<key>`."""
    orgs = stats.organisations
    years = stats.years
    by_year = {(row.year, row.key): row.events for row in stats.events_by_year}
    formats = [fmt for fmt in EVENT_FORMATS if any((year, fmt) in by_year for year in years)]
    topics = list(stats.reach_by_topic)
    goals = list(stats.reach_by_sdg)
    charts: dict[str, Chart | Flow] = {}
    charts["flows"] = Flow(
        key="flows", title=_("Who learns from whom"),
        links=tuple((orgs[f.from_organisation_id].name, orgs[f.to_organisation_id].name, f.people)
                    for f in stats.flows),
        from_label=_("Participants' organisation"), to_label=_("Host organisation"),
        description=_("People of one organisation who took part in events another organisation hosted."))
    charts["events-by-year"] = Chart(
        key="events-by-year", title=_("Events per year by format"), kind="bar",
        categories=tuple(str(year) for year in years),
        series=tuple(Series(label=str(EVENT_FORMAT_LABELS[fmt]), values=tuple(by_year.get((year, fmt), 0)
                                                                                for year in years))
                     for fmt in formats),
        x_label=_("Year"), y_label=_("Events"), value_format=format_number,
        description=_("How many events started each year, by format."))
    charts["events-by-region"] = Chart(
        key="events-by-region", title=_("Events by region"), kind="hbar",
        categories=tuple(_region(code) for code in stats.events_by_region),
        series=(Series(label=_("Events"), values=tuple(stats.events_by_region.values())),),
        value_format=format_number, description=_("How many events took place in each region of the world."))
    charts["reach-by-topic"] = Chart(
        key="reach-by-topic", title=_("Reach by topic"), kind="hbar",
        categories=tuple(topic_text(stats.topics.get(slug, slug)) for slug in topics),
        series=(Series(label=_("Events"), values=tuple(stats.reach_by_topic[s].events for s in topics)),
                Series(label=_("Good practices"), values=tuple(stats.reach_by_topic[s].practices for s in topics)),
                Series(label=_("People"), values=tuple(stats.reach_by_topic[s].people for s in topics))),
        value_format=format_number, description=_("Events, good practices and people with expertise on each topic."))
    charts["reach-by-sdg"] = Chart(
        key="reach-by-sdg", title=_("Reach by Sustainable Development Goal"), kind="hbar",
        categories=tuple(_("Goal %(num)d: %(name)s", num=goal, name=_(GOAL_NAMES[goal])) for goal in goals),
        series=(Series(label=_("Good practices"), values=tuple(stats.reach_by_sdg[g].practices for g in goals)),
                Series(label=_("People"), values=tuple(stats.reach_by_sdg[g].people for g in goals))),
        value_format=format_number, description=_("Good practices serving each goal and people with expertise in it."))
    charts["most-wanted"] = Chart(
        key="most-wanted", title=_("Good practices most cities want to try"), kind="hbar",
        categories=tuple(p.title for p in stats.most_wanted),
        series=(Series(label=_("Organisations interested"), values=tuple(p.organisations
                                                                         for p in stats.most_wanted)),),
        value_format=format_number, description=_("How many organisations registered their interest in each practice."))
    cities = stats.cities[:TOP_CITIES]
    charts["cities"] = Chart(
        key="cities", title=_("The most active member cities"), kind="stacked_hbar",
        categories=tuple(orgs[c.organisation_id].name for c in cities),
        series=(Series(label=_("Events hosted"), values=tuple(c.events_hosted for c in cities)),
                Series(label=_("Participants sent"), values=tuple(c.participants_sent for c in cities)),
                Series(label=_("Good practices"), values=tuple(c.practices for c in cities))),
        value_format=format_number, description=_("Events each organisation hosted, people it sent and its practices."))
    return charts


def _period(filters: DashboardFilters) -> str:
    start = format_when(filters.date_from, fmt="%d %b %Y") if filters.date_from else None
    end = format_when(filters.date_to, fmt="%d %b %Y") if filters.date_to else None
    if start and end:
        return _("From %(start)s to %(end)s", start=start, end=end)
    if start:
        return _("Since %(start)s", start=start)
    if end:
        return _("Until %(end)s", end=end)
    return _("All time")


def _map_points(stats: NetworkStats) -> list[dict]:
    """The cities with a place, for the map's circles (sized by activity in static/map.js)."""
    points = []
    for city in stats.cities:
        org = stats.organisations[city.organisation_id]
        if org.latitude is not None and org.longitude is not None:
            points.append({"lat": org.latitude, "lng": org.longitude, "label": org.name,
                           "value": city.activity, "text": format_number(city.activity)})
    return points


def _kept(filters: DashboardFilters, is_admin: bool, top_pairs: int):
    return network_stats_kept(db.session, filters=filters, include_unpublished=is_admin, top_pairs=top_pairs,
                              now=utcnow(), ttl=current_app.config["NETWORK_STATS_CACHE_SECONDS"])


@bp.get("/network")
def network():
    """The network in figures; admins also count drafts and see more of the flows."""
    is_admin = current_user.is_authenticated and current_user.is_admin
    error: FilterInvalid | None = None
    top_pairs = TOP_PAIRS_ADMIN if is_admin else TOP_PAIRS_PUBLIC
    try:
        filters = parse_filters(request.args)
        stats, counted_at = _kept(filters, is_admin, top_pairs)
    except FilterInvalid as exc:  # the page still shows, for all time, with the reason beside the form
        error = exc
        filters = DashboardFilters()
        stats, counted_at = _kept(filters, is_admin, top_pairs)
    charts = _charts(stats)
    args = filters.as_args()
    download = requested_csv(charts.values(), "network") if error is None else None
    if download is not None:
        return download
    csv_urls = {key: url_for("dashboards.network", csv=key, **args) for key in charts}
    error_field = next(iter(error.fields), "") if error else ""
    return render_template(
        "dashboards/network.html", stats=stats, charts=charts, csv_urls=csv_urls, filters=filters, args=args,
        is_admin=is_admin, period=_period(filters), error=error, error_field=error_field,
        filter_names=FILTER_NAMES, formats=EVENT_FORMATS, format_labels=EVENT_FORMAT_LABELS,
        regions=sorted(SUB_REGIONS, key=region_label), region_label=region_label,
        topics=sorted(stats.topics.items(), key=lambda item: topic_text(item[1])), topic_text=topic_text,
        map_points=_map_points(stats), top_pairs=stats.flows[:TOP_PAIRS_LISTED],
        top_pairs_admin=TOP_PAIRS_ADMIN, top_cities=TOP_CITIES, counted_at=counted_at,
    ), 400 if error else 200
