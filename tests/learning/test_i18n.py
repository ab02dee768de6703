"""The learning pages in the reader's language and zone: counted things pluralised, hours and dates by Babel,
times in the viewer's zone with the zone named, the CSV's words through the catalogue (issue 12)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.i18n import PSEUDO_LOCALE
from app.learning import services
from app.learning.models import LearningAudit, ModuleCompletion, ProgrammeParticipant, Submission
from tests.conftest import csrf_from
from tests.factories import (
    join_programme,
    make_event,
    make_link,
    make_module,
    make_organiser,
    make_programme,
    make_user,
)
from tests.learning.test_pseudo_locale import _catalogue_is_current

MARKED = re.compile(r"⟦[^⟧]*⟧")
LATE_EVENING_IN_BRAZIL = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 28 Feb 2026, 23:00 in São Paulo


@pytest.fixture
def org(session):
    return make_organiser(session, email="org@example.org", name="Olivia", timezone="America/Sao_Paulo")


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style|head)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_counts_are_pluralised_and_hours_written_by_locale(client, session, org):
    one = make_programme(session, organisers=[org], title="Single")
    make_module(session, one, title="Only", hours=Decimal("1.5"))
    two = make_programme(session, organisers=[org], title="Double")
    make_module(session, two, title="A", hours=Decimal("1"))
    make_module(session, two, title="B", hours=Decimal("1"))
    session.commit()
    page = _visible(client.get("/programmes/").get_data(as_text=True))
    assert "1 module · 1.5 hours" in page and "2 modules · 2 hours" in page
    assert "1 modules" not in page
    detail = _visible(client.get(f"/programmes/{one.slug}").get_data(as_text=True))
    assert "1 module, 1.5 hours in all." in detail and "1.5 h" in detail
    german = _visible(client.get(f"/programmes/{one.slug}?lang=de").get_data(as_text=True))
    assert "1,5" in german  # the number follows the page's locale even before the German words exist


def test_organiser_pages_show_times_in_the_viewers_zone_and_name_it(client, session, auth, org):
    programme = make_programme(session, organisers=[org], title="Zones")
    module = make_module(session, programme, title="Essay", completion="self_study")
    writer = make_user(session, name="Writer", email="w@example.org")
    session.add(ProgrammeParticipant(programme_id=programme.id, user_id=writer.id, joined_at=LATE_EVENING_IN_BRAZIL))
    session.add(Submission(module_id=module.id, user_id=writer.id, text="t", submitted_at=LATE_EVENING_IN_BRAZIL))
    session.add(LearningAudit(programme_id=programme.id, module_id=module.id, user_id=writer.id, actor_id=org.id,
                              action="marked_done", note="n", created_at=LATE_EVENING_IN_BRAZIL))
    session.commit()
    auth.login("org@example.org")
    reviews = client.get("/programmes/manage/reviews").get_data(as_text=True)
    assert "Dates and times in <bdi>America/Sao_Paulo</bdi>." in reviews
    assert "28 Feb 2026, 23:00" in reviews and "UTC" not in _visible(reviews)
    matrix = client.get(f"/programmes/manage/{programme.id}/progress").get_data(as_text=True)
    assert "Dates and times in <bdi>America/Sao_Paulo</bdi>." in matrix and "Dates in UTC" not in matrix
    assert "28 Feb 2026" in _visible(matrix) and "28 Feb 2026, 23:00" in _visible(matrix)  # cell and audit log
    assert "When (<bdi>America/Sao_Paulo</bdi>)" in matrix


def test_csv_headers_and_statuses_for_people_dates_in_the_viewers_zone(client, session, auth, org):
    programme = make_programme(session, organisers=[org], title="CSV")
    module = make_module(session, programme, title="M")
    person = make_user(session, name="Pat", email="pat@example.org")
    session.add(ProgrammeParticipant(programme_id=programme.id, user_id=person.id, joined_at=LATE_EVENING_IN_BRAZIL))
    session.add(ModuleCompletion(module_id=module.id, user_id=person.id, source="manual", recorded_by_id=org.id,
                                 note="n", completed_at=LATE_EVENING_IN_BRAZIL))
    session.commit()
    matrix = services.progress_matrix(session, programme_id=programme.id, actor_id=org.id)
    rows = services.matrix_csv_rows(matrix, translate=lambda text: f"[{text}]", zone="America/Sao_Paulo")
    assert rows[0] == ["[Name]", "[Email]", "[Organisation]", "[Joined]", "M", "[Modules done]", "[Hours done]",
                       "[Programme completed]"]
    assert rows[1][3] == "2026-02-28" and rows[1][4] == "[done] 2026-02-28"
    assert services.matrix_csv_rows(matrix)[1][3] == "2026-03-01"  # without a zone: UTC, in English
    auth.login("org@example.org")
    response = client.get(f"/programmes/manage/{programme.id}/progress.csv")
    body = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert body[1][3] == "2026-02-28" and body[1][4] == "done 2026-02-28"


def test_a_visitor_reads_event_days_in_the_events_zone_named(client, session, auth, org):
    programme = make_programme(session, organisers=[org], title="Visits")
    module = make_module(session, programme, title="Trip")
    event = make_event(session, organisers=[org], title="Field trip", timezone="Africa/Johannesburg")
    make_link(session, module, event=event)
    session.commit()
    visitor = client.get(f"/programmes/{programme.slug}").get_data(as_text=True)
    assert "(<bdi>Africa/Johannesburg</bdi>)" in visitor
    auth.login("org@example.org")
    html = client.get(f"/programmes/{programme.slug}").get_data(as_text=True)
    assert "Dates and times in <bdi>America/Sao_Paulo</bdi>." in html and "Africa/Johannesburg" not in html


def test_audit_log_words_the_actions_and_a_completions_hours(client, session, auth, org):
    programme = make_programme(session, organisers=[org])
    person = make_user(session, name="Pat")
    join_programme(session, programme, person)
    for action, note in (("programme_completed", "3.00"), ("programme_completed", "12.50 hours"),
                         ("uncompleted", "")):
        session.add(LearningAudit(programme_id=programme.id, user_id=person.id, action=action, note=note,
                                  created_at=LATE_EVENING_IN_BRAZIL))
    session.commit()
    auth.login("org@example.org")
    page = _visible(client.get(f"/programmes/manage/{programme.id}/progress").get_data(as_text=True))
    assert "programme completed Pat 3 hours" in page and "12.5 hours" in page
    assert "completion removed: the check-in was undone" in page and "programme_completed" not in page


def test_the_services_store_no_english_sentence_in_the_audit(session, org):
    from tests.learning.helpers import attend

    programme = make_programme(session, organisers=[org])
    module = make_module(session, programme, hours=Decimal("2"))
    event = make_event(session, organisers=[org])
    make_link(session, module, event=event)
    person = make_user(session)
    join_programme(session, programme, person)
    attend(session, event, person, actor=org)
    session.flush()
    notes = dict(session.execute(sa.select(LearningAudit.action, LearningAudit.note)).all())
    assert Decimal(notes["programme_completed"]) == Decimal("2")


def test_flashes_labels_and_statuses_go_through_the_catalogue(client, session, auth, org):
    if not _catalogue_is_current():
        pytest.skip("the compiled catalogues predate the learning strings: run `make translations`")
    programme = make_programme(session, organisers=[org], title="Pseudo")
    make_module(session, programme, title="First")
    make_user(session, email="p@example.org")
    session.execute(sa.update(User).values(language=PSEUDO_LOCALE))  # as the switcher stores it
    session.commit()
    auth.login("p@example.org")
    url = f"/programmes/{programme.slug}"
    joined = client.post(f"/programmes/{programme.id}/join", follow_redirects=True,
                         data={"csrf_token": csrf_from(client.get(url).get_data(as_text=True))})
    html = joined.get_data(as_text=True)
    assert re.search(r'alert-success[^>]*>\s*⟦[^⟧]*Pseudo', html)  # "You joined “Pseudo”." in the catalogue
    assert "⟦" in client.get("/programmes/mine").get_data(as_text=True)
    auth.logout()
    auth.login("org@example.org")
    editor = client.get(f"/programmes/manage/{programme.id}").get_data(as_text=True)
    label = re.search(r'<label[^>]*for="title"[^>]*>([^<]*)</label>', editor)
    assert label and MARKED.fullmatch(label.group(1).strip())
    csv_text = client.get(f"/programmes/manage/{programme.id}/progress.csv").get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").startswith("⟦")
