"""The services and every reaction to them (emails, calendar invitations, learning progress, certificates) run
on a plain SQLAlchemy session: no Flask app, no app context, no request (issue 11, point 3)."""

from __future__ import annotations

from datetime import timedelta

import flask
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.calendar.site import Site
from app.certificates import services as certificates
from app.certificates.models import Certificate
from app.certificates.services import CertificateSettings
from app.dbsetup import enable_sqlite_pragmas
from app.errors import Conflict
from app.events import services as events
from app.events.models import Checkin, Enrolment
from app.extensions import db
from app.learning.models import ModuleCompletion
from app.mail.models import OutboxMessage
from app.receivers import ReceiverSettings, connect_receivers
from app.sqltypes import utcnow
from tests.factories import (
    join_programme,
    make_event,
    make_link,
    make_module,
    make_organiser,
    make_programme,
    make_user,
)

SETTINGS = ReceiverSettings(
    site=Site(base_url="https://events.example.net", network_name="Plain Network",
              sender="Plain Network <hello@example.net>"),
    certificates=CertificateSettings(base_url="https://events.example.net", network_name="Plain Network"),
)


@pytest.fixture
def plain_session(tmp_path):
    """A session on its own SQLite file, the schema made from the models' metadata; the receivers bound to
    SETTINGS for the test, and given back to the test app's settings afterwards."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'plain.sqlite'}")
    enable_sqlite_pragmas(engine)
    db.metadata.create_all(engine)
    previous = connect_receivers(SETTINGS)
    try:
        with Session(engine) as session:
            yield session
    finally:
        if previous is not None:
            connect_receivers(previous)
        engine.dispose()


def _outbox(session, user) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.user_id == user.id)
                                .order_by(OutboxMessage.id)))


def test_enrolment_attendance_and_certificates_without_an_app(plain_session):
    session = plain_session
    assert not flask.has_app_context() and not flask.has_request_context()
    now = utcnow()
    organiser = make_organiser(session, name="Amara Okafor")
    ana, ben, cleo = (make_user(session, name=name) for name in ("Ana Lima", "Ben Cho", "Cleo Roy"))
    event = make_event(session, organisers=[organiser], capacity=1, requires_approval=True, title="Heat plans")
    programme = make_programme(session, organisers=[organiser])
    module = make_module(session, programme)
    make_link(session, module, event=event)
    join_programme(session, programme, ben)

    # enrol -> confirm (approval) -> cancel -> the seat goes to the first person waiting -> promote
    first = events.enrol(session, event_id=event.id, user_id=ana.id, now=now)
    assert first.status == "pending"
    events.approve_enrolment(session, enrolment_id=first.id, actor_id=organiser.id, now=now)
    assert first.status == "confirmed"
    second = events.enrol(session, event_id=event.id, user_id=ben.id, now=now)
    events.approve_enrolment(session, enrolment_id=second.id, actor_id=organiser.id, now=now)
    assert second.status == "waitlisted"
    third = events.enrol(session, event_id=event.id, user_id=cleo.id, now=now)
    events.approve_enrolment(session, enrolment_id=third.id, actor_id=organiser.id, now=now)
    assert third.status == "waitlisted"
    events.cancel_enrolment(session, enrolment_id=first.id, actor_id=ana.id, now=now)
    assert (first.status, second.status) == ("cancelled", "confirmed")
    events.promote_enrolment(session, enrolment_id=third.id, actor_id=organiser.id, now=now)
    assert third.status == "confirmed" and third.is_over_capacity

    ana_mail = _outbox(session, ana)
    assert [m.kind for m in ana_mail] == ["enrolment_pending", "calendar_request", "calendar_cancel"]
    invitation = ana_mail[1]
    assert invitation.ics_method == "REQUEST" and "Heat plans" in invitation.subject
    assert "https://events.example.net/events/" in invitation.text_body
    assert "Plain Network" in invitation.text_body and "<html" in invitation.html_body
    assert "mailto:hello@example.net" in invitation.ics_body and "Plain Network" in invitation.ics_body
    assert [m.kind for m in _outbox(session, ben)][-1] == "calendar_request"
    assert [m.kind for m in _outbox(session, cleo)][-1] == "calendar_request"

    # check-in -> the linked module is completed for the programme participant
    during = event.starts_at + timedelta(hours=1)
    checkin = events.check_in(session, event_id=event.id, actor_id=organiser.id, now=during,
                              enrolment_id=second.id)
    completion = session.scalar(sa.select(ModuleCompletion).where(ModuleCompletion.user_id == ben.id))
    assert completion is not None and completion.module_id == module.id

    # issue -> the certificate stands on the attendance -> revoke
    report = certificates.issue_event_certificates(session, event_id=event.id, actor_id=organiser.id, now=during,
                                                   settings=SETTINGS.certificates)
    holders = {c.holder_id: c for c in report.issued}
    assert set(holders) == {ben.id}
    certificate = holders[ben.id]
    assert certificate.snapshot["network"] == "Plain Network"
    assert certificate.snapshot["verify_url"] == f"https://events.example.net/verify/{certificate.code}"
    issued_mail = _outbox(session, ben)[-1]
    assert issued_mail.kind == "certificate_issued"
    assert f"https://events.example.net/certificates/{certificate.code}.pdf" in issued_mail.text_body
    with pytest.raises(Conflict) as refused:
        events.undo_checkin(session, checkin_id=checkin.id, actor_id=organiser.id, now=during)
    assert certificate.code in refused.value.message
    assert session.get(Checkin, checkin.id) is not None

    certificates.revoke_certificate(session, code=certificate.code, actor_id=organiser.id, reason="Issued twice",
                                    now=during)
    assert session.get(Certificate, certificate.id).revoked_at is not None
    events.undo_checkin(session, checkin_id=checkin.id, actor_id=organiser.id, now=during)
    assert session.get(Checkin, checkin.id) is None
    assert session.scalar(sa.select(ModuleCompletion).where(ModuleCompletion.user_id == ben.id)) is None
    assert session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 3
    assert not flask.has_app_context()
