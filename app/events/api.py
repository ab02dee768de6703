"""JSON API routes of the events package (registered on app.api.bp)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, jsonify, request, url_for
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.auth import api_user, json_body, query_int, role_required, token_required
from app.errors import NotFound, ValidationFailed
from app.events import services
from app.events.models import ENROLMENT_STATUSES, Checkin, Enrolment, Event, EventSession
from app.extensions import db
from app.sqltypes import utcnow


def _iso(value):
    return value.isoformat() if value is not None else None


def event_json(event: Event, counts: services.SeatCounts) -> dict:
    """An event as the API shows it (topics, hosts and organisers must be loaded)."""
    base = current_app.config["BASE_URL"]
    return {
        "id": event.id, "slug": event.slug, "title": event.title, "format": event.format,
        "summary": event.summary, "description": event.description, "status": event.status,
        "cancel_reason": event.cancel_reason,
        "starts_at": _iso(event.starts_at), "ends_at": _iso(event.ends_at), "timezone": event.timezone,
        "venue": event.venue, "address": event.address, "city": event.city, "country": event.country,
        "online_url": event.online_url, "capacity": event.capacity,
        "seats_left": counts.seats_left(event.capacity), "waitlist_length": counts.waiting,
        "requires_approval": event.requires_approval, "waitlist_mode": event.waitlist_mode,
        "offer_hours": event.offer_hours,
        "registration_opens_at": _iso(event.registration_opens_at),
        "registration_closes_at": _iso(event.registration_closes_at),
        "hours": float(event.hours) if event.hours is not None else None,
        "min_attendance_percent": event.min_attendance_percent,
        "languages": list(event.languages or []),
        "topics": [t.slug for t in event.topics],
        "hosts": [{"id": h.id, "name": h.name, "city": h.city, "country": h.country} for h in event.hosts],
        "organisers": [{"id": u.id, "name": u.name} for u in event.organisers],
        "revision": event.revision,
        "url": base + url_for("events.detail", event_id=event.id),
        "ical_url": f"{base}/calendar/events/{event.id}.ics",
    }


def session_json(item: EventSession) -> dict:
    return {"id": item.id, "event_id": item.event_id, "title": item.title, "starts_at": _iso(item.starts_at),
            "ends_at": _iso(item.ends_at), "location": item.location, "address": item.address,
            "speakers": item.speakers, "description": item.description}


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
                         "url": current_app.config["BASE_URL"] + url_for("events.detail", event_id=event.id)}
    return data


def checkin_json(checkin: Checkin) -> dict:
    return {"id": checkin.id, "enrolment_id": checkin.enrolment_id, "session_id": checkin.session_id,
            "day": checkin.day.isoformat() if checkin.day else None, "method": checkin.method,
            "checked_in_at": _iso(checkin.checked_in_at)}


def _loaded_event(event_id: int) -> Event:
    event = db.session.scalar(sa.select(Event).where(Event.id == event_id).options(
        selectinload(Event.topics), selectinload(Event.hosts), selectinload(Event.organisers)))
    if event is None or (event.status == "draft" and not services.can_manage(event, api_user())):
        raise NotFound("No such event.", field="event_id")
    return event


def _event_response(event_id: int, status: int = 200):
    db.session.expire_all()
    event = _loaded_event(event_id)
    response = jsonify(event_json(event, services.seat_counts(db.session, event.id)))
    response.status_code = status
    if status == 201:
        response.headers["Location"] = url_for("api.get_event", event_id=event.id)
    return response


def _optional_id(body: dict, name: str):
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationFailed(f"{name} must be a whole number.", field=name)
    return value


# ---------------------------------------------------------------------------------------------------
# Events


@bp.get("/events")
def list_events():
    filters = services.parse_filters(request.args)
    page = query_int("page", 1, maximum=100000)
    per_page = query_int("per_page", 20, maximum=100)
    past = request.args.get("past") in ("1", "true", "yes")
    result = services.list_events(db.session, now=utcnow(), filters=filters, past=past, page=page,
                                  per_page=per_page, with_people=True)
    return jsonify({"items": [event_json(e, result.counts[e.id]) for e in result.items], "total": result.total,
                    "page": page, "per_page": per_page})


@bp.post("/events")
@role_required("organiser")
def create_event():
    event = services.create_event(db.session, data=json_body(), created_by_id=api_user().id, now=utcnow())
    db.session.commit()
    return _event_response(event.id, 201)


@bp.get("/events/<int:event_id>")
def get_event(event_id: int):
    return _event_response(event_id)


@bp.patch("/events/<int:event_id>")
@token_required
def update_event(event_id: int):
    services.update_event(db.session, event_id=event_id, data=json_body(), actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return _event_response(event_id)


@bp.post("/events/<int:event_id>/publish")
@token_required
def publish_event(event_id: int):
    services.publish_event(db.session, event_id=event_id, actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return _event_response(event_id)


@bp.post("/events/<int:event_id>/cancel")
@token_required
def cancel_event(event_id: int):
    body = json_body()
    services.cancel_event(db.session, event_id=event_id, actor_id=api_user().id, reason=body.get("reason"),
                          now=utcnow())
    db.session.commit()
    return _event_response(event_id)


# ---------------------------------------------------------------------------------------------------
# Agenda


@bp.get("/events/<int:event_id>/sessions")
def list_sessions(event_id: int):
    event = _loaded_event(event_id)
    return jsonify({"items": [session_json(s) for s in event.sessions]})


@bp.post("/events/<int:event_id>/sessions")
@token_required
def add_session(event_id: int):
    item = services.add_session(db.session, event_id=event_id, data=json_body(), actor_id=api_user().id,
                                now=utcnow())
    db.session.commit()
    return jsonify(session_json(item)), 201


@bp.patch("/sessions/<int:session_id>")
@token_required
def update_session(session_id: int):
    item = services.update_session(db.session, session_id=session_id, data=json_body(), actor_id=api_user().id,
                                   now=utcnow())
    db.session.commit()
    return jsonify(session_json(item))


@bp.delete("/sessions/<int:session_id>")
@token_required
def delete_session(session_id: int):
    services.delete_session(db.session, session_id=session_id, actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return "", 204


# ---------------------------------------------------------------------------------------------------
# Enrolments


@bp.post("/events/<int:event_id>/enrolments")
@token_required
def enrol(event_id: int):
    body = json_body()
    caller = api_user()
    user_id = _optional_id(body, "user_id")
    if user_id is None:
        user_id = caller.id
    override = body.get("override_capacity", False)
    if not isinstance(override, bool):
        raise ValidationFailed("override_capacity must be true or false.", field="override_capacity")
    note = body.get("note", "")
    enrolment = services.enrol(db.session, event_id=event_id, user_id=user_id, now=utcnow(),
                               actor_id=caller.id if user_id != caller.id or override else None,
                               override_capacity=override, note=note)
    db.session.commit()
    position = services.waitlist_position(db.session, enrolment)
    return jsonify(enrolment_json(enrolment, position)), 201


@bp.get("/events/<int:event_id>/enrolments")
@token_required
def list_enrolments(event_id: int):
    event = services.managed_event(db.session, event_id, api_user().id)
    status = request.args.get("status") or None
    if status is not None and status not in ENROLMENT_STATUSES:
        raise ValidationFailed(f"status must be one of {', '.join(ENROLMENT_STATUSES)}.", field="status")
    people = services.participants(db.session, event_id=event.id, status=status,
                                   q=(request.args.get("q") or "").strip()[:200] or None)
    positions = services.waitlist_positions(db.session, event.id)
    return jsonify({"items": [enrolment_json(e, positions.get(e.id), with_user=True) for e in people]})


def _enrolment_reply(enrolment: Enrolment):
    db.session.commit()
    return jsonify(enrolment_json(enrolment, services.waitlist_position(db.session, enrolment)))


@bp.post("/enrolments/<int:enrolment_id>/cancel")
@token_required
def cancel_enrolment(enrolment_id: int):
    reason = json_body().get("reason")
    enrolment = services.cancel_enrolment(db.session, enrolment_id=enrolment_id, actor_id=api_user().id,
                                          now=utcnow(), reason=reason)
    return _enrolment_reply(enrolment)


@bp.post("/enrolments/<int:enrolment_id>/approve")
@token_required
def approve_enrolment(enrolment_id: int):
    enrolment = services.approve_enrolment(db.session, enrolment_id=enrolment_id, actor_id=api_user().id,
                                           now=utcnow())
    return _enrolment_reply(enrolment)


@bp.post("/enrolments/<int:enrolment_id>/reject")
@token_required
def reject_enrolment(enrolment_id: int):
    reason = json_body().get("reason")
    enrolment = services.reject_enrolment(db.session, enrolment_id=enrolment_id, actor_id=api_user().id,
                                          now=utcnow(), reason=reason)
    return _enrolment_reply(enrolment)


@bp.post("/enrolments/<int:enrolment_id>/accept")
@token_required
def accept_offer(enrolment_id: int):
    enrolment = services.accept_offer(db.session, enrolment_id=enrolment_id, user_id=api_user().id, now=utcnow())
    return _enrolment_reply(enrolment)


@bp.get("/me/enrolments")
@token_required
def my_enrolments():
    enrolments, positions = services.my_enrolments(db.session, user_id=api_user().id)
    return jsonify({"items": [enrolment_json(e, positions.get(e.id), with_event=True) for e in enrolments]})


# ---------------------------------------------------------------------------------------------------
# Check-in


@bp.post("/events/<int:event_id>/checkins")
@token_required
def check_in(event_id: int):
    body = json_body()
    ticket_code = body.get("ticket_code")
    if ticket_code is not None and not isinstance(ticket_code, str):
        raise ValidationFailed("ticket_code must be text.", field="ticket_code")
    day = body.get("day")
    if day is not None and not isinstance(day, str):
        raise ValidationFailed("day must be a date such as 2026-05-04.", field="day")
    confirm = body.get("confirm", False)
    if not isinstance(confirm, bool):
        raise ValidationFailed("confirm must be true or false.", field="confirm")
    checkin = services.check_in(
        db.session, event_id=event_id, actor_id=api_user().id, now=utcnow(), ticket_code=ticket_code,
        enrolment_id=_optional_id(body, "enrolment_id"), session_id=_optional_id(body, "session_id"), day=day,
        method="api", confirm_before_event=confirm)
    db.session.commit()
    return jsonify(checkin_json(checkin)), 201


@bp.delete("/checkins/<int:checkin_id>")
@token_required
def undo_checkin(checkin_id: int):
    services.undo_checkin(db.session, checkin_id=checkin_id, actor_id=api_user().id, now=utcnow())
    db.session.commit()
    return "", 204


@bp.get("/events/<int:event_id>/attendance")
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
