"""Emails about enrolments and event changes: iTIP invitations (REQUEST / CANCEL) and plain notices.

Called from the receivers of app.events.signals with the sender's session, so every message is written to
the outbox in the same transaction as the change that caused it (and rolls back with it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calendar import ical
from app.calendar.ical import EventData
from app.calendar.services import load_event_data
from app.calendar.site import Site
from app.events.models import Enrolment, Event, EventNotification
from app.mail.render import render_mail
from app.mail.services import queue_email


@dataclass
class Notice:
    """One email's content before rendering."""

    subject: str
    heading: str
    paragraphs: list[str]
    action_label: str | None = None
    action_url: str | None = None
    show_cancel_hint: bool = True
    facts: list[tuple[str, str]] = field(default_factory=list)


def _offset(dt: datetime) -> str:
    offset = dt.utcoffset()
    total = int(offset.total_seconds()) if offset is not None else 0
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total) // 60, 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def when_text(event: EventData) -> str:
    """The time in the event's zone, with the zone and its UTC offset."""
    start = event.starts_at.astimezone(event.zone)
    return f"{ical.local_range(event)} ({event.timezone}, {_offset(start)})"


def _your_time(event: EventData, user_zone: str | None) -> str | None:
    if not user_zone or user_zone == event.timezone:
        return None
    try:
        zone = ZoneInfo(user_zone)
    except (KeyError, ValueError):
        return None
    start = event.starts_at.astimezone(zone)
    if start.utcoffset() == event.starts_at.astimezone(event.zone).utcoffset():
        return None
    return f"{start:%a %d %b %Y, %H:%M} ({user_zone})"


def _facts(event: EventData, user_zone: str | None) -> list[tuple[str, str]]:
    facts = [("What", event.title), ("When", when_text(event))]
    yours = _your_time(event, user_zone)
    if yours:
        facts.append(("Your time", yours))
    place = ", ".join(p for p in (event.venue, event.address, event.city, event.country_name) if p)
    if place:
        facts.append(("Where", place))
    if event.online_url:
        facts.append(("Online", event.online_url))
    facts.append(("Event page", event.url))
    return facts


def render_notice(notice: Notice, *, name: str, site: Site) -> tuple[str, str]:
    """The text/plain and text/html bodies (HTML autoescaped: every user-supplied string is escaped)."""
    cancel_hint = (
        f"Cannot come? Cancel your enrolment on the event page or under My events: "
        f"{site.url(site.my_events_path)}" if notice.show_cancel_hint else None
    )
    lines = [f"Hello {name},", ""]
    for paragraph in notice.paragraphs:
        lines += [paragraph, ""]
    width = max(len(label) for label, _ in notice.facts) + 1 if notice.facts else 0
    for label, value in notice.facts:
        lines.append(f"{(label + ':').ljust(width)} {value}")
    if notice.action_url:
        lines += ["", f"{notice.action_label}: {notice.action_url}"]
    if cancel_hint:
        lines += ["", cancel_hint]
    lines += ["", f"— {site.network_name}", ""]
    text = "\n".join(lines)
    html = render_mail(
        "calendar/email/notice.html", notice=notice, name=name, site=site, cancel_hint=cancel_hint,
        my_events_url=site.url(site.my_events_path),
    )
    return text, html


def _queue(session: Session, *, user: User, notice: Notice, site: Site, now: datetime, kind: str,
           dedupe_key: str | None, ics_method: str | None = None, ics: bytes | None = None) -> None:
    text, html = render_notice(notice, name=user.name, site=site)
    queue_email(
        session, to=user.email, to_name=user.name, subject=notice.subject, text=text, html=html, now=now,
        ics_method=ics_method, ics=ics, kind=kind, user_id=user.id, dedupe_key=dedupe_key,
    )


def _itip(event: EventData, user: User, method: str, *, site: Site, now: datetime, sequence: int) -> bytes:
    return ical.itip_bytes(
        event, method=method, attendee_email=user.email, attendee_name=user.name,
        organizer_email=site.sender_email, organizer_name=site.sender_name, dtstamp=now, sequence=sequence,
    )


def _removals(session: Session, event_id: int, user_ids: list[int]) -> dict[int, int]:
    """How often each person's confirmed place at this event was withdrawn (cancelled or rejected), so far."""
    if not user_ids:
        return {}
    counts: dict[int, int] = {}
    for user_id, payload in session.execute(
        sa.select(EventNotification.user_id, EventNotification.payload).where(
            EventNotification.event_id == event_id, EventNotification.user_id.in_(user_ids),
            EventNotification.kind.in_(("enrolment_cancelled", "enrolment_rejected")),
        )
    ):
        if (payload or {}).get("old_status") == "confirmed":
            counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def _sequence(event: EventData, removals: int, *, uninvite: bool = False) -> int:
    """A person's SEQUENCE: the event's revision plus two for every withdrawn place (its CANCEL takes one, the
    invitation after re-enrolling the next), so each message to them outranks the one before, event changes
    included."""
    return event.revision + 2 * removals - (1 if uninvite else 0)


def _key(notification: EventNotification | None, user_id: int) -> str | None:
    return f"calendar-n{notification.id}-u{user_id}" if notification is not None and notification.id else None


def _mark(notification: EventNotification | None, now: datetime) -> None:
    if notification is not None:
        notification.processed_at = now


def _short_date(event: EventData) -> str:
    return f"{event.starts_at.astimezone(event.zone):%d %b %Y}"


# Enrolments ------------------------------------------------------------------------------------------

def notify_enrolment(
    session: Session,
    *,
    enrolment: Enrolment,
    old_status: str | None,
    notification: EventNotification | None,
    now: datetime,
    site: Site,
    waitlist_position: int | None = None,
) -> None:
    """The email for one enrolment's new status (an invitation once confirmed)."""
    status = enrolment.status
    event = load_event_data(session, [enrolment.event_id], site=site).get(enrolment.event_id)
    user = enrolment.user if enrolment.user is not None else session.get(User, enrolment.user_id)
    if event is None or user is None or event.ends_at <= now:
        # nothing to put in a calendar once the event is over (attendance entered from paper sheets)
        _mark(notification, now)
        return
    facts = _facts(event, user.timezone)
    key = _key(notification, user.id)
    title = event.title
    if status == "confirmed":
        updated = old_status == "confirmed"
        notice = Notice(
            subject=f"{'Updated invitation' if updated else 'Invitation'}: {title} ({_short_date(event)})",
            heading="Your place is confirmed" if not updated else "Your invitation was updated",
            paragraphs=[f"Your place at “{title}” is confirmed. The invitation below adds it to your calendar; "
                        "it moves if the event moves and disappears if it is cancelled."],
            facts=facts,
        )
        sequence = _sequence(event, _removals(session, event.id, [user.id]).get(user.id, 0))
        _queue(session, user=user, notice=notice, site=site, now=now, kind="calendar_request", dedupe_key=key,
               ics_method="REQUEST", ics=_itip(event, user, "REQUEST", site=site, now=now, sequence=sequence))
    elif status in ("cancelled", "rejected"):
        if status == "cancelled" and event.status == "cancelled" and old_status == "confirmed":
            pass  # the event's own cancellation mail (METHOD:CANCEL) covers it
        elif old_status == "confirmed":
            rejected = status == "rejected"
            # the event goes on: the subject must not read as if the event were cancelled
            notice = Notice(
                subject=f"{'Not accepted' if rejected else 'Enrolment cancelled'}: {title} ({_short_date(event)})",
                heading="Your enrolment was not accepted" if rejected else "Your place is cancelled",
                paragraphs=[
                    f"Your enrolment in “{title}” was {'not accepted' if rejected else 'cancelled'}; "
                    "this message removes the event from your calendar."
                    + (f" Reason: {enrolment.cancel_reason}" if enrolment.cancel_reason else "")
                ],
                facts=facts, show_cancel_hint=False,
            )
            sequence = _sequence(event, _removals(session, event.id, [user.id]).get(user.id, 0), uninvite=True)
            _queue(session, user=user, notice=notice, site=site, now=now, kind="calendar_cancel",
                   dedupe_key=key, ics_method="CANCEL",
                   ics=_itip(event, user, "CANCEL", site=site, now=now, sequence=sequence))
        elif old_status is not None:
            rejected = status == "rejected"
            notice = Notice(
                subject=f"{'Not accepted' if rejected else 'Enrolment cancelled'}: {title}",
                heading="Your enrolment was not accepted" if rejected else "Your enrolment is cancelled",
                paragraphs=[
                    f"Your enrolment in “{title}” was {'not accepted' if rejected else 'cancelled'}."
                    + (f" Reason: {enrolment.cancel_reason}" if enrolment.cancel_reason else "")
                ],
                facts=facts, show_cancel_hint=False,
            )
            _queue(session, user=user, notice=notice, site=site, now=now, kind=f"enrolment_{status}",
                   dedupe_key=key)
    elif status == "waitlisted":
        position = f" You are number {waitlist_position} on the list." if waitlist_position else ""
        notice = Notice(
            subject=f"Waiting list: {title}" + (f" (position {waitlist_position})" if waitlist_position else ""),
            heading="You are on the waiting list",
            paragraphs=[f"“{title}” is full, so you are on its waiting list.{position} "
                        "We will write as soon as a seat is yours; there is no calendar invitation until then."],
            facts=facts,
        )
        _queue(session, user=user, notice=notice, site=site, now=now, kind="enrolment_waitlisted", dedupe_key=key)
    elif status == "pending":
        notice = Notice(
            subject=f"Awaiting approval: {title}",
            heading="Your enrolment awaits approval",
            paragraphs=[f"The organisers of “{title}” approve each enrolment. We will write when they have "
                        "decided; the calendar invitation follows once your place is confirmed."],
            facts=facts,
        )
        _queue(session, user=user, notice=notice, site=site, now=now, kind="enrolment_pending", dedupe_key=key)
    elif status == "offered":
        deadline = enrolment.offer_expires_at
        local_deadline = (
            f"{deadline.astimezone(event.zone):%a %d %b %Y, %H:%M} ({event.timezone})" if deadline else "soon"
        )
        notice = Notice(
            subject=f"A seat is free for you: {title} — accept by {local_deadline}",
            heading="A seat is free for you",
            paragraphs=[f"A seat at “{title}” is free and offered to you. Accept it by {local_deadline}; "
                        "after that it goes to the next person waiting."],
            action_label="Accept the seat", action_url=event.url, facts=facts,
        )
        _queue(session, user=user, notice=notice, site=site, now=now, kind="enrolment_offered", dedupe_key=key)
    elif status == "expired":
        notice = Notice(
            subject=f"Offer expired: {title}",
            heading="Your offer expired",
            paragraphs=[f"The seat offered to you at “{title}” was not accepted in time and went to the next "
                        "person waiting. You can enrol again from the event page."],
            facts=facts, show_cancel_hint=False,
        )
        _queue(session, user=user, notice=notice, site=site, now=now, kind="enrolment_expired", dedupe_key=key)
    _mark(notification, now)


# Event changes ---------------------------------------------------------------------------------------

def _confirmed_attendees(session: Session, event: Event, *, now: datetime) -> list[User]:
    """Everyone holding a confirmed place (and, for a cancelled event, those whose place it just cancelled)."""
    held = Enrolment.status == "confirmed"
    if event.status == "cancelled" and event.cancelled_at is not None:
        held = held | sa.and_(
            Enrolment.status == "cancelled", Enrolment.confirmed_at.is_not(None),
            Enrolment.cancelled_at >= event.cancelled_at,
        )
    return list(session.scalars(
        sa.select(User).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.event_id == event.id, held)
        .order_by(User.id)
    ))


def notify_event_change(
    session: Session,
    *,
    event: Event,
    changes: set[str],
    notification: EventNotification | None,
    now: datetime,
    site: Site,
) -> int:
    """Updated REQUESTs (time/place) or CANCELs (event cancelled) to everyone confirmed; returns the count."""
    data = load_event_data(session, [event.id], site=site).get(event.id)
    sent = 0
    if data is None:
        _mark(notification, now)
        return sent
    if "status" in changes and data.status == "cancelled":
        method, kind = "CANCEL", "calendar_cancel"
    elif changes & {"time", "place", "agenda"} and data.status == "published":
        method, kind = "REQUEST", "calendar_request"
    else:
        _mark(notification, now)
        return sent
    what = " and ".join(c for c in ("time", "place", "agenda") if c in changes) or "details"
    attendees = _confirmed_attendees(session, event, now=now)
    removals = _removals(session, event.id, [user.id for user in attendees])
    for user in attendees:
        facts = _facts(data, user.timezone)
        if method == "CANCEL":
            notice = Notice(
                subject=f"Cancelled: {data.title} ({_short_date(data)})",
                heading="The event is cancelled",
                paragraphs=[f"“{data.title}” is cancelled."
                            + (f" Reason: {data.cancel_reason}" if data.cancel_reason else "")
                            + " This message removes it from your calendar."],
                facts=facts, show_cancel_hint=False,
            )
        else:
            notice = Notice(
                subject=f"Updated: {data.title} ({_short_date(data)}) — new {what}",
                heading=f"The {what} changed",
                paragraphs=[f"The {what} of “{data.title}” changed. Your calendar entry updates with this "
                            "message; your place stays confirmed."],
                facts=facts,
            )
        _queue(session, user=user, notice=notice, site=site, now=now, kind=kind,
               dedupe_key=_key(notification, user.id), ics_method=method,
               ics=_itip(data, user, method, site=site, now=now, sequence=_sequence(data, removals.get(user.id, 0))))
        sent += 1
    if method == "CANCEL":
        # people still waiting or awaiting approval had no invitation: a plain notice is enough
        for user in session.scalars(
            sa.select(User).join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.event_id == event.id, Enrolment.status.in_(("pending", "waitlisted", "offered")))
            .order_by(User.id)
        ):
            notice = Notice(
                subject=f"Cancelled: {data.title} ({_short_date(data)})",
                heading="The event is cancelled",
                paragraphs=[f"“{data.title}”, for which you were enrolled, is cancelled."
                            + (f" Reason: {data.cancel_reason}" if data.cancel_reason else "")],
                facts=_facts(data, user.timezone), show_cancel_hint=False,
            )
            _queue(session, user=user, notice=notice, site=site, now=now, kind="event_cancelled",
                   dedupe_key=_key(notification, user.id))
            sent += 1
    _mark(notification, now)
    return sent
