"""Deleting one's account: the password, the only-organiser rule, then everything personal erased at once
while organiser pages keep working and certificates stay verifiable."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.account import deletion
from app.auth.models import ApiToken, User
from app.certificates.issuing import issue_event_certificates
from app.certificates.models import Certificate
from app.errors import Conflict, ValidationFailed
from app.events.models import Enrolment
from app.learning.models import ModuleCompletion, Submission
from app.mail.models import OutboxMessage
from app.people.models import Profile
from app.sqltypes import utcnow
from tests.certificates.helpers import attendee, completed_programme, enrol, past_event
from tests.conftest import post_form
from tests.factories import TEST_HASH, make_event, make_organiser, make_practice, make_token, make_user


def _delete(session, user, *, password="correct-horse-battery", keep=False):
    return deletion.delete_account(session, user_id=user.id, password=password, keep_certificates_public=keep,
                                   now=utcnow(), hash_method=TEST_HASH)


def test_wrong_or_missing_password_changes_nothing(session):
    user = make_user(session, name="Amal Haddad")
    with pytest.raises(ValidationFailed) as wrong:
        _delete(session, user, password="not-my-password")
    assert wrong.value.reason == "account.password_wrong" and "password" in wrong.value.fields
    with pytest.raises(ValidationFailed) as empty:
        _delete(session, user, password="   ")
    assert empty.value.reason == "account.password_required"
    assert session.get(User, user.id).name == "Amal Haddad"


def test_the_only_organiser_of_something_not_over_is_refused_until_another_is_named(session):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], title="Peer dialogue Irbid")
    past_event(session, organisers=[organiser])  # over: no obstacle
    with pytest.raises(Conflict) as refused:
        _delete(session, organiser)
    assert refused.value.reason == "account.sole_organiser"
    assert "Peer dialogue Irbid" in refused.value.message
    assert session.get(User, organiser.id).email.endswith("@example.org")

    event.organisers.append(make_organiser(session))
    session.flush()
    _delete(session, organiser)
    assert deletion.is_deleted(session.get(User, organiser.id))
    session.refresh(event)
    assert organiser.id not in [o.id for o in event.organisers]


def test_deletion_anonymises_in_one_go(session):
    event = past_event(session)
    user = attendee(session, event, name="Amal Haddad", email="amal@example.org")
    session.execute(sa.update(Enrolment).where(Enrolment.user_id == user.id).values(note="vegetarian, wheelchair"))
    session.add(Profile(user_id=user.id, visibility="public", position="Climate officer"))
    practice = make_practice(session, author=user)
    practice.contact_id = user.id
    make_token(session, user)
    # a place in an event still to come, with someone waiting for it
    upcoming = make_event(session, capacity=1)
    held = enrol(session, upcoming, user)
    waiting = make_user(session)
    enrol(session, upcoming, waiting, status="waitlisted")
    programme, _rows = completed_programme(session, users=[user])
    module = programme.modules[0]
    session.add(Submission(module_id=module.id, user_id=user.id, text="My own words"))
    session.flush()

    _delete(session, user)
    session.expire_all()

    gone = session.get(User, user.id)
    assert gone.name == deletion.ERASED_NAME and gone.email == deletion.erased_email(user.id)
    assert gone.organisation_id is None and gone.country is None and not gone.is_active_account
    assert session.get(Profile, user.id) is None
    assert session.scalar(sa.select(sa.func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(Submission).where(Submission.user_id == user.id)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.to_addr == "amal@example.org")) == 0
    session.refresh(practice)
    assert practice.contact_id is None and practice.author_id is None
    # counts stay: the past enrolment and its attendance, the completions
    past = session.scalar(sa.select(Enrolment).where(Enrolment.event_id == event.id, Enrolment.user_id == user.id))
    assert past.status == "confirmed" and past.checkins and past.note == ""
    assert session.scalar(sa.select(sa.func.count()).select_from(ModuleCompletion).where(
        ModuleCompletion.user_id == user.id)) == len(programme.modules)
    # the seat to come went to the person waiting
    assert session.get(Enrolment, held.id).status == "cancelled"
    assert session.scalar(sa.select(Enrolment.status).where(Enrolment.user_id == waiting.id)) in ("confirmed",
                                                                                                     "offered")
    with pytest.raises(Conflict):
        _delete(session, gone)


def _certificate_for(session, name):
    event = past_event(session, title="Climate-resilient drainage workshop")
    user = attendee(session, event, name=name, email="holder@example.org")
    issue_event_certificates(session, event_id=event.id, actor_id=event.organisers[0].id, now=utcnow())
    certificate = session.scalar(sa.select(Certificate).where(Certificate.holder_id == user.id))
    return event, user, certificate


@pytest.mark.parametrize("keep", [False, True])
def test_certificate_stays_verifiable_with_the_name_only_if_kept(session, client, keep):
    event, user, certificate = _certificate_for(session, "Zoë Müller")
    _delete(session, user, keep=keep)
    session.commit()

    page = client.get(f"/verify/{certificate.code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Climate-resilient drainage workshop" in html
    assert ("Zoë Müller" in html) is keep
    assert ("Holder withheld" in html) is (not keep)
    api = client.get(f"/api/v1/verify/{certificate.code}")
    assert api.status_code == 200
    facts = api.get_json()
    assert facts["valid"] is True and facts["title"] == "Climate-resilient drainage workshop"
    assert facts["holder"] == ("Zoë Müller" if keep else "Holder withheld")
    assert facts["holder_withheld"] is (not keep)


def test_organiser_pages_work_with_a_deleted_person(session, client, auth):
    event, user, certificate = _certificate_for(session, "Zoë Müller")
    programme, _rows = completed_programme(session, users=[user], organisers=[event.organisers[0]])
    organiser = event.organisers[0]
    _delete(session, user)
    session.commit()
    auth.login(organiser.email)
    for url in (f"/events/{event.id}/participants", f"/events/{event.id}/export.csv",
                f"/certificates/event/{event.id}", f"/programmes/manage/{programme.id}/progress",
                f"/programmes/manage/{programme.id}/progress.csv", f"/certificates/programme/{programme.id}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Zoë Müller" not in response.get_data(as_text=True), url
    # the organiser can still download the certificate (rendered without the withheld name)
    pdf = client.get(f"/certificates/{certificate.code}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_delete_page_journey(session, client, auth):
    organiser = make_organiser(session, email="olivia@example.org")
    make_event(session, organisers=[organiser], title="Peer dialogue Irbid")
    session.commit()
    auth.login("olivia@example.org")

    page = client.get("/account/delete")
    assert "Peer dialogue Irbid" in page.get_data(as_text=True)
    refused = post_form(client, "/account/delete", {"password": "correct-horse-battery"})
    assert refused.status_code == 200
    assert "only organiser" in refused.get_data(as_text=True)

    wrong = post_form(client, "/account/delete", {"password": "nope"})
    assert "The password is not correct." in wrong.get_data(as_text=True)


def test_delete_page_success_signs_out_everywhere(session, client, auth, app):
    make_user(session, email="amal@example.org")
    session.commit()
    auth.login("amal@example.org")
    other_device = app.test_client()
    AuthOther = type(auth)
    AuthOther(other_device).login("amal@example.org")

    done = post_form(client, "/account/delete", {"password": "correct-horse-battery"}, follow_redirects=True)
    assert done.status_code == 200
    assert "Your account has been deleted." in done.get_data(as_text=True)
    assert client.get("/auth/profile").status_code == 302
    assert other_device.get("/auth/profile").status_code == 302
    again = auth.login("amal@example.org")
    assert "Email or password is not correct." in again.get_data(as_text=True)


def test_messages_are_in_ones_data_and_lose_the_name_on_deletion(session):
    from app.account.exporters import export_messages
    from app.people.contact_models import Message

    writer = make_user(session, name="Amal Writer", password="correct-horse-battery")
    reader = make_user(session, name="Rita Reader")
    session.add(Message(sender_id=writer.id, recipient_id=reader.id, sender_name=writer.name,
                        recipient_name=reader.name, subject="Greywater", text="How did you fund it?"))
    session.flush()
    assert export_messages(session, writer.id)[0] | {"created_at": None} == {
        "direction": "sent", "subject": "Greywater", "text": "How did you fund it?", "other": "Rita Reader",
        "created_at": None}
    assert export_messages(session, reader.id)[0]["other"] == "Amal Writer"
    _delete(session, writer)
    message = session.scalars(sa.select(Message)).one()
    assert message.sender_name == "" and message.recipient_name == "Rita Reader"  # the reader keeps the message
