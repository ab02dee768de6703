"""Programmes and modules in more than one language: services, API, pages and the edit page's section."""

from __future__ import annotations

import pytest

from app.errors import ValidationFailed
from app.learning import services
from app.sqltypes import utcnow
from tests.conftest import post_form
from tests.factories import bearer, make_module, make_organiser, make_programme, make_token, make_user


def test_api_reads_and_writes_programme_and_module_translations(client, session):
    org = make_organiser(session)
    headers = bearer(make_token(session, org))
    session.commit()
    created = client.post("/api/v1/programmes", headers=headers, json={
        "title": "Urban resilience", "language": "en",
        "translations": {"fr": {"title": "Résilience urbaine", "summary": "En bref"}}})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["language"] == "en"
    assert body["translations"] == {"fr": {"title": "Résilience urbaine", "summary": "En bref", "description": ""}}
    module = client.post(f"/api/v1/programmes/{body['id']}/modules", headers=headers, json={
        "title": "Risk maps", "translations": {"ar": {"title": "خرائط المخاطر", "objectives": "فهم"}}})
    assert module.status_code == 201, module.get_json()
    assert module.get_json()["translations"] == {"ar": {"title": "خرائط المخاطر", "description": "",
                                                        "objectives": "فهم"}}
    changed = client.patch(f"/api/v1/programmes/{body['id']}", headers=headers,
                           json={"translations": {"fr": None, "de": {"title": "Resilienz"}}}).get_json()
    assert list(changed["translations"]) == ["de"]
    assert changed["modules"][0]["translations"]["ar"]["title"] == "خرائط المخاطر"
    for bad in ({"translations": {"en": {"title": "x"}}}, {"translations": {"fr": {"title": ""}}},
                {"language": "de"}, {"translations": {"fr": {"title": "x", "objectives": "y"}}}):
        response = client.patch(f"/api/v1/programmes/{body['id']}", headers=headers, json=bad)
        assert response.status_code == 422, (bad, response.get_json())
    assert list(client.get(f"/api/v1/programmes/{body['id']}", headers=headers).get_json()["translations"]) == ["de"]


def test_a_module_translation_into_its_own_language_is_refused(session):
    programme = make_programme(session)
    module = make_module(session, programme)
    session.commit()
    with pytest.raises(ValidationFailed):
        services.update_module(session, module_id=module.id, actor_id=programme.organisers[0].id, now=utcnow(),
                               data={"translations": {"en": {"title": "Same"}}})


def test_programme_page_shows_the_translation_and_the_original_on_request(client, session):
    programme = make_programme(session, title="Urban resilience", summary="In short")
    module = make_module(session, programme, title="Risk maps")
    session.commit()
    services.update_programme(session, programme_id=programme.id, actor_id=programme.organisers[0].id,
                              now=utcnow(), data={"translations": {"fr": {"title": "Résilience urbaine"}}})
    services.update_module(session, module_id=module.id, actor_id=programme.organisers[0].id, now=utcnow(),
                           data={"translations": {"fr": {"title": "Cartes des risques"}}})
    session.commit()
    html = client.get(f"/programmes/{programme.slug}?lang=fr").get_data(as_text=True)
    assert 'lang="fr" dir="auto">Résilience urbaine</h1>' in html
    assert 'lang="fr" dir="auto">Cartes des risques</strong>' in html
    assert 'lang="en" dir="auto">In short</p>' in html  # no translated summary: the original, marked
    assert f"/programmes/{programme.slug}?original=1" in html
    original = client.get(f"/programmes/{programme.slug}?lang=fr&original=1").get_data(as_text=True)
    assert 'lang="en" dir="auto">Urban resilience</h1>' in original
    index = client.get("/programmes/?lang=fr").get_data(as_text=True)
    assert 'lang="fr" dir="auto">Résilience urbaine</a>' in index


def test_organiser_manages_translations_on_the_edit_pages(client, session, auth):
    org = make_organiser(session, email="org@example.org")
    programme = make_programme(session, organisers=[org])
    module = make_module(session, programme)
    make_user(session)
    session.commit()
    auth.login("org@example.org")
    edit = f"/programmes/manage/{programme.id}"
    assert 'id="translations"' in client.get(edit).get_data(as_text=True)
    saved = post_form(client, edit, {"language": "es", "title": "Resiliencia", "summary": "Breve"},
                      action=f"{edit}/translations")
    assert saved.status_code == 302
    refused = post_form(client, edit, {"language": "en", "title": "x"}, action=f"{edit}/translations")
    assert refused.status_code == 422 and "original language" in refused.get_data(as_text=True)
    module_page = f"/programmes/manage/modules/{module.id}"
    saved = post_form(client, module_page, {"language": "pt", "title": "Mapas", "objectives": "Entender"},
                      action=f"{module_page}/translations")
    assert saved.status_code == 302
    session.expire_all()
    assert [(t.language, t.summary) for t in programme.translations] == [("es", "Breve")]
    assert [(t.language, t.objectives) for t in module.translations] == [("pt", "Entender")]
    removed = post_form(client, module_page, {"language": "pt"}, action=f"{module_page}/translations/remove")
    assert removed.status_code == 302
    session.expire_all()
    assert module.translations == []
