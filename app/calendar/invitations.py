"""Emails about enrolments and event changes: iTIP invitations (REQUEST / CANCEL) and plain notices.

Called from the receivers of app.events.signals with the sender's session, so every message is written to
the outbox in the same transaction as the change that caused it (and rolls back with it). Each message is in
its recipient's language and time zone (user.language, user.timezone), whoever caused it; the iTIP object keeps
the event's own title and data, only the text around it is translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.lists import format_list
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calendar import ical
from app.calendar.ical import EventData
from app.calendar.services import load_event_data
from app.calendar.site import Site
from app.events.models import Enrolment, Event, EventNotification
from app.language import PSEUDO_LOCALE, Translator, translator
from app.mail.render import render_mail
from app.mail.services import queue_email


@dataclass(frozen=True)
class Sentence:
    """One translated sentence and its values, kept apart so each part fills them its own way: the text part
    as they are, the HTML part escaped and each value isolated in <bdi> (a Latin title inside an Arabic
    sentence keeps its punctuation where it belongs)."""

    template: str
    params: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.template % self.params if self.params else self.template

    @property
    def html(self) -> Markup:
        if not self.params:
            return Markup(escape(self.template))
        return Markup(escape(self.template)) % {k: Markup("<bdi>%s</bdi>") % v for k, v in self.params.items()}


def say(template: str, **params) -> Sentence:
    """A Sentence from an already translated template: say(t.gettext("… %(title)s …"), title=title)."""
    return Sentence(template, params)


@dataclass(frozen=True)
class Paragraph:
    """Sentences shown as one paragraph, each translated whole (never a sentence made of fragments)."""

    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def html(self) -> Markup:
        return Markup(" ").join(s.html for s in self.sentences)


@dataclass
class Notice:
    """One email's content before rendering, already in the recipient's language."""

    subject: str
    heading: str
    paragraphs: list[Sentence | Paragraph]
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


def _is_repeated(local: datetime) -> bool:
    """Whether this wall-clock time happens twice (the repeated hour when clocks go back)."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _clock(t: Translator, local: datetime, zone: str) -> str:
    """'09:00' in the reader's language; with the zone's abbreviation when that time happens twice."""
    text = t.when(local, zone, "Hm", None)
    return f"{text} {local:%Z}" if _is_repeated(local) else text


def local_range(t: Translator, event: EventData, zone: str | None = None) -> str:
    """'Tue 14 Oct 2025, 09:00–17:00' (or both dates when it spans days) in the reader's language, in `zone`
    (the event's own by default)."""
    name = zone or event.timezone
    tz = ZoneInfo(name) if zone else event.zone
    start, end = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    if start.date() == end.date():
        return f"{t.when(start, name, 'yMMMEd', None)}{_comma(t)}{_clock(t, start, name)}–{_clock(t, end, name)}"
    return (f"{t.when(start, name, 'yMMMEd', None)}{_comma(t)}{_clock(t, start, name)} – "
            f"{t.when(end, name, 'yMMMEd', None)}{_comma(t)}{_clock(t, end, name)}")


def _comma(t: Translator) -> str:
    # the separator Translator.when puts between a date and its time
    return "، " if t.language == "ar" else ", "


def when_text(event: EventData, t: Translator | None = None) -> str:
    """The time in the event's zone, with the zone and its UTC offset."""
    start = event.starts_at.astimezone(event.zone)
    return f"{local_range(t or translator('en'), event)} ({event.timezone}, {_offset(start)})"


def _your_time(t: Translator, event: EventData, user_zone: str | None) -> str | None:
    if not user_zone or user_zone == event.timezone:
        return None
    try:
        zone = ZoneInfo(user_zone)
    except (KeyError, ValueError):
        return None
    start = event.starts_at.astimezone(zone)
    if start.utcoffset() == event.starts_at.astimezone(event.zone).utcoffset():
        return None
    return f"{local_range(t, event, user_zone)} ({user_zone})"


def _facts(t: Translator, event: EventData, user_zone: str | None) -> list[tuple[str, str]]:
    facts = [(t.gettext("What"), event.title), (t.gettext("When"), when_text(event, t))]
    yours = _your_time(t, event, user_zone)
    if yours:
        facts.append((t.gettext("Your time"), yours))
    place = ", ".join(p for p in (event.venue, event.address, event.city, event.country_name) if p)
    if place:
        facts.append((t.gettext("Where"), place))
    if event.online_url:
        facts.append((t.gettext("Online"), event.online_url))
    facts.append((t.gettext("Event page"), event.url))
    return facts


def render_notice(notice: Notice, *, name: str, site: Site, language: str | None = None) -> tuple[str, str]:
    """The text/plain and text/html bodies in `language` (the recipient's); HTML autoescaped, so every
    user-supplied string is escaped."""
    t = translator(language)
    my_events_url = site.url(site.my_events_path)
    cancel_hint = (
        t.gettext("Cannot come? Cancel your enrolment on the event page or under My events: %(url)s",
                  url=my_events_url) if notice.show_cancel_hint else None
    )
    lines = [t.gettext("Hello %(name)s,", name=name), ""]
    for paragraph in notice.paragraphs:
        lines += [paragraph.text, ""]
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
        "calendar/email/notice.html", language=t.language, notice=notice, name=name, site=site,
        cancel_hint=cancel_hint, my_events_url=my_events_url,
    )
    return text, html


def _queue(session: Session, *, user: User, notice: Notice, site: Site, now: datetime, kind: str,
           dedupe_key: str | None, ics_method: str | None = None, ics: bytes | None = None) -> None:
    text, html = render_notice(notice, name=user.name, site=site, language=user.language)
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


def _zone_of(user: User, event: EventData) -> str:
    """The reader's own zone for dates in a subject or a deadline (the event's when theirs is unknown)."""
    try:
        return ZoneInfo(user.timezone).key if user.timezone else event.timezone
    except (KeyError, ValueError):
        return event.timezone


def _short_date(t: Translator, event: EventData, zone: str) -> str:
    """'14 Oct 2025' in the reader's language and zone (the subject's date)."""
    return t.when(event.starts_at, zone, "yMMMd", None)


def _with_reason(t: Translator, sentences: list[Sentence], reason: str | None) -> Paragraph:
    """The sentences, then the reason given (if any), as one paragraph."""
    if reason:
        sentences = [*sentences, say(t.gettext("Reason: %(reason)s"), reason=reason)]
    return Paragraph(tuple(sentences))


# Enrolments ------------------------------------------------------------------------------------------

def enrolment_notice(t: Translator, *, status: str, old_status: str | None, event: EventData, user: User,
                     enrolment: Enrolment, waitlist_position: int | None = None) -> Notice | None:
    """The notice for one enrolment's new status, in the recipient's language (None: nothing to say)."""
    zone = _zone_of(user, event)
    facts = _facts(t, event, user.timezone)
    title, date = event.title, _short_date(t, event, zone)
    if status == "confirmed":
        if old_status == "confirmed":
            subject = t.gettext("Updated invitation: %(title)s (%(date)s)", title=title, date=date)
            heading = t.gettext("Your invitation was updated")
        else:
            subject = t.gettext("Invitation: %(title)s (%(date)s)", title=title, date=date)
            heading = t.gettext("Your place is confirmed")
        return Notice(
            subject=subject, heading=heading, facts=facts,
            paragraphs=[say(t.gettext("Your place at “%(title)s” is confirmed. The invitation below adds it to your "
                                      "calendar; it moves if the event moves and disappears if it is cancelled."),
                            title=title)],
        )
    if status in ("cancelled", "rejected"):
        rejected = status == "rejected"
        if old_status == "confirmed":
            # the event goes on: the subject must not read as if the event were cancelled
            if rejected:
                subject = t.gettext("Not accepted: %(title)s (%(date)s)", title=title, date=date)
                heading = t.gettext("Your enrolment was not accepted")
                paragraph = say(t.gettext("Your enrolment in “%(title)s” was not accepted; this message removes the "
                                          "event from your calendar."), title=title)
            else:
                subject = t.gettext("Enrolment cancelled: %(title)s (%(date)s)", title=title, date=date)
                heading = t.gettext("Your place is cancelled")
                paragraph = say(t.gettext("Your enrolment in “%(title)s” was cancelled; this message removes the "
                                          "event from your calendar."), title=title)
        elif rejected:
            subject = t.gettext("Not accepted: %(title)s", title=title)
            heading = t.gettext("Your enrolment was not accepted")
            paragraph = say(t.gettext("Your enrolment in “%(title)s” was not accepted."), title=title)
        else:
            subject = t.gettext("Enrolment cancelled: %(title)s", title=title)
            heading = t.gettext("Your enrolment is cancelled")
            paragraph = say(t.gettext("Your enrolment in “%(title)s” was cancelled."), title=title)
        return Notice(subject=subject, heading=heading, facts=facts, show_cancel_hint=False,
                      paragraphs=[_with_reason(t, [paragraph], enrolment.cancel_reason)])
    if status == "waitlisted":
        sentences = [say(t.gettext("“%(title)s” is full, so you are on its waiting list."), title=title)]
        if waitlist_position:
            subject = t.gettext("Waiting list: %(title)s (position %(position)s)", title=title,
                                position=t.number(waitlist_position))
            sentences.append(say(t.gettext("You are number %(position)s on the list."),
                                 position=t.number(waitlist_position)))
        else:
            subject = t.gettext("Waiting list: %(title)s", title=title)
        sentences.append(say(t.gettext("We will write as soon as a seat is yours; there is no calendar invitation "
                                       "until then.")))
        return Notice(subject=subject, heading=t.gettext("You are on the waiting list"),
                      paragraphs=[Paragraph(tuple(sentences))], facts=facts)
    if status == "pending":
        return Notice(
            subject=t.gettext("Awaiting approval: %(title)s", title=title),
            heading=t.gettext("Your enrolment awaits approval"),
            paragraphs=[say(t.gettext("The organisers of “%(title)s” approve each enrolment. We will write when they "
                                      "have decided; the calendar invitation follows once your place is confirmed."),
                            title=title)],
            facts=facts,
        )
    if status == "offered":
        deadline = enrolment.offer_expires_at
        if deadline is not None:
            # the deadline in the reader's own zone, named
            by = f"{t.when(deadline, zone)} ({zone})"
            subject = t.gettext("A seat is free for you: %(title)s — accept by %(deadline)s", title=title, deadline=by)
            paragraph = say(t.gettext("A seat at “%(title)s” is free and offered to you. Accept it by %(deadline)s; "
                                      "after that it goes to the next person waiting."), title=title, deadline=by)
        else:
            subject = t.gettext("A seat is free for you: %(title)s — accept soon", title=title)
            paragraph = say(t.gettext("A seat at “%(title)s” is free and offered to you. Accept it soon; after that "
                                      "it goes to the next person waiting."), title=title)
        return Notice(subject=subject, heading=t.gettext("A seat is free for you"), paragraphs=[paragraph],
                      action_label=t.gettext("Accept the seat"), action_url=event.url, facts=facts)
    if status == "expired":
        return Notice(
            subject=t.gettext("Offer expired: %(title)s", title=title),
            heading=t.gettext("Your offer expired"),
            paragraphs=[say(t.gettext("The seat offered to you at “%(title)s” was not accepted in time and went to the "
                                      "next person waiting. You can enrol again from the event page."), title=title)],
            facts=facts, show_cancel_hint=False,
        )
    return None


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
    """The email for one enrolment's new status (an invitation once confirmed), in the recipient's language."""
    status = enrolment.status
    event = load_event_data(session, [enrolment.event_id], site=site).get(enrolment.event_id)
    user = enrolment.user if enrolment.user is not None else session.get(User, enrolment.user_id)
    if event is None or user is None or event.ends_at <= now:
        # nothing to put in a calendar once the event is over (attendance entered from paper sheets)
        _mark(notification, now)
        return
    if status == "cancelled" and event.status == "cancelled" and old_status == "confirmed":
        _mark(notification, now)  # the event's own cancellation mail (METHOD:CANCEL) covers it
        return
    if status in ("cancelled", "rejected") and old_status is None:
        _mark(notification, now)
        return
    notice = enrolment_notice(translator(user.language), status=status, old_status=old_status, event=event,
                              user=user, enrolment=enrolment, waitlist_position=waitlist_position)
    key = _key(notification, user.id)
    if notice is None:
        pass
    elif status == "confirmed":
        sequence = _sequence(event, _removals(session, event.id, [user.id]).get(user.id, 0))
        _queue(session, user=user, notice=notice, site=site, now=now, kind="calendar_request", dedupe_key=key,
               ics_method="REQUEST", ics=_itip(event, user, "REQUEST", site=site, now=now, sequence=sequence))
    elif status in ("cancelled", "rejected") and old_status == "confirmed":
        sequence = _sequence(event, _removals(session, event.id, [user.id]).get(user.id, 0), uninvite=True)
        _queue(session, user=user, notice=notice, site=site, now=now, kind="calendar_cancel", dedupe_key=key,
               ics_method="CANCEL", ics=_itip(event, user, "CANCEL", site=site, now=now, sequence=sequence))
    else:
        _queue(session, user=user, notice=notice, site=site, now=now, kind=f"enrolment_{status}", dedupe_key=key)
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


def _changes(t: Translator, changes: set[str]) -> str:
    """What changed, as a list in the reader's language ("date and time, location and agenda")."""
    names = {"time": t.gettext("date and time"), "place": t.gettext("location"), "agenda": t.gettext("agenda")}
    items = [names[c] for c in ("time", "place", "agenda") if c in changes] or [t.gettext("details")]
    locale = "en_GB" if t.language in ("en", PSEUDO_LOCALE) else t.language
    return format_list(items, locale=locale)


def event_change_notice(t: Translator, *, method: str, changes: set[str], event: EventData, user: User,
                        invited: bool = True) -> Notice:
    """The notice of an event's change or cancellation, in the recipient's language."""
    facts = _facts(t, event, user.timezone)
    title, date = event.title, _short_date(t, event, _zone_of(user, event))
    if method == "CANCEL":
        subject = t.gettext("Cancelled: %(title)s (%(date)s)", title=title, date=date)
        heading = t.gettext("The event is cancelled")
        if invited:
            paragraphs = [_with_reason(t, [say(t.gettext("“%(title)s” is cancelled."), title=title)],
                                       event.cancel_reason),
                          say(t.gettext("This message removes it from your calendar."))]
        else:
            paragraphs = [_with_reason(
                t, [say(t.gettext("“%(title)s”, for which you were enrolled, is cancelled."), title=title)],
                event.cancel_reason)]
        return Notice(subject=subject, heading=heading, paragraphs=paragraphs, facts=facts, show_cancel_hint=False)
    what = _changes(t, changes)
    return Notice(
        subject=t.gettext("Updated: %(title)s (%(date)s) — changed: %(changes)s", title=title, date=date,
                          changes=what),
        heading=t.gettext("The event changed: %(changes)s", changes=what),
        paragraphs=[say(t.gettext("“%(title)s” changed (%(changes)s). Your calendar entry updates with this message; "
                                  "your place stays confirmed."), title=title, changes=what)],
        facts=facts,
    )


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
    attendees = _confirmed_attendees(session, event, now=now)
    removals = _removals(session, event.id, [user.id for user in attendees])
    for user in attendees:
        notice = event_change_notice(translator(user.language), method=method, changes=changes, event=data, user=user)
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
            notice = event_change_notice(translator(user.language), method=method, changes=changes, event=data,
                                         user=user, invited=False)
            _queue(session, user=user, notice=notice, site=site, now=now, kind="event_cancelled",
                   dedupe_key=_key(notification, user.id))
            sent += 1
    _mark(notification, now)
    return sent
