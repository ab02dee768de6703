"""The practices API beyond the scenario of tests/api/test_openapi.py: the contract against the services,
sending a practice back unchanged, uploads that leave nothing behind, constant queries on the list."""

from __future__ import annotations

import io

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.api import document
from app.practices import inputs
from app.practices.limits import TITLE_MAX
from app.practices.models import Practice, PracticeFile, PracticeRevision
from tests.factories import (
    bearer,
    image_bytes,
    make_organiser,
    make_practice,
    make_practice_file,
    make_token,
    make_user,
)

SCHEMAS = document()["components"]["schemas"]


def test_the_document_accepts_exactly_the_fields_the_services_accept():
    assert set(SCHEMAS["PracticeCreate"]["properties"]) == set(inputs.WRITABLE)
    assert set(SCHEMAS["PracticeUpdate"]["properties"]) == set(inputs.WRITABLE)
    assert set(SCHEMAS["PracticeUpdate"]["propertyNames"]["enum"]) == {*inputs.WRITABLE, *inputs.READ_ONLY}
    assert set(SCHEMAS["PracticeCreate"]["required"]) == {"title", "country"}
    assert set(SCHEMAS["Practice"]["properties"]) == {*inputs.WRITABLE, *inputs.READ_ONLY} - {"contact_id"}
    assert SCHEMAS["PracticeCreate"]["properties"]["title"]["maxLength"] == TITLE_MAX
    assert Practice.__table__.c.title.type.length == TITLE_MAX


def test_a_practice_sent_back_unchanged_changes_nothing(client, session, app):
    practice = make_practice(session, status="draft", sdg_targets=["11.2"], subdivision=None)
    token = make_token(session, practice.author)
    session.commit()
    shown = client.get(f"/api/v1/practices/{practice.id}", headers=bearer(token)).get_json()
    response = client.patch(f"/api/v1/practices/{practice.id}", json=shown, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == shown
    assert session.scalar(sa.select(sa.func.count()).select_from(PracticeRevision)) == 0


def test_a_refused_upload_leaves_neither_row_nor_file(client, session, app):
    practice = make_practice(session)
    token = make_token(session, practice.author)
    session.commit()
    storage = app.config["PRACTICE_STORAGE_DIR"]
    import os

    before = set(os.listdir(storage)) if os.path.isdir(storage) else set()
    cut = image_bytes("JPEG", size=(400, 400))[:600]
    response = client.post(f"/api/v1/practices/{practice.id}/images", headers=bearer(token),
                           data={"file": (io.BytesIO(cut), "cut.jpg"), "credit": "me"},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["file"] == "This image is damaged or incomplete and cannot be opened."
    big = b"\xff\xd8\xff" + b"\0" * (6 * 1024 * 1024)
    # encoded in memory: the test client would spool a body this large to a file it never closes
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(big), "huge.jpg")})
    response = client.post(f"/api/v1/practices/{practice.id}/images", headers=bearer(token), data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 422 and "at most 5 MB" in response.get_json()["error"]["message"]
    after = set(os.listdir(storage)) if os.path.isdir(storage) else set()
    assert after == before
    assert session.scalar(sa.select(sa.func.count()).select_from(PracticeFile)) == 0


def test_status_filter_shows_editors_their_own(client, session):
    draft = make_practice(session, status="draft")
    token = make_token(session, draft.author)
    stranger = make_token(session, make_user(session))
    organiser = make_token(session, make_organiser(session))
    session.commit()
    assert client.get("/api/v1/practices?status=draft").get_json()["total"] == 0
    assert client.get("/api/v1/practices?status=draft", headers=bearer(stranger)).get_json()["total"] == 0
    assert client.get("/api/v1/practices?status=draft", headers=bearer(token)).get_json()["total"] == 1
    assert client.get("/api/v1/practices?status=draft", headers=bearer(organiser)).get_json()["total"] == 1


def test_list_answers_in_a_constant_number_of_queries(client, session, count_queries, app):
    storage = app.config["PRACTICE_STORAGE_DIR"]
    for _ in range(2):
        practice = make_practice(session, sdg_targets=["11.2"], topics=())
        make_practice_file(session, practice, storage_dir=storage)
    session.commit()
    with count_queries() as few:
        assert client.get("/api/v1/practices?per_page=100").status_code == 200
    for _ in range(10):
        practice = make_practice(session, sdg_targets=["6.1", "11.2"])
        make_practice_file(session, practice, storage_dir=storage)
        make_practice_file(session, practice, kind="document", storage_dir=storage)
    session.commit()
    with count_queries() as many:
        body = client.get("/api/v1/practices?per_page=100").get_json()
    assert body["total"] == 12 and len(body["items"][0]["images"]) == 1
    assert many.count == few.count


def test_errors_answer_in_the_language_asked(client, session):
    member = make_practice(session).author
    token = make_token(session, member)
    session.commit()
    response = client.post("/api/v1/practices", headers={**bearer(token), "Accept-Language": "en_US_POSIX"},
                           json={"title": "x", "country": "DE", "sdg_targets": ["11.9"]})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"sdg_targets"}
