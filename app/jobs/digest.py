"""The organiser digest: once per local day, from 08:00 in each organiser's own time zone.

The job runs every quarter hour (so at 08:00 sharp in every zone); an organiser whose local clock
is between 08:00 and noon and who has no digest_sent row for that local date gets one now (so a
scheduler that was down at 08:00 catches up later that morning; a day missed entirely is covered by
the next morning's digest). The row is written either way, "sent" or "skipped" (nothing to say),
and is unique per (user, local date): two runs or two processes never send two digests for one day.

Recipients: organisers of published events that have not ended, and of published programmes; and, for new
"We want to try this" registrations, the organisers and reviewers app/jobs/digest_interest.py names.
Something to say: new enrolments since the previous digest, pending approvals, submissions to
review (all waiting, in the programmes they organise), or emails to participants of their events that failed since the previous digest, or cities newly interested in
a practice they presented or published. Waiting
lists and open offers are shown as context but never by themselves cause an email.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from babel.lists import format_list
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.rules import MANAGER_ROLES
from app.events.models import Enrolment, Event, event_organiser
from app.jobs.digest_interest import InterestLine, interest_audience
from app.jobs.mailtools import public_url
from app.jobs.models import DigestSent
from app.language import PSEUDO_LOCALE, Translator, translator
from app.learning.models import Module, Programme, Submission, programme_organiser
from app.mail.models import OutboxMessage
from app.mail.render import render_mail
from app.mail.services import queue_email

log = logging.getLogger(__name__)

DIGEST_LOCAL_TIME = time(8, 0)
# a scheduler that was down at 08:00 catches up until noon; later than that the day is left out
# and the next morning's digest covers everything since the previous one
DIGEST_LATEST_LOCAL_TIME = time(12, 0)
DEFAULT_WINDOW = timedelta(hours=24)
MAX_WINDOW = timedelta(days=7)


@dataclass
class EventLine:
    event_id: int
    title: str
    starts_at: datetime
    timezone: str
    new: dict[str, int] = field(default_factory=dict)  # status -> new enrolments since the last digest
    pending: int = 0
    waitlisted: int = 0
    offered: int = 0

    @property
    def new_total(self) -> int:
        return sum(self.new.values())


@dataclass
class Digest:
    user: User
    local_date: object
    since: datetime
    zone: str  # the organiser's IANA zone (UTC when theirs is unknown)
    events: list[EventLine] = field(default_factory=list)
    failed_emails: int = 0
    submissions: int = 0
    interests: list[InterestLine] = field(default_factory=list)  # new "We want to try this" registrations

    @property
    def new_enrolments(self) -> int:
        return sum(e.new_total for e in self.events)

    @property
    def pending_approvals(self) -> int:
        return sum(e.pending for e in self.events)

    @property
    def has_news(self) -> bool:
        return bool(self.new_enrolments or self.pending_approvals or self.submissions or self.failed_emails
                    or self.interests)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _programme_organisers():
    """Ids of organisers of published programmes (they review submissions)."""
    return (sa.select(programme_organiser.c.user_id)
            .join(Programme, Programme.id == programme_organiser.c.programme_id)
            .where(Programme.status == "published"))


def _fill_submissions(session: Session, digests: dict[int, Digest]) -> None:
    """Self-study submissions waiting for review in each organiser's programmes (one query)."""
    if not digests:
        return
    rows = session.execute(
        sa.select(programme_organiser.c.user_id, sa.func.count(Submission.id))
        .join(Module, Module.programme_id == programme_organiser.c.programme_id)
        .join(Submission, Submission.module_id == Module.id)
        .where(programme_organiser.c.user_id.in_(digests), Submission.status == "submitted")
        .group_by(programme_organiser.c.user_id)
    )
    for user_id, count in rows:
        digests[user_id].submissions = count


def due_digests(session: Session, *, now: datetime, practice_url=lambda practice_id: f"/practices/{practice_id}"
                ) -> list[Digest]:
    """Organisers of upcoming events or published programmes whose local morning (08:00-12:00) it is, without a digest row today."""
    event_organisers = (sa.select(event_organiser.c.user_id)
                        .join(Event, Event.id == event_organiser.c.event_id)
                        .where(Event.status == "published", Event.ends_at > now))
    interest = interest_audience(session, since=now - MAX_WINDOW, now=now, practice_url=practice_url)
    who = sa.or_(User.id.in_(event_organisers), User.id.in_(_programme_organisers()),
                 User.id.in_(interest.user_ids))
    organisers = list(session.scalars(
        # the role as well as the membership (app.auth.rules): a demoted organiser hears nothing more
        sa.select(User).where(User.is_active_account.is_(True), User.role.in_(MANAGER_ROLES), who).order_by(User.id)
    ))
    local_dates = {}
    for user in organisers:
        local = now.astimezone(_zone(user.timezone))
        if DIGEST_LOCAL_TIME <= local.time() < DIGEST_LATEST_LOCAL_TIME:
            local_dates[user.id] = local.date()
    if not local_dates:
        return []
    done = set(session.execute(
        sa.select(DigestSent.user_id, DigestSent.local_date)
        .where(DigestSent.user_id.in_(local_dates), DigestSent.local_date.in_(set(local_dates.values())))
    ).all())
    due_users = [u for u in organisers if u.id in local_dates and (u.id, local_dates[u.id]) not in done]
    if not due_users:
        return []
    last = dict(session.execute(
        sa.select(DigestSent.user_id, sa.func.max(DigestSent.covered_until))
        .where(DigestSent.user_id.in_([u.id for u in due_users])).group_by(DigestSent.user_id)
    ).all())
    digests = {}
    for user in due_users:
        since = last.get(user.id) or now - DEFAULT_WINDOW
        digests[user.id] = Digest(user=user, local_date=local_dates[user.id], since=max(since, now - MAX_WINDOW),
                                  zone=_zone(user.timezone).key)
    _fill_events(session, digests, now=now)
    _fill_submissions(session, digests)
    for digest in digests.values():
        digest.interests = interest.since(digest.user.id, digest.since)
    return list(digests.values())


def _fill_events(session: Session, digests: dict[int, Digest], *, now: datetime) -> None:
    rows = session.execute(
        sa.select(event_organiser.c.user_id, Event.id, Event.title, Event.starts_at, Event.timezone)
        .join(Event, Event.id == event_organiser.c.event_id)
        .where(event_organiser.c.user_id.in_(digests), Event.status == "published", Event.ends_at > now)
        .order_by(Event.starts_at, Event.id)
    ).all()
    # event id -> (organiser's digest, the event's line in it)
    lines: dict[int, list[tuple[Digest, EventLine]]] = defaultdict(list)
    for user_id, event_id, title, starts_at, zone in rows:
        line = EventLine(event_id, title, starts_at, zone)
        digests[user_id].events.append(line)
        lines[event_id].append((digests[user_id], line))
    if not lines:
        return
    event_ids = list(lines)
    oldest = min(d.since for d in digests.values())
    for event_id, status, created_at in session.execute(
        sa.select(Enrolment.event_id, Enrolment.status, Enrolment.created_at)
        .where(Enrolment.event_id.in_(event_ids), Enrolment.created_at > oldest, Enrolment.created_at <= now)
    ):
        for digest, line in lines[event_id]:
            if created_at > digest.since:
                line.new[status] = line.new.get(status, 0) + 1
    for event_id, status, count in session.execute(
        sa.select(Enrolment.event_id, Enrolment.status, sa.func.count())
        .where(Enrolment.event_id.in_(event_ids), Enrolment.status.in_(("pending", "waitlisted", "offered")))
        .group_by(Enrolment.event_id, Enrolment.status)
    ):
        for _digest, line in lines[event_id]:
            setattr(line, status, count)
    # failed emails to participants of each organiser's events since their previous digest
    for digest in digests.values():
        ids = [line.event_id for line in digest.events]
        if not ids:
            continue
        digest.failed_emails = session.scalar(
            sa.select(sa.func.count()).select_from(OutboxMessage).where(
                OutboxMessage.status == "failed", OutboxMessage.next_attempt_at > digest.since,
                OutboxMessage.user_id.in_(sa.select(Enrolment.user_id).where(Enrolment.event_id.in_(ids))),
            )
        ) or 0


def send_digests(session: Session, *, now: datetime, config) -> str:
    """Send each due organiser digest, or record that there was nothing to say (job: organiser-digest)."""
    sent = skipped = 0
    base = (config.get("BASE_URL") or "").rstrip("/")
    digests = due_digests(session, now=now, practice_url=lambda practice_id: f"{base}/practices/{practice_id}")
    manage_url = public_url(config, "events.manage", "/events/manage") if digests else ""
    outbox_url = public_url(config, "mail.admin_outbox", "/admin/outbox") if digests else ""
    learning_url = public_url(config, "learning.manage", "/learning/manage") if digests else ""
    for digest in digests:
        status = "sent" if digest.has_news else "skipped"
        try:
            with session.begin_nested():
                session.add(DigestSent(user_id=digest.user.id, local_date=digest.local_date, status=status,
                                       covered_until=now, created_at=now))
                session.flush()
                if status == "sent":
                    # each organiser reads their digest in their own language and zone
                    t = translator(digest.user.language)
                    context = {"digest": digest, "user": digest.user, "manage_url": manage_url,
                               "outbox_url": outbox_url, "learning_url": learning_url,
                               "network_name": config.get("NETWORK_NAME") or "Connective Cities"}
                    queue_email(
                        session, to=digest.user.email, to_name=digest.user.name, now=now,
                        subject=_subject(digest, t),
                        text=render_mail("jobs/mail/digest.txt", language=t.language, **context),
                        html=render_mail("jobs/mail/digest.html", language=t.language, **context),
                        kind="digest", user_id=digest.user.id,
                        dedupe_key=f"digest:{digest.user.id}:{digest.local_date.isoformat()}",
                    )
        except IntegrityError:
            continue  # another run recorded this organiser's day at the same moment
        if status == "sent":
            sent += 1
        else:
            skipped += 1
    return f"{sent} digest(s) sent, {skipped} with nothing to say"


def _subject(digest: Digest, t: Translator) -> str:
    """"Your daily digest: 3 new enrolments, 1 to approve" in the organiser's language."""
    parts = []
    if digest.new_enrolments:
        parts.append(t.ngettext("%(num)d new enrolment", "%(num)d new enrolments", digest.new_enrolments))
    if digest.pending_approvals:
        parts.append(t.ngettext("%(num)d to approve", "%(num)d to approve", digest.pending_approvals))
    if digest.submissions:
        parts.append(t.ngettext("%(num)d submission to review", "%(num)d submissions to review", digest.submissions))
    if digest.interests:
        parts.append(t.ngettext("%(num)d new interest in practices", "%(num)d new interests in practices",
                                len(digest.interests)))
    if digest.failed_emails:
        parts.append(t.ngettext("%(num)d failed email", "%(num)d failed emails", digest.failed_emails))
    locale = "en_GB" if t.language in ("en", PSEUDO_LOCALE) else t.language
    return t.gettext("Your daily digest: %(items)s", items=format_list(parts, style="unit-short", locale=locale))
