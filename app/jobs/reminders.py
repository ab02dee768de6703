"""Reminders to confirmed participants before an event starts, each queued exactly once per enrolment and offset.

Rules (computed from the database every run, so runs missed during downtime are caught up):
- offsets come from the event (hours before the start; 168 and 24 by default);
- an offset is *due* once its window has opened (start - offset <= now) and the event has not started;
- only the most specific due offset (the smallest) is sent: after downtime a participant gets the
  1-day reminder, not the 7-day one as well;
- an offset whose window opened before the person was confirmed is not sent (they just received
  their confirmation), and the larger ones are never sent in its place;
- published events only (none for drafts or cancelled events), confirmed enrolments of active
  accounts only;
- reminder_sent is unique per (enrolment, offset) and remembers the start it announced: a moved
  event makes the offsets already sent due again (for the new start), an unmoved one never does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from app.auth.models import User
from app.calendar.services import build_reminder_ics
from app.calendar.site import Site, site_from_config
from app.events.models import Enrolment, Event
from app.jobs.mailtools import local_span, place_lines, public_url
from app.jobs.models import ReminderSent
from app.language import Translator, translator
from app.mail.render import render_mail
from app.mail.services import queue_email

log = logging.getLogger(__name__)

DEFAULT_OFFSETS = (168, 24)
MAX_OFFSET_HOURS = 24 * 366
CHUNK = 500


def clean_offsets(raw) -> list[int]:
    """The event's offsets as distinct positive hours (the defaults when none are set)."""
    if raw is None:
        raw = DEFAULT_OFFSETS
    offsets = set()
    for value in raw if isinstance(raw, list | tuple) else []:
        try:
            hours = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < hours <= MAX_OFFSET_HOURS:
            offsets.add(hours)
    return sorted(offsets, reverse=True)


def due_offset(starts_at: datetime, offsets, now: datetime) -> int | None:
    """The most specific offset whose window has opened before an event that has not started."""
    if starts_at <= now:
        return None
    due = [o for o in clean_offsets(offsets) if starts_at - timedelta(hours=o) <= now]
    return min(due) if due else None


@dataclass(frozen=True)
class PlannedReminder:
    enrolment_id: int
    event_id: int
    offset_hours: int
    starts_at: datetime
    # the start an earlier reminder for this offset announced (None: never sent)
    previous_starts_at: datetime | None


def plan_reminders(session: Session, *, now: datetime) -> list[PlannedReminder]:
    """Every reminder due now and not yet sent for the event's current start."""
    rows = session.execute(
        sa.select(Event.id, Event.starts_at, Event.reminder_offsets_hours).where(
            Event.status == "published", Event.starts_at > now,
            Event.starts_at <= now + timedelta(hours=MAX_OFFSET_HOURS),
        )
    ).all()
    due: dict[int, tuple[int, datetime]] = {}
    for event_id, starts_at, offsets in rows:
        offset = due_offset(starts_at, offsets, now)
        if offset is not None:
            due[event_id] = (offset, starts_at)
    planned: list[PlannedReminder] = []
    event_ids = sorted(due)
    for i in range(0, len(event_ids), CHUNK):
        chunk = event_ids[i:i + CHUNK]
        enrolments = session.execute(
            sa.select(Enrolment.id, Enrolment.event_id, Enrolment.confirmed_at, Enrolment.created_at)
            .join(User, User.id == Enrolment.user_id)
            .where(Enrolment.event_id.in_(chunk), Enrolment.status == "confirmed", User.is_active_account.is_(True))
            .order_by(Enrolment.id)
        ).all()
        sent = {
            (enrolment_id, offset): starts
            for enrolment_id, offset, starts in session.execute(
                sa.select(ReminderSent.enrolment_id, ReminderSent.offset_hours, ReminderSent.event_starts_at)
                .join(Enrolment, Enrolment.id == ReminderSent.enrolment_id)
                .where(Enrolment.event_id.in_(chunk), Enrolment.status == "confirmed")
            )
        }
        for enrolment_id, event_id, confirmed_at, created_at in enrolments:
            offset, starts_at = due[event_id]
            joined = confirmed_at or created_at
            if joined is not None and joined > starts_at - timedelta(hours=offset):
                continue  # confirmed after this window opened: the confirmation said it all
            previous = sent.get((enrolment_id, offset))
            if previous is not None and previous == starts_at:
                continue
            planned.append(PlannedReminder(enrolment_id, event_id, offset, starts_at, previous))
    return planned


def _record(session: Session, item: PlannedReminder, now: datetime) -> bool:
    """Claim the send in reminder_sent; False when another run already did (the unique key decides)."""
    if item.previous_starts_at is None:
        session.add(ReminderSent(enrolment_id=item.enrolment_id, offset_hours=item.offset_hours,
                                 event_starts_at=item.starts_at, sent_at=now, times_sent=1))
        session.flush()
        return True
    result = session.execute(
        sa.update(ReminderSent)
        .where(ReminderSent.enrolment_id == item.enrolment_id, ReminderSent.offset_hours == item.offset_hours,
               ReminderSent.event_starts_at == item.previous_starts_at)
        .values(event_starts_at=item.starts_at, sent_at=now, times_sent=ReminderSent.times_sent + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _relative(starts_at: datetime, now: datetime) -> dict:
    """How soon the event starts, for the reminder's sentence: whole days, hours, or within the hour."""
    hours = (starts_at - now).total_seconds() / 3600
    if hours >= 36:
        return {"unit": "days", "num": round(hours / 24)}
    if hours >= 1.5:
        return {"unit": "hours", "num": round(hours)}
    return {"unit": "soon", "num": 0}


def _agenda(event, t: Translator) -> list[dict]:
    zone = event.timezone
    items = []
    for item in sorted(event.sessions, key=lambda s: s.starts_at):
        where = ", ".join(p for p in (item.location, item.address) if p)
        items.append({"when": f"{t.when(item.starts_at, zone, 'MMMEd', 'Hm')}–{t.when(item.ends_at, zone, 'Hm', None)}",
                      "title": item.title, "where": where, "speakers": item.speakers})
    return items


def _your_time(event, t: Translator, zone: str | None) -> str | None:
    """The event's time in the reader's own zone, when its clock differs from the event's."""
    if not zone or zone == event.timezone:
        return None
    try:
        mine = ZoneInfo(zone)
    except (KeyError, ValueError):
        return None
    if event.starts_at.astimezone(mine).utcoffset() == event.starts_at.astimezone(ZoneInfo(event.timezone)).utcoffset():
        return None
    return local_span(event.starts_at, event.ends_at, zone, t)


class _EventMail:
    """What every reminder for one event shares: its links and the .ics (built once), and its text parts in
    each language a recipient reads (built once per language)."""

    def __init__(self, session: Session, event: Event, *, now: datetime, config, site: Site):
        self.event = event
        self.url = public_url(config, "events.detail", f"/events/{event.id}", event_id=event.id)
        # the same VEVENT (UID, SEQUENCE) as the feeds and invitations
        self.ics = build_reminder_ics(session, event, site=site)
        self.network = config.get("NETWORK_NAME") or "Connective Cities"
        self._texts: dict[str, dict] = {}

    def _in(self, t: Translator) -> dict:
        if t.language not in self._texts:
            event = self.event
            self._texts[t.language] = {
                "when": local_span(event.starts_at, event.ends_at, event.timezone, t),
                "where": place_lines(event, t), "agenda": _agenda(event, t),
            }
        return self._texts[t.language]

    def render(self, enrolment: Enrolment, item: PlannedReminder, now: datetime) -> dict:
        """Subject and bodies in the recipient's language, dates in their zone as well as the event's."""
        user = enrolment.user
        t = translator(user.language)
        context = {
            "event": self.event, "user": user, "enrolment": enrolment, "url": self.url,
            "your_time": _your_time(self.event, t, user.timezone), "network_name": self.network,
            "relative": _relative(self.event.starts_at, now), "moved": item.previous_starts_at is not None,
            **self._in(t),
        }
        date = t.when(self.event.starts_at, user.timezone or self.event.timezone, "yMMMEd", None)
        return {
            "subject": t.gettext("Reminder: %(title)s on %(date)s", title=self.event.title, date=date),
            "text": render_mail("jobs/mail/reminder.txt", language=t.language, **context),
            "html": render_mail("jobs/mail/reminder.html", language=t.language, **context),
        }


def send_reminders(session: Session, *, now: datetime, config, site: Site | None = None) -> str:
    """Queue every due reminder (job: reminders)."""
    site = site if site is not None else site_from_config(config)
    planned = plan_reminders(session, now=now)
    if not planned:
        return "no reminders due"
    events = {
        e.id: e for e in session.scalars(
            sa.select(Event).options(selectinload(Event.sessions))
            .where(Event.id.in_({p.event_id for p in planned}))
        )
    }
    enrolments = {}
    ids = [p.enrolment_id for p in planned]
    for i in range(0, len(ids), CHUNK):
        for enrolment in session.scalars(
            sa.select(Enrolment).options(joinedload(Enrolment.user)).where(Enrolment.id.in_(ids[i:i + CHUNK]))
        ):
            enrolments[enrolment.id] = enrolment
    mails: dict[int, _EventMail] = {}
    queued = skipped = 0
    for item in planned:
        enrolment = enrolments[item.enrolment_id]
        if item.event_id not in mails:
            mails[item.event_id] = _EventMail(session, events[item.event_id], now=now, config=config, site=site)
        mail = mails[item.event_id]
        try:
            with session.begin_nested():
                if not _record(session, item, now):
                    skipped += 1
                    continue
                parts = mail.render(enrolment, item, now)
                queue_email(
                    session, to=enrolment.user.email, to_name=enrolment.user.name, now=now,
                    subject=parts["subject"], text=parts["text"], html=parts["html"],
                    attachments=[{"filename": f"{mail.event.slug}.ics", "content_type": "text/calendar",
                                  "method": "PUBLISH", "content": mail.ics.decode("utf-8")}],
                    kind="reminder", user_id=enrolment.user_id,
                    dedupe_key=f"reminder:{item.enrolment_id}:{item.offset_hours}:"
                               f"{item.starts_at:%Y%m%dT%H%M%SZ}",
                )
        except IntegrityError:
            # another process claimed this reminder at the same moment: it sends it, we do not
            skipped += 1
            continue
        queued += 1
    log.info("reminders: %s queued, %s already sent elsewhere", queued, skipped)
    return f"{queued} reminder(s) queued" + (f", {skipped} already sent" if skipped else "")
