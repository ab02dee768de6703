"""One authorisation rule: managing an event or programme needs the organiser role AND membership.

An organiser demoted to participant stays listed among the organisers (the rows say who organised it) but
must lose every power through the pages and the API alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.auth import rules
from app.auth import services as auth_services
from app.certificates import services as certificates
from app.events.models import Checkin
from app.learning.models import ModuleLink, Submission
from app.sqltypes import utcnow
from tests.certificates.helpers import attendee, enrol, past_event
from tests.conftest import csrf_from
from tests.factories import (
    bearer,
    join_programme,
    make_admin,
    make_event,
    make_module,
    make_organiser,
    make_programme,
    make_session,
    make_token,
    make_user,
)


@dataclass
class World:
    organiser_id: int
    email: str
    token: str
    ids: dict


def _world(session) -> World:
    organiser = make_organiser(session, email="olivia@example.org")
    participant = make_user(session, email="pat@example.org")
    event = make_event(session, organisers=[organiser], requires_approval=True)
    draft = make_event(session, organisers=[organiser], status="draft", published_at=None)
    item = make_session(session, event)
    pending = enrol(session, event, participant, status="pending")
    past = past_event(session, organisers=[organiser])
    holder = attendee(session, past, email="holder@example.org")
    checkin = session.query(Checkin).first()
    programme = make_programme(session, organisers=[organiser])
    draft_programme = make_programme(session, organisers=[organiser], status="draft", published_at=None)
    module = make_module(session, programme, completion="self_study")
    other_module = make_module(session, programme)
    link = ModuleLink(module_id=other_module.id, event_id=event.id)
    session.add(link)
    join_programme(session, programme, participant)
    submission = Submission(module_id=module.id, user_id=participant.id, text="I did it.")
    session.add(submission)
    session.flush()
    report = certificates.issue_event_certificates(session, event_id=past.id, actor_id=None, now=utcnow())
    assert report.issued, "the test needs an issued certificate"
    code = report.issued[0].code
    token = make_token(session, organiser)
    session.commit()
    ids = {"event": event.id, "draft": draft.id, "session": item.id, "enrolment": pending.id, "past": past.id,
           "checkin": checkin.id, "programme": programme.id, "draft_programme": draft_programme.id,
           "draft_slug": draft_programme.slug, "module": module.id, "other_module": other_module.id,
           "link": link.id, "submission": submission.id, "code": code, "participant": participant.id,
           "holder": holder.id, "holder_enrolment": checkin.enrolment_id,
           "session_starts": item.starts_at.isoformat(), "session_ends": item.ends_at.isoformat()}
    return World(organiser.id, organiser.email, token, ids)


# (method, path): every page and endpoint an event's or programme's organiser may use
PAGES = [
    ("GET", "/events/{draft}"),
    ("GET", "/events/{event}/edit"),
    ("GET", "/events/{event}/cancel"),
    ("GET", "/events/{event}/duplicate"),
    ("GET", "/events/{event}/agenda"),
    ("GET", "/events/sessions/{session}/edit"),
    ("POST", "/events/sessions/{session}/delete"),
    ("GET", "/events/{event}/participants"),
    ("POST", "/events/{event}/participants/add"),
    ("POST", "/events/enrolments/{enrolment}/approve"),
    ("GET", "/events/{event}/checkin"),
    ("POST", "/events/checkins/{checkin}/undo"),
    ("GET", "/events/{event}/export.csv"),
    ("GET", "/programmes/{draft_slug}"),
    ("GET", "/programmes/manage/{programme}"),
    ("POST", "/programmes/manage/{programme}/modules"),
    ("GET", "/programmes/manage/modules/{module}"),
    ("POST", "/programmes/manage/modules/{module}/links"),
    ("POST", "/programmes/manage/links/{link}/delete"),
    ("POST", "/programmes/manage/modules/{module}/move"),
    ("POST", "/programmes/manage/modules/{module}/delete"),
    ("POST", "/programmes/manage/{programme}/archive"),
    ("GET", "/programmes/manage/{programme}/progress"),
    ("GET", "/programmes/manage/{programme}/progress.csv"),
    ("POST", "/programmes/manage/{programme}/mark"),
    ("POST", "/programmes/manage/{programme}/unmark"),
    ("POST", "/programmes/manage/submissions/{submission}/review"),
    ("GET", "/certificates/event/{past}"),
    ("POST", "/certificates/event/{past}"),
    ("GET", "/certificates/programme/{programme}"),
    ("POST", "/certificates/programme/{programme}"),
    ("POST", "/certificates/{code}/revoke"),
    ("POST", "/certificates/{code}/reissue"),
    ("GET", "/certificates/{code}.pdf"),
]

API = [
    ("GET", "/api/v1/events/{draft}", None),
    ("PATCH", "/api/v1/events/{event}", {"title": "Taken over"}),
    ("POST", "/api/v1/events/{draft}/publish", {}),
    ("POST", "/api/v1/events/{event}/cancel", {"reason": "No."}),
    ("POST", "/api/v1/events/{event}/sessions",
     {"title": "Extra", "starts_at": "{session_starts}", "ends_at": "{session_ends}"}),
    ("PATCH", "/api/v1/sessions/{session}", {"title": "Renamed"}),
    ("DELETE", "/api/v1/sessions/{session}", None),
    ("GET", "/api/v1/events/{event}/enrolments", None),
    ("POST", "/api/v1/events/{event}/enrolments", {"user_id": "{holder}"}),
    ("POST", "/api/v1/enrolments/{enrolment}/approve", {}),
    ("POST", "/api/v1/enrolments/{enrolment}/reject", {}),
    ("POST", "/api/v1/enrolments/{enrolment}/cancel", {}),
    ("POST", "/api/v1/events/{past}/checkins", {"enrolment_id": "{holder_enrolment}"}),
    ("DELETE", "/api/v1/checkins/{checkin}", None),
    ("GET", "/api/v1/events/{past}/attendance", None),
    ("GET", "/api/v1/programmes/{draft_programme}", None),
    ("PATCH", "/api/v1/programmes/{programme}", {"title": "Taken over"}),
    ("POST", "/api/v1/programmes/{draft_programme}/publish", {}),
    ("POST", "/api/v1/programmes/{programme}/modules", {"title": "Extra", "hours": 1}),
    ("PATCH", "/api/v1/modules/{module}", {"title": "Renamed"}),
    ("DELETE", "/api/v1/modules/{other_module}", None),
    ("POST", "/api/v1/modules/{other_module}/links", {"event_id": "{past}"}),
    ("GET", "/api/v1/programmes/{programme}/progress?user_id={participant}", None),
    ("POST", "/api/v1/submissions/{submission}/approve", {}),
    ("POST", "/api/v1/submissions/{submission}/return", {"comment": "Again."}),
    ("POST", "/api/v1/events/{past}/certificates", {}),
    ("POST", "/api/v1/programmes/{programme}/certificates", {}),
    ("POST", "/api/v1/certificates/{code}/revoke", {"reason": "No."}),
    ("POST", "/api/v1/certificates/{code}/reissue", {}),
    ("GET", "/api/v1/certificates/{code}", None),
]


def _fill(value, ids):
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _demote(session, world: World) -> None:
    auth_services.set_role(session, world.organiser_id, "participant")
    session.commit()


@pytest.mark.parametrize("demoted", [False, True], ids=["organiser", "demoted"])
@pytest.mark.parametrize(("method", "path"), PAGES, ids=[f"{m} {p}" for m, p in PAGES])
def test_pages_need_the_organiser_role(client, session, auth, method, path, demoted):
    world = _world(session)
    auth.login(world.email)
    if demoted:
        _demote(session, world)
    url = _fill(path, world.ids)
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_from(client.get("/auth/profile").get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token})
    if demoted:
        assert response.status_code in (403, 404), (url, response.status_code)
    else:  # the route is real and the organiser passes the check
        assert response.status_code not in (401, 403, 404, 500), (url, response.status_code)


@pytest.mark.parametrize("demoted", [False, True], ids=["organiser", "demoted"])
@pytest.mark.parametrize(("method", "path", "body"), API, ids=[f"{m} {p}" for m, p, _ in API])
def test_api_needs_the_organiser_role(client, session, method, path, body, demoted):
    world = _world(session)
    if demoted:
        _demote(session, world)
    url = _fill(path, world.ids)
    kwargs = {"headers": bearer(world.token)}
    if body is not None:
        kwargs["json"] = _fill(body, world.ids)
    response = client.open(url, method=method, **kwargs)
    if demoted:
        assert response.status_code in (403, 404), (url, response.status_code, response.get_json())
    else:
        assert response.status_code not in (401, 403, 404, 500), (url, response.status_code, response.get_json())


def test_the_rule_needs_role_and_membership(session):
    organiser, stranger, admin = make_organiser(session), make_organiser(session), make_admin(session)
    event = make_event(session, organisers=[organiser])
    programme = make_programme(session, organisers=[organiser])
    assert rules.can_manage_event(organiser, event) and rules.can_manage_programme(organiser, programme)
    assert rules.can_manage_event(admin, event) and rules.can_manage_programme(admin, programme)
    assert not rules.can_manage_event(stranger, event) and not rules.can_manage_programme(stranger, programme)
    assert not rules.can_manage_event(None, event)
    organiser.role = "participant"
    assert not rules.can_manage_event(organiser, event) and not rules.can_manage_programme(organiser, programme)
    assert not event.is_organised_by(organiser) and not programme.is_organised_by(organiser)
