"""A completion certificate arrives (and is emailed) as soon as learning records a programme completion."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.certificates import services as svc
from app.certificates.models import Certificate
from app.events import services as events
from app.learning import services as learning
from app.learning.signals import programme_completed
from app.mail.models import OutboxMessage
from app.sqltypes import utcnow
from tests.certificates.helpers import enrol
from tests.factories import (
    join_programme,
    make_event,
    make_link,
    make_module,
    make_organiser,
    make_programme,
    make_user,
)


def _certificates(session, user) -> list[Certificate]:
    return list(session.scalars(sa.select(Certificate).where(Certificate.holder_id == user.id)))


def _mails(session, user) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.user_id == user.id, OutboxMessage.kind == "certificate_issued")))


def test_completion_issues_and_emails_the_certificate_at_once_and_only_once(session):
    organiser = make_organiser(session, name="Sipho Ndlovu")
    programme = make_programme(session, organisers=[organiser], title="Urban climate adaptation programme")
    module = make_module(session, programme, title="Handbook on heat plans", hours=Decimal("3.5"),
                         completion="self_study")
    user = make_user(session, name="Анна Ковальчук", language="de")
    join_programme(session, programme, user)

    learning.mark_module_done(session, module_id=module.id, user_id=user.id, actor_id=organiser.id,
                              note="Read and discussed", now=utcnow())
    (certificate,) = _certificates(session, user)
    assert certificate.kind == "programme" and certificate.programme_id == programme.id
    assert certificate.hours == Decimal("3.5") and certificate.issued_by_id is None
    assert certificate.snapshot["modules"] == [{"title": "Handbook on heat plans", "hours": 3.5}]
    assert certificate.snapshot["issuer_name"] == "Sipho Ndlovu" and certificate.language == "de"
    (mail,) = _mails(session, user)
    assert mail.subject == "Ihr Zertifikat: Urban climate adaptation programme"
    assert certificate.code in mail.text_body

    completion = learning.programme_completion(session, user_id=user.id, programme_id=programme.id)
    programme_completed.send(completion, session=session, now=utcnow())  # a second signal changes nothing
    svc.revoke_certificate(session, code=certificate.code, actor_id=None, reason="Wrong person", now=utcnow())
    programme_completed.send(completion, session=session, now=utcnow())  # nor does one after a revocation
    assert len(_certificates(session, user)) == 1 and len(_mails(session, user)) == 1


def test_the_certificate_is_part_of_the_completions_transaction(session):
    organiser = make_organiser(session)
    programme = make_programme(session, organisers=[organiser])
    module = make_module(session, programme, completion="self_study")
    user = make_user(session, email="rolled-back@example.org")
    join_programme(session, programme, user)
    session.commit()
    learning.mark_module_done(session, module_id=module.id, user_id=user.id, actor_id=organiser.id, note="x",
                              now=utcnow())
    assert len(_certificates(session, user)) == 1
    session.rollback()
    assert _certificates(session, user) == [] and _mails(session, user) == []


def test_completion_through_a_running_event_waits_until_it_is_over(session):
    """A door check-in completes the module, but the certificate follows only an hour after the event ends,
    like event certificates, so a mistaken check-in can still be undone."""
    # a morning, so the event stays on one local day whatever time the suite runs (late in the UTC day it
    # would reach past midnight in Berlin and need attendance on a second day)
    now = utcnow().replace(hour=8, minute=0, second=0, microsecond=0)
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], starts_at=now - timedelta(hours=1),
                       ends_at=now + timedelta(hours=6), title="Heat action planning")
    programme = make_programme(session, organisers=[organiser])
    module = make_module(session, programme, hours=Decimal("6"))
    make_link(session, module, event=event)
    user = make_user(session)
    join_programme(session, programme, user)
    enrolment = enrol(session, event, user)

    checkin = events.check_in(session, event_id=event.id, actor_id=organiser.id, enrolment_id=enrolment.id,
                              now=now)
    assert learning.programme_completion(session, user_id=user.id, programme_id=programme.id) is not None
    assert _certificates(session, user) == []
    report = svc.issue_due_certificates(session, now=now + timedelta(minutes=5))
    assert report.issued == [] and any("Heat action planning" in str(reason) for _, reason in report.skipped)

    events.undo_checkin(session, checkin_id=checkin.id, actor_id=organiser.id, now=now + timedelta(minutes=5))
    assert learning.programme_completion(session, user_id=user.id, programme_id=programme.id) is None

    events.check_in(session, event_id=event.id, actor_id=organiser.id, enrolment_id=enrolment.id,
                    now=now + timedelta(minutes=6))
    assert svc.issue_due_certificates(session, now=event.ends_at + timedelta(minutes=30)).issued == []
    issued = svc.issue_due_certificates(session, now=event.ends_at + timedelta(hours=1)).issued
    assert sorted((c.kind, c.holder_id) for c in issued) == [("event", user.id), ("programme", user.id)]
    assert len(_mails(session, user)) == 2


def test_completion_through_an_event_already_over_issues_at_once(session):
    now = utcnow()
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], starts_at=now - timedelta(days=3),
                       ends_at=now - timedelta(days=3) + timedelta(hours=8))
    programme = make_programme(session, organisers=[organiser])
    module = make_module(session, programme, hours=Decimal("8"))
    make_link(session, module, event=event)
    user = make_user(session)
    join_programme(session, programme, user)
    enrolment = enrol(session, event, user)
    # attendance recorded afterwards from the sign-in sheet, for the event's first local day (in its own zone:
    # started at 23:30 UTC, a Berlin event's day is the next one)
    first_day = event.starts_at.astimezone(ZoneInfo(event.timezone)).date()
    events.check_in(session, event_id=event.id, actor_id=organiser.id, enrolment_id=enrolment.id, now=now,
                    day=first_day)
    (certificate,) = _certificates(session, user)
    assert certificate.hours == Decimal("8")
