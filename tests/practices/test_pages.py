"""The practice pages: list and facets, a practice's page, drafting and editing, translations, "We want to try
this", and what the events and programme pages show of practices."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.practices.models import Practice, PracticeInterest, PracticeTranslation
from tests.conftest import post_form
from tests.factories import (
    make_event,
    make_module,
    make_organisation,
    make_organiser,
    make_practice,
    make_programme,
    make_user,
)


def _member(session, **overrides):
    org = make_organisation(session, country=overrides.pop("org_country", "DE"))
    return make_user(session, organisation_id=org.id, **overrides)


def _text(response) -> str:
    return response.get_data(as_text=True)


# ---------------------------------------------------------------------------------------------------
# The list


def test_list_shows_published_practices_with_facets_that_keep_the_filters(session, client):
    make_practice(session, title="Cable cars of Medellín", country="CO", topics=["sustainable-transport"],
                  sdg_targets=["11.2"], stage="scaled")
    make_practice(session, title="Solar schools", country="DE", topics=["energy-efficiency"], sdg_goals=[7])
    make_practice(session, title="Secret draft", status="draft")
    session.commit()

    page = _text(client.get("/practices"))
    assert "Cable cars of Medellín" in page and "Solar schools" in page
    assert "Secret draft" not in page
    assert "2 practices" in page
    assert "Colombia" in page and "Latin America and the Caribbean" in page
    assert "SDG 11 · Sustainable cities and communities" in page

    filtered = _text(client.get("/practices?topic=sustainable-transport"))
    assert "Cable cars of Medellín" in filtered and "Solar schools" not in filtered
    # a facet link adds its value and keeps the topic; the chosen value links to its removal
    links = re.findall(r'href="(/practices\?[^"]+)"', filtered)
    assert any("topic=sustainable-transport" in link and "country=CO" in link for link in links)
    assert any("topic=sustainable-transport" in link and "stage=scaled" in link for link in links)


def test_list_filters_by_search_without_accents_and_by_sdg(session, client):
    make_practice(session, title="Cable cars of Medellín", sdg_targets=["11.2"])
    make_practice(session, title="Solar schools", sdg_goals=[7])
    session.commit()
    assert "Cable cars" in _text(client.get("/practices?q=medellin"))
    assert "Solar schools" not in _text(client.get("/practices?q=medellin"))
    page = _text(client.get("/practices?sdg=11"))
    assert "Cable cars" in page and "Solar schools" not in page


def test_a_bad_filter_is_a_warning_not_an_error(session, client):
    make_practice(session, title="Solar schools")
    session.commit()
    for query in ("sdg=99.9", "region=xyz", "stage=famous", "q=" + "x" * 5000, "language=zz", "page=-3"):
        response = client.get(f"/practices?{query}")
        assert response.status_code == 200, query
        assert "Solar schools" in _text(response)


def test_list_query_count_is_constant(session, client, count_queries):
    org = make_organisation(session)
    author = make_user(session, organisation_id=org.id)
    event = make_event(session, status="published")
    for i in range(5):
        make_practice(session, organisation=org, author=author, topics=["energy-efficiency"], sdg_targets=["7.2"],
                      events=[event], latitude=1.0 + i, longitude=2.0)
    session.commit()
    client.get("/practices")
    with count_queries() as few:
        assert client.get("/practices").status_code == 200
    for _i in range(25):
        other = make_organisation(session)
        make_practice(session, organisation=other, topics=["citizen-participation", "energy-efficiency"],
                      sdg_targets=["11.3", "16.7"], events=[event])
    session.commit()
    with count_queries() as many:
        response = client.get("/practices")
    assert response.status_code == 200
    assert many.count == few.count, many.statements


# ---------------------------------------------------------------------------------------------------
# A practice's page


def test_practice_page_shows_facts_sections_figures_and_never_the_contacts_email(session, client):
    from app.practices.models import PracticeIndicator

    contact = _member(session, name="Ana Contact", email="ana.private@example.org")
    practice = make_practice(session, title="Cable cars", country="CO", city="Medellín", subdivision="CO-ANT",
                             contact_id=contact.id, latitude=6.25, longitude=-75.56, started_year=2004,
                             ended_year=2010, sdg_targets=["11.2"], topics=["sustainable-transport"],
                             costs_and_funding="About **40 million**.")
    practice.indicators = [PracticeIndicator(position=0, indicator="Daily riders", unit="people", baseline=0,
                                             value=30000, year=2010, source="Metro")]
    session.commit()
    response = client.get(f"/practices/{practice.id}")
    page = _text(response)
    assert response.status_code == 200
    assert "Ana Contact" in page and "ana.private@example.org" not in page
    assert "Colombia" in page and "Latin America and the Caribbean" in page and "CO-ANT" in page
    assert "Costs and funding" in page and "<strong>40 million</strong>" in page
    assert "30,000" in page and "Daily riders" in page
    assert 'data-lat="6.25" data-lng="-75.56" data-label="Cable cars"' in page and "place-map" in page
    assert "Target 11.2" in page and "SDG 11 · Sustainable cities and communities" in page
    assert f'href="/organisations/{practice.organisation_id}"' in page
    # numbers follow the page's locale
    assert "30.000" in _text(client.get(f"/practices/{practice.id}?lang=de"))


def test_stale_slug_redirects_to_the_canonical_address(session, client):
    practice = make_practice(session, title="Cable cars", slug="cable-cars")
    session.commit()
    assert client.get(f"/practices/{practice.id}-cable-cars").status_code == 200
    response = client.get(f"/practices/{practice.id}-old-name")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/practices/{practice.id}-cable-cars")
    assert client.get("/practices/99999").status_code == 404


def test_unpublished_practice_is_404_to_strangers_and_visible_to_its_organisation(session, client, auth):
    practice = make_practice(session, title="Quiet draft", status="draft")
    member = make_user(session, organisation_id=practice.organisation_id)
    outsider = _member(session)
    session.commit()
    assert client.get(f"/practices/{practice.id}").status_code == 404
    auth.login(outsider.email)
    assert client.get(f"/practices/{practice.id}").status_code == 404
    auth.logout()
    auth.login(member.email)
    page = _text(client.get(f"/practices/{practice.id}"))
    assert "Quiet draft" in page and "Submit for review" in page


def test_translation_is_shown_in_the_viewers_language_with_the_original_a_click_away(session, client):
    practice = make_practice(session, title="Cable cars", summary="Buses in the sky.")
    practice.translations.append(PracticeTranslation(language="fr", title="Téléphériques",
                                                     summary="Des bus dans le ciel.", challenge="Les pentes."))
    session.commit()
    page = _text(client.get(f"/practices/{practice.id}?lang=fr"))
    assert "Téléphériques" in page and "Des bus dans le ciel." in page
    assert 'lang="fr"' in page and "original=1" in page
    original = _text(client.get(f"/practices/{practice.id}?lang=fr&original=1"))
    assert "Cable cars" in original and "Téléphériques" not in original
    english = _text(client.get(f"/practices/{practice.id}?lang=en"))
    assert "Cable cars" in english and "original=1" not in english


# ---------------------------------------------------------------------------------------------------
# Drafting and editing


def _practice_form(**overrides) -> dict:
    data = {"title": "Night buses for shift workers", "summary": "Buses at night.", "language": "en",
            "city": "Leipzig", "country": "DE", "subdivision": "DE-SN", "latitude": "51.34", "longitude": "12.37",
            "stage": "pilot", "started_year": "2021", "ended_year": "", "topics": ["sustainable-transport"],
            "sdg_goals": ["11"], "sdg_targets": ["11.2", "5.1"], "challenge": "Workers walk home at 3 am.",
            "results": "1,200 riders a night.", "transferability": "Any city with night shifts.",
            "indicators-0-indicator": "Riders per night", "indicators-0-unit": "people",
            "indicators-0-baseline": "0", "indicators-0-value": "1200", "indicators-0-year": "2023",
            "indicators-0-source": "Operator", "indicators-1-indicator": "", "submit": "Save"}
    data.update(overrides)
    return data


def test_a_member_drafts_a_practice_for_their_organisation(session, client, auth):
    member = _member(session)
    session.commit()
    assert client.get("/practices/new").status_code == 302  # log in first
    auth.login(member.email)
    page = _text(client.get("/practices/new"))
    assert "Share a good practice" in page and "indicators-2-indicator" in page
    response = post_form(client, "/practices/new", _practice_form())
    assert response.status_code == 302, _text(response)
    practice = session.scalar(sa.select(Practice))
    assert response.headers["Location"].endswith(f"/practices/{practice.id}/edit")
    assert practice.status == "draft" and practice.organisation_id == member.organisation_id
    assert practice.sdg_targets == ["5.1", "11.2"] and practice.sdg_goals == [5, 11]
    assert [(row.indicator, row.value) for row in practice.indicators] == [("Riders per night", 1200)]
    assert practice.subdivision == "DE-SN" and practice.latitude == 51.34
    edit = _text(client.get(f"/practices/{practice.id}/edit"))
    assert 'value="Riders per night"' in edit and "Documents and images" in edit and "Translations" in edit


def test_bad_input_is_a_form_error_naming_the_field(session, client, auth):
    member = _member(session)
    session.commit()
    auth.login(member.email)
    cases = {
        "sdg_targets": ({"sdg_targets": ["11.99"]}, "11.99 is not one of the 169 official SDG targets"),
        "started_year": ({"started_year": "1850"}, "between 1900 and"),
        "latitude": ({"latitude": "95"}, "Latitude must be between -90 and 90"),
        "longitude": ({"longitude": ""}, "Give both latitude and longitude"),
        "subdivision": ({"subdivision": "FR-75"}, "is not a subdivision"),
        "indicators": ({"indicators-0-indicator": "", "indicators-0-value": "12"}, "needs the name of its indicator"),
        "ended_year": ({"started_year": "2020", "ended_year": "2019"}, "The end year cannot be before"),
    }
    for name, (overrides, message) in cases.items():
        response = post_form(client, "/practices/new", _practice_form(**overrides))
        assert response.status_code == 200, name
        assert message in _text(response), (name, _text(response)[:3000])
    assert session.scalar(sa.select(sa.func.count()).select_from(Practice)) == 0


def test_a_practice_of_someone_elses_organisation_is_refused(session, client, auth):
    member = _member(session)
    other = make_organisation(session, name="Elsewhere")
    session.commit()
    auth.login(member.email)
    # a member's form has no organisation choice; a forged one is refused
    response = post_form(client, "/practices/new", _practice_form(organisation_id=str(other.id)))
    assert response.status_code == 200
    assert "You cannot draft a practice of someone else&#39;s organisation" in _text(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(Practice)) == 0


def test_posting_without_csrf_is_refused(session, client, auth):
    member = _member(session)
    session.commit()
    auth.login(member.email)
    response = client.post("/practices/new", data=_practice_form())
    assert response.status_code in (200, 400)
    assert session.scalar(sa.select(sa.func.count()).select_from(Practice)) == 0


def test_add_more_rows_posts_back_without_saving(session, client, auth):
    member = _member(session)
    session.commit()
    auth.login(member.email)
    response = post_form(client, "/practices/new", _practice_form(more_rows="Add more key-figure rows",
                                                                  submit=None))
    page = _text(response)
    assert response.status_code == 200
    assert 'value="Riders per night"' in page and "indicators-6-indicator" in page
    assert session.scalar(sa.select(sa.func.count()).select_from(Practice)) == 0


def test_edit_permissions(session, client, auth):
    practice = make_practice(session, title="Cable cars", status="draft")
    colleague = make_user(session, organisation_id=practice.organisation_id)
    outsider = _member(session)
    organiser = make_organiser(session)
    session.commit()
    assert client.get(f"/practices/{practice.id}/edit").status_code == 302
    auth.login(outsider.email)
    assert client.get(f"/practices/{practice.id}/edit").status_code == 404
    auth.logout()
    auth.login(colleague.email)
    response = post_form(client, f"/practices/{practice.id}/edit", _practice_form(title="Cable cars, again"))
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Practice, practice.id).title == "Cable cars, again"
    auth.logout()
    auth.login(organiser.email)
    page = _text(client.get(f"/practices/{practice.id}/edit"))
    assert 'name="organisation_id"' in page  # reviewers may move a practice to another organisation


def test_translation_is_saved_and_removed_from_the_edit_page(session, client, auth):
    practice = make_practice(session, title="Cable cars", status="draft")
    author = practice.author
    session.commit()
    auth.login(author.email)
    response = post_form(client, f"/practices/{practice.id}/edit", {
        "translation_language": "fr", "translation_title": "Téléphériques", "translation_summary": "Des bus.",
        "translation_challenge": "Les pentes."}, action=f"/practices/{practice.id}/translation")
    assert response.status_code == 302
    row = session.scalar(sa.select(PracticeTranslation))
    assert (row.language, row.title, row.challenge) == ("fr", "Téléphériques", "Les pentes.")
    page = _text(client.get(f"/practices/{practice.id}/edit?translation=fr"))
    assert 'value="Téléphériques"' in page and "Les pentes." in page
    # a translation without a title names what is missing, nothing saved
    response = post_form(client, f"/practices/{practice.id}/edit", {
        "translation_language": "de", "translation_title": ""}, action=f"/practices/{practice.id}/translation")
    assert response.status_code == 200 and "is required" in _text(response)
    response = post_form(client, f"/practices/{practice.id}/edit", {},
                         action=f"/practices/{practice.id}/translation/fr/delete")
    assert response.status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(PracticeTranslation)) == 0


# ---------------------------------------------------------------------------------------------------
# "We want to try this"


def test_interest_is_registered_counted_and_shown_to_the_contact(session, client, auth):
    practice = make_practice(session, title="Cable cars")
    contact = practice.author
    visitor_org = make_organisation(session, name="Da Nang City", city="Da Nang", country="VN")
    visitor = make_user(session, organisation_id=visitor_org.id, name="Visiting Planner")
    session.commit()
    page = _text(client.get(f"/practices/{practice.id}"))
    assert "No city has registered interest yet." in page and "Log in to register" in page
    auth.login(visitor.email)
    response = post_form(client, f"/practices/{practice.id}", {"note": "For our hills."},
                         action=f"/practices/{practice.id}/interest")
    assert response.status_code == 302
    page = _text(client.get(f"/practices/{practice.id}"))
    assert "1 city wants to try this." in page and "Your organisation registered its interest." in page
    assert "For our hills." in page  # its own note, in the form
    assert "Interested cities" not in page  # who is interested: the contact and organisers
    auth.logout()
    auth.login(contact.email)
    page = _text(client.get(f"/practices/{practice.id}"))
    assert "Interested cities" in page and "Da Nang City" in page and "For our hills." in page
    assert "This is your organisation’s practice." in page
    # own organisation refused by the service too
    response = post_form(client, f"/practices/{practice.id}", {"note": "x"}, action=f"/practices/{practice.id}/interest")
    assert response.status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(PracticeInterest)) == 1


def test_interest_can_be_withdrawn(session, client, auth):
    practice = make_practice(session)
    visitor = _member(session)
    session.add(PracticeInterest(practice_id=practice.id, organisation_id=visitor.organisation_id,
                                 user_id=visitor.id, note=""))
    session.commit()
    auth.login(visitor.email)
    response = post_form(client, f"/practices/{practice.id}", {}, action=f"/practices/{practice.id}/interest/withdraw")
    assert response.status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(PracticeInterest)) == 0


# ---------------------------------------------------------------------------------------------------
# Other pages


def test_event_and_programme_pages_list_their_practices(session, client):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], status="published")
    programme = make_programme(session, organisers=[organiser], status="published")
    module = make_module(session, programme, title="Mobility basics")
    make_practice(session, title="Cable cars", events=[event], modules=[module])
    make_practice(session, title="Hidden draft", status="draft", events=[event], modules=[module])
    session.commit()
    page = _text(client.get(f"/events/{event.id}"))
    assert "Good practices presented here" in page and "Cable cars" in page and "Hidden draft" not in page
    page = _text(client.get(f"/programmes/{programme.slug}"))
    assert "Good practices taught in this programme" in page and "Cable cars" in page
    assert "Mobility basics" in page and "Hidden draft" not in page


def test_navigation_and_home_topics_lead_to_practices(session, client):
    page = _text(client.get("/"))
    assert 'href="/practices"' in page
    assert 'href="/practices?topic=' in page



def test_a_member_without_an_organisation_is_told_why_nothing_is_saved(session, client, auth):
    loner = make_user(session)
    session.commit()
    auth.login(loner.email)
    assert "ask an organiser to add you to one" in _text(client.get("/practices/new"))
    response = post_form(client, "/practices/new", _practice_form())
    assert response.status_code == 200 and "belongs to no organisation" in _text(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(Practice)) == 0


def test_a_members_edit_of_a_published_practice_goes_back_to_review(session, client, auth):
    practice = make_practice(session, title="Cable cars")
    author = practice.author
    session.commit()
    auth.login(author.email)
    response = post_form(client, f"/practices/{practice.id}/edit", _practice_form(title="Cable cars 2"),
                         follow_redirects=True)
    assert "goes back to the reviewers" in _text(response)
    session.expire_all()
    assert session.get(Practice, practice.id).status == "submitted"


def test_interest_note_too_long_or_without_csrf_is_refused(session, client, auth):
    practice = make_practice(session)
    visitor = _member(session)
    session.commit()
    auth.login(visitor.email)
    response = post_form(client, f"/practices/{practice.id}", {"note": "x" * 1001},
                         action=f"/practices/{practice.id}/interest", follow_redirects=True)
    assert "The note is too long." in _text(response)
    assert client.post(f"/practices/{practice.id}/interest", data={"note": "hi"}).status_code == 400
    assert session.scalar(sa.select(sa.func.count()).select_from(PracticeInterest)) == 0


def test_practice_page_query_count_does_not_grow_with_its_links(session, client, auth, count_queries, app):
    from tests.factories import make_practice_file

    organiser = make_organiser(session)
    programme = make_programme(session, organisers=[organiser], status="published")

    def build(n):
        events = [make_event(session, organisers=[organiser], status="published") for _ in range(n)]
        modules = [make_module(session, make_programme(session, organisers=[organiser], status="published"))
                   for _ in range(n)]
        practice = make_practice(session, events=events, modules=modules, sdg_targets=["11.2", "7.1"][:n],
                                 topics=["energy-efficiency", "citizen-participation"][:n])
        for _ in range(n):
            make_practice_file(session, practice, storage_dir=app.config["PRACTICE_STORAGE_DIR"])
            visitor = _member(session)
            session.add(PracticeInterest(practice_id=practice.id, organisation_id=visitor.organisation_id,
                                         user_id=visitor.id, note="n"))
        return practice

    assert programme
    one, four = build(1), build(4)
    session.commit()
    one, four = one.id, four.id
    auth.login(organiser.email)  # an organiser sees who is interested too
    client.get(f"/practices/{one}")
    with count_queries() as few:
        assert client.get(f"/practices/{one}").status_code == 200
    with count_queries() as many:
        assert client.get(f"/practices/{four}").status_code == 200
    assert many.count == few.count, many.statements


def test_odd_values_never_break_the_form(session, client, auth):
    member = _member(session)
    session.commit()
    auth.login(member.email)
    odd = ["\x00", "1e400", "-0", "９９", "x" * 300, "NaN", "‮evil", "11.2; DROP TABLE practice"]
    for value in odd:
        for name in ("latitude", "started_year", "contact_id", "organisation_id", "sdg_goals", "event_ids",
                     "module_ids", "topics", "subdivision", "country", "language", "stage", "indicators-0-value",
                     "indicators-0-year"):
            response = post_form(client, "/practices/new", _practice_form(**{name: value}))
            assert response.status_code in (200, 302), (name, value, response.status_code)
    response = client.get("/practices/new")
    assert response.status_code == 200


def test_an_organiser_drafts_a_practice_for_any_organisation(session, client, auth):
    organiser = make_organiser(session)
    city = make_organisation(session, name="Medellín City", country="CO")
    event = make_event(session, organisers=[organiser], status="published", title="Dialogue on mobility")
    session.commit()
    auth.login(organiser.email)
    page = _text(client.get("/practices/new"))
    assert "— choose an organisation —" in page and "Medellín City" in page and "Dialogue on mobility (" in page
    response = post_form(client, "/practices/new", _practice_form(
        organisation_id=str(city.id), country="CO", subdivision="", event_ids=[str(event.id)]))
    assert response.status_code == 302, _text(response)
    practice = session.scalar(sa.select(Practice))
    assert practice.organisation_id == city.id and [e.id for e in practice.events] == [event.id]


def test_members_list_their_organisations_practices_in_every_status(session, client, auth):
    draft = make_practice(session, title="Our draft", status="draft")
    make_practice(session, organisation=draft.organisation, title="Our published one")
    make_practice(session, title="Someone else's draft", status="draft")
    member = make_user(session, organisation_id=draft.organisation_id)
    session.commit()
    assert "Our draft" not in _text(client.get("/practices?mine=1"))  # strangers: the published list
    auth.login(member.email)
    page = _text(client.get("/practices?mine=1"))
    assert "Our draft" in page and "Our published one" in page and "Someone else" not in page
    page = _text(client.get("/practices?status=draft"))
    assert "Our draft" in page and "Someone else" not in page


def test_the_contact_person_is_found_by_name_without_an_email_in_sight(session, client, auth):
    member = _member(session)
    ana = _member(session, name="Ana María Pérez", email="ana.secret@example.org")
    session.commit()
    auth.login(member.email)
    response = post_form(client, "/practices/new", _practice_form(find_contact="Find", contact_query="maria perez",
                                                                  submit=None))
    page = _text(response)
    assert response.status_code == 200 and "1 member found" in page
    assert f'<option value="{ana.id}">Ana María Pérez (' in page and "ana.secret" not in page
    assert session.scalar(sa.select(sa.func.count()).select_from(Practice)) == 0
    response = post_form(client, "/practices/new", _practice_form(contact_id=str(ana.id)))
    assert response.status_code == 302
    assert session.scalar(sa.select(Practice.contact_id)) == ana.id


def test_translated_from_names_the_original_language_in_the_page_language(session, client):
    practice = make_practice(session, title="Téléphériques", language="fr")
    practice.translations.append(PracticeTranslation(language="en", title="Cable cars"))
    session.commit()
    page = _text(client.get(f"/practices/{practice.id}?lang=en"))
    assert "Translated from French" in page and "Cable cars" in page and 'lang="en"' in page
    page = _text(client.get(f"/practices/{practice.id}?lang=de&original=1"))
    assert "Téléphériques" in page and "Französisch" in page  # the original language, named in German
