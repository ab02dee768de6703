"""The event dashboard page: who sees it, its figures and charts, a CSV per chart equal to its table, Arabic."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from app.charts import chart_table
from app.dashboards.event_stats import event_stats
from app.dashboards.event_views import _charts
from app.events import services
from app.events.models import Checkin
from app.sqltypes import utcnow
from tests.dashboards.test_event_stats import build_story
from tests.factories import make_admin, make_event, make_organisation, make_organiser, make_session, make_user


def url(event) -> str:
    return f"/events/{event.id}/dashboard"


def test_organisers_see_the_figures_and_every_chart(client, auth, session):
    event, _, _ = build_story(session)
    organiser = event.organisers[0]
    session.commit()
    auth.login(organiser.email)

    page = client.get(url(event))

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Europe/Berlin" in html  # the zone the days are counted in is named
    assert "3 of 2" in html  # seats taken against capacity (one promoted beyond it)
    for key in ("registrations", "funnel", "waiting_list", "attendance", "by_country", "by_region",
                "by_organisation_kind", "by_language"):
        assert f"csv={key}" in html, key
    assert "Participants are the people whose enrolment is confirmed now" in html


def test_the_event_page_links_its_organisers_to_the_dashboard(client, auth, session):
    event = make_event(session)
    participant = make_user(session)
    session.commit()
    auth.login(event.organisers[0].email)
    assert url(event) in client.get(f"/events/{event.id}").get_data(as_text=True)
    auth.logout()
    auth.login(participant.email)
    assert url(event) not in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_csv_holds_exactly_the_plotted_numbers(app, client, auth, session):
    event, _, _ = build_story(session)
    session.commit()
    auth.login(event.organisers[0].email)

    reply = client.get(url(event), query_string={"csv": "funnel"})

    assert reply.status_code == 200 and reply.mimetype == "text/csv"
    assert "attachment" in reply.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(reply.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row[1] for row in rows[1:]] == ["6", "5", "2", "1"]  # enrolled, confirmed, attended, certified
    with app.test_request_context():
        charts = {c.key: c for c in _charts(event_stats(session, event_id=event.id, now=utcnow()))}
    for key, chart in charts.items():
        reply = client.get(url(event), query_string={"csv": key})
        header, table = chart_table(chart)
        rows = list(csv.reader(io.StringIO(reply.get_data(as_text=True).lstrip("\ufeff"))))
        assert rows[0] == [str(h) for h in header], key
        assert rows[1:] == [[str(cell) for cell in row] for row in table], key
    assert client.get(url(event), query_string={"csv": "nothing"}).status_code == 400


def test_who_may_see_it(client, auth, session):
    event = make_event(session)
    draft = make_event(session, status="draft", published_at=None)
    admin, participant, other = make_admin(session), make_user(session), make_organiser(session)
    session.commit()

    anonymous = client.get(url(event))
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    auth.login(participant.email)
    assert client.get(url(event)).status_code == 403
    auth.logout()
    auth.login(other.email)
    assert client.get(url(event)).status_code == 403
    assert client.get(url(draft)).status_code == 404  # someone else's draft does not exist for them
    auth.logout()
    auth.login(admin.email)
    assert client.get(url(event)).status_code == 200
    assert client.get("/events/987654/dashboard").status_code == 404


def test_without_enrolments_the_page_says_so(client, auth, session):
    event = make_event(session)
    session.commit()
    auth.login(event.organisers[0].email)
    html = client.get(url(event)).get_data(as_text=True)
    assert "No one has enrolled in this event yet" in html and "<svg" not in html


def test_arabic_pages_run_right_to_left(client, auth, session):
    event, _, _ = build_story(session)
    organiser = make_organiser(session, language="ar")
    event.organisers.append(organiser)
    session.commit()
    auth.login(organiser.email)
    page = client.get(url(event))
    assert page.status_code == 200
    assert 'dir="rtl"' in page.get_data(as_text=True)


@pytest.mark.parametrize("size", [40])
def test_the_page_runs_as_many_queries_for_a_big_event_as_for_a_small_one(client, auth, session, count_queries,
                                                                          size):
    organiser = make_organiser(session)
    events = []
    for people in (2, size):
        event = make_event(session, organisers=[organiser], capacity=size // 2,
                           starts_at=utcnow() - timedelta(days=1, hours=3), ends_at=utcnow() - timedelta(days=1))
        unit = make_session(session, event, starts_at=event.starts_at, ends_at=event.ends_at)
        for n in range(people):
            org = make_organisation(session, kind=("ngo", "business")[n % 2], country=("MA", "PE", "IN")[n % 3])
            user = make_user(session, organisation_id=org.id, language=("fr", "es", "pt")[n % 3])
            enrolment = services.enrol(session, event_id=event.id, user_id=user.id, actor_id=organiser.id,
                                       now=utcnow() - timedelta(days=10 - n % 7))
            if n % 2 and enrolment.status == "confirmed":
                session.add(Checkin(enrolment_id=enrolment.id, session_id=unit.id))
        events.append(event)
    session.commit()
    auth.login(organiser.email)
    counts = []
    for event in events:
        with count_queries() as counter:
            assert client.get(url(event)).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_attendance_per_session_is_drawn_as_horizontal_bars(app, session):
    """Sessions go by their titles, too long to sit under columns: each is written whole above its bars."""
    event, _, _ = build_story(session)  # two sessions
    with app.test_request_context():
        charts = {c.key: c for c in _charts(event_stats(session, event_id=event.id, now=utcnow()))}
    assert charts["attendance"].kind == "hbar"
    assert [c.split(" (")[0] for c in charts["attendance"].categories] == ["Opening", "Site visit"]
