"""Following topics, SDG goals, regions and organisations, and the digest frequency: service, page and API."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.account.interests import Interests, get_interests, save_interests
from app.account.interests_models import MemberInterest, interest_topic
from app.errors import ValidationFailed
from app.sqltypes import utcnow
from tests.conftest import post_form
from tests.factories import bearer, make_organisation, make_token, make_user


def test_a_member_who_never_chose_follows_nothing_weekly(session):
    user = make_user(session)
    interests = get_interests(session, user.id)
    assert interests == Interests() and interests.frequency == "weekly" and not interests.follows_anything


def test_follows_and_frequency_are_replaced_as_a_whole(session):
    user = make_user(session)
    org = make_organisation(session)
    save_interests(session, user_id=user.id, now=utcnow(), interests=Interests(
        topics=["energy-efficiency", "circular-economy"], sdg_goals=[11, 7], regions=["155"],
        organisation_ids=[org.id], frequency="monthly"))
    got = get_interests(session, user.id)
    assert got == Interests(topics=["circular-economy", "energy-efficiency"], sdg_goals=[7, 11], regions=["155"],
                            organisation_ids=[org.id], frequency="monthly")
    save_interests(session, user_id=user.id, now=utcnow(), interests=Interests(sdg_goals=[11], frequency="never"))
    assert get_interests(session, user.id) == Interests(sdg_goals=[11], frequency="never")


@pytest.mark.parametrize(("field", "value", "words"), [
    ("topics", ["no-such-topic"], "no-such-topic"),
    ("sdg_goals", [18], "18"),
    ("sdg_goals", ["7"], "7"),
    ("regions", ["999"], "999"),
    ("organisation_ids", [424242], "424242"),
    ("frequency", "daily", "daily"),
])
def test_bad_values_name_their_field_and_write_nothing(session, field, value, words):
    user = make_user(session)
    save_interests(session, user_id=user.id, now=utcnow(), interests=Interests(topics=["energy-efficiency"]))
    session.commit()
    wanted = Interests(topics=["circular-economy"])
    setattr(wanted, field, value)
    with pytest.raises(ValidationFailed) as caught:
        save_interests(session, user_id=user.id, now=utcnow(), interests=wanted)
    assert field in caught.value.fields and words in caught.value.fields_for()[field]
    session.rollback()
    assert get_interests(session, user.id).topics == ["energy-efficiency"]


def test_too_many_follows_are_refused(session):
    user = make_user(session)
    with pytest.raises(ValidationFailed) as caught:
        save_interests(session, user_id=user.id, now=utcnow(),
                       interests=Interests(organisation_ids=list(range(1, 200))))
    assert "organisation_ids" in caught.value.fields


def test_the_interests_page_saves_what_is_ticked(app, session, client, auth):
    user = make_user(session, email="fan@example.org")
    org = make_organisation(session, name="Leipzig")
    session.commit()
    assert client.get("/account/interests").status_code == 302  # sign in first
    auth.login("fan@example.org")
    page = client.get("/account/interests").get_data(as_text=True)
    assert "Energy efficiency" in page and "Western Europe" in page and "Leipzig" in page
    response = post_form(client, "/account/interests", {
        "topics": ["energy-efficiency"], "sdg_goals": ["11"], "regions": ["155"],
        "organisation_ids": [str(org.id)], "frequency": "monthly"}, follow_redirects=True)
    assert response.status_code == 200 and "Your interests are saved." in response.get_data(as_text=True)
    session.expire_all()
    assert get_interests(session, user.id) == Interests(topics=["energy-efficiency"], sdg_goals=[11],
                                                        regions=["155"], organisation_ids=[org.id],
                                                        frequency="monthly")


def test_the_page_names_a_bad_value_without_a_500(app, session, client, auth):
    make_user(session, email="fan@example.org")
    session.commit()
    auth.login("fan@example.org")
    response = post_form(client, "/account/interests", {"regions": ["999"], "frequency": "weekly"})
    assert response.status_code == 200
    assert "999 is not a UN M49 sub-region code" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(MemberInterest)) == 0


def test_api_get_and_put(app, session, client):
    user = make_user(session)
    org = make_organisation(session)
    token = make_token(session, user)
    session.commit()
    assert client.get("/api/v1/me/interests").status_code == 401
    got = client.get("/api/v1/me/interests", headers=bearer(token))
    assert got.json == {"topics": [], "sdg_goals": [], "regions": [], "organisation_ids": [], "frequency": "weekly"}
    body = {"topics": ["energy-efficiency"], "sdg_goals": [11], "regions": ["155"], "organisation_ids": [org.id],
            "frequency": "monthly"}
    put = client.put("/api/v1/me/interests", json=body, headers=bearer(token))
    assert put.status_code == 200 and put.json == body
    assert client.get("/api/v1/me/interests", headers=bearer(token)).json == body


@pytest.mark.parametrize(("body", "field"), [
    ({"sdg_goals": [0]}, "sdg_goals"),
    ({"regions": ["Europe"]}, "regions"),
    ({"frequency": "daily"}, "frequency"),
    ({"topics": ["nope"]}, "topics"),
    ({"organisation_ids": [99999]}, "organisation_ids"),
    ({"colour": "blue"}, "colour"),
])
def test_api_refuses_bad_input_naming_the_field(app, session, client, body, field):
    user = make_user(session)
    token = make_token(session, user)
    session.commit()
    response = client.put("/api/v1/me/interests", json=body, headers=bearer(token))
    assert response.status_code == 422, response.json
    assert field in str(response.json["error"].get("fields", {})) or field in response.json["error"]["message"]
    assert session.scalar(sa.select(sa.func.count()).select_from(interest_topic)) == 0


def test_the_profile_page_leads_to_the_interests(app, session, client, auth):
    make_user(session, email="fan@example.org")
    session.commit()
    auth.login("fan@example.org")
    assert 'href="/account/interests"' in client.get("/auth/profile").get_data(as_text=True)
