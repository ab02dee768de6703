"""The certificates JSON API with Bearer tokens."""

from __future__ import annotations

import sqlalchemy as sa

from app.certificates import services as svc
from app.certificates.models import Certificate
from app.sqltypes import utcnow
from tests.certificates.helpers import attendee, check_in, completed_programme, enrol, event_days, past_event
from tests.factories import bearer, make_organiser, make_token, make_user


def test_issue_for_an_event_reports_issued_and_skipped(session, client):
    event = past_event(session, days=2)
    people = [attendee(session, event) for _ in range(2)]
    partial = make_user(session)
    check_in(session, enrol(session, event, partial), event, days=event_days(event)[:1])
    token = make_token(session, event.organisers[0])
    session.commit()

    response = client.post(f"/api/v1/events/{event.id}/certificates", headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    assert len(body["issued"]) == 2 and all(code.startswith("CC-") for code in body["issued"])
    assert body["skipped"] == [{"user_id": partial.id, "reason": "attended 1 of 2 (50%); the minimum is 100%"}]

    again = client.post(f"/api/v1/events/{event.id}/certificates", headers=bearer(token)).get_json()
    assert again["issued"] == [] and {s["user_id"] for s in again["skipped"]} == {partial.id, *(p.id for p in people)}


def test_issue_needs_an_organiser_of_the_event(session, client):
    event = past_event(session)
    attendee(session, event)
    participant = make_token(session, make_user(session))
    other = make_token(session, make_organiser(session))
    session.commit()
    assert client.post(f"/api/v1/events/{event.id}/certificates").status_code == 401
    assert client.post(f"/api/v1/events/{event.id}/certificates", headers=bearer(participant)).status_code == 403
    response = client.post(f"/api/v1/events/{event.id}/certificates", headers=bearer(other))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert client.post("/api/v1/events/99999/certificates", headers=bearer(other)).status_code == 404


def test_me_certificates_and_verify(session, client):
    event = past_event(session)
    user = attendee(session, event, name="Γιώργος Παπαδόπουλος")
    token = make_token(session, user)
    (certificate,) = svc.issue_event_certificates(session, event_id=event.id, actor_id=None, now=utcnow()).issued
    session.commit()

    items = client.get("/api/v1/me/certificates", headers=bearer(token)).get_json()["items"]
    assert [i["code"] for i in items] == [certificate.code]
    assert items[0]["pdf_url"] == f"http://cc.test/certificates/{certificate.code}.pdf"
    assert items[0]["valid"] is True and items[0]["hours"] == 8.0

    body = client.get(f"/api/v1/verify/{certificate.code.lower()}").get_json()
    assert {k: body[k] for k in ("code", "valid", "status", "holder", "title", "kind", "hours", "sha256")} == {
        "code": certificate.code, "valid": True, "status": "valid", "holder": "Γιώργος Παπαδόπουλος",
        "title": event.title, "kind": "event", "hours": 8.0, "sha256": certificate.pdf_sha256,
    }
    assert body["issued_on"] == certificate.snapshot["issued_on"] and body["place"] == "Leipzig, Germany"
    missing = client.get("/api/v1/verify/CC-2222-3333-4444")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_revoke_via_api(session, client):
    event = past_event(session)
    holder = attendee(session, event)
    (certificate,) = svc.issue_event_certificates(session, event_id=event.id, actor_id=None, now=utcnow()).issued
    organiser = make_token(session, event.organisers[0])
    holder_token = make_token(session, holder)
    stranger = make_token(session, make_user(session))
    session.commit()
    url = f"/api/v1/certificates/{certificate.code}/revoke"

    assert client.post(url, json={"reason": "x"}, headers=bearer(stranger)).status_code == 404
    assert client.post(url, json={"reason": "x"}, headers=bearer(holder_token)).status_code == 403
    missing_reason = client.post(url, json={}, headers=bearer(organiser))
    assert missing_reason.status_code == 422 and "reason" in missing_reason.get_json()["error"]["fields"]
    response = client.post(url, json={"reason": "Duplicate registration"}, headers=bearer(organiser))
    assert response.status_code == 200 and response.get_json()["status"] == "revoked"
    body = client.get(f"/api/v1/verify/{certificate.code}").get_json()
    assert body["valid"] is False and body["status"] == "revoked" and body["revoke_reason"] == "Duplicate registration"
    assert client.post(url, json={"reason": "again"}, headers=bearer(organiser)).status_code == 409


def test_issue_for_a_programme(session, client):
    student = make_user(session)
    programme, _ = completed_programme(session, users=[student])
    token = make_token(session, programme.organisers[0])
    session.commit()
    body = client.post(f"/api/v1/programmes/{programme.id}/certificates", headers=bearer(token)).get_json()
    assert len(body["issued"]) == 1 and body["skipped"] == []
    session.expire_all()
    certificate = session.scalar(sa.select(Certificate))
    assert certificate.kind == "programme" and certificate.holder_id == student.id


def test_issue_in_a_chosen_language_or_each_holders_own(session, client):
    event = past_event(session)
    french = attendee(session, event, language="fr")
    token = make_token(session, event.organisers[0])
    session.commit()

    response = client.post(f"/api/v1/events/{event.id}/certificates", headers=bearer(token),
                           json={"language": "klingon"})
    assert response.status_code == 422 and "language" in response.get_json()["error"]["fields"]
    response = client.post(f"/api/v1/events/{event.id}/certificates", headers=bearer(token), json={"language": "ar"})
    assert response.status_code == 200
    (code,) = response.get_json()["issued"]
    certificate = session.scalar(sa.select(Certificate).where(Certificate.code == code))
    assert certificate.holder_id == french.id and certificate.language == "ar"

    users = [make_user(session, language="es")]
    programme, _ = completed_programme(session, users=users)
    token = make_token(session, programme.organisers[0])
    session.commit()
    response = client.post(f"/api/v1/programmes/{programme.id}/certificates", headers=bearer(token))
    (code,) = response.get_json()["issued"]
    assert client.get(f"/api/v1/certificates/{code}", headers=bearer(token)).get_json()["language"] == "es"
