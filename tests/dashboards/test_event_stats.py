"""The event dashboard's figures against data built here and counted by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from app.certificates.models import Certificate
from app.dashboards.event_stats import event_stats
from app.errors import NotFound
from app.events import services
from app.events.models import Checkin
from tests.factories import make_event, make_organisation, make_organiser, make_session, make_user

BERLIN = ZoneInfo("Europe/Berlin")


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=BERLIN)


def certificate(session, event, user, *, revoked: bool = False) -> Certificate:
    n = f"{event.id}-{user.id}-{int(revoked)}"
    cert = Certificate(code=f"CC-T{n}"[:20], kind="event", holder_id=user.id, event_id=event.id, hours=Decimal("2"),
                       snapshot={}, pdf_sha256="0" * 64, issued_at=local(11, 9),
                       revoked_at=local(11, 10) if revoked else None, revoke_reason="wrong" if revoked else None)
    session.add(cert)
    session.flush()
    return cert


def build_story(session):
    """A workshop on 10 March 2027 (Berlin) with 2 seats, offers of 48 hours and two sessions; six people."""
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], capacity=2, waitlist_mode="offer", offer_hours=48,
                       starts_at=local(10, 9), ends_at=local(10, 17),
                       registration_opens_at=local(1, 0), registration_closes_at=local(9, 0))
    s1 = make_session(session, event, title="Opening", starts_at=local(10, 9), ends_at=local(10, 11))
    s2 = make_session(session, event, title="Site visit", starts_at=local(10, 14), ends_at=local(10, 16))
    bonn = make_organisation(session, kind="municipality", country="DE")
    irbid_ngo = make_organisation(session, kind="ngo", country="JO")
    a, b, d = (make_user(session) for _ in range(3))
    c = make_user(session, country="DE", organisation_id=bonn.id, language="de")
    g = make_user(session, country=None, organisation_id=irbid_ngo.id, language="ar")
    h = make_user(session, country=None, language="en")

    def enrol(user, when):
        return services.enrol(session, event_id=event.id, user_id=user.id, now=when)

    ea = enrol(a, local(2, 10))  # confirmed
    eb = enrol(b, local(2, 11))  # confirmed
    ec = enrol(c, local(3, 0, 30))  # 23:30 UTC on 2 March, yet 3 March in Berlin: waitlisted
    ed = enrol(d, local(3, 9))  # waitlisted
    eg = enrol(g, local(3, 10))  # waitlisted
    services.cancel_enrolment(session, enrolment_id=ea.id, actor_id=a.id, now=local(4, 10))  # C offered
    services.accept_offer(session, enrolment_id=ec.id, user_id=c.id, now=local(5, 10))  # C confirmed
    services.cancel_enrolment(session, enrolment_id=eb.id, actor_id=b.id, now=local(5, 12))  # D offered
    assert services.expire_offers(session, now=local(7, 13)) == 1  # D expired, G offered
    eh = enrol(h, local(7, 14))  # waitlisted behind G's open offer
    services.promote_enrolment(session, enrolment_id=eh.id, actor_id=organiser.id, now=local(8, 9))  # over capacity
    services.accept_offer(session, enrolment_id=eg.id, user_id=g.id, now=local(8, 10))  # G confirmed
    for enrolment, unit in ((ec, s1), (ec, s2), (eg, s1)):
        session.add(Checkin(enrolment_id=enrolment.id, session_id=unit.id, checked_in_at=unit.starts_at))
    session.flush()
    certificate(session, event, c)
    certificate(session, event, g, revoked=True)
    return event, (s1, s2), {"a": ea, "b": eb, "c": ec, "d": ed, "g": eg, "h": eh}


def test_every_figure_of_a_finished_event(session):
    event, (s1, s2), people = build_story(session)
    assert people["d"].status == "expired" and people["h"].is_over_capacity

    stats = event_stats(session, event_id=event.id, now=local(11, 12))

    # A, B (cancelled), C, G, H (confirmed), D (expired): six registered, five of them confirmed at some point,
    # C and G checked in, only C holds a valid certificate (G's was revoked)
    assert (stats.funnel.registered, stats.funnel.confirmed, stats.funnel.attended, stats.funnel.certified) == (
        6, 5, 2, 1)
    assert stats.statuses == {"cancelled": 2, "confirmed": 3, "expired": 1}
    assert stats.participants == 3 and stats.seats_taken == 3 and stats.over_capacity == 1
    assert stats.capacity == 2 and stats.seats_left == 0
    # per Berlin day from the opening of registration (1 March) to the event's (last) day: A+B on 2 March,
    # C+D+G on 3 March (C at 00:30 local), H on 7 March
    days = [(d.date.day, d.count, d.cumulative) for d in stats.registrations_over_time]
    assert days == [(1, 0, 0), (2, 2, 2), (3, 3, 5), (4, 0, 5), (5, 0, 5), (6, 0, 5), (7, 1, 6), (8, 0, 6), (9, 0, 6),
                    (10, 0, 6)]
    wl = stats.waiting_list
    # C, D, G, H waited; C, D, G were offered a seat; C and G took it, D let it expire; H was promoted
    assert (wl.put_on_list, wl.waiting_now, wl.promoted) == (4, 0, 1)
    assert (wl.offers_made, wl.offers_accepted, wl.offers_expired, wl.offers_declined, wl.offers_open) == (
        3, 2, 1, 0, 0)
    # opening: C and G of three confirmed; site visit: C only
    assert [(u.session_id, u.title, u.attended, u.no_shows) for u in stats.attendance] == [
        (s1.id, "Opening", 2, 1), (s2.id, "Site visit", 1, 2)]
    assert stats.has_sessions and stats.no_shows == 1  # H never came
    assert stats.attendance_rate == pytest.approx(3 / 6)
    # participants: C (DE, municipality, de), G (JO from the organisation, ngo, ar), H (nothing known, en)
    assert stats.by_country == {"DE": 1, "JO": 1, "unknown": 1}
    assert stats.by_region == {"145": 1, "155": 1, "unknown": 1}
    assert stats.by_organisation_kind == {"municipality": 1, "ngo": 1, "unknown": 1}
    assert stats.by_language == {"ar": 1, "de": 1, "en": 1}
    assert stats.days_to_close is None  # closed already


def test_during_registration_days_end_today_and_count_down(session):
    event, _, _ = build_story(session)
    stats = event_stats(session, event_id=event.id, now=local(6, 8))
    # the story's later steps are in the database already: days run to today or the last registration
    assert stats.registrations_over_time[-1].date == date(2027, 3, 7)
    assert stats.days_to_close == 3  # 6 March -> 9 March
    assert stats.no_shows is None and all(u.no_shows is None for u in stats.attendance)
    assert stats.attendance_rate is None


def test_days_without_sessions_count_no_shows_once_each_day_is_over(session):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], capacity=None, starts_at=local(10, 9),
                       ends_at=local(11, 17), registration_opens_at=None, registration_closes_at=None)
    people = [services.enrol(session, event_id=event.id, user_id=make_user(session).id, now=local(1, 12))
              for _ in range(3)]
    services.cancel_enrolment(session, enrolment_id=people[2].id, actor_id=people[2].user_id, now=local(2, 12))
    session.add(Checkin(enrolment_id=people[0].id, day=date(2027, 3, 10)))
    session.add(Checkin(enrolment_id=people[2].id, day=date(2027, 3, 10)))  # cancelled, came all the same
    session.add(Checkin(enrolment_id=people[1].id, day=date(2027, 3, 11)))
    session.flush()

    stats = event_stats(session, event_id=event.id, now=local(11, 12))

    assert not stats.has_sessions
    # day 1 is over: 3 people came, of the 2 confirmed one did not (people[1]); day 2 is still on
    assert [(u.day, u.session_id, u.attended, u.no_shows) for u in stats.attendance] == [
        (date(2027, 3, 10), None, 2, 1), (date(2027, 3, 11), None, 1, None)]
    assert stats.funnel.attended == 3
    assert stats.no_shows == 0  # both confirmed people have come at least once
    assert stats.participants == 2 and stats.seats_left is None
    assert [(d.date.day, d.cumulative) for d in stats.registrations_over_time] == [
        (day, 3) for day in range(1, 12)]


def test_an_event_without_enrolments(session):
    event = make_event(session, starts_at=local(10, 9), ends_at=local(10, 17))
    stats = event_stats(session, event_id=event.id, now=local(1, 9))
    assert not stats.has_enrolments
    assert stats.registrations_over_time == [] and stats.by_country == {}
    assert (stats.funnel.registered, stats.funnel.confirmed, stats.funnel.attended, stats.funnel.certified) == (
        0, 0, 0, 0)
    assert stats.no_shows is None


def test_an_unknown_event_is_not_found(session):
    with pytest.raises(NotFound):
        event_stats(session, event_id=987654, now=local(1, 9))


def test_days_follow_the_zone_asked_for(session):
    event = make_event(session, starts_at=local(10, 9), ends_at=local(10, 17))
    services.enrol(session, event_id=event.id, user_id=make_user(session).id, now=local(3, 0, 30))
    berlin = event_stats(session, event_id=event.id, now=local(3, 12))
    utc = event_stats(session, event_id=event.id, now=local(3, 12), tz="UTC")
    assert berlin.registrations_over_time[0].date == date(2027, 3, 3)
    assert utc.registrations_over_time[0].date == date(2027, 3, 2) and utc.timezone == "UTC"
    assert [d.count for d in utc.registrations_over_time] == [1, 0]


def _crowd(session, event, size: int, now: datetime):
    for n in range(size):
        org = make_organisation(session, kind=("ngo", "university")[n % 2], country=("FR", "KE", "BR")[n % 3])
        user = make_user(session, organisation_id=org.id, country=None, language=("fr", "es", "pt")[n % 3])
        enrolment = services.enrol(session, event_id=event.id, user_id=user.id,
                                   now=now - timedelta(days=n % 5, hours=n))
        if n % 2:
            session.add(Checkin(enrolment_id=enrolment.id, session_id=event.sessions[n % 2].id))
    session.flush()


def test_query_count_does_not_grow_with_the_event(session, count_queries):
    now = local(11, 12)
    small = make_event(session, capacity=None, starts_at=local(10, 9), ends_at=local(10, 17))
    big = make_event(session, capacity=None, starts_at=local(10, 9), ends_at=local(10, 17))
    for event in (small, big):
        make_session(session, event, starts_at=local(10, 9), ends_at=local(10, 10))
        make_session(session, event, starts_at=local(10, 11), ends_at=local(10, 12))
        session.refresh(event)
    _crowd(session, small, 2, local(5, 12))
    _crowd(session, big, 40, local(8, 12))
    session.commit()
    counts = []
    for event in (small, big):
        session.expire_all()
        with count_queries() as counter:
            stats = event_stats(session, event_id=event.id, now=now)
        counts.append(counter.count)
    assert stats.funnel.registered == 40 and sum(stats.by_country.values()) == 40
    assert counts[0] == counts[1], counts
