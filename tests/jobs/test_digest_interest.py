"""The organiser digest reports new "We want to try this" registrations to the organisers of the events where
the practice was presented and to the reviewer who published it (every admin when there is nobody)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.jobs.digest_interest import interest_audience
from app.mail.models import OutboxMessage
from app.practices.models import PracticeInterest, PracticeRevision, practice_event
from tests.factories import make_admin, make_event, make_organisation, make_organiser, make_user
from tests.jobs.support import run
from tests.practices.support_opendata import published_practice

# 07:05 UTC = 08:05 in Berlin (winter)
MORNING = datetime(2030, 3, 11, 7, 5, tzinfo=UTC)


def _digests(session):
    session.expire_all()
    return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "digest")
                                .order_by(OutboxMessage.id)))


def _interest(session, practice, *, city, country="GH", note="", at):
    org = make_organisation(session, name=city, city=city, country=country)
    member = make_user(session, organisation_id=org.id)
    row = PracticeInterest(practice_id=practice.id, organisation_id=org.id, user_id=member.id, note=note,
                           created_at=at)
    session.add(row)
    session.flush()
    return row


def _published_by(session, practice, reviewer, *, number=1):
    session.add(PracticeRevision(practice_id=practice.id, number=number, actor_id=reviewer.id, action="published",
                                 fields=[], created_at=practice.published_at))
    session.flush()


def test_presenters_and_the_publisher_hear_of_new_interest(app, session):
    presenter = make_organiser(session, name="Olivia", timezone="Europe/Berlin")
    publisher = make_organiser(session, name="Sipho", timezone="Europe/Berlin")
    bystander = make_organiser(session, name="Nobody", timezone="Europe/Berlin")
    make_admin(session, name="Ada", timezone="Europe/Berlin")
    past = make_event(session, organisers=[presenter], title="Waste workshop", starts_at=MORNING - timedelta(days=60),
                      ends_at=MORNING - timedelta(days=59))
    make_event(session, organisers=[bystander], title="Other", starts_at=MORNING + timedelta(days=60),
               ends_at=MORNING + timedelta(days=61))  # a digest recipient with nothing of this to hear
    practice = published_practice(session, title="Repair cafés")
    session.execute(practice_event.insert().values(practice_id=practice.id, event_id=past.id))
    _published_by(session, practice, publisher)
    _interest(session, practice, city="Accra", note="For our markets <b>soon</b>", at=MORNING - timedelta(hours=3))
    _interest(session, practice, city="Old news", at=MORNING - timedelta(days=9))  # before the window
    session.commit()

    result = run(app, session, "organiser-digest", MORNING).result
    assert result == "2 digest(s) sent, 1 with nothing to say"  # the bystander's day is recorded, not mailed
    digests = _digests(session)
    assert sorted(d.to_addr for d in digests) == sorted([presenter.email, publisher.email])
    mail = digests[0]
    assert "1 new interest in practices" in mail.subject
    assert "Accra → “Repair cafés”" in mail.text_body and "For our markets <b>soon</b>" in mail.text_body
    assert f"http://cc.test/practices/{practice.id}" in mail.text_body
    assert "Old news" not in mail.text_body
    assert "For our markets &lt;b&gt;soon&lt;/b&gt;" in mail.html_body and "<bdi>Accra</bdi>" in mail.html_body

    # the next morning nothing is new: interest is reported once
    assert run(app, session, "organiser-digest", MORNING + timedelta(days=1)).result.startswith("0 digest(s) sent")


def test_admins_hear_when_nobody_presented_or_published_it(app, session):
    admin = make_admin(session, timezone="Europe/Berlin")
    gone = make_organiser(session, timezone="Europe/Berlin")
    practice = published_practice(session, title="Night buses")
    _published_by(session, practice, gone)
    gone.role = "participant"  # demoted: hears nothing more
    _interest(session, practice, city="Pune", country="IN", at=MORNING - timedelta(hours=1))
    draft = published_practice(session, title="A draft", status="draft")
    _interest(session, draft, city="Nowhere", at=MORNING - timedelta(hours=1))  # only published practices count
    session.commit()
    assert run(app, session, "organiser-digest", MORNING).result == "1 digest(s) sent, 0 with nothing to say"
    [mail] = _digests(session)
    assert mail.to_addr == admin.email and "Pune" in mail.text_body and "Nowhere" not in mail.text_body


def test_audience_takes_a_constant_number_of_queries(app, session, count_queries):
    reviewer = make_organiser(session)

    def measure():
        session.commit()
        with count_queries() as counter:
            audience = interest_audience(session, since=MORNING - timedelta(days=7), now=MORNING)
        session.rollback()
        return counter.count, audience

    practice = published_practice(session)
    _published_by(session, practice, reviewer)
    _interest(session, practice, city="A", at=MORNING - timedelta(hours=1))
    few, audience = measure()
    assert audience.user_ids == [reviewer.id]
    for n in range(12):
        other = published_practice(session, title=f"P{n}")
        _published_by(session, other, reviewer)
        event = make_event(session, organisers=[make_organiser(session)])
        session.execute(practice_event.insert().values(practice_id=other.id, event_id=event.id))
        _interest(session, other, city=f"City {n}", at=MORNING - timedelta(hours=2))
    many, audience = measure()
    assert many == few and len(audience.user_ids) == 13
