"""The yearly "is this still current?": who is asked and when, the email in the contact's language through
the real outbox, the signed expiring link, and the confirmation page (GET never writes)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.errors import ValidationFailed
from app.language import translator
from app.mail.services import SmtpSettings, deliver_pending
from app.practices import verification
from app.practices.models import Practice, PracticeRevision
from tests.conftest import csrf_from
from tests.factories import make_organisation, make_user
from tests.jobs.support import outbox, run, smtp_config
from tests.practices.support_opendata import PUBLISHED, published_practice

A_YEAR_LATER = PUBLISHED + timedelta(days=366)


def _link(message) -> str:
    return re.search(r"http://cc\.test(/practices/\d+/still-current/\S+)", message.text_body).group(1)


def test_asks_the_contact_once_a_year_and_is_idempotent(app, session):
    org = make_organisation(session)
    contact = make_user(session, name="Kwame", organisation_id=org.id)
    due = published_practice(session, organisation=org, contact=contact, title="Fish market")
    published_practice(session, organisation=org, contact=contact, title="Too new",
                       published_at=A_YEAR_LATER - timedelta(days=100))
    published_practice(session, organisation=org, contact=contact, title="Verified lately",
                       last_verified_at=A_YEAR_LATER - timedelta(days=10))
    published_practice(session, organisation=org, contact=contact, title="A draft", status="draft",
                       created_at=PUBLISHED)
    published_practice(session, organisation=org, contact=contact, title="Archived", status="archived")
    session.commit()

    assert run(app, session, "practice-verification", A_YEAR_LATER - timedelta(days=2)).result == \
        "0 contact person(s) asked"
    assert run(app, session, "practice-verification", A_YEAR_LATER).result == "1 contact person(s) asked"
    # a second run the same day, or within 30 days, asks nobody again
    assert run(app, session, "practice-verification", A_YEAR_LATER + timedelta(hours=1)).result.startswith("0 ")
    assert run(app, session, "practice-verification", A_YEAR_LATER + timedelta(days=29)).result.startswith("0 ")
    [message] = outbox(session, "practice-verification")
    assert message.to_addr == contact.email and message.user_id == contact.id
    assert message.subject == "Is “Fish market” still current?"
    assert "Hello Kwame," in message.text_body and _link(message).startswith(f"/practices/{due.id}/still-current/")
    assert "Fish market" in message.html_body
    session.expire_all()
    assert session.get(Practice, due.id).verification_requested_at == A_YEAR_LATER
    # not answered: asked again after 30 days
    assert run(app, session, "practice-verification", A_YEAR_LATER + timedelta(days=31)).result.startswith("1 ")


def test_the_email_is_in_the_contacts_language_and_reaches_smtp(app, session, smtp_server):
    contact = make_user(session, name="Aminata")
    contact.language = "en_US_POSIX"  # the pseudo-locale: what went through the catalogue shows as ⟦…⟧
    published_practice(session, contact=contact, title="Bus rapide")
    session.commit()
    run(app, session, "practice-verification", A_YEAR_LATER)
    [message] = outbox(session, "practice-verification")
    # through the recipient's catalogue (⟦…⟧ once `make translations` has the new sentences)
    pseudo = translator("en_US_POSIX")
    assert message.subject == pseudo.gettext("Is “%(title)s” still current?", title="Bus rapide")
    assert pseudo.gettext("Hello %(name)s,", name="Aminata") in message.text_body
    assert 'lang="en-US-POSIX"' in message.html_body
    report = deliver_pending(session, SmtpSettings.from_config({**app.config, **smtp_config(smtp_server)}),
                             now=A_YEAR_LATER)
    session.commit()
    assert report.sent == 1
    [received] = smtp_server.wait_for(1)
    assert smtp_server.envelopes[0][1] == [contact.email]
    assert "/still-current/" in received.get_body(("plain",)).get_content()


def test_nobody_to_ask_without_an_active_contact(app, session):
    gone = make_user(session)
    gone.is_active_account = False
    published_practice(session, contact=gone)
    published_practice(session, contact_id=None)
    session.commit()
    assert run(app, session, "practice-verification", A_YEAR_LATER).result == "0 contact person(s) asked"


def _asked(app, session, **practice):
    contact = make_user(session)
    practice = published_practice(session, contact=contact, **practice)
    session.commit()
    run(app, session, "practice-verification", A_YEAR_LATER)
    [message] = outbox(session, "practice-verification")
    return practice, contact, _link(message)


def test_confirming_records_last_verified_at_and_a_revision(app, session, client):
    practice, contact, link = _asked(app, session)
    before = client.get(link)
    assert before.status_code == 200
    page = before.get_data(as_text=True)
    assert "Solar roofs on schools" in page and "Yes, it is still current" in page
    session.expire_all()
    assert session.get(Practice, practice.id).last_verified_at is None  # GET never writes
    assert session.scalar(sa.select(sa.func.count()).select_from(PracticeRevision)) == 0

    answer = client.post(link, data={"csrf_token": csrf_from(page), "confirm": "1"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/practices/{practice.id}")
    session.expire_all()
    confirmed = session.get(Practice, practice.id)
    assert confirmed.last_verified_at is not None
    [revision] = session.scalars(sa.select(PracticeRevision))
    assert (revision.action, revision.actor_id, revision.fields, revision.number) == \
        ("verified", contact.id, ["last_verified_at"], confirmed.revision)
    from app.practices.services import REVISION_ACTIONS

    assert "verified" in REVISION_ACTIONS  # the revisions list has a label for it
    # a year on, the next question counts from the confirmation
    from app.sqltypes import utcnow

    assert run(app, session, "practice-verification", utcnow() + timedelta(days=300)).result.startswith("0 ")


def test_needs_an_update_leads_to_the_edit_page_without_writing(app, session, client):
    practice, _contact, link = _asked(app, session)
    page = client.get(link).get_data(as_text=True)
    answer = client.post(link, data={"csrf_token": csrf_from(page), "update": "1"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/practices/{practice.id}/edit")
    session.expire_all()
    assert session.get(Practice, practice.id).last_verified_at is None


def test_a_post_without_csrf_changes_nothing(app, session, client):
    practice, _contact, link = _asked(app, session)
    assert client.post(link, data={"confirm": "1"}).status_code in (200, 400)
    session.expire_all()
    assert session.get(Practice, practice.id).last_verified_at is None


def test_bad_links_are_refused_with_a_clear_page(app, session, client):
    practice, _contact, link = _asked(app, session)
    other = published_practice(session, title="Other")
    session.commit()
    token = link.rsplit("/", 1)[1]
    # another practice's number with this token, a forged token, an unknown or unpublished practice
    wrong = client.get(f"/practices/{other.id}/still-current/{token}")
    assert wrong.status_code == 400 and "This link is not valid" in wrong.get_data(as_text=True)
    assert client.get(f"/practices/{practice.id}/still-current/{token[:-3]}abc").status_code == 400
    assert client.get(f"/practices/999999/still-current/{token}").status_code == 404
    assert client.post(f"/practices/{other.id}/still-current/{token}", data={"confirm": "1"}).status_code == 400
    draft = published_practice(session, status="draft")
    session.commit()
    assert client.get(f"/practices/{draft.id}/still-current/x").status_code == 404


def test_links_expire_and_die_when_the_contact_changes(app, session):
    secret = app.config["SECRET_KEY"]
    practice = published_practice(session)
    token = verification.make_token(secret, practice)
    from app.sqltypes import utcnow

    verification.check_token(secret, token, practice, now=utcnow())
    with pytest.raises(ValidationFailed) as expired:
        verification.check_token(secret, token, practice, now=utcnow() + timedelta(days=61))
    assert expired.value.reason == "practice.verification.link_expired"
    assert expired.value.fields == {"token": "practice.verification.link_expired"}
    # a token of another purpose (another salt) is worth nothing here
    from itsdangerous import URLSafeTimedSerializer

    reset_like = URLSafeTimedSerializer(secret, salt="password-reset").dumps({"p": practice.id,
                                                                             "c": practice.contact_id})
    with pytest.raises(ValidationFailed):
        verification.check_token(secret, reset_like, practice, now=utcnow())
    practice.contact_id = make_user(session).id
    with pytest.raises(ValidationFailed) as changed:
        verification.check_token(secret, token, practice, now=utcnow())
    assert changed.value.reason == "practice.verification.link_invalid"


def test_expired_link_page_says_so(app, session, client, monkeypatch):
    practice, _contact, link = _asked(app, session)
    monkeypatch.setattr(verification, "LINK_VALID_FOR", timedelta(seconds=-1))
    monkeypatch.setattr(verification.check_token, "__kwdefaults__", {"max_age": timedelta(seconds=-1)})
    response = client.get(link)
    assert response.status_code == 410 and "This link has expired" in response.get_data(as_text=True)
