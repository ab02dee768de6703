"""Practice services against a real session: drafting, editing, workflow, interest, lists and facets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.directory.services import ensure_default_topics
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.mail.models import OutboxMessage
from app.practices import services
from app.practices.models import Practice, PracticeRevision
from tests.factories import (
    make_admin,
    make_event,
    make_module,
    make_organisation,
    make_organiser,
    make_practice,
    make_programme,
    make_user,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def topics(session):
    ensure_default_topics(session)


def _member(session, **overrides):
    org = make_organisation(session, name=overrides.pop("org_name", None) or f"Org {id(overrides)}",
                            country=overrides.pop("org_country", "DE"))
    return make_user(session, organisation_id=org.id, **overrides)


def _data(**overrides):
    data = {"title": "Bus rapid transit for Medellín", "summary": "Cable cars and buses.", "country": "co",
            "city": "Medellín", "stage": "scaled", "sdg_targets": ["11.2", "9.1"], "sdg_goals": [13],
            "started_year": 2004, "ended_year": 2010, "results": "30% fewer car trips.",
            "indicators": [{"indicator": "Daily riders", "unit": "people", "baseline": 0, "value": 30000,
                            "year": 2010, "source": "Metro de Medellín"}]}
    data.update(overrides)
    return data


def test_create_practice_makes_a_draft_of_the_authors_organisation(session, topics):
    member = _member(session)
    practice = services.create_practice(session, data=_data(),
                                        actor_id=member.id, now=NOW)
    assert practice.status == "draft"
    assert practice.organisation_id == member.organisation_id
    assert practice.author_id == member.id and practice.contact_id == member.id
    assert practice.country == "CO" and practice.region == "419"
    assert practice.sdg_targets == ["9.1", "11.2"]
    assert practice.sdg_goals == [9, 11, 13]  # each target adds its goal
    assert practice.slug == "bus-rapid-transit-for-medellin"
    assert practice.indicators[0].value == 30000
    revision = session.scalar(sa.select(PracticeRevision).where(PracticeRevision.practice_id == practice.id))
    assert revision.action == "created" and revision.number == 1 and "title" in revision.fields


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("sdg_targets", ["11.9"], "practice.sdg_target_invalid"),
    ("sdg_targets", ["18.1"], "practice.sdg_target_invalid"),
    ("sdg_goals", [0], "practice.sdg_goal_invalid"),
    ("started_year", 1899, "practice.year_range"),
    ("ended_year", 2028, "practice.year_range"),
    ("latitude", 91, "practice.latitude_range"),
    ("longitude", -181, "practice.longitude_range"),
    ("stage", "dreaming", "practice.stage_invalid"),
    ("subdivision", "DE-SN", "practice.subdivision_invalid"),  # not in Colombia
    ("language", "xx", "practice.language_invalid"),
    ("title", "", "text.required"),
    ("colour", "red", "practice.field.unknown"),
])
def test_bad_input_names_the_field_and_writes_nothing(session, field, value, reason):
    member = _member(session)
    with pytest.raises(ValidationFailed) as caught:
        services.create_practice(session, data=_data(**{field: value}), actor_id=member.id, now=NOW)
    assert caught.value.reason == reason
    assert field in caught.value.fields
    assert session.scalar(sa.select(sa.func.count()).select_from(Practice)) == 0


def test_coordinates_come_in_pairs_and_years_in_order(session):
    member = _member(session)
    with pytest.raises(ValidationFailed) as caught:
        services.create_practice(session, data=_data(latitude=6.2), actor_id=member.id, now=NOW)
    assert caught.value.reason == "practice.coordinates_pair"
    with pytest.raises(ValidationFailed) as caught:
        services.create_practice(session, data=_data(started_year=2010, ended_year=2004), actor_id=member.id,
                                 now=NOW)
    assert caught.value.fields == {"ended_year": "practice.years_in_order"}
    practice = services.create_practice(session, data=_data(latitude=6.25, longitude=-75.56,
                                                            subdivision="co-ant"), actor_id=member.id, now=NOW)
    assert practice.subdivision == "CO-ANT"
    # a partial update is checked against the current values
    with pytest.raises(ValidationFailed):
        services.update_practice(session, practice_id=practice.id, data={"started_year": 2011}, actor_id=member.id,
                                 now=NOW)


def test_a_practice_of_someone_elses_organisation_is_refused(session):
    member = _member(session)
    other = make_organisation(session)
    with pytest.raises(Forbidden) as caught:
        services.create_practice(session, data=_data(organisation_id=other.id), actor_id=member.id, now=NOW)
    assert caught.value.reason == "practice.other_organisation"
    organiser = make_organiser(session)
    practice = services.create_practice(session, data=_data(organisation_id=other.id), actor_id=organiser.id,
                                        now=NOW)
    assert practice.organisation_id == other.id


def test_member_without_organisation_cannot_draft(session):
    loner = make_user(session)
    with pytest.raises(ValidationFailed) as caught:
        services.create_practice(session, data=_data(), actor_id=loner.id, now=NOW)
    assert caught.value.reason == "practice.needs_organisation"


def test_links_to_published_events_and_modules_only(session):
    member = _member(session)
    event = make_event(session)
    draft_event = make_event(session, status="draft")
    module = make_module(session, make_programme(session))
    practice = services.create_practice(session, data=_data(event_ids=[event.id], module_ids=[module.id]),
                                        actor_id=member.id, now=NOW)
    assert [e.id for e in practice.events] == [event.id]
    assert [m.id for m in practice.modules] == [module.id]
    with pytest.raises(ValidationFailed) as caught:
        services.update_practice(session, practice_id=practice.id, data={"event_ids": [draft_event.id]},
                                 actor_id=member.id, now=NOW)
    assert caught.value.reason == "practice.events_unknown" and set(caught.value.fields) == {"event_ids"}
    assert services.linked_practice_ids(session, event_id=event.id) == []  # a draft is not listed


def test_update_records_changed_fields_and_who_may_edit(session):
    member = _member(session)
    practice = services.create_practice(session, data=_data(), actor_id=member.id, now=NOW)
    colleague = make_user(session, organisation_id=member.organisation_id)
    services.update_practice(session, practice_id=practice.id, data={"summary": "Better.", "title": practice.title},
                             actor_id=colleague.id, now=NOW)
    revisions = services.revisions(session, practice.id)
    assert revisions[0].fields == ["summary"] and revisions[0].actor_id == colleague.id
    assert practice.revision == 2
    stranger = _member(session, org_name="Elsewhere")
    with pytest.raises(NotFound):  # a draft is invisible to strangers
        services.update_practice(session, practice_id=practice.id, data={"summary": "x"}, actor_id=stranger.id,
                                 now=NOW)
    published = make_practice(session)
    with pytest.raises(Forbidden):
        services.update_practice(session, practice_id=published.id, data={"summary": "x"}, actor_id=stranger.id,
                                 now=NOW)


def test_member_edit_of_published_practice_goes_back_to_review(session):
    practice = make_practice(session)
    services.update_practice(session, practice_id=practice.id, data={"results": "Even better."},
                             actor_id=practice.author_id, now=NOW)
    assert practice.status == "submitted"
    assert services.revisions(session, practice.id)[0].action == "edited_for_review"
    assert set(services.REVISION_ACTIONS) >= {r.action for r in services.revisions(session, practice.id)}
    organiser = make_organiser(session)
    again = make_practice(session)
    services.update_practice(session, practice_id=again.id, data={"results": "Corrected."}, actor_id=organiser.id,
                             now=NOW)
    assert again.status == "published"


def test_workflow_submit_publish_return_archive(session):
    member = _member(session, language="fr")
    practice = services.create_practice(session, data=_data(), actor_id=member.id, now=NOW)
    with pytest.raises(Forbidden) as caught:
        services.publish_practice(session, practice_id=practice.id, actor_id=member.id, now=NOW)
    assert caught.value.reason == "practice.publish_reviewers_only"
    services.submit_practice(session, practice_id=practice.id, actor_id=member.id, now=NOW)
    assert practice.status == "submitted"
    with pytest.raises(Conflict):
        services.submit_practice(session, practice_id=practice.id, actor_id=member.id, now=NOW)
    organiser = make_organiser(session)
    with pytest.raises(ValidationFailed) as caught:
        services.return_practice(session, practice_id=practice.id, actor_id=organiser.id, now=NOW, comment="  ")
    assert caught.value.fields == {"comment": "practice.comment_required"}
    services.return_practice(session, practice_id=practice.id, actor_id=organiser.id, now=NOW,
                             comment="Please add the costs.", base_url="http://cc.test")
    assert practice.status == "returned" and practice.review_comment == "Please add the costs."
    mail = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "practice_returned"))
    assert mail.to_addr == member.email
    assert "Please add the costs." in mail.text_body and f"http://cc.test/practices/{practice.id}/edit" in mail.text_body
    services.submit_practice(session, practice_id=practice.id, actor_id=member.id, now=NOW)
    services.publish_practice(session, practice_id=practice.id, actor_id=organiser.id, now=NOW)
    assert practice.status == "published" and practice.published_at == NOW
    services.archive_practice(session, practice_id=practice.id, actor_id=organiser.id, now=NOW)
    assert practice.status == "archived"
    actions = [r.action for r in reversed(services.revisions(session, practice.id))]
    assert actions == ["created", "submitted", "returned", "submitted", "published", "archived"]


def test_return_email_is_in_the_authors_language(session):
    member = _member(session, language="ar")
    practice = make_practice(session, status="submitted", author=member, organisation=member.organisation)
    services.return_practice(session, practice_id=practice.id, actor_id=make_admin(session).id, now=NOW,
                             comment="Add sources.")
    mail = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "practice_returned"))
    assert 'lang="ar" dir="rtl"' in mail.html_body  # rendered through the author's language, not the request's
    assert "Add sources." in mail.html_body


def test_checklist_checks_what_it_can(session):
    practice = make_practice(session, results="", transferability="Needs a bus lane.",
                             solution="Call +49 341 123 4567 or mail jo@example.org")
    checks = services.check_practice(practice)
    assert checks == {"evidence_of_results": False, "transferability_explained": True, "contact_present": True,
                      "no_personal_data": False, "images_credited": True}
    assert services.personal_data_in("In 2004 it cost 1,200,000 USD for SDG 11.2") == []


def test_interest_one_per_organisation(session):
    practice = make_practice(session)
    member = _member(session, org_name="Da Nang")
    colleague = make_user(session, organisation_id=member.organisation_id)
    services.register_interest(session, practice_id=practice.id, user_id=member.id, note="We have buses.", now=NOW)
    again = services.register_interest(session, practice_id=practice.id, user_id=colleague.id, note="Updated.",
                                       now=NOW)
    assert again.note == "Updated."
    assert services.interest_count(session, practice.id) == 1
    assert [i.organisation_id for i in services.interested(session, practice.id)] == [member.organisation_id]
    with pytest.raises(Conflict):
        services.register_interest(session, practice_id=practice.id, user_id=practice.author_id, now=NOW)
    draft = make_practice(session, status="draft")
    with pytest.raises(NotFound):
        services.register_interest(session, practice_id=draft.id, user_id=member.id, now=NOW)
    services.withdraw_interest(session, practice_id=practice.id, user_id=colleague.id, now=NOW)
    assert services.interest_count(session, practice.id) == 0


def test_visibility(session):
    draft = make_practice(session, status="draft")
    with pytest.raises(NotFound):
        services.visible_practice(session, draft.id, None)
    with pytest.raises(NotFound):
        services.visible_practice(session, draft.id, make_user(session))
    assert services.visible_practice(session, draft.id, make_organiser(session)) is draft
    assert services.visible_practice(session, draft.id, draft.author) is draft
    with pytest.raises(NotFound):
        services.visible_practice(session, 2**40, None)


def test_list_filters_and_facets(session, topics):
    medellin = make_practice(session, title="Metrocable de Medellín", country="CO", sdg_targets=["11.2"], language="es")
    leipzig = make_practice(session, title="Leipzig wastewater", country="DE", sdg_targets=["6.3"], stage="pilot")
    make_practice(session, title="Hidden draft", status="draft", country="DE")
    items, total = services.list_practices(session, filters=services.parse_filters({}), page=1, per_page=10)
    assert total == 2 and {p.id for p in items} == {medellin.id, leipzig.id}
    items, total = services.list_practices(session, filters=services.parse_filters({"q": "medellin"}))
    assert [p.id for p in items] == [medellin.id]
    items, _ = services.list_practices(session, filters=services.parse_filters({"sdg": "6"}))
    assert [p.id for p in items] == [leipzig.id]
    items, _ = services.list_practices(session, filters=services.parse_filters({"region": "150"}))
    assert [p.id for p in items] == [leipzig.id]
    items, _ = services.list_practices(session, filters=services.parse_filters({"language": "es"}))
    assert [p.id for p in items] == [medellin.id]
    facets = services.facet_counts(session, services.parse_filters({}))
    assert facets["country"] == {"CO": 1, "DE": 1}
    assert facets["sdg"] == {"6": 1, "11": 1}
    assert facets["stage"] == {"implemented": 1, "pilot": 1}
    for bad in ({"sdg": "18"}, {"region": "999"}, {"stage": "x"}, {"q": "x" * 5000}, {"country": "ZZ"}):
        with pytest.raises(ValidationFailed) as caught:
            services.parse_filters(bad)
        assert set(caught.value.fields) == set(bad)
    items, total = services.list_practices(session, filters=services.parse_filters({"q": "?!…"}))
    assert (items, total) == ([], 0)


def test_editors_filter_by_status(session):
    draft = make_practice(session, status="draft")
    filters = services.parse_filters({"status": "draft"})
    assert services.list_practices(session, filters=filters, viewer=None) == ([], 0)
    assert services.list_practices(session, filters=filters, viewer=draft.author)[1] == 1
    assert services.list_practices(session, filters=filters, viewer=make_organiser(session))[1] == 1
    assert services.list_practices(session, filters=filters, viewer=make_user(session))[1] == 0


def test_related_practices_prefer_shared_targets(session):
    base = make_practice(session, sdg_targets=["11.2"], sdg_goals=[6])
    same_target = make_practice(session, sdg_targets=["11.2"])
    same_goal = make_practice(session, sdg_goals=[6])
    make_practice(session, sdg_goals=[1])
    make_practice(session, sdg_targets=["11.2"], status="draft")
    assert [p.id for p in services.related_practices(session, base)] == [same_target.id, same_goal.id]


def test_translations_and_pick(session):
    member = _member(session)
    practice = services.create_practice(session, data=_data(translations={"fr": {"title": "Métrocâble",
                                                                                  "summary": "Résumé"}}),
                                        actor_id=member.id, now=NOW)
    shown = services.pick_translation(practice, "fr")
    assert shown.is_translation and shown.fields["title"] == "Métrocâble"
    assert shown.fields["results"] == practice.results  # an empty translated section falls back
    assert not services.pick_translation(practice, "de").is_translation
    assert not services.pick_translation(practice, "fr", original=True).is_translation
    services.set_translation(session, practice_id=practice.id, language="fr", fields=None, actor_id=member.id,
                             now=NOW)
    assert practice.translations == []
    with pytest.raises(ValidationFailed) as caught:
        services.set_translation(session, practice_id=practice.id, language="en", fields={"title": "x"},
                                 actor_id=member.id, now=NOW)
    assert caught.value.reason == "practice.translation_same_language"


def test_list_query_count_is_constant(session, count_queries):
    for _ in range(3):
        make_practice(session, sdg_targets=["11.2"])
    session.commit()
    session.expunge_all()
    with count_queries() as few:
        services.list_practices(session, filters=services.PracticeFilters(), per_page=50)
    for _ in range(12):
        make_practice(session, sdg_targets=["6.1", "11.2"])
    session.commit()
    session.expunge_all()
    with count_queries() as many:
        items, _ = services.list_practices(session, filters=services.PracticeFilters(), per_page=50)
        for item in items:
            services.practice_json(item, base_url="", interest_count=0)
    assert len(items) == 15
    assert many.count == few.count


def test_form_friendly_input(session):
    """Pages send text: numbers, lists and blank key-figure rows as a form gives them."""
    member = _member(session)
    practice = services.create_practice(session, now=NOW, actor_id=member.id, data=_data(
        sdg_goals="13, 11", sdg_targets="11.2", started_year="2004", latitude="6,25", longitude="-75.56",
        indicators=[{"indicator": "Riders", "value": "30000", "year": "2010"},
                    {"indicator": "", "unit": " ", "value": "", "year": ""}]))
    assert practice.sdg_goals == [11, 13] and practice.started_year == 2004 and practice.latitude == 6.25
    assert [row.indicator for row in practice.indicators] == ["Riders"]


def test_linked_practices_and_member_search(session):
    event = make_event(session)
    shown = make_practice(session, events=[event], title="Đà Nẵng river cleanup", city="Đà Nẵng")
    make_practice(session, events=[event], status="draft")
    assert [p.id for p in services.linked_practices(session, event_id=event.id)] == [shown.id]
    items, _ = services.list_practices(session, filters=services.parse_filters({"q": "danang"}))
    assert [p.id for p in items] == [shown.id]
    person = make_user(session, name="Nguyễn Thị Lan")
    found = services.find_members(session, "nguyen")
    assert [row[0] for row in found] == [person.id] and "@" not in str(found)
