"""The review journey on the pages (submit, checklist, publish, return with a comment, archive, revisions) and
the files: upload from the edit page, download headers, strangers kept out."""

from __future__ import annotations

import io

import sqlalchemy as sa

from app.mail.models import OutboxMessage
from app.practices.models import Practice, PracticeFile
from tests.conftest import post_form
from tests.factories import (
    image_bytes,
    make_admin,
    make_organisation,
    make_organiser,
    make_practice,
    make_practice_file,
    make_user,
    pdf_bytes,
)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _status(session, practice_id) -> str:
    session.expire_all()
    return session.get(Practice, practice_id).status


def test_review_journey(session, client, auth):
    practice = make_practice(session, title="Cable cars", status="draft", transferability="",
                             results="Write me at ana@example.org")
    author = practice.author
    organiser = make_organiser(session)
    session.commit()

    auth.login(author.email)
    response = post_form(client, f"/practices/{practice.id}", {}, action=f"/practices/{practice.id}/submit")
    assert response.status_code == 302 and _status(session, practice.id) == "submitted"
    # the author may not publish their own practice
    response = post_form(client, f"/practices/{practice.id}", {}, action=f"/practices/{practice.id}/publish",
                         follow_redirects=True)
    assert "Only organisers and admins can publish a practice" in _text(response)
    assert _status(session, practice.id) == "submitted"
    history = _text(client.get(f"/practices/{practice.id}/review"))
    assert "History" in history and "Submitted for review" in history and "Publish" not in history
    auth.logout()

    auth.login(organiser.email)
    page = _text(client.get(f"/practices/{practice.id}/review"))
    assert "Transferability explained" in page and "check this" in page and "looks fine" in page
    assert "ana@example.org" in page  # the hint shows the reviewer what looks like personal data
    # returning needs a comment: the page comes back with the error, nothing changes
    response = post_form(client, f"/practices/{practice.id}/review", {"comment": ""},
                         action=f"/practices/{practice.id}/return")
    assert response.status_code == 400 and "a comment is required" in _text(response)
    assert _status(session, practice.id) == "submitted"
    response = post_form(client, f"/practices/{practice.id}/review", {"comment": "Explain the transferability."},
                         action=f"/practices/{practice.id}/return")
    assert response.status_code == 302 and _status(session, practice.id) == "returned"
    mail = session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_addr == author.email))
    assert mail is not None and "Explain the transferability." in mail.text_body
    auth.logout()

    auth.login(author.email)
    page = _text(client.get(f"/practices/{practice.id}"))
    assert "Returned by the reviewers:" in page and "Explain the transferability." in page
    response = post_form(client, f"/practices/{practice.id}", {}, action=f"/practices/{practice.id}/submit")
    assert _status(session, practice.id) == "submitted"
    auth.logout()

    auth.login(organiser.email)
    response = post_form(client, f"/practices/{practice.id}/review", {"comment": ""},
                         action=f"/practices/{practice.id}/publish")
    assert response.status_code == 302 and _status(session, practice.id) == "published"
    page = _text(client.get(f"/practices/{practice.id}/review"))
    for action in ("Submitted for review", "Returned with comments", "Published"):
        assert action in page, action
    response = post_form(client, f"/practices/{practice.id}/review", {}, action=f"/practices/{practice.id}/archive")
    assert _status(session, practice.id) == "archived"
    auth.logout()
    assert client.get(f"/practices/{practice.id}").status_code == 404


def test_revisions_name_the_fields_that_changed(session, client, auth):
    practice = make_practice(session, title="Cable cars", status="draft")
    author = practice.author
    session.commit()
    auth.login(author.email)
    page = _text(client.get(f"/practices/{practice.id}/edit"))
    assert "Cable cars" in page
    from tests.practices.test_pages import _practice_form

    post_form(client, f"/practices/{practice.id}/edit", _practice_form(title="Cable cars of Medellín"))
    page = _text(client.get(f"/practices/{practice.id}/review"))
    assert "Edited" in page and ">Title<" in page and ">Key figures<" in page


def test_review_page_permissions(session, client, auth):
    practice = make_practice(session, status="submitted")
    outsider = make_user(session, organisation_id=make_organisation(session).id)
    published = make_practice(session)
    admin = make_admin(session)
    session.commit()
    assert client.get(f"/practices/{practice.id}/review").status_code == 302  # log in first
    auth.login(outsider.email)
    assert client.get(f"/practices/{practice.id}/review").status_code == 404
    assert client.get(f"/practices/{published.id}/review").status_code == 403
    response = post_form(client, f"/practices/{published.id}", {"comment": "no"},
                         action=f"/practices/{published.id}/return", follow_redirects=True)
    assert "Only organisers and admins review practices" in _text(response)
    auth.logout()
    auth.login(admin.email)
    assert client.get(f"/practices/{practice.id}/review").status_code == 200


# ---------------------------------------------------------------------------------------------------
# Files


def _upload(client, practice_id, *, kind, data, filename, caption="", credit=""):
    return post_form(client, f"/practices/{practice_id}/edit", {
        "kind": kind, "file": (io.BytesIO(data), filename), "caption": caption, "credit": credit,
    }, action=f"/practices/{practice_id}/files", content_type="multipart/form-data")


def test_upload_and_download_files(session, client, auth):
    practice = make_practice(session, title="Cable cars", status="draft")
    author = practice.author
    outsider = make_user(session, organisation_id=make_organisation(session).id)
    session.commit()
    auth.login(author.email)
    response = _upload(client, practice.id, kind="image", data=image_bytes(exif_gps=True), filename="cable.jpg",
                       caption="The cable car over the hills", credit="Photo: the city")
    assert response.status_code == 302, _text(response)
    response = _upload(client, practice.id, kind="document", data=pdf_bytes(), filename="report.pdf")
    assert response.status_code == 302
    image, document = sorted(session.scalars(sa.select(PracticeFile)), key=lambda f: f.kind, reverse=True)

    got = client.get(f"/practices/{practice.id}/files/{image.id}")
    assert got.status_code == 200 and got.mimetype == "image/jpeg"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Disposition"].startswith("inline")
    assert b"PhoneMaker" not in got.data  # the EXIF is gone
    got = client.get(f"/practices/{practice.id}/files/{document.id}")
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["Content-Security-Policy"] == "sandbox"
    assert "private" in got.headers["Cache-Control"]
    assert got.headers["X-Content-Type-Options"] == "nosniff"

    page = _text(client.get(f"/practices/{practice.id}"))
    assert 'alt="The cable car over the hills"' in page and "Photo: the city" in page and "report.pdf" in page
    auth.logout()
    # the practice is not published: its files are nobody else's business
    assert client.get(f"/practices/{practice.id}/files/{image.id}").status_code == 404
    auth.login(outsider.email)
    assert client.get(f"/practices/{practice.id}/files/{document.id}").status_code == 404
    assert client.get(f"/practices/{practice.id}/files/999").status_code == 404


def test_a_file_lying_about_its_type_is_refused_with_a_message(session, client, auth):
    practice = make_practice(session, status="draft")
    author = practice.author
    session.commit()
    auth.login(author.email)
    response = _upload(client, practice.id, kind="document", data=image_bytes("PNG"), filename="report.pdf")
    assert response.status_code == 400
    assert "This document is not a PDF" in _text(response)
    response = _upload(client, practice.id, kind="image", data=image_bytes()[:200], filename="broken.jpg")
    assert response.status_code == 400 and "damaged or incomplete" in _text(response)
    response = _upload(client, practice.id, kind="image", data=b"", filename="empty.jpg")
    assert response.status_code == 400 and "The file is empty." in _text(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(PracticeFile)) == 0


def test_published_files_are_public_and_removable_by_editors(session, client, auth, app):
    practice = make_practice(session)
    item = make_practice_file(session, practice, kind="image", storage_dir=app.config["PRACTICE_STORAGE_DIR"])
    organiser = make_organiser(session)
    session.commit()
    assert client.get(f"/practices/{practice.id}/files/{item.id}").status_code == 200
    assert client.get(f"/practices/{practice.id + 1}/files/{item.id}").status_code == 404
    auth.login(organiser.email)
    response = post_form(client, f"/practices/{practice.id}/edit", {},
                         action=f"/practices/{practice.id}/files/{item.id}/delete")
    assert response.status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(PracticeFile)) == 0
    assert client.get(f"/practices/{practice.id}/files/{item.id}").status_code == 404


def test_organisers_find_the_practices_waiting_for_review(session, client, auth):
    make_practice(session, title="Waiting one", status="submitted")
    make_practice(session, title="Published one")
    organiser = make_organiser(session)
    member = make_user(session)
    session.commit()
    auth.login(member.email)
    assert client.get("/practices/reviews").status_code == 403
    auth.logout()
    auth.login(organiser.email)
    page = _text(client.get("/practices/reviews", follow_redirects=True))
    assert "Review practices" in page and "Waiting one" in page and "Published one" not in page


def test_caption_and_credit_can_be_changed_without_uploading_again(session, client, auth, app):
    practice = make_practice(session, status="draft", country="DE")
    item = make_practice_file(session, practice, kind="image", storage_dir=app.config["PRACTICE_STORAGE_DIR"],
                              credit="")
    author = practice.author
    session.commit()
    auth.login(author.email)
    page = _text(client.get(f"/practices/{practice.id}/edit"))
    assert "No credit line yet" in page
    assert '<option value="DE-SN" label="Sachsen">' in page  # the country's subdivisions are suggested
    response = post_form(client, f"/practices/{practice.id}/edit", {"caption": "The square", "credit": "Photo: A. B."},
                         action=f"/practices/{practice.id}/files/{item.id}")
    assert response.status_code == 302
    session.expire_all()
    changed = session.get(PracticeFile, item.id)
    assert (changed.caption, changed.credit) == ("The square", "Photo: A. B.")


def test_an_editor_withdraws_their_practice(session, client, auth):
    practice = make_practice(session, status="draft")
    author = practice.author
    session.commit()
    auth.login(author.email)
    assert "Withdraw (archive)" in _text(client.get(f"/practices/{practice.id}/review"))
    response = post_form(client, f"/practices/{practice.id}/review", {}, action=f"/practices/{practice.id}/archive")
    assert response.status_code == 302 and _status(session, practice.id) == "archived"
    # archived: only reviewers change it now
    assert client.get(f"/practices/{practice.id}/edit").status_code == 403


def test_an_oversized_image_is_refused_on_the_page(session, client, auth):
    practice = make_practice(session, status="draft")
    author = practice.author
    session.commit()
    auth.login(author.email)
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    from tests.conftest import csrf_from

    big = image_bytes() + b"\0" * (6 * 1024 * 1024)
    token = csrf_from(_text(client.get(f"/practices/{practice.id}/edit")))
    # encoded in memory: the test client would spool a body this large to a file it never closes
    boundary, body = encode_multipart({"csrf_token": token, "kind": "image",
                                       "file": FileStorage(io.BytesIO(big), "huge.jpg")})
    response = client.post(f"/practices/{practice.id}/files", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400 and "The file is too large: at most 5 MB" in _text(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(PracticeFile)) == 0
