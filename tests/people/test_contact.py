"""Contact between members (issue 14, point 2): every refusal, the limit, Reply-To, no address leak, HTML as
text, reports with dismiss and suspend, the recipient's language; pages, API and services on a real database."""

from __future__ import annotations

import email
import email.policy
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.events.models import Enrolment
from app.mail.models import OutboxMessage
from app.mail.services import build_mime, deliver_pending
from app.people import contact as services
from app.people.contact_models import ContactSuspension, Message, MessageReport
from app.people.models import Profile
from app.sqltypes import utcnow
from tests.conftest import csrf_from
from tests.factories import (
    bearer,
    make_admin,
    make_event,
    make_organiser,
    make_practice,
    make_token,
    make_user,
)

SETTINGS = services.ContactSettings(daily_limit=3, new_account_hours=24, network_name="Connective Cities")
ROOMY = services.ContactSettings(daily_limit=1000)
LINKS = services.ContactLinks(report=lambda i: f"http://cc.test/messages/{i}/report",
                              messages="http://cc.test/messages")


def member(session, *, days_old=3, visibility=None, accepts=True, **fields):
    """A user registered `days_old` days ago, with a profile of that visibility (None: no profile)."""
    user = make_user(session, **fields)
    user.created_at = utcnow() - timedelta(days=days_old)
    if visibility is not None:
        session.add(Profile(user_id=user.id, visibility=visibility, accepts_messages=accepts))
    session.flush()
    return user


def send(session, sender, recipient, *, subject="Bus lanes", text="How did you do it?", practice_id=None,
         settings=SETTINGS, now=None):
    return services.send_message(session, sender_id=sender.id, recipient_id=recipient.id, subject=subject,
                                 text=text, now=now or utcnow(), settings=settings, links=LINKS,
                                 origin_url=f"http://cc.test/people/{recipient.id}", practice_id=practice_id)


def mails(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "member-message")
                                .order_by(OutboxMessage.id)))


def parsed(message: OutboxMessage):
    mime = build_mime(message, sender="cc@cc.test")
    return email.message_from_bytes(mime.as_bytes(), policy=email.policy.default)


# ---------------------------------------------------------------------------------------------------
# Sending and the mail


def test_message_is_emailed_with_reply_to_the_sender_in_the_recipients_language(session):
    org = make_practice(session).organisation
    sender = member(session, name="Ana Souza", email="ana@example.org", organisation_id=org.id)
    recipient = member(session, visibility="public", name="Jean Dupont", email="jean@example.org", language="fr")
    message = send(session, sender, recipient)
    [mail] = mails(session)
    assert mail.to_addr == "jean@example.org" and mail.user_id == recipient.id
    mime = parsed(mail)
    assert mime["Reply-To"].addresses[0].addr_spec == "ana@example.org"
    assert mime["Reply-To"].addresses[0].display_name == "Ana Souza"
    text = mime.get_body(("plain",)).get_content()
    assert "Bonjour Jean Dupont," in text  # the recipient's language (French), not the sender's
    assert "Ana Souza" in text and org.name in text and f"http://cc.test/people/{recipient.id}" in text
    assert f"http://cc.test/messages/{message.id}/report" in text
    assert "How did you do it?" in text
    assert message.sender_name == "Ana Souza" and message.recipient_name == "Jean Dupont"


def test_reply_to_reaches_the_smtp_server_and_the_from_stays_the_platform(session, smtp_server, smtp_settings):
    sender = member(session, name="Zoë Müller, PhD", email="zoe@example.org")
    recipient = member(session, visibility="public", email="r@example.org")
    send(session, sender, recipient)
    session.commit()
    assert deliver_pending(session, smtp_settings, now=utcnow()).sent == 1
    [received] = smtp_server.wait_for(1)
    assert received["Reply-To"].addresses[0].addr_spec == "zoe@example.org"
    assert received["Reply-To"].addresses[0].display_name == "Zoë Müller, PhD"
    assert "noreply@cc.test" in received["From"] and "r@example.org" in received["To"]


def test_html_in_a_message_stays_text(session):
    sender = member(session)
    recipient = member(session, visibility="members")
    send(session, sender, recipient, subject="<b>Hi</b>", text='<script>alert(1)</script><a href="x">y</a>')
    [mail] = mails(session)
    html = parsed(mail).get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Hi&lt;/b&gt;" in html
    assert "<script>alert(1)</script>" in parsed(mail).get_body(("plain",)).get_content()  # plain text as written


def test_practice_contact_without_profile_can_be_written_to_from_a_published_practice(session):
    practice = make_practice(session)
    contact = practice.contact
    sender = member(session)
    with pytest.raises(services.NotFound):  # no profile: not through a profile
        send(session, sender, contact)
    message = send(session, sender, contact, practice_id=practice.id)
    assert message.practice_id == practice.id
    assert practice.title in mails(session)[0].text_body
    draft = make_practice(session, status="draft", contact_id=contact.id)
    with pytest.raises(services.NotFound):
        send(session, sender, contact, practice_id=draft.id)
    other = member(session)
    with pytest.raises(services.NotFound):  # not this practice's contact
        send(session, sender, other, practice_id=practice.id)


# ---------------------------------------------------------------------------------------------------
# Refusals


def test_refusals_write_nothing(session):
    sender = member(session)
    hidden = member(session, visibility="hidden")
    no_profile = member(session)
    off = member(session, visibility="public", accepts=False)
    cases = [(hidden, services.NotFound, "contact.not_found"), (no_profile, services.NotFound, "contact.not_found"),
             (off, services.Forbidden, "contact.switched_off")]
    for recipient, error, reason in cases:
        with pytest.raises(error) as caught:
            send(session, sender, recipient)
        assert caught.value.reason == reason
    session.add(Profile(user_id=sender.id, visibility="public"))
    session.flush()
    with pytest.raises(services.Forbidden) as caught:
        send(session, sender, sender)
    assert caught.value.reason == "contact.oneself"
    assert session.scalar(sa.select(sa.func.count(Message.id))) == 0 and mails(session) == []


@pytest.mark.parametrize(("subject", "text", "field", "reason"), [
    ("Hi", "   \n\t ", "text", "contact.text_required"),
    ("  ", "Hello", "subject", "contact.subject_required"),
    ("Hi", "x" * 100_000, "text", "contact.text_too_long"),
    ("x" * 201, "Hello", "subject", "contact.subject_too_long"),
])
def test_bad_input_names_the_field(session, subject, text, field, reason):
    sender = member(session)
    recipient = member(session, visibility="public")
    with pytest.raises(services.ValidationFailed) as caught:
        send(session, sender, recipient, subject=subject, text=text)
    assert field in caught.value.fields and caught.value.reason == reason
    assert mails(session) == []


def test_daily_limit_is_configurable_and_rolling(session):
    sender = member(session)
    recipient = member(session, visibility="public")
    now = utcnow()
    for _ in range(3):
        send(session, sender, recipient, now=now)
    with pytest.raises(services.TooManyMessages) as caught:
        send(session, sender, recipient, now=now)
    assert caught.value.status == 429 and "3 messages" in caught.value.message
    send(session, sender, recipient, now=now + timedelta(hours=24, seconds=1))  # a day later: allowed again
    roomy = services.ContactSettings(daily_limit=10)
    send(session, sender, recipient, now=now + timedelta(hours=24, seconds=2), settings=roomy)
    assert len(mails(session)) == 5


def test_new_accounts_wait_a_day_unless_an_organiser_enrolled_them(session):
    recipient = member(session, visibility="public")
    newcomer = member(session, days_old=0)
    with pytest.raises(services.Forbidden) as caught:
        send(session, newcomer, recipient)
    assert caught.value.reason == "contact.account_too_new"
    # enrolling oneself does not count; an organiser's enrolment does
    event = make_event(session, organisers=[make_organiser(session)])
    session.add(Enrolment(event_id=event.id, user_id=newcomer.id, status="confirmed",
                          ticket_code=secrets.token_hex(5), enrolled_by_id=newcomer.id))
    session.flush()
    with pytest.raises(services.Forbidden):
        send(session, newcomer, recipient)
    invited = member(session, days_old=0)
    session.add(Enrolment(event_id=event.id, user_id=invited.id, status="confirmed",
                          ticket_code=secrets.token_hex(5), enrolled_by_id=event.organisers[0].id))
    session.flush()
    assert send(session, invited, recipient).id


# ---------------------------------------------------------------------------------------------------
# Reports and moderation


def test_report_then_dismiss(session):
    sender = member(session)
    recipient = member(session, visibility="public")
    admin = make_admin(session)
    message = send(session, sender, recipient)
    with pytest.raises(services.NotFound):  # only the recipient reports
        services.report_message(session, message_id=message.id, reporter_id=sender.id, reason="", now=utcnow())
    report = services.report_message(session, message_id=message.id, reporter_id=recipient.id, reason="spam",
                                     now=utcnow())
    again = services.report_message(session, message_id=message.id, reporter_id=recipient.id, reason="x",
                                    now=utcnow())
    assert again.id == report.id and services.open_reports(session) == [report]
    services.dismiss_report(session, report_id=report.id, admin_id=admin.id, now=utcnow())
    assert report.status == "dismissed" and report.handled_by_id == admin.id
    assert services.open_reports(session) == []
    with pytest.raises(services.ValidationFailed):
        services.dismiss_report(session, report_id=report.id, admin_id=admin.id, now=utcnow())
    send(session, sender, recipient)  # still allowed


def test_suspend_stops_the_sender_and_tells_why(session):
    sender = member(session)
    recipient = member(session, visibility="public")
    admin = make_admin(session)
    first, second = send(session, sender, recipient), send(session, sender, recipient)
    r1 = services.report_message(session, message_id=first.id, reporter_id=recipient.id, reason="", now=utcnow())
    r2 = services.report_message(session, message_id=second.id, reporter_id=recipient.id, reason="", now=utcnow())
    with pytest.raises(services.ValidationFailed) as caught:
        services.suspend_sender(session, report_id=r1.id, admin_id=admin.id, reason="  ", now=utcnow())
    assert "reason" in caught.value.fields
    services.suspend_sender(session, report_id=r1.id, admin_id=admin.id, reason="Advertising", now=utcnow())
    assert (r1.status, r2.status) == ("actioned", "actioned")
    assert session.get(ContactSuspension, sender.id).reason == "Advertising"
    with pytest.raises(services.Forbidden) as caught:
        send(session, sender, recipient)
    assert caught.value.reason == "contact.suspended" and "Advertising" in caught.value.message


# ---------------------------------------------------------------------------------------------------
# Pages


def _ready(session):
    sender = member(session, name="Ana Souza", email="ana.sender@example.org")
    recipient = member(session, visibility="members", name="Jean Dupont", email="jean.secret@example.org")
    session.commit()
    return sender, recipient


def test_contact_page_sends_and_never_shows_the_address(session, client, auth):
    sender, recipient = _ready(session)
    auth.login(sender.email)
    url = f"/people/{recipient.id}/contact"
    page = client.get(url)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Jean Dupont" in body and "jean.secret@example.org" not in body
    assert "reply address" in body  # the sender is told before sending
    answer = client.post(url, data={"csrf_token": csrf_from(body), "subject": "<i>Bus</i>",
                                    "text": "<b>Hello</b>"}, follow_redirects=True)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "is sent" in body
    assert "jean.secret@example.org" not in body
    assert "&lt;b&gt;Hello&lt;/b&gt;" in body and "<b>Hello</b>" not in body
    headers = bearer(make_token(session, sender))
    session.commit()
    api = client.get("/api/v1/me/messages", headers=headers)
    assert api.status_code == 200 and api.get_json()["total"] == 1
    assert "jean.secret@example.org" not in api.get_data(as_text=True)


def test_contact_page_refusals_answer_with_the_reason(session, client, auth):
    sender, recipient = _ready(session)
    hidden = member(session, visibility="hidden")
    off = member(session, visibility="public", accepts=False)
    session.commit()
    auth.login(sender.email)
    assert client.get(f"/people/{hidden.id}/contact").status_code == 404
    page = client.get(f"/people/{off.id}/contact")
    assert page.status_code == 403 and "does not accept messages" in page.get_data(as_text=True)
    page = client.post(f"/people/{recipient.id}/contact", data={"subject": "x", "text": "y", "csrf_token": csrf_from(
        client.get(f"/people/{recipient.id}/contact").get_data(as_text=True))}, follow_redirects=True)
    assert page.status_code == 200
    for _ in range(20):
        session.add(Message(sender_id=sender.id, recipient_id=recipient.id, subject="s", text="t",
                            created_at=utcnow()))
    session.commit()
    page = client.get(f"/people/{recipient.id}/contact")
    assert page.status_code == 429 and "last 24 hours" in page.get_data(as_text=True)


def test_visitors_are_sent_to_sign_in(session, client):
    _, recipient = _ready(session)
    assert client.get(f"/people/{recipient.id}/contact").status_code == 302


def test_messages_page_both_sides_report_and_switch_off(session, client, auth, count_queries):
    sender, recipient = _ready(session)
    for n in range(5):
        send(session, sender, recipient, subject=f"Question {n}", settings=ROOMY)
    session.commit()
    auth.login(recipient.email)
    page = client.get("/messages")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and body.count("Report this message") == 5 and "From" in body
    assert body.index("Question 4") < body.index("Question 0")  # newest first
    with count_queries() as few:
        client.get("/messages")
    for n in range(25):
        send(session, sender, recipient, subject=f"More {n}", settings=ROOMY)
    session.commit()
    with count_queries() as many:
        client.get("/messages")
    assert many.count == few.count
    message_id = session.scalar(sa.select(sa.func.min(Message.id)))
    form = client.get(f"/messages/{message_id}/report").get_data(as_text=True)
    client.post(f"/messages/{message_id}/report", data={"csrf_token": csrf_from(form), "reason": "spam"})
    assert session.scalar(sa.select(MessageReport.status)) == "open"
    # contact off
    client.post("/messages/settings", data={"csrf_token": csrf_from(body)})
    session.expire_all()
    assert session.get(Profile, recipient.id).accepts_messages is False
    auth.logout()
    auth.login(sender.email)
    sent = client.get("/messages").get_data(as_text=True)
    assert "To" in sent and "Report this message" not in sent and "jean.secret@example.org" not in sent
    assert client.get(f"/messages/{message_id}/report").status_code == 404  # only the recipient reports
    assert client.get(f"/people/{recipient.id}/contact").status_code == 403


def test_admin_reports_dismiss_and_suspend(session, client, auth):
    sender, recipient = _ready(session)
    admin = make_admin(session)
    m1, m2 = send(session, sender, recipient, text="Buy now"), send(session, sender, recipient, text="Cheap")
    r1 = services.report_message(session, message_id=m1.id, reporter_id=recipient.id, reason="ad", now=utcnow())
    services.report_message(session, message_id=m2.id, reporter_id=recipient.id, reason="ad", now=utcnow())
    session.commit()
    auth.login(recipient.email)
    assert client.get("/admin/reports").status_code == 403
    auth.logout()
    auth.login(admin.email)
    page = client.get("/admin/reports").get_data(as_text=True)
    assert "Buy now" in page and "Cheap" in page
    client.post(f"/admin/reports/{r1.id}/dismiss", data={"csrf_token": csrf_from(page)})
    page = client.get("/admin/reports").get_data(as_text=True)
    assert "Buy now" not in page
    r2 = session.scalar(sa.select(MessageReport.id).where(MessageReport.status == "open"))
    client.post(f"/admin/reports/{r2}/suspend", data={"csrf_token": csrf_from(page), "reason": "Advertising"})
    assert "No open reports" in client.get("/admin/reports").get_data(as_text=True)
    auth.logout()
    auth.login(sender.email)
    page = client.get(f"/people/{recipient.id}/contact")
    assert page.status_code == 403 and "Advertising" in page.get_data(as_text=True)
    auth.logout()
    auth.login(admin.email)
    page = client.get("/admin/reports").get_data(as_text=True)
    assert "Suspended senders" in page and "Advertising" in page
    client.post(f"/admin/suspensions/{sender.id}/lift", data={"csrf_token": csrf_from(page)})
    assert session.get(ContactSuspension, sender.id) is None
    auth.logout()
    auth.login(sender.email)
    assert client.get(f"/people/{recipient.id}/contact").status_code == 200


# ---------------------------------------------------------------------------------------------------
# API


def test_api_send_and_list(session, client):
    sender, recipient = _ready(session)
    off = member(session, visibility="public", accepts=False)
    hidden = member(session, visibility="hidden")
    headers = bearer(make_token(session, sender))
    session.commit()
    answer = client.post(f"/api/v1/people/{recipient.id}/messages", json={"subject": "Hi", "text": "<b>x</b>"},
                         headers=headers)
    assert answer.status_code == 201, answer.get_json()
    data = answer.get_json()
    assert data["direction"] == "sent" and data["recipient"] == {"id": recipient.id, "name": "Jean Dupont"}
    assert "jean.secret@example.org" not in answer.get_data(as_text=True)
    assert client.post(f"/api/v1/people/{off.id}/messages", json={"subject": "Hi", "text": "x"},
                       headers=headers).status_code == 403
    assert client.post(f"/api/v1/people/{hidden.id}/messages", json={"subject": "Hi", "text": "x"},
                       headers=headers).status_code == 404
    assert client.post("/api/v1/people/999999/messages", json={"subject": "Hi", "text": "x"},
                       headers=headers).status_code == 404
    bad = client.post(f"/api/v1/people/{recipient.id}/messages", json={"subject": "Hi", "text": "x" * 100_000},
                      headers=headers)
    assert bad.status_code == 422 and "text" in bad.get_json()["error"]["fields"]
    blank = client.post(f"/api/v1/people/{recipient.id}/messages", json={"subject": "Hi", "text": "  \n "},
                        headers=headers)
    assert blank.status_code == 422 and "text" in blank.get_json()["error"]["fields"]
    listed = client.get("/api/v1/me/messages", headers=headers).get_json()
    assert listed["total"] == 1 and listed["items"][0]["direction"] == "sent"
    their_headers = bearer(make_token(session, recipient))
    session.commit()
    theirs = client.get("/api/v1/me/messages", headers=their_headers)
    assert theirs.get_json()["items"][0]["direction"] == "received"
    assert "ana.sender@example.org" not in theirs.get_data(as_text=True)


def test_api_daily_limit_answers_429(app, session, client):
    sender, recipient = _ready(session)
    headers = bearer(make_token(session, sender))
    session.commit()
    app.config["PEOPLE_DAILY_MESSAGE_LIMIT"] = 2
    try:
        codes = [client.post(f"/api/v1/people/{recipient.id}/messages", json={"subject": "Hi", "text": "x"},
                             headers=headers).status_code for _ in range(3)]
    finally:
        app.config["PEOPLE_DAILY_MESSAGE_LIMIT"] = 10
    assert codes == [201, 201, 429]
    assert len(mails(session)) == 2


def test_practice_page_links_to_its_contact_and_the_mail_names_the_practice(session, client, auth):
    practice = make_practice(session, title="Bike lanes of Leipzig")
    contact = practice.contact
    sender = member(session)
    session.commit()
    link = f"/people/{contact.id}/contact?practice={practice.id}"
    page = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert link.replace("&", "&amp;") in page or link in page
    assert contact.email not in page
    auth.login(sender.email)
    form = client.get(link)
    assert form.status_code == 200 and "Bike lanes of Leipzig" in form.get_data(as_text=True)
    client.post(link, data={"csrf_token": csrf_from(form.get_data(as_text=True)), "subject": "Hi", "text": "Hello"})
    [mail] = mails(session)
    assert f"http://cc.test/practices/{practice.id}" in mail.text_body and "Bike lanes of Leipzig" in mail.text_body
    auth.logout()
    auth.login(contact.email)
    assert link not in client.get(f"/practices/{practice.id}").get_data(as_text=True)  # not to oneself


def test_lists_survive_a_deleted_account(session, client, auth):
    sender, recipient = _ready(session)
    message = send(session, sender, recipient, subject="Before I left")
    services.report_message(session, message_id=message.id, reporter_id=recipient.id, reason="", now=utcnow())
    admin = make_admin(session)
    session.commit()
    session.execute(sa.delete(User).where(User.id == sender.id))  # what account deletion leaves behind
    session.execute(sa.update(Message).where(Message.id == message.id).values(sender_name=""))
    session.commit()
    session.expire_all()
    assert session.get(Message, message.id).sender_id is None
    auth.login(recipient.email)
    page = client.get("/messages").get_data(as_text=True)
    assert "From a deleted account" in page and "Before I left" in page
    auth.logout()
    auth.login(admin.email)
    page = client.get("/admin/reports")
    assert page.status_code == 200 and "a deleted account" in page.get_data(as_text=True)
    assert "Suspend" not in page.get_data(as_text=True)  # nobody left to suspend; dismiss only
