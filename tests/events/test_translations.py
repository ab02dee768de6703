"""Events in more than one language: the original language, translations, pages, search, API and calendars."""

from __future__ import annotations

import icalendar
import pytest
import sqlalchemy as sa

from app.content_language import localise
from app.errors import ValidationFailed
from app.events import services
from app.events.models import EventTranslation
from app.sqltypes import utcnow
from tests.conftest import post_form
from tests.factories import bearer, make_event, make_organiser, make_token, make_user

FR = {"title": "Conférence sur la résilience", "summary": "Villes et climat", "description": "Le *programme*."}


def _translate(session, event, **translations):
    services.update_event(session, event_id=event.id, actor_id=event.organisers[0].id, now=utcnow(),
                          data={"translations": translations})
    session.commit()


def test_translations_are_added_replaced_and_removed_by_language(session):
    event = make_event(session, title="Resilience conference")
    _translate(session, event, fr=FR, de={"title": "Resilienzkonferenz"})
    assert {t.language: t.title for t in event.translations} == {"fr": FR["title"], "de": "Resilienzkonferenz"}
    # a PATCH replaces the languages given, null removes one, the others stay
    _translate(session, event, de=None, es={"title": "Conferencia"})
    session.expire_all()
    assert {t.language: (t.title, t.summary) for t in event.translations} == {
        "fr": (FR["title"], FR["summary"]), "es": ("Conferencia", "")}


@pytest.mark.parametrize("translations, field", [
    ({"xx": {"title": "X"}}, "translations"),
    ({"en": {"title": "Same as the original"}}, "translations"),
    ({"fr": {"title": "  "}}, "translations.fr.title"),
    ({"fr": {"title": "T" * 201}}, "translations.fr.title"),
    ({"fr": {"title": "T", "summary": "S" * 501}}, "translations.fr.summary"),
    ({"fr": {"title": "T", "venue": "V"}}, "translations"),
    ({"fr": "Titre"}, "translations"),
    (["fr"], "translations"),
])
def test_bad_translations_are_refused_and_nothing_is_written(session, translations, field):
    event = make_event(session)
    _translate(session, event, de={"title": "Bleibt"})
    with pytest.raises(ValidationFailed) as info:
        services.update_event(session, event_id=event.id, actor_id=event.organisers[0].id, now=utcnow(),
                              data={"title": "Changed", "translations": translations})
    assert field in info.value.fields
    session.rollback()
    assert [(t.language, t.title) for t in session.scalars(sa.select(EventTranslation))] == [("de", "Bleibt")]


def test_the_original_language_cannot_be_one_it_is_translated_into(session):
    event = make_event(session)
    _translate(session, event, fr=FR)
    with pytest.raises(ValidationFailed) as info:
        services.update_event(session, event_id=event.id, actor_id=event.organisers[0].id, now=utcnow(),
                              data={"language": "fr"})
    assert "language" in info.value.fields
    session.rollback()
    # swapping in one change works: French becomes the original, the English text a translation
    services.update_event(session, event_id=event.id, actor_id=event.organisers[0].id, now=utcnow(),
                          data={"language": "fr", "title": FR["title"],
                                "translations": {"fr": None, "en": {"title": "Resilience conference"}}})
    session.commit()
    assert event.language == "fr" and [t.language for t in event.translations] == ["en"]


def test_localise_picks_the_readers_translation_or_the_original(session):
    event = make_event(session, title="Resilience conference", summary="Cities and climate")
    _translate(session, event, fr={"title": FR["title"]})
    shown = localise(event, "fr")
    assert shown.is_translation and shown.title == FR["title"] and shown.lang["title"] == "fr"
    # an empty translated summary keeps the original's, marked as English
    assert shown.summary == "Cities and climate" and shown.lang["summary"] == "en"
    assert shown.original_name == "anglais"
    assert not localise(event, "de").is_translation and localise(event, "de").title == "Resilience conference"
    assert localise(event, "fr", original=True).title == "Resilience conference"
    assert not localise(event, "en_US_POSIX").is_translation


def test_pages_show_the_translation_with_a_link_to_the_original(client, session):
    event = make_event(session, title="Resilience conference", summary="Cities and climate")
    _translate(session, event, fr=FR, ar={"title": "مؤتمر المرونة"})
    html = client.get(f"/events/{event.id}?lang=fr").get_data(as_text=True)
    assert f'lang="fr" dir="auto">{FR["title"]}</h1>' in html
    assert "Translated from" in html or "anglais" in html
    assert f'href="/events/{event.id}?original=1"' in html
    original = client.get(f"/events/{event.id}?lang=fr&original=1").get_data(as_text=True)
    assert 'lang="en" dir="auto">Resilience conference</h1>' in original
    arabic = client.get(f"/events/{event.id}?lang=ar").get_data(as_text=True)
    assert 'lang="ar" dir="auto">مؤتمر المرونة</h1>' in arabic
    listing = client.get("/events/?lang=fr").get_data(as_text=True)
    assert f'lang="fr" dir="auto">{FR["title"]}</h2>' in listing
    german = client.get("/events/?lang=de").get_data(as_text=True)
    assert 'lang="en" dir="auto">Resilience conference</h2>' in german


def test_my_events_shows_titles_in_the_readers_language(client, session, auth):
    me = make_user(session, email="fr@example.org", language="fr")
    event = make_event(session, title="Resilience conference")
    _translate(session, event, fr=FR)
    services.enrol(session, event_id=event.id, user_id=me.id, now=utcnow())
    session.commit()
    auth.login("fr@example.org")
    assert f'lang="fr" dir="auto">{FR["title"]}</a>' in client.get("/events/mine").get_data(as_text=True)


def test_search_finds_an_event_by_a_translated_title(client, session):
    event = make_event(session, title="Resilience conference")
    make_event(session, title="Something else")
    _translate(session, event, fr={"title": "Journee de la resilience"})
    assert client.get("/api/v1/events?q=journee").get_json()["total"] == 1
    assert client.get("/api/v1/events?q=resilience").get_json()["total"] == 1
    html = client.get("/events/?q=journee").get_data(as_text=True)
    assert html.count('class="list-group-item list-group-item-action"') == 1


def test_api_reads_and_writes_language_and_translations(client, session):
    user = make_organiser(session)
    headers = bearer(make_token(session, user))
    session.commit()
    body = {"title": "Resilience conference", "format": "conference", "timezone": "Africa/Accra",
            "starts_at": "2031-06-01T09:00", "ends_at": "2031-06-01T17:00", "city": "Accra",
            "language": "en", "translations": {"fr": FR}}
    created = client.post("/api/v1/events", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    event = created.get_json()
    assert event["language"] == "en" and event["translations"] == {"fr": FR}
    changed = client.patch(f"/api/v1/events/{event['id']}", headers=headers,
                           json={"translations": {"fr": None, "ar": {"title": "مؤتمر"}}}).get_json()
    assert changed["translations"] == {"ar": {"title": "مؤتمر", "summary": "", "description": ""}}
    services.publish_event(session, event_id=event["id"], actor_id=user.id, now=utcnow())
    session.commit()
    listed = client.get("/api/v1/events").get_json()["items"]
    assert [(e["language"], e["translations"]) for e in listed] == [("en", changed["translations"])]
    for bad in ({"translations": {"en": {"title": "x"}}}, {"translations": {"xx": {"title": "x"}}},
                {"translations": {"fr": {"summary": "no title"}}}, {"language": "xx"},
                {"translations": {"fr": {"title": "x", "venue": "y"}}}, {"translations": "fr"},
                {"language": "ar"}):
        response = client.patch(f"/api/v1/events/{event['id']}", headers=headers, json=bad)
        assert response.status_code == 422, (bad, response.get_json())
    assert client.get(f"/api/v1/events/{event['id']}").get_json()["translations"] == changed["translations"]


def test_organiser_adds_changes_and_removes_a_translation_on_the_edit_page(client, session, auth):
    organiser = make_organiser(session, email="org@example.org")
    event = make_event(session, organisers=[organiser], title="Resilience conference")
    session.commit()
    auth.login("org@example.org")
    edit = f"/events/{event.id}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert 'id="translations"' in page and "Add a translation" in page
    response = post_form(client, edit, {"language": "fr", **FR}, action=f"/events/{event.id}/translations")
    assert response.status_code == 302
    session.expire_all()
    assert [(t.language, t.title) for t in event.translations] == [("fr", FR["title"])]
    # refusals come back as form errors, nothing written
    for data, text in (({"language": "en", "title": "x"}, "original language"),
                       ({"language": "xx", "title": "x"}, "must be one of"),
                       ({"language": "de", "title": ""}, "Give the translated title"),
                       ({"language": "de", "title": "T" * 201}, "at most 200")):
        refused = post_form(client, edit, data, action=f"/events/{event.id}/translations")
        assert refused.status_code == 422 and text in refused.get_data(as_text=True), data
    refused = post_form(client, edit, {"language": "fr"}, action=f"/events/{event.id}/language")
    assert refused.status_code == 422 and "remove it before" in refused.get_data(as_text=True)
    refused = post_form(client, edit, {"language": "xx"}, action=f"/events/{event.id}/language")
    assert refused.status_code == 422 and "must be one of" in refused.get_data(as_text=True)
    response = post_form(client, edit, {"language": "fr"}, action=f"/events/{event.id}/translations/remove")
    assert response.status_code == 302
    response = post_form(client, edit, {"language": "de"}, action=f"/events/{event.id}/language")
    assert response.status_code == 302
    session.expire_all()
    assert event.translations == [] and event.language == "de"
    assert client.post(f"/events/{event.id}/translations", data={"language": "fr", "title": "x"}).status_code == 400


def test_personal_feed_uses_the_subscribers_language_and_the_public_files_the_original(client, session):
    from app.calendar.services import ensure_calendar_token

    french = make_user(session, language="fr")
    german = make_user(session, language="de")
    event = make_event(session, title="Resilience conference")
    _translate(session, event, fr=FR)
    for person in (french, german):
        services.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    tokens = {p.id: ensure_calendar_token(session, user_id=p.id) for p in (french, german)}
    session.commit()

    def summaries(path):
        calendar = icalendar.Calendar.from_ical(client.get(path).data)
        return [str(v["SUMMARY"]) for v in calendar.walk("VEVENT")]

    for _ in range(2):  # the second time from the cache
        assert summaries(f"/calendar/feed/{tokens[french.id]}.ics") == [FR["title"]]
        assert summaries(f"/calendar/feed/{tokens[german.id]}.ics") == ["Resilience conference"]
    assert summaries(f"/calendar/events/{event.id}.ics") == ["Resilience conference"]
    assert summaries("/calendar/events.ics") == ["Resilience conference"]


def test_a_duplicate_keeps_language_and_translations(session):
    event = make_event(session)
    _translate(session, event, fr=FR)
    copy = services.duplicate_event(session, event_id=event.id, actor_id=event.organisers[0].id,
                                    starts_at="2032-01-05T09:00", now=utcnow())
    session.commit()
    assert copy.language == "en" and [(t.language, t.title) for t in copy.translations] == [("fr", FR["title"])]


def test_list_pages_load_translations_in_a_constant_number_of_queries(client, session, count_queries):
    organiser = make_organiser(session)

    def add(n):
        for i in range(n):
            event = make_event(session, organisers=[organiser], title=f"Event {i}")
            _translate(session, event, fr={"title": f"Événement {i}"}, de={"title": f"Veranstaltung {i}"})

    add(2)
    counts = []
    for _ in range(2):
        with count_queries() as page:
            assert client.get("/events/?lang=fr").status_code == 200
        with count_queries() as api:
            assert client.get("/api/v1/events?per_page=100").status_code == 200
        counts.append((page.count, api.count))
        add(12)
    assert counts[0] == counts[1]
    html = client.get("/events/?lang=fr").get_data(as_text=True)
    assert html.count('lang="fr" dir="auto">Événement') == 20  # one page


def test_the_database_refuses_a_translation_in_the_original_language(session):
    from app.learning.models import ModuleTranslation, ProgrammeTranslation
    from tests.factories import make_module, make_programme

    event = make_event(session)
    programme = make_programme(session)
    module = make_module(session, programme)
    session.commit()
    for row in (EventTranslation(event_id=event.id, language="en", title="Same"),
                ProgrammeTranslation(programme_id=programme.id, language="en", title="Same"),
                ModuleTranslation(module_id=module.id, language="en", title="Same")):
        session.add(row)
        with pytest.raises(sa.exc.IntegrityError):
            session.flush()
        session.rollback()
    row = EventTranslation(event_id=event.id, language="fr", title="Titre")
    session.add(row)
    session.commit()
    row.language = "en"
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()
