"""Test data for certificates: past events with attendance, completed programmes (plain rows, flushed)."""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.events.models import Checkin, Enrolment
from app.sqltypes import utcnow
from tests.factories import make_event, make_organiser, make_user

NAMES = ["Zoë Müller-Łukasiewicz", "Анна Ковальчук", "Γιώργος Παπαδόπουλος", "Nguyễn Văn An"]


def past_event(session, *, days: int = 1, ended_at: datetime | None = None, organisers=None, **overrides):
    """A published Leipzig workshop of `days` local days (09-17) two days ago, or of 8 h ending at `ended_at`."""
    zone = ZoneInfo(overrides.get("timezone", "Europe/Berlin"))
    if ended_at is None:
        last_day = (utcnow() - timedelta(days=2)).astimezone(zone).date()
        ends = datetime.combine(last_day, time(17), zone)
        starts = datetime.combine(last_day - timedelta(days=days - 1), time(9), zone)
    else:
        ends, starts = ended_at, ended_at - timedelta(hours=8)
    if organisers is None:
        organisers = [make_organiser(session, name="Olivia Okafor")]
    values = {"starts_at": starts, "ends_at": ends, "title": "Climate-resilient drainage workshop"}
    values.update(overrides)
    return make_event(session, organisers=organisers, **values)


def event_days(event):
    zone = ZoneInfo(event.timezone)
    day = event.starts_at.astimezone(zone).date()
    last = (event.ends_at - timedelta(seconds=1)).astimezone(zone).date()
    out = []
    while day <= last:
        out.append(day)
        day += timedelta(days=1)
    return out


def enrol(session, event, user, *, status: str = "confirmed") -> Enrolment:
    enrolment = Enrolment(event_id=event.id, user_id=user.id, status=status, ticket_code=secrets.token_hex(6),
                          confirmed_at=utcnow() if status == "confirmed" else None,
                          waitlist_seq=1 if status in ("waitlisted", "offered") else None)
    session.add(enrolment)
    session.flush()
    return enrolment


def check_in(session, enrolment, event, *, days=None) -> None:
    for day in days if days is not None else event_days(event):
        session.add(Checkin(enrolment_id=enrolment.id, day=day, method="search"))
    session.flush()


def attendee(session, event, **user_fields):
    """A confirmed participant who attended every day."""
    user = make_user(session, **user_fields)
    check_in(session, enrol(session, event, user), event)
    return user


def completed_programme(session, *, users, organisers=None, modules=(("Integrated water planning", 3),
                                                                       ("Green mobility", 4.5))):
    """A programme with modules that every user completed (rows written directly)."""
    from app.learning.models import Module, ModuleCompletion, Programme, ProgrammeCompletion

    organisers = organisers if organisers is not None else [make_organiser(session, name="Sipho Ndlovu")]
    programme = Programme(slug=f"programme-{secrets.token_hex(4)}", title="Urban climate adaptation programme",
                          status="published", created_by_id=organisers[0].id if organisers else None)
    programme.organisers = list(organisers)
    session.add(programme)
    session.flush()
    rows = []
    for position, (title, hours) in enumerate(modules):
        module = Module(programme_id=programme.id, position=position, title=title, hours=Decimal(str(hours)))
        session.add(module)
        rows.append(module)
    session.flush()
    total = sum(Decimal(str(h)) for _, h in modules)
    completions = []
    for user in users:
        for module in rows:
            session.add(ModuleCompletion(module_id=module.id, user_id=user.id, source="manual",
                                         note="test", recorded_by_id=organisers[0].id if organisers else None))
        completion = ProgrammeCompletion(programme_id=programme.id, user_id=user.id, hours=total)
        session.add(completion)
        completions.append(completion)
    session.flush()
    return programme, completions
