"""`GET /api/v1/events/<id>/stats`: the event dashboard's figures, for the event's organisers and admins."""

from __future__ import annotations

from app.apikit import bp
from app.apikit.auth import api_user, token_required
from app.apikit.contract import Reply, operation, respond
from app.dashboards.event_schemas import EventStatsOut
from app.dashboards.event_stats import EventStats, event_stats
from app.events import services
from app.extensions import db
from app.sqltypes import utcnow


def _iso(value):
    return value.isoformat() if value is not None else None


def stats_json(stats: EventStats) -> EventStatsOut:
    """The figures as the API shows them (the same the dashboard page draws)."""
    wl = stats.waiting_list
    return {
        "event_id": stats.event_id, "timezone": stats.timezone, "capacity": stats.capacity,
        "registration_opens_at": _iso(stats.registration_opens_at),
        "registration_closes_at": _iso(stats.registration_closes_at),
        "seats_taken": stats.seats_taken, "participants": stats.participants, "statuses": dict(stats.statuses),
        "registrations_over_time": [
            {"date": d.date.isoformat(), "count": d.count, "cumulative": d.cumulative}
            for d in stats.registrations_over_time],
        "funnel": {"registered": stats.funnel.registered, "confirmed": stats.funnel.confirmed,
                   "attended": stats.funnel.attended, "certified": stats.funnel.certified},
        "waiting_list": {"put_on_list": wl.put_on_list, "waiting_now": wl.waiting_now, "promoted": wl.promoted,
                         "offers_made": wl.offers_made, "offers_accepted": wl.offers_accepted,
                         "offers_expired": wl.offers_expired, "offers_declined": wl.offers_declined,
                         "offers_open": wl.offers_open},
        "attendance_by_session": [
            {"session_id": u.session_id, "day": _iso(u.day), "title": u.title, "starts_at": _iso(u.starts_at),
             "ends_at": _iso(u.ends_at), "attended": u.attended, "no_shows": u.no_shows}
            for u in stats.attendance],
        "no_shows": stats.no_shows,
        "by_country": stats.by_country, "by_region": stats.by_region,
        "by_organisation_kind": stats.by_organisation_kind, "by_language": stats.by_language,
    }


@operation(bp.get, "/events/<int:event_id>/stats", tag="Events", errors=[403, 404],
           summary="The event's dashboard figures (its organisers)",
           description="Registrations per day in the event's time zone, the status funnel, the waiting list, "
                       "attendance per session (or day) with no-shows, and participants (confirmed enrolments) "
                       "by country, region, organisation kind and language.",
           replies={200: Reply("The figures.", EventStatsOut)})
@token_required
def event_stats_api(event_id: int):
    event = services.managed_event(db.session, event_id, api_user().id)
    return respond(EventStatsOut, stats_json(event_stats(db.session, event_id=event.id, now=utcnow())))
