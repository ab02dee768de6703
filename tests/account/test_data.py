"""One's data: the export holds everything about the person and nothing of anyone else."""

from __future__ import annotations

import json

from app.auth.models import ApiToken
from app.certificates.issuing import issue_event_certificates
from app.learning.models import Submission
from app.people.models import Profile
from app.practices.models import PracticeInterest
from app.sqltypes import utcnow
from tests.certificates.helpers import attendee, past_event
from tests.factories import (
    bearer,
    join_programme,
    make_module,
    make_practice,
    make_programme,
    make_token,
    make_user,
)


def _history(session):
    """Two people with a bit of everything each; returns (me, other)."""
    event = past_event(session)
    me = attendee(session, event, name="Amal Haddad", email="amal@example.org")
    other = attendee(session, event, name="Bruno Costa", email="bruno@example.org")
    issue_event_certificates(session, event_id=event.id, actor_id=event.organisers[0].id, now=utcnow())
    programme = make_programme(session)
    module = make_module(session, programme, completion="self_study")
    for person, text in ((me, "My reflection on drainage"), (other, "Bruno's secret reflection")):
        join_programme(session, programme, person)
        session.add(Submission(module_id=module.id, user_id=person.id, text=text))
    session.add(Profile(user_id=me.id, visibility="members", position="Climate officer", bio="Hello"))
    session.add(Profile(user_id=other.id, visibility="public", position="Bruno's position"))
    practice = make_practice(session, author=me)
    session.add(PracticeInterest(practice_id=practice.id, organisation_id=other.organisation_id
                                 or make_user(session).organisation_id or practice.organisation_id,
                                 user_id=other.id, note="Bruno's interest note"))
    make_token(session, me)
    make_token(session, other)
    session.flush()
    return me, other


def test_download_holds_everything_of_mine_and_nothing_of_others(session, client, auth):
    me, other = _history(session)
    session.commit()
    auth.login("amal@example.org")

    response = client.get("/account/data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "amal@example.org" and data["account"]["name"] == "Amal Haddad"
    assert data["profile"]["position"] == "Climate officer" and data["profile"]["visibility"] == "members"
    assert len(data["enrolments"]) == 1 and data["enrolments"][0]["attendance"]
    assert [c["holder_name"] for c in data["certificates"]] == ["Amal Haddad"]
    assert data["learning"]["submissions"][0]["text"] == "My reflection on drainage"
    assert data["learning"]["programmes"]
    assert data["practices"]["authored_or_contact"][0]["is_author"] is True
    assert [t["name"] for t in data["api_tokens"]] == ["API token"]

    text = response.get_data(as_text=True)
    for foreign in ("Bruno", "bruno@example.org", "Bruno's secret reflection", "Bruno's interest note"):
        assert foreign not in text
    # no secrets: not the calendar feed's token, not a token hash
    hashes = [t.token_hash for t in session.query(ApiToken).all()]
    assert not any(h in text for h in hashes)


def test_download_needs_sign_in(client):
    response = client.get("/account/data")
    assert response.status_code in (302, 401)


def test_api_me_data_and_constant_queries(session, client, count_queries):
    me, _other = _history(session)
    token = make_token(session, me)
    session.commit()
    client.get("/api/v1/me/data", headers=bearer(token))  # warm: the token's first use writes its date
    with count_queries() as small:
        response = client.get("/api/v1/me/data", headers=bearer(token))
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_json()["account"]["id"] == me.id

    # more history, same number of queries
    for _ in range(3):
        event = past_event(session, organisers=[make_user(session, role="organiser")])
        from tests.certificates.helpers import check_in, enrol
        check_in(session, enrol(session, event, me), event)
    session.commit()
    with count_queries() as large:
        response = client.get("/api/v1/me/data", headers=bearer(token))
    assert len(response.get_json()["enrolments"]) == 4
    assert large.count == small.count


def test_ones_data_holds_what_one_follows(session):
    from app.account.exporters import export_interests
    from app.account.interests import Interests, save_interests
    from app.directory.services import ensure_default_topics

    ensure_default_topics(session)
    member = make_user(session)
    save_interests(session, user_id=member.id, interests=Interests(topics=["circular-economy"], sdg_goals=[11],
                                                                   frequency="monthly"), now=utcnow())
    session.flush()
    data = export_interests(session, member.id)
    assert data["topics"] == ["circular-economy"] and data["sdg_goals"] == [11] and data["frequency"] == "monthly"
