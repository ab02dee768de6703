"""A small network built by hand for the network dashboard's tests; the numbers the tests expect are counted in
the comments here.

Organisations: Bonn (DE), Irbid (JO), Tunis (TN), Leipzig (DE, no activity but interest).
People: b1, b2, b3 of Bonn; i1 of Irbid; t1 of Tunis; n1 of no organisation.
Events (topics: T = sustainable-transport, C = circular-economy):
  E1 2025-03-10 workshop, published, host Irbid, JO, topic T: b1, b2, i1, t1, n1 confirmed; b3 cancelled
  E2 2026-05-01 information trip, published, host Irbid, JO: b1 confirmed; t1 waitlisted
  E3 2026-06-01 conference, published, host Bonn, DE, topic T: i1, t1 confirmed
  E4 2026-07-01 workshop, DRAFT, host Tunis, TN: b1 confirmed
  E5 2026-08-01 training, CANCELLED, host Bonn, DE: i1 confirmed
  E6 2026-09-01 training, published, no host, online (no country), topic C: b2 confirmed
Flows (public, all time): Bonn->Irbid 2 (b1, b2), Irbid->Bonn 1, Tunis->Bonn 1, Tunis->Irbid 1.
Practices: P1 Bonn published (T, goal 11); P2 Irbid draft (T); P3 Tunis published (C, targets 6.1 6.a).
Interest: Irbid and Tunis in P1 (2), Leipzig in P3 (1).
Profiles: b1 public (T; 11.1, 11.2); i1 members (T; 6.1); t1 public (C; 11.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.events.models import Enrolment
from app.practices.models import PracticeInterest
from tests.factories import make_event, make_organisation, make_practice, make_profile, make_user

_tickets = iter(range(1, 10**6))


def enrol(session, event, user, status="confirmed"):
    seq = next(_tickets)
    row = Enrolment(event_id=event.id, user_id=user.id, status=status, ticket_code=f"N{seq:08d}",
                    waitlist_seq=seq if status in ("waitlisted", "offered") else None)
    session.add(row)
    session.flush()
    return row


def at(year, month, day):
    return datetime(year, month, day, 9, tzinfo=UTC)


def event_on(session, when, *, fmt="workshop", **overrides):
    start = at(*when)
    return make_event(session, format=fmt, starts_at=start, ends_at=start.replace(hour=17),
                      timezone="UTC", **overrides)


@dataclass
class Network:
    bonn: object
    irbid: object
    tunis: object
    leipzig: object
    events: dict
    practices: dict


def build_network(session) -> Network:
    bonn = make_organisation(session, name="Bonn", city="Bonn", country="DE", latitude=50.73, longitude=7.1)
    irbid = make_organisation(session, name="Irbid", city="Irbid", country="JO", latitude=32.55, longitude=35.85)
    tunis = make_organisation(session, name="Tunis", city="Tunis", country="TN")
    leipzig = make_organisation(session, name="Leipzig", city="Leipzig", country="DE")
    b1, b2, b3 = (make_user(session, organisation_id=bonn.id, country="DE") for _ in range(3))
    i1 = make_user(session, organisation_id=irbid.id, country="JO")
    t1 = make_user(session, organisation_id=tunis.id, country="TN")
    n1 = make_user(session, country="DE")

    e1 = event_on(session, (2025, 3, 10), hosts=[irbid], country="JO", city="Irbid",
                  topics=["sustainable-transport"])
    for person in (b1, b2, i1, t1, n1):
        enrol(session, e1, person)
    enrol(session, e1, b3, "cancelled")
    e2 = event_on(session, (2026, 5, 1), fmt="information_trip", hosts=[irbid], country="JO", city="Irbid")
    enrol(session, e2, b1)
    enrol(session, e2, t1, "waitlisted")
    e3 = event_on(session, (2026, 6, 1), fmt="conference", hosts=[bonn], country="DE", city="Bonn",
                  topics=["sustainable-transport"])
    enrol(session, e3, i1)
    enrol(session, e3, t1)
    e4 = event_on(session, (2026, 7, 1), hosts=[tunis], country="TN", city="Tunis", status="draft",
                  published_at=None)
    enrol(session, e4, b1)
    e5 = event_on(session, (2026, 8, 1), fmt="training", hosts=[bonn], country="DE", status="cancelled")
    enrol(session, e5, i1)
    e6 = event_on(session, (2026, 9, 1), fmt="training", country=None, city="", venue="", address="",
                  online_url="https://meet.example.org/x", topics=["circular-economy"])
    enrol(session, e6, b2)

    p1 = make_practice(session, organisation=bonn, author=b1, topics=["sustainable-transport"], sdg_goals=[11])
    p2 = make_practice(session, organisation=irbid, author=i1, topics=["sustainable-transport"], status="draft")
    p3 = make_practice(session, organisation=tunis, author=t1, topics=["circular-economy"],
                       sdg_targets=["6.1", "6.a"])
    for org, practice, when in ((irbid, p1, at(2025, 6, 1)), (tunis, p1, at(2026, 2, 1)),
                                (leipzig, p3, at(2026, 3, 1))):
        session.add(PracticeInterest(practice_id=practice.id, organisation_id=org.id, user_id=None,
                                     note="", created_at=when))
    session.flush()

    make_profile(session, b1, visibility="public", topics=["sustainable-transport"], sdg_targets=["11.1", "11.2"])
    make_profile(session, i1, visibility="members", topics=["sustainable-transport"], sdg_targets=["6.1"])
    make_profile(session, t1, visibility="public", topics=["circular-economy"], sdg_targets=["11.3"])
    session.flush()
    return Network(bonn=bonn, irbid=irbid, tunis=tunis, leipzig=leipzig,
                   events={"e1": e1, "e2": e2, "e3": e3, "e4": e4, "e5": e5, "e6": e6},
                   practices={"p1": p1, "p2": p2, "p3": p3})


def grow(session, times: int) -> None:
    """More of everything (for query-count comparisons): `times` more hosted events with participants,
    practices with interest and profiles."""
    for n in range(times):
        host = make_organisation(session, country="FR", latitude=48.0, longitude=2.0)
        guest = make_organisation(session, country="MA")
        person = make_user(session, organisation_id=guest.id, country="MA")
        event = event_on(session, (2024 + n % 3, 1 + n % 12, 5), fmt="training", hosts=[host], country="FR",
                         topics=["energy-efficiency"])
        enrol(session, event, person)
        practice = make_practice(session, organisation=host, topics=["energy-efficiency"], sdg_goals=[7])
        session.add(PracticeInterest(practice_id=practice.id, organisation_id=guest.id, user_id=person.id,
                                     note="", created_at=at(2025, 1, 1)))
        make_profile(session, person, visibility="public", topics=["energy-efficiency"], sdg_targets=["7.1"])
    session.flush()
