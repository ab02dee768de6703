"""Issuing, idempotency, revoking, re-issuing and the scheduler's pass, against a real database."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pypdf
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.certificates import services as svc
from app.certificates.models import Certificate
from app.errors import Conflict, Forbidden, ValidationFailed
from app.mail.models import OutboxMessage
from app.sqltypes import utcnow
from tests.certificates.helpers import (
    NAMES,
    attendee,
    check_in,
    completed_programme,
    enrol,
    event_days,
    past_event,
)
from tests.factories import make_admin, make_event, make_organiser, make_user

SETTINGS = svc.CertificateSettings(base_url="http://cc.test", network_name="Connective Cities")


def issue(session, event, actor=None, **kwargs):
    return svc.issue_event_certificates(session, event_id=event.id, actor_id=actor.id if actor else None,
                                        now=kwargs.pop("now", utcnow()), settings=SETTINGS, **kwargs)


def test_issues_to_every_eligible_attendee_and_reports_the_rest(session):
    event = past_event(session, days=2, hours=Decimal("12"))
    organiser = event.organisers[0]
    people = [attendee(session, event, name=name) for name in NAMES]
    partial = make_user(session, name="Partial Person")
    check_in(session, enrol(session, event, partial), event, days=event_days(event)[:1])
    waiting = make_user(session, name="Waiting Person")
    enrol(session, event, waiting, status="waitlisted")

    report = issue(session, event, organiser)

    assert sorted(c.holder_id for c in report.issued) == sorted(p.id for p in people)
    skipped = dict(report.skipped)
    assert skipped[partial.id].reason == "certificate.why.attendance"
    assert str(skipped[partial.id]) == "attended 1 of 2 (50%); the minimum is 100%"
    assert str(skipped[waiting.id]) == "enrolment is waitlisted, not confirmed"
    certificate = report.issued[0]
    assert certificate.hours == Decimal("12") and certificate.issued_by_id == organiser.id
    snap = certificate.snapshot
    assert snap["title"] == event.title and snap["city"] == "Leipzig" and snap["country_name"] == "Germany"
    assert snap["start_date"] < snap["end_date"] and snap["issuer_name"] == "Olivia Okafor"
    assert snap["verify_url"] == f"http://cc.test/verify/{certificate.code}"
    text = pypdf.PdfReader(io.BytesIO(svc.render_pdf(certificate, SETTINGS))).pages[0].extract_text()
    assert snap["holder_name"] in text and certificate.code in text and "12 hours" in text


def test_issuing_again_is_idempotent(session):
    event = past_event(session)
    people = [attendee(session, event) for _ in range(3)]
    first = issue(session, event)
    second = issue(session, event)
    assert len(first.issued) == 3 and second.issued == []
    assert {user_id for user_id, _ in second.skipped} == {p.id for p in people}
    assert all(str(reason).startswith("already holds certificate CC-") for _, reason in second.skipped)
    assert session.scalar(sa.select(sa.func.count(Certificate.id))) == 3


def test_database_refuses_two_valid_certificates_for_the_same_holder_and_event(session):
    event = past_event(session)
    attendee(session, event)
    (certificate,) = issue(session, event).issued
    session.commit()
    duplicate = Certificate(code=svc.new_code(), kind="event", holder_id=certificate.holder_id,
                            event_id=event.id, hours=1, snapshot={}, pdf_sha256="0" * 64)
    session.add(duplicate)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    # a revoked one does not count
    svc.revoke_certificate(session, code=certificate.code, actor_id=None, reason="test", now=utcnow())
    session.add(Certificate(code=svc.new_code(), kind="event", holder_id=certificate.holder_id,
                            event_id=event.id, hours=1, snapshot={}, pdf_sha256="0" * 64))
    session.flush()


def test_kind_must_match_the_target(session):
    user = make_user(session)
    event = past_event(session)
    session.add(Certificate(code=svc.new_code(), kind="programme", holder_id=user.id, event_id=event.id,
                            hours=1, snapshot={}, pdf_sha256="0" * 64))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_hours_come_from_attended_days_when_none_are_declared(session):
    event = past_event(session, days=2, hours=None, min_attendance_percent=50)
    user = make_user(session)
    check_in(session, enrol(session, event, user), event, days=event_days(event)[1:])
    (certificate,) = issue(session, event).issued
    assert certificate.hours == Decimal("8.00")
    assert certificate.snapshot["hours"] == 8.0


def test_online_event_snapshot_says_online(session):
    event = past_event(session, city="", venue="", address="", country=None, online_url="https://meet.example.org/x")
    attendee(session, event)
    (certificate,) = issue(session, event).issued
    assert certificate.snapshot["online"] is True
    text = pypdf.PdfReader(io.BytesIO(svc.render_pdf(certificate, SETTINGS))).pages[0].extract_text()
    assert "Online" in text


def test_only_organisers_and_admins_issue_and_not_before_the_event(session):
    event = past_event(session)
    attendee(session, event)
    with pytest.raises(Forbidden):
        issue(session, event, make_organiser(session))
    assert len(issue(session, event, make_admin(session)).issued) == 1
    future = make_event(session)
    with pytest.raises(ValidationFailed):
        issue(session, future)


def test_issuing_queues_the_holders_email_in_their_language(session):
    event = past_event(session)
    attendee(session, event, name="Jonas Weber", language="de", email="jonas@example.org")
    (certificate,) = issue(session, event).issued
    message = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_addr == "jonas@example.org"))
    assert message.kind == "certificate_issued" and message.status == "pending"
    assert message.subject == f"Ihr Zertifikat: {event.title}"
    assert f"http://cc.test/certificates/{certificate.code}.pdf" in message.text_body
    assert f"http://cc.test/verify/{certificate.code}" in message.text_body
    assert certificate.language == "de"


def test_snapshot_freezes_what_the_certificate_states(session):
    event = past_event(session)
    user = attendee(session, event, name="Anna Before")
    (certificate,) = issue(session, event).issued
    sha = certificate.pdf_sha256
    event.title = "Renamed afterwards"
    user.name = "Anna After"
    session.flush()
    data = svc.render_pdf(certificate, SETTINGS)
    assert svc.find_by_pdf(session, data).id == certificate.id
    assert certificate.pdf_sha256 == sha
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Anna Before" in text and "Climate-resilient drainage workshop" in text


def test_revoke_needs_a_reason_and_the_organiser(session):
    event = past_event(session)
    attendee(session, event)
    (certificate,) = issue(session, event).issued
    with pytest.raises(ValidationFailed) as info:
        svc.revoke_certificate(session, code=certificate.code, actor_id=event.organisers[0].id, reason=" ",
                               now=utcnow())
    assert "reason" in info.value.fields
    with pytest.raises(Forbidden):
        svc.revoke_certificate(session, code=certificate.code, actor_id=make_organiser(session).id, reason="x",
                               now=utcnow())
    revoked = svc.revoke_certificate(session, code=certificate.code.lower().replace("-", ""),
                                     actor_id=event.organisers[0].id, reason="Attendance sheet was wrong",
                                     now=utcnow())
    assert revoked.status == "revoked"
    facts = svc.certificate_facts(revoked)
    assert facts["valid"] is False and facts["revoke_reason"] == "Attendance sheet was wrong"
    with pytest.raises(Conflict):
        svc.revoke_certificate(session, code=certificate.code, actor_id=None, reason="again", now=utcnow())
    # issuing again does not quietly hand the revoked person a new one
    again = issue(session, event)
    assert again.issued == [] and "was revoked" in str(again.skipped[0][1])


def test_reissue_after_a_name_correction(session):
    event = past_event(session)
    user = attendee(session, event, name="Zoe Muller")
    (old,) = issue(session, event).issued
    user.name = "Zoë Müller-Łukasiewicz"
    session.flush()
    new = svc.reissue_certificate(session, code=old.code, actor_id=event.organisers[0].id, now=utcnow(),
                                  settings=SETTINGS)
    assert new.code != old.code and new.replaces_id == old.id and new.is_valid
    assert old.revoked_at is not None and old.revoke_reason == f"Replaced by {new.code}"
    assert new.snapshot["holder_name"] == "Zoë Müller-Łukasiewicz"
    assert svc.certificate_facts(old)["replaced_by"] == new.code
    with pytest.raises(Conflict):
        svc.reissue_certificate(session, code=old.code, actor_id=None, now=utcnow(), settings=SETTINGS)
    assert issue(session, event).issued == []
    valid = session.scalars(sa.select(Certificate).where(Certificate.revoked_at.is_(None))).all()
    assert [c.code for c in valid] == [new.code]


def test_active_certificate_reason(session):
    event = past_event(session)
    user = attendee(session, event)
    assert svc.active_certificate_reason(session, user_id=user.id, event_id=event.id) is None
    (certificate,) = issue(session, event).issued
    reason = svc.active_certificate_reason(session, user_id=user.id, event_id=event.id)
    assert certificate.code in reason
    svc.revoke_certificate(session, code=certificate.code, actor_id=None, reason="x", now=utcnow())
    assert svc.active_certificate_reason(session, user_id=user.id, event_id=event.id) is None


def test_programme_certificates_list_modules_and_hours(session):
    people = [make_user(session, name=name) for name in NAMES[:2]]
    programme, _ = completed_programme(session, users=people)
    organiser = programme.organisers[0]
    report = svc.issue_programme_certificates(session, programme_id=programme.id, actor_id=organiser.id,
                                              now=utcnow(), settings=SETTINGS)
    assert len(report.issued) == 2 and report.skipped == []
    certificate = report.issued[0]
    assert certificate.kind == "programme" and certificate.hours == Decimal("7.5")
    assert [m["title"] for m in certificate.snapshot["modules"]] == ["Integrated water planning", "Green mobility"]
    text = pypdf.PdfReader(io.BytesIO(svc.render_pdf(certificate, SETTINGS))).pages[0].extract_text()
    assert "Certificate of completion" in text and "Green mobility" in text and "4.5 hours" in text
    assert svc.active_certificate_reason(session, user_id=people[0].id, programme_id=programme.id)
    again = svc.issue_programme_certificates(session, programme_id=programme.id, actor_id=None, now=utcnow(),
                                             settings=SETTINGS)
    assert again.issued == [] and len(again.skipped) == 2
    with pytest.raises(Forbidden):
        svc.issue_programme_certificates(session, programme_id=programme.id, actor_id=make_organiser(session).id,
                                         now=utcnow(), settings=SETTINGS)


def test_scheduler_issues_what_is_due_and_only_once(session):
    now = utcnow()
    due = past_event(session, ended_at=now - timedelta(hours=2))
    too_fresh = past_event(session, ended_at=now - timedelta(minutes=30))
    manual = past_event(session, ended_at=now - timedelta(hours=3), auto_certificates=False)
    for event in (due, too_fresh, manual):
        attendee(session, event)
    student = make_user(session)
    programme, _ = completed_programme(session, users=[student])

    report = svc.issue_due_certificates(session, now=now, settings=SETTINGS)
    assert sorted((c.kind, c.event_id or c.programme_id) for c in report.issued) == [
        ("event", due.id), ("programme", programme.id)
    ]
    assert report.issued[0].issued_by_id is None and report.issued[0].snapshot["issuer_name"] == "Olivia Okafor"
    again = svc.issue_due_certificates(session, now=now + timedelta(minutes=5), settings=SETTINGS)
    assert again.issued == []


def test_each_holder_gets_their_own_language_unless_the_organiser_chooses_one(session):
    event = past_event(session)
    people = {lang: attendee(session, event, email=f"{lang}@example.org") for lang in ("fr", "es", "pt", "ar", "de", "en")}
    for lang, user in people.items():
        user.language = lang  # set directly: the profile may not offer Arabic yet
    report = svc.issue_event_certificates(session, event_id=event.id, actor_id=None, now=utcnow())
    by_holder = {c.holder_id: c for c in report.issued}
    for lang, user in people.items():
        certificate = by_holder[user.id]
        assert certificate.language == certificate.snapshot["language"] == lang
    titles = {lang: pypdf.PdfReader(io.BytesIO(svc.render_pdf(by_holder[u.id]))).pages[0].extract_text()
              for lang, u in people.items()}
    assert "Attestation de participation" in titles["fr"] and "Certificado de asistencia" in titles["es"]
    assert "Certificado de participação" in titles["pt"] and "Teilnahmebescheinigung" in titles["de"]
    mail = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_addr == "fr@example.org"))
    assert mail.subject.startswith("Votre certificat") and "attestation de participation" in mail.text_body

    chosen = past_event(session)
    holder = attendee(session, chosen, language="de")
    (certificate,) = svc.issue_event_certificates(session, event_id=chosen.id, actor_id=None, now=utcnow(),
                                                  language="ar").issued
    assert certificate.holder_id == holder.id and certificate.language == "ar"
    mail = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_addr == holder.email))
    assert mail.subject.startswith("Ihr Zertifikat")  # the mail is in the holder's language, the PDF in the chosen one


def test_an_unknown_certificate_language_is_refused_naming_the_field(session):
    event = past_event(session)
    attendee(session, event)
    with pytest.raises(ValidationFailed) as caught:
        svc.issue_event_certificates(session, event_id=event.id, actor_id=None, now=utcnow(), language="xx")
    assert "language" in caught.value.fields
    assert session.scalars(sa.select(Certificate)).all() == []
    users = [make_user(session, language="pt")]
    programme, _ = completed_programme(session, users=users)
    (certificate,) = svc.issue_programme_certificates(session, programme_id=programme.id, actor_id=None,
                                                      now=utcnow(), language="es").issued
    assert certificate.language == "es"
    text = pypdf.PdfReader(io.BytesIO(svc.render_pdf(certificate))).pages[0].extract_text()
    assert "Certificado de finalización" in text
