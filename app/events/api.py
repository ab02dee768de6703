"""JSON API routes of the events package (registered on app.apikit.bp), declared in app.apikit.contract terms."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, g, jsonify, request, url_for
from sqlalchemy.orm import selectinload

import app.events.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.apikit import bp
from app.apikit.auth import api_user, json_body, query_int, role_required, token_required
from app.apikit.contract import (
    Reply,
    operation,
    path_parameter,
    respond,
)
from app.content_language import translations_json
from app.errors import NotFound, ValidationFailed
from app.events import services
from app.events.limits import EVENT_TRANSLATION_LIMITS
from app.events.models import (
    ENROLMENT_STATUSES,
    Checkin,
    Enrolment,
    Event,
    EventSession,
)
from app.extensions import db
from app.sqltypes import utcnow

path_parameter("event_id", "Event id.")
path_parameter("session_id", "Agenda session id.")
path_parameter("enrolment_id", "Enrolment id.")
path_parameter("checkin_id", "Check-in id.")

from app.events.schemas import (  # noqa: E402  (the declarations, in their own module)
    AttendanceList,
    CancelEventRequest,
    CheckinOut,
    CheckinRequest,
    EnrolmentFilters,
    EnrolmentOut,
    EnrolmentWithUserList,
    EnrolRequest,
    EventCreate,
    EventFilters,
    EventOut,
    EventPage,
    EventUpdate,
    MyEnrolmentList,
    ReasonRequest,
    SessionCreate,
    SessionList,
    SessionOut,
    SessionUpdate,
)


def _iso(value):
    return value.isoformat() if value is not None else None


def _event_url(event_id: int) -> str:
    """The event page's absolute URL; url_for once per request, not once per event of a list."""
    prefix = g.get("event_url_prefix")
    if prefix is None:
        prefix = g.event_url_prefix = (current_app.config["BASE_URL"]
                                       + url_for("events.detail", event_id=0).removesuffix("0"))
    return f"{prefix}{event_id}"


def event_json(event: Event, counts: services.SeatCounts) -> EventOut:
    """An event as the API shows it (topics, hosts and organisers must be loaded)."""
    base = current_app.config["BASE_URL"]
    return {
        "id": event.id, "slug": event.slug, "title": event.title, "format": event.format,
        "summary": event.summary, "description": event.description, "status": event.status,
        "cancel_reason": event.cancel_reason,
        "starts_at": _iso(event.starts_at), "ends_at": _iso(event.ends_at), "timezone": event.timezone,
        "venue": event.venue, "address": event.address, "city": event.city, "country": event.country,
        "latitude": event.latitude, "longitude": event.longitude,
        "online_url": event.online_url, "capacity": event.capacity,
        "seats_left": counts.seats_left(event.capacity), "waitlist_length": counts.waiting,
        "requires_approval": event.requires_approval, "waitlist_mode": event.waitlist_mode,
        "offer_hours": event.offer_hours,
        "registration_opens_at": _iso(event.registration_opens_at),
        "registration_closes_at": _iso(event.registration_closes_at),
        "hours": float(event.hours) if event.hours is not None else None,
        "min_attendance_percent": event.min_attendance_percent,
        "languages": list(event.languages or []),
        "language": event.language,
        "translations": translations_json(event, EVENT_TRANSLATION_LIMITS),
        "topics": [t.slug for t in event.topics],
        "hosts": [{"id": h.id, "name": h.name, "city": h.city, "country": h.country} for h in event.hosts],
        "organisers": [{"id": u.id, "name": u.name} for u in event.organisers],
        "revision": event.revision,
        "url": _event_url(event.id),
        "ical_url": f"{base}/calendar/events/{event.id}.ics",
    }


def event_rows_json(result: services.EventRowPage) -> list[EventOut]:
    """A page of event rows as the API shows them: what event_json gives for each, byte for byte."""
    base = current_app.config["BASE_URL"]
    prefix = _event_url(0).removesuffix("0")
    topics, hosts, organisers, counts = result.topics, result.hosts, result.organisers, result.counts
    items = []
    for (event_id, slug, title, format_, summary, description, status, cancel_reason, starts_at, ends_at,
         timezone, venue, address, city, country, online_url, capacity, requires_approval, waitlist_mode,
         offer_hours, opens_at, closes_at, hours, min_attendance_percent, languages, revision,
         language, latitude, longitude) in result.rows:
        seats = counts[event_id]
        items.append({
            "id": event_id, "slug": slug, "title": title, "format": format_, "summary": summary,
            "description": description, "status": status, "cancel_reason": cancel_reason,
            "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), "timezone": timezone,
            "venue": venue, "address": address, "city": city, "country": country, "latitude": latitude,
            "longitude": longitude, "online_url": online_url,
            "capacity": capacity, "seats_left": None if capacity is None else max(capacity - seats.taken, 0),
            "waitlist_length": seats.waiting, "requires_approval": requires_approval,
            "waitlist_mode": waitlist_mode, "offer_hours": offer_hours,
            "registration_opens_at": _iso(opens_at), "registration_closes_at": _iso(closes_at),
            "hours": float(hours) if hours is not None else None,
            "min_attendance_percent": min_attendance_percent,
            "languages": list(languages or []),
            "language": language,
            "translations": result.translations[event_id],
            "topics": topics[event_id],
            "hosts": [{"id": h[0], "name": h[1], "city": h[2], "country": h[3]} for h in hosts[event_id]],
            "organisers": [{"id": u[0], "name": u[1]} for u in organisers[event_id]],
            "revision": revision,
            "url": f"{prefix}{event_id}",
            "ical_url": f"{base}/calendar/events/{event_id}.ics",
        })
    return items


def session_json(item: EventSession) -> SessionOut:
    return {"id": item.id, "event_id": item.event_id, "title": item.title, "starts_at": _iso(item.starts_at),
            "ends_at": _iso(item.ends_at), "location": item.location, "address": item.address,
            "speakers": item.speakers, "description": item.description, "latitude": item.latitude,
            "longitude": item.longitude}


def enrolment_json(enrolment: Enrolment, position: int | None, *, with_user: bool = False,
                   with_event: bool = False) -> dict:
    data = {
        "id": enrolment.id, "event_id": enrolment.event_id, "user_id": enrolment.user_id,
        "status": enrolment.status, "waitlist_position": position,
        "offer_expires_at": _iso(enrolment.offer_expires_at) if enrolment.status == "offered" else None,
        "ticket_code": enrolment.ticket_code, "is_over_capacity": enrolment.is_over_capacity,
        "created_at": _iso(enrolment.created_at), "confirmed_at": _iso(enrolment.confirmed_at),
        "cancelled_at": _iso(enrolment.cancelled_at), "cancel_reason": enrolment.cancel_reason,
    }
    if with_user:
        data["user"] = {"id": enrolment.user.id, "name": enrolment.user.name, "email": enrolment.user.email}
    if with_event:
        event = enrolment.event
        data["event"] = {"id": event.id, "title": event.title, "status": event.status,
                         "starts_at": _iso(event.starts_at), "ends_at": _iso(event.ends_at),
                         "timezone": event.timezone, "city": event.city,
                         "url": _event_url(event.id)}
    return data


def checkin_json(checkin: Checkin) -> CheckinOut:
    return {"id": checkin.id, "enrolment_id": checkin.enrolment_id, "session_id": checkin.session_id,
            "day": checkin.day.isoformat() if checkin.day else None, "method": checkin.method,
            "checked_in_at": _iso(checkin.checked_in_at)}


def _loaded_event(event_id: int) -> Event:
    event = db.session.scalar(sa.select(Event).where(Event.id == event_id).options(
        selectinload(Event.topics), selectinload(Event.hosts), selectinload(Event.organisers),
        selectinload(Event.translations)))
    if event is None or (event.status == "draft" and not services.can_manage(event, api_user())):
        raise NotFound("event.not_found", field="event_id")
    return event


def _event_response(event_id: int, status: int = 200):
    db.session.expire_all()
    event = _loaded_event(event_id)
    response = respond(EventOut, event_json(event, services.seat_counts(db.session, event.id)), status)
    if status == 201:
        response.headers["Location"] = url_for("api.get_event", event_id=event.id)
    return response


def _optional_id(body: dict, name: str):
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationFailed("event.field.whole_number", field=name, name=name)
    return value


# ---------------------------------------------------------------------------------------------------
# Events


@operation(bp.get, "/events", tag="Events", summary="Published upcoming (or past) events, filtered and paginated",
           public=True, query=EventFilters, replies={200: Reply("One page of events.", EventPage)})
def list_events():
    filters = services.parse_filters(request.args)
    page = query_int("page", 1, maximum=100000)
    per_page = query_int("per_page", 20, maximum=100)
    past = request.args.get("past") in ("1", "true", "yes")
    result = services.list_event_rows(db.session, now=utcnow(), filters=filters, past=past, page=page,
                                      per_page=per_page)
    return respond(EventPage, {"items": event_rows_json(result), "total": result.total, "page": page,
                               "per_page": per_page})


@operation(bp.post, "/events", tag="Events", summary="Create a draft event (organisers)", body=EventCreate,
           errors=[403, 409], replies={201: Reply("The new draft.", EventOut, headers={"Location": {
               "required": True, "description": "URL of the new event.", "schema": {"type": "string"}}})})
@role_required("organiser")
def create_event():
    event = services.create_event(db.session, data=json_body(), created_by_id=api_user().id, now=utcnow())
    db.session.commit()
    return _event_response(event.id, 201)


@operation(bp.get, "/events/<int:event_id>", tag="Events", summary="One event (drafts only for their organisers)",
           public=True, errors=[404], replies={200: Reply("The event.", EventOut)})
def get_event(event_id: int):
    return _event_response(event_id)


@operation(bp.patch, "/events/<int:event_id>", tag="Events", summary="Change an event (its organisers)",
           description="Time, place or status changes raise `revision` and notify everyone enrolled; a capacity "
                       "increase fills seats from the waiting list.",
           body=EventUpdate, errors=[403, 404, 409, 503], replies={200: Reply("The changed event.", EventOut)})
@token_required
def update_event(event_id: int):
    services.update_event(db.session, event_id=event_id, data=json_body(), actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return _event_response(event_id)


@operation(bp.post, "/events/<int:event_id>/publish", tag="Events", summary="Publish a draft",
           errors=[403, 404, 409], replies={200: Reply("The event.", EventOut)})
@token_required
def publish_event(event_id: int):
    services.publish_event(db.session, event_id=event_id, actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return _event_response(event_id)


@operation(bp.post, "/events/<int:event_id>/cancel", tag="Events", summary="Cancel an event with a reason",
           body=CancelEventRequest, errors=[403, 404, 409, 503],
           replies={200: Reply("The cancelled event.", EventOut)})
@token_required
def cancel_event(event_id: int):
    body = json_body()
    services.cancel_event(db.session, event_id=event_id, actor_id=api_user().id, reason=body.get("reason"),
                          now=utcnow())
    db.session.commit()
    return _event_response(event_id)


# ---------------------------------------------------------------------------------------------------
# Agenda


@operation(bp.get, "/events/<int:event_id>/sessions", tag="Agenda", summary="The event's agenda", public=True,
           errors=[404], replies={200: Reply("Sessions in order.", SessionList)})
def list_sessions(event_id: int):
    event = _loaded_event(event_id)
    return jsonify({"items": [session_json(s) for s in event.sessions]})


@operation(bp.post, "/events/<int:event_id>/sessions", tag="Agenda",
           summary="Add an agenda session (itinerary stop)", body=SessionCreate, errors=[403, 404, 409],
           replies={201: Reply("The new session.", SessionOut)})
@token_required
def add_session(event_id: int):
    item = services.add_session(db.session, event_id=event_id, data=json_body(), actor_id=api_user().id,
                                now=utcnow())
    db.session.commit()
    return jsonify(session_json(item)), 201


@operation(bp.patch, "/sessions/<int:session_id>", tag="Agenda", summary="Change an agenda session",
           body=SessionUpdate, errors=[403, 404, 409], replies={200: Reply("The session.", SessionOut)})
@token_required
def update_session(session_id: int):
    item = services.update_session(db.session, session_id=session_id, data=json_body(), actor_id=api_user().id,
                                   now=utcnow())
    db.session.commit()
    return jsonify(session_json(item))


@operation(bp.delete, "/sessions/<int:session_id>", tag="Agenda",
           summary="Delete an agenda session without check-ins", errors=[403, 404, 409],
           replies={204: Reply("Done; no content.")})
@token_required
def delete_session(session_id: int):
    services.delete_session(db.session, session_id=session_id, actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return "", 204


# ---------------------------------------------------------------------------------------------------
# Enrolments


@operation(bp.post, "/events/<int:event_id>/enrolments", tag="Enrolments",
           summary="Enrol (yourself, or someone else as organiser)", body=EnrolRequest, body_required=False,
           description="409 when already enrolled or when the event does not take enrolments now.",
           errors=[403, 404, 409, 503], replies={201: Reply(
               "pending with approval; else confirmed while seats remain, else waitlisted.", EnrolmentOut)})
@token_required
def enrol(event_id: int):
    body = json_body()
    caller = api_user()
    user_id = _optional_id(body, "user_id")
    if user_id is None:
        user_id = caller.id
    override = body.get("override_capacity", False)
    if not isinstance(override, bool):
        raise ValidationFailed("event.field.boolean", field="override_capacity", name="override_capacity")
    note = body.get("note", "")
    enrolment = services.enrol(db.session, event_id=event_id, user_id=user_id, now=utcnow(),
                               actor_id=caller.id if user_id != caller.id or override else None,
                               override_capacity=override, note=note)
    db.session.commit()
    position = services.waitlist_position(db.session, enrolment)
    return jsonify(enrolment_json(enrolment, position)), 201


@operation(bp.get, "/events/<int:event_id>/enrolments", tag="Enrolments",
           summary="The event's participants (its organisers)", query=EnrolmentFilters, errors=[403, 404],
           replies={200: Reply("Enrolments with their people.", EnrolmentWithUserList)})
@token_required
def list_enrolments(event_id: int):
    event = services.managed_event(db.session, event_id, api_user().id)
    status = request.args.get("status") or None
    if status is not None and status not in ENROLMENT_STATUSES:
        raise ValidationFailed("enrolment.status_filter_invalid", field="status", statuses=", ".join(ENROLMENT_STATUSES))
    people = services.participants(db.session, event_id=event.id, status=status,
                                   q=(request.args.get("q") or "").strip()[:200] or None)
    positions = services.waitlist_positions(db.session, event.id)
    return jsonify({"items": [enrolment_json(e, positions.get(e.id), with_user=True) for e in people]})


def _enrolment_reply(enrolment: Enrolment):
    db.session.commit()
    return jsonify(enrolment_json(enrolment, services.waitlist_position(db.session, enrolment)))


@operation(bp.post, "/enrolments/<int:enrolment_id>/cancel", tag="Enrolments",
           summary="Cancel an enrolment (the participant or an organiser)", body=ReasonRequest,
           body_required=False, errors=[403, 404, 409, 503], replies={200: Reply(
               "The cancelled enrolment; a freed seat goes to the first person waiting.", EnrolmentOut)})
@token_required
def cancel_enrolment(enrolment_id: int):
    reason = json_body().get("reason")
    enrolment = services.cancel_enrolment(db.session, enrolment_id=enrolment_id, actor_id=api_user().id,
                                          now=utcnow(), reason=reason)
    return _enrolment_reply(enrolment)


@operation(bp.post, "/enrolments/<int:enrolment_id>/approve", tag="Enrolments",
           summary="Approve a pending enrolment (organisers)", errors=[403, 404, 409, 503],
           replies={200: Reply("Confirmed while seats remain, else waitlisted.", EnrolmentOut)})
@token_required
def approve_enrolment(enrolment_id: int):
    enrolment = services.approve_enrolment(db.session, enrolment_id=enrolment_id, actor_id=api_user().id,
                                           now=utcnow())
    return _enrolment_reply(enrolment)


@operation(bp.post, "/enrolments/<int:enrolment_id>/reject", tag="Enrolments",
           summary="Reject an enrolment (organisers)", body=ReasonRequest, body_required=False,
           errors=[403, 404, 409, 503], replies={200: Reply("The rejected enrolment.", EnrolmentOut)})
@token_required
def reject_enrolment(enrolment_id: int):
    reason = json_body().get("reason")
    enrolment = services.reject_enrolment(db.session, enrolment_id=enrolment_id, actor_id=api_user().id,
                                          now=utcnow(), reason=reason)
    return _enrolment_reply(enrolment)


@operation(bp.post, "/enrolments/<int:enrolment_id>/accept", tag="Enrolments",
           summary="Accept an offered seat before its deadline", errors=[403, 404, 409, 503],
           replies={200: Reply("The confirmed enrolment.", EnrolmentOut)})
@token_required
def accept_offer(enrolment_id: int):
    enrolment = services.accept_offer(db.session, enrolment_id=enrolment_id, user_id=api_user().id, now=utcnow())
    return _enrolment_reply(enrolment)


@operation(bp.get, "/me/enrolments", tag="Enrolments", summary="The caller's enrolments with their events",
           replies={200: Reply("Enrolments, by event start.", MyEnrolmentList)})
@token_required
def my_enrolments():
    enrolments, positions = services.my_enrolments(db.session, user_id=api_user().id)
    return jsonify({"items": [enrolment_json(e, positions.get(e.id), with_event=True) for e in enrolments]})


# ---------------------------------------------------------------------------------------------------
# Check-in


@operation(bp.post, "/events/<int:event_id>/checkins", tag="Attendance",
           summary="Check a confirmed participant in (organisers)", body=CheckinRequest,
           errors=[403, 404, 409], replies={201: Reply("The check-in.", CheckinOut)})
@token_required
def check_in(event_id: int):
    body = json_body()
    ticket_code = body.get("ticket_code")
    if ticket_code is not None and not isinstance(ticket_code, str):
        raise ValidationFailed("checkin.ticket_code_not_text_api", field="ticket_code")
    day = body.get("day")
    if day is not None and not isinstance(day, str):
        raise ValidationFailed("checkin.day_not_text", field="day")
    confirm = body.get("confirm", False)
    if not isinstance(confirm, bool):
        raise ValidationFailed("event.field.boolean", field="confirm", name="confirm")
    checkin = services.check_in(
        db.session, event_id=event_id, actor_id=api_user().id, now=utcnow(), ticket_code=ticket_code,
        enrolment_id=_optional_id(body, "enrolment_id"), session_id=_optional_id(body, "session_id"), day=day,
        method="api", confirm_before_event=confirm)
    db.session.commit()
    return jsonify(checkin_json(checkin)), 201


@operation(bp.delete, "/checkins/<int:checkin_id>", tag="Attendance",
           summary="Undo a check-in (refused once a certificate rests on it)", errors=[403, 404, 409],
           replies={204: Reply("Done; no content.")})
@token_required
def undo_checkin(checkin_id: int):
    services.undo_checkin(db.session, checkin_id=checkin_id, actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return "", 204


@operation(bp.get, "/events/<int:event_id>/attendance", tag="Attendance",
           summary="Attendance per participant (organisers)", errors=[403, 404],
           replies={200: Reply("Everyone confirmed or checked in.", AttendanceList)})
@token_required
def attendance(event_id: int):
    event = services.managed_event(db.session, event_id, api_user().id)
    summary = services.attendance_summary(db.session, event.id)
    return jsonify({"items": [
        {"enrolment_id": a.enrolment_id, "user_id": a.user_id, "attended": [u.label for u in a.attended],
         "total_units": a.total_units, "share": round(a.share, 4), "meets_minimum": a.meets_minimum,
         "hours_attended": a.hours_attended}
        for a in summary.values()
    ]})
