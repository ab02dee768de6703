"""Finding peers: the ranking on a small hand-made case (exact order and reasons), visibility, refusals, the API,
the page and turning a match list into enrolments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.errors import ValidationFailed
from app.events.models import Enrolment
from app.language import translator
from app.people import matching
from app.people.match_queries import find_matches, sql_scores
from app.people.models import Profile, ProfileSdgTarget
from app.practices.models import PracticeTranslation
from tests.conftest import csrf_from
from tests.factories import make_event, make_organisation, make_organiser, make_practice, make_user, topic

TRANSPORT = "sustainable-transport"
CHALLENGE = {"topics": [TRANSPORT], "sdg_targets": ["11.2"], "region": "155", "size_band": "large",
             "languages": ["fr"]}


def make_profile(session, user, *, visibility="public", languages=(), topics=(), sdg_targets=()):
    profile = Profile(user_id=user.id, visibility=visibility, languages=list(languages),
                      topics=[topic(session, slug) for slug in topics],
                      target_rows=[ProfileSdgTarget(target=code) for code in sdg_targets])
    session.add(profile)
    session.flush()
    return profile


@pytest.fixture
def world(session):
    """Four cities, two published practices and a draft, and five profiles of every visibility."""
    leipzig = make_organisation(session, name="Leipzig", country="DE", population=600_000)
    lyon = make_organisation(session, name="Lyon", country="FR", population=520_000)
    krakow = make_organisation(session, name="Kraków", country="PL", population=800_000)
    curitiba = make_organisation(session, name="Curitiba", country="BR", population=1_900_000)
    conference = make_event(session, title="Leipzig conference", starts_at=datetime(2026, 5, 4, 7, tzinfo=UTC),
                            ends_at=datetime(2026, 5, 4, 15, tzinfo=UTC))
    cycling = make_practice(session, organisation=leipzig, title="Cycle streets", language="de",
                            topics=[TRANSPORT], sdg_targets=["11.2"], events=[conference])
    brt = make_practice(session, organisation=curitiba, title="Bus rapid transit", language="pt",
                        sdg_targets=["11.2"])
    brt.translations = [PracticeTranslation(language="fr", title="Bus à haut niveau de service")]
    make_practice(session, organisation=lyon, title="Draft tram", status="draft", topics=[TRANSPORT],
                  sdg_targets=["11.2"], language="fr")
    people = {}
    people["public"] = make_user(session, name="Pauline", organisation_id=lyon.id, country="FR")
    make_profile(session, people["public"], languages=["fr"], topics=[TRANSPORT])
    people["hidden"] = make_user(session, name="Hidden", organisation_id=leipzig.id)
    make_profile(session, people["hidden"], visibility="hidden", languages=["fr"], topics=[TRANSPORT],
                 sdg_targets=["11.2"])
    people["members"] = make_user(session, name="Martin", organisation_id=leipzig.id)
    make_profile(session, people["members"], visibility="members", sdg_targets=["11.2"])
    people["no_org"] = make_user(session, name="Xavier", country="FR")
    make_profile(session, people["no_org"], languages=["en", "fr"])
    people["silent"] = make_user(session, name="Nobody", organisation_id=leipzig.id)
    make_profile(session, people["silent"], visibility="public")  # nothing in common but the region: scores
    session.commit()
    return {"leipzig": leipzig, "lyon": lyon, "krakow": krakow, "curitiba": curitiba, "cycling": cycling,
            "brt": brt, "people": people}


def _challenge(session, data=CHALLENGE):
    from app.people.match_queries import topic_choices

    return matching.parse_challenge(data, known_topics=[t.slug for t in topic_choices(session)])


def test_hand_made_case_exact_order_scores_and_reasons(session, world):
    found = find_matches(session, _challenge(session), signed_in=False)
    assert [(m.kind, m.title, m.score) for m in found] == [
        ("practice", "Cycle streets", 12),  # target 4 + topic 3 + region 2 + size 2 + presented 1
        ("organisation", "Leipzig", 11),  # its practice's target 4 and topic 3 + region 2 + size 2
        ("person", "Pauline", 8),  # topic 3 + region 2 (Lyon) + size 2 + French 1
        ("practice", "Bus rapid transit", 5),  # target 4 + a French translation 1 (another continent)
        ("organisation", "Lyon", 4),  # region 2 + size 2 (its practice is a draft: nothing from it)
        ("organisation", "Curitiba", 4),  # its practice's target 4; equal to Lyon: the smaller id first
        ("person", "Nobody", 4),  # region 2 + size 2 (Leipzig); equal: organisations before people
        ("organisation", "Kraków", 3),  # same continent 1 + size 2
        ("person", "Xavier", 3),  # region 2 by his own country + French 1
    ]
    assert "Hidden" not in [m.title for m in found] and "Martin" not in [m.title for m in found]
    assert "Draft tram" not in [m.title for m in found]
    by_title = {m.title: m for m in found}
    assert [(r.code, r.values) for r in by_title["Cycle streets"].reasons] == [
        ("sdg_targets", {"targets": ["11.2"]}),
        ("topics", {"topics": ["Environmentally compatible transport"]}),
        ("same_region", {"region": "155"}),
        ("similar_size", {"band": "large"}),
        ("presented", {"event": "Leipzig conference", "year": 2026}),
    ]
    assert [(r.code, r.values) for r in by_title["Bus rapid transit"].reasons] == [
        ("sdg_targets", {"targets": ["11.2"]}), ("written_in", {"languages": ["fr"]})]
    assert [(r.code, r.values) for r in by_title["Kraków"].reasons] == [
        ("same_continent", {"region": "150"}), ("similar_size", {"band": "large"})]
    assert [(r.code, r.values) for r in by_title["Xavier"].reasons] == [
        ("same_region", {"region": "155"}), ("speaks", {"languages": ["fr"]})]
    t = translator("en")
    assert [matching.reason_text(r, t) for r in by_title["Cycle streets"].reasons] == [
        "shares SDG target 11.2", "shares the topic Environmentally compatible transport",
        "in the same region (Western Europe)", "a city of similar size (500,000 to 1 million inhabitants)",
        "presented at Leipzig conference (2026)"]
    assert matching.reason_text(by_title["Xavier"].reasons[1], t) == "speaks French"
    assert world["people"]["hidden"].id not in {m.id for m in found if m.kind == "person"}


def test_members_only_profiles_for_signed_in_callers_only_and_hidden_never(session, world):
    challenge = _challenge(session)
    signed_in = find_matches(session, challenge, signed_in=True)
    titles = [m.title for m in signed_in]
    assert "Martin" in titles and "Hidden" not in titles
    # Martin (target 4 + region 2 + size 2 = 8) ties with Pauline: people by id, Pauline was made first
    assert titles[:4] == ["Cycle streets", "Leipzig", "Pauline", "Martin"]
    assert "Martin" not in [m.title for m in find_matches(session, challenge, signed_in=False)]


def test_sql_pre_ranking_agrees_with_the_scoring_module(session, world):
    for data in (CHALLENGE, {"region": "151"}, {"languages": ["fr", "pt"]}, {"sdg_targets": ["11.2", "11.1"]},
                 {"size_band": "metropolis"}, {"topics": [TRANSPORT], "text": "transit"}):
        challenge = _challenge(session, data)
        found = {(m.kind, m.id): m.score for m in find_matches(session, challenge, signed_in=True)}
        assert found == sql_scores(session, challenge, signed_in=True), data


def test_free_text_goes_through_the_site_search(session, world):
    found = find_matches(session, _challenge(session, {"text": "rapid transit"}), signed_in=False)
    assert [(m.title, m.score) for m in found] == [("Bus rapid transit", 3)]
    assert found[0].reasons[0].code == "text"
    assert matching.reason_text(found[0].reasons[0], translator("en")) == "mentions “rapid transit”"


@pytest.mark.parametrize("data, field", [
    ({}, "topics"),
    ({"text": "  !!  "}, "topics"),
    ({"topics": ["no-such-topic"]}, "topics"),
    ({"sdg_targets": ["18.1"]}, "sdg_targets"),
    ({"region": "999"}, "region"),
    ({"size_band": "huge"}, "size_band"),
    ({"languages": ["french"]}, "languages"),
    ({"text": "x" * 201}, "text"),
    ({"topics": 5}, "topics"),
    ({"languages": ["fr"] * 13}, "languages"),
])
def test_bad_challenges_are_refused_naming_the_field(session, data, field):
    with pytest.raises(ValidationFailed) as caught:
        _challenge(session, data)
    assert field in caught.value.fields


def test_size_bands():
    assert [matching.size_band_of(n) for n in (None, 0, 99_999, 100_000, 499_999, 500_000, 999_999, 1_000_000)] \
        == [None, "small", "small", "medium", "medium", "large", "large", "metropolis"]


def test_result_count_is_capped_and_queries_are_constant(session, count_queries):
    def grow(n):
        for _ in range(n):
            org = make_organisation(session, country="DE", population=600_000)
            make_practice(session, organisation=org, topics=[TRANSPORT], sdg_targets=["11.2"])
            person = make_user(session, organisation_id=org.id)
            make_profile(session, person, languages=["fr"], topics=[TRANSPORT])
        session.commit()

    def count():
        with count_queries() as counter:
            found = find_matches(session, _challenge(session), signed_in=True)
        return counter.count, len(found)

    grow(2)
    small, _ = count()
    grow(40)
    large, n = count()
    assert n == matching.MAX_RESULTS
    # never more statements with more data (fewer when the practices alone fill the list: the kinds that cannot
    # beat them are neither ranked nor loaded)
    assert large <= small


def test_api_answers_ranked_items_with_reasons_in_the_callers_language(client, world):
    response = client.post("/api/v1/match", json=CHALLENGE)
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [(i["type"], i["title"], i["score"]) for i in items[:3]] == [
        ("practice", "Cycle streets", 12), ("organisation", "Leipzig", 11), ("person", "Pauline", 8)]
    assert items[0]["url"].endswith(f"/practices/{world['cycling'].id}")
    assert items[0]["reasons"][0] == {"code": "sdg_targets", "values": {"targets": ["11.2"]},
                                      "text": "shares SDG target 11.2"}
    # the reasons follow the request's language: region names are in the catalogue already
    pseudo = client.post("/api/v1/match?lang=en_US_POSIX", json=CHALLENGE).get_json()
    region = next(r for r in pseudo["items"][0]["reasons"] if r["code"] == "same_region")
    assert "⟦" in region["text"] and region["values"] == {"region": "155"}


def test_api_refuses_an_empty_challenge_with_422(client):
    response = client.post("/api/v1/match", json={})
    assert response.status_code == 422
    assert "topics" in response.get_json()["error"]["fields"]
    assert client.post("/api/v1/match", json={"topics": "x"}).status_code == 422
    assert client.post("/api/v1/match", json={"text": 5}).status_code == 422


def test_page_shows_the_form_results_with_reasons_and_the_error(client, world):
    empty = client.get("/match")
    assert empty.status_code == 200 and "Find peers" in empty.get_data(as_text=True)
    refused = client.get("/match?text=")
    assert refused.status_code == 200
    assert "choose at least a topic" in refused.get_data(as_text=True)
    page = client.get("/match", query_string={**CHALLENGE}).get_data(as_text=True)
    assert "Cycle streets" in page and "shares SDG target 11.2" in page
    assert "presented at Leipzig conference (2026)" in page
    assert "Hidden" not in page and "Martin" not in page
    assert 'name="user_ids"' not in page  # visitors enrol nobody


def test_organiser_enrols_people_from_the_list(client, auth, session, world):
    organiser = make_organiser(session, email="org@example.org")
    event = make_event(session, organisers=[organiser], title="Dialogue on transport")
    session.commit()
    auth.login("org@example.org")
    page = client.get("/match", query_string={**CHALLENGE}).get_data(as_text=True)
    assert 'name="user_ids"' in page and "Dialogue on transport" in page
    token = csrf_from(page)
    people = world["people"]
    hidden = client.post("/match/enrol", data={"csrf_token": token, "event_id": event.id,
                                               "user_ids": [people["public"].id, people["hidden"].id]})
    assert hidden.status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0  # nothing half-written
    done = client.post("/match/enrol", data={"csrf_token": token, "event_id": event.id, "next": "/match?region=155",
                                             "user_ids": [people["public"].id, people["members"].id]},
                       follow_redirects=True)
    assert "2 people enrolled" in done.get_data(as_text=True)
    enrolled = session.execute(sa.select(Enrolment.user_id, Enrolment.enrolled_by_id)).all()
    assert sorted(enrolled) == sorted([(people["public"].id, organiser.id), (people["members"].id, organiser.id)])
    again = client.post("/match/enrol", data={"csrf_token": token, "event_id": event.id,
                                              "user_ids": [people["public"].id]}, follow_redirects=True)
    assert "Already enrolled: Pauline" in again.get_data(as_text=True)


def test_enrolling_needs_an_event_the_caller_organises(client, auth, session, world):
    make_organiser(session, email="org@example.org")
    other = make_event(session)  # organised by someone else
    session.commit()
    auth.login("org@example.org")
    page = client.get("/auth/profile").get_data(as_text=True)
    token = csrf_from(page)
    refused = client.post("/match/enrol", data={"csrf_token": token, "event_id": other.id,
                                                "user_ids": [world["people"]["public"].id]}, follow_redirects=True)
    assert refused.status_code == 200
    assert session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0
    participant = make_user(session, email="p@example.org")
    session.commit()
    auth.logout()
    auth.login("p@example.org")
    assert client.post("/match/enrol", data={"csrf_token": csrf_from(client.get("/auth/profile").get_data(
        as_text=True)), "event_id": other.id, "user_ids": [participant.id]}).status_code == 403


# ---------------------------------------------------------------------------------------------------
# The pruned path (practices first, then only who can beat the 30th) against the full scan


def _random_world(session, rng):
    """Enough published practices (and organisations, people) for MAX_RESULTS of them to match, with few distinct
    values so that equal scores are common."""
    import random  # noqa: F401  (rng is a random.Random)

    slugs = [TRANSPORT, "energy-efficiency", "circular-economy"]
    targets = ["11.2", "11.1", "6.1"]
    countries = ["DE", "FR", "PL", "BR", "IT"]
    populations = [50_000, 200_000, 600_000, 2_000_000, None]
    words = ["bus rapid transit", "flood protection", "street lighting", "cycle lanes"]
    events = [make_event(session, title=f"Conference {n}", status=rng.choice(["published", "draft"]))
              for n in range(3)]
    orgs = [make_organisation(session, country=rng.choice(countries), population=rng.choice(populations))
            for _ in range(12)]
    for n in range(70):
        practice = make_practice(session, organisation=rng.choice(orgs), title=f"{rng.choice(words)} {n}",
                                 status=rng.choice(["published"] * 5 + ["draft"]),
                                 language=rng.choice(["de", "fr", "pl", "pt"]),
                                 topics=rng.sample(slugs, rng.randint(0, 2)),
                                 sdg_targets=rng.sample(targets, rng.randint(0, 2)),
                                 events=rng.sample(events, rng.randint(0, 1)))
        if rng.random() < 0.2 and practice.language != "fr":  # (no translation in its own language: refused)
            practice.translations = [PracticeTranslation(language="fr", title=f"Traduction {n}")]
    for n in range(70):
        person = make_user(session, name=f"{rng.choice(words).split()[0].title()} {n}",
                           organisation_id=rng.choice([None, *[o.id for o in orgs]]), country=rng.choice(countries))
        make_profile(session, person, visibility=rng.choice(["public", "public", "members", "hidden"]),
                     languages=rng.sample(["fr", "de", "en"], rng.randint(0, 2)),
                     topics=rng.sample(slugs, rng.randint(0, 2)), sdg_targets=rng.sample(targets, rng.randint(0, 2)))
    session.commit()


PRUNED_CHALLENGES = [
    CHALLENGE,
    {**CHALLENGE, "text": "bus rapid transit"},
    {"sdg_targets": ["11.2", "6.1"], "region": "151"},
    {"sdg_targets": ["11.2"]},
    {"topics": [TRANSPORT, "energy-efficiency"], "languages": ["fr", "de"]},
    {"languages": ["fr"]},
    {"text": "flood protection"},
    {"region": "155", "size_band": "medium", "text": "cycle"},
    {"topics": ["circular-economy"], "sdg_targets": ["6.1"], "size_band": "metropolis", "languages": ["de"]},
]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_pruned_ranking_is_the_full_scans(session, seed):
    import random

    _random_world(session, random.Random(seed))
    for data in PRUNED_CHALLENGES:
        challenge = _challenge(session, data)
        for signed_in in (False, True):
            full = find_matches(session, challenge, signed_in=signed_in, prune=False)
            pruned = find_matches(session, challenge, signed_in=signed_in)
            assert [(m.kind, m.id, m.score, m.reasons) for m in pruned] \
                == [(m.kind, m.id, m.score, m.reasons) for m in full], (seed, data, signed_in)
            assert len(full) == matching.MAX_RESULTS or data == {"text": "flood protection"}, (seed, data)
            # the pruned pre-ranking's scores are the scoring module's too
            scores = sql_scores(session, challenge, signed_in=signed_in, prune=True)
            assert {(m.kind, m.id): scores[(m.kind, m.id)] for m in pruned} \
                == {(m.kind, m.id): m.score for m in pruned}, (seed, data, signed_in)
