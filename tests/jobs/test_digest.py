"""The organiser digest: 08:00 in each organiser's zone, once per local day, skipped with nothing to say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.jobs.models import DigestSent
from app.mail.models import OutboxMessage
from tests.factories import make_event, make_organiser
from tests.jobs.support import confirmed, outbox, run

# 02:00 UTC = 07:30 in Kolkata (UTC+5:30), 23:00 the day before in São Paulo (UTC-3)
DAY = datetime(2030, 3, 11, 2, 0, tzinfo=UTC)


def _setup(session):
    kolkata = make_organiser(session, name="Priya", timezone="Asia/Kolkata")
    sao_paulo = make_organiser(session, name="Lucas", timezone="America/Sao_Paulo")
    start = DAY + timedelta(days=20)
    event = make_event(session, organisers=[kolkata, sao_paulo], title="Smart water", starts_at=start,
                       ends_at=start + timedelta(hours=8), capacity=2, requires_approval=True)
    return kolkata, sao_paulo, event


def _digests(session):
    session.expire_all()
    return [m for m in session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)) if m.kind == "digest"]


def test_sent_at_eight_local_once_per_day_and_skipped_when_nothing_to_say(app, session):
    kolkata, sao_paulo, event = _setup(session)
    confirmed(session, event, confirmed_at=DAY - timedelta(hours=3))
    confirmed(session, event, status="pending", confirmed_at=DAY - timedelta(hours=2))
    confirmed(session, event, status="waitlisted", waitlist_seq=1, confirmed_at=DAY - timedelta(hours=1))
    confirmed(session, event, confirmed_at=DAY - timedelta(days=3))  # before the window: not new
    session.commit()

    assert run(app, session, "organiser-digest", DAY).result == "0 digest(s) sent, 0 with nothing to say"
    kolkata_eight = DAY + timedelta(minutes=35)  # 08:05 in Kolkata
    assert run(app, session, "organiser-digest", kolkata_eight).result == "1 digest(s) sent, 0 with nothing to say"
    assert run(app, session, "organiser-digest", kolkata_eight + timedelta(minutes=15)).result.startswith("0 digest")
    [digest] = _digests(session)
    assert digest.to_addr == kolkata.email
    assert digest.subject == "Your daily digest: 3 new enrolments, 1 to approve"
    assert "Smart water" in digest.text_body and "On the waiting list: 1" in digest.text_body
    assert "Waiting for your approval: 1" in digest.text_body and "(Asia/Kolkata)" in digest.text_body
    assert "Smart water" in digest.html_body

    # São Paulo's 08:00 comes later the same UTC day (11:00 UTC)
    assert run(app, session, "organiser-digest", DAY + timedelta(hours=8)).result.startswith("0 digest")
    assert run(app, session, "organiser-digest", DAY + timedelta(hours=9, minutes=5)).result.startswith("1 digest")
    assert [d.to_addr for d in _digests(session)] == [kolkata.email, sao_paulo.email]

    # the next day: the pending approval is still waiting, so Priya hears about it again
    next_day = kolkata_eight + timedelta(days=1)
    assert run(app, session, "organiser-digest", next_day).result == "1 digest(s) sent, 0 with nothing to say"
    assert _digests(session)[-1].subject == "Your daily digest: 1 to approve"


def test_skipped_when_there_is_nothing_to_say(app, session):
    kolkata, sao_paulo, event = _setup(session)
    confirmed(session, event, confirmed_at=DAY - timedelta(days=5))
    session.commit()
    eight = DAY + timedelta(minutes=35)
    assert run(app, session, "organiser-digest", eight).result == "0 digest(s) sent, 1 with nothing to say"
    assert run(app, session, "organiser-digest", eight + timedelta(hours=2)).result.startswith("0 digest(s) sent, 0")
    assert _digests(session) == []
    row = session.scalar(sa.select(DigestSent))
    assert (row.user_id, row.local_date.isoformat(), row.status) == (kolkata.id, "2030-03-11", "skipped")
    # something new the next morning: only what came after the last digest counts
    confirmed(session, event, confirmed_at=eight + timedelta(hours=5))
    session.commit()
    assert run(app, session, "organiser-digest", eight + timedelta(days=1)).result.startswith("1 digest(s) sent")
    assert _digests(session)[0].subject == "Your daily digest: 1 new enrolment"


def test_failed_emails_to_participants_are_reported(app, session):
    kolkata, sao_paulo, event = _setup(session)
    enrolment = confirmed(session, event, confirmed_at=DAY - timedelta(days=5))
    session.add(OutboxMessage(to_addr=enrolment.user.email, subject="x", text_body="x", status="failed",
                              attempts=8, user_id=enrolment.user_id, next_attempt_at=DAY - timedelta(hours=2),
                              created_at=DAY - timedelta(hours=6), last_error="550 no such user"))
    session.commit()
    run(app, session, "organiser-digest", DAY + timedelta(minutes=35))
    [digest] = _digests(session)
    assert digest.subject == "Your daily digest: 1 failed email"
    assert "could not be delivered: 1" in digest.text_body


def test_organisers_of_past_or_cancelled_events_get_none(app, session):
    organiser = make_organiser(session, timezone="UTC")
    past = make_event(session, organisers=[organiser], starts_at=DAY - timedelta(days=3),
                      ends_at=DAY - timedelta(days=2))
    confirmed(session, past, confirmed_at=DAY - timedelta(hours=1))
    cancelled = make_event(session, organisers=[organiser], status="cancelled",
                           starts_at=DAY + timedelta(days=3), ends_at=DAY + timedelta(days=3, hours=2))
    confirmed(session, cancelled, confirmed_at=DAY - timedelta(hours=1))
    session.commit()
    assert run(app, session, "organiser-digest", DAY + timedelta(hours=7)).result.startswith("0 digest(s) sent, 0")
    assert outbox(session, "digest") == []


def test_programme_organisers_hear_about_submissions_to_review(app, session):
    from app.learning.models import Submission
    from tests.factories import make_module, make_programme, make_user

    reviewer = make_organiser(session, timezone="Europe/Berlin")
    programme = make_programme(session, organisers=[reviewer], title="Urban resilience")
    module = make_module(session, programme, completion="self_study")
    learner = make_user(session)
    session.add(Submission(module_id=module.id, user_id=learner.id, text="My reflection",
                           submitted_at=DAY - timedelta(hours=5)))
    session.commit()
    run(app, session, "organiser-digest", DAY + timedelta(hours=7, minutes=5))  # 08:05 in Berlin
    [digest] = _digests(session)
    assert digest.to_addr == reviewer.email and digest.subject == "Your daily digest: 1 submission to review"
    assert "Submissions to review: 1" in digest.text_body


def test_a_demoted_organiser_gets_no_digest(app, session):
    organiser = make_organiser(session, timezone="UTC")
    event = make_event(session, organisers=[organiser], starts_at=DAY + timedelta(days=3),
                       ends_at=DAY + timedelta(days=3, hours=2))
    confirmed(session, event, confirmed_at=DAY - timedelta(hours=1))
    organiser.role = "participant"
    session.commit()
    assert run(app, session, "organiser-digest", DAY + timedelta(hours=7)).result.startswith("0 digest(s) sent, 0")
    assert outbox(session, "digest") == []
