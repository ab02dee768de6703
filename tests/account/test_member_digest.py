"""The member digest: matching items, each once, nothing for no follows or nothing new, the recipient's language,
and the one-click unsubscribe link (RFC 8058 headers, signed token, forged link)."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.account.digest import send_member_digests
from app.account.interests import Interests, get_interests, save_interests
from app.account.interests_models import DigestItemSent, MemberInterest
from app.account.unsubscribe import unsubscribe_token
from app.language import PSEUDO_LOCALE, translator
from app.mail.services import build_mime
from app.sqltypes import utcnow
from tests.factories import make_event, make_organisation, make_practice, make_programme, make_user
from tests.jobs.support import confirmed, outbox, run


def follower(session, *, frequency="weekly", language="en", **follows):
    user = make_user(session)
    user.language = language  # the pseudo-locale is no language one registers with
    save_interests(session, user_id=user.id, now=utcnow() - timedelta(days=1),
                   interests=Interests(frequency=frequency, **follows))
    return user


def digests(session):
    return {m.user_id: m for m in outbox(session, "member-digest")}


def test_a_follower_gets_the_matching_items_and_not_the_others(app, session):
    org = make_organisation(session, name="Curitiba", country="BR")
    fan = follower(session, topics=["energy-efficiency"], sdg_goals=[6], regions=["145"],
                   organisation_ids=[org.id])
    by_topic = make_practice(session, title="LED street lights", topics=["energy-efficiency"])
    by_goal = make_practice(session, title="Clean wells", sdg_goals=[6])
    by_region = make_practice(session, title="Amman buses", country="JO", region="145")
    by_org = make_practice(session, title="Bus rapid transit", organisation=org)
    make_practice(session, title="Unrelated", topics=["circular-economy"])
    make_practice(session, title="A draft", topics=["energy-efficiency"], status="draft")
    make_practice(session, title="Old news", topics=["energy-efficiency"], published_at=utcnow() - timedelta(days=40))
    event = make_event(session, title="Insulation workshop", topics=["energy-efficiency"], capacity=10)
    hosted = make_event(session, title="Hosted in Curitiba", hosts=[org])
    full = make_event(session, title="Full house", topics=["energy-efficiency"], capacity=1)
    confirmed(session, full)
    make_event(session, title="Closed", topics=["energy-efficiency"],
               registration_closes_at=utcnow() - timedelta(hours=1))
    make_event(session, title="Past", topics=["energy-efficiency"], starts_at=utcnow() - timedelta(days=3),
               ends_at=utcnow() - timedelta(days=2))
    programme = make_programme(session, title="Energy managers", topics=["energy-efficiency"])
    make_programme(session, title="Waste school", topics=["circular-economy"])
    nobody = make_user(session)  # follows nothing: never read, never mailed
    session.commit()

    outcome = run(app, session, "member-digest", utcnow() + timedelta(minutes=1))
    assert outcome.result == "1 member digest(s) sent, 0 with nothing new, 7 item(s)"
    mail = digests(session)[fan.id]
    for item in (by_topic, by_goal, by_region, by_org, event, hosted, programme):
        assert item.title in mail.text_body and item.title in mail.html_body
    for title in ("Unrelated", "A draft", "Old news", "Full house", "Closed", "Past", "Waste school"):
        assert title not in mail.text_body
    assert f"/practices/{by_topic.id}" in mail.text_body and f"/events/{event.id}" in mail.text_body
    assert "/programmes/" + programme.slug in mail.text_body
    assert "10 seats left" in mail.text_body
    assert mail.subject == "Connective Cities: 7 new items that match your interests"
    assert nobody.id not in digests(session)


def test_each_item_goes_once_and_an_empty_digest_is_not_sent(app, session):
    fan = follower(session, topics=["energy-efficiency"])
    first = make_practice(session, title="First", topics=["energy-efficiency"])
    event = make_event(session, title="Workshop", topics=["energy-efficiency"])
    session.commit()
    now = utcnow() + timedelta(minutes=1)
    assert run(app, session, "member-digest", now).result.startswith("1 member digest(s) sent")
    # the next day: not due yet (weekly)
    assert run(app, session, "member-digest", now + timedelta(days=1)).result.startswith("0 member digest(s)")
    # a week later nothing new: no mail, but the member was looked at
    assert run(app, session, "member-digest", now + timedelta(days=7)).result == \
        "0 member digest(s) sent, 1 with nothing new, 0 item(s)"
    session.expire_all()
    assert session.get(DigestItemSent, (fan.id, "event", event.id)) is not None
    later = make_practice(session, title="Second", topics=["energy-efficiency"], published_at=now + timedelta(days=8))
    session.commit()
    assert run(app, session, "member-digest", now + timedelta(days=14)).result == \
        "1 member digest(s) sent, 0 with nothing new, 1 item(s)"
    mails = outbox(session, "member-digest")
    assert len(mails) == 2 and "Second" in mails[1].text_body
    assert first.title not in mails[1].text_body and event.title not in mails[1].text_body
    sent = set(session.execute(sa.select(DigestItemSent.kind, DigestItemSent.object_id)
                               .where(DigestItemSent.user_id == fan.id)).all())
    assert sent == {("practice", first.id), ("practice", later.id)}  # the event has started: its record went

    # once the event has started and the practices are older than any run looks, their records go
    run(app, session, "member-digest", now + timedelta(days=90))
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(DigestItemSent)) == 0


def test_monthly_and_never(app, session):
    monthly = follower(session, frequency="monthly", topics=["energy-efficiency"])
    never = follower(session, frequency="never", topics=["energy-efficiency"])
    make_practice(session, topics=["energy-efficiency"])
    session.commit()
    now = utcnow() + timedelta(minutes=1)
    run(app, session, "member-digest", now)
    assert set(digests(session)) == {monthly.id}
    make_practice(session, topics=["energy-efficiency"], published_at=now + timedelta(days=1))
    session.commit()
    assert run(app, session, "member-digest", now + timedelta(days=8)).result.startswith("0 member digest(s)")
    assert run(app, session, "member-digest", now + timedelta(days=30)).result.startswith("1 member digest(s)")
    assert never.id not in digests(session)


def test_members_are_walked_in_batches(app, session):
    fans = [follower(session, regions=["155"]) for _ in range(7)]
    make_practice(session, topics=[])  # a German city: Western Europe
    session.commit()
    result = send_member_digests(session, now=utcnow() + timedelta(minutes=1), config=app.config, batch_size=3)
    session.commit()
    assert (result.sent, result.members) == (7, 7) and set(digests(session)) == {f.id for f in fans}


def test_the_digest_is_in_the_members_language(app, session):
    pseudo = follower(session, language=PSEUDO_LOCALE, topics=["energy-efficiency"])
    arabic = follower(session, language="ar", topics=["energy-efficiency"])
    make_event(session, title="Insulation workshop", topics=["energy-efficiency"])
    session.commit()
    run(app, session, "member-digest", utcnow() + timedelta(minutes=1))
    mails = digests(session)
    p = translator(PSEUDO_LOCALE)
    mine = mails[pseudo.id]
    assert mine.subject == p.ngettext("%(network)s: %(num)d new item that matches your interests",
                                      "%(network)s: %(num)d new items that match your interests", 1,
                                      network="Connective Cities")
    assert p.gettext("Upcoming events with seats") in mine.text_body
    assert f'<html lang="{p.html_lang}"' in mine.html_body
    ar = translator("ar")
    theirs = mails[arabic.id]
    assert '<html lang="ar" dir="rtl">' in theirs.html_body
    assert ar.gettext("Upcoming events with seats") in theirs.text_body


def test_one_click_unsubscribe_with_the_headers(app, session, client):
    fan = follower(session, topics=["energy-efficiency"])
    make_practice(session, topics=["energy-efficiency"])
    session.commit()
    run(app, session, "member-digest", utcnow() + timedelta(minutes=1))
    message = digests(session)[fan.id]
    raw = bytes(build_mime(message, sender="cc@cc.test"))
    mime = email.message_from_bytes(raw, policy=email.policy.default)
    assert mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(mime["List-Unsubscribe"])
    assert link.startswith("<http") and link.endswith(">")
    assert f"\r\nList-Unsubscribe: {link}\r\n".encode() in raw or f"\nList-Unsubscribe: {link}\n".encode() in raw
    url = link.strip("<>")
    assert url in message.text_body
    path = url.split("://", 1)[1].split("/", 1)[1]

    page = client.get("/" + path)  # a GET shows the button and writes nothing
    assert page.status_code == 200 and "Unsubscribe" in page.get_data(as_text=True)
    session.expire_all()
    assert get_interests(session, fan.id).frequency == "weekly"

    # what a mail client sends (RFC 8058): no session, no CSRF token
    done = client.post("/" + path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "no more digests" in done.get_data(as_text=True)
    session.expire_all()
    assert get_interests(session, fan.id) == Interests(topics=["energy-efficiency"], frequency="never")
    make_practice(session, topics=["energy-efficiency"])
    session.commit()
    assert run(app, session, "member-digest", utcnow() + timedelta(days=8)).result.startswith("0 member digest(s)")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_altered_link_is_a_clear_400(app, session, client, method):
    fan = follower(session, topics=["energy-efficiency"])
    session.commit()
    good = unsubscribe_token(app.config["SECRET_KEY"], fan.id)
    for token in (good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
                  unsubscribe_token("another-secret-key-entirely-0123456789", fan.id),
                  "MQ", "not a token"):
        response = getattr(client, method)(f"/account/unsubscribe/{token}")
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(MemberInterest, fan.id).frequency == "weekly"


def test_queries_per_batch_do_not_grow_with_members_beyond_the_mail_itself(app, session, count_queries):
    make_practice(session, topics=["energy-efficiency"])
    make_event(session, topics=["energy-efficiency"])

    def queries_for(added: int, total: int) -> int:
        for _ in range(added):
            follower(session, topics=["energy-efficiency"])
        session.commit()
        with count_queries() as counter:
            result = send_member_digests(session, now=utcnow() + timedelta(minutes=1), config=app.config)
        session.rollback()  # nothing kept: the next call sees every member as due again
        assert result.sent == total
        return counter.count

    few, many = queries_for(2, 2), queries_for(6, 8)
    per_mail = 2  # queue_email: its dedupe look-up and the outbox insert
    assert many - few == per_mail * (8 - 2)
