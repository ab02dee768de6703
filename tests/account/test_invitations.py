"""Invitations for people without an account: the email's link, registration with the address locked, the
enrolment made through the enrolment service; forged, expired and used links refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.account import invitations
from app.account.invitation_models import Invitation
from app.auth.models import User
from app.errors import Conflict, NotFound
from app.events.models import Enrolment
from app.learning.models import ProgrammeParticipant
from app.mail.models import OutboxMessage
from app.sqltypes import utcnow
from tests.certificates.helpers import enrol
from tests.conftest import csrf_from
from tests.factories import bearer, make_event, make_organiser, make_programme, make_token, make_user

LINK = re.compile(r"http://[^\s]+/account/invitations/(\S+)")


def _invite_by_api(client, session, event, email="nadia@example.org", name="Nadia Benali", **extra):
    token = make_token(session, event.organisers[0])
    session.commit()
    return client.post(f"/api/v1/events/{event.id}/invitations", headers=bearer(token),
                       json={"email": email, "name": name, **extra})


def _mailed_token(session, address) -> str:
    mail = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to_addr == address)
                           .order_by(OutboxMessage.id.desc())).first()
    assert mail is not None and mail.kind == "invitation"
    return LINK.search(mail.text_body).group(1)


def _register(client, token, **fields):
    page = client.get(f"/account/invitations/{token}")
    assert page.status_code == 200
    data = {"csrf_token": csrf_from(page.get_data(as_text=True)), "name": "Nadia Benali",
            "password": "correct-horse-battery", "confirm": "correct-horse-battery", "country": "MA",
            "organisation_id": "0", "timezone": "Africa/Casablanca", **fields}
    return client.post(f"/account/invitations/{token}", data=data)


def test_invitation_journey(session, client):
    event = make_event(session, title="Peer dialogue Irbid")
    response = _invite_by_api(client, session, event, email="Nadia@Example.org")
    assert response.status_code == 201
    assert response.get_json() == {"outcome": "invited", "email": "nadia@example.org", "status": None}
    invitation = session.scalar(sa.select(Invitation))
    assert invitation.email == "nadia@example.org" and invitation.language == "en"
    token = _mailed_token(session, "nadia@example.org")
    assert invitation.token_hash != token and token not in invitation.token_hash

    page = client.get(f"/account/invitations/{token}").get_data(as_text=True)
    assert 'value="nadia@example.org"' in page and "readonly" in page
    assert 'value="Nadia Benali"' in page

    # the posted address is never used: the account gets the invited one
    done = _register(client, token, email="someone-else@example.org")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/events/{event.id}")
    user = session.scalar(sa.select(User).where(User.email == "nadia@example.org"))
    assert user is not None
    assert session.scalar(sa.select(User).where(User.email == "someone-else@example.org")) is None
    enrolment = session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id))
    assert enrolment.event_id == event.id and enrolment.status == "confirmed"
    session.refresh(invitation)
    assert invitation.accepted_at is not None and invitation.user_id == user.id
    assert client.get("/auth/profile").status_code == 200  # signed in

    # used once only
    other = client.application.test_client()
    used = other.get(f"/account/invitations/{token}", follow_redirects=True)
    assert "This invitation has already been used" in used.get_data(as_text=True)


def test_a_full_event_puts_the_invitee_on_the_waiting_list(session, client):
    event = make_event(session, capacity=1)
    enrol(session, event, make_user(session))
    assert _invite_by_api(client, session, event).status_code == 201
    token = _mailed_token(session, "nadia@example.org")
    assert _register(client, token).status_code == 302
    assert session.scalar(sa.select(Enrolment.status).join(User, User.id == Enrolment.user_id)
                          .where(User.email == "nadia@example.org")) == "waitlisted"


def test_forged_expired_and_replaced_links_are_refused(session, client, app):
    event = make_event(session)
    _invite_by_api(client, session, event)
    token = _mailed_token(session, "nadia@example.org")
    secret = app.config["SECRET_KEY"]

    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(NotFound):
        invitations.invitation_for_token(session, forged, secret_key=secret, now=utcnow())
    with pytest.raises(NotFound):
        invitations.invitation_for_token(session, token, secret_key="another-key", now=utcnow())
    with pytest.raises(Conflict) as expired:
        invitations.invitation_for_token(session, token, secret_key=secret, now=utcnow() + timedelta(days=15))
    assert expired.value.reason == "invitation.expired"
    page = client.get(f"/account/invitations/{forged}", follow_redirects=True)
    assert "This invitation link is not valid." in page.get_data(as_text=True)

    # inviting again sends a fresh link and voids the old one
    _invite_by_api(client, session, event)
    fresh = _mailed_token(session, "nadia@example.org")
    assert fresh != token
    with pytest.raises(NotFound):
        invitations.invitation_for_token(session, token, secret_key=secret, now=utcnow())
    assert invitations.invitation_for_token(session, fresh, secret_key=secret, now=utcnow()).email == \
        "nadia@example.org"
    assert session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1


def test_an_existing_account_is_enrolled_directly(session, client):
    event = make_event(session)
    person = make_user(session, email="known@example.org", name="Known Person")
    response = _invite_by_api(client, session, event, email="known@example.org", name="Whatever")
    assert response.status_code == 201
    assert response.get_json() == {"outcome": "enrolled", "email": "known@example.org", "status": "confirmed"}
    assert session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    assert session.scalar(sa.select(Enrolment.status).where(Enrolment.user_id == person.id)) == "confirmed"


def test_bad_requests(session, client):
    event = make_event(session)
    stranger = make_organiser(session)
    token = make_token(session, stranger)
    cancelled = make_event(session, status="cancelled", organisers=event.organisers)
    own = make_token(session, event.organisers[0])
    session.commit()
    url = f"/api/v1/events/{event.id}/invitations"
    assert client.post(url, headers=bearer(token), json={"email": "a@example.org"}).status_code == 403
    bad = client.post(url, headers=bearer(own), json={"email": "not an address"})
    assert bad.status_code == 422 and "email" in bad.get_data(as_text=True)
    assert client.post(url, headers=bearer(own), json={"name": "No address"}).status_code == 422
    assert client.post(url, headers=bearer(own), json={"email": "a@example.org", "language": "xx"}).status_code == 422
    assert client.post(url, headers=bearer(own), json={"email": "a@example.org", "name": "x" * 201}).status_code == 422
    assert client.post(f"/api/v1/events/{cancelled.id}/invitations", headers=bearer(own),
                       json={"email": "a@example.org"}).status_code == 409
    assert client.post("/api/v1/events/999999/invitations", headers=bearer(own),
                       json={"email": "a@example.org"}).status_code == 404
    assert client.post(url, json={"email": "a@example.org"}).status_code == 401
    assert session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_participants_page_form(session, client, auth):
    event = make_event(session, organisers=[make_organiser(session, email="olivia@example.org")])
    session.commit()
    auth.login("olivia@example.org")
    page = client.get(f"/events/{event.id}/participants")
    html = page.get_data(as_text=True)
    assert f"/account/events/{event.id}/invitations" in html
    sent = client.post(f"/account/events/{event.id}/invitations", follow_redirects=True, data={
        "csrf_token": csrf_from(html), "email": "nadia@example.org", "name": "Nadia", "language": "fr"})
    assert "Invitation sent to nadia@example.org." in sent.get_data(as_text=True)
    assert session.scalar(sa.select(Invitation.language)) == "fr"
    bad = client.post(f"/account/events/{event.id}/invitations", follow_redirects=True, data={
        "csrf_token": csrf_from(html), "email": "nope", "language": "fr"})
    assert "Give a valid email address." in bad.get_data(as_text=True)


def test_programme_invitation(session, client):
    programme = make_programme(session)
    token = make_token(session, programme.organisers[0])
    session.commit()
    response = client.post(f"/api/v1/programmes/{programme.id}/invitations", headers=bearer(token),
                           json={"email": "nadia@example.org"})
    assert response.status_code == 201
    link = _mailed_token(session, "nadia@example.org")
    done = _register(client, link)
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/programmes/{programme.slug}")
    user = session.scalar(sa.select(User).where(User.email == "nadia@example.org"))
    assert session.scalar(sa.select(ProgrammeParticipant).where(ProgrammeParticipant.user_id == user.id))


def test_registering_meanwhile_makes_the_link_ask_for_sign_in(session, client):
    event = make_event(session)
    _invite_by_api(client, session, event)
    token = _mailed_token(session, "nadia@example.org")
    make_user(session, email="nadia@example.org")
    session.commit()
    response = _register(client, token)
    assert "An account with this address exists already" in response.get_data(as_text=True)


def test_progress_page_form_and_mail_in_the_chosen_language(session, client, auth):
    organiser = make_organiser(session, email="sipho@example.org")
    programme = make_programme(session, organisers=[organiser], title="Urban climate adaptation")
    session.commit()
    auth.login("sipho@example.org")
    html = client.get(f"/programmes/manage/{programme.id}/progress").get_data(as_text=True)
    assert f"/account/programmes/{programme.id}/invitations" in html
    sent = client.post(f"/account/programmes/{programme.id}/invitations", follow_redirects=True, data={
        "csrf_token": csrf_from(html), "email": "layla@example.org", "name": "Layla", "language": "ar"})
    assert "Invitation sent to layla@example.org." in sent.get_data(as_text=True)
    mail = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_addr == "layla@example.org"))
    # the invitee has no account, so no language: the organiser chose Arabic
    assert mail.text_body.startswith("مرحبًا Layla")
    assert "Urban climate adaptation" in mail.subject
