"""Views of the events package for the day of the event: tickets, the participants list and its actions,
check-in and the attendance export. Registered on the events blueprint (endpoints events.checkin etc.)."""

from __future__ import annotations

import csv
import io
from datetime import date
from zoneinfo import ZoneInfo

import segno
import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

import app.events.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.auth.decorators import organiser_required
from app.auth.models import User
from app.errors import DomainError, NotFound, render_message
from app.events import bp, services
from app.events.forms import ActionForm, AddParticipantForm, CheckinForm
from app.events.labels import ENROLMENT_STATUS_LABELS
from app.events.models import ENROLMENT_STATUSES, Checkin, Enrolment
from app.events.views import show_error
from app.extensions import db
from app.i18n import _l, format_number, format_when
from app.spreadsheet import safe_cell
from app.sqltypes import utcnow
from app.viewhelpers import redirect_back

# ---------------------------------------------------------------------------------------------------
# Tickets


def _own_enrolment(enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or (enrolment.user_id != current_user.id
                             and not services.can_manage(enrolment.event, current_user)):
        raise NotFound("checkin.ticket_not_found")
    return enrolment


def _ticket_qr(code: str) -> segno.QRCode:
    """A standard QR code: segno would pick a Micro QR code for so short a text, which camera scanners,
    the check-in page and most phone readers cannot read."""
    return segno.make(code, error="m", micro=False)


@bp.get("/tickets/<int:enrolment_id>")
@login_required
def ticket(enrolment_id: int):
    enrolment = _own_enrolment(enrolment_id)
    qr = _ticket_qr(enrolment.ticket_code)
    return render_template("events/ticket.html", enrolment=enrolment, event=enrolment.event,
                           qr_svg=qr.svg_inline(border=2, omitsize=True, title=_("Ticket %(code)s", code=enrolment.ticket_code)),
                           position=services.waitlist_position(db.session, enrolment))


def _ticket_qr_response(enrolment_id: int, kind: str, mimetype: str, border: int) -> Response:
    enrolment = _own_enrolment(enrolment_id)
    out = io.BytesIO()
    _ticket_qr(enrolment.ticket_code).save(out, kind=kind, scale=8, border=border)
    return Response(out.getvalue(), mimetype=mimetype, headers={"Cache-Control": "private, no-store"})


@bp.get("/tickets/<int:enrolment_id>/qr.svg")
@login_required
def ticket_qr(enrolment_id: int):
    return _ticket_qr_response(enrolment_id, "svg", "image/svg+xml", border=2)


@bp.get("/tickets/<int:enrolment_id>/qr.png")
@login_required
def ticket_qr_png(enrolment_id: int):
    """The ticket's QR code as an image to save on a phone or print."""
    return _ticket_qr_response(enrolment_id, "png", "image/png", border=4)


# ---------------------------------------------------------------------------------------------------
# Participants


@bp.get("/<int:event_id>/participants")
@organiser_required
def participants(event_id: int):
    event = services.managed_event(db.session, event_id, current_user.id)
    status = request.args.get("status") or None
    if status not in ENROLMENT_STATUSES:
        status = None
    q = (request.args.get("q") or "").strip()[:200]
    people = services.participants(db.session, event_id=event.id, status=status, q=q or None)
    return render_template(
        "events/participants.html", event=event, people=people, status=status, q=q,
        statuses=ENROLMENT_STATUSES, positions=services.waitlist_positions(db.session, event.id),
        counts=services.seat_counts(db.session, event.id), units=services.attendance_units(event),
        action_form=ActionForm(), add_form=AddParticipantForm(),
    )


@bp.post("/<int:event_id>/participants/add")
@organiser_required
def add_participant(event_id: int):
    form = AddParticipantForm()
    if not form.validate_on_submit():
        flash(_("Enter the email of a registered person."), "danger")
        return redirect(url_for("events.participants", event_id=event_id))
    person = db.session.scalar(sa.select(User).where(User.email == form.email.data.strip().lower()))
    try:
        if person is None:
            raise NotFound("enrolment.person_not_registered", field="email")
        enrolment = services.enrol(db.session, event_id=event_id, user_id=person.id, actor_id=current_user.id,
                                   override_capacity=form.override_capacity.data, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_error(exc)
    else:
        flash(_("%(name)s is enrolled (%(status)s).", name=person.name,
                status=ENROLMENT_STATUS_LABELS.get(enrolment.status, enrolment.status)), "success")
    return redirect(url_for("events.participants", event_id=event_id))


ENROLMENT_ACTIONS = {
    "approve": (services.approve_enrolment, _l("Approved.")),
    "reject": (services.reject_enrolment, _l("Rejected.")),
    "promote": (services.promote_enrolment, _l("Promoted from the waiting list.")),
    "cancel": (services.cancel_enrolment, _l("Cancelled.")),
}


@bp.post("/enrolments/<int:enrolment_id>/<action>")
@organiser_required
def enrolment_action(enrolment_id: int, action: str):
    if action not in ENROLMENT_ACTIONS:
        abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, render_message("form.expired"))
    enrolment = services.get_enrolment_for(db.session, enrolment_id, current_user)
    event_id = enrolment.event_id
    function, message = ENROLMENT_ACTIONS[action]
    kwargs = {"reason": form.reason.data or None} if action in ("reject", "cancel") else {}
    try:
        changed = function(db.session, enrolment_id=enrolment_id, actor_id=current_user.id, now=utcnow(),
                           **kwargs)
        if action == "approve":
            message = _approval_message(changed)
        db.session.commit()
    except DomainError as exc:
        show_error(exc)
    else:
        flash(str(message), "success")
    return redirect_back(url_for("events.participants", event_id=event_id))


def _approval_message(enrolment: Enrolment) -> str:
    """What approving did: a confirmed seat, or (the event being full) a place on the waiting list."""
    name = enrolment.user.name
    if enrolment.status == "waitlisted":
        position = services.waitlist_position(db.session, enrolment)
        if position:
            return _("Approved. The event is full, so %(name)s is now on the waiting list at position "
                     "%(position)s.", name=name, position=format_number(position))
        return _("Approved. The event is full, so %(name)s is now on the waiting list.", name=name)
    return _("Approved: %(name)s is confirmed.", name=name)


# ---------------------------------------------------------------------------------------------------
# Check-in and export


def _unit_args(unit_key: str | None) -> dict:
    if not unit_key:
        return {}
    kind, _, value = unit_key.partition(":")
    if kind == "s" and value.isdigit():
        return {"session_id": int(value)}
    if kind == "d":
        try:
            return {"day": date.fromisoformat(value)}
        except ValueError:
            return {}
    return {}


def _unit_labels(units) -> dict[tuple, str]:
    """Each unit's name in the page's language: a session's title, or a day's date ("Day 2 · Sat 9 May 2026")."""
    days = [u for u in units if u.session_id is None]
    labels = {}
    for unit in units:
        if unit.session_id is not None:
            labels[unit.key] = unit.label
            continue
        when = format_when(unit.day, None, "%a %d %b %Y")
        labels[unit.key] = (_("Day %(num)d · %(date)s", num=days.index(unit) + 1, date=when) if len(days) > 1
                            else when)
    return labels


def _unit_key(unit) -> str:
    return f"s:{unit.session_id}" if unit.session_id is not None else f"d:{unit.day.isoformat()}"


@bp.route("/<int:event_id>/checkin", methods=["GET", "POST"])
@organiser_required
def checkin(event_id: int):
    event = services.managed_event(db.session, event_id, current_user.id)
    units = services.attendance_units(event)
    now = utcnow()
    form = CheckinForm()
    unit_key = request.values.get("unit") or ""
    if unit_key not in {_unit_key(u) for u in units}:
        try:
            unit_key = _unit_key(services.pick_unit(event, units, now=now, session_id=None, day=None))
        except DomainError:
            unit_key = _unit_key(units[0]) if units else ""
    q = (request.values.get("q") or "").strip()[:200]  # kept across check-ins so the search stays
    early = None  # a check-in before the event's first day waits for the desk to confirm it
    if form.validate_on_submit():
        try:
            done = services.check_in(
                db.session, event_id=event.id, actor_id=current_user.id, now=now,
                ticket_code=form.ticket_code.data or None,
                enrolment_id=int(form.enrolment_id.data) if (form.enrolment_id.data or "").isdigit() else None,
                method="code" if form.ticket_code.data else "search", **_unit_args(unit_key),
                confirm_before_event=form.confirm.data == "yes")
            name = done.enrolment.user.name
            db.session.commit()
        except services.CheckinBeforeEvent as exc:
            db.session.rollback()
            early = exc
        except DomainError as exc:
            chosen = next((u for u in units if _unit_key(u) == unit_key), None)
            if "unit" in exc.params and chosen is not None:  # the day as this page names it
                exc.params = {**exc.params, "unit": _unit_labels(units)[chosen.key]}
            show_error(exc)
        else:
            flash(_("✓ %(name)s is checked in.", name=name), "success")
        if early is None:
            return redirect(url_for("events.checkin", event_id=event.id, unit=unit_key, q=q or None))
    people = services.participants(db.session, event_id=event.id, status="confirmed", q=q or None)
    unit = next((u for u in units if _unit_key(u) == unit_key), None)
    done = {}
    if unit is not None:
        for person in people:
            for c in person.checkins:
                if (c.session_id, c.day) == (unit.session_id, unit.day):
                    done[person.id] = c
    return render_template("events/checkin.html", event=event, units=units, unit=unit, unit_key=unit_key,
                           unit_key_of=_unit_key, unit_labels=_unit_labels(units), people=people, done=done, q=q, form=form,
                           action_form=ActionForm(), early=early)


@bp.post("/checkins/<int:checkin_id>/undo")
@organiser_required
def undo_checkin(checkin_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, render_message("form.expired"))
    item = db.session.get(Checkin, checkin_id)
    if item is None:
        raise NotFound("checkin.not_found")
    event_id = item.enrolment.event_id
    try:
        services.undo_checkin(db.session, checkin_id=checkin_id, actor_id=current_user.id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_error(exc)
    else:
        flash(_("The check-in is undone."), "info")
    return redirect_back(url_for("events.checkin", event_id=event_id))


@bp.get("/<int:event_id>/export.csv")
@organiser_required
def export_csv(event_id: int):
    event = services.managed_event(db.session, event_id, current_user.id)
    units = services.attendance_units(event)
    people = services.participants(db.session, event_id=event.id)
    positions = services.waitlist_positions(db.session, event.id)
    summary = services.summarise_attendance(event, people, [c for p in people for c in p.checkins])
    zone = ZoneInfo(event.timezone)
    out = io.StringIO()
    writer = csv.writer(out)
    # session titles are organisers' text too: the header row is neutralised like every cell
    # the headings are for people (a spreadsheet), in the page's language; dates stay sortable (ISO order)
    writer.writerow([safe_cell(v) for v in [
        _("Name"), _("Email"), _("Organisation"), _("Status"), _("Position on the waiting list"), _("Ticket code"),
        _("Enrolled at (%(zone)s)", zone=event.timezone), _("Confirmed at (%(zone)s)", zone=event.timezone),
        *_unit_labels(units).values(), _("Sessions or days attended"), _("Attendance (%)"), _("Hours attended"),
        _("Meets the minimum for a certificate")]])
    yes, no = _("yes"), _("no")
    for person in people:
        att = summary[person.id]
        attended = {u.key for u in att.attended}
        writer.writerow([safe_cell(v) for v in [
            person.user.name, person.user.email, person.user.organisation.name if person.user.organisation else "",
            ENROLMENT_STATUS_LABELS.get(person.status, person.status), positions.get(person.id, ""),
            person.ticket_code,
            person.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            person.confirmed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if person.confirmed_at else "",
            *["x" if u.key in attended else "" for u in units], len(att.attended),
            round(att.share * 100), att.hours_attended, yes if att.meets_minimum else no,
        ]])
    filename = f"{event.slug}-participants.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
