"""Event services against a real session: planning, enrolment, waiting list, offers, attendance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.events import planning, queries, services, signals
from app.events.models import Enrolment, EventNotification
from app.sqltypes import utcnow
from tests.factories import make_event, make_organiser, make_session, make_user


def _people(session, n):
    return [make_user(session) for _ in range(n)]


def _data(**overrides):
    data = {"title": "Circular economy workshop", "format": "workshop", "timezone": "Europe/Berlin",
            "starts_at": "2031-05-04T09:00", "ends_at": "2031-05-04T17:00", "venue": "Neues Rathaus",
            "city": "Leipzig", "country": "de", "capacity": 20, "topics": ["circular-economy"]}
    data.update(overrides)
    return data


def test_create_event_parses_local_times_and_makes_a_draft(session):
    organiser = make_organiser(session)
    event = services.create_event(session, data=_data(), created_by_id=organiser.id, now=utcnow())
    assert event.status == "draft" and event.slug == "circular-economy-workshop-2031"
    assert event.starts_at == datetime(2031, 5, 4, 7, 0, tzinfo=UTC)  # CEST = UTC+2
    assert event.country == "DE" and [t.slug for t in event.topics] == ["circular-economy"]
    assert event.organisers == [organiser] and event.created_by_id == organiser.id
    second = services.create_event(session, data=_data(starts_at="2031-05-04T09:00:00+00:00"),
                                   created_by_id=organiser.id, now=utcnow())
    assert second.slug == "circular-economy-workshop-2031-2"
    assert second.starts_at == datetime(2031, 5, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("overrides, field", [
    ({"ends_at": "2031-05-04T08:00"}, "ends_at"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"capacity": -1}, "capacity"),
    ({"capacity": "many"}, "capacity"),
    ({"title": "x" * 201}, "title"),
    ({"title": ""}, "title"),
    ({"format": "party"}, "format"),
    ({"starts_at": "next tuesday"}, "starts_at"),
    ({"country": "XX"}, "country"),
    ({"online_url": "javascript:alert(1)"}, "online_url"),
    ({"topics": ["no-such-topic"]}, "topics"),
    ({"registration_opens_at": "2031-05-01T00:00", "registration_closes_at": "2031-04-01T00:00"},
     "registration_closes_at"),
    ({"bogus": 1}, "bogus"),
    ({"summary": "a\x00b"}, "summary"),
    ({"capacity": 10**12}, "capacity"),
])
def test_create_event_bad_input_names_the_field(session, overrides, field):
    organiser = make_organiser(session)
    with pytest.raises(ValidationFailed) as info:
        services.create_event(session, data=_data(**overrides), created_by_id=organiser.id, now=utcnow())
    assert field in info.value.fields


def test_participants_cannot_create_events(session):
    with pytest.raises(Forbidden):
        services.create_event(session, data=_data(), created_by_id=make_user(session).id, now=utcnow())


def test_enrol_confirms_then_waitlists_with_positions(session):
    event = make_event(session, capacity=2)
    people = _people(session, 5)
    now = utcnow()
    statuses = [services.enrol(session, event_id=event.id, user_id=p.id, now=now).status for p in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
    positions = services.waitlist_positions(session, event.id)
    assert sorted(positions.values()) == [1, 2, 3]
    third = session.scalar(sa.select(Enrolment).where(Enrolment.user_id == people[2].id))
    assert services.waitlist_position(session, third) == 1
    assert services.positions_for_user(session, people[4].id) == {
        session.scalar(sa.select(Enrolment.id).where(Enrolment.user_id == people[4].id)): 3}
    with pytest.raises(services.AlreadyEnrolled):
        services.enrol(session, event_id=event.id, user_id=people[0].id, now=now)


def test_cancellation_frees_seat_for_first_waiting_and_signals(session):
    event = make_event(session, capacity=1)
    a, b, c = _people(session, 3)
    now = utcnow()
    seen = []

    def listener(sender, **kwargs):
        seen.append((sender.user_id, kwargs["old_status"], sender.status, kwargs["notification"].kind))
        assert kwargs["session"] is session and kwargs["now"] == now

    signals.enrolment_status_changed.connect(listener)
    try:
        first = services.enrol(session, event_id=event.id, user_id=a.id, now=now)
        services.enrol(session, event_id=event.id, user_id=b.id, now=now)
        services.enrol(session, event_id=event.id, user_id=c.id, now=now)
        services.cancel_enrolment(session, enrolment_id=first.id, actor_id=a.id, now=now, reason="ill")
    finally:
        signals.enrolment_status_changed.disconnect(listener)
    assert seen == [
        (a.id, None, "confirmed", "enrolment_confirmed"), (b.id, None, "waitlisted", "enrolment_waitlisted"),
        (c.id, None, "waitlisted", "enrolment_waitlisted"), (a.id, "confirmed", "cancelled", "enrolment_cancelled"),
        (b.id, "waitlisted", "confirmed", "enrolment_confirmed"),
    ]
    assert session.scalar(sa.select(sa.func.count()).select_from(EventNotification)) == 5
    assert list(services.waitlist_positions(session, event.id).values()) == [1]
    # enrolling again after a cancellation reuses the row and joins the end of the queue
    again = services.enrol(session, event_id=event.id, user_id=a.id, now=now)
    assert again.id == first.id and again.status == "waitlisted"
    assert services.waitlist_position(session, again) == 2


def test_offer_mode_offers_accepts_and_expires(session):
    event = make_event(session, capacity=1, waitlist_mode="offer", offer_hours=24)
    a, b, c = _people(session, 3)
    now = utcnow()
    ea = services.enrol(session, event_id=event.id, user_id=a.id, now=now)
    eb = services.enrol(session, event_id=event.id, user_id=b.id, now=now)
    ec = services.enrol(session, event_id=event.id, user_id=c.id, now=now)
    services.cancel_enrolment(session, enrolment_id=ea.id, actor_id=a.id, now=now)
    assert eb.status == "offered" and eb.offer_expires_at == now + timedelta(hours=24)
    assert services.seat_counts(session, event.id).seats_left(1) == 0
    with pytest.raises(NotFound):
        services.accept_offer(session, enrolment_id=eb.id, user_id=c.id, now=now)
    assert services.expire_offers(session, now=now + timedelta(hours=23)) == 0
    assert services.expire_offers(session, now=now + timedelta(hours=25)) == 1
    assert eb.status == "expired" and ec.status == "offered"
    with pytest.raises(Conflict):
        services.accept_offer(session, enrolment_id=eb.id, user_id=b.id, now=now + timedelta(hours=25))
    services.accept_offer(session, enrolment_id=ec.id, user_id=c.id, now=now + timedelta(hours=26))
    assert ec.status == "confirmed"


def test_approval_flow_and_capacity_increase(session):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], capacity=1, requires_approval=True)
    a, b = _people(session, 2)
    now = utcnow()
    ea = services.enrol(session, event_id=event.id, user_id=a.id, now=now)
    eb = services.enrol(session, event_id=event.id, user_id=b.id, now=now)
    assert (ea.status, eb.status) == ("pending", "pending")
    with pytest.raises(Forbidden):
        services.reject_enrolment(session, enrolment_id=ea.id, actor_id=a.id, now=now)
    with pytest.raises(NotFound):  # someone else's enrolment is not found at all
        services.approve_enrolment(session, enrolment_id=eb.id, actor_id=a.id, now=now)
    services.approve_enrolment(session, enrolment_id=ea.id, actor_id=organiser.id, now=now)
    services.approve_enrolment(session, enrolment_id=eb.id, actor_id=organiser.id, now=now)
    assert (ea.status, eb.status) == ("confirmed", "waitlisted")
    with pytest.raises(ValidationFailed) as info:
        services.update_event(session, event_id=event.id, data={"capacity": 0}, actor_id=organiser.id, now=now)
    assert "capacity" in info.value.fields
    services.update_event(session, event_id=event.id, data={"capacity": 2}, actor_id=organiser.id, now=now)
    assert eb.status == "confirmed"


def test_enrolment_refused_for_draft_cancelled_past_and_closed(session):
    organiser = make_organiser(session)
    person = make_user(session)
    now = utcnow()
    draft = make_event(session, organisers=[organiser], status="draft")
    with pytest.raises(NotFound):
        services.enrol(session, event_id=draft.id, user_id=person.id, now=now)
    cancelled = make_event(session, organisers=[organiser], status="cancelled", cancel_reason="storm")
    with pytest.raises(services.RegistrationClosed, match="cancelled"):
        services.enrol(session, event_id=cancelled.id, user_id=person.id, now=now)
    past = make_event(session, organisers=[organiser], starts_at=now - timedelta(days=2),
                      ends_at=now - timedelta(days=1))
    with pytest.raises(services.RegistrationClosed, match="already taken place"):
        services.enrol(session, event_id=past.id, user_id=person.id, now=now)
    closed = make_event(session, organisers=[organiser], capacity=0, registration_closes_at=now - timedelta(hours=1))
    with pytest.raises(services.RegistrationClosed, match="closed"):
        services.enrol(session, event_id=closed.id, user_id=person.id, now=now)
    # organisers enrol walk-ins after closing, beyond capacity, and into past events (paper sheets)
    walk_in = services.enrol(session, event_id=closed.id, user_id=person.id, now=now, actor_id=organiser.id,
                             override_capacity=True)
    assert walk_in.status == "confirmed" and walk_in.is_over_capacity
    late = services.enrol(session, event_id=past.id, user_id=person.id, now=now, actor_id=organiser.id)
    assert late.status == "confirmed"
    with pytest.raises(Forbidden):
        services.enrol(session, event_id=past.id, user_id=organiser.id, now=now, actor_id=person.id)


def test_update_event_bumps_revision_on_time_place_status(session):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser])
    changes = []

    def listener(sender, **kwargs):
        changes.append(kwargs["changes"])

    signals.event_changed.connect(listener)
    try:
        now = utcnow()
        services.update_event(session, event_id=event.id, data={"summary": "New words"}, actor_id=organiser.id,
                              now=now)
        assert event.revision == 0
        services.update_event(session, event_id=event.id, data={"venue": "Gewandhaus"}, actor_id=organiser.id,
                              now=now)
        services.update_event(session, event_id=event.id,
                              data={"starts_at": event.starts_at + timedelta(hours=1)}, actor_id=organiser.id,
                              now=now)
        services.cancel_event(session, event_id=event.id, actor_id=organiser.id, reason="Storm", now=now)
    finally:
        signals.event_changed.disconnect(listener)
    assert changes == [{"place"}, {"time"}, {"status"}]
    assert event.revision == 3 and event.status == "cancelled" and event.cancel_reason == "Storm"


def test_sessions_must_lie_within_event_and_moving_event_respects_agenda(session):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser])
    now = utcnow()
    with pytest.raises(ValidationFailed) as info:
        services.add_session(session, event_id=event.id, actor_id=organiser.id, now=now, data={
            "title": "Too early", "starts_at": event.starts_at - timedelta(hours=1), "ends_at": event.starts_at})
    assert "starts_at" in info.value.fields
    item = services.add_session(session, event_id=event.id, actor_id=organiser.id, now=now, data={
        "title": "Opening", "starts_at": event.starts_at.isoformat(), "ends_at": event.starts_at + timedelta(hours=1)})
    with pytest.raises(ValidationFailed):
        services.update_event(session, event_id=event.id, actor_id=organiser.id, now=now,
                              data={"starts_at": event.starts_at + timedelta(hours=2)})
    session.rollback()
    assert item.id


def test_duplicate_copies_agenda_without_participants(session):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], topics=["energy-efficiency"], capacity=5)
    make_session(session, event, title="Site visit")
    services.enrol(session, event_id=event.id, user_id=make_user(session).id, now=utcnow())
    new_start = event.starts_at + timedelta(days=365)
    copy = services.duplicate_event(session, event_id=event.id, actor_id=organiser.id, starts_at=new_start,
                                    now=utcnow())
    assert copy.status == "draft" and copy.duplicated_from_id == event.id and copy.enrolments == []
    assert copy.starts_at == new_start and [s.title for s in copy.sessions] == ["Site visit"]
    assert copy.sessions[0].starts_at == new_start and [t.slug for t in copy.topics] == ["energy-efficiency"]


def test_check_in_per_session_and_attendance(session):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], min_attendance_percent=50, hours=6)
    s1 = make_session(session, event, title="Morning")
    s2 = make_session(session, event, title="Afternoon", starts_at=event.starts_at + timedelta(hours=4),
                      ends_at=event.starts_at + timedelta(hours=8))
    a, b = _people(session, 2)
    now = utcnow()
    ea = services.enrol(session, event_id=event.id, user_id=a.id, now=now)
    checkin = services.check_in(session, event_id=event.id, actor_id=organiser.id, now=now, confirm_before_event=True,
                                ticket_code=ea.ticket_code.lower(), session_id=s1.id)
    assert checkin.method == "code"
    with pytest.raises(Conflict, match="already checked in"):
        services.check_in(session, event_id=event.id, actor_id=organiser.id, now=now, confirm_before_event=True, enrolment_id=ea.id,
                          session_id=s1.id)
    with pytest.raises(ValidationFailed):  # two sessions, none running now: which one?
        services.check_in(session, event_id=event.id, actor_id=organiser.id, now=now, confirm_before_event=True, enrolment_id=ea.id)
    summary = services.attendance_summary(session, event.id)[ea.id]
    assert [u.session_id for u in summary.attended] == [s1.id] and summary.total_units == 2
    assert summary.share == 0.5 and summary.meets_minimum and summary.hours_attended == 2.0
    services.check_in(session, event_id=event.id, actor_id=organiser.id, now=now, confirm_before_event=True, enrolment_id=ea.id,
                      session_id=s2.id)
    assert services.attendance_summary(session, event.id)[ea.id].hours_attended == 6.0
    services.undo_checkin(session, checkin_id=checkin.id, actor_id=organiser.id, now=now)
    assert services.attendance_summary(session, event.id)[ea.id].share == 0.5
    # not confirmed: refused with the reason
    event.capacity = 1
    eb = services.enrol(session, event_id=event.id, user_id=b.id, now=now)
    with pytest.raises(Conflict, match="waiting list"):
        services.check_in(session, event_id=event.id, actor_id=organiser.id, now=now, confirm_before_event=True, enrolment_id=eb.id,
                          session_id=s1.id)
    with pytest.raises(Forbidden):
        services.check_in(session, event_id=event.id, actor_id=a.id, now=now, enrolment_id=ea.id, session_id=s1.id)


def test_check_in_before_the_first_day_needs_a_confirmation(session):
    """Checking in months ahead used to pass without a word; attendance recorded afterwards stays as it is."""
    organiser = make_organiser(session)
    # the first local day is 2031-03-02 in Auckland while it is still 2031-03-01 in UTC
    event = make_event(session, organisers=[organiser], timezone="Pacific/Auckland",
                       starts_at=datetime(2031, 3, 1, 20, 0, tzinfo=UTC), ends_at=datetime(2031, 3, 2, 4, 0, tzinfo=UTC))
    person = make_user(session, name="Aroha Ngata")
    enrolment = services.enrol(session, event_id=event.id, user_id=person.id, now=datetime(2031, 1, 1, tzinfo=UTC))
    for early in (datetime(2030, 11, 1, tzinfo=UTC), datetime(2031, 3, 1, 10, 59, tzinfo=UTC)):  # 23:59 local
        with pytest.raises(services.CheckinBeforeEvent, match="Aroha Ngata") as refused:
            services.check_in(session, event_id=event.id, actor_id=organiser.id, now=early,
                              enrolment_id=enrolment.id)
        assert refused.value.status == 409 and refused.value.code == "checkin_before_event"
        assert refused.value.first_day == date(2031, 3, 2)
    assert services.attendance_summary(session, event.id)[enrolment.id].attended == []
    checkin = services.check_in(session, event_id=event.id, actor_id=organiser.id, now=datetime(2030, 11, 1, tzinfo=UTC),
                                enrolment_id=enrolment.id, confirm_before_event=True)
    services.undo_checkin(session, checkin_id=checkin.id, actor_id=organiser.id, now=datetime(2030, 11, 1, tzinfo=UTC))
    # from the first local day on (00:00 in Auckland), and long after the event, no question is asked
    for later in (datetime(2031, 3, 1, 11, 0, tzinfo=UTC), datetime(2031, 9, 1, tzinfo=UTC)):
        checkin = services.check_in(session, event_id=event.id, actor_id=organiser.id, now=later,
                                    enrolment_id=enrolment.id)
        services.undo_checkin(session, checkin_id=checkin.id, actor_id=organiser.id, now=later)


def test_days_are_units_without_sessions(session):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], timezone="Africa/Johannesburg",
                       starts_at=datetime(2031, 3, 2, 7, 0, tzinfo=UTC), ends_at=datetime(2031, 3, 4, 15, 0, tzinfo=UTC),
                       city="Durban", country="ZA", hours=24)
    units = services.attendance_units(event)
    assert [u.day for u in units] == [date(2031, 3, 2), date(2031, 3, 3), date(2031, 3, 4)]
    assert [u.hours for u in units] == [8.0, 8.0, 8.0]
    person = make_user(session)
    now = datetime(2031, 3, 3, 8, 0, tzinfo=UTC)
    enrolment = services.enrol(session, event_id=event.id, user_id=person.id, now=now, actor_id=organiser.id)
    checkin = services.check_in(session, event_id=event.id, actor_id=organiser.id, now=now, enrolment_id=enrolment.id)
    assert checkin.day == date(2031, 3, 3)
    with pytest.raises(ValidationFailed):
        services.check_in(session, event_id=event.id, actor_id=organiser.id, now=now, enrolment_id=enrolment.id,
                          day="2031-03-09")


def test_list_events_filters(session):
    make_event(session, title="Mobility conference", format="conference", city="Curitiba", country="BR",
               topics=["sustainable-transport"], languages=["pt", "en"])
    make_event(session, title="Waste workshop", city="Leipzig", topics=["circular-economy"])
    make_event(session, title="Draft thing", status="draft")
    now = utcnow()

    def titles(**kwargs):
        filters = services.parse_filters(kwargs)
        return [e.title for e in services.list_events(session, now=now, filters=filters).items]

    assert titles() == ["Mobility conference", "Waste workshop"] or len(titles()) == 2
    assert titles(format="conference") == ["Mobility conference"]
    assert titles(topic="circular-economy") == ["Waste workshop"]
    assert titles(country="br") == ["Mobility conference"]
    assert titles(city="leipzig") == ["Waste workshop"]
    assert titles(language="pt") == ["Mobility conference"]
    assert titles(q="WASTE") == ["Waste workshop"]
    assert titles(q="100%_") == []
    assert titles(**{"from": (now + timedelta(days=30)).date().isoformat()}) == []
    with pytest.raises(ValidationFailed):
        services.parse_filters({"from": "yesterday"})


def test_no_confirmations_in_a_cancelled_or_past_event(session):
    """An open offer, a pending enrolment or a waiting person cannot be confirmed once the event is cancelled."""
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], capacity=1, waitlist_mode="offer")
    first, offered, waiting = _people(session, 3)
    now = utcnow()
    seat = services.enrol(session, event_id=event.id, user_id=first.id, now=now)
    offer = services.enrol(session, event_id=event.id, user_id=offered.id, now=now)
    later = services.enrol(session, event_id=event.id, user_id=waiting.id, now=now)
    services.cancel_enrolment(session, enrolment_id=seat.id, actor_id=first.id, now=now)
    assert offer.status == "offered"
    # the offer runs past the end of the event: accepting after the event is refused
    with pytest.raises(Conflict, match="already taken place"):
        services.accept_offer(session, enrolment_id=offer.id, user_id=offered.id, now=event.ends_at)
    services.cancel_event(session, event_id=event.id, actor_id=organiser.id, reason="Storm", now=now)
    with pytest.raises(Conflict, match="cancelled"):
        services.accept_offer(session, enrolment_id=offer.id, user_id=offered.id, now=now)
    with pytest.raises(Conflict, match="cancelled"):
        services.promote_enrolment(session, enrolment_id=later.id, actor_id=organiser.id, now=now)
    session.expire_all()
    assert (offer.status, later.status) == ("offered", "waitlisted")
    approval = make_event(session, organisers=[organiser], requires_approval=True)
    pending = services.enrol(session, event_id=approval.id, user_id=first.id, now=now)
    item = make_session(session, approval)
    services.cancel_event(session, event_id=approval.id, actor_id=organiser.id, reason="Storm", now=now)
    with pytest.raises(Conflict, match="cancelled"):
        services.approve_enrolment(session, enrolment_id=pending.id, actor_id=organiser.id, now=now)
    with pytest.raises(Conflict, match="cancelled"):
        services.update_session(session, session_id=item.id, data={"title": "Moved"}, actor_id=organiser.id,
                                now=now)


def test_enrolling_again_starts_afresh(session):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], capacity=1)
    first, second = _people(session, 2)
    now = utcnow()
    seat = services.enrol(session, event_id=event.id, user_id=first.id, now=now)
    waiting = services.enrol(session, event_id=event.id, user_id=second.id, now=now)
    services.cancel_enrolment(session, enrolment_id=waiting.id, actor_id=second.id, now=now)
    services.cancel_enrolment(session, enrolment_id=seat.id, actor_id=first.id, now=now)
    services.update_event(session, event_id=event.id, data={"requires_approval": True}, actor_id=organiser.id,
                          now=now)
    again = services.enrol(session, event_id=event.id, user_id=first.id, now=now + timedelta(minutes=5))
    assert again.id == seat.id and again.status == "pending"
    assert again.confirmed_at is None and again.waitlist_seq is None  # no leftovers of the first enrolment
    back = services.enrol(session, event_id=event.id, user_id=second.id, now=now, actor_id=organiser.id)
    assert back.id == waiting.id and back.status == "confirmed" and back.waitlist_seq is None


def test_a_slug_taken_at_the_same_moment_is_a_conflict(session, monkeypatch):
    """Two organisers saving the same title at once: the loser gets a 409 to save again, never a 500."""
    organiser = make_organiser(session)
    taken = make_event(session, organisers=[organiser]).slug
    session.commit()
    # what the other transaction's _unique_slug saw before this one committed
    monkeypatch.setattr(planning, "_unique_slug", lambda *args, **kwargs: taken)
    with pytest.raises(Conflict) as caught:
        services.create_event(session, data=_data(), created_by_id=organiser.id, now=utcnow())
    assert caught.value.reason == "event.slug_race"
    assert caught.value.fields_for() == {"slug": caught.value.message}
    session.rollback()


def test_a_local_time_skipped_by_daylight_saving_is_refused(session):
    """02:30 on the last Sunday of March does not exist in Berlin: a clear error, not a silent shift."""
    from app.errors import ValidationFailed
    from app.events.services import parse_datetime

    with pytest.raises(ValidationFailed, match="does not exist in Europe/Berlin") as caught:
        parse_datetime("2027-03-28T02:30", zone="Europe/Berlin", field="starts_at")
    assert caught.value.reason == "event.time_skipped"
    assert caught.value.fields_for() == {"starts_at": caught.value.message}
    # the hour that occurs twice in October takes its first occurrence (summer time, UTC+2)
    assert parse_datetime("2027-10-31T02:30", zone="Europe/Berlin", field="starts_at").hour == 0
    # with an explicit offset nothing is guessed
    assert parse_datetime("2027-03-28T02:30+01:00", zone="Europe/Berlin", field="starts_at").hour == 1


def _moved_event(session, start: str, end: str, sessions: list[tuple[str, str]]):
    organiser = make_organiser(session)
    event = services.create_event(session, data=_data(starts_at=start, ends_at=end), created_by_id=organiser.id,
                                  now=utcnow())
    for n, (s, e) in enumerate(sessions):
        services.add_session(session, event_id=event.id, actor_id=organiser.id, now=utcnow(),
                             data={"title": f"Session {n}", "starts_at": s, "ends_at": e})
    return organiser, event


def _local_sessions(event):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(event.timezone)
    return [(s.starts_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"), s.ends_at.astimezone(zone).strftime("%H:%M"))
            for s in sorted(event.sessions, key=lambda s: s.starts_at)]


@pytest.mark.parametrize(("old", "new", "expected"), [
    # a day later, and three days earlier
    (("2031-05-06T09:00", "2031-05-07T17:00"), ("2031-05-07T09:00", "2031-05-08T17:00"),
     [("2031-05-07T10:00", "11:00"), ("2031-05-08T14:00", "15:30")]),
    (("2031-05-06T09:00", "2031-05-07T17:00"), ("2031-05-03T09:00", "2031-05-04T17:00"),
     [("2031-05-03T10:00", "11:00"), ("2031-05-04T14:00", "15:30")]),
    # across the spring change (30 March 2031 in Berlin) and back across the autumn one (26 October 2031)
    (("2031-03-28T09:00", "2031-03-29T17:00"), ("2031-03-31T09:00", "2031-04-01T17:00"),
     [("2031-03-31T10:00", "11:00"), ("2031-04-01T14:00", "15:30")]),
    (("2031-10-27T09:00", "2031-10-28T17:00"), ("2031-10-24T09:00", "2031-10-25T17:00"),
     [("2031-10-24T10:00", "11:00"), ("2031-10-25T14:00", "15:30")]),
])
def test_moving_the_event_moves_its_agenda_keeping_local_times(session, old, new, expected):
    day1, day2 = old[0][:10], old[1][:10]
    organiser, event = _moved_event(session, *old, [(f"{day1}T10:00", f"{day1}T11:00"),
                                                     (f"{day2}T14:00", f"{day2}T15:30")])
    services.update_event(session, event_id=event.id, actor_id=organiser.id, now=utcnow(),
                          data={"starts_at": new[0], "ends_at": new[1]})
    session.flush()
    session.expire_all()
    assert _local_sessions(event) == expected


def test_resizing_the_event_keeps_the_agenda_where_it_is(session):
    organiser, event = _moved_event(session, "2031-05-06T09:00", "2031-05-06T17:00",
                                    [("2031-05-06T10:00", "2031-05-06T11:00")])
    services.update_event(session, event_id=event.id, actor_id=organiser.id, now=utcnow(),
                          data={"starts_at": "2031-05-06T08:00", "ends_at": "2031-05-06T18:00"})
    assert _local_sessions(event) == [("2031-05-06T10:00", "11:00")]
    with pytest.raises(ValidationFailed) as info:
        services.update_event(session, event_id=event.id, actor_id=organiser.id, now=utcnow(),
                              data={"starts_at": "2031-05-06T10:30", "ends_at": "2031-05-06T18:00"})
    assert "Session 0" in info.value.message


def test_a_move_that_puts_a_session_into_the_skipped_hour_is_refused(session):
    organiser, event = _moved_event(session, "2031-03-29T00:00", "2031-03-29T06:00",
                                    [("2031-03-29T02:15", "2031-03-29T02:45")])
    with pytest.raises(ValidationFailed) as info:
        services.update_event(session, event_id=event.id, actor_id=organiser.id, now=utcnow(),
                              data={"starts_at": "2031-03-30T00:00", "ends_at": "2031-03-30T06:00"})
    assert "Session 0" in info.value.message and "does not exist" in info.value.message


def test_only_drafts_can_be_deleted_and_only_by_their_organisers(session):
    organiser, other = make_organiser(session), make_organiser(session)
    draft = services.create_event(session, data=_data(), created_by_id=organiser.id, now=utcnow())
    services.add_session(session, event_id=draft.id, actor_id=organiser.id, now=utcnow(), data={
        "title": "Opening", "starts_at": "2031-05-04T09:00", "ends_at": "2031-05-04T10:00"})
    with pytest.raises((Forbidden, NotFound)):
        services.delete_event(session, event_id=draft.id, actor_id=other.id, now=utcnow())
    published = make_event(session, organisers=[organiser])
    with pytest.raises(Conflict) as info:
        services.delete_event(session, event_id=published.id, actor_id=organiser.id, now=utcnow())
    assert "cancel" in info.value.message.lower()
    draft_id = draft.id
    services.delete_event(session, event_id=draft_id, actor_id=organiser.id, now=utcnow())
    session.expire_all()
    from app.events.models import Event, EventSession

    assert session.get(Event, draft_id) is None
    assert session.scalar(sa.select(sa.func.count()).select_from(EventSession)) == 0


def test_list_events_loads_the_collections_in_order_one_query_each(session, count_queries):
    from tests.factories import make_organisation

    zed, abe = make_organiser(session, name="Zed Organiser"), make_organiser(session, name="Abe Organiser")
    hosts = [make_organisation(session, name="Yokohama"), make_organisation(session, name="Accra")]
    for _ in range(3):
        make_event(session, organisers=[zed, abe], hosts=hosts, topics=["poverty-reduction", "energy-efficiency"])
    bare_id = make_event(session, organisers=[zed]).id
    session.commit()
    session.expunge_all()
    now = utcnow()
    with count_queries() as listing:
        page = services.list_events(session, now=now, with_people=True)
    with count_queries() as reading:
        seen = {e.id: ([t.slug for t in e.topics], [h.name for h in e.hosts], [u.name for u in e.organisers])
                for e in page.items}
    assert reading.count == 0  # everything the API shows is loaded
    # count, page, three collections, translations, seat counts
    assert listing.count == 7, listing.statements
    assert seen[bare_id] == ([], [], ["Zed Organiser"])
    assert {v for k, v in ((k, repr(v)) for k, v in seen.items()) if k != bare_id} == {repr((
        ["energy-efficiency", "poverty-reduction"], ["Accra", "Yokohama"], ["Abe Organiser", "Zed Organiser"]))}
    session.expunge_all()
    with count_queries() as html:
        services.list_events(session, now=now)
    assert html.count == 5  # count, page, topics, translations, seat counts


def test_seat_count_statement_is_built_once(session):
    event = make_event(session, capacity=2)
    session.flush()
    services.enrol(session, event_id=event.id, user_id=make_user(session).id, now=utcnow())
    assert queries._counts_stmt() is queries._counts_stmt()  # bound per call, never rebuilt
    assert services.seat_counts_for(session, [event.id])[event.id].taken == 1
    assert services.seat_counts_for(session, []) == {}
