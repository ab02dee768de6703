"""Pages: my certificates, downloads (who may), the organisers' page, public verification."""

from __future__ import annotations

import hashlib
import io

import pypdf
import pytest
import sqlalchemy as sa

from app.certificates import services as svc
from app.certificates.models import Certificate
from app.sqltypes import utcnow
from tests.certificates.helpers import attendee, check_in, enrol, event_days, past_event
from tests.conftest import post_form
from tests.factories import bearer, make_admin, make_organiser, make_token, make_user

SETTINGS = svc.CertificateSettings(base_url="http://cc.test", network_name="Connective Cities")


@pytest.fixture
def issued(session):
    """A past event with two certified attendees, committed; returns (event, [certificates])."""
    event = past_event(session, days=2)
    attendee(session, event, name="Анна Ковальчук", email="anna@example.org")
    attendee(session, event, name="Nguyễn Văn An", email="an@example.org")
    report = svc.issue_event_certificates(session, event_id=event.id, actor_id=None, now=utcnow(),
                                          settings=SETTINGS)
    session.commit()
    return event, sorted(report.issued, key=lambda c: c.holder.email)


def test_my_certificates_lists_and_downloads(session, client, auth, issued):
    _, (an, anna) = issued
    auth.login("anna@example.org")
    page = client.get("/certificates").get_data(as_text=True)
    assert anna.code in page and an.code not in page and "Download PDF" in page
    response = client.get(f"/certificates/{anna.code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert hashlib.sha256(response.data).hexdigest() == anna.pdf_sha256
    text = pypdf.PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "Анна Ковальчук" in text and anna.code in text


def test_a_stranger_cannot_download(session, client, auth, issued):
    _, (an, anna) = issued
    make_user(session, email="stranger@example.org")
    make_organiser(session, email="other-organiser@example.org")
    session.commit()
    assert client.get(f"/certificates/{anna.code}.pdf").status_code == 404  # anonymous
    auth.login("stranger@example.org")
    assert client.get(f"/certificates/{anna.code}.pdf").status_code == 404
    assert client.get(f"/certificates/{an.code.lower()}.pdf").status_code == 404
    auth.logout()
    auth.login("other-organiser@example.org")
    assert client.get(f"/certificates/{anna.code}.pdf").status_code == 404


def test_organisers_admins_and_bearer_tokens_can_download(session, client, auth, issued):
    event, (_, anna) = issued
    admin = make_admin(session, email="admin@example.org")
    token = make_token(session, anna.holder)
    admin_token = make_token(session, admin)
    stranger_token = make_token(session, make_user(session))
    session.commit()
    assert client.get(f"/certificates/{anna.code}.pdf", headers=bearer(token)).status_code == 200
    assert client.get(f"/certificates/{anna.code}.pdf", headers=bearer(admin_token)).status_code == 200
    assert client.get(f"/certificates/{anna.code}.pdf", headers=bearer(stranger_token)).status_code == 404
    auth.login(event.organisers[0].email)
    assert client.get(f"/certificates/{anna.code}.pdf").status_code == 200


def test_my_certificates_page_has_a_constant_number_of_queries(session, client, auth, count_queries):
    user = make_user(session, email="many@example.org")
    counts = []
    session.commit()
    auth.login("many@example.org")
    for _ in range(2):
        for _ in range(3):
            event = past_event(session)
            check_in(session, enrol(session, event, user), event)
            svc.issue_event_certificates(session, event_id=event.id, actor_id=None, now=utcnow(), settings=SETTINGS)
        session.commit()
        with count_queries() as counter:
            assert client.get("/certificates").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_organiser_page_lists_reasons_and_issues(session, client, auth, count_queries):
    event = past_event(session, days=2)
    organiser = event.organisers[0]
    attendee(session, event, name="Full Attendee")
    partial = make_user(session, name="Half Attendee")
    check_in(session, enrol(session, event, partial), event, days=event_days(event)[:1])
    session.commit()
    auth.login(organiser.email)
    url = f"/certificates/event/{event.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Full Attendee" in page and "Half Attendee" in page and "attended 1 of 2 (50%)" in page
    response = post_form(client, url, {}, follow_redirects=True)
    assert "Issued 1 certificate. 1 person got none (see the reasons below)." in response.get_data(as_text=True)
    session.expire_all()
    (certificate,) = session.scalars(sa.select(Certificate)).all()
    with count_queries() as few:
        page = client.get(url).get_data(as_text=True)
    assert certificate.code in page
    for n in range(4):
        attendee(session, event, name=f"Late Attendee {n}")
    session.commit()
    response = post_form(client, url, {}, follow_redirects=True)
    assert "Issued 4 certificates." in response.get_data(as_text=True)
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert "Late Attendee 3" in page
    assert many.count == few.count


def test_other_organisers_and_participants_do_not_see_the_organiser_page(session, client, auth):
    event = past_event(session)
    make_organiser(session, email="other@example.org")
    session.commit()
    auth.login("other@example.org")
    assert client.get(f"/certificates/event/{event.id}").status_code == 404


def test_revoke_and_reissue_forms(session, client, auth, issued):
    event, (an, anna) = issued
    auth.login(event.organisers[0].email)
    url = f"/certificates/event/{event.id}"
    response = post_form(client, url, {"reason": "Checked in by mistake"},
                         action=f"/certificates/{anna.code}/revoke", follow_redirects=True)
    assert f"Certificate {anna.code} is revoked." in response.get_data(as_text=True)
    response = post_form(client, url, {}, action=f"/certificates/{an.code}/reissue", follow_redirects=True)
    assert f"Certificate {an.code} is replaced by CC-" in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(sa.select(Certificate).where(Certificate.code == anna.code)).revoke_reason == \
        "Checked in by mistake"
    assert session.scalar(sa.select(sa.func.count(Certificate.id)).where(Certificate.revoked_at.is_(None))) == 1
    # an empty reason is refused
    response = post_form(client, url, {"reason": ""}, action=f"/certificates/{an.code}/revoke",
                         follow_redirects=True)
    assert "Give the reason" in response.get_data(as_text=True)


def test_verify_by_code_any_case_and_unknown_codes(session, client, issued):
    _, (_, anna) = issued
    response = client.get("/verify", query_string={"code": anna.code.lower().replace("-", "")})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{anna.code}")
    page = client.get(f"/verify/{anna.code}").get_data(as_text=True)
    assert "Valid." in page and "Анна Ковальчук" in page and anna.pdf_sha256 in page
    assert "Climate-resilient drainage workshop" in page and "Leipzig, Germany" in page and "16 hours" in page
    assert client.get("/verify/CC-2222-3333-4444").status_code == 404
    assert client.get("/verify/not-a-code").status_code == 404
    bad = client.get("/verify", query_string={"code": "hello"})
    assert bad.status_code == 200 and "not a certificate code" in bad.get_data(as_text=True)


def test_revoked_certificate_verifies_as_revoked(session, client, issued):
    _, (_, anna) = issued
    svc.revoke_certificate(session, code=anna.code, actor_id=None, reason="Name misspelt", now=utcnow())
    session.commit()
    page = client.get(f"/verify/{anna.code}").get_data(as_text=True)
    assert "Revoked" in page and "Name misspelt" in page and "Valid." not in page


def test_pdf_upload_checks_the_original(session, client, issued):
    _, (_, anna) = issued
    original = svc.render_pdf(anna, SETTINGS)
    page = client.get("/verify")
    from tests.conftest import csrf_from

    token = csrf_from(page.get_data(as_text=True))
    ok = client.post("/verify", data={"csrf_token": token, "pdf": (io.BytesIO(original), "cert.pdf")},
                     content_type="multipart/form-data").get_data(as_text=True)
    assert "unaltered original" in ok and anna.code in ok
    altered = original.replace(b"Connective", b"Connektive", 1)
    bad = client.post("/verify", data={"csrf_token": token, "pdf": (io.BytesIO(altered), "cert.pdf")},
                      content_type="multipart/form-data").get_data(as_text=True)
    assert "No match." in bad and hashlib.sha256(altered).hexdigest() in bad


def test_verification_is_rate_limited(app, session, client, issued):
    _, (_, anna) = issued
    app.config["CERTIFICATE_VERIFY_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [client.get(f"/verify/{anna.code}").status_code for _ in range(3)]
        statuses.append(client.get(f"/api/v1/verify/{anna.code}").status_code)
    finally:
        app.config.pop("CERTIFICATE_VERIFY_RATE_LIMIT")
    assert statuses == [200, 200, 200, 429]


def test_programme_page_for_its_organisers(session, client, auth):
    from tests.certificates.helpers import completed_programme

    student = make_user(session, name="Thandiwe Mkhize")
    programme, _ = completed_programme(session, users=[student])
    make_organiser(session, email="not-mine@example.org")
    session.commit()
    url = f"/certificates/programme/{programme.id}"
    auth.login("not-mine@example.org")
    assert client.get(url).status_code == 404
    auth.logout()
    auth.login(programme.organisers[0].email)
    page = client.get(url).get_data(as_text=True)
    assert "Thandiwe Mkhize" in page and "Urban climate adaptation programme" in page
    response = post_form(client, url, {}, follow_redirects=True)
    assert "Issued 1 certificate." in response.get_data(as_text=True)
    session.expire_all()
    certificate = session.scalar(sa.select(Certificate))
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Certificate of completion" in page and "<bdi>Green mobility</bdi> (4.5 hours)" in page
    assert "Download the PDF" in page


def test_pdf_upload_without_a_file_or_too_large_answers_with_a_form_error(session, client, issued, monkeypatch):
    from app.certificates import views
    from tests.conftest import csrf_from

    token = csrf_from(client.get("/verify").get_data(as_text=True))
    empty = client.post("/verify", data={"csrf_token": token}, content_type="multipart/form-data")
    assert empty.status_code == 200 and "Choose the PDF file to check." in empty.get_data(as_text=True)
    monkeypatch.setattr(views, "MAX_PDF_UPLOAD", 1000)
    big = client.post("/verify", data={"csrf_token": token, "pdf": (io.BytesIO(b"%PDF" + b"x" * 2000), "c.pdf")},
                      content_type="multipart/form-data").get_data(as_text=True)
    assert "too large" in big and "No match." not in big


def test_the_empty_verify_form_does_not_count_against_the_limit(app, session, client, issued):
    _, (_, anna) = issued
    app.config["CERTIFICATE_VERIFY_RATE_LIMIT"] = "2 per minute"
    try:
        forms = [client.get("/verify").status_code for _ in range(5)]
        # typing a code on the form: the redirect is free, the look-up it leads to counts once
        typed = client.get("/verify", query_string={"code": anna.code.lower()}, follow_redirects=True)
        again = client.get(f"/verify/{anna.code}").status_code
        over = client.get(f"/verify/{anna.code}").status_code
        still_free = client.get("/verify").status_code
    finally:
        app.config.pop("CERTIFICATE_VERIFY_RATE_LIMIT")
    assert forms == [200] * 5
    assert typed.status_code == 200 and again == 200 and over == 429
    assert still_free == 200


def test_page_and_rule_agree_before_the_event_starts(session, client, auth):
    """Attendance recorded early makes nobody eligible before the start: the page says why, no button."""
    from datetime import timedelta

    start = utcnow() + timedelta(days=10)
    event = past_event(session, ended_at=start + timedelta(hours=8))
    organiser = event.organisers[0]
    attendee(session, event, name="Early Bird")
    enrol(session, event, make_user(session, name="Not Checked In"))
    session.commit()
    _, candidates = svc.event_candidates(session, event_id=event.id, now=utcnow())
    assert not any(c.eligible for c in candidates)
    assert svc.event_issuable_reason(event, utcnow()) is not None
    auth.login(organiser.email)
    page = client.get(f"/certificates/event/{event.id}").get_data(as_text=True)
    assert "can receive a certificate now" not in page
    assert "has not started yet" in page
    assert "Issue certificates to everyone eligible" not in page


def test_organiser_chooses_the_certificate_language(session, client, auth):
    event = past_event(session)
    attendee(session, event, language="fr", name="Amélie Martin")
    session.commit()
    auth.login(event.organisers[0].email)
    url = f"/certificates/event/{event.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Certificate language" in page and "own language" in page and "العربية" in page
    response = post_form(client, url, {"language": "es"}, follow_redirects=True)
    assert "Issued 1 certificate." in response.get_data(as_text=True)
    session.expire_all()
    (certificate,) = session.scalars(sa.select(Certificate)).all()
    assert certificate.language == "es"
