"""The outbox: queued in the caller's transaction, delivered over a real SMTP server on loopback."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.mail.models import OutboxMessage
from app.mail.services import SmtpSettings, deliver_pending, queue_email, retry_message
from app.sqltypes import utcnow


def _queue(session, n=1, **kw):
    now = utcnow()
    for i in range(n):
        queue_email(session, to=f"r{i}@example.org", subject=f"Hello {i} – ü", text="Body ü ñ Ж 🎉", now=now, **kw)
    session.commit()


def test_messages_delivered_once(session, smtp_server, smtp_settings):
    _queue(session, 3, html="<p>Hi</p>")
    report = deliver_pending(session, smtp_settings, now=utcnow())
    assert report.sent == 3
    messages = smtp_server.wait_for(3)
    assert sorted(m["To"] for m in messages) == ["r0@example.org", "r1@example.org", "r2@example.org"]
    body = messages[0].get_body(("plain",)).get_content()
    assert "Body ü ñ Ж 🎉" in body
    assert messages[0].get_body(("html",)).get_content().strip() == "<p>Hi</p>"
    again = deliver_pending(session, smtp_settings, now=utcnow())
    assert again.sent == 0
    assert len(smtp_server.messages) == 3
    statuses = set(session.scalars(sa.select(OutboxMessage.status)))
    assert statuses == {"sent"}


def test_queue_is_part_of_the_callers_transaction(session):
    queue_email(session, to="x@example.org", subject="s", text="t", now=utcnow())
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_dedupe_key_makes_queueing_idempotent(session):
    now = utcnow()
    assert queue_email(session, to="x@example.org", subject="s", text="t", now=now, dedupe_key="k1") is not None
    assert queue_email(session, to="x@example.org", subject="s", text="t", now=now, dedupe_key="k1") is None
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_smtp_down_keeps_messages_and_retries_with_backoff(session, smtp_server, smtp_settings):
    _queue(session, 2)
    smtp_server.stop()
    now = utcnow()
    report = deliver_pending(session, smtp_settings, now=now)
    assert report.sent == 0 and report.retried == 2
    rows = list(session.scalars(sa.select(OutboxMessage)))
    assert all(r.status == "pending" and r.attempts == 1 and r.next_attempt_at > now for r in rows)
    smtp_server.start()
    # not yet due: nothing is sent
    assert deliver_pending(session, smtp_settings, now=now).sent == 0
    later = now + timedelta(minutes=5)
    assert deliver_pending(session, smtp_settings, now=later).sent == 2
    assert len(smtp_server.wait_for(2)) == 2


def test_gives_up_after_max_attempts_and_admin_can_retry(session, smtp_server):
    _queue(session, 1)
    settings = SmtpSettings(server="127.0.0.1", port=smtp_server.port, max_attempts=2)
    smtp_server.stop()
    now = utcnow()
    deliver_pending(session, settings, now=now)
    deliver_pending(session, settings, now=now + timedelta(hours=1))
    message = session.scalar(sa.select(OutboxMessage))
    assert message.status == "failed" and message.attempts == 2 and message.last_error
    retry_message(session, message.id, now=now)
    session.commit()
    smtp_server.start()
    assert deliver_pending(session, settings, now=now + timedelta(hours=2)).sent == 1


def test_without_mail_server_messages_stay(session):
    _queue(session, 2)
    report = deliver_pending(session, SmtpSettings(server=None), now=utcnow())
    assert report.skipped == 2 and report.sent == 0
    assert set(session.scalars(sa.select(OutboxMessage.status))) == {"pending"}


def test_flask_mail_deliver_command(app, runner, session, smtp_server):
    _queue(session, 1)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    try:
        result = runner.invoke(args=["mail", "deliver"])
    finally:
        app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(smtp_server.wait_for(1)) == 1


def test_a_name_with_commas_and_accents_stays_one_recipient(session, smtp_server, smtp_settings):
    name = 'Müller, Zoë; "Zo" Ж'
    queue_email(session, to="zoe@example.org", to_name=name, subject="Line one\r\nBcc: evil@example.org",
                text="t", now=utcnow())
    session.commit()
    assert deliver_pending(session, smtp_settings, now=utcnow()).sent == 1
    [message] = smtp_server.wait_for(1)
    assert smtp_server.envelopes == [("noreply@cc.test", ["zoe@example.org"])]
    [address] = message["To"].addresses
    assert address.display_name == name and address.addr_spec == "zoe@example.org"
    assert message["Subject"] == "Line one Bcc: evil@example.org" and message["Bcc"] is None


def test_a_message_that_cannot_be_built_fails_without_blocking_the_queue(session, smtp_server, smtp_settings):
    now = utcnow()
    queue_email(session, to="broken@example.org", subject="broken", text="t", now=now - timedelta(minutes=1),
                attachments=[{"filename": "x.txt", "content_type": "text/plain"}])  # no content
    queue_email(session, to="fine@example.org", subject="fine", text="t", now=now)
    session.commit()
    report = deliver_pending(session, smtp_settings, now=now)
    assert (report.sent, report.failed) == (1, 1)
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["fine@example.org"]
    broken = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_addr == "broken@example.org"))
    assert broken.status == "failed" and broken.attempts == 1 and "KeyError" in broken.last_error
    assert deliver_pending(session, smtp_settings, now=now + timedelta(days=1)).sent == 0


# A sender killed after the SMTP server accepted a message ------------------------------------------------

_DELIVER_ONCE = """
import sys
from config import TestingConfig
from app import create_app
from app.extensions import db
from app.mail.services import SmtpSettings, deliver_pending
from app.sqltypes import utcnow

class Config(TestingConfig):
    SQLALCHEMY_DATABASE_URI = sys.argv[1]

with create_app(Config).app_context():
    settings = SmtpSettings(server="127.0.0.1", port=int(sys.argv[2]), sender="Connective Cities <noreply@cc.test>")
    deliver_pending(db.session, settings, now=utcnow())
"""


def test_a_message_resent_after_a_crash_keeps_its_message_id(session, database_url, smtp_server, smtp_settings):
    """`flask mail deliver` is killed while the SMTP server accepts the message, before the sent mark: the next
    pass sends it again (nothing is lost), with the same Message-ID, so receivers can drop the duplicate."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    _queue(session, 1)
    session.close()
    sender: list[subprocess.Popen] = []
    accept = smtp_server.handle_DATA

    async def accept_then_kill(server, smtp_session, envelope):
        reply = await accept(server, smtp_session, envelope)
        os.kill(sender[0].pid, signal.SIGKILL)  # the process dies before it hears the 250
        sender[0].wait(timeout=10)
        return reply

    smtp_server.handle_DATA = accept_then_kill
    root = Path(__file__).resolve().parents[2]
    sender.append(subprocess.Popen([sys.executable, "-c", _DELIVER_ONCE, database_url, str(smtp_server.port)],
                                   cwd=root))
    assert sender[0].wait(timeout=60) == -signal.SIGKILL
    smtp_server.handle_DATA = accept
    [first] = smtp_server.wait_for(1)
    message = session.scalar(sa.select(OutboxMessage))
    assert message.status == "sending"  # the sent mark was lost with the process
    # the next pass, once the dead sender's claim has lapsed, sends it again
    later = utcnow() + timedelta(minutes=10)
    assert deliver_pending(session, smtp_settings, now=later).sent == 1
    first, second = smtp_server.wait_for(2)
    assert first["Message-ID"] and second["Message-ID"] == first["Message-ID"]
    session.expire_all()
    message = session.scalar(sa.select(OutboxMessage))
    assert message.status == "sent" and message.message_id == first["Message-ID"]


def test_the_message_id_is_stored_when_the_message_is_claimed(session, smtp_server, smtp_settings):
    _queue(session, 1)
    smtp_server.stop()  # the attempt fails: the Message-ID chosen for it is kept for the next one
    now = utcnow()
    deliver_pending(session, smtp_settings, now=now)
    message = session.scalar(sa.select(OutboxMessage))
    assert message.status == "pending" and message.message_id and message.message_id.endswith("@cc.test>")
    chosen = message.message_id
    smtp_server.start()
    assert deliver_pending(session, smtp_settings, now=now + timedelta(hours=1)).sent == 1
    [received] = smtp_server.wait_for(1)
    assert received["Message-ID"] == chosen


# Subjects: never an empty encoded word ------------------------------------------------------------------

# Python's header folder writes an empty encoded word (=?utf-8?q??=) when a non-ASCII word starts where the
# line has too little room left for one encoded character: these subjects hit exactly that.
FOLDING_SUBJECTS = [
    "a xxxxxxxxxxxxxxxxxxxx Jun xxxxxxxxxxxxxxxxxxxx new 🎉 time Ж 2026) – 🎉 Updated: xxxxxxxxxxxxxxxxxxxx",
    "xxxxxxxxxxxxxxxxxxxx   Jun xxxxxxxxxxxxxxxxxxxx time Über (21  ",
    "Updated: Klimaanpassung in Städten und Gemeinden, Erfahrungen aus Leipzig (21 Jun 2026) — new time",
    "Invitation: " + "Ж" * 40 + " (21 Jun 2026)",
]


@pytest.mark.parametrize("subject", FOLDING_SUBJECTS)
def test_subjects_have_no_empty_encoded_word_and_read_back_exactly(session, smtp_server, smtp_settings, subject):
    queue_email(session, to="x@example.org", subject=subject, text="t", now=utcnow())
    session.commit()
    assert deliver_pending(session, smtp_settings, now=utcnow()).sent == 1
    [message] = smtp_server.wait_for(1)
    raw = dict(message.raw_items())["Subject"]  # as it crossed the wire, folded
    assert "?q??=" not in raw.lower() and "?b??=" not in raw.lower(), raw
    assert message["Subject"] == subject
    assert all(len(line) <= 78 for line in message.as_bytes().split(b"\n"))


def test_calendar_parts_name_their_method_and_charset(session, smtp_server, smtp_settings):
    ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nX-WR-CALNAME:Zoë\r\nEND:VCALENDAR\r\n"
    queue_email(session, to="x@example.org", subject="s", text="t", now=utcnow(), ics_method="REQUEST", ics=ics,
                attachments=[{"filename": "a.ics", "content_type": "text/calendar", "method": "PUBLISH",
                              "content": ics.replace("REQUEST", "PUBLISH")}])
    session.commit()
    assert deliver_pending(session, smtp_settings, now=utcnow()).sent == 1
    [message] = smtp_server.wait_for(1)
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert [(p.get_param("method"), p.get_content_charset()) for p in parts] == [("REQUEST", "utf-8"),
                                                                                 ("PUBLISH", "utf-8")]
    assert all("Zoë" in p.get_content() for p in parts)


def test_extra_headers_arrive_as_given_and_only_allowed_ones(session, smtp_server, smtp_settings):
    url = "<https://connective-cities.example.org/account/unsubscribe/MQ.4RCFqWoKMWdY17eN_4TfNKC7XUk-long-enough>"
    queue_email(session, to="r@example.org", subject="Digest", text="Body", now=utcnow(),
                extra_headers={"List-Unsubscribe": url, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    session.commit()
    assert deliver_pending(session, smtp_settings, now=utcnow()).sent == 1
    message = smtp_server.wait_for(1)[0]
    # one line, not folded into encoded words: List-Unsubscribe readers take the URL as it stands
    assert message["List-Unsubscribe"] == url and message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert dict(message.raw_items())["List-Unsubscribe"].strip() == url
    with pytest.raises(ValueError):
        queue_email(session, to="r@example.org", subject="x", text="x", now=utcnow(), extra_headers={"Bcc": "a@b.c"})
