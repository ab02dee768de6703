"""Views of the events package: browsing, enrolment and the organiser's pages (planning and the agenda).

Tickets, participants, check-in and the attendance export are in views_attendance.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

import app.events.messages  # noqa: F401  (the catalogue of the reasons raised here)
from app.auth.decorators import organiser_required
from app.auth.models import User
from app.directory.services import country_choices, list_organisations, list_topics
from app.errors import DomainError, NotFound, render_message
from app.events import bp, services
from app.events.forms import (
    ActionForm,
    CancelEventForm,
    DuplicateForm,
    EventForm,
    SessionForm,
)
from app.events.labels import EVENT_FORMAT_LABELS, STATUS_LABELS
from app.events.models import Enrolment, Event
from app.extensions import db
from app.i18n import _l, format_when, page_gettext
from app.sqltypes import utcnow
from app.viewhelpers import redirect_back, show_domain_error

PER_PAGE = 20


def _local(value, zone: str):
    """An aware datetime as naive local time in the zone (for datetime-local inputs)."""
    return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if value else None


def _user():
    return current_user if current_user.is_authenticated else None


def _page() -> int:
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), 100000)


def _event_with_everything(event_id: int) -> Event:
    event = db.session.scalar(
        sa.select(Event).where(Event.id == event_id).options(
            selectinload(Event.sessions), selectinload(Event.topics), selectinload(Event.hosts),
            selectinload(Event.organisers))
    )
    if event is None or (event.status == "draft" and not services.can_manage(event, _user())):
        raise NotFound("event.not_found")
    return event


# ---------------------------------------------------------------------------------------------------
# Browsing


FILTER_LABELS = {"q": _l("Search"), "format": _l("Format"), "topic": _l("Topic"), "country": _l("Country"),
                 "city": _l("City"), "language": _l("Language (ISO code)"), "from": _l("From"), "to": _l("To")}


# a from/to filter refused for one of these could not be read as a date; any other reason (the shared year
# check of app.validation) means a date outside the years the site takes
UNREADABLE_DATE_REASONS = frozenset({
    "event.filter.invalid", "event.filter.date", "event.field.datetime_format", "event.field.datetime_type",
    "event.field.out_of_range", "event.time_skipped",
})


def _filter_message(exc: DomainError) -> str:
    """The listing's filter error in the words of the filter form (the API keeps the service's wording)."""
    name = next(iter(exc.fields), "")
    label = FILTER_LABELS.get(name)
    if label is None:
        return exc.message_for()
    if name in ("from", "to"):
        reason = ("event.filter_ignored.date" if exc.reason in UNREADABLE_DATE_REASONS
                  else "event.filter_ignored.date_range")
    elif name == "language":
        reason = "event.filter_ignored.language"
    elif len((request.args.get(name) or "").strip()) > 200:
        reason = "event.filter_ignored.too_long"
    else:
        reason = "event.filter_ignored.invalid"
    return render_message(reason, {"label": str(label)})


def _listing(past: bool):
    try:
        filters = services.parse_filters(request.args)
    except DomainError as exc:
        flash(_filter_message(exc), "warning")
        filters = services.EventFilters()
    page = services.list_events(db.session, now=utcnow(), filters=filters, past=past, page=_page(),
                                per_page=PER_PAGE)
    return render_template(
        "events/list.html", page=page, filters=filters.as_dict(), f=filters, past=past,
        topics=list_topics(db.session), formats=EVENT_FORMAT_LABELS, args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.get("/")
def index():
    return _listing(past=False)


@bp.get("/archive")
def archive():
    return _listing(past=True)


@bp.get("/<int:event_id>")
def detail(event_id: int):
    event = _event_with_everything(event_id)
    now = utcnow()
    counts = services.seat_counts(db.session, event.id)
    user = _user()
    enrolment = position = None
    if user is not None:
        enrolment = db.session.scalar(
            sa.select(Enrolment).where(Enrolment.event_id == event.id, Enrolment.user_id == user.id))
        if enrolment is not None:
            position = services.waitlist_position(db.session, enrolment)
    refusal = services.registration_refusal(event, now=now)
    is_open, closed_reason = refusal is None, (_refusal_text(refusal) if refusal is not None else "")
    viewer_zone = user.timezone if user is not None and user.timezone != event.timezone else None
    return render_template(
        "events/detail.html", event=event, counts=counts, enrolment=enrolment, position=position,
        is_open=is_open, closed_reason=closed_reason, now=now, viewer_zone=viewer_zone,
        can_manage=services.can_manage(event, user), formats=EVENT_FORMAT_LABELS, action_form=ActionForm(),
    )


def _refusal_text(exc: DomainError) -> str:
    """Why registration is closed, in the page's language; the opening date in the page's locale and the
    viewer's zone (the service's English date is kept for the API)."""
    if exc.reason == "enrolment.not_open_yet" and "opens_at" in exc.params:
        zone = (current_user.timezone if current_user.is_authenticated else None) or exc.params["timezone"]
        return render_message(exc.reason, {**exc.params, "opens_on": format_when(exc.params["opens_at"], zone),
                                           "timezone": zone})
    return exc.message_for()


def _for_page(exc: DomainError) -> DomainError:
    """The error with the values its sentence shows in the page's words: statuses named ("this event is
    draft"), dates in the page's locale (the services' English dates are kept for the API)."""

    def localised(params):
        if not params:
            return params
        params = dict(params)
        status = params.get("status")
        if isinstance(status, str) and status in STATUS_LABELS:
            params["status"] = str(STATUS_LABELS[status])
        if "local" in params and isinstance(params.get("moment"), datetime):
            params["local"] = format_when(params["moment"], None, "%d %b %Y, %H:%M")
        for shown, raw in (("starts", "starts_at"), ("ends", "ends_at")):
            if shown in params and isinstance(params.get(raw), datetime):
                params[shown] = format_when(params[raw], params.get("timezone"), "%d %b %H:%M")
        return params

    shown = type(exc).__new__(type(exc), *exc.args)  # copy.copy would call __init__, whose signature varies
    shown.__dict__.update(exc.__dict__)
    shown.params = localised(exc.params)
    shown.fields = {name: (value[0], localised(value[1])) if isinstance(value, tuple) else value
                    for name, value in exc.fields.items()}
    if isinstance(getattr(exc, "cause", None), DomainError):  # a refusal told inside another's sentence
        shown.cause = _for_page(exc.cause)
        detail = {**shown.params, "detail": shown.cause.message_for()}
        shown.fields = {name: (shown.reason, detail) for name in exc.fields}
    return shown


def show_error(exc: DomainError, form=None) -> None:
    """show_domain_error in the page's words: statuses named, a refused registration's date in the viewer's
    zone and locale."""
    if exc.reason == "enrolment.not_open_yet" and form is None:
        db.session.rollback()
        flash(_refusal_text(exc), "danger")
    else:
        show_domain_error(_for_page(exc), form)


# ---------------------------------------------------------------------------------------------------
# Enrolment


@bp.post("/<int:event_id>/enrol")
@login_required
def enrol(event_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, render_message("form.expired"))
    try:
        enrolment = services.enrol(db.session, event_id=event_id, user_id=current_user.id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_error(exc)
    else:
        messages = {
            "confirmed": _("You are enrolled. Your ticket is under My events."),
            "pending": _("Thank you: the organisers will confirm your enrolment."),
            "waitlisted": _("The event is full: you are on the waiting list."),
        }
        flash(messages.get(enrolment.status) or _("Your enrolment is saved."), "success")
    return redirect(url_for("events.detail", event_id=event_id))


@bp.post("/enrolments/<int:enrolment_id>/cancel")
@login_required
def cancel_enrolment(enrolment_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, render_message("form.expired"))
    try:
        enrolment = services.cancel_enrolment(db.session, enrolment_id=enrolment_id, actor_id=current_user.id,
                                              now=utcnow(), reason=form.reason.data or None)
        event_id = enrolment.event_id
        db.session.commit()
    except DomainError as exc:
        show_error(exc)
        return redirect_back(url_for("events.my_events"))
    flash(_("The enrolment is cancelled."), "info")
    return redirect_back(url_for("events.detail", event_id=event_id))


@bp.post("/enrolments/<int:enrolment_id>/accept")
@login_required
def accept_offer(enrolment_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, render_message("form.expired"))
    try:
        services.accept_offer(db.session, enrolment_id=enrolment_id, user_id=current_user.id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_error(exc)
    else:
        flash(_("The seat is yours: you are enrolled."), "success")
    return redirect_back(url_for("events.my_events"))


@bp.get("/mine")
@login_required
def my_events():
    enrolments, positions = services.my_enrolments(db.session, user_id=current_user.id)
    now = utcnow()
    upcoming = [e for e in enrolments if not e.event.is_past(now)]
    past = [e for e in reversed(enrolments) if e.event.is_past(now)]
    return render_template("events/my_events.html", upcoming=upcoming, past=past, positions=positions,
                           action_form=ActionForm(), now=now)


# ---------------------------------------------------------------------------------------------------
# Organiser pages


def _event_form(form: EventForm, event: Event | None = None) -> EventForm:
    form.topics.choices = [(t.slug, page_gettext(t.name)) for t in list_topics(db.session)]
    form.hosts.choices = [(o.id, f"{o.name} ({o.city})" if o.city else o.name) for o in list_organisations(db.session)]
    form.country.choices = [("", _("— none (online) —"))] + country_choices(str(get_locale() or "en"))
    form.organisers.choices = _organiser_choices(event)
    return form


def _organiser_choices(event: Event | None) -> list[tuple[int, str]]:
    """Every organiser and admin account (the event's current organisers too, whatever their role now), as the
    programme form offers them."""
    people = {u.id: u for u in db.session.scalars(
        sa.select(User).where(User.role.in_(("organiser", "admin"))).order_by(User.name, User.id))}
    for user in event.organisers if event is not None else []:
        people.setdefault(user.id, user)
    return [(u.id, f"{u.name} <{u.email}>") for u in sorted(people.values(), key=lambda u: (u.name, u.id))]


@bp.get("/manage")
@organiser_required
def manage():
    events = services.managed_events(db.session, user=current_user)
    counts = services.seat_counts_for(db.session, [e.id for e in events])
    return render_template("events/manage.html", events=events, counts=counts, now=utcnow(),
                           formats=EVENT_FORMAT_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@organiser_required
def create():
    form = _event_form(EventForm())
    if request.method == "GET":
        form.organisers.data = [current_user.id]
    if form.validate_on_submit():
        try:
            event = services.create_event(db.session, data=form.to_data(), created_by_id=current_user.id,
                                          now=utcnow())
            db.session.commit()
        except DomainError as exc:
            show_error(exc, form)
        else:
            flash(_("The event is saved as a draft. Add the agenda, then publish it."), "success")
            return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit(event_id: int):
    event = services.managed_event(db.session, event_id, current_user.id)
    form = EventForm(obj=event) if request.method == "GET" else EventForm()
    _event_form(form, event)
    if request.method == "GET":
        form.organisers.data = [u.id for u in event.organisers]
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            getattr(form, name).data = _local(getattr(event, name), event.timezone)
        form.topics.data = [t.slug for t in event.topics]
        form.hosts.data = [h.id for h in event.hosts]
        form.languages.data = ", ".join(event.languages or [])
        form.country.data = event.country or ""
    if form.validate_on_submit():
        try:
            services.update_event(db.session, event_id=event.id, data=form.to_data(), actor_id=current_user.id,
                                  now=utcnow())
            db.session.commit()
        except DomainError as exc:
            show_error(exc, form)
        else:
            flash(_("The event is updated."), "success")
            if not services.can_manage(db.session.get(Event, event_id), current_user):
                flash(_("You no longer organise “%(title)s”.", title=event.title), "info")
                return redirect(url_for("events.manage"))
            return redirect(url_for("events.detail", event_id=event_id))
    return render_template("events/form.html", form=form, event=event)


@bp.post("/<int:event_id>/delete")
@organiser_required
def delete(event_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, render_message("form.expired"))
    try:
        title = services.delete_event(db.session, event_id=event_id, actor_id=current_user.id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_error(exc)
        return redirect(url_for("events.detail", event_id=event_id))
    flash(_("The draft “%(title)s” is deleted.", title=title), "info")
    return redirect(url_for("events.manage"))


@bp.post("/<int:event_id>/publish")
@organiser_required
def publish(event_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, render_message("form.expired"))
    try:
        services.publish_event(db.session, event_id=event_id, actor_id=current_user.id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_error(exc)
    else:
        flash(_("The event is published."), "success")
    return redirect(url_for("events.detail", event_id=event_id))


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
@organiser_required
def cancel(event_id: int):
    event = services.managed_event(db.session, event_id, current_user.id)
    form = CancelEventForm()
    if form.validate_on_submit():
        try:
            services.cancel_event(db.session, event_id=event_id, actor_id=current_user.id, reason=form.reason.data,
                                  now=utcnow())
            db.session.commit()
        except DomainError as exc:
            show_error(exc, form)
        else:
            flash(_("The event is cancelled; everyone enrolled will be told."), "info")
            return redirect(url_for("events.detail", event_id=event_id))
    return render_template("events/cancel.html", form=form, event=event)


@bp.route("/<int:event_id>/duplicate", methods=["GET", "POST"])
@organiser_required
def duplicate(event_id: int):
    event = services.managed_event(db.session, event_id, current_user.id)
    form = DuplicateForm()
    if request.method == "GET":
        form.title.data = event.title
        start = _local(event.starts_at, event.timezone)
        try:
            form.starts_at.data = start.replace(year=start.year + 1)
        except ValueError:  # 29 February
            form.starts_at.data = start.replace(year=start.year + 1, day=28)
    if form.validate_on_submit():
        try:
            copy = services.duplicate_event(db.session, event_id=event_id, actor_id=current_user.id,
                                            starts_at=form.starts_at.data, title=form.title.data, now=utcnow())
            db.session.commit()
        except DomainError as exc:
            show_error(exc, form)
        else:
            flash(_("The copy is saved as a draft with the agenda moved to the new dates."), "success")
            return redirect(url_for("events.edit", event_id=copy.id))
    return render_template("events/duplicate.html", form=form, event=event)


@bp.route("/<int:event_id>/agenda", methods=["GET", "POST"])
@organiser_required
def agenda(event_id: int):
    event = services.managed_event(db.session, event_id, current_user.id)
    form = SessionForm()
    if request.method == "GET":
        last_end = event.sessions[-1].ends_at if event.sessions else event.starts_at
        form.starts_at.data = _local(last_end, event.timezone)
        form.ends_at.data = _local(min(last_end + timedelta(hours=1), event.ends_at), event.timezone)
    if form.validate_on_submit():
        try:
            services.add_session(db.session, event_id=event_id, data=form.to_data(), actor_id=current_user.id,
                                 now=utcnow())
            db.session.commit()
        except DomainError as exc:
            show_error(exc, form)
        else:
            flash(_("The session is added to the agenda."), "success")
            return redirect(url_for("events.agenda", event_id=event_id))
    return render_template("events/agenda.html", form=form, event=event, action_form=ActionForm())


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit_session(session_id: int):
    item = services.get_session(db.session, session_id)
    event = services.managed_event(db.session, item.event_id, current_user.id)
    form = SessionForm(obj=item) if request.method == "GET" else SessionForm()
    if request.method == "GET":
        form.starts_at.data = _local(item.starts_at, event.timezone)
        form.ends_at.data = _local(item.ends_at, event.timezone)
    if form.validate_on_submit():
        try:
            services.update_session(db.session, session_id=session_id, data=form.to_data(),
                                    actor_id=current_user.id, now=utcnow())
            db.session.commit()
        except DomainError as exc:
            show_error(exc, form)
        else:
            flash(_("The session is updated."), "success")
            return redirect(url_for("events.agenda", event_id=event.id))
    return render_template("events/session_form.html", form=form, event=event, item=item)


@bp.post("/sessions/<int:session_id>/delete")
@organiser_required
def delete_session(session_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, render_message("form.expired"))
    item = services.get_session(db.session, session_id)
    event_id = item.event_id
    try:
        services.delete_session(db.session, session_id=session_id, actor_id=current_user.id, now=utcnow())
        db.session.commit()
    except DomainError as exc:
        show_error(exc)
    else:
        flash(_("The session is deleted."), "info")
    return redirect(url_for("events.agenda", event_id=event_id))
