"""Event pages: browsing, enrolment, organiser pages, check-in, CSV export; query counts; escaping."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.events import services
from app.events.models import Checkin, Enrolment, Event
from app.sqltypes import utcnow
from tests.conftest import post_form
from tests.factories import make_event, make_organisation, make_organiser, make_session, make_user


def test_list_page_filters_and_escapes(client, session):
    make_event(session, title="<script>alert(1)</script> Mobility", format="conference", city="Curitiba",
               country="BR", topics=["sustainable-transport"])
    make_event(session, title="Waste workshop", topics=["circular-economy"])
    make_event(session, title="Secret draft", status="draft")
    session.commit()
    html = client.get("/events/").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Mobility" in html and "<script>alert(1)" not in html
    assert "Waste workshop" in html and "Secret draft" not in html
    html = client.get("/events/?topic=circular-economy").get_data(as_text=True)
    assert "Waste workshop" in html and "Mobility" not in html
    assert client.get("/events/?format=nonsense&from=garbage").status_code == 200


def test_country_filter_options_are_the_escaped_choices_with_the_selection_marked(app, client):
    from app.directory.services import country_choices
    from app.templating import country_options

    loop = app.jinja_env.from_string(
        "{% for code, name in countries %}<option value=\"{{ code }}\" {{ 'selected' if selected == code }}>"
        "{{ name }}</option>{% endfor %}")
    for selected in (None, "BR", "CI"):
        assert str(country_options(selected)) == loop.render(countries=country_choices(), selected=selected)
    html = client.get("/events/?country=br").get_data(as_text=True)
    assert '<option value="BR" selected>Brazil</option>' in html and '<option value="DE" >Germany</option>' in html
    assert "Côte d&#39;Ivoire" in html


@pytest.mark.parametrize("path", ["/events/", "/events/archive"])
def test_list_page_query_count_is_constant(client, session, count_queries, path):
    organiser = make_organiser(session)
    now = utcnow()

    def add(n):
        for i in range(n):
            past = path.endswith("archive")
            start = now + timedelta(days=-30 + i if past else 5 + i)
            event = make_event(session, organisers=[organiser], topics=["circular-economy", "energy-efficiency"],
                               capacity=3, starts_at=start, ends_at=start + timedelta(hours=3))
            services.enrol(session, event_id=event.id, user_id=make_user(session).id, now=now - timedelta(days=60),
                           actor_id=organiser.id)
        session.commit()

    add(5)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    add(45)
    with count_queries() as many:
        response = client.get(path)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="list-group-item list-group-item-action"') == 20
    assert many.count == few.count, many.statements


def test_detail_page_shows_agenda_seats_and_reason(client, session, auth):
    host = make_organisation(session, name="eThekwini Municipality", city="Durban", country="ZA")
    event = make_event(session, title="Durban trip", format="information_trip", capacity=1,
                       timezone="Africa/Johannesburg", city="Durban", country="ZA", hosts=[host],
                       description="**Bold** <script>x()</script>")
    make_session(session, event, title="Inanda Dam site visit", address="Inanda Road")
    make_user(session, email="viewer@example.org", timezone="Asia/Kolkata")
    other = make_user(session)
    services.enrol(session, event_id=event.id, user_id=other.id, now=utcnow())
    session.commit()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Itinerary" in html and "Inanda Dam site visit" in html and "eThekwini Municipality</a> (<bdi>Durban</bdi>, South Africa)" in html
    assert "<strong>Bold</strong>" in html and "<script>x()" not in html
    assert "0 seats left of 1" in html and "Africa/Johannesburg" in html
    auth.login("viewer@example.org")
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Your time (Asia/Kolkata)" in html and "Join the waiting list" in html
    response = post_form(client, f"/events/{event.id}", {}, action=f"/events/{event.id}/enrol")
    assert response.status_code == 302
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "position 1 on the waiting list" in html


def test_drafts_are_hidden_and_closed_reason_shown(client, session):
    draft = make_event(session, status="draft")
    now = utcnow()
    past = make_event(session, starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=2))
    session.commit()
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert client.get("/events/999999").status_code == 404
    assert "already taken place" in client.get(f"/events/{past.id}").get_data(as_text=True)


def test_enrol_cancel_my_events_and_ticket(client, session, auth):
    event = make_event(session, title="Energy training", format="training")
    person = make_user(session, email="p@example.org")
    intruder = make_user(session, email="i@example.org")
    session.commit()
    auth.login("p@example.org")
    post_form(client, f"/events/{event.id}", {}, action=f"/events/{event.id}/enrol")
    enrolment = session.scalar(sa.select(Enrolment).where(Enrolment.user_id == person.id))
    assert enrolment.status == "confirmed"
    html = client.get("/events/mine").get_data(as_text=True)
    assert "Energy training" in html and "confirmed" in html
    ticket = client.get(f"/events/tickets/{enrolment.id}").get_data(as_text=True)
    assert enrolment.ticket_code in ticket and "<svg" in ticket and f">{enrolment.id}<" not in ticket
    qr = client.get(f"/events/tickets/{enrolment.id}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and qr.data.startswith(b"<?xml")
    post_form(client, "/events/mine", {}, action=f"/events/enrolments/{enrolment.id}/cancel")
    session.expire_all()
    assert session.get(Enrolment, enrolment.id).status == "cancelled"
    auth.logout()
    auth.login("i@example.org")
    assert client.get(f"/events/tickets/{enrolment.id}").status_code == 404
    response = post_form(client, "/events/mine", {}, action=f"/events/enrolments/{enrolment.id}/cancel")
    assert response.status_code == 302
    assert intruder.id


def test_organiser_creates_edits_publishes_duplicates(client, session, auth):
    organiser = make_organiser(session, email="o@example.org")
    org = make_organisation(session, name="Pune Municipal Corporation", city="Pune", country="IN")
    session.commit()
    auth.login("o@example.org")
    data = {"title": "Pune water workshop", "format": "workshop", "summary": "Water", "description": "",
            "topics": ["poverty-reduction"], "hosts": [str(org.id)], "languages": "en, hi",
            "timezone": "Asia/Kolkata", "starts_at": "2031-02-03T10:00", "ends_at": "2031-02-03T09:00",
            "venue": "PMC Hall", "city": "Pune", "country": "IN", "capacity": "30", "waitlist_mode": "auto",
            "offer_hours": "48", "min_attendance_percent": "100", "auto_certificates": "y"}
    response = post_form(client, "/events/new", data)
    assert response.status_code == 200 and "The end must be after the start." in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
    response = post_form(client, "/events/new", {**data, "ends_at": "2031-02-03T16:00"})
    assert response.status_code == 302
    event = session.scalar(sa.select(Event))
    assert event.status == "draft" and event.organisers == [organiser] and event.languages == ["en", "hi"]
    assert event.hosts[0].name == "Pune Municipal Corporation" and event.starts_at.hour == 4  # 10:00 IST
    edit_page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="2031-02-03T10:00"' in edit_page
    response = post_form(client, f"/events/{event.id}/edit", {**data, "ends_at": "2031-02-03T16:00", "capacity": "-5"})
    assert "at least 0" in response.get_data(as_text=True)
    post_form(client, f"/events/{event.id}", {}, action=f"/events/{event.id}/publish")
    session.expire_all()
    assert session.get(Event, event.id).status == "published"
    response = post_form(client, f"/events/{event.id}/agenda", {
        "title": "Field visit", "starts_at": "2031-02-03T17:00", "ends_at": "2031-02-03T18:00"})
    assert "Sessions must lie within the event" in response.get_data(as_text=True)
    post_form(client, f"/events/{event.id}/agenda", {
        "title": "Field visit", "starts_at": "2031-02-03T14:00", "ends_at": "2031-02-03T16:00"})
    response = post_form(client, f"/events/{event.id}/duplicate", {"title": "Pune water workshop II",
                                                                  "starts_at": "2032-02-03T10:00"})
    assert response.status_code == 302
    copy = session.scalar(sa.select(Event).where(Event.duplicated_from_id == event.id))
    assert copy.status == "draft" and copy.sessions[0].title == "Field visit"
    assert "Pune water workshop" in client.get("/events/manage").get_data(as_text=True)
    response = post_form(client, f"/events/{event.id}/cancel", {"reason": "Monsoon"})
    session.expire_all()
    assert session.get(Event, event.id).cancel_reason == "Monsoon"


def test_other_organisers_cannot_manage(client, session, auth):
    event = make_event(session)
    make_organiser(session, email="other@example.org")
    participant = make_user(session, email="pp@example.org")
    session.commit()
    auth.login("other@example.org")
    assert client.get(f"/events/{event.id}/edit").status_code == 403
    assert client.get(f"/events/{event.id}/participants").status_code == 403
    assert client.get(f"/events/{event.id}/export.csv").status_code == 403
    auth.logout()
    auth.login("pp@example.org")
    assert client.get(f"/events/{event.id}/checkin").status_code == 403
    assert participant.id


def test_participants_checkin_and_csv_export_neutralises_formulas(client, session, auth):
    organiser = make_organiser(session, email="org@example.org")
    event = make_event(session, organisers=[organiser], capacity=1, requires_approval=True)
    item = make_session(session, event, title="Opening")
    make_session(session, event, title="=1+1 closing", starts_at=event.starts_at + timedelta(hours=3),
                 ends_at=event.starts_at + timedelta(hours=4))
    evil = make_user(session, name="=HYPERLINK(\"http://evil\",\"x\")", email="evil@example.org")
    plus = make_user(session, name="+SUM(1,2)")
    dash = make_user(session, name="-2+3")
    at = make_user(session, name="@cmd")
    now = utcnow()
    ids = [services.enrol(session, event_id=event.id, user_id=u.id, now=now).id for u in (evil, plus, dash, at)]
    session.commit()
    auth.login("org@example.org")
    html = client.get(f"/events/{event.id}/participants?status=pending").get_data(as_text=True)
    assert html.count("Approve") == 4
    post_form(client, f"/events/{event.id}/participants", {},
              action=f"/events/enrolments/{ids[0]}/approve")
    post_form(client, f"/events/{event.id}/participants", {}, action=f"/events/enrolments/{ids[1]}/approve")
    session.expire_all()
    assert [session.get(Enrolment, i).status for i in ids[:2]] == ["confirmed", "waitlisted"]
    post_form(client, f"/events/{event.id}/participants", {}, action=f"/events/enrolments/{ids[1]}/promote")
    post_form(client, f"/events/{event.id}/participants", {"email": "nobody@example.org"},
              action=f"/events/{event.id}/participants/add")
    # check-in page: by code and by search, refused for someone not confirmed
    code = session.get(Enrolment, ids[0]).ticket_code
    page = f"/events/{event.id}/checkin?unit=s:{item.id}"
    response = post_form(client, page, {"ticket_code": code.lower(), "unit": f"s:{item.id}"},
                         action=f"/events/{event.id}/checkin", follow_redirects=True)
    html = response.get_data(as_text=True)
    # the event starts in ten days: the desk is asked first, and nothing is recorded yet
    assert response.status_code == 200 and "is checked in" not in html and 'id="early-checkin"' in html
    assert "before the event" in html and 'name="confirm" value="yes"' in html
    assert session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 0
    response = post_form(client, page, {"ticket_code": code.lower(), "unit": f"s:{item.id}", "confirm": "yes"},
                         action=f"/events/{event.id}/checkin", follow_redirects=True)
    assert "is checked in" in response.get_data(as_text=True)
    response = post_form(client, page, {"enrolment_id": str(ids[2]), "unit": f"s:{item.id}", "confirm": "yes"},
                         action=f"/events/{event.id}/checkin", follow_redirects=True)
    assert "waiting for approval" in response.get_data(as_text=True)
    checkin_page = client.get(page).get_data(as_text=True)
    assert "✓" in checkin_page
    assert 'id="scan-button"' in checkin_page and 'id="code-form"' in checkin_page  # camera scan on phones
    assert 'id="scan-file"' in checkin_page and "vendor/jsqr/jsQR.js" in checkin_page  # any browser, photos
    assert "static/checkin.js" in checkin_page and "onchange=" not in checkin_page  # no inline script (CSP)
    export = client.get(f"/events/{event.id}/export.csv")
    assert export.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    names = {row[0] for row in rows[1:]}
    assert names == {"'=HYPERLINK(\"http://evil\",\"x\")", "'+SUM(1,2)", "'-2+3", "'@cmd"}
    for row in rows:  # the header too: it holds the session titles
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    assert "'=1+1 closing" in rows[0]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["'=HYPERLINK(\"http://evil\",\"x\")"][rows[0].index("Opening")] == "x"
    checkin = session.scalar(sa.select(Checkin))
    post_form(client, page, {}, action=f"/events/checkins/{checkin.id}/undo")
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(Checkin)) == 0


def test_other_list_pages_have_constant_query_counts_and_escape(client, session, auth, count_queries):
    organiser = make_organiser(session, email="lists@example.org")
    me = make_user(session, email="me@example.org", name="<b>Me</b>")
    event = make_event(session, organisers=[organiser], title="<i>Main</i>", capacity=2)
    make_session(session, event)
    now = utcnow()

    def add(n):
        for _ in range(n):
            other = make_event(session, organisers=[organiser], capacity=1)
            services.enrol(session, event_id=other.id, user_id=make_user(session).id, now=now)
            services.enrol(session, event_id=other.id, user_id=me.id, now=now)
            services.enrol(session, event_id=event.id, user_id=make_user(session).id, now=now)
        session.commit()

    services.enrol(session, event_id=event.id, user_id=me.id, now=now)
    add(3)
    pages = {"lists@example.org": ["/events/manage", f"/events/{event.id}/participants",
                                   f"/events/{event.id}/checkin"],
             "me@example.org": ["/events/mine"]}
    few = {}
    for email, paths in pages.items():
        auth.login(email)
        for path in paths:
            with count_queries() as counter:
                html = client.get(path).get_data(as_text=True)
            few[path] = counter.count
            assert "<i>Main</i>" not in html and "<b>Me</b>" not in html
        auth.logout()
    add(12)
    for email, paths in pages.items():
        auth.login(email)
        for path in paths:
            with count_queries() as counter:
                assert client.get(path).status_code == 200
            assert counter.count == few[path], path
        auth.logout()


def test_destructive_buttons_ask_first_with_escaped_text(client, session, auth):
    """Cancelling asks for confirmation; a title with quotes and tags cannot break out of the attribute."""
    from app.events import services as event_services
    from app.sqltypes import utcnow
    from tests.factories import make_event, make_user

    title = '"><script>alert(1)</script>'
    event = make_event(session, title=title)
    person = make_user(session, email="p@example.org")
    event_services.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    session.commit()
    auth.login("p@example.org")
    body = client.get("/events/mine").get_data(as_text=True)
    assert 'data-confirm="Cancel your enrolment in &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;?' in body
    assert "<script>alert(1)</script>" not in body


def test_a_declined_person_sees_why_instead_of_an_enrol_button(client, session, auth):
    organiser = make_organiser(session)
    event = make_event(session, organisers=[organiser], requires_approval=True)
    person = make_user(session, email="declined@example.org")
    enrolment = services.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    services.reject_enrolment(session, enrolment_id=enrolment.id, actor_id=organiser.id, now=utcnow())
    session.commit()
    auth.login("declined@example.org")
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "organisers declined your enrolment" in html and f"/events/{event.id}/enrol" not in html


def test_reminder_offsets_are_set_from_the_event_form(client, session, auth):
    make_organiser(session, email="o@example.org")
    session.commit()
    auth.login("o@example.org")
    assert 'value="168, 24"' in client.get("/events/new").get_data(as_text=True)
    data = {"title": "Reminder workshop", "format": "workshop", "summary": "", "description": "",
            "languages": "en", "timezone": "Europe/Berlin", "starts_at": "2031-05-04T09:00",
            "ends_at": "2031-05-04T17:00", "venue": "Rathaus", "city": "Leipzig", "country": "DE",
            "capacity": "", "waitlist_mode": "auto", "offer_hours": "48", "min_attendance_percent": "100",
            "reminder_offsets_hours": "soon"}
    bad = post_form(client, "/events/new", data)
    assert bad.status_code == 200 and "whole number of hours" in bad.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
    assert post_form(client, "/events/new", {**data, "reminder_offsets_hours": "24, 72"}).status_code == 302
    event = session.scalar(sa.select(Event))
    assert event.reminder_offsets_hours == [72, 24]
    assert 'value="72, 24"' in client.get(f"/events/{event.id}/edit").get_data(as_text=True)


def test_action_buttons_only_return_to_local_pages(client, session, auth):
    """The `next` of a cancel button is a path on this site; other hosts (backslash trick included) are ignored."""
    from app.events import services as event_services
    from app.sqltypes import utcnow
    from tests.factories import make_event, make_user

    event = make_event(session)
    person = make_user(session, email="p@example.org")
    enrolment = event_services.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    session.commit()
    auth.login("p@example.org")
    response = post_form(client, "/events/mine", {"next": "/\\evil.example/"},
                         action=f"/events/enrolments/{enrolment.id}/cancel")
    assert response.status_code == 302 and response.headers["Location"] == f"/events/{event.id}"


def test_approving_when_full_says_the_person_is_on_the_waiting_list(client, session, auth):
    organiser = make_organiser(session, email="org@example.org")
    event = make_event(session, organisers=[organiser], capacity=1, requires_approval=True)
    first, second = make_user(session, name="First Person"), make_user(session, name="Second Person")
    now = utcnow()
    ids = [services.enrol(session, event_id=event.id, user_id=u.id, now=now).id for u in (first, second)]
    session.commit()
    auth.login("org@example.org")
    page = f"/events/{event.id}/participants"
    html = post_form(client, page, {}, action=f"/events/enrolments/{ids[0]}/approve",
                     follow_redirects=True).get_data(as_text=True)
    assert "Approved: First Person is confirmed." in html
    html = post_form(client, page, {}, action=f"/events/enrolments/{ids[1]}/approve",
                     follow_redirects=True).get_data(as_text=True)
    assert "Approved. The event is full, so Second Person is now on the waiting list at position 1." in html
    assert "Approved.</" not in html


def test_moving_an_event_with_an_agenda_in_one_edit(client, session, auth):
    from zoneinfo import ZoneInfo

    organiser = make_organiser(session, email="o@example.org")
    session.commit()
    auth.login("o@example.org")
    data = {"organisers": [str(organiser.id)], "title": "Leipzig water day", "format": "workshop", "languages": "en", "timezone": "Europe/Berlin",
            "starts_at": "2031-03-28T09:00", "ends_at": "2031-03-28T17:00", "venue": "Rathaus", "city": "Leipzig",
            "country": "DE", "waitlist_mode": "auto", "offer_hours": "48", "min_attendance_percent": "100"}
    assert post_form(client, "/events/new", data).status_code == 302
    event = session.scalar(sa.select(Event))
    post_form(client, f"/events/{event.id}/agenda", {
        "title": "Opening", "starts_at": "2031-03-28T09:30", "ends_at": "2031-03-28T10:30"})
    page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert "moves its agenda with it" in page
    response = post_form(client, f"/events/{event.id}/edit", {
        **data, "starts_at": "2031-03-31T09:00", "ends_at": "2031-03-31T17:00"})
    assert response.status_code == 302
    session.expire_all()
    (item,) = session.get(Event, event.id).sessions
    assert item.starts_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%d %H:%M") == "2031-03-31 09:30"


def test_event_form_has_checkbox_lists_and_co_organisers_and_drafts_can_be_deleted(client, session, auth):
    make_organiser(session, email="o@example.org", name="Olu Organiser")
    colleague = make_organiser(session, email="c@example.org", name="Chen Colleague")
    make_organisation(session, name="Pune Municipal Corporation", city="Pune", country="IN")
    session.commit()
    auth.login("o@example.org")
    page = client.get("/events/new").get_data(as_text=True)
    assert "<select multiple" not in page and "Hold Ctrl" not in page
    for name in ("topics", "hosts", "organisers"):
        assert f'type="checkbox" name="{name}"' in page or f'name="{name}" type="checkbox"' in page
    assert "Chen Colleague" in page
    data = {"title": "Shared workshop", "format": "workshop", "languages": "en", "timezone": "Europe/Berlin",
            "starts_at": "2031-05-04T09:00", "ends_at": "2031-05-04T17:00", "venue": "Rathaus", "city": "Leipzig",
            "country": "DE", "waitlist_mode": "auto", "offer_hours": "48", "min_attendance_percent": "100",
            "organisers": [str(colleague.id)]}
    assert post_form(client, "/events/new", data).status_code == 302
    event = session.scalar(sa.select(Event))
    assert {u.email for u in event.organisers} == {"o@example.org", "c@example.org"}
    edit_page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert f'<input checked class="form-check-input" id="organisers-0" name="organisers" type="checkbox" ' \
           f'value="{colleague.id}">' in edit_page
    detail = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f"/events/{event.id}/delete" in detail and "data-confirm" in detail
    response = post_form(client, f"/events/{event.id}", {}, action=f"/events/{event.id}/delete",
                         follow_redirects=True)
    assert "The draft “Shared workshop” is deleted." in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(sa.select(Event)) is None


def test_a_published_event_cannot_be_deleted_from_its_page(client, session, auth):
    organiser = make_organiser(session, email="o@example.org")
    event = make_event(session, organisers=[organiser])
    session.commit()
    auth.login("o@example.org")
    assert f"/events/{event.id}/delete" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    response = post_form(client, f"/events/{event.id}", {}, action=f"/events/{event.id}/delete",
                         follow_redirects=True)
    assert "Only drafts can be deleted" in response.get_data(as_text=True)
    assert session.get(Event, event.id) is not None


def test_a_form_with_errors_starts_with_a_summary_linking_to_the_fields(client, session, auth):
    make_organiser(session, email="o@example.org")
    session.commit()
    auth.login("o@example.org")
    html = post_form(client, "/events/new", {"title": "", "timezone": "Europe/Berlin",
                                             "starts_at": "2031-05-04T09:00", "ends_at": "2031-05-04T08:00",
                                             "waitlist_mode": "auto", "format": "workshop"}).get_data(as_text=True)
    summary = html[html.index('class="alert alert-danger error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert 'role="alert"' in html[html.index("error-summary") - 200:html.index("error-summary") + 200]
    assert '<a href="#title">Title: This field is required.</a>' in summary
    assert html.index("error-summary") < html.index('id="title"')


def test_every_form_page_gets_the_summary(client, session):
    html = post_form(client, "/auth/register", {"email": "not an email", "name": ""}).get_data(as_text=True)
    assert "error-summary" in html and '<a href="#email">' in html


def test_messages_on_pages_speak_the_users_language(client, session, auth):
    make_organiser(session, email="o@example.org")
    session.commit()
    html = client.get("/events/?from=31.12.2031", follow_redirects=True).get_data(as_text=True)
    assert "“From” must be a date such as 2031-05-04" in html and "ISO 8601" not in html
    html = client.get("/events/?q=" + "x" * 201).get_data(as_text=True)
    assert "q is not valid" not in html and "“Search” is too long" in html
    auth.login("o@example.org")
    data = {"title": "Workshop", "format": "workshop", "languages": "en", "timezone": "Europe/Berlin",
            "starts_at": "2031-05-04T09:00", "ends_at": "2031-05-04T17:00", "venue": "Rathaus", "city": "Leipzig",
            "waitlist_mode": "auto", "offer_hours": "48", "min_attendance_percent": "100",
            "reminder_offsets_hours": "168, soon"}
    html = post_form(client, "/events/new", data).get_data(as_text=True)
    assert "reminder_offsets_hours" not in html.replace('id="reminder_offsets_hours"', "").replace(
        'name="reminder_offsets_hours"', "").replace('href="#reminder_offsets_hours"', "").replace(
        'for="reminder_offsets_hours"', "")
    assert "Give each reminder as a whole number of hours" in html
    html = post_form(client, "/events/new", {**data, "reminder_offsets_hours": "", "hours": "",
                                             "offer_hours": "0"}).get_data(as_text=True)
    assert "Hours to accept an offered seat must be at least 1." in html


def _barcodes(png: bytes):
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    return [(r.format, r.text) for r in zxingcpp.read_barcodes(image.open(io.BytesIO(png)))]


def test_ticket_qr_is_a_standard_qr_code_not_micro_qr(client, session, auth):
    """Short ticket codes made Micro QR codes, which camera scanners and most phone readers cannot read."""
    zxingcpp = pytest.importorskip("zxingcpp")
    event = make_event(session)
    person = make_user(session, email="qr@example.org")
    enrolment = services.enrol(session, event_id=event.id, user_id=person.id, now=utcnow())
    code = enrolment.ticket_code
    session.commit()
    auth.login("qr@example.org")
    assert f"/events/tickets/{enrolment.id}/qr.png" in client.get(f"/events/tickets/{enrolment.id}").get_data(as_text=True)
    png = client.get(f"/events/tickets/{enrolment.id}/qr.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert _barcodes(png.data) == [(zxingcpp.BarcodeFormat.QRCode, code)]
    # the page's inline SVG and the SVG download hold the same symbol: version 1 (21 modules) or larger
    # plus the 2-module border, where Micro QR codes have at most 17 modules
    ticket = client.get(f"/events/tickets/{enrolment.id}").get_data(as_text=True)
    svg = client.get(f"/events/tickets/{enrolment.id}/qr.svg").get_data(as_text=True)
    for text, pattern in ((ticket, r'viewBox="0 0 (\d+) \1"'), (svg, r'width="(\d+)" height="\1"')):
        size = int(re.search(pattern, text).group(1))
        assert size >= 25 if "viewBox" in pattern else size >= 25 * 8, text[:300]
