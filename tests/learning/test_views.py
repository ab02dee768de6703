"""Learning pages: public list and detail, dashboard, organiser editor, matrix, CSV, reviews, query counts."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.learning.models import (
    Module,
    ModuleCompletion,
    ModuleLink,
    Programme,
    ProgrammeParticipant,
    Submission,
)
from app.sqltypes import utcnow
from tests.conftest import csrf_from
from tests.factories import (
    PASSWORD,
    join_programme,
    make_event,
    make_link,
    make_module,
    make_organiser,
    make_programme,
    make_session,
    make_user,
)


@pytest.fixture
def org(session):
    return make_organiser(session, email="org@example.org", name="Olivia")


def test_public_list_and_detail_escape_and_hide_drafts(client, session, org):
    programme = make_programme(session, organisers=[org], title="Mobility <script>x</script>",
                               description="**bold** <img src=x onerror=alert(1)>")
    make_module(session, programme, title="Cycling lanes")
    draft = make_programme(session, organisers=[org], title="Secret draft", status="draft")
    session.commit()
    page = client.get("/programmes/").get_data(as_text=True)
    assert "Mobility &lt;script&gt;" in page and "<script>x" not in page and "Secret draft" not in page
    detail = client.get(f"/programmes/{programme.slug}")
    html = detail.get_data(as_text=True)
    assert detail.status_code == 200 and "<strong>bold</strong>" in html and "<img" not in html
    assert "Cycling lanes" in html and "Log in to join" in html
    assert client.get(f"/programmes/{draft.slug}").status_code == 404
    assert client.get("/programmes/nope").status_code == 404


def test_join_submit_and_dashboard_with_one_click_enrol(client, session, auth, org):
    programme = make_programme(session, organisers=[org], title="Circular economy")
    event = make_event(session, organisers=[org], title="Zero-waste workshop")
    first = make_module(session, programme, title="Zero waste")
    make_link(session, first, event=event)
    study = make_module(session, programme, title="Reflection", completion="self_study", is_required=False)
    make_user(session, email="p@example.org")
    session.commit()
    auth.login("p@example.org")
    url = f"/programmes/{programme.slug}"
    joined = client.post(f"/programmes/{programme.id}/join",
                         data={"csrf_token": csrf_from(client.get(url).get_data(as_text=True))},
                         follow_redirects=True)
    assert "You joined" in joined.get_data(as_text=True)
    assert client.post(f"/programmes/{programme.id}/join", data={}).status_code == 400  # no CSRF: refused
    submitted = client.post(f"/programmes/modules/{study.id}/submit", follow_redirects=True, data={
        "csrf_token": csrf_from(client.get(url).get_data(as_text=True)), "text": "What I learnt"})
    assert "submitted for review" in submitted.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(sa.select(Submission.text)) == "What I learnt"

    dashboard = client.get("/programmes/mine")
    html = dashboard.get_data(as_text=True)
    assert dashboard.status_code == 200 and 'role="progressbar"' in html
    assert "0 of 2 modules done" in html and "Zero-waste workshop" in html
    enrol_action = f'action="/events/{event.id}/enrol"'
    assert enrol_action in html
    enrolled = client.post(f"/events/{event.id}/enrol", data={"csrf_token": csrf_from(html)})
    assert enrolled.status_code == 302
    html = client.get("/programmes/mine").get_data(as_text=True)
    assert enrol_action not in html and "confirmed" in html


def test_event_page_shows_the_modules_it_counts_towards(client, session, org):
    programme = make_programme(session, organisers=[org], title="Climate-friendly urban mobility")
    event = make_event(session, organisers=[org])
    module = make_module(session, programme, title="Bus rapid transit")
    make_link(session, module, event=event)
    session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Counts towards learning programmes" in html and "Bus rapid transit" in html
    assert f"/programmes/{programme.slug}" in html


def test_participants_cannot_reach_organiser_pages(client, session, auth, org):
    programme = make_programme(session, organisers=[org])
    make_user(session, email="p@example.org")
    make_organiser(session, email="other@example.org")
    session.commit()
    auth.login("p@example.org")
    for url in ("/programmes/manage", f"/programmes/manage/{programme.id}", "/programmes/manage/reviews",
                f"/programmes/manage/{programme.id}/progress", f"/programmes/manage/{programme.id}/progress.csv"):
        assert client.get(url).status_code == 403, url
    auth.logout()
    auth.login("other@example.org")
    assert client.get(f"/programmes/manage/{programme.id}").status_code == 404
    assert client.get(f"/programmes/manage/{programme.id}/progress").status_code == 404
    assert client.get(f"/programmes/manage/{programme.id}/progress.csv").status_code == 404


def test_editor_create_modules_prerequisites_links_and_publish(client, session, auth, post_form_fixture, org):
    event = make_event(session, organisers=[org], title="Mobility week")
    agenda = make_session(session, event, title="Cycling tour")
    draft_event = make_event(session, organisers=[org], title="Unpublished", status="draft")
    session.commit()
    auth.login("org@example.org")
    created = post_form_fixture(client, "/programmes/manage/new", {
        "title": "Climate-friendly urban mobility", "summary": "Cleaner transport",
        "topics": ["sustainable-transport"]})
    assert created.status_code == 302
    programme = session.scalar(sa.select(Programme))
    edit_url = f"/programmes/manage/{programme.id}"
    bad = post_form_fixture(client, edit_url, {"new-title": "Bad", "new-hours": "-3", "new-completion": "event"},
                            action=f"{edit_url}/modules")
    assert bad.status_code == 422 and "Estimated hours cannot be negative." in bad.get_data(as_text=True)
    for title in ("Basics", "Advanced"):
        response = post_form_fixture(client, edit_url, {
            "new-title": title, "new-hours": "4", "new-completion": "event", "new-is_required": "y"},
            action=f"{edit_url}/modules")
        assert response.status_code == 302
    basics, advanced = session.scalars(sa.select(Module).order_by(Module.position)).all()
    ok = post_form_fixture(client, f"/programmes/manage/modules/{advanced.id}", {
        "title": "Advanced", "hours": "4", "completion": "event", "is_required": "y",
        "prerequisites": [str(basics.id)]})
    assert ok.status_code == 302
    cycle = post_form_fixture(client, f"/programmes/manage/modules/{basics.id}", {
        "title": "Basics", "hours": "4", "completion": "event", "is_required": "y",
        "prerequisites": [str(advanced.id)]})
    assert cycle.status_code == 422 and "cycle" in cycle.get_data(as_text=True)
    module_page = f"/programmes/manage/modules/{basics.id}"
    html = client.get(module_page).get_data(as_text=True)
    assert f"event:{event.id}" in html and f"session:{agenda.id}" in html and f"event:{draft_event.id}" not in html
    post_form_fixture(client, module_page, {"target": f"event:{event.id}"}, action=f"{module_page}/links")
    post_form_fixture(client, module_page, {"target": f"session:{agenda.id}"}, action=f"{module_page}/links")
    refused = post_form_fixture(client, module_page, {"target": f"event:{draft_event.id}"},
                                action=f"{module_page}/links", follow_redirects=True)
    assert "Choose a published event" in refused.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(ModuleLink)) == 2
    moved = post_form_fixture(client, edit_url, {"direction": "up"},
                              action=f"/programmes/manage/modules/{advanced.id}/move")
    assert moved.status_code == 302
    session.expire_all()
    assert [m.title for m in session.get(Programme, programme.id).modules] == ["Advanced", "Basics"]
    published = post_form_fixture(client, edit_url, {}, action=f"{edit_url}/publish", follow_redirects=True)
    assert "Programme published." in published.get_data(as_text=True)
    link = session.scalars(sa.select(ModuleLink)).first()
    post_form_fixture(client, module_page, {}, action=f"/programmes/manage/links/{link.id}/delete")
    deleted = post_form_fixture(client, edit_url, {}, action=f"/programmes/manage/modules/{advanced.id}/delete",
                                follow_redirects=True)
    assert "Module deleted." in deleted.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(ModuleLink)) == 1
    assert session.get(Programme, programme.id).status == "published"


@pytest.fixture
def post_form_fixture():
    from tests.conftest import post_form

    return post_form


def _matrix_programme(session, org, *, participants: int, modules: int = 12):
    programme = make_programme(session, organisers=[org], title="Big programme")
    mods = [make_module(session, programme, title=f"M{i}", hours=Decimal("2"),
                        completion="self_study" if i % 3 == 0 else "event") for i in range(modules)]
    now = utcnow()
    users = [make_user(session, name=f"Person {i:03d}") for i in range(participants)]
    session.add_all(ProgrammeParticipant(programme_id=programme.id, user_id=u.id, joined_at=now) for u in users)
    session.add_all(ModuleCompletion(module_id=mods[i % modules].id, user_id=u.id, source="manual",
                                     recorded_by_id=org.id, note="n", completed_at=now)
                    for i, u in enumerate(users))
    session.add_all(Submission(module_id=mods[0].id, user_id=u.id, text="t", submitted_at=now)
                    for u in users[1::2])
    session.flush()
    return programme, mods, users


def test_progress_matrix_filters_csv_and_mark_done(client, session, auth, org):
    programme, mods, users = _matrix_programme(session, org, participants=4, modules=3)
    evil = make_user(session, name="=HYPERLINK(\"http://evil\",\"x\")", email="evil@example.org")
    join_programme(session, programme, evil)
    session.commit()
    auth.login("org@example.org")
    url = f"/programmes/manage/{programme.id}/progress"
    html = client.get(url).get_data(as_text=True)
    assert "Person 000" in html and "5 of 5 participants" in html
    filtered = client.get(url + "?q=person 001").get_data(as_text=True)
    assert "1 of 5 participants" in filtered
    assert "1 of 5" in client.get(url + "?state=not_started").get_data(as_text=True)  # evil has nothing
    assert client.get(url + "?state=bogus", follow_redirects=True).status_code == 200
    response = client.get(url.replace("/progress", "/progress.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["Name", "Email", "Organisation", "Joined"] and rows[0][4:7] == ["M0", "M1", "M2"]
    evil_row = next(r for r in rows if r[1] == "evil@example.org")
    assert evil_row[0].startswith("'=")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    first_row = next(r for r in rows if r[0] == "Person 000")
    assert first_row[4].startswith("done ")
    marked = client.post(f"/programmes/manage/{programme.id}/mark", follow_redirects=True, data={
        "csrf_token": csrf_from(html), "user_id": evil.id, "module_id": mods[1].id, "note": "Attended in 2023"})
    assert "Recorded as done." in marked.get_data(as_text=True)
    assert "marked done" in marked.get_data(as_text=True) and "Attended in 2023" in marked.get_data(as_text=True)
    no_note = client.post(f"/programmes/manage/{programme.id}/mark", follow_redirects=True, data={
        "csrf_token": csrf_from(html), "user_id": evil.id, "module_id": mods[2].id, "note": ""})
    assert "note is required" in no_note.get_data(as_text=True)


def test_review_queue_approve_and_return(client, session, auth, org):
    programme = make_programme(session, organisers=[org])
    module = make_module(session, programme, title="Essay", completion="self_study")
    user = make_user(session, name="Writer")
    join_programme(session, programme, user)
    now = utcnow()
    first = Submission(module_id=module.id, user_id=user.id, text="<b>my essay</b>", submitted_at=now)
    session.add(first)
    session.commit()
    auth.login("org@example.org")
    page = client.get("/programmes/manage/reviews")
    html = page.get_data(as_text=True)
    assert "&lt;b&gt;my essay&lt;/b&gt;" in html and "Writer" in html
    returned = client.post(f"/programmes/manage/submissions/{first.id}/review", follow_redirects=True, data={
        "csrf_token": csrf_from(html), "decision": "return", "comment": ""})
    assert "Comment is required." in returned.get_data(as_text=True)
    client.post(f"/programmes/manage/submissions/{first.id}/review", data={
        "csrf_token": csrf_from(html), "decision": "return", "comment": "Please expand"})
    second = Submission(module_id=module.id, user_id=user.id, text="Longer essay", submitted_at=now)
    session.add(second)
    session.commit()
    approved = client.post(f"/programmes/manage/submissions/{second.id}/review", follow_redirects=True, data={
        "csrf_token": csrf_from(html), "decision": "approve", "comment": "Well done"})
    assert "Submission approved." in approved.get_data(as_text=True)
    assert "Nothing to review." in approved.get_data(as_text=True)
    session.expire_all()
    assert session.get(Submission, first.id).status == "returned"
    assert session.scalar(sa.select(ModuleCompletion.source)) == "submission"


def _count(count_queries, client, url):
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


def test_matrix_and_csv_run_a_constant_number_of_queries(client, session, auth, count_queries, org):
    small, *_ = _matrix_programme(session, org, participants=5)
    large, *_ = _matrix_programme(session, org, participants=50)
    session.commit()
    auth.login("org@example.org")
    for suffix in ("progress", "progress.csv"):
        few = _count(count_queries, client, f"/programmes/manage/{small.id}/{suffix}")
        many = _count(count_queries, client, f"/programmes/manage/{large.id}/{suffix}")
        assert few == many, suffix


def test_dashboard_index_and_reviews_run_a_constant_number_of_queries(client, session, auth, count_queries, org):
    user = make_user(session, email="p@example.org", password=PASSWORD)
    events = [make_event(session, organisers=[org]) for _ in range(2)]

    def programme_with_modules():
        programme = make_programme(session, organisers=[org])
        for i in range(3):
            module = make_module(session, programme, prerequisites=[])
            make_link(session, module, event=events[i % 2])
        join_programme(session, programme, user)
        session.add(Submission(module_id=programme.modules[0].id, user_id=user.id, text="t",
                               submitted_at=utcnow()))
        return programme

    programme_with_modules()
    session.commit()
    auth.login("p@example.org")
    counts = [(_count(count_queries, client, "/programmes/mine"), _count(count_queries, client, "/programmes/"))]
    for _ in range(3):
        programme_with_modules()
    session.commit()
    counts.append((_count(count_queries, client, "/programmes/mine"), _count(count_queries, client, "/programmes/")))
    assert counts[0] == counts[1]
    auth.logout()
    auth.login("org@example.org")
    before = [_count(count_queries, client, url) for url in ("/programmes/manage/reviews", "/programmes/manage")]
    programme_with_modules()
    programme_with_modules()
    session.commit()
    after = [_count(count_queries, client, url) for url in ("/programmes/manage/reviews", "/programmes/manage")]
    assert before == after


def test_editor_sets_co_organisers_and_refuses_bad_choices(client, session, auth, post_form_fixture, org):
    from app.auth.models import User

    programme = make_programme(session, organisers=[org], title="Mobility", status="draft")
    colleague = make_organiser(session, email="co@example.org", name="Çağla <b>Co</b>")
    participant = make_user(session, email="p@example.org", name="Pat")
    session.commit()
    auth.login("org@example.org")
    edit_url = f"/programmes/manage/{programme.id}"
    html = client.get(edit_url).get_data(as_text=True)
    assert "Çağla &lt;b&gt;Co&lt;/b&gt;" in html and "Pat" not in html
    saved = post_form_fixture(client, edit_url, {"title": "Mobility", "organisers": [str(org.id), str(colleague.id)]})
    assert saved.status_code == 302 and saved.location.endswith(edit_url)
    session.expire_all()
    assert {u.id for u in session.get(Programme, programme.id).organisers} == {org.id, colleague.id}
    for bad in ([], [str(participant.id)], ["x"]):
        refused = post_form_fixture(client, edit_url, {"title": "Renamed", "organisers": bad})
        assert refused.status_code == 200, bad
        assert 'is-invalid" id="organisers"' in refused.get_data(as_text=True), bad
    session.expire_all()
    assert session.get(Programme, programme.id).title == "Mobility"
    assert session.get(User, participant.id).role == "participant"
    # the colleague sees the draft now; the creator steps back and lands on the manage page
    left = post_form_fixture(client, edit_url, {"title": "Mobility", "organisers": [str(colleague.id)]},
                             follow_redirects=True)
    assert "You no longer organise" in left.get_data(as_text=True)
    assert client.get(edit_url).status_code == 404
    auth.logout()
    auth.login("co@example.org")
    assert client.get(edit_url).status_code == 200


def test_matrix_page_withdraws_a_completion_with_a_note(client, session, auth, org):
    programme, mods, users = _matrix_programme(session, org, participants=2, modules=2)
    other = make_programme(session, organisers=[org])
    foreign = make_module(session, other)
    session.commit()
    auth.login("org@example.org")
    url = f"/programmes/manage/{programme.id}/progress"
    html = client.get(url).get_data(as_text=True)
    assert "Withdraw a completion" in html
    token = csrf_from(html)
    action = f"/programmes/manage/{programme.id}/unmark"
    no_note = client.post(action, follow_redirects=True, data={
        "csrf_token": token, "user_id": users[0].id, "module_id": mods[0].id, "note": " "})
    assert "note is required" in no_note.get_data(as_text=True)
    wrong_module = client.post(action, follow_redirects=True, data={
        "csrf_token": token, "user_id": users[0].id, "module_id": foreign.id, "note": "x"})
    assert "note is required" in wrong_module.get_data(as_text=True)
    not_done = client.post(action, follow_redirects=True, data={
        "csrf_token": token, "user_id": users[0].id, "module_id": mods[1].id, "note": "x"})
    assert "not done for this person" in not_done.get_data(as_text=True)
    done = client.post(action, follow_redirects=True, data={
        "csrf_token": token, "user_id": users[0].id, "module_id": mods[0].id, "note": "Marked the wrong person"})
    page = done.get_data(as_text=True)
    assert "Completion withdrawn." in page and "Marked the wrong person" in page
    assert "<td>completion withdrawn</td>" in page  # the audit log names the action in words
    session.expire_all()
    assert session.scalar(sa.select(ModuleCompletion).where(ModuleCompletion.user_id == users[0].id)) is None
    assert session.scalar(sa.select(ModuleCompletion).where(ModuleCompletion.user_id == users[1].id)) is not None
    assert client.post(f"/programmes/manage/{other.id + 999}/unmark", data={"csrf_token": token}).status_code == 404


def test_joining_a_draft_answers_404_without_leaking_its_slug(client, session, auth):
    from tests.factories import make_programme, make_user

    make_user(session, email="member@example.org")
    draft = make_programme(session, status="draft", published_at=None, slug="secret-draft-plans")
    session.commit()
    auth.login("member@example.org")
    token = csrf_from(client.get("/auth/profile").get_data(as_text=True))
    response = client.post(f"/programmes/{draft.id}/join", data={"csrf_token": token})
    assert response.status_code == 404
    assert "secret-draft-plans" not in (response.headers.get("Location") or "")
    assert "secret-draft-plans" not in response.get_data(as_text=True)
