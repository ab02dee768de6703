"""The learning JSON API: every route, its successes and its refusals."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.learning.models import Module, ModuleCompletion, ModuleLink
from tests.factories import (
    bearer,
    join_programme,
    make_event,
    make_module,
    make_organiser,
    make_programme,
    make_session,
    make_token,
    make_user,
)
from tests.learning.helpers import attend


@pytest.fixture
def org(session):
    return make_organiser(session, name="Olivia")


@pytest.fixture
def org_headers(session, org):
    return bearer(make_token(session, org))


def test_create_update_publish_and_list(client, session, org, org_headers):
    user = make_user(session)
    user_headers = bearer(make_token(session, user))
    session.commit()
    assert client.post("/api/v1/programmes", json={"title": "X"}, headers=user_headers).status_code == 403
    assert client.post("/api/v1/programmes", json={"title": "X"}).status_code == 401
    bad = client.post("/api/v1/programmes", json={"title": ""}, headers=org_headers)
    assert bad.status_code == 422 and "title" in bad.get_json()["error"]["fields"]
    assert client.post("/api/v1/programmes", data="nope", headers=org_headers,
                       content_type="application/json").status_code == 400
    created = client.post("/api/v1/programmes", headers=org_headers, json={
        "title": "Circular economy for municipalities", "summary": "From waste to resources",
        "description": "**Markdown**", "topics": ["circular-economy"]})
    assert created.status_code == 201
    body = created.get_json()
    pid = body["id"]
    assert body["status"] == "draft" and body["topics"] == ["circular-economy"]
    assert body["organisers"] == [{"id": org.id, "name": "Olivia"}]
    # a draft is invisible to others
    assert client.get(f"/api/v1/programmes/{pid}").status_code == 404
    assert client.get(f"/api/v1/programmes/{pid}", headers=user_headers).status_code == 404
    assert pid not in [p["id"] for p in client.get("/api/v1/programmes").get_json()["items"]]
    assert pid in [p["id"] for p in client.get("/api/v1/programmes", headers=org_headers).get_json()["items"]]
    patched = client.patch(f"/api/v1/programmes/{pid}", json={"summary": "New"}, headers=org_headers)
    assert patched.status_code == 200 and patched.get_json()["summary"] == "New"
    assert client.patch(f"/api/v1/programmes/{pid}", json={"bogus": 1}, headers=org_headers).status_code == 422
    assert client.patch(f"/api/v1/programmes/{pid}", json={"summary": "x"}, headers=user_headers).status_code == 404
    no_modules = client.post(f"/api/v1/programmes/{pid}/publish", headers=org_headers)
    assert no_modules.status_code == 422
    module = client.post(f"/api/v1/programmes/{pid}/modules", headers=org_headers, json={
        "title": "Waste audits", "description": "d", "hours": 6, "required": True, "completion": "event",
        "prerequisites": []})
    assert module.status_code == 201 and module.get_json()["hours"] == 6.0
    published = client.post(f"/api/v1/programmes/{pid}/publish", headers=org_headers)
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    assert client.post(f"/api/v1/programmes/{pid}/publish", headers=org_headers).status_code == 409
    listed = client.get("/api/v1/programmes").get_json()["items"]
    assert [p["id"] for p in listed] == [pid] and listed[0]["modules"][0]["title"] == "Waste audits"
    assert client.get(f"/api/v1/programmes/{pid}").get_json()["total_hours"] == 6.0


def test_modules_patch_delete_prerequisites_and_bad_input(client, session, org, org_headers):
    programme = make_programme(session, organisers=[org])
    a = make_module(session, programme, title="A")
    b = make_module(session, programme, title="B", prerequisites=[a])
    session.commit()
    url = f"/api/v1/programmes/{programme.id}/modules"
    for payload in ({"title": "N", "hours": -2}, {"title": "N", "completion": "webinar"},
                    {"title": "N", "required": "yes"}, {"title": "N", "prerequisites": ["a"]},
                    {"title": "N", "prerequisites": [999]}, {"hours": 1}):
        response = client.post(url, json=payload, headers=org_headers)
        assert response.status_code == 422, payload
        assert response.get_json()["error"]["fields"]
    assert session.scalar(sa.select(sa.func.count()).select_from(Module)) == 2  # nothing half-written
    cycle = client.patch(f"/api/v1/modules/{a.id}", json={"prerequisites": [b.id]}, headers=org_headers)
    assert cycle.status_code == 422 and "cycle" in cycle.get_json()["error"]["message"]
    assert "“A”" in cycle.get_json()["error"]["message"] and "“B”" in cycle.get_json()["error"]["message"]
    moved = client.patch(f"/api/v1/modules/{b.id}", json={"position": 1, "hours": "1.5"}, headers=org_headers)
    assert moved.status_code == 200 and moved.get_json()["position"] == 1 and moved.get_json()["hours"] == 1.5
    negative = client.patch(f"/api/v1/modules/{b.id}", json={"hours": -1}, headers=org_headers)
    assert negative.status_code == 422
    stranger = bearer(make_token(session, make_organiser(session)))
    session.commit()
    assert client.patch(f"/api/v1/modules/{a.id}", json={"title": "x"}, headers=stranger).status_code == 403
    assert client.delete(f"/api/v1/modules/{a.id}", headers=stranger).status_code == 403
    # used module: archived, unused: deleted
    user = make_user(session)
    join_programme(session, programme, user)
    session.add(ModuleCompletion(module_id=a.id, user_id=user.id, source="manual", recorded_by_id=org.id,
                                 note="x"))
    session.commit()
    archived = client.delete(f"/api/v1/modules/{a.id}", headers=org_headers)
    assert archived.status_code == 200 and archived.get_json()["archived"] is True
    assert client.delete(f"/api/v1/modules/{b.id}", headers=org_headers).status_code == 204
    assert client.delete(f"/api/v1/modules/{b.id}", headers=org_headers).status_code == 404
    session.expire_all()
    assert session.get(Module, a.id).archived_at is not None


def test_links(client, session, org, org_headers):
    programme = make_programme(session, organisers=[org])
    module = make_module(session, programme)
    study = make_module(session, programme, completion="self_study")
    event = make_event(session, organisers=[org], title="Circular fair")
    agenda = make_session(session, event, title="Repair café")
    draft = make_event(session, organisers=[org], status="draft", title="Draft")
    cancelled = make_event(session, organisers=[org], status="cancelled", title="Cancelled")
    session.commit()
    url = f"/api/v1/modules/{module.id}/links"
    linked = client.post(url, json={"event_id": event.id}, headers=org_headers)
    assert linked.status_code == 201 and linked.get_json()["event_title"] == "Circular fair"
    by_session = client.post(url, json={"session_id": agenda.id}, headers=org_headers)
    assert by_session.status_code == 201 and by_session.get_json()["session_title"] == "Repair café"
    assert client.post(url, json={"event_id": event.id}, headers=org_headers).status_code == 409
    for payload, status in (({"event_id": draft.id}, 422), ({"event_id": cancelled.id}, 422), ({}, 422),
                            ({"event_id": event.id, "session_id": agenda.id}, 422), ({"event_id": "1"}, 422),
                            ({"event_id": 99999}, 404), ({"session_id": 99999}, 404), ({"other": 1}, 422)):
        response = client.post(url, json=payload, headers=org_headers)
        assert response.status_code == status, payload
    assert client.post(f"/api/v1/modules/{study.id}/links", json={"event_id": event.id},
                       headers=org_headers).status_code == 422
    detail = client.get(f"/api/v1/programmes/{programme.id}").get_json()
    assert len(detail["modules"][0]["links"]) == 2


def test_join_progress_and_me(client, session, org, org_headers):
    programme = make_programme(session, organisers=[org], title="Urban mobility")
    draft = make_programme(session, organisers=[org], status="draft")
    archived = make_programme(session, organisers=[org], status="archived")
    event = make_event(session, organisers=[org])
    module = make_module(session, programme, title="Cycling", hours=3)
    make_module(session, programme, title="Reading", completion="self_study", is_required=False)
    user, other = make_user(session), make_user(session)
    headers, other_headers = bearer(make_token(session, user)), bearer(make_token(session, other))
    session.commit()
    assert client.post(f"/api/v1/modules/{module.id}/links", json={"event_id": event.id},
                       headers=org_headers).status_code == 201
    assert client.post(f"/api/v1/programmes/{draft.id}/join", headers=headers).status_code == 404
    refused = client.post(f"/api/v1/programmes/{archived.id}/join", headers=headers)
    assert refused.status_code == 409 and "not open" in refused.get_json()["error"]["message"]
    assert client.post(f"/api/v1/programmes/{programme.id}/join").status_code == 401
    joined = client.post(f"/api/v1/programmes/{programme.id}/join", headers=headers)
    assert joined.status_code == 201 and joined.get_json()["joined"] is True
    assert client.post(f"/api/v1/programmes/{programme.id}/join", headers=headers).status_code == 200

    attend(session, session.merge(event), session.merge(user), actor=session.merge(org))
    session.commit()
    progress = client.get(f"/api/v1/programmes/{programme.id}/progress", headers=headers).get_json()
    assert [(m["title"], m["status"], m["source"]) for m in progress["modules"]] == [
        ("Cycling", "done", "attendance"), ("Reading", "available", None)]
    assert progress["completion"]["hours"] == 3.0 and progress["hours_done"] == 3.0
    assert progress["modules"][0]["completed_at"]
    # other people's progress: 404 for participants, allowed for organisers
    assert client.get(f"/api/v1/programmes/{programme.id}/progress?user_id={user.id}",
                      headers=other_headers).status_code == 404
    assert client.get(f"/api/v1/programmes/{programme.id}/progress?user_id=abc",
                      headers=headers).status_code == 422
    by_org = client.get(f"/api/v1/programmes/{programme.id}/progress?user_id={user.id}", headers=org_headers)
    assert by_org.status_code == 200 and by_org.get_json()["user_id"] == user.id
    assert client.get(f"/api/v1/programmes/{programme.id}/progress?user_id={other.id}",
                      headers=org_headers).status_code == 404
    assert client.get(f"/api/v1/programmes/{draft.id}/progress", headers=headers).status_code == 404
    mine = client.get("/api/v1/me/programmes", headers=headers).get_json()["items"]
    assert [p["programme"]["title"] for p in mine] == ["Urban mobility"]
    assert client.get("/api/v1/me/programmes", headers=other_headers).get_json()["items"] == []
    assert client.get("/api/v1/me/programmes").status_code == 401


def test_submissions_approve_return_and_own(client, session, org, org_headers):
    programme = make_programme(session, organisers=[org])
    basics = make_module(session, programme, title="Basics", completion="self_study")
    advanced = make_module(session, programme, title="Advanced", completion="self_study", prerequisites=[basics])
    user = make_user(session)
    join_programme(session, programme, user)
    join_programme(session, programme, org)
    headers = bearer(make_token(session, user))
    session.commit()
    early = client.post(f"/api/v1/modules/{advanced.id}/submissions", json={"text": "x"}, headers=headers)
    assert early.status_code == 409 and "Basics" in early.get_json()["error"]["message"]
    empty = client.post(f"/api/v1/modules/{basics.id}/submissions", json={}, headers=headers)
    assert empty.status_code == 422
    assert client.post(f"/api/v1/modules/{basics.id}/submissions", json={"text": 5},
                       headers=headers).status_code == 422
    bad_link = client.post(f"/api/v1/modules/{basics.id}/submissions", json={"link": "ftp://x"}, headers=headers)
    assert bad_link.status_code == 422 and "link" in bad_link.get_json()["error"]["fields"]
    sub = client.post(f"/api/v1/modules/{basics.id}/submissions",
                      json={"text": "Reflection", "link": "https://example.org/a"}, headers=headers)
    assert sub.status_code == 201 and sub.get_json()["status"] == "submitted"
    sid = sub.get_json()["id"]
    assert client.post(f"/api/v1/submissions/{sid}/approve", headers=headers).status_code == 403
    returned = client.post(f"/api/v1/submissions/{sid}/return", json={"comment": "More detail"},
                           headers=org_headers)
    assert returned.status_code == 200 and returned.get_json()["status"] == "returned"
    assert client.post(f"/api/v1/submissions/{sid}/approve", headers=org_headers).status_code == 409
    sid2 = client.post(f"/api/v1/modules/{basics.id}/submissions", json={"text": "Better"},
                       headers=headers).get_json()["id"]
    assert client.post(f"/api/v1/submissions/{sid2}/return", json={}, headers=org_headers).status_code == 422
    approved = client.post(f"/api/v1/submissions/{sid2}/approve", json={"comment": "Good"}, headers=org_headers)
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    assert client.post("/api/v1/submissions/99999/approve", headers=org_headers).status_code == 404
    # an organiser's own submission cannot be approved by themselves
    own = client.post(f"/api/v1/modules/{basics.id}/submissions", json={"text": "Mine"}, headers=org_headers)
    refused = client.post(f"/api/v1/submissions/{own.get_json()['id']}/approve", headers=org_headers)
    assert refused.status_code == 403 and "own" in refused.get_json()["error"]["message"]
    progress = client.get(f"/api/v1/programmes/{programme.id}/progress", headers=headers).get_json()
    assert [m["status"] for m in progress["modules"]] == ["done", "available"]


def test_api_lists_run_a_constant_number_of_queries(client, session, count_queries, org):
    user = make_user(session)
    headers = bearer(make_token(session, user))
    event = make_event(session, organisers=[org])
    agenda = make_session(session, event)

    def programme():
        p = make_programme(session, organisers=[org], topics=["circular-economy"])
        first = make_module(session, p)
        make_module(session, p, prerequisites=[first])
        session.add(ModuleLink(module_id=first.id, event_id=event.id))
        session.add(ModuleLink(module_id=first.id, session_id=agenda.id))
        join_programme(session, p, user)

    def counts():
        result = []
        for url in ("/api/v1/programmes", "/api/v1/me/programmes"):
            with count_queries() as counter:
                assert client.get(url, headers=headers).status_code == 200
            result.append(counter.count)
        return result

    programme()
    session.commit()
    counts()  # the first call records the token's use
    few = counts()
    for _ in range(3):
        programme()
    session.commit()
    assert counts() == few


def test_nul_characters_are_refused_not_a_server_error(client, session, org, org_headers):
    from app.learning.models import Programme, Submission

    programme = make_programme(session, organisers=[org])
    module = make_module(session, programme, completion="self_study")
    user = make_user(session)
    join_programme(session, programme, user)
    headers = bearer(make_token(session, user))
    session.commit()
    for payload, field in (({"title": "a\x00b"}, "title"), ({"title": "ok", "summary": "x\x00"}, "summary"),
                           ({"title": "ok", "topics": ["a\x00"]}, "topics")):
        response = client.post("/api/v1/programmes", json=payload, headers=org_headers)
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"], payload
    for payload, field in (({"text": "x\x00"}, "text"), ({"text": "x", "link": "https://e.org/\x00"}, "link")):
        response = client.post(f"/api/v1/modules/{module.id}/submissions", json=payload, headers=headers)
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"], payload
    assert client.get("/programmes/a%00b").status_code == 404
    assert session.scalar(sa.select(sa.func.count()).select_from(Programme)) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0
